"""Writing screening results back as CSV or XLSX, safe to open in Excel and WPS.

The caller passes one frame (the input columns plus verdict and findings columns); these
functions only format it. Two things matter more than looks:

* **Chinese Excel must open the CSV correctly.** Excel reads a CSV without a byte-order mark in the
  ANSI code page (GBK on Chinese Windows), which garbles UTF-8. CSV is therefore written as UTF-8
  *with* a BOM by default, or as GB18030 on request for older tools.
* **No cell may run as a formula** (OWASP "CSV injection"). Stock files come from third parties
  and a VIN, owner name or note can hold ``=HYPERLINK(...)``. Every text cell (and header) that
  starts with ``=``, ``+``, ``-``, ``@``, tab, carriage return or line feed, or their full-width
  forms ``＝＋－＠`` (which spreadsheet software may fold to ASCII), gets a leading single quote, in
  both formats; XLSX cells are moreover written with ``write_string``, never as formulas.
  Numeric, date and boolean columns are written as such and cannot carry a formula.

The CSV path is polars expressions (vectorised); the XLSX path streams rows with xlsxwriter in
``constant_memory`` mode, so memory stays flat however many rows there are.

>>> safe_text("=1+1"), safe_text("－5"), safe_text("LVSHCAMB1CE012345"), safe_text("")
("'=1+1", "'－5", 'LVSHCAMB1CE012345', '')
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import IO, Any, Literal

import polars as pl
import xlsxwriter

__all__ = [
    "EXCEL_MAX_ROWS",
    "FORMULA_TRIGGERS",
    "safe_text",
    "sanitise_frame",
    "write_results_csv",
    "write_results_xlsx",
]

# OWASP CSV injection: characters that make a spreadsheet read a cell as a formula or DDE call.
FORMULA_TRIGGERS = "=+-@\t\r\n＝＋－＠"
_TRIGGER_REGEX = "^[" + re.escape(FORMULA_TRIGGERS) + "]"
# Excel's sheet size: 1,048,576 rows including the header row.
EXCEL_MAX_ROWS = 1_048_576
_MAX_WIDTH = 60
_MIN_WIDTH = 6
# Numbers beyond 2**53 lose digits as Excel doubles: such integers are written as text.
_EXACT_INT = 2**53

CsvEncoding = Literal["utf-8-sig", "gb18030"]


def safe_text(text: str) -> str:
    """One text value made formula-safe (the scalar twin of :func:`sanitise_frame`)."""
    return "'" + text if text[:1] and text[0] in FORMULA_TRIGGERS else text


def _safe_expr(column: pl.Expr) -> pl.Expr:
    return pl.when(column.str.contains(_TRIGGER_REGEX)).then(pl.lit("'") + column).otherwise(column)


def sanitise_frame(rows: pl.DataFrame) -> pl.DataFrame:
    """The frame with formula-safe text cells and header names; other columns unchanged.

    Categorical and enum columns become text; list columns are joined with ``"; "``; struct and
    object columns are refused (``TypeError``) because they have no spreadsheet form.
    """
    exprs: list[pl.Expr] = []
    for name, dtype in rows.schema.items():
        column = pl.col(name)
        if isinstance(dtype, pl.String | pl.Categorical | pl.Enum):
            expr = _safe_expr(column.cast(pl.String))
        elif isinstance(dtype, pl.List | pl.Array):
            joined = column.cast(pl.List(pl.String)).list.join("; ")
            expr = _safe_expr(joined)
        elif isinstance(dtype, pl.Struct | pl.Object | pl.Binary):
            raise TypeError(f"column {name!r} of type {dtype} cannot be written to a spreadsheet")
        else:
            expr = column
        exprs.append(expr.alias(safe_text(name)))
    names = [safe_text(n) for n in rows.columns]
    if len(set(names)) != len(names):
        raise ValueError("two column names differ only by a formula-safety quote")
    return rows.select(exprs)


# --------------------------------------------------------------------------------------------
# CSV


def write_results_csv(
    path_or_stream: str | Path | IO[bytes] | IO[str],
    rows: pl.DataFrame,
    *,
    encoding: CsvEncoding = "utf-8-sig",
) -> None:
    """Write ``rows`` as CSV: UTF-8 with BOM (default) or GB18030, formula-safe, dates as ISO.

    ``path_or_stream`` is a path, a binary stream (a Django ``HttpResponse`` works) or a text
    stream (then the stream's own encoding applies and only the BOM character is written).
    """
    frame = sanitise_frame(rows)
    if encoding not in ("utf-8-sig", "gb18030"):
        raise ValueError(f"encoding must be 'utf-8-sig' or 'gb18030', not {encoding!r}")
    if isinstance(path_or_stream, str | Path):
        with open(path_or_stream, "wb") as handle:
            _write_csv_binary(handle, frame, encoding)
    elif isinstance(path_or_stream, io.TextIOBase):
        if encoding == "utf-8-sig":
            path_or_stream.write("\ufeff")
        path_or_stream.write(frame.write_csv())
    else:
        _write_csv_binary(path_or_stream, frame, encoding)  # type: ignore[arg-type]


def _write_csv_binary(handle: IO[bytes], frame: pl.DataFrame, encoding: CsvEncoding) -> None:
    if encoding == "utf-8-sig":
        handle.write(b"\xef\xbb\xbf")
        frame.write_csv(handle)
    else:
        # GB18030 covers all of Unicode, so nothing is lost; polars writes only UTF-8, hence the
        # transcoding of the whole text (fine: GB18030 output is for small, legacy uses).
        handle.write(frame.write_csv().encode("gb18030"))


# --------------------------------------------------------------------------------------------
# XLSX


def write_results_xlsx(
    path_or_stream: str | Path | IO[bytes],
    rows: pl.DataFrame,
    *,
    sheet_name: str = "results",
    extra_sheets: Mapping[str, pl.DataFrame] | None = None,
) -> None:
    """Write ``rows`` (and optional further sheets, e.g. findings) as an XLSX workbook.

    Header row bold and frozen, an autofilter, column widths from the header and the first
    thousand values (CJK characters count double). Text is written with ``write_string`` after
    the formula-safety quote; integers and decimals as numbers (integers beyond 2**53 as text,
    so no digit is lost), dates as Excel dates, booleans as booleans, nulls as empty cells. A
    frame longer than Excel's 1,048,576 rows continues on sheets ``<name> (2)``, ``(3)``...
    """
    target: Any = str(path_or_stream) if isinstance(path_or_stream, str | Path) else path_or_stream
    workbook = xlsxwriter.Workbook(
        target, {"constant_memory": True, "strings_to_formulas": False, "nan_inf_to_errors": True}
    )
    try:
        formats = _Formats(workbook)
        used: set[str] = set()
        _write_sheets(workbook, formats, sheet_name, rows, used)
        for name, frame in (extra_sheets or {}).items():
            _write_sheets(workbook, formats, name, frame, used)
    finally:
        workbook.close()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})


def _sheet_title(name: str, used: set[str]) -> str:
    """A legal, unique Excel sheet name: at most 31 characters, none of []:*?/\\ ."""
    base = re.sub(r"[\[\]:*?/\\]", "_", name).strip("'") or "sheet"
    title = base[:31]
    number = 2
    while title.lower() in used:
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)] + suffix
        number += 1
    used.add(title.lower())
    return title


def _write_sheets(workbook: Any, formats: _Formats, name: str, rows: pl.DataFrame, used: set[str]) -> None:
    frame = sanitise_frame(rows)
    per_sheet = EXCEL_MAX_ROWS - 1
    start = 0
    while True:
        part = frame.slice(start, per_sheet)
        _write_sheet(workbook.add_worksheet(_sheet_title(name, used)), formats, part)
        start += per_sheet
        if start >= frame.height:
            break


def _widths(frame: pl.DataFrame) -> list[float]:
    """Display width per column: header and the first 1,000 values, CJK characters counting two."""
    sample = frame.head(1000)
    widths: list[float] = []
    for name, dtype in frame.schema.items():
        header = _display_width(name)
        if dtype == pl.String:
            column = sample.get_column(name)
            chars = column.str.len_chars()
            # UTF-8 takes 3 bytes for a CJK character, shown two columns wide: chars + (bytes-chars)/2.
            width = ((column.str.len_bytes() - chars) / 2 + chars).max()
            values = float(width) if isinstance(width, int | float) else 0.0
        elif dtype == pl.Date:
            values = 10.0
        elif dtype.is_temporal():
            values = 19.0
        elif dtype == pl.Boolean:
            values = 5.0
        else:
            values = 12.0
        widths.append(min(max(header, values, _MIN_WIDTH) + 2, _MAX_WIDTH))
    return widths


def _display_width(text: str) -> float:
    return sum(2 if ord(char) > 0x2E7F else 1 for char in text)


def _write_sheet(sheet: Any, formats: _Formats, frame: pl.DataFrame) -> None:
    for index, width in enumerate(_widths(frame)):
        sheet.set_column(index, index, width)
    for index, name in enumerate(frame.columns):
        sheet.write_string(0, index, name, formats.header)
    sheet.freeze_panes(1, 0)
    if frame.width:
        sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)

    writers = [_cell_writer(sheet, formats, dtype) for dtype in frame.dtypes]
    for row_index, row in enumerate(frame.iter_rows(), start=1):
        for column_index, value in enumerate(row):
            if value is not None:
                writers[column_index](row_index, column_index, value)


def _cell_writer(sheet: Any, formats: _Formats, dtype: pl.DataType) -> Callable[[int, int, Any], object]:
    """The xlsxwriter call for one column's type; text is never written as a formula."""
    if dtype == pl.String:
        return sheet.write_string  # type: ignore[no-any-return]
    if dtype == pl.Boolean:
        return sheet.write_boolean  # type: ignore[no-any-return]
    if dtype == pl.Date:
        return lambda r, c, v: sheet.write_datetime(r, c, v, formats.date)
    if dtype == pl.Datetime:

        def write_datetime(r: int, c: int, v: dt.datetime) -> object:
            # Excel has no time zones: write the wall-clock time of an aware value.
            return sheet.write_datetime(r, c, v.replace(tzinfo=None), formats.datetime)

        return write_datetime
    if dtype.is_integer():

        def write_integer(r: int, c: int, v: int) -> object:
            if -_EXACT_INT < v < _EXACT_INT:
                return sheet.write_number(r, c, v)
            return sheet.write_string(r, c, str(v))

        return write_integer
    if dtype.is_numeric():  # floats and decimals: a number for Excel (display only)
        return lambda r, c, v: sheet.write_number(r, c, float(v))
    return lambda r, c, v: sheet.write_string(r, c, safe_text(str(v)))
