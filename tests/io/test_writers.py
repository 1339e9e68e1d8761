"""Writing results: CSV that Chinese Excel opens, XLSX with types, and no formula anywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from pathlib import Path

import openpyxl
import polars as pl
import pytest

from chuhai.io import writers
from chuhai.io.writers import (
    FORMULA_TRIGGERS,
    safe_text,
    sanitise_frame,
    write_results_csv,
    write_results_xlsx,
)

ATTACKS = [
    '=HYPERLINK("http://evil","x")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋A1",
    "－A1",
    "-1+2",
    "＠A1",
    "=cmd|' /C calc'!A0",
]


def results_frame() -> pl.DataFrame:
    n = len(ATTACKS)
    return pl.DataFrame(
        {
            "row": list(range(2, n + 2)),
            "vin": ATTACKS,
            "=bad header": ["ok"] * n,
            "verdict": ["eligible", "blocked", *(["invalid"] * (n - 2))],
            "seats": [-5, *range(1, n)],
            "power_kw": pl.Series([Decimal("110.5")] * n, dtype=pl.Decimal(18, 3)),
            "factory_date": [dt.date(2024, 3, 5)] * n,
            "seized": [True, False, *([None] * (n - 2))],
            "owner_name": ["重庆某某二手车出口有限公司", None, *(["-"] * (n - 2))],
            "big": [2**60] * n,
            "findings": [["vin.check_digit", "=x"]] * n,
            "kind": pl.Series(["a"] * n, dtype=pl.Categorical),
        }
    )


PLAIN_NUMBERS = ["-5", "+8613812345678", "－1", "＋1", "-1,598", "-2.5", "+1e3", "-.5"]


def is_formula_like(text: str) -> bool:
    return bool(text) and text[0] in FORMULA_TRIGGERS and text not in PLAIN_NUMBERS


def test_safe_text() -> None:
    for attack in ATTACKS:
        assert safe_text(attack) == "'" + attack
    for harmless in ("LVSHCAMB1CE012345", "重庆", "'=already quoted", "", "1-2", "a=b", "\n=x"):
        assert safe_text(harmless) == harmless
    # A plain number keeps its sign: a spreadsheet reads it as a number, it cannot run as a formula.
    for number in PLAIN_NUMBERS:
        assert safe_text(number) == number


def test_sanitise_frame_leaves_plain_numbers_unquoted() -> None:
    frame = sanitise_frame(pl.DataFrame({"v": [*PLAIN_NUMBERS, "-A1", "=1"]}))
    assert frame.get_column("v").to_list() == [*PLAIN_NUMBERS, "'-A1", "'=1"]


def test_sanitise_frame_is_vectorised_twin_of_safe_text() -> None:
    frame = sanitise_frame(results_frame())
    assert frame.get_column("vin").to_list() == [safe_text(a) for a in ATTACKS]
    assert "'=bad header" in frame.columns
    assert frame.get_column("seats").to_list()[0] == -5  # numbers stay numbers
    assert frame.get_column("findings").to_list()[0] == "vin.check_digit; =x"
    with pytest.raises(TypeError, match="cannot be written"):
        sanitise_frame(pl.DataFrame({"s": [{"a": 1}]}))


def test_csv_utf8_bom_no_formula(tmp_path: Path) -> None:
    path = tmp_path / "results.csv"
    write_results_csv(path, results_frame())
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    header, body = rows[0], rows[1:]
    assert header[2] == "'=bad header"
    assert len(body) == len(ATTACKS)
    vin_column = [row[1] for row in body]
    assert vin_column == ["'" + a for a in ATTACKS]
    for row in rows:
        for index, cell in enumerate(row):
            if index == header.index("seats"):
                continue  # a negative number is a number, not a formula
            assert not is_formula_like(cell), cell
    assert body[0][header.index("seats")] == "-5"
    assert body[0][header.index("factory_date")] == "2024-03-05"
    assert body[0][header.index("owner_name")] == "重庆某某二手车出口有限公司"
    assert body[2][header.index("owner_name")] == "'-"
    assert body[0][header.index("big")] == str(2**60)


def test_csv_gb18030_and_streams(tmp_path: Path) -> None:
    frame = pl.DataFrame({"vin": ["=1", "LVS"], "机动车所有人": ["重庆某某", "𠀀"]})
    path = tmp_path / "r.csv"
    write_results_csv(path, frame, encoding="gb18030")
    text = path.read_bytes().decode("gb18030")
    assert text.splitlines() == ["vin,机动车所有人", "'=1,重庆某某", "LVS,𠀀"]

    binary = io.BytesIO()
    write_results_csv(binary, frame)
    assert binary.getvalue().decode("utf-8-sig").splitlines()[1] == "'=1,重庆某某"

    textual = io.StringIO()
    write_results_csv(textual, frame)
    assert textual.getvalue().startswith("\ufeffvin,")

    with pytest.raises(ValueError, match="encoding"):
        write_results_csv(io.BytesIO(), frame, encoding="latin-1")  # type: ignore[arg-type]


def test_xlsx_no_formula_types_and_layout(tmp_path: Path) -> None:
    path = tmp_path / "results.xlsx"
    findings = pl.DataFrame({"row": [2], "rule": ["=evil()"], "message_zh": ["车辆识别代号校验位错误"]})
    write_results_xlsx(path, results_frame(), extra_sheets={"findings": findings})
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["results", "findings"]
    sheet = workbook["results"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold
    assert sheet.auto_filter.ref is not None
    header = [cell.value for cell in sheet[1]]
    assert header[2] == "'=bad header"
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if isinstance(cell.value, str):
                assert not is_formula_like(cell.value), (cell.coordinate, cell.value)
    values = {name: sheet.cell(row=2, column=index + 1).value for index, name in enumerate(header)}
    assert values["vin"] == "'" + ATTACKS[0]
    assert values["seats"] == -5
    assert values["power_kw"] == 110.5
    assert values["factory_date"] == dt.datetime(2024, 3, 5)
    assert values["seized"] is True
    assert values["big"] == str(2**60)  # beyond 2**53: text, so no digit is lost
    assert values["findings"] == "vin.check_digit; =x"
    assert sheet.cell(row=3, column=header.index("owner_name") + 1).value is None
    width = sheet.column_dimensions["I"].width  # owner_name: 13 CJK characters, double width
    assert width is not None
    assert width >= 26
    assert workbook["findings"]["B2"].value == "'=evil()"


def test_xlsx_long_frames_continue_on_new_sheets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(writers, "EXCEL_MAX_ROWS", 4)  # header + 3 rows per sheet
    path = tmp_path / "long.xlsx"
    write_results_xlsx(path, pl.DataFrame({"n": list(range(8))}), sheet_name="结果/2026:*")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["结果_2026__", "结果_2026__ (2)", "结果_2026__ (3)"]
    values = [c.value for name in workbook.sheetnames for (c,) in workbook[name].iter_rows(min_row=2)]
    assert values == list(range(8))


def test_xlsx_to_stream_and_empty_frame() -> None:
    buffer = io.BytesIO()
    write_results_xlsx(
        buffer, pl.DataFrame({"vin": [], "verdict": []}, schema={"vin": pl.String, "verdict": pl.String})
    )
    workbook = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    assert [c.value for c in workbook.active[1]] == ["vin", "verdict"]
