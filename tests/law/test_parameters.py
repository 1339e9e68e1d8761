"""Every legal parameter file under law/parameters/ has the documented format and says what the law says.

The engine's parameter loader is written separately; this file carries its own strict validator of the
format (STYLE.md principle 1) so that a malformed file fails here too, naming the file and the key.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from chuhai import schema
from chuhai.engine.law import LAW_LANGUAGES, _load_parameter
from chuhai.engine.lawfile import LAW_DIR, Checker, load_yaml
from chuhai.errors import LawError

PARAMETERS_DIR = LAW_DIR / "parameters"

EXPECTED = {
    "exporter/filing_validity_years",
    "exporter/filing_review_working_days",
    "licence/review_working_days",
    "licence/max_vehicles_per_code",
    "licence/validity_months",
    "licence/validity_within_calendar_year",
    "registration/temp_plate_max_days",
    "registration/deregistration_months",
    "aftersales/window_days",
    "scrapping/export_ban_years_before_limit",
    "scrapping/late_registration_years",
    "scrapping/service_life",
    "used_car/excluded_categories",
    "bev/licensed_code",
    "new_vehicle/authorisation_from",
    "customs/product_name_pattern",
}


def reference_ids(law_dir: Path = LAW_DIR) -> frozenset[str]:
    path = law_dir / "references.yaml"
    return frozenset(Checker(path).mapping(load_yaml(path), "(top level)"))


def validate_parameter(path: Path, refs: frozenset[str]) -> dict[str, Any]:
    """Validate one parameter file with the engine's own strict loader; return its parsed content."""
    _load_parameter(path, path.stem, refs)
    return dict(load_yaml(path))


def parameter_files() -> list[Path]:
    return sorted(PARAMETERS_DIR.rglob("*.yaml"))


def parameter_name(path: Path) -> str:
    return path.relative_to(PARAMETERS_DIR).with_suffix("").as_posix()


def in_force(data: dict[str, Any], day: dt.date) -> dict[str, Any] | None:
    current = None
    for key, entry in data["values"].items():
        if key <= day:
            current = entry
    return current


def test_every_expected_parameter_exists() -> None:
    assert {parameter_name(p) for p in parameter_files()} >= EXPECTED


@pytest.mark.parametrize("path", parameter_files(), ids=parameter_name)
def test_parameter_file_is_valid(path: Path) -> None:
    validate_parameter(path, reference_ids())


