"""Typing cells: every kind, every accepted spelling, and every unreadable cell as a problem."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from chuhai import schema
from chuhai.errors import InputError
from chuhai.io.parse import (
    EXTRA_PREFIX,
    ParsedTable,
    load_vehicle_bytes,
    load_vehicle_file,
    parse_records,
    parse_vehicles,
    typed_schema,
)
from chuhai.io.readers import read_vehicle_bytes

VIN = "LVSHCAMB1CE012345"


def parse_column(header: str, values: list[str | None], *, strip_typed: bool = True) -> ParsedTable:
    """Parse one column (plus a VIN column) given as CSV, exactly as a file would be."""
    lines = ["vin," + _quote(header)] + [f"V{i}," + _quote(v or "") for i, v in enumerate(values)]
    return parse_vehicles(read_vehicle_bytes("\n".join(lines).encode(), "s.csv", strip_typed=strip_typed))


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def typed(header: str, values: list[str | None], column: str) -> list[object]:
    return parse_column(header, values).frame.get_column(column).to_list()


# --------------------------------------------------------------------------------------------
# Shape


def test_frame_has_every_canonical_column_in_schema_order(csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(["备注", "seats", "车辆识别代号", "客户"], [["a", "5", VIN, "b"]])
    parsed = parse_vehicles(read_vehicle_bytes(data, "s.csv"))
    expected = ["row", *schema.COLUMNS, f"{EXTRA_PREFIX}备注", f"{EXTRA_PREFIX}客户", "_vin_rows"]
    assert parsed.frame.columns == expected
    assert dict(list(parsed.frame.schema.items())[: len(schema.COLUMNS) + 1]) == typed_schema()
    assert parsed.frame.row(0, named=True)["extra:客户"] == "b"


def test_missing_columns_take_defaults() -> None:
    row = parse_records([{"vin": VIN}]).frame.row(0, named=True)
    for column in schema.COLUMN_LIST:
        if column.name != "vin":
            assert row[column.name] == column.default, column.name
    assert row["vehicle_category"] == "passenger"
    assert row["steering"] == "lhd"
    assert row["test_result"] == "missing"
    # "Not known" is never "no": a prohibition fact without a column stays unknown.
    for name in schema.PROHIBITION_FACTS:
        assert row[name] is None, name


def test_empty_prohibition_cells_stay_unknown() -> None:
    parsed = parse_column("seized", ["", None, "否"])
    assert parsed.frame.get_column("seized").to_list() == [None, None, False]
    assert parsed.problems.height == 0


def test_rows_are_never_dropped_or_reordered() -> None:
    values = ["5", "abc", None, "7", "-1", "", "2,000"]
    parsed = parse_column("seats", values)
    assert parsed.frame.get_column("row").to_list() == [2, 3, 4, 5, 6, 7, 8]
    assert parsed.frame.get_column("seats").to_list() == [5, None, None, 7, None, None, 2000]


# --------------------------------------------------------------------------------------------
# Kinds


def test_vin_normalisation() -> None:
    values = [
        " lvs hcamb1 ce012345 ",
        "ＬＶＳＨＣＡＭＢ１ＣＥ０１２３４５",
        "LVSHCAMB1\u200bCE012345",
        "lvs\u3000hcamb1ce012345",
    ]
    text = "车辆识别代号,seats\n" + "".join(f'"{v}",5\n' for v in values)
    parsed = parse_vehicles(read_vehicle_bytes(text.encode(), "s.csv"))
    assert parsed.frame.get_column("vin").to_list() == [VIN] * 4
    # Not validated here: a wrong VIN is kept as written (normalised) for the engine's rules.
    parsed = parse_records([{"vin": "abc-1"}, {"vin": "\u200b"}, {"vin": None}])
    assert parsed.frame.get_column("vin").to_list() == ["ABC-1", None, None]
    assert parsed.problems.is_empty()


@pytest.mark.parametrize(
    ("header", "cell", "value"),
    [
        ("使用性质", "非营运", "non_operating"),
        ("use_nature", "Non_Operating", "non_operating"),
        ("use_nature", "ＮＯＮ＿ＯＰＥＲＡＴＩＮＧ", "non_operating"),
        ("use_nature", "出租 客运", "taxi"),
        ("燃料种类", "纯电动", "bev"),
        ("fuel", "PETROL", "petrol"),
        ("fuel", "插电混动", "phev_petrol"),
        ("body_type", "9座及以下的小客车", "wagon"),
        ("steering", "右舵", "rhd"),
        ("condition", "二手", "used"),
        ("encumbrance", "无", "none"),
        ("test_result", "合格", "pass"),
        ("vehicle_category", "三轮汽车", "three_wheeled"),
        ("size_class", "Small", "small"),
    ],
)
def test_enum_synonyms(header: str, cell: str, value: str) -> None:
    column = schema.canonical_header(header)
    assert column is not None
    parsed = parse_column(header, [cell])
    assert parsed.frame.item(0, column) == value
    assert parsed.problems.is_empty()


def test_enum_unknown_value_is_a_problem() -> None:
    parsed = parse_column("燃料种类", ["氢能"])
    assert parsed.frame.item(0, "fuel") is None
    problem = parsed.problems.row(0, named=True)
    assert problem["row"] == 2
    assert problem["column"] == "燃料种类"
    assert problem["value"] == "氢能"
    assert problem["expected_en"].startswith("one of petrol, diesel")
    assert problem["expected_zh"].startswith("取值之一")
    assert problem["expected_ru"].startswith("одно из значений: petrol, diesel")
    assert problem["expected_ar"].startswith("إحدى القيم: petrol، diesel")


def test_every_expectation_speaks_four_languages() -> None:
    """One table of expected-value texts, each in zh, en, ru and ar; every typed column uses it."""
    assert set(schema.EXPECTED_LANGUAGES) == {"zh", "en", "ru", "ar"}
    for key, texts in schema.EXPECTED.items():
        assert tuple(texts) == schema.EXPECTED_LANGUAGES, key
        assert all(text.strip() for text in texts.values()), key
        # a translation, not the English text copied
        assert len({texts["en"], texts["ru"], texts["ar"]}) == 3, key
    for column in schema.COLUMN_LIST:
        assert tuple(column.expected) == schema.EXPECTED_LANGUAGES, column.name


def test_enum_default_only_for_empty_cells() -> None:
    parsed = parse_column("steering", [None, "", "  ", "middle"])
    assert parsed.frame.get_column("steering").to_list() == ["lhd", "lhd", "lhd", None]
    assert parsed.problems.select("row", "value").rows() == [(5, "middle")]


def test_integers() -> None:
    values = ["2000", "2,000", "2000.0", "2000.00", "１９９８", " 1 998 ", "+5", "0", "007"]
    assert typed("里程", values, "odometer_km") == [2000, 2000, 2000, 2000, 1998, 1998, 5, 0, 7]
    bad = ["2.5", "abc", "-1", "1e3", "2,00", "99999999999999999999", "2000km", "١٢"]
    parsed = parse_column("里程", bad)
    assert parsed.frame.get_column("odometer_km").to_list() == [None] * len(bad)
    assert parsed.problems.get_column("value").to_list() == bad
    assert set(parsed.problems.get_column("column")) == {"里程"}
    assert set(parsed.problems.get_column("expected_en")) == {"a whole number of km"}


def test_displacement_in_millilitres_or_litres() -> None:
    values = ["1998", "2.0", "2.0L", "1.5T", "1,598", "1998.0", "1598cc", "2.0 升", "0", "１９９８", "1.598"]
    expected = [1998, 2000, 2000, 1500, 1598, 1998, 1598, 2000, 0, 1998, 1598]
    assert typed("排量", values, "displacement_ml") == expected
    ambiguous = ["2", "20", "abc", "-1", "1.4TSI", "2000km", "2.0ml"]
    parsed = parse_column("排量", ambiguous)
    assert parsed.frame.get_column("displacement_ml").to_list() == [None] * len(ambiguous)
    assert parsed.problems.get_column("value").to_list() == ambiguous
    assert set(parsed.problems.get_column("expected_en")) == {
        "displacement in whole millilitres (1998, 1,598) or in litres with a decimal point or unit "
        "(2.0, 2.0L, 1.5T); a bare 2 is ambiguous"
    }


def test_displacement_header_unit_decides_bare_numbers() -> None:
    assert typed("排量（L）", ["2", "1.5", "1998"], "displacement_ml") == [2000, 1500, None]
    assert typed("排量（毫升）", ["1998", "2", "2.0L"], "displacement_ml") == [1998, None, None]
    assert typed("排量(ml)", ["2.0L"], "displacement_ml") == [2000]  # an explicit alias: the cell decides


def test_power_units() -> None:
    values = ["110", "110kW", "110 千瓦", "150马力", "150PS", "100ps"]
    expected = [
        Decimal("110"),
        Decimal("110"),
        Decimal("110"),
        Decimal("110.325"),
        Decimal("110.325"),
        Decimal("73.550"),
    ]
    assert typed("功率", values, "power_kw") == expected
    assert typed("功率（马力）", ["150"], "power_kw") == [Decimal("110.325")]
    parsed = parse_column("功率", ["150hp", "150bhp", "110W"])
    assert parsed.frame.get_column("power_kw").to_list() == [None, None, None]


def test_date_spellings() -> None:
    values = ["20230506", "2023年5月6号", "2023/5/6 下午 2:30:00", "2023/5/6 2:30 PM", "2023-05-06T08:00"]
    assert typed("出厂日期", values, "factory_date") == [dt.date(2023, 5, 6)] * len(values)
    parsed = parse_column("出厂日期", ["20231340", "2023056", "45000", "5/6/2023"])
    assert parsed.frame.get_column("factory_date").to_list() == [None] * 4


def test_decimal_power_is_exact() -> None:
    values = ["110", "110.5", "1,100.25", ".5", "１２０.７", "96.1234"]
    result = typed("功率", values, "power_kw")
    assert result == [
        Decimal("110"),
        Decimal("110.5"),
        Decimal("1100.25"),
        Decimal("0.5"),
        Decimal("120.7"),
        Decimal("96.123"),
    ]
    assert all(isinstance(v, Decimal) for v in result)
    parsed = parse_column("功率", ["-1", "1e3", "abc", "1.2.3", "."])
    assert parsed.frame.get_column("power_kw").null_count() == 5
    assert parsed.problems.height == 5


def test_dates() -> None:
    values = [
        "2026-03-05",
        "2026/03/05",
        "2026.03.05",
        "2026年03月05日",
        "2026年3月5日",
        "2026-3-5",
        "2026/3/5",
        "２０２６年３月５日",
        "2026-03-05 00:00:00",
        "2026-03-05T08:30",
        "2026 年 3 月 5 日",
        "2026年3月5",
    ]
    assert typed("出厂日期", values, "factory_date") == [dt.date(2026, 3, 5)] * len(values)
    assert typed("注册登记日期", ["2024-02-29"], "registration_date") == [dt.date(2024, 2, 29)]


@pytest.mark.parametrize(
    "cell",
    [
        "2026-02-30",
        "2026-13-01",
        "2025-02-29",
        "2026-03/05",
        "05/03/2026",
        "2026035",
        "46086",
        "0226-03-05",
        "1899-12-31",
        "2026-03-05x",
        "+2026-03-05",
        "-2026-03-05",
        "明天",
        "2026-03-05 25:00",
    ],
)
def test_unreadable_dates(cell: str) -> None:
    parsed = parse_column("出厂日期", [cell])
    assert parsed.frame.item(0, "factory_date") is None
    assert parsed.problems.select("row", "column", "value").rows() == [(2, "出厂日期", cell)]
    assert "YYYY-MM-DD" in parsed.problems.item(0, "expected_en")


def test_booleans() -> None:
    values = ["是", "否", "true", "FALSE", "Yes", "no", "1", "0", "Y", "n", "ｙ"]
    assert typed("查封扣押", values, "seized") == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
    ]


def test_unreadable_boolean_does_not_become_the_default() -> None:
    parsed = parse_column("seized", ["maybe", None, "是"])
    assert parsed.frame.get_column("seized").to_list() == [None, None, True]
    assert parsed.problems.select("row", "column", "value").rows() == [(2, "seized", "maybe")]
    parsed = parse_column("documents_complete", ["unknown?", None])
    assert parsed.frame.get_column("documents_complete").to_list() == [None, None]
    assert parsed.problems.select("row", "column", "value").rows() == [(2, "documents_complete", "unknown?")]


def test_countries() -> None:
    values = [
        "RU",
        "ru",
        "RUS",
        "kaz",
        "俄罗斯",
        "Kazakhstan",
        "United Arab Emirates",
        "阿拉伯联合酋长国",
        " kg ",
    ]
    assert typed("目的国", values, "destination") == ["RU", "RU", "RU", "KZ", "RU", "KZ", "AE", "AE", "KG"]
    parsed = parse_column("目的国", ["XX", "UK", "Narnia", "R U S S"])
    assert parsed.frame.get_column("destination").null_count() == 4
    assert parsed.problems.height == 4
    assert parsed.problems.item(0, "expected_en") == "an ISO 3166 alpha-2 country code"


def test_text_columns_are_kept_as_written() -> None:
    parsed = parse_column("机动车所有人", ["重庆某某二手车出口有限公司", "=cmd|' /C calc'!A0"])
    assert parsed.frame.get_column("owner_name").to_list() == [
        "重庆某某二手车出口有限公司",
        "=cmd|' /C calc'!A0",
    ]
    assert parsed.problems.is_empty()


# --------------------------------------------------------------------------------------------
# Problems


def test_problems_name_row_original_header_value_and_expectation(csv_bytes: Callable[..., bytes]) -> None:
    header = ["车辆识别代号", "核定载客", "查封扣押", "出厂日期", "目的国", "备注"]
    rows = [
        [VIN, "5", "否", "2024-01-01", "RU", "ok"],
        ["X2", "five", "maybe", "2024-02-30", "Mars", "bad"],
        ["X3", "7", "是", None, None, "ok"],
    ]
    parsed = parse_vehicles(read_vehicle_bytes(csv_bytes(header, rows), "s.csv"))
    assert parsed.frame.height == 3
    assert parsed.problems.columns == [
        "row",
        "column",
        "value",
        "expected_en",
        "expected_zh",
        "expected_ru",
        "expected_ar",
    ]
    assert parsed.problems.select("row", "column", "value").rows() == [
        (3, "核定载客", "five"),
        (3, "查封扣押", "maybe"),
        (3, "出厂日期", "2024-02-30"),
        (3, "目的国", "Mars"),
    ]
    columns = ("seats", "seized", "factory_date", "destination")
    for lang in ("zh", "en", "ru", "ar"):
        assert parsed.problems.get_column(f"expected_{lang}").to_list() == [
            schema.COLUMNS[c].expected[lang] for c in columns
        ]
    assert parsed.problems.item(0, "expected_ru") == "целое число"
    assert parsed.invalid_rows.to_list() == [3]
    assert parsed.invalid_row_set() == frozenset({3})
    assert parsed.frame.filter(parsed.is_invalid()).get_column("vin").to_list() == ["X2"]
    # The invalid row is still fully present, with what could be read.
    row = parsed.frame.row(1, named=True)
    assert (row["vin"], row["seats"], row["seized"], row["extra:备注"]) == ("X2", None, None, "bad")


def test_ragged_row_becomes_a_problem_and_stays() -> None:
    text = f"vin,seats\n{VIN},5,surplus\nX2,x\n"
    parsed = parse_vehicles(read_vehicle_bytes(text.encode(), "s.csv"))
    assert parsed.frame.select("row", "vin", "seats").rows() == [(2, VIN, 5), (3, "X2", None)]
    assert parsed.problems.select("row", "column", "value").rows() == [
        (2, "(extra)", "surplus"),
        (3, "seats", "x"),
    ]
    assert parsed.invalid_rows.to_list() == [2, 3]


def test_strip_typed_false_gives_the_same_result(csv_bytes: Callable[..., bytes]) -> None:
    header = [
        "vin",
        "seats",
        "seized",
        "factory_date",
        "fuel",
        "steering",
        "power_kw",
        "destination",
        "brand",
    ]
    rows = [
        [VIN, " 5 ", "\u3000是 ", " 2024-01-02", "  纯电动", "   ", "\t110.5 ", " ru ", "  丰田 "],
        ["X2", "   ", "no", "2024/1/2 ", "bad ", "rhd", None, "KZ", None],
        ["X3", "7", " x ", "\xa0", "petrol", None, "abc", "  ", "b"],
    ]
    data = csv_bytes(header, rows)
    stripped = parse_vehicles(read_vehicle_bytes(data, "s.csv"))
    lazy = load_vehicle_bytes(data, "s.csv")
    assert lazy.frame.equals(stripped.frame)
    assert lazy.problems.equals(stripped.problems)
    assert lazy.raw.frame.equals(stripped.raw.frame)
    assert stripped.frame.row(0, named=True)["seats"] == 5
    assert stripped.frame.row(1, named=True)["seats"] is None
    assert stripped.frame.get_column("steering").to_list() == ["lhd", "rhd", "lhd"]
    assert stripped.problems.select("row", "column", "value").rows() == [
        (3, "fuel", "bad"),
        (4, "seized", "x"),
        (4, "power_kw", "abc"),
    ]


def test_load_vehicle_file(tmp_path: Path, csv_bytes: Callable[..., bytes]) -> None:
    path = tmp_path / "s.csv"
    path.write_bytes(csv_bytes(["车辆识别代号", "核定载客"], [[VIN, " 5"]], encoding="gb18030"))
    parsed = load_vehicle_file(path)
    assert parsed.frame.select("row", "vin", "seats").rows() == [(2, VIN, 5)]
    assert parsed.raw.encoding == "gb18030"
    assert parsed.raw.frame.item(0, "seats") == "5"


def test_xlsx_typed_cells_parse(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    rows = [
        ["车辆识别代号", "排量", "出厂日期", "功率", "seized", "核定载客"],
        [VIN, 2000, dt.date(2024, 3, 5), 110.5, True, 5],
        ["X2", 1998.4, dt.datetime(2024, 3, 5, 13, 30), "n/a", "否", 5.0],
    ]
    parsed = load_vehicle_file(xlsx_file(tmp_path / "s.xlsx", rows))
    assert parsed.frame.select("displacement_ml", "factory_date", "power_kw", "seized", "seats").rows() == [
        (2000, dt.date(2024, 3, 5), Decimal("110.5"), True, 5),
        (None, dt.date(2024, 3, 5), None, False, 5),
    ]
    assert parsed.problems.select("row", "column", "value").rows() == [
        (3, "排量", "1998.4"),
        (3, "功率", "n/a"),
    ]


# --------------------------------------------------------------------------------------------
# Records


def test_parse_records_uses_the_same_parser(csv_bytes: Callable[..., bytes]) -> None:
    records = [
        {
            "车辆识别代号": "lvs hcamb1ce012345",
            "排量": 2000,
            "出厂日期": dt.date(2024, 3, 5),
            "查封扣押": False,
            "功率": Decimal("110.50"),
            "使用性质": "非营运",
            "客户": "A",
        },
        {
            "vin": "X2",
            "displacement_ml": "2",
            "factory_date": "2024年3月5日",
            "seized": None,
            "power_kw": 96.0,
        },
    ]
    parsed = parse_records(records)
    assert parsed.frame.get_column("row").to_list() == [1, 2]
    assert parsed.frame.select(
        "vin", "displacement_ml", "factory_date", "seized", "power_kw", "use_nature"
    ).rows() == [
        (VIN, 2000, dt.date(2024, 3, 5), False, Decimal("110.5"), "non_operating"),
        ("X2", None, dt.date(2024, 3, 5), None, Decimal("96"), None),
    ]
    assert parsed.frame.get_column("extra:客户").to_list() == ["A", None]
    assert parsed.problems.select("row", "column", "value").rows() == [(2, "排量", "2")]
    assert parse_records(records, first_row=2).frame.get_column("row").to_list() == [2, 3]


def test_parse_records_equals_csv(csv_bytes: Callable[..., bytes]) -> None:
    header = ["vin", "seats", "seized", "factory_date", "fuel", "destination"]
    rows = [[VIN, "5", "是", "2024-01-02", "纯电动", "ru"], ["X2", "x", None, "2024/1/2", "?", None]]
    from_csv = parse_vehicles(read_vehicle_bytes(csv_bytes(header, rows), "s.csv"))
    from_records = parse_records([dict(zip(header, row, strict=True)) for row in rows], first_row=2)
    assert from_records.frame.equals(from_csv.frame)
    assert from_records.problems.equals(from_csv.problems)


def test_parse_records_edge_cases() -> None:
    assert parse_records([]).frame.height == 0
    assert parse_records([{}]).frame.height == 1
    with pytest.raises(InputError, match="both mean vin"):
        parse_records([{"vin": "A", "车架号": "B"}])
    single = parse_records([{"vin": VIN, "seats": True}])
    assert single.problems.select("column", "value").rows() == [("seats", "true")]


def test_every_problem_row_is_in_invalid_rows() -> None:
    parsed = parse_records(
        [{"vin": "A", "seats": "x"}, {"vin": "B"}, {"vin": "C", "seized": "?", "seats": "y"}]
    )
    assert parsed.invalid_rows.to_list() == [1, 3]
    assert parsed.problems.get_column("row").to_list() == [1, 3, 3]
    assert parsed.frame.height == 3
    assert isinstance(parsed.invalid_rows, pl.Series)
