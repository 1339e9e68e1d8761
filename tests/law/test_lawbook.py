"""The lawbook: one Law of all of law/, a local law directory read over it file by file, one version."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from chuhai import classification, lawbook, markets, workdays
from chuhai.cli import main
from chuhai.engine import load_law, screen_records
from chuhai.errors import LawError
from chuhai.identifiers import vin
from chuhai.io.profile import exporter_from_mapping
from chuhai.lawbook import SHIPPED_DIR, effective_files
from chuhai.lawbook.diff import diff_laws
from chuhai.lawbook.texts import fill_law_fields

EXPORTER = exporter_from_mapping(
    {
        "name": "重庆渝新二手车出口有限公司",
        "uscc": "91500000MA5U00000W",
        "kind": "circulation",
        "used_car_filing": {"approved_on": dt.date(2026, 1, 15)},
    }
)


pytestmark = pytest.mark.usefixtures("fresh_lawbook")


def _local(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "local" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return tmp_path / "local"


def _edited(name: str, old: str, new: str) -> str:
    text = (SHIPPED_DIR / name).read_text(encoding="utf-8")
    assert old in text, old
    return text.replace(old, new)


def test_one_law_holds_every_section_and_every_module_asks_it() -> None:
    law = load_law()
    assert law is lawbook.current()
    assert workdays.default_calendar() is law.calendar
    assert classification.default_table() is law.commodity
    assert markets.default_markets() is law.markets
    assert vin.wmi_table() is law.wmi
    assert set(law.declaration_elements.lists) >= {"ice", "bev", "hybrid"}
    assert "state.transition_not_allowed" in law.workflow_rules
    assert set(law.workflow_rules["licence.closed"].title) == {"zh", "en", "ru", "ar"}
    assert not set(law.workflow_rules) & set(law.rules)
    assert "declaration_elements.yaml" in law.files
    assert not any(f.local for f in law.files.values())
    assert law.version == f"{law.release}+{law.digest[:10]}"


def test_loading_is_cached_per_directory(tmp_path: Path) -> None:
    local = _local(tmp_path, "parameters/licence/max_vehicles_per_code.yaml", "")
    (local / "parameters/licence/max_vehicles_per_code.yaml").write_text(
        _edited("parameters/licence/max_vehicles_per_code.yaml", "value: 20\n", "value: 12\n"),
        encoding="utf-8",
    )
    shipped = lawbook.load(None)
    assert lawbook.load(None) is shipped
    with_local = lawbook.load(local)
    assert lawbook.load(local) is with_local is not shipped
    lawbook.configure(local)
    assert lawbook.current() is with_local


def test_a_local_file_replaces_the_shipped_one_and_changes_the_version(tmp_path: Path) -> None:
    name = "parameters/licence/max_vehicles_per_code.yaml"
    local = _local(tmp_path, name, _edited(name, "value: 20\n", "value: 12\n"))
    shipped, law = lawbook.load(None), lawbook.load(local)
    assert law.value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 12
    assert law.version != shipped.version
    assert "+local." in law.version
    assert law.version.startswith(law.release)
    (item,) = law.local_files()
    assert item.name == name
    assert item.replaces == SHIPPED_DIR / name
    # titles name the parameter and state the local value
    assert law.rule("licence.quantity_per_code").title["en"] == "More than 12 vehicles under one code"
    assert shipped.rule("licence.quantity_per_code").title["en"] == "More than 20 vehicles under one code"


def test_a_byte_identical_local_file_is_the_same_law(tmp_path: Path) -> None:
    name = "markets.yaml"
    local = _local(tmp_path, name, (SHIPPED_DIR / name).read_text(encoding="utf-8"))
    assert lawbook.load(local).digest == lawbook.load(None).digest


def test_the_engine_screens_with_the_local_law(tmp_path: Path) -> None:
    """A local commodity table reaches the classification the engine uses (no stale cache)."""
    name = "commodity_codes.yaml"
    local = _local(tmp_path, name, _edited(name, 'code: "8703801010"', 'code: "8703801019"'))
    record = {
        "vin": "LGXCH6CD6T1000528",
        "vehicle_category": "passenger",
        "fuel": "bev",
        "body_type": "sedan",
        "condition": "used",
    }
    as_of = dt.date(2026, 6, 1)
    (before,) = screen_records([record], EXPORTER, as_of, lawbook.load(None))
    (after,) = screen_records([record], EXPORTER, as_of, lawbook.load(local))
    (again,) = screen_records([record], EXPORTER, as_of, lawbook.load(None))
    assert before.commodity_code == again.commodity_code == "8703801010"
    assert after.commodity_code == "8703801019"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("notes.txt", "not a file of the local law directory layout"),
        ("calendar/cn-2027.yml", "not a file of the local law directory layout"),
        ("VERSION", "cannot change the release"),
        ("cases/vehicles.yaml", "not a file of the local law directory layout"),
        ("parameters/licence.yaml", "not a file of the local law directory layout"),
    ],
)
def test_files_outside_the_layout_are_refused(tmp_path: Path, name: str, message: str) -> None:
    local = _local(tmp_path, name, "x: 1\n")
    with pytest.raises(LawError, match=message) as info:
        lawbook.load(local)
    assert str(local / name) in str(info.value)


def test_hidden_files_and_a_missing_directory_add_nothing(tmp_path: Path) -> None:
    local = _local(tmp_path, ".DS_Store", "junk")
    (local / ".git").mkdir()
    (local / ".git" / "HEAD").write_text("ref", encoding="utf-8")
    assert lawbook.load(local).digest == lawbook.load(None).digest
    assert lawbook.load(tmp_path / "not-yet").digest == lawbook.load(None).digest


def test_a_broken_local_file_names_itself(tmp_path: Path) -> None:
    name = "rules.yaml"
    local = _local(tmp_path, name, _edited(name, "severity: block", "severity: blocker"))
    with pytest.raises(LawError) as info:
        lawbook.load(local)
    assert str(local / name) in str(info.value)
    assert "severity" in str(info.value)


def test_a_local_references_file_must_still_define_what_shipped_files_cite(tmp_path: Path) -> None:
    name = "references.yaml"
    text = (SHIPPED_DIR / name).read_text(encoding="utf-8")
    start = text.index("\norder-2012-12:")
    end = text.index("\n\n", start + 1)
    local = _local(tmp_path, name, text[:start] + text[end:])
    with pytest.raises(LawError, match="order-2012-12"):
        lawbook.load(local)


def test_an_id_in_both_rules_and_workflow_rules_is_refused(tmp_path: Path) -> None:
    name = "workflow_rules.yaml"
    text = (SHIPPED_DIR / name).read_text(encoding="utf-8")
    local = _local(
        tmp_path, name, text + '\nvehicle.seized:\n  title: {zh: "甲", en: "a", ru: "а", ar: "أ"}\n'
    )
    with pytest.raises(LawError, match=r"vehicle\.seized: is also a rule of rules\.yaml"):
        lawbook.load(local)


def test_the_environment_variable_and_configure_choose_the_local_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "parameters/licence/max_vehicles_per_code.yaml"
    local = _local(tmp_path, name, _edited(name, "value: 20\n", "value: 7\n"))
    assert lawbook.current().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 20
    monkeypatch.setenv("CHUHAI_LAW_DIR", str(local))
    assert lawbook.local_dir() == local
    assert lawbook.current().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 7
    lawbook.configure(tmp_path / "elsewhere")
    assert lawbook.current().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 20


def test_refresh_reads_a_file_another_process_wrote(tmp_path: Path) -> None:
    name = "parameters/licence/max_vehicles_per_code.yaml"
    local = _local(tmp_path, name, _edited(name, "value: 20\n", "value: 7\n"))
    lawbook.configure(local)
    assert lawbook.current().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 7
    (local / name).write_text(_edited(name, "value: 20\n", "value: 5\n"), encoding="utf-8")
    assert lawbook.current().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 7  # cached
    assert lawbook.refresh().value("licence.max_vehicles_per_code", dt.date(2026, 6, 1)) == 5


def test_layout_of_the_shipped_law() -> None:
    files = effective_files(SHIPPED_DIR)
    assert "VERSION" not in files
    assert not any(n.startswith("cases/") for n in files)
    assert "calendar/cn-2026.yaml" in files
    assert "parameters/aftersales/window_days.yaml" in files


# --- law fields in texts ---------------------------------------------------------------------------


def test_law_fields_are_filled_from_the_data() -> None:
    law = load_law()
    on = dt.date(2026, 6, 1)
    fill = lambda text, lang="en": fill_law_fields(text, lang, law.references, law.parameters, on)  # noqa: E731
    assert fill("{aftersales.window_days} days") == "180 days"
    assert fill("{since:aftersales.window_days}") == "2026-01-01"
    assert fill("{ref:order-2012-12}") == law.references["order-2012-12"].cite
    assert fill("{title:mofcom-2025-648}", "ru") == law.references["mofcom-2025-648"].title_ru
    assert fill("{confidence:mofcom-2024-6}", "zh") == "二手资料"
    assert fill("{row} and {vin}") == "{row} and {vin}"  # fact fields stay
    # before the window existed a text still states the rule's number
    assert (
        fill_law_fields("{aftersales.window_days}", "en", law.references, law.parameters, dt.date(2025, 1, 1))
        == "180"
    )
    for bad, message in (
        ("{nope.nothing}", "names no law parameter"),
        ("{ref:no-such-ref}", "names no reference"),
        ("{scrapping.service_life}", "table parameter"),
    ):
        with pytest.raises(LawError, match=message):
            fill(bad)


def test_no_prose_repeats_a_legal_number_the_titles_name() -> None:
    law = load_law()
    assert law.rule("vehicle.scrap_within_1y").title["zh"] == "距强制报废年限 1 年以内"
    assert (
        law.rule("registration.deregistration_required").title["en"]
        == "Deregister within 2 months of clearance"
    )
    assert "{" not in "".join(
        t for meta in law.rules.values() for t in (*meta.title.values(), *meta.description.values())
    )
    assert law.text_parameters >= {"licence.max_vehicles_per_code", "registration.deregistration_months"}


def test_a_message_cannot_name_a_parameter(tmp_path: Path) -> None:
    name = "rules.yaml"
    text = _edited(name, "{max_vehicles}", "{licence.max_vehicles_per_code}")
    local = _local(tmp_path, name, text)
    with pytest.raises(LawError, match="cannot name a law parameter"):
        lawbook.load(local)


def test_texts_are_read_again_when_a_stated_value_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    name = "parameters/licence/max_vehicles_per_code.yaml"
    text = (
        _edited(name, "values:\n", "values:\n").rstrip("\n")
        + "\n  2027-01-01:\n    value: 30\n    confidence: inferred\n"
    )
    local = _local(tmp_path, name, text)
    lawbook.configure(local)
    monkeypatch.setattr(lawbook.book, "china_today", lambda: dt.date(2026, 12, 31))
    assert (
        lawbook.current().rule("licence.quantity_per_code").title["en"]
        == "More than 20 vehicles under one code"
    )
    monkeypatch.setattr(lawbook.book, "china_today", lambda: dt.date(2027, 1, 1))
    assert (
        lawbook.current().rule("licence.quantity_per_code").title["en"]
        == "More than 30 vehicles under one code"
    )


# --- diff -------------------------------------------------------------------------------------------


def test_diff_lists_what_the_local_directory_changes(tmp_path: Path) -> None:
    name = "parameters/licence/max_vehicles_per_code.yaml"
    local = _local(tmp_path, name, _edited(name, "value: 20\n", "value: 12\n"))
    rules = _edited(
        "rules.yaml",
        'severity: advice\n  title: {zh: "许可证有效期"',
        'severity: action\n  title: {zh: "许可证有效期"',
    )
    (local / "rules.yaml").write_text(rules, encoding="utf-8")
    shutil.copy(Path(__file__).parents[1] / "calendar" / "notices" / "2024.txt", tmp_path / "n.txt")
    result = diff_laws(lawbook.load(None), lawbook.load(local))
    changes = {(c.section, c.key, c.field): c for c in result.changes}
    param = changes[("parameters", "licence.max_vehicles_per_code", "from 2024-03-01")]
    assert param.before.startswith("20 (")
    assert param.after.startswith("12 (")
    assert changes[("rules", "licence.validity", "severity")].after == "action"
    # the title that names the parameter changes with it
    assert ("rules", "licence.quantity_per_code", "title") in changes
    assert {c.key for c in result.changes if c.section == "files"} == {name, "rules.yaml"}
    text = "\n".join(result.lines())
    assert "licence.max_vehicles_per_code" in text
    assert "licence.validity severity: advice → action" in text
    assert diff_laws(lawbook.load(None), lawbook.load(None)).changes == ()


def test_cli_law_diff(tmp_path: Path) -> None:
    name = "parameters/aftersales/window_days.yaml"
    local = _local(tmp_path, name, _edited(name, "value: 180\n", "value: 90\n"))
    runner = CliRunner()
    result = runner.invoke(main, ["law", "diff", "--law-dir", str(local)])
    assert result.exit_code == 0, result.output
    assert "aftersales.window_days" in result.output
    assert "180 (" in result.output
    assert "90 (" in result.output
    result = runner.invoke(main, ["law", "diff", "--law-dir", str(local), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"section": "parameters"' in result.output
    result = runner.invoke(main, ["law", "diff"])
    assert result.exit_code == 2
    assert "no local law directory" in result.output
    result = runner.invoke(main, ["law", "diff", "--law-dir", str(tmp_path / "missing")])
    assert result.exit_code == 2
    assert "is not a directory" in result.output