def untranslated(node: Any, where: str = "(top level)") -> list[str]:
    """Where under ``node`` a mapping has ``zh`` and ``en`` but lacks ``ru`` or ``ar``.

    The engine's loader knows which keys are texts; this walk does not, so a bilingual text nested in a
    value (a table row's note, say) that the loader never looks at is caught too.
    """
    found: list[str] = []
    if isinstance(node, dict):
        if {"zh", "en"} <= set(node):
            missing = [lang for lang in LAW_LANGUAGES if lang not in node]
            if missing:
                found.append(f"{where}: missing {', '.join(missing)}")
        for key, child in node.items():
            found += untranslated(child, f"{where}.{key}" if where != "(top level)" else str(key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += untranslated(child, f"{where}[{index}]")
    return found


def test_untranslated_finds_nested_bilingual_texts() -> None:
    four = {"zh": "注", "en": "note", "ru": "примечание", "ar": "ملاحظة"}
    value = {
        "values": {dt.date(2026, 1, 1): {"value": [{"note": four}, {"note": {"zh": "注", "en": "note"}}]}}
    }
    assert untranslated(value) == ["values.2026-01-01.value[1].note: missing ru, ar"]
    assert untranslated([{"zh": "注", "en": "note", "ru": "примечание"}]) == ["(top level)[0]: missing ar"]
    assert untranslated({"note": four, "body_names": {"sedan": "小轿车"}}) == []


@pytest.mark.parametrize("path", parameter_files(), ids=parameter_name)
def test_every_bilingual_text_is_also_in_russian_and_arabic(path: Path) -> None:
    problems = untranslated(load_yaml(path))
    assert not problems, f"{path}: " + "; ".join(problems)


def load(name: str) -> dict[str, Any]:
    return validate_parameter(PARAMETERS_DIR / f"{name}.yaml", reference_ids())


# ---------------------------------------------------------------------------------------------------
# The values say what the domain files say
# ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "day", "value", "confidence"),
    [
        ("aftersales/window_days", dt.date(2026, 1, 1), 180, "verified-in-source"),
        (
            "scrapping/export_ban_years_before_limit",
            dt.date(2024, 3, 1),
            1,
            "secondary-source",
        ),  # law review 2026-12: a property site
        ("bev/licensed_code", dt.date(2026, 1, 1), "8703801090", "verified-in-source"),
        ("licence/max_vehicles_per_code", dt.date(2026, 6, 1), 20, "secondary-source"),
        ("registration/temp_plate_max_days", dt.date(2026, 6, 1), 60, "secondary-source"),
        ("exporter/filing_review_working_days", dt.date(2026, 6, 1), 15, "secondary-source"),
        ("licence/review_working_days", dt.date(2026, 6, 1), 3, "secondary-source"),
    ],
)
def test_value_in_force(name: str, day: dt.date, value: object, confidence: str) -> None:
    entry = in_force(load(name), day)
    assert entry is not None
    assert entry["value"] == value
    assert entry["confidence"] == confidence


@pytest.mark.parametrize(
    ("name", "day"),
    [
        ("aftersales/window_days", dt.date(2025, 12, 31)),  # 648号: from 2026-01-01
        ("bev/licensed_code", dt.date(2025, 12, 31)),  # 2025 No. 54: from 2026-01-01
        ("scrapping/service_life", dt.date(2013, 4, 30)),  # Order 2012 No. 12: in force 2013-05-01
    ],
)
def test_nothing_in_force_before_the_effective_date(name: str, day: dt.date) -> None:
    assert in_force(load(name), day) is None


def test_excluded_categories_are_schema_values() -> None:
    entry = in_force(load("used_car/excluded_categories"), dt.date(2026, 1, 1))
    assert entry is not None
    assert set(entry["value"]) == {"three_wheeled", "low_speed_truck"}
    assert set(entry["value"]) <= set(schema.COLUMNS["vehicle_category"].values)


def test_product_name_pattern_names_every_body_type() -> None:
    entry = in_force(load("customs/product_name_pattern"), dt.date(2026, 1, 1))
    assert entry is not None
    value = entry["value"]
    bodies = set(schema.COLUMNS["body_type"].values)
    assert value["zh"] == "旧+车辆品牌+排气量+车型"
    assert set(value["body_names"]) == bodies
    assert value["body_names"]["sedan"] == "小轿车"
    assert value["body_names"]["offroad_4wd"] == "越野车"
    assert set(value["body_name_confidence"]) == bodies
    # Only 越野车 and 小轿车 are examples in the source; the others are inferred from tariff wording.
    assert value["body_name_confidence"]["other"] == "inferred"


# ---------------------------------------------------------------------------------------------------
# Service-life table (Order 2012 No. 12 Art. 5), first matching row wins
# ---------------------------------------------------------------------------------------------------

ROW_KEYS = {"label", "category", "use", "size", "body", "trailer", "cargo_function", "years", "note"}
OPTIONAL_ROW_KEYS = {"body", "trailer", "cargo_function"}


def service_life_rows() -> list[dict[str, Any]]:
    entry = in_force(load("scrapping/service_life"), dt.date(2026, 1, 1))
    assert entry is not None
    rows: list[dict[str, Any]] = entry["value"]
    return rows


def _selector_ok(selector: Any, allowed: tuple[str, ...]) -> bool:
    return selector == "any" or (
        isinstance(selector, list) and bool(selector) and set(selector) <= set(allowed)
    )


def test_service_life_rows_use_schema_values() -> None:
    rows = service_life_rows()
    for row in rows:
        assert set(row) <= ROW_KEYS, row
        assert set(row) >= ROW_KEYS - OPTIONAL_ROW_KEYS, row
        assert row["category"] in schema.COLUMNS["vehicle_category"].values
        assert _selector_ok(row["use"], schema.COLUMNS["use_nature"].values), row
        assert _selector_ok(row["size"], schema.COLUMNS["size_class"].values), row
        if "body" in row:
            assert _selector_ok(row["body"], schema.COLUMNS["body_type"].values), row
        if "trailer" in row:
            assert row["category"] == "trailer", row
            assert _selector_ok(row["trailer"], schema.COLUMNS["trailer_kind"].values), row
        if "cargo_function" in row:
            assert row["category"] == "special", row
            assert isinstance(row["cargo_function"], bool), row
        assert row["years"] is None or (isinstance(row["years"], int) and row["years"] > 0)
        assert set(row["note"]) == set(LAW_LANGUAGES), row


def first_row(
    category: str,
    use: str,
    size: str,
    body: str | None = None,
    trailer: str | None = None,
    cargo: bool | None = None,
) -> dict[str, Any] | None:
    """The engine's documented semantics: the first row whose selectors all accept the vehicle."""
    for row in service_life_rows():
        if row["category"] != category:
            continue
        if row["use"] != "any" and use not in row["use"]:
            continue
        if row["size"] != "any" and size not in row["size"]:
            continue
        if "body" in row and body not in row["body"]:
            continue
        if "trailer" in row and trailer not in row["trailer"]:
            continue
        if "cargo_function" in row and cargo is not row["cargo_function"]:
            continue
        return row
    return None


@pytest.mark.parametrize(
    ("category", "use", "size", "body", "years"),
    [
        ("passenger", "taxi", "mini", "sedan", 8),
        ("passenger", "taxi", "medium", None, 10),
        ("bus", "taxi", "large", None, 12),
        ("passenger", "rental", "small", "sedan", 15),
        ("passenger", "driving_school", "small", "sedan", 10),
        ("bus", "driving_school", "large", None, 15),
        ("bus", "bus", "large", None, 13),
        ("passenger", "operating_other", "small", "wagon", 10),
        ("bus", "operating_other", "large", None, 15),
        ("bus", "school_bus", "medium", None, 15),
        ("passenger", "non_operating", "small", "sedan", None),  # no limit
        ("passenger", "non_operating", "large", "sedan", None),  # 大型非营运轿车: no limit
        ("passenger", "non_operating", "large", "wagon", 20),
        ("bus", "non_operating", "medium", None, 20),
        ("truck", "dangerous_goods", "heavy", None, 10),  # before the general heavy-truck row
        ("truck", "truck", "heavy", None, 15),
        ("truck", "truck", "light", None, 15),
        ("truck", "truck", "mini", None, 12),
        ("three_wheeled", "truck", "mini", None, 9),
    ],
)
def test_service_life_first_match(
    category: str, use: str, size: str, body: str | None, years: int | None
) -> None:
    row = first_row(category, use, size, body)
    assert row is not None
    assert row["years"] == years


@pytest.mark.parametrize(
    ("category", "trailer", "cargo", "years"),
    [
        # Order 2012 No. 12 Art. 5(九)(十), reference-data.md §2.2 (law review 2026-12 G1)
        ("trailer", "full", None, 10),
        ("trailer", "semi_dangerous_goods", None, 10),
        ("trailer", "semi_container", None, 20),
        ("trailer", "semi", None, 15),
        ("special", None, True, 15),
        ("special", None, False, 30),
    ],
)
def test_service_life_of_trailers_and_special_vehicles(
    category: str, trailer: str | None, cargo: bool | None, years: int
) -> None:
    row = first_row(category, "truck", "heavy", None, trailer, cargo)
    assert row is not None
    assert row["years"] == years


@pytest.mark.parametrize(
    ("category", "use", "size"),
    [
        ("trailer", "truck", "heavy"),  # trailer kind not given
        ("special", "truck", "heavy"),  # with or without cargo function not given
        ("low_speed_truck", "truck", "mini"),  # cylinder count
        ("passenger", "driving_school", "mini"),  # not in the table
        ("passenger", "non_operating", "heavy"),  # not a passenger size of the table
        ("passenger", "truck", "small"),
    ],
)
def test_service_life_undeterminable_cases_have_no_row(category: str, use: str, size: str) -> None:
    assert first_row(category, use, size, "sedan") is None


def test_service_life_lists_its_gaps() -> None:
    gaps = load("scrapping/service_life")["gaps"]
    text = " ".join(g["en"] for g in gaps)
    for word in ("Annex 1", "Low-speed trucks", "motorcycles"):
        assert word in text


# ---------------------------------------------------------------------------------------------------
# The validator itself rejects junk, naming the file and the key
# ---------------------------------------------------------------------------------------------------

GOOD = """\
description: {zh: 测试, en: test, ru: тест, ar: اختبار}
unit: days
reference: mofcom-2025-648
values:
  2026-01-01:
    value: 180
    confidence: verified-in-source
"""
NOTE = "    note: {zh: 注, en: note, ru: примечание, ar: ملاحظة}\n"
GAP = "gaps: [{zh: 缺, en: gap, ru: пробел, ar: فجوة}]\n"


@pytest.fixture
def law_copy(tmp_path: Path) -> Path:
    shutil.copy(LAW_DIR / "references.yaml", tmp_path / "references.yaml")
    return tmp_path


def test_validator_accepts_the_good_example(law_copy: Path) -> None:
    path = law_copy / "p.yaml"
    path.write_text(GOOD, encoding="utf-8")
    validate_parameter(path, reference_ids(law_copy))
    path.write_text(GOOD + "  2030-01-01: null\n", encoding="utf-8")
    validate_parameter(path, reference_ids(law_copy))
    path.write_text(GOOD + NOTE + GAP, encoding="utf-8")
    validate_parameter(path, reference_ids(law_copy))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD + "extra: 1\n", "(top level)"),
        (GOOD + "    comment: nope\n", "values.2026-01-01"),
        (GOOD.replace("unit: days", "unit: fortnights"), "unit"),
        (GOOD.replace("reference: mofcom-2025-648", "reference: no-such-law"), "reference"),
        (GOOD.replace("value: 180", 'value: "180"'), "values.2026-01-01.value"),
        (GOOD.replace("value: 180", "value: true"), "values.2026-01-01.value"),
        (
            GOOD.replace("confidence: verified-in-source", "confidence: certain"),
            "values.2026-01-01.confidence",
        ),
        (GOOD.replace("    confidence: verified-in-source\n", ""), "values.2026-01-01"),
        (GOOD.replace("2026-01-01:", "'2026-01-01':"), "values.2026-01-01"),
        (GOOD + "  2025-01-01:\n    value: 1\n    confidence: inferred\n", "values.2025-01-01"),
        (GOOD.replace("  2026-01-01:\n", "  2025-01-01: null\n  2026-01-01:\n"), "values.2025-01-01"),
        (GOOD.replace("en: test, ", ""), "description"),
        # every text a reader sees is in all four languages of the app: none may be missing
        (GOOD.replace(", ru: тест", ""), "description: missing key(s) ru"),
        (GOOD.replace(", ar: اختبار", ""), "description: missing key(s) ar"),
        (GOOD + NOTE.replace(", ru: примечание", ""), "values.2026-01-01.note: missing key(s) ru"),
        (GOOD + NOTE.replace(", ar: ملاحظة", ""), "values.2026-01-01.note: missing key(s) ar"),
        (GOOD + NOTE.replace("ar: ملاحظة", "ar: ''"), "values.2026-01-01.note.ar"),
        (GOOD + GAP.replace(", ru: пробел", ""), "gaps[0]: missing key(s) ru"),
        (GOOD + GAP.replace(", ar: فجوة", ""), "gaps[0]: missing key(s) ar"),
        (GOOD + GAP.replace("}]", ", de: Lücke}]"), "gaps[0]"),
    ],
)
def test_validator_rejects_junk(law_copy: Path, text: str, key: str) -> None:
    path = law_copy / "junk.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawError) as info:
        validate_parameter(path, reference_ids(law_copy))
    assert str(path) in str(info.value)
    assert key in str(info.value)


@pytest.mark.parametrize(
    "text",
    [
        GOOD + "  2026-01-01:\n    value: 1\n    confidence: inferred\n",  # duplicate key
        "- a list\n- not a mapping\n",
        "",
        "description: [unclosed\n",
        GOOD.replace("2026-01-01:", "2026-13-01:"),  # impossible date: the YAML loader refuses it
    ],
)
def test_validator_rejects_malformed_yaml(law_copy: Path, text: str) -> None:
    path = law_copy / "junk.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawError, match=re.escape(str(path))):
        validate_parameter(path, reference_ids(law_copy))
