"""A thin writer over XlsxWriter for the data sheets.

Every text cell is written as a string (VINs, codes and dates must not become numbers or Excel
dates: they are copied into forms character by character); quantities are written as integers;
money is written as exact text with two decimals (Excel numbers are binary floats). Cells holding
the missing-value marker get a yellow fill so they stand out on screen and in print.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from io import BytesIO
from typing import Any

import xlsxwriter

from chuhai.documents.messages import MISSING

CellValue = str | int | None

# A fixed creation time keeps the bytes of a workbook a function of its content.
_FIXED_CREATED = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


class Sheet:
    """One worksheet written row by row."""

    def __init__(self, book: Book, name: str) -> None:
        self._book = book
        self._ws: Any = book.workbook.add_worksheet(name[:31])
        self.row = 0
        self._widths: dict[int, int] = {}

    def _width(self, col: int, text: str) -> None:
        # CJK characters take about two columns of width.
        width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
        self._widths[col] = min(max(self._widths.get(col, 8), width + 2), 60)

    def write_row(
        self, values: Sequence[CellValue], *, header: bool = False, rtl: Sequence[int] = ()
    ) -> None:
        """Write one row; columns listed in ``rtl`` hold right-to-left (Arabic) text."""
        for col, value in enumerate(values):
            if value is None:
                continue
            if isinstance(value, int) and not isinstance(value, bool):
                self._ws.write_number(self.row, col, value, self._book.fmt_header if header else None)
                self._width(col, str(value))
                continue
            text = str(value)
            if header:
                fmt = self._book.fmt_header
            elif MISSING in text:
                fmt = self._book.fmt_missing
            elif col in rtl:
                fmt = self._book.fmt_rtl
            else:
                fmt = self._book.fmt_text
            self._ws.write_string(self.row, col, text, fmt)
            self._width(col, text)
        self.row += 1

    def title(self, text: str) -> None:
        self._ws.write_string(self.row, 0, text, self._book.fmt_title)
        self.row += 2

    def pair(self, label: str, value: str, *, rtl: bool = False) -> None:
        """A label/value line of a form-like header block."""
        self._ws.write_string(self.row, 0, label, self._book.fmt_header)
        fmt = (
            self._book.fmt_missing
            if MISSING in value
            else (self._book.fmt_rtl if rtl else self._book.fmt_text)
        )
        self._ws.write_string(self.row, 1, value, fmt)
        self._width(0, label)
        self._width(1, value)
        self.row += 1

    def blank(self) -> None:
        self.row += 1

    def finish(self) -> None:
        for col, width in self._widths.items():
            self._ws.set_column(col, col, width)


class Book:
    """A workbook in memory; :meth:`close` returns its bytes."""

    def __init__(self) -> None:
        self._buffer = BytesIO()
        self.workbook: Any = xlsxwriter.Workbook(
            self._buffer,
            {
                "in_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self.workbook.set_properties({"created": _FIXED_CREATED})
        self.fmt_text = self.workbook.add_format({"text_wrap": True, "valign": "top", "num_format": "@"})
        self.fmt_header = self.workbook.add_format(
            {"bold": True, "bg_color": "#DDE4EE", "text_wrap": True, "valign": "top"}
        )
        self.fmt_missing = self.workbook.add_format(
            {"bg_color": "#FFF200", "text_wrap": True, "valign": "top"}
        )
        # reading_order 2 = right-to-left, for Arabic cells.
        self.fmt_rtl = self.workbook.add_format(
            {"text_wrap": True, "valign": "top", "num_format": "@", "reading_order": 2}
        )
        self.fmt_title = self.workbook.add_format({"bold": True, "font_size": 14})
        self._sheets: list[Sheet] = []

    def sheet(self, name: str) -> Sheet:
        sheet = Sheet(self, name)
        self._sheets.append(sheet)
        return sheet

    def close(self) -> bytes:
        for sheet in self._sheets:
            sheet.finish()
        self.workbook.close()
        return self._buffer.getvalue()
