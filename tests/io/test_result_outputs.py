"""Outputs people open (issue 9, item 10): the XLSX keeps row, VIN and verdict in view, wraps the
findings with rows tall enough for every line, types numbers and dates; CSV in GB18030 on request."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import polars as pl
from click.testing import CliRunner

from chuhai.cli import main
from chuhai.io import writers

ROOT = Path(__file__).resolve().parents[2]
DEMO = ["--exporter", str(ROOT / "demo" / "exporter.yaml"), "--as-of", "2026-11-22"]


def _stock(tmp_path: Path) -> Path:
    """The demo file with an unreadable displacement on its first car and a € in an extra column."""
    lines = (ROOT / "demo" / "stock.csv").read_text(encoding="utf-8-sig").splitlines()
    header = lines[0].split(",")
    first = lines[1].split(",")
    first[header.index("排量")] = "约两千"
    path = tmp_path / "stock.csv"
    rows = [",".join([*header, "备注"]), ",".join([*first, "€ 报价"]), *(line + "," for line in lines[2:6])]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_the_xlsx_result_freezes_vin_and_verdict_wraps_findings_and_types_cells(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    result = CliRunner().invoke(
        main, ["screen", str(_stock(tmp_path)), *DEMO, "--format", "xlsx", "--output", str(out)]
    )
    assert result.exit_code in (0, 1), result.output
    sheet = openpyxl.load_workbook(out).active
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["row", "车辆识别代号", "筛查结论 verdict"]
    assert sheet.freeze_panes == "D2"
    column = {name: index + 1 for index, name in enumerate(header)}
    # typed: numbers and dates the parser read; the unreadable cell stays the text the user wrote
    assert sheet.cell(2, column["排量"]).value == "约两千"
    assert sheet.cell(3, column["排量"]).value == 1498
    assert sheet.cell(3, column["排量"]).data_type == "n"
    assert sheet.cell(2, column["出厂日期"]).value == dt.datetime(2020, 11, 25)
    assert sheet.cell(2, column["出厂日期"]).number_format == "yyyy-mm-dd"
    assert sheet.cell(2, column["车辆识别代号"]).data_type == "s"
    # the findings wrap, and each row is tall enough for all its lines
    for row in range(2, sheet.max_row + 1):
        findings = sheet.cell(row, column["问题 findings"])
        lines = (findings.value or "").count("\n") + 1
        if lines > 1:
            assert findings.alignment.wrap_text
            assert sheet.row_dimensions[row].height >= lines * 15, (row, lines)


def test_wrapped_rows_grow_with_long_lines_too(tmp_path: Path) -> None:
    long = "很长的说明" * 40  # one line, far wider than the 60-character column
    frame = pl.DataFrame({"vin": ["A", "B"], "findings": [f"x\n{long}", "y"]})
    path = tmp_path / "w.xlsx"
    writers.write_results_xlsx(path, frame, freeze_columns=["vin"])
    sheet = openpyxl.load_workbook(path).active
    assert sheet.row_dimensions[2].height >= 15 * 5  # 1 + about 400/58 lines
    assert sheet.row_dimensions[3].height is None  # one line: Excel's default height


def test_csv_output_in_gb18030(tmp_path: Path) -> None:
    out = tmp_path / "out.csv"
    args = ["screen", str(_stock(tmp_path)), *DEMO, "--format", "csv", "--output", str(out)]
    result = CliRunner().invoke(main, [*args, "--encoding", "gb18030"])
    assert result.exit_code in (0, 1), result.output
    data = out.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    text = data.decode("gb18030")
    assert text.startswith("row,车辆识别代号")
    assert "€ 报价" in text
    default = tmp_path / "utf8.csv"
    CliRunner().invoke(
        main, ["screen", str(_stock(tmp_path)), *DEMO, "--format", "csv", "--output", str(default)]
    )
    assert default.read_bytes().startswith(b"\xef\xbb\xbf")


def test_encoding_is_refused_for_other_formats(tmp_path: Path) -> None:
    args = ["screen", str(_stock(tmp_path)), *DEMO, "--format", "xlsx", "--output", str(tmp_path / "x.xlsx")]
    result = CliRunner().invoke(main, [*args, "--encoding", "gb18030"])
    assert result.exit_code == 2
    assert "--encoding applies to --format csv only" in result.output
