"""Writing screening results back as CSV or XLSX, safe to open in Excel and WPS.

The caller passes one frame (the input columns plus verdict and findings columns); these
functions only format it. Two things matter more than looks:

* **Chinese Excel must open the CSV correctly.** Excel reads a CSV without a byte-order mark in the
  ANSI code page (GBK on Chinese Windows), which garbles UTF-8. CSV is therefore written as UTF-8
  *with* a BOM by default, or as GB18030 on request for older tools.
* **No cell may run as a formula** (OWASP "CSV injection"). Stock files come from third parties
  and a VIN, owner name or note can hold ``=HYPERLINK(...)``. A text cell (or header) that could
  run as one — it starts with ``=``, ``+``, ``-``, ``@``, tab or carriage return, or their
  full-width forms ``＝＋－＠`` (which spreadsheet software may fold to ASCII), and is not a plain
  number such as ``-5`` or ``+86``, which a spreadsheet reads as a number — gets a leading single
  quote, in both formats (an XLSX string cell never runs, but it would once edited and confirmed);
  XLSX cells are moreover written with ``write_string``, never as formulas. Numeric, date and
  boolean columns are written as such and cannot carry a formula.
* **People open the XLSX**: the row number, the VIN and the verdict can be frozen at the left
  (``freeze_columns``) so they stay in view; multi-line cells (the findings) wrap and their rows are
  made tall enough that every line shows in Excel and LibreOffice alike (neither grows a row written
  without a height on its own); number and date cells the parser read are written typed
  (``typed``), the rest as the text the user wrote.

The CSV path is polars expressions (vectorised); the XLSX path streams rows with xlsxwriter in
``constant_memory`` mode, so memory stays flat however many rows there are.

>>> safe_text("=1+1"), safe_text("-A1"), safe_text("LVSHCAMB1CE012345"), safe_text("")
("'=1+1", "'-A1", 'LVSHCAMB1CE012345', '')
>>> safe_text("-5"), safe_text("+8613812345678"), safe_text("－1.5"), safe_text("-1,598")
('-5', '+8613812345678', '－1.5', '-1,598')
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
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
FORMULA_TRIGGERS = "=+-@\t\r＝＋－＠"
_TRIGGER_REGEX = "^[" + re.escape(FORMULA_TRIGGERS) + "]"
# A plain number (sign, digits with thousands commas, a fraction, an exponent): a spreadsheet reads it
# as a number, never as a formula, so it keeps its sign without a quote.
_PLAIN_NUMBER = (
    r"^[+\-＋－]?(?:[0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]*)?|[.．][0-9０-９]+)(?:[eE][+\-]?[0-9]+)?$"
)
_PLAIN = re.compile(_PLAIN_NUMBER)
# Wrapped cells: points per line of text (11 pt type, CJK glyphs included) and Excel's row limit.
_LINE_POINTS = 15.75
_MAX_ROW_POINTS = 409.0
# Excel's sheet size: 1,048,576 rows including the header row.
EXCEL_MAX_ROWS = 1_048_576
_MAX_WIDTH = 60
_MIN_WIDTH = 6
# Numbers beyond 2**53 lose digits as Excel doubles: such integers are written as text.
_EXACT_INT = 2**53

CsvEncoding = Literal["utf-8-sig", "gb18030"]


def safe_text(text: str) -> str:
    """One text value made formula-safe (the scalar twin of :func:`sanitise_frame`)."""
    if text[:1] and text[0] in FORMULA_TRIGGERS and not _PLAIN.match(text):
        return "'" + text
    return text


def _safe_expr(column: pl.Expr) -> pl.Expr:
    risky = column.str.contains(_TRIGGER_REGEX) & ~column.str.contains(_PLAIN_NUMBER)
    return pl.when(risky).then(pl.lit("'") + column).otherwise(column)


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
    freeze_columns: Sequence[str] = (),
    typed: Mapping[str, pl.Series] | None = None,
) -> None:
    """Write ``rows`` (and optional further sheets, e.g. findings) as an XLSX workbook.

    ``freeze_columns`` (names of ``rows``) move to the left, in that order, and stay in view with the
    header. ``typed`` maps a text column of ``rows`` to a series of the same length holding its
    parsed values (numbers, dates): a cell is written typed where that value is not null, else as
    the text. Text with line breaks wraps, and its row is made tall enough for every line.

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
        _write_sheets(workbook, formats, sheet_name, rows, used, freeze_columns, typed or {})
        for name, frame in (extra_sheets or {}).items():
            _write_sheets(workbook, formats, name, frame, used, (), {})
    finally:
        workbook.close()


