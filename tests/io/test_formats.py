"""Issue 9, items 2 and 6: every column accounted for, and every format a clerk really saves."""

from __future__ import annotations

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
