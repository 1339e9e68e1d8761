"""Shared helpers for the io tests: build stock files in memory or under tmp_path."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
import xlsxwriter

Cell = str | int | float | bool | dt.date | dt.datetime | None


def make_csv(
    header: Sequence[str],
    rows: Sequence[Sequence[str | None]],
    *,
    encoding: str = "utf-8",
    delimiter: str = ",",
    line_end: str = "\r\n",
) -> bytes:
    """CSV bytes as Excel writes them (quoting where needed); ``None`` is an empty cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Cell]],
    *,
    sheet: str = "Sheet1",
    first_row: int = 0,
    extra_sheets: dict[str, Sequence[Sequence[Cell]]] | None = None,
) -> Path:
    """An XLSX with real typed cells: dates as Excel dates, numbers as numbers, booleans."""
    workbook = xlsxwriter.Workbook(str(path))
    date_format = workbook.add_format({"num_format": "yyyy-mm-dd"})
    for name, content in {sheet: rows, **(extra_sheets or {})}.items():
        worksheet = workbook.add_worksheet(name)
        for r, row in enumerate(content, start=first_row):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, dt.date | dt.datetime):
                    if not isinstance(value, dt.datetime):
                        value = dt.datetime(value.year, value.month, value.day)
                    worksheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, bool):
                    worksheet.write_boolean(r, c, value)
                elif isinstance(value, int | float):
                    worksheet.write_number(r, c, value)
                else:
                    worksheet.write_string(r, c, value)
    workbook.close()
    return path


@pytest.fixture
def csv_bytes() -> Callable[..., bytes]:
    return make_csv


@pytest.fixture
def xlsx_file() -> Callable[..., Path]:
    return write_xlsx
