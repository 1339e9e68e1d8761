"""Values as printed on the registration certificate (issue 9, item 5): mapped from
``schema_data/values.yaml`` with their source, or refused with the accepted spellings."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from chuhai import schema
from chuhai.engine import load_law, screen_records
from chuhai.errors import InputError
from chuhai.io.parse import parse_records
from chuhai.io.profile import exporter_from_mapping
from chuhai.values import VALUES_FILE, load_values
from tests.facts.test_not_known_is_never_no import CAR, PROFILE, STATED


def _row(**cells: str) -> dict[str, object]:
    parsed = parse_records([{"vin": "LFMAP22CXN0123456", **cells}])
    assert parsed.problems.height == 0, parsed.problems.rows()
    return parsed.frame.row(0, named=True)


@pytest.mark.parametrize(
    ("vehicle_type", "category", "body", "size"),
    [
        ("小型轿车", "passenger", "sedan", "small"),
        ("小型普通客车", "passenger", "wagon", "small"),
        ("小型越野客车", "passenger", "offroad_4wd", "small"),
        ("微型轿车", "passenger", "sedan", "mini"),
        ("大型普通客车", "bus", None, "large"),
        ("重型半挂牵引车", "truck", None, "heavy"),
    ],
)
def test_the_certificates_vehicle_type_gives_category_body_and_size(
    vehicle_type: str, category: str, body: str | None, size: str
) -> None:
    row = _row(车辆类型=vehicle_type)
    assert (row["vehicle_category"], row["body_type"], row["size_class"]) == (category, body, size)


def test_a_stated_body_or_size_is_kept_when_it_agrees_and_refused_when_it_does_not() -> None:
    assert _row(车辆类型="小型轿车", 车身形式="小轿车")["body_type"] == "sedan"
    parsed = parse_records([{"vin": "X", "车辆类型": "小型越野客车", "车身形式": "轿车", "规格": "小型"}])
    ((row, column, value, expected_en, expected_zh),) = parsed.problems.select(
        "row", "column", "value", "expected_en", "expected_zh"
    ).rows()
    assert (row, column, value) == (1, "车身形式", "轿车")
    assert "offroad_4wd" in expected_en
    assert "小型越野客车" in expected_en
    assert "车辆类型" in expected_zh


@pytest.mark.parametrize(
    ("use", "now", "before"),
    [
        ("营转非", "non_operating", "operating_other"),
        ("出租转非", "non_operating", "taxi"),
        ("预约出租转非", "non_operating", "taxi"),
        ("预约出租客运", "taxi", None),
        ("非营业", "non_operating", None),
        ("非营运", "non_operating", None),
        ("小学生校车", "school_bus", None),
    ],
)
def test_use_natures_and_changes_of_use(use: str, now: str, before: str | None) -> None:
    row = _row(使用性质=use)
    assert (row["use_nature"], row["former_use_nature"]) == (now, before)


def test_a_change_of_use_as_a_former_use_alone_is_refused() -> None:
    parsed = parse_records([{"vin": "X", "原使用性质": "出租转非"}])
    assert parsed.problems.select("column", "value").rows() == [("原使用性质", "出租转非")]


@pytest.mark.parametrize(
    ("fuel", "value"),
    [("汽油", "petrol"), ("柴油", "diesel"), ("电", "bev"), ("天然气", "other"), ("汽油／天然气", "other")],
)
def test_certificate_fuels(fuel: str, value: str) -> None:
    assert _row(燃料种类=fuel)["fuel"] == value


@pytest.mark.parametrize("fuel", ["汽油/电", "汽油 ／ 电", "汽油电混合动力", "混合动力", "柴油/电"])
def test_a_hybrid_that_does_not_say_whether_it_charges_is_refused_with_the_reason(fuel: str) -> None:
    parsed = parse_records([{"vin": "X", "燃料种类": fuel}])
    (problem,) = parsed.problems.rows(named=True)
    assert problem["column"] == "燃料种类"
    assert problem["value"] == fuel.strip()
    assert "phev" in problem["expected_en"]
    assert "grid" in problem["expected_en"]
    assert "外接充电" in problem["expected_zh"] or "充电" in problem["expected_zh"]
    assert "сети" in problem["expected_ru"]
    assert "الشبكة" in problem["expected_ar"]


def test_an_unknown_spelling_is_refused_with_the_accepted_ones_in_each_language() -> None:
    parsed = parse_records([{"vin": "X", "使用性质": "网约车专用"}])
    (problem,) = parsed.problems.rows(named=True)
    assert problem["expected_zh"].startswith("取值之一：non_operating")
    assert "出租转非" in problem["expected_zh"]
    assert "也可写作" in problem["expected_zh"]
    assert "registration certificate" in problem["expected_en"]
    assert "свидетельстве" in problem["expected_ru"]
    assert "شهادة التسجيل" in problem["expected_ar"]


def test_a_certificate_vehicle_type_decides_the_commodity_code() -> None:
    exporter = exporter_from_mapping(PROFILE)
    base = {k: v for k, v in {**CAR, **STATED}.items() if k not in ("body_type", "size_class")}
    law = load_law()
    (sedan,) = screen_records(
        [{**base, "vehicle_category": "小型轿车"}], exporter, dt.date(2026, 11, 22), law
    )
    (offroad,) = screen_records(
        [{**base, "vehicle_category": "小型越野客车"}], exporter, dt.date(2026, 11, 22), law
    )
    assert sedan.commodity_code
    assert offroad.commodity_code
    assert sedan.commodity_code != offroad.commodity_code
    assert "小轿车" in (sedan.customs_name or "")
    assert "越野车" in (offroad.customs_name or "")


def test_every_spelling_names_a_listed_source_and_a_value_of_its_column() -> None:
    table = load_values()
    assert {"ga-802", "ga-24"} <= set(table.sources)
    for column, entries in table.spellings.items():
        values = schema.COLUMNS[column].values
        for entry in entries:
            assert entry.source in table.sources
            assert entry.value in values, (column, entry.text)
            for other, implied in entry.implies.items():
                assert implied in schema.COLUMNS[other].values, (entry.text, other, implied)
    # the certificate wordings are not verified against the standards' text: the data says so
    assert table.sources["ga-802"].confidence == "inferred"


def test_the_value_file_is_read_strictly(tmp_path: Path) -> None:
    text = VALUES_FILE.read_text(encoding="utf-8")
    twice = tmp_path / "twice.yaml"
    twice.write_text(
        text.replace("        汽油: petrol\n", "        汽油: petrol\n        汽油: diesel\n"), "utf-8"
    )
    with pytest.raises(InputError, match="duplicate key '汽油'"):
        load_values(twice)
    unknown = tmp_path / "unknown.yaml"
    unknown.write_text(text.replace("    - source: usage\n", "    - source: hearsay\n", 1), "utf-8")
    with pytest.raises(InputError, match="'hearsay' is not in sources"):
        load_values(unknown)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("confidence: inferred", "confidence: sure", 1), "utf-8")
    with pytest.raises(InputError, match="confidence"):
        load_values(bad)


def test_chuhai_values_lists_spellings_with_source_and_confidence() -> None:
    import json

    from click.testing import CliRunner

    from chuhai.cli import main

    result = CliRunner().invoke(main, ["values", "--column", "fuel", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    natural_gas = next(r for r in document["spellings"] if r["spelling"] == "天然气")
    assert (natural_gas["value"], natural_gas["source"], natural_gas["confidence"]) == (
        "other",
        "ga-24",
        "inferred",
    )
    assert any(a["spelling"] == "汽油/电" for a in document["ambiguous"])
    assert CliRunner().invoke(main, ["values", "--column", "nope"]).exit_code == 2
