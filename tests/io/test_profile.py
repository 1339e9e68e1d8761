"""The exporter profile: YAML and JSON, strict keys and types, verified USCC."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from chuhai.errors import InputError
from chuhai.io.profile import ExporterProfile, exporter_from_mapping, load_exporter_profile

USCC = "91500000MA5U00000W"  # check character W (GB 32100-2015 algorithm; also python-stdnum)
EXAMPLE = """\
name: 重庆某某二手车出口有限公司      # must equal owner_name on each certificate
uscc: 91500000MA5U00000W           # unified social credit code (check character verified)
kind: circulation                  # manufacturer | authorised_exporter | circulation | project_contractor
used_car_filing:                   # 二手车出口企业备案; absent = not filed
  approved_on: 2026-01-15
authorised_by: []                  # manufacturers that authorised this exporter
"""


def test_the_contract_example_yaml(tmp_path: Path) -> None:
    path = tmp_path / "exporter.yaml"
    path.write_text(EXAMPLE, encoding="utf-8")
    profile = load_exporter_profile(path)
    assert profile == ExporterProfile(
        name="重庆某某二手车出口有限公司",
        uscc=USCC,
        uscc_valid=True,
        kind="circulation",
        filing_approved_on=dt.date(2026, 1, 15),
        authorised_by=(),
        project_documents=False,
    )
    assert profile.filed


def test_json_and_content_detection(tmp_path: Path) -> None:
    data = {
        "name": "某某汽车制造有限公司",
        "uscc": "9150 0000 MA5U 0000 0w",
        "kind": "authorised_exporter",
        "authorised_by": ["比亚迪汽车工业有限公司", " 重庆长安汽车股份有限公司 "],
        "used_car_filing": {"approved_on": "2025-06-30"},
    }
    for name in ("exporter.json", "exporter.profile"):
        path = tmp_path / name
        path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
        profile = load_exporter_profile(path)
        assert profile.uscc == USCC
        assert profile.authorised_by == ("比亚迪汽车工业有限公司", "重庆长安汽车股份有限公司")
        assert profile.filing_approved_on == dt.date(2025, 6, 30)


def test_minimal_profile_and_optional_keys() -> None:
    profile = exporter_from_mapping(
        {"name": " X公司 ", "kind": "project_contractor", "project_documents": True}
    )
    assert (profile.name, profile.uscc, profile.uscc_valid, profile.filed) == ("X公司", None, False, False)
    assert profile.project_documents is True
    assert (
        exporter_from_mapping({"name": "X", "kind": "manufacturer", "used_car_filing": None}).filed is False
    )


def test_bom_yaml_and_integer_uscc(tmp_path: Path) -> None:
    path = tmp_path / "p.yml"
    # An all-digit code written without quotes is a YAML integer; it must survive as text.
    path.write_bytes("\ufeffname: X\nkind: circulation\nuscc: 911100001000000020\n".encode())
    profile = load_exporter_profile(path)
    assert (profile.uscc, profile.uscc_valid) == ("911100001000000020", True)


@pytest.mark.parametrize(
    ("data", "fragments"),
    [
        ({"name": "X", "kind": "circulation", "usc": USCC}, ["unknown key(s) usc", "allowed:"]),
        ({"kind": "circulation"}, ["missing key(s) name"]),
        ({"name": "X"}, ["missing key(s) kind"]),
        ({"name": "", "kind": "circulation"}, ["name:", "''"]),
        ({"name": 42, "kind": "circulation"}, ["name:", "42"]),
        ({"name": "X", "kind": "dealer"}, ["kind:", "manufacturer, authorised_exporter", "'dealer'"]),
        ({"name": "X", "kind": "circulation", "uscc": 3.5}, ["uscc:", "3.5"]),
        (
            {"name": "X", "kind": "circulation", "uscc": "91500000MA5U00000X"},
            ["uscc:", "expected check character 'W'", "91500000MA5U00000X"],
        ),
        ({"name": "X", "kind": "circulation", "uscc": "915000"}, ["uscc:", "expected 18 characters"]),
        (
            {"name": "X", "kind": "circulation", "used_car_filing": "2026-01-15"},
            ["used_car_filing:", "mapping"],
        ),
        ({"name": "X", "kind": "circulation", "used_car_filing": {}}, ["missing key approved_on"]),
        (
            {"name": "X", "kind": "circulation", "used_car_filing": {"approved_on": "2026-02-30"}},
            ["used_car_filing.approved_on", "'2026-02-30'"],
        ),
        (
            {"name": "X", "kind": "circulation", "used_car_filing": {"approved_on": "15/01/2026"}},
            ["used_car_filing.approved_on", "YYYY-MM-DD"],
        ),
        (
            {
                "name": "X",
                "kind": "circulation",
                "used_car_filing": {"approved_on": dt.datetime(2026, 1, 15, 9)},
            },
            ["date-time"],
        ),
        (
            {"name": "X", "kind": "circulation", "used_car_filing": {"approved_on": "2026-01-15", "no": "1"}},
            ["used_car_filing:", "unknown key(s) no"],
        ),
        ({"name": "X", "kind": "circulation", "authorised_by": "比亚迪"}, ["authorised_by:", "list"]),
        ({"name": "X", "kind": "circulation", "authorised_by": ["A", ""]}, ["authorised_by[1]"]),
        ({"name": "X", "kind": "circulation", "project_documents": "yes"}, ["project_documents:", "'yes'"]),
        (["name", "X"], ["expected a mapping"]),
    ],
)
def test_errors_name_source_key_and_value(data: Any, fragments: list[str]) -> None:
    with pytest.raises(InputError) as caught:
        exporter_from_mapping(data, source="exporter.yaml")
    message = str(caught.value)
    assert message.startswith("exporter.yaml: ")
    for fragment in fragments:
        assert fragment in message, (fragment, message)


def test_lenient_uscc_for_forms() -> None:
    profile = exporter_from_mapping(
        {"name": "X", "kind": "circulation", "uscc": "91500000ma5u00000x"}, strict_uscc=False
    )
    assert (profile.uscc, profile.uscc_valid) == ("91500000MA5U00000X", False)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("p.yaml", "name: X\nname: Y\nkind: circulation\n", "duplicate key 'name'"),
        ("p.json", '{"name": "X", "name": "Y", "kind": "circulation"}', "duplicate key 'name'"),
        ("p.json", '{"name": "X", "kind": }', "not valid JSON"),
        ("p.yaml", "name: [X\nkind: circulation\n", "cannot be read as YAML"),
        ("p.yaml", "", "expected a mapping"),
        (
            "p.yaml",
            "name: X\nkind: circulation\nused_car_filing:\n  approved_on: 2026-13-01\n",
            "approved_on",
        ),
        ("p.yaml", "name: X\nkind: trader\n", "kind"),
    ],
)
def test_file_errors(tmp_path: Path, name: str, content: str, fragment: str) -> None:
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_exporter_profile(path)
    assert fragment in str(caught.value)
    assert str(path) in str(caught.value)


def test_unreadable_profile_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        load_exporter_profile(tmp_path / "missing.yaml")
    path = tmp_path / "gbk.yaml"
    path.write_bytes("name: 重庆某某\nkind: circulation\n".encode("gb18030"))
    with pytest.raises(InputError, match="UTF-8"):
        load_exporter_profile(path)
