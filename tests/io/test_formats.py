"""Issue 9, items 2 and 6: every column accounted for, and every format a clerk really saves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest

from chuhai import schema
from chuhai.io.parse import load_vehicle_bytes, load_vehicle_file
from chuhai.io.readers import VehicleFileError, read_vehicle_bytes

VIN = "LVSHCAMB1CE012345"
CORPUS = Path(__file__).parent / "corpus" / "files"


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("是否查封", "seized"),
        ("抵押状态", "encumbrance"),
        ("上牌日期", "registration_date"),
        ("登记日期", "registration_date"),
        ("车主", "owner_name"),
        ("车架号", "vin"),
        ("VIN码", "vin"),
        ("车辆识别代码", "vin"),
        ("车辆识别代号（VIN）", "vin"),
        ("*车辆识别代号", "vin"),
        ("车辆识别\n代号", "vin"),
        ("车辆识别代号 (必填)", "vin"),
        ("　排量【ml】", "displacement_ml"),
        ("是否查封：", "seized"),
    ],
)
def test_header_spellings(header: str, column: str) -> None:
    assert schema.canonical_header(header) == column


def test_header_spellings_are_data_beside_the_schema() -> None:
    text = (Path(schema.__file__).parent / "schema_data" / "headers.yaml").read_text(encoding="utf-8")
    assert "是否查封" in text
    assert "抵押状态" in text


def test_unrecognised_header_is_reported_with_what_it_resembles() -> None:
    data = f"车辆识别代号,是否被查封扣押过,里程（万公里）,客户\n{VIN},是,3.2,A\n".encode()
    parsed = load_vehicle_bytes(data, "s.csv")
    summary = parsed.raw.column_summary()
    assert [u["header"] for u in summary["used"]] == ["车辆识别代号"]
    assert [(u["column"], u["header"], u["probably"]) for u in summary["not_used"]] == [
        ("B", "是否被查封扣押过", "seized"),
        ("C", "里程（万公里）", "odometer_km"),
        ("D", "客户", None),
    ]
    # A column not used is not read as anything: the seized cell "是" never becomes a fact.
    assert parsed.frame.get_column("extra:是否被查封扣押过").to_list() == ["是"]
    assert parsed.frame.get_column("odometer_km").to_list() == [None]


def test_header_unit_is_recorded() -> None:
    raw = read_vehicle_bytes(f"vin,排量（L）,功率(马力)\n{VIN},2.0,150\n".encode(), "s.csv")
    assert raw.units == {"displacement_ml": "litre", "power_kw": "ps"}
    assert raw.column_summary()["used"][1] == {
        "column": "B",
        "header": "排量（L）",
        "field": "displacement_ml",
        "unit": "litre",
        "probably": None,
        "note": None,
    }


def test_no_vin_column_names_the_resembling_header() -> None:
    with pytest.raises(VehicleFileError) as caught:
        read_vehicle_bytes("车辆识别代号后六位,品牌\n012345,a\n".encode(), "s.csv")
    assert "'车辆识别代号后六位' looks like a VIN column" in str(caught.value)
    assert "车辆识别代号后六位" in caught.value.text("zh")
    assert caught.value.text("ru").startswith("s.csv: нет столбца VIN")
    assert caught.value.text("ar").startswith("s.csv: لا يوجد عمود")


@pytest.mark.parametrize(
    ("name", "source_format", "encoding"),
    [
        ("plain.xlsx", "xlsx", None),
        ("plain.xls", "xls", None),
        ("plain.ods", "ods", None),
        ("utf16-unicode-text.txt", "csv", "utf-16"),
        ("gb18030.csv", "csv", "gb18030"),
        ("cp936-euro.csv", "csv", "cp936"),
    ],
)
def test_formats_are_read(name: str, source_format: str, encoding: str | None) -> None:
    parsed = load_vehicle_file(CORPUS / name)
    assert (parsed.raw.source_format, parsed.raw.encoding) == (source_format, encoding)
    assert parsed.problems.height == 0
    assert parsed.frame.get_column("vin").head(2).to_list() == [VIN, "LFV2A21K8C4012345"]
    assert parsed.frame.get_column("brand").to_list()[0] == "丰田"
    assert parsed.frame.get_column("displacement_ml").to_list()[0] == 1998
    if name == "cp936-euro.csv":
        assert parsed.frame.get_column("extra:备注").to_list()[0] == "报价 €12000"


def test_same_vehicles_from_every_format() -> None:
    frames = [
        load_vehicle_file(CORPUS / n).frame.drop("row") for n in ("plain.xlsx", "plain.xls", "plain.ods")
    ]
    csv_frame = load_vehicle_file(CORPUS / "gb18030.csv").frame.drop("row")
    for frame in frames:
        assert frame.equals(csv_frame)


def test_one_undecodable_byte_is_that_rows_finding() -> None:
    parsed = load_vehicle_file(CORPUS / "gb18030-one-bad-byte.csv")
    assert parsed.frame.height == 4
    problems = parsed.problems.select("row", "column", "value", "expected_en").rows()
    assert problems == [
        (
            4,
            "车辆型号",
            "GTM\ufffd202",
            "text readable as gb18030 (the cell holds bytes that cannot be decoded)",
        )
    ]
    assert parsed.invalid_rows.to_list() == [4]


def test_utf8_with_one_bad_byte() -> None:
    good = "".join(f"LFV2A21K8C40{i:05d},丰田\n" for i in range(60))
    data = f"vin,brand\n{good}LFV2A21K8C4012345,".encode() + b"a\xffb\n"
    parsed = load_vehicle_bytes(data, "s.csv")
    assert parsed.raw.encoding == "utf-8"
    assert parsed.problems.select("row", "column").rows() == [(62, "brand")]
    assert parsed.frame.get_column("brand")[0] == "丰田"


def test_whole_file_encoding_error_names_the_line_in_each_language() -> None:
    data = b"vin,brand\n\xff\xfe\xfa,x\n\xff\xfa,y\n"
    with pytest.raises(VehicleFileError) as caught:
        read_vehicle_bytes(data, "s.csv")
    assert "from line 2 on" in str(caught.value)
    assert "offset" not in str(caught.value)
    assert "第 2 行" in caught.value.text("zh")
    assert "строки 2" in caught.value.text("ru")
    assert "2" in caught.value.text("ar")


def test_password_protected_ole_file() -> None:
    data = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 100
        + "EncryptionInfo".encode("utf-16-le")
        + b"\x00" * 400
    )
    with pytest.raises(VehicleFileError, match="password-protected"):
        read_vehicle_bytes(data, "s.xlsx")


def test_cli_shows_the_columns_and_speaks_the_chosen_language(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from chuhai.cli import main

    demo = Path(__file__).parents[2] / "demo"
    stock = tmp_path / "stock.csv"
    stock.write_text(f"车架号,是否被查封扣押过\n{VIN},是\n", encoding="utf-8")
    runner = CliRunner()
    args = ["screen", str(stock), "--exporter", str(demo / "exporter.yaml"), "--as-of", "2026-12-01"]
    table = runner.invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "车架号 → vin" in table.stderr
    assert "column not used:" in table.stderr
    assert "probably means seized" in table.stderr
    document = json.loads(runner.invoke(main, [*args, "--format", "json"]).stdout)
    assert document["columns"]["not_used"][0]["probably"] == "seized"
    bad = tmp_path / "bad.csv"
    bad.write_text("车牌号码\nX\n", encoding="utf-8")
    refused = runner.invoke(
        main, ["screen", str(bad), "--exporter", str(demo / "exporter.yaml"), "--lang", "zh"]
    )
    assert refused.exit_code == 2
    assert "没有车辆识别代号列" in refused.stderr


# Items 3 and 4: Excel error cells; units and spellings; numbers where text or dates belong.


@pytest.mark.parametrize("name", ["error-cells.xlsx", "error-cells.xls", "error-cells.ods"])
def test_excel_error_cells_are_invalid_never_empty(name: str) -> None:
    parsed = load_vehicle_file(CORPUS / name)
    problems = parsed.problems.select("row", "column", "value", "expected_en").rows()
    assert problems == [
        (2, "是否查封", "#N/A", "a value, not the Excel error #N/A (a formula that failed)"),
        (3, "车主", "#REF!", "a value, not the Excel error #REF! (a formula that failed)"),
        (4, "是否查封", "#DIV/0!", "a value, not the Excel error #DIV/0! (a formula that failed)"),
        (4, "车主", "#VALUE!", "a value, not the Excel error #VALUE! (a formula that failed)"),
        (5, "是否查封", "#NAME?", "a value, not the Excel error #NAME? (a formula that failed)"),
    ]
    assert parsed.invalid_rows.to_list() == [2, 3, 4, 5]
    # The error is never read as a value: seized stays unknown where the cell held an error.
    assert parsed.frame.get_column("seized").to_list()[0] is None


def test_error_text_in_a_csv_column_that_is_read() -> None:
    parsed = load_vehicle_bytes(f"vin,车主,备注\n{VIN},#N/A,#N/A\n".encode(), "s.csv")
    assert parsed.problems.select("row", "column", "value").rows() == [(2, "车主", "#N/A")]


def test_numbers_dates_and_units_in_a_workbook() -> None:
    parsed = load_vehicle_file(CORPUS / "numbers-and-spellings.xlsx")
    frame = parsed.frame
    assert frame.get_column("factory_date").to_list() == [dt.date(2020, 3, 5)] * 4
    assert frame.get_column("registration_date").to_list() == [dt.date(2020, 4, 1)] * 4
    assert frame.get_column("displacement_ml").to_list() == [2000, 1500, 1598, None]
    assert frame.get_column("power_kw").to_list() == [Decimal("110"), Decimal("110.325"), Decimal("96"), None]
    problems = parsed.problems.select("row", "column", "value").rows()
    assert problems == [(3, "车辆识别代号", "12345678901234500"), (5, "排量", "2"), (5, "功率", "150hp")]
    vin_problem = parsed.problems.row(0, named=True)
    assert "Excel turned it into a number" in vin_problem["expected_en"]
    assert "文本" in vin_problem["expected_zh"]


def test_serial_numbers_in_a_1904_workbook() -> None:
    assert load_vehicle_file(CORPUS / "date1904.xlsx").frame.get_column("factory_date").to_list() == [
        dt.date(2020, 3, 5)
    ]


def test_erp_formula_text_and_scientific_vins_in_csv() -> None:
    parsed = load_vehicle_file(CORPUS / "erp-formula-text.csv")
    assert parsed.frame.get_column("vin").to_list() == [VIN, "1.23457E+16"]
    assert parsed.frame.get_column("brand").to_list() == ["0012", "丰田"]
    assert parsed.problems.select("row", "column", "value").rows() == [(3, "车辆识别代号", "1.23457E+16")]


def test_number_text_under_a_date_header_in_csv_is_not_a_serial() -> None:
    parsed = load_vehicle_bytes(f"vin,出厂日期\n{VIN},43895\n".encode(), "s.csv")
    assert parsed.frame.get_column("factory_date").to_list() == [None]
    assert parsed.problems.get_column("value").to_list() == ["43895"]


# Item 7: workbooks.


@pytest.mark.parametrize("name", ["two-sheets.xlsx", "two-sheets.ods"])
def test_every_sheet_with_a_vin_column_is_read(name: str) -> None:
    parsed = load_vehicle_file(CORPUS / name)
    raw = parsed.raw
    assert parsed.frame.height == 6
    assert [raw.row_reference(r) for r in parsed.frame.get_column("row")] == [
        "库存1!2",
        "库存1!3",
        "库存1!4",
        "库存2!2",
        "库存2!3",
        "库存2!4",
    ]
    assert parsed.frame.get_column("extra:(sheet)").to_list() == ["库存1"] * 3 + ["库存2"] * 3
    assert [(s.name, s.read, s.rows, s.reason) for s in raw.sheets] == [
        ("说明", False, 0, "no VIN column"),
        ("库存1", True, 3, None),
        ("库存2", True, 3, None),
    ]
    only = load_vehicle_file(CORPUS / name, sheet="库存2")
    assert only.frame.get_column("row").to_list() == [2, 3, 4]
    assert only.frame.get_column("vin").to_list() == parsed.frame.get_column("vin").to_list()[3:]


def test_hidden_first_sheet_is_reported_not_read() -> None:
    raw = load_vehicle_file(CORPUS / "hidden-first-sheet.xlsx").raw
    assert raw.frame.height == 4
    assert raw.sheets[0].as_dict() == {
        "name": "字典",
        "read": False,
        "rows": 0,
        "reason": "hidden (name it with --sheet to read it)",
    }
    assert load_vehicle_file(CORPUS / "hidden-first-sheet.xlsx", sheet="字典").frame.height == 1


def test_two_row_merged_header() -> None:
    parsed = load_vehicle_file(CORPUS / "merged-two-row-header.xlsx")
    assert parsed.raw.mapping == {
        "车辆识别代号": "vin",
        "车辆品牌": "brand",
        "车辆型号": "model",
        "排量": "displacement_ml",
        "功率": "power_kw",
        "注册登记日期": "registration_date",
    }
    assert parsed.frame.get_column("row").to_list() == [4, 5, 6]
    assert parsed.frame.get_column("displacement_ml").to_list() == [1998] * 3
    assert [(r.row, r.kind) for r in parsed.raw.non_vehicle_rows] == [(3, "header")]
    assert parsed.problems.height == 0


@pytest.mark.parametrize("name", ["totals-and-repeated-header.xlsx", "totals-and-repeated-header.csv"])
def test_totals_and_repeated_header_are_not_vehicles(name: str) -> None:
    parsed = load_vehicle_file(CORPUS / name)
    assert parsed.frame.get_column("row").to_list() == [2, 3, 4, 6, 7]
    assert parsed.problems.height == 0
    summary = parsed.raw.row_summary()
    assert [(r["row"], r["kind"]) for r in summary["non_vehicle_rows"]] == [(5, "header"), (9, "totals")]
    assert summary["non_vehicle_rows"][1]["text"].startswith("合计：5辆")
    assert summary["blank_rows_skipped"] == 1


def test_cli_names_the_sheet_in_row_references(tmp_path: Path) -> None:
    import json

    from click.testing import CliRunner

    from chuhai.cli import main

    demo = Path(__file__).parents[2] / "demo"
    args = ["screen", str(CORPUS / "two-sheets.xlsx"), "--exporter", str(demo / "exporter.yaml")]
    result = CliRunner().invoke(main, [*args, "--as-of", "2026-12-01"])
    assert result.exit_code == 0, result.output
    assert "库存2!4" in result.stdout
    assert "sheet '说明': not read: no VIN column" in result.stderr
    document = json.loads(CliRunner().invoke(main, [*args, "--format", "json"]).stdout)
    assert [(v["sheet"], v["sheet_row"]) for v in document["vehicles"]][3] == ("库存2", 2)
    planned = CliRunner().invoke(main, ["plan", *args[1:], "--sheet", "库存1", "--format", "json"])
    assert planned.exit_code == 0, planned.output


# Item 9: bounded resources; NUL bytes and over-long cells.


def test_nul_byte_is_that_rows_finding() -> None:
    data = f"vin,车主,备注\n{VIN},A\x00B,x\nLFV2A21K8C4012345,C,y\n".encode()
    parsed = load_vehicle_bytes(data, "s.csv")
    assert parsed.frame.height == 2
    assert parsed.problems.select("row", "column", "value", "expected_en").rows() == [
        (2, "车主", "A\u2400B", "text without NUL characters (␀)")
    ]
    assert parsed.frame.get_column("owner_name").to_list() == ["A\ufffdB", "C"]
    assert "\x00" not in parsed.raw.frame.get_column("owner_name").str.join("").item()


def test_over_long_cells_are_findings_and_cut() -> None:
    long_brand, long_note = "丰" * 101, "x" * 1500
    parsed = load_vehicle_bytes(f"vin,品牌,备注\n{VIN},{long_brand},{long_note}\n".encode(), "s.csv")
    assert parsed.problems.select("row", "column", "expected_en").rows() == [
        (2, "品牌", "text of at most 100 characters"),
        (2, "备注", "text of at most 1000 characters"),
    ]
    assert parsed.frame.get_column("brand").str.len_chars().to_list() == [100]
    assert parsed.frame.get_column("extra:备注").str.len_chars().to_list() == [1000]


def test_row_budget(tmp_path: Path) -> None:
    from chuhai.io.readers import ReadLimits

    data = "vin\n" + "".join(f"LFV2A21K8C40{i:05d}\n" for i in range(5))
    limits = ReadLimits(max_rows=4)
    with pytest.raises(VehicleFileError, match="more than 4 rows below the header"):
        read_vehicle_bytes(data.encode(), "s.csv", limits=limits)
    assert read_vehicle_bytes(data.encode(), "s.csv", limits=ReadLimits(max_rows=5)).frame.height == 5
    from tests.io.corpus.make_corpus import big_xlsx

    path = big_xlsx(tmp_path / "big.xlsx", 50)
    with pytest.raises(VehicleFileError, match="more than 40 rows") as caught:
        load_vehicle_file(path, limits=ReadLimits(max_rows=40))
    assert "行数上限" in caught.value.text("zh")
    assert load_vehicle_file(path, limits=ReadLimits(max_rows=50)).frame.height == 50


def test_memory_budget_refuses_before_reading(tmp_path: Path) -> None:
    from chuhai.io.readers import ReadLimits
    from tests.io.corpus.make_corpus import big_xlsx

    path = big_xlsx(tmp_path / "big.xlsx", 20_000)
    with pytest.raises(VehicleFileError, match="memory budget") as caught:
        load_vehicle_file(path, limits=ReadLimits(max_memory=8 << 20))
    assert "--max-memory" in str(caught.value)
    assert load_vehicle_file(path, limits=ReadLimits(max_memory=200 << 20)).frame.height == 20_000
    csv_path = tmp_path / "big.csv"
    csv_path.write_text("vin\n" + f"{VIN}\n" * 100_000, encoding="utf-8")
    with pytest.raises(VehicleFileError, match="memory budget"):
        load_vehicle_file(csv_path, limits=ReadLimits(max_memory=1 << 20))


def test_cli_budget_options(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chuhai.cli import main

    demo = Path(__file__).parents[2] / "demo"
    stock = tmp_path / "s.csv"
    stock.write_text("vin\n" + f"{VIN}\n" * 3, encoding="utf-8")
    args = ["screen", str(stock), "--exporter", str(demo / "exporter.yaml"), "--lang", "en"]
    refused = CliRunner().invoke(main, [*args, "--max-rows", "2"])
    assert refused.exit_code == 2
    assert "more than 2 rows below the header" in refused.stderr
    refused = CliRunner().invoke(main, [*args, "--max-memory", "100"])
    assert refused.exit_code == 2
    assert "memory budget" in refused.stderr
    assert CliRunner().invoke(main, [*args, "--max-rows", "3", "--max-memory", "1G"]).exit_code == 0
    bad = CliRunner().invoke(main, [*args, "--max-memory", "lots"])
    assert bad.exit_code == 2
    assert "not a size" in bad.output


def test_csv_output_of_several_sheets_names_sheet_and_row(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from chuhai.cli import main

    demo = Path(__file__).parents[2] / "demo"
    out = tmp_path / "out.csv"
    args = ["screen", str(CORPUS / "two-sheets.xlsx"), "--exporter", str(demo / "exporter.yaml")]
    result = CliRunner().invoke(main, [*args, "--format", "csv", "--output", str(out)])
    assert result.exit_code == 0, result.output
    import csv

    records = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines(keepends=True)))
    assert records[0][:3] == ["row", "(sheet)", "车辆识别代号"]
    assert [r[:2] for r in records[1:]] == [[str(n), s] for s in ("库存1", "库存2") for n in (2, 3, 4)]
