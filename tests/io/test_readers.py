"""Reading stock files: headers, encodings, delimiters, XLSX cells, damaged rows, junk files."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import polars as pl
import pytest

from chuhai.errors import InputError
from chuhai.io import readers
from chuhai.io.readers import VehicleFileError, read_vehicle_bytes, read_vehicle_file

VIN = "LVSHCAMB1CE012345"


def test_english_headers(csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(["vin", "brand", "seats"], [[VIN, "Toyota", "5"], ["LFV2A21K8C4012345", "VW", "7"]])
    raw = read_vehicle_bytes(data, "stock.csv")
    assert raw.frame.columns == ["row", "vin", "brand", "seats"]
    assert raw.frame.schema["row"] == pl.Int64
    assert all(raw.frame.schema[c] == pl.String for c in ("vin", "brand", "seats"))
    assert raw.frame.rows() == [(2, VIN, "Toyota", "5"), (3, "LFV2A21K8C4012345", "VW", "7")]
    assert raw.mapping == {"vin": "vin", "brand": "brand", "seats": "seats"}
    assert raw.headers == ["vin", "brand", "seats"]
    assert (raw.source_format, raw.encoding, raw.blank_rows_skipped, raw.header_row) == ("csv", "utf-8", 0, 1)


def test_chinese_headers_mixed_order_and_unknown_columns(csv_bytes: Callable[..., bytes]) -> None:
    header = ["备注", "燃料种类", "车辆识别代号", "客户", "出厂日期", "排量"]
    data = csv_bytes(header, [["急", "纯电动", VIN, "A公司", "2024-01-02", "0"]])
    raw = read_vehicle_bytes(data, "库存.csv")
    assert raw.frame.columns == ["row", "备注", "fuel", "vin", "客户", "factory_date", "displacement_ml"]
    assert raw.mapping == {
        "燃料种类": "fuel",
        "车辆识别代号": "vin",
        "出厂日期": "factory_date",
        "排量": "displacement_ml",
    }
    assert raw.headers == header
    assert raw.header_of("fuel") == "燃料种类"
    assert raw.header_of("客户") == "客户"
    assert raw.frame.row(0) == (2, "急", "纯电动", VIN, "A公司", "2024-01-02", "0")


def test_leading_zeros_and_text_are_kept(csv_bytes: Callable[..., bytes]) -> None:
    raw = read_vehicle_bytes(csv_bytes(["vin", "odometer_km", "备注"], [[VIN, "007", "0012"]]), "s.csv")
    assert raw.frame.row(0)[2:] == ("007", "0012")


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_encodings(csv_bytes: Callable[..., bytes], encoding: str, expected: str) -> None:
    data = csv_bytes(
        ["车辆识别代号", "机动车所有人", "使用性质"],
        [[VIN, "重庆某某二手车出口有限公司", "非营运"]],
        encoding=encoding,
    )
    if encoding == "utf-8-sig":
        assert data.startswith(b"\xef\xbb\xbf")
    raw = read_vehicle_bytes(data, "s.csv")
    assert raw.encoding == expected
    assert raw.frame.columns == ["row", "vin", "owner_name", "use_nature"]
    assert raw.frame.row(0) == (2, VIN, "重庆某某二手车出口有限公司", "非营运")


def test_gb18030_file_on_disk_with_ragged_row(tmp_path: Path, csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(
        ["车辆识别代号", "车辆品牌"], [[VIN, "丰田"]], encoding="gb18030"
    ) + "X1,本田,多余\r\n".encode("gb18030")
    path = tmp_path / "库存.csv"
    path.write_bytes(data)
    raw = read_vehicle_file(path)
    assert raw.encoding == "gb18030"
    assert raw.frame.rows() == [(2, VIN, "丰田"), (3, "X1", "本田")]
    assert raw.cell_problems.select("row", "column", "value").rows() == [(3, "(extra)", "多余")]


@pytest.mark.parametrize("delimiter", [";", "\t", ","])
def test_delimiters(csv_bytes: Callable[..., bytes], delimiter: str) -> None:
    data = csv_bytes(["vin", "brand", "power_kw"], [[VIN, "丰田", "110,5"]], delimiter=delimiter)
    raw = read_vehicle_bytes(data, "s.csv")
    assert raw.frame.row(0) == (2, VIN, "丰田", "110,5")


def test_cells_are_stripped_and_blank_is_null(csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(["vin", "brand", "seats"], [[f"  {VIN}\u3000", " \t ", "\xa05 "]])
    raw = read_vehicle_bytes(data, "s.csv")
    assert raw.frame.row(0) == (2, VIN, None, "5")


def test_quoted_empty_string_is_null() -> None:
    raw = read_vehicle_bytes(f'vin,seats,brand\n{VIN},"",""\n'.encode(), "s.csv")
    assert raw.frame.row(0) == (2, VIN, None, None)
    raw = read_vehicle_bytes(f'vin,seats,brand\n{VIN},"",""\n'.encode(), "s.csv", strip_typed=False)
    assert raw.frame.row(0) == (2, VIN, None, None)


def test_quoted_newline_is_one_record(csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(["vin", "备注"], [[VIN, "第一行\n第二行"], ["X2", "b"]])
    raw = read_vehicle_bytes(data, "s.csv")
    # Excel shows a quoted line break inside one cell, so the next record is row 3.
    assert raw.frame.rows() == [(2, VIN, "第一行\n第二行"), (3, "X2", "b")]


def test_blank_rows_skipped_and_counted_row_numbers_kept() -> None:
    text = f"vin,brand\n{VIN},a\n\n,\n  ,\u3000\nX2,b\n,\n,\n"
    raw = read_vehicle_bytes(text.encode(), "s.csv")
    assert raw.frame.get_column("row").to_list() == [2, 6]
    assert raw.frame.get_column("vin").to_list() == [VIN, "X2"]
    assert raw.blank_rows_skipped == 5


def test_blank_rows_with_unstripped_typed_cells() -> None:
    text = f"vin,seats,seized\n{VIN},5,否\n , ,\u3000\n,3,\n"
    raw = read_vehicle_bytes(text.encode(), "s.csv", strip_typed=False)
    assert raw.frame.get_column("row").to_list() == [2, 4]
    assert raw.blank_rows_skipped == 1


def test_ragged_rows_keep_every_record(csv_bytes: Callable[..., bytes]) -> None:
    text = f"vin,brand,seats\n{VIN},a,5,extra1,extra2\nX2\nX3,c,7,,\nX4,d,8\n"
    raw = read_vehicle_bytes(text.encode(), "s.csv")
    assert raw.frame.rows() == [
        (2, VIN, "a", "5"),
        (3, "X2", None, None),
        (4, "X3", "c", "7"),
        (5, "X4", "d", "8"),
    ]
    problems = raw.cell_problems
    assert problems.select("row", "column", "value").rows() == [(2, "(extra)", "extra1 | extra2")]
    assert "3 header columns" in problems.item(0, "expected_en")
    assert "3 столбцов заголовка" in problems.item(0, "expected_ru")
    assert "وعددها 3" in problems.item(0, "expected_ar")


def test_bad_quoting_is_read_line_by_line() -> None:
    text = f'vin,brand\n{VIN},"unclosed\nX2,b\nX3,"c"x\n'
    raw = read_vehicle_bytes(text.encode(), "s.csv")
    assert raw.frame.get_column("row").to_list() == [2, 3, 4]
    assert raw.frame.get_column("vin").to_list() == [VIN, "X2", "X3"]
    assert raw.cell_problems.select("row", "column").rows() == [(2, "(line)"), (4, "(line)")]


def test_title_rows_above_the_header_are_skipped() -> None:
    text = f"某某公司库存车辆明细,,\n,,\nvin,brand,seats\n{VIN},a,5\n"
    raw = read_vehicle_bytes(text.encode(), "s.csv")
    assert raw.header_row == 3
    assert raw.frame.rows() == [(4, VIN, "a", "5")]


def test_duplicate_unknown_headers_and_unnamed_columns() -> None:
    text = f"vin,备注,备注,,\n{VIN},a,b,c,\nX2,d,e,,\n"
    raw = read_vehicle_bytes(text.encode(), "s.csv")
    assert raw.frame.columns == ["row", "vin", "备注", "备注 (2)", "(column D)"]
    assert raw.headers == ["vin", "备注", "备注", "(column D)"]
    assert raw.columns["备注 (2)"] == "备注"
    assert raw.frame.row(0) == (2, VIN, "a", "b", "c")


def test_unknown_header_named_row_does_not_clash() -> None:
    raw = read_vehicle_bytes(f"row,vin\n7,{VIN}\n".encode(), "s.csv")
    assert raw.frame.columns == ["row", "row (2)", "vin"]
    assert raw.frame.row(0) == (2, "7", VIN)


def test_duplicate_canonical_header_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_vehicle_bytes(f"vin,brand,车辆品牌\n{VIN},a,b\n".encode(), "s.csv")
    message = str(caught.value)
    assert "'brand'" in message
    assert "'车辆品牌'" in message
    assert "s.csv" in message
    assert "车辆品牌" in caught.value.message_zh  # type: ignore[attr-defined]


def test_two_vin_columns_the_vin_shaped_one_is_used() -> None:
    data = f"车架号,品牌,车辆识别代号（VIN）\n012345,a,{VIN}\n,b,LFV2A21K8C4012345\n".encode()
    raw = read_vehicle_bytes(data, "s.csv")
    assert raw.mapping["车辆识别代号（VIN）"] == "vin"
    assert raw.frame.get_column("vin").to_list() == [VIN, "LFV2A21K8C4012345"]
    summary = raw.column_summary()
    assert summary["vin"] == {"header": "车辆识别代号（VIN）", "column": "C", "other_candidates": ["车架号"]}
    unused = summary["not_used"][0]
    assert (unused["header"], unused["column"], unused["field"]) == ("车架号", "A", None)
    assert "车辆识别代号（VIN）" in unused["note"]


def test_missing_vin_header_is_refused() -> None:
    with pytest.raises(InputError) as caught:
        read_vehicle_bytes("车牌号码,品牌\nX,a\n".encode(), "s.csv")
    message = str(caught.value)
    assert "'车牌号码'" in message
    assert "'品牌'" in message
    assert "车辆识别代号" in message
    assert "vin码" in message
    assert "\n" not in message


def test_xlsx_cells(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    rows = [
        ["库存明细", None, None, None, None, None],
        [None, None, None, None, None, None],
        ["车辆识别代号", "排量", "出厂日期", "功率", "seized", "备注"],
        [VIN, 2000, dt.date(2024, 3, 5), 110.5, True, "  x  "],
        ["X2", 1998.0, dt.datetime(2024, 3, 5, 13, 30), 96, False, 7],
        [None, None, None, None, None, None],
        ["X3", None, "2024年3月5日", None, None, None],
    ]
    path = xlsx_file(tmp_path / "stock.xlsx", rows)
    raw = read_vehicle_file(path)
    assert (raw.source_format, raw.encoding, raw.sheet, raw.header_row) == ("xlsx", None, "Sheet1", 3)
    assert raw.frame.columns == [
        "row",
        "vin",
        "displacement_ml",
        "factory_date",
        "power_kw",
        "seized",
        "备注",
    ]
    assert raw.frame.rows() == [
        (4, VIN, "2000", "2024-03-05", "110.5", "true", "x"),
        (5, "X2", "1998", "2024-03-05", "96", "false", "7"),
        (7, "X3", None, "2024年3月5日", None, None, None),
    ]
    assert raw.blank_rows_skipped == 1


def test_xlsx_sheet_selection_and_bytes(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    path = xlsx_file(
        tmp_path / "s.xlsx", [["说明"], ["请看第二页"]], sheet="说明", extra_sheets={"库存": [["vin"], [VIN]]}
    )
    raw = read_vehicle_bytes(path.read_bytes(), "s.xlsx", sheet="库存")
    assert raw.sheet == "库存"
    assert raw.frame.rows() == [(2, VIN)]
    with pytest.raises(InputError, match="no worksheet named '库房'"):
        read_vehicle_file(path, sheet="库房")
    with pytest.raises(InputError, match="no VIN column"):
        read_vehicle_file(path, sheet="说明")
    # Without --sheet every sheet with a VIN column is read; the others are reported.
    every = read_vehicle_file(path)
    assert (every.sheet, every.frame.rows()) == ("库存", [(2, VIN)])
    assert [s.as_dict() for s in every.sheets] == [
        {"name": "说明", "read": False, "rows": 0, "reason": "no VIN column"},
        {"name": "库存", "read": True, "rows": 1, "reason": None},
    ]


def test_xlsx_trailing_formatted_rows_are_blank(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    path = xlsx_file(tmp_path / "s.xlsx", [["vin", "seats"], [VIN, 5], *[["", ""]] * 50])
    raw = read_vehicle_file(path, strip_typed=False)
    assert raw.frame.rows() == [(2, VIN, "5")]


# --------------------------------------------------------------------------------------------
# Whole-file failures: one clear InputError line, never a library exception.


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _valid_xlsx(tmp_path: Path, xlsx_file: Callable[..., Path]) -> bytes:
    return xlsx_file(tmp_path / "ok.xlsx", [["vin"], [VIN]]).read_bytes()


JUNK: dict[str, tuple[str, bytes, str]] = {
    "empty": ("s.csv", b"", "empty"),
    "whitespace": ("s.csv", b"  \r\n\r\n \t", "empty"),
    "random bytes": ("s.csv", bytes(range(256)) * 4, "binary"),
    "random bytes as xlsx": ("s.xlsx", bytes(reversed(range(256))) * 4, "not an XLSX"),
    "html as xlsx": ("s.xlsx", b"<html><body><table><tr><td>vin</td></tr></table></body></html>", "HTML"),
    "text as xlsx": ("s.xlsx", b"vin\nX\n", "not an XLSX"),
    "ole2 xls": ("s.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "cannot be read"),
    "latin-1 text": ("s.csv", b"vin,brand\n\xff\xfe\xfa\xff,x\n\xff\xfa,y\n", "from line 2 on"),
    "zip not a workbook": ("s.xlsx", _zip_bytes({"hello.txt": b"hi"}), "not a workbook"),
    "odf not a spreadsheet": (
        "s.ods",
        _zip_bytes({"content.xml": b"<x/>", "mimetype": b"application/vnd.oasis.opendocument.text"}),
        "OpenDocument file but not a spreadsheet",
    ),
    "workbook xml garbage": (
        "s.xlsx",
        _zip_bytes({"xl/workbook.xml": b"<<<", "[Content_Types].xml": b"?"}),
        "",
    ),
    "header only of zip": ("s.xlsx", b"PK\x03\x04" + b"\x00" * 40, "damaged or truncated"),
}


@pytest.mark.parametrize("case", sorted(JUNK))
def test_junk_files_raise_input_error(case: str) -> None:
    filename, data, fragment = JUNK[case]
    with pytest.raises(InputError) as caught:
        read_vehicle_bytes(data, filename)
    message = str(caught.value)
    assert fragment in message
    assert message.startswith(filename)
    assert "\n" not in message
    assert "Traceback" not in message


def test_truncated_xlsx(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    data = _valid_xlsx(tmp_path, xlsx_file)
    for cut in (len(data) // 3, len(data) // 2, len(data) - 30):
        with pytest.raises(InputError, match=r"^s\.xlsx: "):
            read_vehicle_bytes(data[:cut], "s.xlsx")


def test_corrupted_sheet_xml(tmp_path: Path, xlsx_file: Callable[..., Path]) -> None:
    data = _valid_xlsx(tmp_path, xlsx_file)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {m.filename: source.read(m) for m in source.infolist()}
    members["xl/worksheets/sheet1.xml"] = b"<worksheet><sheetData><row><c><v>1</c></row>"
    with pytest.raises(InputError, match=r"^s\.xlsx: the XLSX workbook cannot be read"):
        read_vehicle_bytes(_zip_bytes(members), "s.xlsx")


def test_zip_bomb_is_refused(
    tmp_path: Path, xlsx_file: Callable[..., Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = _valid_xlsx(tmp_path, xlsx_file)
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {m.filename: source.read(m) for m in source.infolist()}
    members["xl/media/padding.bin"] = b"\0" * (40 << 20)  # 40 MiB of zeros deflate ~1000:1
    bomb = _zip_bytes(members)
    assert len(bomb) < 200_000
    with pytest.raises(InputError, match="zip bomb"):
        read_vehicle_bytes(bomb, "s.xlsx")
    # The declared total size is checked too.
    monkeypatch.setattr(readers, "MAX_XLSX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(InputError, match="zip bomb"):
        read_vehicle_bytes(data, "s.xlsx")


def test_file_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(readers, "MAX_FILE_BYTES", 10)
    path = tmp_path / "big.csv"
    path.write_bytes(b"vin\n" + b"X\n" * 20)
    with pytest.raises(InputError, match="limit"):
        read_vehicle_file(path)
    with pytest.raises(InputError, match="limit"):
        read_vehicle_bytes(path.read_bytes(), "big.csv")


def test_unreadable_paths(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot be read"):
        read_vehicle_file(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="cannot be read"):
        read_vehicle_file(tmp_path)


def test_error_is_bilingual() -> None:
    with pytest.raises(VehicleFileError) as caught:
        read_vehicle_bytes(b"", "s.csv")
    assert caught.value.message_zh == "s.csv：文件为空"
    assert caught.value.code == "input_unreadable"


def test_file_and_bytes_read_the_same(tmp_path: Path, csv_bytes: Callable[..., bytes]) -> None:
    data = csv_bytes(["车辆识别代号", "备注"], [[VIN, " a "], [None, None], ["X", "b"]], encoding="utf-8-sig")
    path = tmp_path / "s.csv"
    path.write_bytes(data)
    from_file, from_bytes = read_vehicle_file(path), read_vehicle_bytes(data, "s.csv")
    assert from_file.frame.equals(from_bytes.frame)
    assert (from_file.encoding, from_file.blank_rows_skipped) == (
        from_bytes.encoding,
        from_bytes.blank_rows_skipped,
    )


def test_glob_characters_in_file_name(tmp_path: Path) -> None:
    path = tmp_path / "库存[1]*.csv"
    path.write_bytes(f"vin\n{VIN}\n".encode())
    assert read_vehicle_file(path).frame.rows() == [(2, VIN)]


def test_semicolon_file_with_a_title_row() -> None:
    raw = read_vehicle_bytes(f"库存明细\nvin;brand\n{VIN};a,b\n".encode(), "s.csv")
    assert raw.frame.rows() == [(3, VIN, "a,b")]


def test_classic_mac_line_ends() -> None:
    raw = read_vehicle_bytes(f"vin,brand\r{VIN},a\rX2,b\r".encode(), "s.csv")
    assert raw.frame.rows() == [(2, VIN, "a"), (3, "X2", "b")]