class _Formats:
    def __init__(self, workbook: Any) -> None:
        self.header = workbook.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.date = workbook.add_format({"num_format": "yyyy-mm-dd"})
        self.datetime = workbook.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.top = workbook.add_format({"valign": "top"})


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


def _write_sheets(
    workbook: Any,
    formats: _Formats,
    name: str,
    rows: pl.DataFrame,
    used: set[str],
    freeze_columns: Sequence[str],
    typed: Mapping[str, pl.Series],
) -> None:
    unknown = [c for c in (*freeze_columns, *typed) if c not in rows.columns]
    if unknown:
        raise ValueError(f"no such column(s) to freeze or type: {unknown}")
    order = [*freeze_columns, *(c for c in rows.columns if c not in freeze_columns)]
    rows = rows.select(order)
    frame = sanitise_frame(rows)
    companions = {safe_text(c): series for c, series in typed.items()}
    per_sheet = EXCEL_MAX_ROWS - 1
    start = 0
    while True:
        part = frame.slice(start, per_sheet)
        parsed = {c: series.slice(start, per_sheet) for c, series in companions.items()}
        sheet = workbook.add_worksheet(_sheet_title(name, used))
        _write_sheet(sheet, formats, part, len(freeze_columns), parsed)
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


def _write_sheet(
    sheet: Any, formats: _Formats, frame: pl.DataFrame, frozen: int, typed: Mapping[str, pl.Series]
) -> None:
    widths = _widths(frame)
    # Columns whose text has line breaks (the findings, the deadlines) wrap, top-aligned.
    wrapped = {
        index
        for index, (name, dtype) in enumerate(frame.schema.items())
        if dtype == pl.String and bool(frame.get_column(name).str.contains("\n", literal=True).any())
    }
    for index, width in enumerate(widths):
        sheet.set_column(index, index, width, formats.wrap if index in wrapped else None)
    for index, name in enumerate(frame.columns):
        sheet.write_string(0, index, name, formats.header)
    sheet.freeze_panes(1, frozen)
    if frame.width:
        sheet.autofilter(0, 0, max(frame.height, 1), frame.width - 1)

    writers = [
        _wrapping_writer(sheet, formats) if index in wrapped else _cell_writer(sheet, formats, dtype)
        for index, dtype in enumerate(frame.dtypes)
    ]
    typed_index = {frame.columns.index(name): series for name, series in typed.items()}
    typed_writers = {
        index: _cell_writer(sheet, formats, series.dtype) for index, series in typed_index.items()
    }
    typed_rows = (
        pl.DataFrame([series.alias(str(i)) for i, series in typed_index.items()]).iter_rows()
        if typed_index
        else None
    )
    typed_order = list(typed_index)
    for row_index, row in enumerate(frame.iter_rows(), start=1):
        parsed = dict(zip(typed_order, next(typed_rows), strict=True)) if typed_rows is not None else {}
        if wrapped:
            lines = max(_lines(row[i], widths[i]) for i in wrapped)
            if lines > 1:
                sheet.set_row(row_index, min(lines * _LINE_POINTS, _MAX_ROW_POINTS))
        for column_index, value in enumerate(row):
            number = parsed.get(column_index)
            if number is not None:
                typed_writers[column_index](row_index, column_index, number)
            elif value is not None:
                writers[column_index](row_index, column_index, value)


def _lines(text: str | None, width: float) -> int:
    """Lines a wrapped cell of ``width`` characters shows ``text`` on (CJK characters count two)."""
    if not text:
        return 1
    usable = max(width - 2, 1)
    return sum(max(1, -(-int(_display_width(line)) // int(usable))) for line in text.split("\n"))


def _wrapping_writer(sheet: Any, formats: _Formats) -> Callable[[int, int, Any], object]:
    return lambda r, c, v: sheet.write_string(r, c, v, formats.wrap)


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
