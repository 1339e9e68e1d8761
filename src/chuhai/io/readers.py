"""Reading an exporter's stock file (CSV or XLSX) into a table of stripped text cells.

The contract is ``shared/spec/vehicle-file.md``: a header row naming the columns (English or
Chinese, any order, see :mod:`chuhai.schema`), one vehicle per row, unknown columns passed
through, empty cells meaning "not known", and never a row dropped silently. This module does
only the *reading*: every cell stays text (leading zeros kept), typed parsing is
:mod:`chuhai.io.parse`. Web uploads, the REST API and the CLI all come through here.

Two kinds of trouble are kept apart:

* the whole file cannot be read (not CSV/XLSX, an unknown encoding, no header, no VIN column, two
  columns meaning the same thing): :class:`VehicleFileError`, an :class:`~chuhai.errors.InputError`
  with one clear line in English and Chinese, never a library traceback;
* one row is damaged (more cells than the header, a stray quote): the row is kept and the problem
  is recorded in :attr:`RawTable.cell_problems`, so that the row becomes an ``input.invalid``
  finding and every other row is still screened.

The CSV fast path is one multi-threaded ``polars.read_csv`` with every column read as text; only
a file that polars refuses (ragged rows, bad quoting) goes through Python's :mod:`csv` module.

>>> raw = read_vehicle_bytes("车辆识别代号,备注\\nlvs 123,  x \\n,\\n".encode(), "stock.csv")
>>> raw.frame.columns, raw.frame.rows()
(['row', 'vin', '备注'], [(2, 'lvs 123', 'x')])
>>> raw.mapping, raw.encoding, raw.blank_rows_skipped
({'车辆识别代号': 'vin'}, 'utf-8', 1)
"""

from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import io
import itertools
import mmap
import re
import zipfile
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal
from xml.etree import ElementTree

import polars as pl
import python_calamine

from chuhai import schema
from chuhai.errors import InputError
from chuhai.io import workbooks

__all__ = [
    "EXPECTED_COLUMNS",
    "MAX_FILE_BYTES",
    "MAX_XLSX_UNCOMPRESSED_BYTES",
    "PROBLEM_SCHEMA",
    "RawTable",
    "VehicleFileError",
    "cell_text",
    "raw_table_from_records",
    "read_vehicle_bytes",
    "read_vehicle_file",
]

SourceFormat = Literal["csv", "xlsx", "xls", "ods", "records"]

# A 1,000,000-row stock file with every column is about 250 MB as CSV; anything four times that is
# not a stock file, and reading it would only exhaust the server's memory.
MAX_FILE_BYTES = 1 << 30
# The XML inside an XLSX is typically 5-20 times its compressed size; 4 GiB of XML is far beyond
# Excel's 1,048,576-row limit with every column, so a larger declared size is a zip bomb.
MAX_XLSX_UNCOMPRESSED_BYTES = 4 << 30
# Real worksheets compress 5-20:1 (a sheet of identical rows about 17:1); deflate tops out near
# 1032:1, which only a bomb (or a lying header) reaches. Checked for members over 10 MiB.
_MAX_ZIP_RATIO = 250

# Every character ``str.strip`` treats as blank plus the invisible ones Excel and WPS leave behind
# (byte-order mark, zero-width space/joiners, word joiner); stripped from header cells and keys.
_BLANKS = (
    " \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff\u200b\u200c\u200d\u2060"
)

# What the cell should have held, one column per language (texts of chuhai.schema.EXPECTED).
EXPECTED_COLUMNS = ("expected_en", "expected_zh", "expected_ru", "expected_ar")
PROBLEM_SCHEMA: dict[str, pl.DataType] = {
    "row": pl.Int64(),
    "column": pl.String(),
    "value": pl.String(),
    **{name: pl.String() for name in EXPECTED_COLUMNS},
}
# One damaged row: row, column, value and the expected text in each language of EXPECTED_COLUMNS.
Problem = tuple[int, str, str, str, str, str, str]


def _problem(row: int, column: str, value: str, expected: Mapping[str, str]) -> Problem:
    en, zh, ru, ar = (expected[name.removeprefix("expected_")] for name in EXPECTED_COLUMNS)
    return (row, column, value, en, zh, ru, ar)


class VehicleFileError(InputError):
    """The whole stock file cannot be read. ``str(error)`` is English; ``message_zh`` is Chinese.

    >>> error = VehicleFileError("x.csv: the file is empty", "x.csv：文件为空")
    >>> str(error), error.message_zh, error.code
    ('x.csv: the file is empty', 'x.csv：文件为空', 'input_unreadable')
    """

    def __init__(
        self, message: str, message_zh: str, *, message_ru: str | None = None, message_ar: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.message_zh = message_zh
        self.message_ru = message_ru
        self.message_ar = message_ar

    no_vin_column = False
    """True when the file (or sheet) has no VIN column: a workbook's other sheets may still have one."""

    def text(self, lang: str) -> str:
        """The message in ``lang`` (zh, en, ru or ar); English where no translation was written."""
        translated = {"zh": self.message_zh, "ru": self.message_ru, "ar": self.message_ar}.get(lang)
        return translated or self.message


def _empty_problems() -> pl.DataFrame:
    return pl.DataFrame(schema=PROBLEM_SCHEMA)


@dataclass(frozen=True)
class ColumnUse:
    """One column of a stock file and what the reader made of it."""

    letter: str
    """The spreadsheet column (A, B, … AA)."""
    header: str
    """The header as the user wrote it (stripped)."""
    field: str | None
    """The canonical column read from it; ``None``: not used (kept as a pass-through column)."""
    unit: str | None = None
    """The unit the header names (``litre`` for 排量（L）), where it names one."""
    probably: str | None = None
    """For a column not used: the canonical column its header resembles (是否被查封 → seized)."""
    note: str | None = None
    """Why a column that names a field was not used (a second VIN column)."""
    sheet: str | None = None
    """The worksheet, when several were read."""

    def as_dict(self) -> dict[str, str | None]:
        return {
            **({"sheet": self.sheet} if self.sheet else {}),
            "column": self.letter,
            "header": self.header,
            "field": self.field,
            "unit": self.unit,
            "probably": self.probably,
            "note": self.note,
        }


@dataclass(frozen=True)
class SheetRead:
    """One worksheet of a workbook: read, or why not."""

    name: str
    read: bool
    rows: int = 0
    """Vehicle rows read from it."""
    reason: str | None = None
    """Why it was not read: hidden, or no VIN column (a notes or lookup sheet)."""

    def as_dict(self) -> dict[str, str | int | bool | None]:
        return {"name": self.name, "read": self.read, "rows": self.rows, "reason": self.reason}


@dataclass(frozen=True)
class NonVehicleRow:
    """A row of the file below the header that is not a vehicle: reported, never screened."""

    row: int
    kind: Literal["header", "totals"]
    """``header``: the header repeated, or the lower row of a two-row header; ``totals``: 合计 …"""
    text: str
    """The row's cells joined with `` | `` (at most 200 characters), for the report."""

    def as_dict(self) -> dict[str, str | int]:
        return {"row": self.row, "kind": self.kind, "text": self.text}


@dataclass(frozen=True)
class RawTable:
    """The cells of a stock file as text, before any typing.

    ``frame`` has an Int64 column ``row`` (the spreadsheet row number: with the header in the first
    row, the first vehicle is row 2) followed by one String column per kept column, in file
    order: canonical names (:data:`chuhai.schema.COLUMNS`) for known columns, the header text for
    unknown ones (made unique with `` (2)``, `` (3)`` where headers repeat). Every cell is stripped
    of surrounding whitespace (also U+3000 and NBSP); an empty cell is null. (Read with
    ``strip_typed=False``, the cells of typed columns are stripped later, by the parser, and
    ``ParsedTable.raw`` holds the stripped table.) Fully blank rows are not in ``frame``; they are
    counted in ``blank_rows_skipped``. A column without a header and without any value (Excel's
    formatted but unused columns) is dropped; one without a header but with values is kept as
    ``(column G)``.
    """

    frame: pl.DataFrame
    headers: list[str]
    """The header texts of the kept columns in file order, as the user wrote them (stripped)."""
    mapping: dict[str, str]
    """Original header text → canonical name, for the known columns."""
    source_format: SourceFormat
    encoding: str | None
    """``utf-8``, ``utf-8-sig`` or ``gb18030`` for CSV; ``None`` for XLSX and records."""
    blank_rows_skipped: int
    columns: dict[str, str] = field(default_factory=dict)
    """Frame column name → original header text, for every column except ``row``."""
    cell_problems: pl.DataFrame = field(default_factory=_empty_problems)
    """Row-level damage found while reading (:data:`PROBLEM_SCHEMA`): more cells than headers
    (column ``(extra)``), unbalanced quotes (column ``(line)``). The rows themselves are kept."""
    source: str = ""
    """The file name, for messages."""
    sheet: str | None = None
    """The worksheet read, for XLSX."""
    header_row: int = 1
    """The spreadsheet row number of the header (rows above it are blank or a title)."""
    column_uses: tuple[ColumnUse, ...] = ()
    """Every kept column of the file, in file order: what it was read as, or that it was not used."""
    units: dict[str, str] = field(default_factory=dict)
    """Canonical column → the unit its header names (``排量（L）`` → ``litre``), where one does."""
    non_vehicle_rows: tuple[NonVehicleRow, ...] = ()
    """Rows below the header that are not vehicles (repeated headers, totals): not in ``frame``."""
    sheets: tuple[SheetRead, ...] = ()
    """For a workbook: every worksheet, read or not and why."""
    sheet_keys: tuple[str, ...] = ()
    """When several sheets were read: the sheet of each block of row keys (:data:`SHEET_ROW_STRIDE`)."""

    def row_reference(self, row: int) -> str:
        """How a row key is shown: ``5`` for a single sheet, ``库存2!5`` when several were read."""
        if not self.sheet_keys:
            return str(row)
        sheet, number = divmod(row, SHEET_ROW_STRIDE)
        return f"{self.sheet_keys[sheet]}!{number}"

    def row_summary(self) -> dict[str, Any]:
        """The rows accounted for, as plain data: sheets read or not, blank and non-vehicle rows."""
        return {
            "sheets": [s.as_dict() for s in self.sheets],
            "vehicles": self.frame.height,
            "blank_rows_skipped": self.blank_rows_skipped,
            "non_vehicle_rows": [
                {**r.as_dict(), "reference": self.row_reference(r.row)} for r in self.non_vehicle_rows
            ],
        }

    def column_summary(self) -> dict[str, Any]:
        """The columns used and not used, as plain data (the CLI, the JSON output, the web page).

        ``used``: header → field (with its unit); ``not_used``: each column read as nothing, with
        the field it probably means where the header resembles one; ``vin``: the header of the VIN
        column and, where several headers name a VIN, which ones were not used.
        """
        used = [u.as_dict() for u in self.column_uses if u.field is not None]
        not_used = [u.as_dict() for u in self.column_uses if u.field is None]
        vin = next((u for u in self.column_uses if u.field == "vin"), None)
        summary: dict[str, Any] = {
            "used": used,
            "not_used": not_used,
            "vin": {
                "header": vin.header if vin else None,
                "column": vin.letter if vin else None,
                "other_candidates": [
                    u.header for u in self.column_uses if u.note and u.field is None and "VIN" in u.note
                ],
            },
        }
        return summary

    def header_of(self, column: str) -> str:
        """The header text the user wrote for a frame column (canonical or pass-through)."""
        return self.columns.get(column, column)


# --------------------------------------------------------------------------------------------
# Entry points


_HEAD_BYTES = 65536


@dataclass
class _Source:
    """The input: a path (read by polars directly, memory-mapped) or bytes, and its first bytes."""

    name: str
    size: int
    head: bytes
    path: Path | None = None
    data: bytes | None = None

    def full(self) -> bytes:
        """All the bytes; read from disk only on the slow paths."""
        if self.data is None:
            assert self.path is not None
            self.data = _read_path(self.path)
        return self.data

    def native(self) -> Path | bytes:
        """What polars and calamine read fastest: the path if there is one."""
        return self.path if self.data is None and self.path is not None else self.full()


def _read_path(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise _unreadable_path(path, exc) from exc


def _unreadable_path(path: Path, exc: OSError) -> VehicleFileError:
    reason = exc.strerror or type(exc).__name__
    return VehicleFileError(f"{path}: cannot be read ({reason})", f"{path}：无法读取文件（{reason}）")


@dataclass(frozen=True)
class ReadLimits:
    """What one read of a stock file may take: rows, memory, the length of a cell.

    The CLI takes them from ``--max-rows`` and ``--max-memory``, the web worker from the settings
    ``CHUHAI_IMPORT_MAX_ROWS`` and ``CHUHAI_IMPORT_MAX_MEMORY``. A file past a limit is refused
    with one clear message before it is read into memory (workbooks: from the size of the sheet's
    XML and its row count, found by streaming it; CSV: from the file size, and polars reads at
    most ``max_rows`` rows), never read until the machine runs out of memory.
    """

    max_rows: int = 1_048_576
    """Rows below the header (Excel's limit for one sheet)."""
    max_memory: int = 2 << 30
    """Bytes the reader may use for the file's cells (estimated before reading)."""
    max_cell_chars: int = 1000
    """A longer cell is that row's finding (and is cut in the table), never stored."""

    @classmethod
    def parse_size(cls, text: str) -> int:
        """``"2G"``, ``"512M"``, ``"1.5GiB"`` or a number of bytes.

        >>> ReadLimits.parse_size("2G"), ReadLimits.parse_size("512MiB"), ReadLimits.parse_size("1000")
        (2147483648, 536870912, 1000)
        """
        match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]?)(?:i?b)?\s*", text.lower())
        if not match:
            raise ValueError(f"{text!r} is not a size such as 2G or 512M")
        factor = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}[match.group(2)]
        return int(Decimal(match.group(1)) * factor)


DEFAULT_LIMITS = ReadLimits()
# What reading costs, measured on a 200,000-row, 27-column XLSX (5.4 million cells: 180 bytes per cell
# at peak before the rows were built in chunks, about 100 after) and on CSV files (polars holds about
# 2.5 times the file's size while reading it as text).
_BYTES_PER_CELL = 110
_CSV_MEMORY_FACTOR = 2.5
_XML_BYTES_PER_CELL = 25  # the least XML a cell takes (<c r="A1"><v>1</v></c>): a floor for the estimate


def read_vehicle_file(
    path: Path, sheet: str | None = None, *, strip_typed: bool = True, limits: ReadLimits = DEFAULT_LIMITS
) -> RawTable:
    """Read a stock file from disk (CSV, or XLSX by content); see :func:`read_vehicle_bytes`.

    A CSV file is handed to polars by path (memory-mapped, never copied into Python).
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _too_big(path.name, size)
        with path.open("rb") as handle:
            head = handle.read(_HEAD_BYTES)
    except OSError as exc:
        raise _unreadable_path(path, exc) from exc
    source = _Source(path.name, size, head, path=path)
    return _read(source, sheet, strip_typed, limits)


def read_vehicle_bytes(
    data: bytes,
    filename: str,
    sheet: str | None = None,
    *,
    strip_typed: bool = True,
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawTable:
    """Read an uploaded stock file. The format is decided by content, the name only refines it.

    A ZIP container is read as XLSX; anything else must be CSV text (UTF-8, UTF-8 with BOM or
    GB18030). ``sheet`` selects an XLSX worksheet by name (default: the first sheet).

    ``strip_typed=False`` leaves the cells of typed columns unstripped for
    :func:`chuhai.io.parse.parse_vehicles`, which strips the few that need it; the screening
    pipeline (:func:`chuhai.io.parse.load_vehicle_file`) uses it to save a third of the read time.
    """
    name = Path(filename or "upload").name or "upload"
    if len(data) > MAX_FILE_BYTES:
        raise _too_big(name, len(data))
    return _read(_Source(name, len(data), data[:_HEAD_BYTES], data=data), sheet, strip_typed, limits)


def _read(source: _Source, sheet: str | None, strip_typed: bool, limits: ReadLimits) -> RawTable:
    name, head = source.name, source.head
    suffix = Path(name).suffix.lower()
    if not head.strip() and (source.size <= len(head) or not source.full().strip()):
        raise VehicleFileError(f"{name}: the file is empty", f"{name}：文件为空")
    if head[:4] in (b"PK\x03\x04", b"PK\x05\x06"):
        return _read_xlsx(source, sheet, strip_typed, limits=limits)
    if head[:8] == _OLE2:
        if "EncryptionInfo".encode("utf-16-le") in source.full():
            raise _password(name)
        return _read_xlsx(source, sheet, strip_typed, kind="xls", limits=limits)
    if suffix in (".xlsx", ".xlsm", ".xls", ".ods"):
        kind = _describe_non_zip(head)
        raise VehicleFileError(
            f"{name}: not an XLSX workbook (the content is {kind[0]}); open it in Excel or WPS and "
            "save it as .xlsx or CSV",
            f"{name}：不是 XLSX 工作簿（内容是{kind[1]}），请用 Excel 或 WPS 打开后另存为 .xlsx 或 CSV",
        )
    return _read_csv(source, strip_typed, limits)


_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls), or an encrypted .xlsx


def _password(name: str) -> VehicleFileError:
    return VehicleFileError(
        f"{name}: the workbook is password-protected; save it without a password",
        f"{name}：工作簿有密码保护，请取消密码后保存",
        message_ru=f"{name}: книга защищена паролем; сохраните её без пароля",
        message_ar=f"{name}: المصنف محمي بكلمة مرور؛ احفظه دون كلمة مرور",
    )


def _over_memory(name: str, what: str, needed: int, limits: ReadLimits) -> VehicleFileError:
    need, have = f"{needed / (1 << 30):.1f} GiB", f"{limits.max_memory / (1 << 30):.1f} GiB"
    return VehicleFileError(
        f"{name}: reading {what} would take about {need}, more than the {have} memory budget; split the "
        "file, or raise the budget (--max-memory, CHUHAI_IMPORT_MAX_MEMORY)",
        f"{name}：读取{what}约需 {need} 内存，超过 {have} 的上限；请拆分文件或提高上限"
        "（--max-memory、CHUHAI_IMPORT_MAX_MEMORY）",
        message_ru=f"{name}: для чтения ({what}) нужно около {need}, больше лимита памяти {have}; разделите "
        "файл или увеличьте лимит (--max-memory, CHUHAI_IMPORT_MAX_MEMORY)",
        message_ar=f"{name}: قراءة ({what}) تحتاج نحو {need}، أكثر من حد الذاكرة {have}؛ قسّم الملف أو "
        "ارفع الحد (--max-memory أو CHUHAI_IMPORT_MAX_MEMORY)",
    )


def _over_rows(name: str, limits: ReadLimits) -> VehicleFileError:
    limit = f"{limits.max_rows:,}"
    return VehicleFileError(
        f"{name}: more than {limit} rows below the header, the row budget; split the file, or raise the "
        "budget (--max-rows, CHUHAI_IMPORT_MAX_ROWS)",
        f"{name}：表头以下超过 {limit} 行，超过行数上限；请拆分文件或提高上限"
        "（--max-rows、CHUHAI_IMPORT_MAX_ROWS）",
        message_ru=f"{name}: больше {limit} строк под заголовком (лимит строк); разделите файл или увеличьте "
        "лимит (--max-rows, CHUHAI_IMPORT_MAX_ROWS)",
        message_ar=f"{name}: أكثر من {limit} صف تحت الترويسة (حد الصفوف)؛ قسّم الملف أو ارفع الحد "
        "(--max-rows أو CHUHAI_IMPORT_MAX_ROWS)",
    )


def _too_big(name: str, size: int) -> VehicleFileError:
    limit = MAX_FILE_BYTES >> 20
    return VehicleFileError(
        f"{name}: the file is {size >> 20} MiB, more than the {limit} MiB limit; split it",
        f"{name}：文件大小 {size >> 20} MiB，超过 {limit} MiB 上限，请拆分后上传",
    )


def _describe_non_zip(data: bytes) -> tuple[str, str]:
    head = data[:2048].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html")) or b"<table" in head:
        return "an HTML page", "网页（HTML）"
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "XML", "XML"
    if b"\x00" in data[:4096]:
        return "binary data", "二进制数据"
    return "plain text", "纯文本"


# --------------------------------------------------------------------------------------------
# CSV


def _decodes(head: bytes, encoding: str) -> bool:
    """True if the first bytes of a file are text in ``encoding`` (a cut last character allowed)."""
    try:
        codecs.getincrementaldecoder(encoding)().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def _sniff(head: bytes, name: str) -> tuple[bytes, str]:
    """Strip a UTF-8 byte-order mark, recognise UTF-16 text and refuse binary data."""
    if head[:3] == b"\xef\xbb\xbf":
        return head[3:], "utf-8-sig"
    if head[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return head, "utf-16"  # Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated
    # A stray NUL in a text cell is that row's finding (see _finish); NULs in what is not text at
    # all, or many of them, mean binary data.
    nuls = head.count(b"\x00")
    if nuls and (nuls > 8 or not any(_decodes(head, e) for e in ("utf-8", "gb18030"))):
        raise _binary(name)
    return head, "utf-8"


def _binary(name: str) -> VehicleFileError:
    return VehicleFileError(
        f"{name}: binary data, not a CSV or XLSX file",
        f"{name}：二进制数据，不是 CSV 或 XLSX 文件",
        message_ru=f"{name}: двоичные данные, а не файл CSV или XLSX",
        message_ar=f"{name}: بيانات ثنائية وليست ملف CSV أو XLSX",
    )


# Tried in this order on text that is not UTF-8: GB18030 (what Chinese Excel saves, a superset of
# GBK), then Windows code page 936 itself, which also maps the single byte 0x80 to € (invalid in
# GB18030 and in Python's "cp936", which is plain GBK).
_LEGACY_ENCODINGS = ("gb18030", "cp936")


def _windows_936_euro(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start : exc.start + 1] == b"\x80":
        return "€", exc.start + 1
    raise exc


codecs.register_error("chuhai-cp936", _windows_936_euro)


def _decode_as(data: bytes, encoding: str, errors: str = "strict") -> str:
    """``data`` decoded; ``cp936`` is Windows code page 936 (GBK and 0x80 = €)."""
    if encoding != "cp936":
        return data.decode(encoding, errors=errors)
    if errors == "strict":
        return data.decode("gbk", errors="chuhai-cp936")
    return data.decode("gbk", errors="chuhai-cp936-replace")


def _windows_936_euro_or_replace(exc: UnicodeError) -> tuple[str, int]:
    if isinstance(exc, UnicodeDecodeError) and exc.object[exc.start : exc.start + 1] == b"\x80":
        return "€", exc.start + 1
    if isinstance(exc, UnicodeDecodeError):
        return "\ufffd", exc.end
    raise exc


codecs.register_error("chuhai-cp936-replace", _windows_936_euro_or_replace)


def _decode(body: bytes, name: str, encoding: str) -> tuple[str, str, bool]:
    """Decode CSV bytes: ``(text, encoding, damaged)``. A line no encoding reads is decoded with
    U+FFFD for its undecodable bytes (``damaged``): that row's finding, not the whole file's."""
    if encoding == "utf-16":
        try:
            return body.decode("utf-16"), "utf-16", False
        except UnicodeDecodeError:
            return body.decode("utf-16", errors="replace"), "utf-16", True
    try:
        return body.decode("utf-8"), encoding, False
    except UnicodeDecodeError:
        if encoding == "utf-8-sig":  # a UTF-8 byte-order mark: UTF-8 with damaged bytes
            return body.decode("utf-8", errors="replace"), encoding, True
    if _mostly_utf8(body):
        # GB18030 decodes nearly any bytes: a UTF-8 file with one damaged byte must not become mojibake.
        return body.decode("utf-8", errors="replace"), encoding, True
    for candidate in _LEGACY_ENCODINGS:
        try:
            return _decode_as(body, candidate), candidate, False
        except UnicodeDecodeError:
            pass
    lines = body.splitlines(keepends=True)

    def failures(candidate: str) -> int:
        count = 0
        for line in lines:
            try:
                _decode_as(line, candidate)
            except UnicodeDecodeError:
                count += 1
        return count

    scores = {candidate: failures(candidate) for candidate in ("utf-8", *_LEGACY_ENCODINGS)}
    best = min(scores, key=lambda candidate: scores[candidate])
    if scores[best] * 2 > len(lines):
        first = next(i for i, line in enumerate(lines, 1) if _fails(line, best))
        raise _bad_encoding(name, first)
    return _decode_as(body, best, "replace"), best, True


def _mostly_utf8(body: bytes) -> bool:
    """True if the non-ASCII lines are UTF-8 but for a few (at most one in fifty)."""
    wide = [line for line in body.splitlines() if not line.isascii()]
    bad = sum(1 for line in wide if _fails(line, "utf-8"))
    return bad > 0 and bad * 50 <= len(wide)


def _fails(line: bytes, encoding: str) -> bool:
    try:
        _decode_as(line, encoding)
    except UnicodeDecodeError:
        return True
    return False


def _bad_encoding(name: str, line: int) -> VehicleFileError:
    return VehicleFileError(
        f"{name}: neither UTF-8 nor GB18030/GBK text (from line {line} on, most lines cannot be decoded); "
        "save it as 'CSV UTF-8' or XLSX",
        f"{name}：既不是 UTF-8 也不是 GB18030/GBK 编码（从第 {line} 行起，大多数行无法解码），"
        "请另存为“CSV UTF-8”或 XLSX",
        message_ru=f"{name}: текст не в UTF-8 и не в GB18030/GBK (начиная со строки {line} большинство "
        "строк не декодируется); сохраните файл как «CSV UTF-8» или XLSX",
        message_ar=f"{name}: النص ليس بترميز UTF-8 ولا GB18030/GBK (معظم الأسطر من السطر {line} فصاعدًا "
        "لا يمكن فك ترميزها)؛ احفظه بصيغة «CSV UTF-8» أو XLSX",
    )


def _delimiter(head: bytes) -> str:
    """The delimiter: comma, semicolon or tab, whichever occurs most in the first line that has
    both content and a delimiter (the header, or a title row Excel padded with delimiters)."""
    for line in head.splitlines():
        if line.strip(b" \t\r\n,;"):
            counts = {d: line.count(d.encode()) for d in (",", ";", "\t")}
            best = max(counts, key=lambda d: counts[d])
            if counts[best]:
                return best
    return ","


def _polars_grid(source: Path | bytes, separator: str, n_rows: int | None = None) -> pl.DataFrame | None:
    """Every record as text cells (``c0``, ``c1``, ...) plus ``row``; ``None`` if polars refuses.

    polars skips a UTF-8 byte-order mark itself and validates UTF-8 (an invalid byte is an error).
    """
    try:
        grid = pl.read_csv(
            source,
            has_header=False,
            separator=separator,
            infer_schema=False,
            quote_char='"',
            raise_if_empty=False,
            glob=False,  # a file named "库存[1].csv" is a file, not a pattern
            n_rows=n_rows,
        )
    except pl.exceptions.PolarsError:
        return None
    grid = grid.rename({c: f"c{i}" for i, c in enumerate(grid.columns)})
    return grid.with_row_index("row", offset=1).with_columns(pl.col("row").cast(pl.Int64))


def _read_csv(source: _Source, strip_typed: bool, limits: ReadLimits = DEFAULT_LIMITS) -> RawTable:
    """Decode and read CSV text, trying polars first and Python's csv module if polars refuses.

    polars validates UTF-8 itself, so a valid UTF-8 file is never decoded in Python. A file that
    is not UTF-8 is tried as GB18030: Chinese Excel saves "CSV" in the ANSI code page, which on
    Chinese Windows is GBK, and GB18030 is its superset.
    """
    name = source.name
    needed = int(source.size * _CSV_MEMORY_FACTOR)
    if needed > limits.max_memory:
        raise _over_memory(name, f"{source.size >> 20} MiB of CSV", needed, limits)
    # polars reads no more rows than the budget allows (and the title rows above a header).
    n_rows = limits.max_rows + _HEADER_SEARCH_ROWS + 2
    head, encoding = _sniff(source.head, name)
    damaged = False
    converted: bytes | None = None  # UTF-16 text, decoded and re-encoded as UTF-8 for polars
    if encoding == "utf-16":
        text, _, damaged = _decode(source.full(), name, encoding)
        converted = text.encode("utf-8")
        head = converted[:_HEAD_BYTES]
    # Delimiters are ASCII and never occur inside a GB18030 multi-byte character: sniff the bytes.
    separator = _delimiter(head)
    body: bytes = b""
    if b"\n" not in head and b"\r" in head:  # classic Mac line ends, as some old exports write
        body = converted if converted is not None else source.full()
        body = (body[3:] if encoding == "utf-8-sig" else body).replace(b"\r", b"\n")
        grid = _polars_grid(body, separator, n_rows)
    else:
        grid = _polars_grid(converted if converted is not None else source.native(), separator, n_rows)
    problems: list[Problem] = []
    if grid is None:
        if not body:
            body = converted if converted is not None else source.full()
            body = body[3:] if encoding == "utf-8-sig" else body
        if converted is not None:
            text, damaged_now = body.decode("utf-8"), False
        else:
            text, encoding, damaged_now = _decode(body, name, encoding)
        damaged = damaged or damaged_now
        if encoding not in ("utf-8", "utf-16") or damaged_now:
            grid = _polars_grid(text.encode("utf-8"), separator, n_rows)
        if grid is None:
            # Ragged rows or bad quoting: the slow path keeps every record and records the damage.
            grid, problems = _read_csv_python(text, separator)
    if grid.height >= n_rows:
        raise _over_rows(name, limits)
    raw = _finish(
        grid,
        name,
        "csv",
        encoding,
        problems,
        strip_typed=strip_typed,
        damaged_encoding=damaged,
        max_cell_chars=limits.max_cell_chars,
        markers=_markers(source, converted),
    )
    if _rows_below_header(raw) > limits.max_rows:
        raise _over_rows(name, limits)
    return raw


# Byte patterns whose absence spares a whole-table check: NUL (unsafe cells), "#" (Excel error
# values), "E+"/"e+" (a VIN in scientific notation), '="' (ERP formula text).
_MARKERS = (b"\x00", b"#", b"E+", b"e+", b'="')
ALL_MARKERS = frozenset(_MARKERS)


def _markers(source: _Source, converted: bytes | None) -> frozenset[bytes]:
    """Which of :data:`_MARKERS` occur in a CSV file (memory-mapped: no copy into Python)."""
    if converted is not None or source.data is not None:
        data = converted if converted is not None else source.full()
        return frozenset(m for m in _MARKERS if data.find(m) != -1)
    assert source.path is not None
    try:
        with source.path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as view:
            return frozenset(m for m in _MARKERS if view.find(m) != -1)
    except (OSError, ValueError):  # an empty or special file: check everything
        return ALL_MARKERS


def _rows_below_header(raw: RawTable) -> int:
    return raw.frame.height + raw.blank_rows_skipped + len(raw.non_vehicle_rows)


def _read_csv_python(text: str, separator: str) -> tuple[pl.DataFrame, list[Problem]]:
    """Python :mod:`csv` reading for files polars refuses, one record per input record.

    With balanced quotes every record is kept; records longer than the header keep their first
    cells and the rest is reported under ``(extra)``. If the quoting is broken (a quote never
    closed would otherwise swallow the rest of the file into one cell), the file is read line by
    line instead and each line whose quotes do not parse is reported under ``(line)``.
    """
    problems: list[Problem] = []
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator, strict=True))
    except csv.Error:
        records = []
        lines = re.split(r"\r\n|\n|\r", text)
        if lines and lines[-1] == "":
            lines.pop()
        for number, line in enumerate(lines, start=1):
            try:
                record = next(csv.reader([line], delimiter=separator, strict=True), [])
            except csv.Error:
                record = next(csv.reader([line], delimiter=separator, strict=False), [])
                problems.append(_problem(number, "(line)", line, schema.expected_texts("csv_line")))
            records.append(record)
    candidates = (i for i, r in enumerate(records) if any(c.strip(_BLANKS) for c in r))
    non_blank = list(itertools.islice(candidates, _HEADER_SEARCH_ROWS))
    header_index = next(
        (i for i in non_blank if any(schema.canonical_header(c) == "vin" for c in records[i])),
        non_blank[0] if non_blank else None,
    )
    width = len(records[header_index]) if header_index is not None else 0
    columns: list[list[str | None]] = [[] for _ in range(width)]
    for number, record in enumerate(records, start=1):
        for i in range(width):
            columns[i].append(record[i] if i < len(record) else None)
        extra = [c for c in record[width:] if c.strip(_BLANKS)]
        if extra and header_index is not None and number > header_index + 1:
            problems.append(
                _problem(
                    number, "(extra)", " | ".join(extra), schema.expected_texts("csv_width", width=width)
                )
            )
    frame = pl.DataFrame(
        {"row": pl.Series(range(1, len(records) + 1), dtype=pl.Int64)}
        | {f"c{i}": pl.Series(col, dtype=pl.String) for i, col in enumerate(columns)}
    )
    return frame, problems


# --------------------------------------------------------------------------------------------
# XLSX


def _read_xlsx(
    source: _Source,
    sheet: str | None,
    strip_typed: bool,
    kind: SourceFormat = "xlsx",
    limits: ReadLimits = DEFAULT_LIMITS,
) -> RawTable:
    """Read a workbook (XLSX, ODS or XLS) with calamine, row by row, its error cells made visible."""
    name = source.name
    native = source.native()
    if kind != "xls":
        kind = _check_zip(native, name)
    _check_workbook_memory(native, name, kind, source.size, limits)
    try:
        if isinstance(native, Path):
            workbook = python_calamine.CalamineWorkbook.from_path(str(native))
        else:
            workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(native))
        try:
            names = list(workbook.sheet_names)
            if not names:
                raise VehicleFileError(
                    f"{name}: the workbook has no worksheet",
                    f"{name}：工作簿中没有工作表",
                    message_ru=f"{name}: в книге нет листов",
                    message_ar=f"{name}: لا يحتوي المصنف على أوراق عمل",
                )
            hidden = {
                meta.name
                for meta in workbook.sheets_metadata
                if meta.visible != python_calamine.SheetVisibleEnum.Visible
            }
            if sheet is None:
                wanted = [n for n in names if n not in hidden]
            elif sheet in names:
                wanted = [sheet]
            else:
                raise VehicleFileError(
                    f"{name}: no worksheet named {sheet!r} (sheets: {', '.join(names)})",
                    f"{name}：没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）",
                    message_ru=f"{name}: нет листа {sheet!r} (листы: {', '.join(names)})",
                    message_ar=f"{name}: لا توجد ورقة باسم {sheet!r} (الأوراق: {'، '.join(names)})",
                )
            facts = workbooks.workbook_facts(native, kind, wanted)
            sheets: list[SheetRead] = [
                SheetRead(n, read=False, reason="hidden (name it with --sheet to read it)")
                for n in names
                if n in hidden and n not in wanted
            ]
            tables: list[RawTable] = []
            first_error: VehicleFileError | None = None
            for chosen in wanted:
                sheet_facts = facts.sheets[chosen]
                _check_sheet_budget(name, chosen, sheet_facts, limits)
                if sheet_facts.unlocated_errors:
                    raise VehicleFileError(
                        f"{name}: sheet {chosen!r} has Excel error cells without a cell reference; open it "
                        "in Excel or WPS and save it again",
                        f"{name}：工作表“{chosen}”含有无单元格位置的 Excel 错误值，"
                        "请用 Excel 或 WPS 打开后重新保存",
                    )
                grid, first_column, problems = _sheet_grid(
                    workbook.get_sheet_by_name(chosen), sheet_facts, facts.date1904, limits, label=name
                )
                label = name if len(wanted) == 1 else f"{name} [{chosen}]"
                try:
                    raw = _finish(
                        grid,
                        label,
                        kind,
                        None,
                        problems,
                        strip_typed=strip_typed,
                        first_column=first_column,
                        max_cell_chars=limits.max_cell_chars,
                    )
                except VehicleFileError as exc:
                    if not exc.no_vin_column or sheet is not None:
                        raise
                    first_error = first_error or exc
                    sheets.append(SheetRead(chosen, read=False, reason="no VIN column"))
                    continue
                if _rows_below_header(raw) > limits.max_rows:
                    raise _over_rows(name, limits)
                tables.append(dataclasses.replace(raw, sheet=chosen, source=name))
                sheets.append(SheetRead(chosen, read=True, rows=raw.frame.height))
        finally:
            workbook.close()
    except VehicleFileError:
        raise
    except (
        python_calamine.CalamineError,
        ValueError,
        OverflowError,
        KeyError,
        zipfile.BadZipFile,
        ElementTree.ParseError,
        EOFError,
        OSError,
    ) as exc:
        raise _unreadable_xlsx(name, exc) from exc
    except BaseException as exc:
        # A Rust panic inside calamine surfaces as pyo3's PanicException, a BaseException that
        # cannot be imported by name; a crafted file must not take the web worker down with it.
        if type(exc).__name__ == "PanicException" or type(exc).__module__.startswith("xlrd"):
            raise _unreadable_xlsx(name, exc) from exc
        raise
    if not tables:
        assert first_error is not None
        if len(wanted) > 1:
            listed = ", ".join(wanted)
            raise _no_vin(
                f"{name}: no worksheet has a VIN column (sheets: {listed}); {first_error.message}",
                f"{name}：没有工作表含车辆识别代号列（工作表：{'、'.join(wanted)}）；{first_error.message_zh}",
                message_ru=f"{name}: ни на одном листе нет столбца VIN (листы: {listed})",
                message_ar=f"{name}: لا توجد ورقة فيها عمود رقم الهيكل VIN (الأوراق: {'، '.join(wanted)})",
            )
        raise first_error
    order = {n: i for i, n in enumerate(names)}
    sheets.sort(key=lambda read: order[read.name])
    return _combine_sheets(tables, tuple(sheets))


SHEET_ROW_STRIDE = 10_000_000
"""Row keys of a workbook read from several sheets: sheet ``k`` (0-based, among the sheets read)
has keys ``k * SHEET_ROW_STRIDE + row`` (beyond Excel's 1,048,576 rows), so that every row of the
file has one key, in file order; :meth:`RawTable.row_reference` turns a key back into
``sheet!row``. A single sheet keeps its spreadsheet row numbers."""

SHEET_COLUMN = "(sheet)"
"""The pass-through column naming each row's worksheet when several sheets are read."""


def _combine_sheets(tables: list[RawTable], sheets: tuple[SheetRead, ...]) -> RawTable:
    """One table of the vehicles of every sheet read, in sheet order."""
    if len(tables) == 1:
        return dataclasses.replace(tables[0], sheets=sheets)
    units: dict[str, str] = {}
    for table in tables:
        for column, unit in table.units.items():
            if units.setdefault(column, unit) != unit:
                raise VehicleFileError(
                    f"{table.source}: the sheets give {column} in different units ({units[column]}, {unit}); "
                    "read them one at a time with --sheet",
                    f"{table.source}：各工作表中 {column} 的单位不同（{units[column]}、{unit}），"
                    "请用 --sheet 逐个读取",
                )
    frames = [
        table.frame.with_columns(
            (pl.col("row") + k * SHEET_ROW_STRIDE).alias("row"),
            pl.lit(table.sheet, dtype=pl.String).alias(SHEET_COLUMN),
        ).select("row", SHEET_COLUMN, pl.exclude("row", SHEET_COLUMN))
        for k, table in enumerate(tables)
    ]
    frame = pl.concat(frames, how="diagonal_relaxed")
    columns: dict[str, str] = {SHEET_COLUMN: SHEET_COLUMN}
    mapping: dict[str, str] = {}
    headers: list[str] = [SHEET_COLUMN]
    for table in tables:
        for column, header in table.columns.items():
            if column not in columns:
                columns[column] = header
                headers.append(header)
        for header, canonical in table.mapping.items():
            mapping.setdefault(header, canonical)
    problems = pl.concat(
        [t.cell_problems.with_columns(pl.col("row") + k * SHEET_ROW_STRIDE) for k, t in enumerate(tables)]
    )
    first = tables[0]
    return RawTable(
        frame=frame,
        headers=headers,
        mapping=mapping,
        source_format=first.source_format,
        encoding=None,
        blank_rows_skipped=sum(t.blank_rows_skipped for t in tables),
        columns=columns,
        cell_problems=problems,
        source=first.source,
        sheet=None,
        header_row=first.header_row,
        column_uses=tuple(dataclasses.replace(u, sheet=t.sheet) for t in tables for u in t.column_uses),
        units=units,
        non_vehicle_rows=tuple(
            dataclasses.replace(r, row=r.row + k * SHEET_ROW_STRIDE)
            for k, t in enumerate(tables)
            for r in t.non_vehicle_rows
        ),
        sheets=sheets,
        sheet_keys=tuple(t.sheet or "" for t in tables),
    )


def _check_workbook_memory(native: Path | bytes, name: str, kind: str, size: int, limits: ReadLimits) -> None:
    """Refuse a workbook whose cells cannot fit the budget, from its declared sizes alone (no reading)."""
    if kind == "xls":
        needed = size * 8  # BIFF stores a cell in 6-20 bytes; an .xls sheet holds at most 65,536 rows
    else:
        with zipfile.ZipFile(native if isinstance(native, Path) else io.BytesIO(native)) as archive:
            xml = sum(
                m.file_size
                for m in archive.infolist()
                if m.filename.startswith("xl/worksheets/") or m.filename == "content.xml"
            )
        needed = xml // _XML_BYTES_PER_CELL * _BYTES_PER_CELL
    if needed > limits.max_memory:
        raise _over_memory(name, "the workbook", needed, limits)


def _check_sheet_budget(name: str, sheet: str, facts: workbooks.SheetFacts, limits: ReadLimits) -> None:
    """Refuse a sheet past the budget from what streaming its XML found, before calamine holds it."""
    if facts.rows is not None and facts.width is not None:
        needed = facts.rows * facts.width * _BYTES_PER_CELL
        if needed > limits.max_memory:
            raise _over_memory(
                name, f"sheet {sheet!r} ({facts.rows:,} rows × {facts.width} columns)", needed, limits
            )


def _excel_serial(value: float, date1904: bool) -> str | None:
    """An Excel serial day number as an ISO date, or ``None`` outside the days a sheet can mean.

    The 1900 system counts from 1899-12-30 (Excel's phantom 1900-02-29 makes serials below 61
    ambiguous: refused); the 1904 system (``date1904``, old Mac workbooks) from 1904-01-01. A time of
    day (the fraction) is dropped, as for date cells.
    """
    if not 0 < value < 2958466 or (not date1904 and value < 61):
        return None
    base = dt.date(1904, 1, 1) if date1904 else dt.date(1899, 12, 30)
    return (base + dt.timedelta(days=int(value))).isoformat()


def _sheet_grid(
    sheet: python_calamine.CalamineSheet,
    facts: workbooks.SheetFacts,
    date1904: bool,
    limits: ReadLimits = DEFAULT_LIMITS,
    *,
    label: str = "",
) -> tuple[pl.DataFrame, int, list[Problem]]:
    """The sheet as a text grid (``row``, ``c0``…), read row by row.

    Rows are kept as they come until the header row is found (the first of the first 30 non-blank
    rows naming a VIN column, as :func:`_header_index` decides): from then on each cell is turned
    into text knowing its column, so that a *number* cell under a date header is read as an Excel
    serial day number and a number cell under the VIN header is reported (Excel turned the VIN
    into a number: its digits are no longer the VIN). Error cells (``#N/A``…) get their error text
    (calamine gives them as empty), which :func:`_finish` reports in the columns it reads.
    """
    start = sheet.start
    first_column = start[1] if start else 0
    errors = facts.errors
    # Cells are gathered row by row into per-column lists and turned into polars columns every
    # _GRID_CHUNK rows, so that Python holds at most one chunk of cell objects at a time.
    columns: list[list[str | None]] = []
    done: list[list[pl.Series]] = []  # per column: the finished chunks
    problems: list[Problem] = []
    header: list[str | None] | None = None
    header_number = 0
    kinds: dict[int, str] = {}  # column → "date" | "vin" for the columns that need the cell's type
    non_blank = 0
    number = 0
    flushed = 0  # rows already in ``done``
    for number, values in enumerate(sheet.iter_rows(), start=1):
        width = len(values)
        while len(columns) < width:
            done.append([pl.Series([None] * flushed, dtype=pl.String)] if flushed else [])
            columns.append([None] * (number - 1 - flushed))
        texts: list[str | None] = []
        for j, value in enumerate(values):
            text: str | None
            if value == "" and errors and (number - 1, first_column + j) in errors:
                text = errors[(number - 1, first_column + j)]
            elif j in kinds and isinstance(value, int | float) and not isinstance(value, bool):
                text = cell_text(value)
                if kinds[j] == "date":
                    text = _excel_serial(float(value), date1904) or text
                else:
                    where = (header or [])[j] or ""
                    problems.append(_problem(number, where, text or "", schema.expected_texts("vin_text")))
            else:
                # calamine gives "" for an empty cell; null means "not known" everywhere else.
                text = cell_text(value) or None
            texts.append(text)
        for j, text in enumerate(texts):
            columns[j].append(text)
        for j in range(width, len(columns)):
            columns[j].append(None)
        if header is None and non_blank < _HEADER_SEARCH_ROWS and any(t and t.strip(_BLANKS) for t in texts):
            non_blank += 1
            if any(t is not None and schema.canonical_header(t.strip(_BLANKS)) == "vin" for t in texts):
                header, header_number = [t.strip(_BLANKS) if t else None for t in texts], number
                for j, cell in enumerate(header):
                    column = schema.canonical_header(cell) if cell else None
                    if column == "vin":
                        kinds[j] = "vin"
                    elif column is not None and schema.COLUMNS[column].kind == "date":
                        kinds[j] = "date"
        if number - (header_number if header is not None else _HEADER_SEARCH_ROWS) > limits.max_rows:
            raise _over_rows(label, limits)
        if number - flushed >= _GRID_CHUNK:
            for j, cells in enumerate(columns):
                done[j].append(pl.Series(cells, dtype=pl.String))
                columns[j] = []
            flushed = number
    for j, cells in enumerate(columns):
        done[j].append(pl.Series(cells, dtype=pl.String))
    grid = pl.DataFrame(
        {"row": pl.Series(range(1, number + 1), dtype=pl.Int64)}
        | {f"c{i}": pl.concat(parts, rechunk=True) for i, parts in enumerate(done)}
    )
    return grid, first_column, problems


_GRID_CHUNK = 65_536


def _check_zip(native: Path | bytes, name: str) -> SourceFormat:
    """Refuse damaged ZIPs, ZIPs that are not workbooks, and decompression bombs before calamine."""
    try:
        with zipfile.ZipFile(native if isinstance(native, Path) else io.BytesIO(native)) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise VehicleFileError(
            f"{name}: a damaged or truncated XLSX/ZIP file ({exc}); save it again from Excel",
            f"{name}：XLSX/ZIP 文件已损坏或不完整，请用 Excel 重新保存",
        ) from exc
    member_names = {m.filename for m in members}
    kind: SourceFormat = "xlsx"
    if "xl/workbook.xml" not in member_names:
        if "content.xml" in member_names and _zip_mimetype(native) == _ODS_MIMETYPE:
            kind = "ods"
        else:
            hint = (
                "an OpenDocument file but not a spreadsheet"
                if "content.xml" in member_names
                else "not a workbook"
            )
            raise VehicleFileError(
                f"{name}: a ZIP archive but {hint}; save it as .xlsx, .ods or CSV",
                f"{name}：是 ZIP 压缩包但不是电子表格，请另存为 .xlsx、.ods 或 CSV",
                message_ru=f"{name}: ZIP-архив, но не электронная таблица; сохраните как .xlsx, .ods или CSV",
                message_ar=f"{name}: أرشيف ZIP وليس جدول بيانات؛ احفظه بصيغة .xlsx أو .ods أو CSV",
            )
    total = sum(m.file_size for m in members)
    worst = max((m.file_size / max(m.compress_size, 1) for m in members if m.file_size > 10 << 20), default=0)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES or worst > _MAX_ZIP_RATIO:
        raise VehicleFileError(
            f"{name}: the workbook would unpack to {total >> 20} MiB (compression ratio {worst:.0f}:1); "
            "refused as a possible zip bomb",
            f"{name}：工作簿解压后达 {total >> 20} MiB（压缩比 {worst:.0f}:1），疑似压缩炸弹，已拒绝",
        )
    return kind


_ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _zip_mimetype(native: Path | bytes) -> bytes:
    with zipfile.ZipFile(native if isinstance(native, Path) else io.BytesIO(native)) as archive:
        try:
            return archive.read("mimetype").strip()
        except KeyError:
            return b""


def _unreadable_xlsx(name: str, exc: BaseException) -> VehicleFileError:
    if isinstance(exc, python_calamine.PasswordError):
        return _password(name)
    detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
    return VehicleFileError(
        f"{name}: the XLSX workbook cannot be read ({detail}); open it in Excel or WPS and save it again",
        f"{name}：无法读取该 XLSX 工作簿，请用 Excel 或 WPS 打开后重新保存",
    )


def _date_text(value: dt.date) -> str:
    return value.isoformat()


def _datetime_text(value: dt.datetime) -> str:
    # Excel date cells carry a time of day (usually midnight); the contract's dates are days.
    return value.date().isoformat()


def _float_text(value: float) -> str:
    # Excel stores every number as a double: 2000 arrives as 2000.0 and must read back as "2000".
    if value.is_integer():
        return str(int(value))
    return repr(value)


def _decimal_text(value: Decimal) -> str:
    return format(value, "f")


def _bool_text(value: bool) -> str:
    return "true" if value else "false"


_CELL_TEXT: dict[type, Callable[[Any], str]] = {
    str: str,
    int: str,
    bool: _bool_text,
    float: _float_text,
    Decimal: _decimal_text,
    dt.date: _date_text,
    dt.datetime: _datetime_text,
    dt.time: dt.time.isoformat,
    dt.timedelta: str,
}


def cell_text(value: object) -> str | None:
    """The text of one spreadsheet or record value, as the parser expects it.

    >>> [cell_text(v) for v in (None, "x", 2000.0, 2.5, True, dt.date(2026, 3, 5), Decimal("1.50"))]
    [None, 'x', '2000', '2.5', 'true', '2026-03-05', '1.50']
    >>> cell_text(dt.datetime(2026, 3, 5, 13, 30))
    '2026-03-05'
    """
    if value is None:
        return None
    convert = _CELL_TEXT.get(type(value))
    if convert is not None:
        return convert(value)
    # Subclasses (pandas Timestamp, numpy scalars, str enums) by the first matching base.
    for base in (bool, dt.datetime, dt.date, float, int, Decimal, str):
        if isinstance(value, base):
            return _CELL_TEXT[base](value)
    return str(value)


# --------------------------------------------------------------------------------------------
# Records (forms, the REST API)


def record_cells(
    records: Iterable[Mapping[str, object]], *, first_row: int = 1
) -> tuple[dict[str, str], list[dict[str, str | None]]]:
    """The cells of each record by column (canonical name, or the key of an unknown one), as text
    and not yet stripped, with the header text of each column (its first spelling)."""
    order: dict[str, str] = {}  # frame column → header text (first spelling seen)
    rows: list[dict[str, str | None]] = []
    for index, record in enumerate(records):
        cells: dict[str, str | None] = {}
        seen: dict[str, str] = {}
        for key, value in record.items():
            header = str(key).strip(_BLANKS)
            column = schema.canonical_header(header) or header
            if column in seen:
                raise VehicleFileError(
                    f"record {first_row + index}: keys {seen[column]!r} and {header!r} both mean {column}",
                    f"第 {first_row + index} 条记录：键“{seen[column]}”和“{header}”都表示 {column}",
                )
            seen[column] = header
            order.setdefault(column, header)
            cells[column] = cell_text(value)
        rows.append(cells)
    return order, rows


def raw_table_from_records(records: Iterable[Mapping[str, object]], *, first_row: int = 1) -> RawTable:
    """A :class:`RawTable` from dictionaries keyed by canonical names or header aliases.

    Values may be text, dates, numbers, booleans, ``Decimal`` or ``None``; each is turned into the
    text the parser reads (:func:`cell_text`). Record *n* (0-based) gets row number
    ``first_row + n``. Unlike a file, a record with every value empty is kept (it is a vehicle the
    caller asked about), and no ``vin`` key is required: a missing VIN is the engine's finding.
    Two keys meaning the same column in one record raise :class:`VehicleFileError`.
    """
    order, rows = record_cells(records, first_row=first_row)
    names = list(order)
    frame = pl.DataFrame(
        {"row": pl.Series(range(first_row, first_row + len(rows)), dtype=pl.Int64)}
        | {name: pl.Series([r.get(name) for r in rows], dtype=pl.String) for name in names}
    )
    frame = _strip_cells(frame, names)
    known = {order[n]: n for n in names if n in schema.COLUMNS}
    return RawTable(
        frame=frame,
        headers=[order[n] for n in names],
        mapping=known,
        source_format="records",
        encoding=None,
        blank_rows_skipped=0,
        columns={n: order[n] for n in names},
        source="records",
    )


# --------------------------------------------------------------------------------------------
# Shared: from a grid of cells to a RawTable


def _strip_cells(frame: pl.DataFrame, cells: Sequence[str]) -> pl.DataFrame:
    """Strip Unicode whitespace (incl. U+3000 and NBSP) from both ends of every cell; blank → null.

    This is polars' built-in ``strip_chars()`` (Rust's Unicode ``White_Space``), which is a third
    faster than stripping a custom character set; the invisible non-whitespace characters
    (zero-width space, BOM) are removed where they matter, by the VIN and token normalisation
    in :mod:`chuhai.io.parse`. The null-if-empty pass is paid only by columns where a cell became
    empty; checking for that is nearly free because polars stores string lengths.
    """
    frame = frame.with_columns(pl.col(c).str.strip_chars() for c in cells)
    return _null_empty(frame, cells)


def _null_empty(frame: pl.DataFrame, cells: Sequence[str]) -> pl.DataFrame:
    """Empty strings → null. polars reads ``,,`` as null but a quoted ``""`` as an empty string."""
    emptied = frame.select((pl.col(c).str.len_bytes() == 0).any() for c in cells).row(0) if cells else ()
    blanked = [c for c, empty in zip(cells, emptied, strict=True) if empty]
    return frame.with_columns(pl.when(pl.col(c).str.len_bytes() > 0).then(pl.col(c)) for c in blanked)


def _column_letter(index: int) -> str:
    """Excel's column letter for a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_HEADER_SEARCH_ROWS = 30


def _header_index(grid: pl.DataFrame, cells: Sequence[str]) -> int | None:
    """Index of the header row: the first of the first non-blank rows that names a VIN column.

    Chinese stock sheets often carry a title row or two above the header (``某某公司库存车辆明细``);
    those are skipped. If none of the first 30 non-blank rows names a VIN column, the first
    non-blank row is taken, so that the "no VIN column" error lists what the user sees as header.
    """
    first: int | None = None
    for part in (grid.head(1000), grid):
        stripped = _strip_cells(part.select(cells), cells)
        non_blank = stripped.select(pl.arg_where(~_all_null(cells))).to_series()
        for index in non_blank.head(_HEADER_SEARCH_ROWS).to_list():
            first = index if first is None else first
            if any(v is not None and schema.canonical_header(v) == "vin" for v in stripped.row(index)):
                return int(index)
        if len(non_blank) >= _HEADER_SEARCH_ROWS or part.height == grid.height:
            break
    return first


def _all_null(cells: Iterable[str]) -> pl.Expr:
    return pl.all_horizontal(pl.col(c).is_null() for c in cells)


def _finish(
    grid: pl.DataFrame,
    name: str,
    source_format: SourceFormat,
    encoding: str | None,
    problems: Sequence[Problem],
    *,
    strip_typed: bool = True,
    damaged_encoding: bool = False,
    first_column: int = 0,
    max_cell_chars: int = DEFAULT_LIMITS.max_cell_chars,
    markers: frozenset[bytes] = ALL_MARKERS,
) -> RawTable:
    """Find the header row, name the columns, drop fully blank rows.

    With ``strip_typed=False`` the cells of typed (non-text) canonical columns are left as read:
    :func:`chuhai.io.parse.parse_vehicles` strips the few that need it, which saves stripping
    about thirty columns of a million cells each. Blank rows are found correctly either way.
    ``damaged_encoding``: some bytes could not be decoded (U+FFFD in their cells); each such cell
    is a problem of its row.
    """
    cells = [c for c in grid.columns if c != "row"]
    found = _header_index(grid, cells) if cells else None
    if found is None:
        raise _no_vin(
            f"{name}: the file has no header row",
            f"{name}：文件没有表头行",
            message_ru=f"{name}: в файле нет строки заголовка",
            message_ar=f"{name}: لا يحتوي الملف على صف ترويسة",
        )
    header_cells = [
        (str(v).strip(_BLANKS) or None) if v is not None else None for v in grid.select(cells).row(found)
    ]
    header_row = int(grid.get_column("row")[found])
    data = grid.slice(found + 1)
    non_vehicle: list[NonVehicleRow] = []
    sub_header = _second_header_row(data, cells, header_cells)
    if sub_header is not None:
        # A two-row header (merged cells above, the columns' names below): the lower row names the
        # columns its upper cell does not name; it is a header row, not a vehicle.
        for i, below in enumerate(sub_header):
            above = header_cells[i]
            if below is not None and (above is None or schema.canonical_header(above) is None):
                header_cells[i] = below
        non_vehicle.append(
            NonVehicleRow(int(data.get_column("row")[0]), "header", " | ".join(filter(None, sub_header)))
        )
        data = data.slice(1)

    # Name the columns; whole-file errors are raised before any cell is touched.
    matches = {
        cell: schema.match_header(header) if header is not None else schema.HeaderMatch(None)
        for cell, header in zip(cells, header_cells, strict=True)
    }
    letters = {cell: _column_letter(first_column + index) for index, cell in enumerate(cells)}
    texts = {
        cell: header if header is not None else f"(column {letters[cell]})"
        for cell, header in zip(cells, header_cells, strict=True)
    }
    vin_cells = [cell for cell in cells if matches[cell].column == "vin"]
    chosen_vin = _choose_vin(data, vin_cells) if vin_cells else None
    notes: dict[str, str] = {
        cell: f"second VIN column: {texts[chosen_vin]!r} was used"
        for cell in vin_cells
        if chosen_vin is not None and cell != chosen_vin
    }

    frame_names: dict[str, str] = {}  # grid column → frame column (unnamed columns decided below)
    canonical_seen: dict[str, str] = {}
    used_names: set[str] = {"row"}
    units: dict[str, str] = {}
    for cell in cells:
        text = texts[cell]
        canonical = matches[cell].column if cell not in notes else None
        if canonical is not None:
            if canonical in canonical_seen:
                first = canonical_seen[canonical]
                raise VehicleFileError(
                    f"{name}: columns {first!r} and {text!r} both mean {canonical}; keep only one",
                    f"{name}：列“{first}”和“{text}”都表示 {canonical}，请只保留一列",
                    message_ru=f"{name}: столбцы {first!r} и {text!r} оба означают {canonical}; "
                    "оставьте один",
                    message_ar=f"{name}: العمودان {first!r} و{text!r} يعنيان كلاهما {canonical}؛ أبقِ واحدًا",
                )
            canonical_seen[canonical] = text
            frame_name = canonical
            unit = matches[cell].unit
            if unit is not None:
                units[canonical] = unit
        else:
            frame_name = text
            suffix = 2
            while frame_name in used_names or frame_name in schema.COLUMNS:
                frame_name = f"{text} ({suffix})"
                suffix += 1
        used_names.add(frame_name)
        frame_names[cell] = frame_name
    if "vin" not in canonical_seen:
        accepted = ", ".join((schema.COLUMNS["vin"].name, *schema.COLUMNS["vin"].aliases))
        named = [h for h in header_cells if h is not None]
        found_headers = ", ".join(repr(h) for h in named) or "none"
        resembling = [texts[c] for c in cells if matches[c].hint == "vin"]
        hint_en = (
            f"; {resembling[0]!r} looks like a VIN column but is not one of these names" if resembling else ""
        )
        hint_zh = f"；“{resembling[0]}”像是车辆识别代号列，但不是可识别的列名" if resembling else ""
        raise _no_vin(
            f"{name}: no VIN column (headers found: {found_headers}); name it one of: {accepted}{hint_en}",
            f"{name}：没有车辆识别代号列（找到的表头：{found_headers}），列名应为以下之一：{accepted}{hint_zh}",
            message_ru=f"{name}: нет столбца VIN (найдены заголовки: {found_headers}); "
            f"назовите его одним из: {accepted}",
            message_ar=f"{name}: لا يوجد عمود رقم الهيكل VIN (الترويسات الموجودة: {found_headers})؛ سمِّه "
            f"بأحد الأسماء: {accepted}",
        )

    typed = {
        cell
        for cell in cells
        if not strip_typed
        and frame_names[cell] in schema.COLUMNS
        and schema.COLUMNS[frame_names[cell]].kind != "text"
    }
    stripped = [c for c in cells if c not in typed]
    data = _null_empty(_strip_cells(data, stripped), sorted(typed))
    if b'="' in markers:
        data = _unwrap_formula_text(data, cells)
    limits = {c: schema.TEXT_LIMITS.get(frame_names[c], max_cell_chars) for c in cells}
    data, unsafe = _unsafe_cells(data, cells, {c: texts[c] for c in cells}, limits, b"\x00" in markers)

    # Fully blank rows (Excel's trailing formatted rows): every cell empty or blank. Unstripped
    # typed cells are checked only on the rows whose stripped cells are all empty.
    blank = data.select(_all_null(stripped)).to_series()
    if typed and blank.any():
        candidates = blank.arg_true()
        subset = data.select(sorted(typed)).gather(candidates)
        typed_blank = subset.select(
            pl.all_horizontal(
                pl.col(c).is_null() | (pl.col(c).str.strip_chars().str.len_bytes() == 0) for c in typed
            )
        ).to_series()
        blank = blank.scatter(candidates.filter(~typed_blank), False)
    if problems and blank.any():
        # A row the reader reported (a lone quote that parsed to nothing) is not blank: it stays, so
        # that its problem has a vehicle to belong to and the output keeps one entry per input row.
        reported = pl.Series([p[0] for p in problems], dtype=pl.Int64)
        blank = blank & ~data.get_column("row").is_in(reported.implode())
    kept = data.filter(~blank) if blank.any() else data
    blank_rows = data.height - kept.height

    # Rows that are not vehicles: the header repeated (a sheet pasted below another, a printed
    # page's header) and totals rows (合计 …). They are reported, not screened as invalid vehicles.
    vin_cell = next(c for c in cells if frame_names[c] == "vin")
    kept, found_rows = _non_vehicle_rows(kept, cells, vin_cell, {c: texts[c] for c in cells})
    non_vehicle.extend(found_rows)

    # A column without a header is kept only if it holds a value (else it is Excel's formatting).
    unnamed = [c for c, h in zip(cells, header_cells, strict=True) if h is None]
    has_values = kept.select(pl.col(c).is_not_null().any() for c in unnamed).row(0) if unnamed else ()
    dropped = {c for c, used in zip(unnamed, has_values, strict=True) if not used}

    renames = {c: frame_names[c] for c in cells if c not in dropped}
    headers = [texts[c] for c in renames]
    columns = {frame_names[c]: texts[c] for c in renames}
    mapping = {texts[c]: frame_names[c] for c in renames if frame_names[c] in schema.COLUMNS}
    frame = kept.select(pl.col("row"), *(pl.col(c).alias(n) for c, n in renames.items()))
    uses = tuple(
        ColumnUse(
            letter=letters[c],
            header=texts[c],
            field=frame_names[c] if frame_names[c] in schema.COLUMNS else None,
            unit=units.get(frame_names[c]) if frame_names[c] in schema.COLUMNS else None,
            probably=matches[c].hint if frame_names[c] not in schema.COLUMNS else None,
            note=notes.get(c),
        )
        for c in renames
    )
    found_problems = [*problems, *unsafe]
    if damaged_encoding:
        found_problems.extend(_encoding_problems(frame, columns, encoding or "utf-8"))
    found_problems.extend(_cell_problems(frame, columns, markers))
    return RawTable(
        frame=frame,
        headers=headers,
        mapping=mapping,
        source_format=source_format,
        encoding=encoding,
        blank_rows_skipped=blank_rows,
        columns=columns,
        cell_problems=pl.DataFrame([list(p) for p in found_problems], schema=PROBLEM_SCHEMA, orient="row")
        if found_problems
        else _empty_problems(),
        source=name,
        header_row=header_row,
        column_uses=uses,
        units=units,
        non_vehicle_rows=tuple(sorted(non_vehicle, key=lambda r: r.row)),
    )


def _second_header_row(
    data: pl.DataFrame, cells: Sequence[str], header_cells: Sequence[str | None]
) -> list[str | None] | None:
    """The row below the header if it is the lower half of a two-row header, else ``None``.

    It is one when it names at least one column of the vehicle file under a header cell that does
    not (a merged group heading such as 发动机, or the empty cells a merge leaves), and none of its
    cells holds a value under a header cell that names a column (the VIN column's cell is empty).
    """
    if data.height == 0:
        return None
    below = [(str(v).strip(_BLANKS) or None) if v is not None else None for v in data.select(cells).row(0)]
    names_a_column = False
    for above, cell in zip(header_cells, below, strict=True):
        if cell is None:
            continue
        if above is not None and schema.canonical_header(above) is not None:
            return None  # a value under a named column: a vehicle (or junk), not a header
        if schema.canonical_header(cell) is not None:
            names_a_column = True
    return below if names_a_column else None


_TOTALS = re.compile(
    r"^(?:合计|总计|小计|共计|总数|汇总|total|totals|subtotal|sum|grandtotal)(?:[:：(（].*|\d.*)?$"
)


def _non_vehicle_rows(
    frame: pl.DataFrame, cells: Sequence[str], vin_cell: str, headers: Mapping[str, str]
) -> tuple[pl.DataFrame, list[NonVehicleRow]]:
    """Split off repeated header rows and totals rows (by their VIN cell or a totals word).

    Only rows whose VIN cell is not a plain 17-character VIN can be either: the checks (NFKC and
    all) run on those candidates alone, so a file of good VINs pays for one pass over the VINs.
    """
    if frame.height == 0:
        return frame, []
    plain = pl.col(vin_cell).str.contains(r"^[0-9A-Z]{17}$").fill_null(False)
    candidates = frame.filter(~plain)
    if candidates.height == 0:
        return frame, []
    vin = pl.col(vin_cell).str.strip_chars()
    normalised = vin.str.normalize("NFKC").str.to_lowercase().str.replace_all(r"\s+", "")
    spellings = {schema.COLUMNS["vin"].name, *schema.COLUMNS["vin"].aliases, headers[vin_cell]}
    forms = {schema.normalise_header(a) for a in spellings} | {schema.normalise_token(a) for a in spellings}
    repeated = normalised.is_in(pl.Series(sorted(forms), dtype=pl.String).implode())
    # The totals word stands in the VIN column or one of the first columns (序号, 车辆识别代号 …).
    where = list(dict.fromkeys([vin_cell, *cells[:3]]))
    totals_word = pl.any_horizontal(
        pl.col(c)
        .str.normalize("NFKC")
        .str.to_lowercase()
        .str.replace_all(r"\s+", "")
        .str.contains(_TOTALS.pattern)
        for c in where
    )
    vin_shaped = normalised.str.to_uppercase().str.contains(r"^[A-HJ-NPR-Z0-9]{17}$").fill_null(False)
    totals = totals_word.fill_null(False) & ~vin_shaped
    kind = pl.when(repeated.fill_null(False)).then(pl.lit("header")).when(totals).then(pl.lit("totals"))
    text = pl.concat_str([pl.col(c) for c in cells], separator=" | ", ignore_nulls=True)
    flagged = candidates.select(pl.col("row"), kind.alias("kind"), text.alias("text")).filter(
        pl.col("kind").is_not_null()
    )
    if flagged.height == 0:
        return frame, []
    rows = [NonVehicleRow(row, kind_, text_[:200]) for row, kind_, text_ in flagged.iter_rows()]
    return frame.filter(~pl.col("row").is_in(flagged.get_column("row").implode())), rows


_VIN_SHAPE = r"^[A-HJ-NPR-Z0-9]{17}$"


def _no_vin(message: str, message_zh: str, *, message_ru: str, message_ar: str) -> VehicleFileError:
    error = VehicleFileError(message, message_zh, message_ru=message_ru, message_ar=message_ar)
    error.no_vin_column = True
    return error


def _choose_vin(data: pl.DataFrame, candidates: Sequence[str]) -> str:
    """The VIN column among several candidates: the one with most 17-character VIN-shaped cells
    (after removing blanks and upper-casing); the first on a tie."""
    if len(candidates) == 1:
        return candidates[0]
    scores = data.select(
        pl.col(c)
        .str.replace_all(r"\s+", "")
        .str.to_uppercase()
        .str.contains(_VIN_SHAPE)
        .fill_null(False)
        .sum()
        .alias(c)
        for c in candidates
    ).row(0)
    best = max(range(len(candidates)), key=lambda i: (scores[i], -i))
    return candidates[best]


def _unsafe_cells(
    data: pl.DataFrame,
    cells: Sequence[str],
    headers: Mapping[str, str],
    limits: Mapping[str, int],
    may_hold_nul: bool = True,
) -> tuple[pl.DataFrame, list[Problem]]:
    """NUL characters and over-long cells: the row's finding, and the cell made safe to store.

    A NUL cannot be stored in PostgreSQL text and a cell longer than its database column (or than
    any sensible cell) would fail the import with an internal error: the cell is reported (its
    NULs shown as ␀, its text cut) and, in the table, its NULs become U+FFFD and its text is cut
    to the limit, so that nothing unsafe reaches a database or a result file.
    """
    if not cells:
        return data, []
    # A cell of at most ``limit`` bytes has at most ``limit`` characters: only the longer ones are
    # counted in characters (polars keeps byte lengths, characters must be counted).
    flags = data.select(
        *(
            (pl.col(c).str.contains("\x00", literal=True).any() if may_hold_nul else pl.lit(False)).alias(
                f"n{i}"
            )
            for i, c in enumerate(cells)
        ),
        *((pl.col(c).str.len_bytes() > limits[c]).any().alias(f"l{i}") for i, c in enumerate(cells)),
    ).row(0, named=True)
    problems: list[Problem] = []
    fixes: list[pl.Expr] = []
    for i, cell in enumerate(cells):
        limit = limits[cell]
        has_nul = flags[f"n{i}"]
        too_long = flags[f"l{i}"] and bool(data.select((pl.col(cell).str.len_chars() > limit).any()).item())
        if not (has_nul or too_long):
            continue
        bad = pl.col(cell).str.contains("\x00", literal=True) | (pl.col(cell).str.len_chars() > limit)
        for row, value in data.filter(bad).select("row", cell).iter_rows():
            if "\x00" in value:
                shown = value.replace("\x00", "\u2400")[:200]
                problems.append(_problem(row, headers[cell], shown, schema.expected_texts("no_nul")))
            if len(value) > limit:
                shown = value.replace("\x00", "\u2400")[:200] + "…"
                problems.append(
                    _problem(row, headers[cell], shown, schema.expected_texts("cell_length", limit=limit))
                )
        fixes.append(pl.col(cell).str.replace_all("\x00", "\ufffd", literal=True).str.slice(0, limit))
    return (data.with_columns(fixes) if fixes else data), problems


# ERP exports write ="0012345" so that Excel keeps the text: the cell is the text between the quotes.
_FORMULA_TEXT = r'^="([^"]*)"$'


def _unwrap_formula_text(data: pl.DataFrame, cells: Sequence[str]) -> pl.DataFrame:
    wrapped = data.select(pl.col(c).str.starts_with('="').any() for c in cells).row(0) if cells else ()
    todo = [c for c, any_wrapped in zip(cells, wrapped, strict=True) if any_wrapped]
    return data.with_columns(pl.col(c).str.replace(_FORMULA_TEXT, "${1}") for c in todo)


# A VIN Excel turned into a number shows as 1.23457E+16 (or all its digits, in a number cell).
_SCIENTIFIC = r"^\s*[0-9](?:\.[0-9]+)?[eE]\+?[0-9]{1,3}\s*$"


def _cell_problems(
    frame: pl.DataFrame, columns: Mapping[str, str], markers: frozenset[bytes] = ALL_MARKERS
) -> list[Problem]:
    """Cells no column can read: Excel error values in the columns read, VINs in scientific notation."""
    found: list[Problem] = []
    codes = pl.Series(sorted(workbooks.ERROR_CODES), dtype=pl.String).implode()
    read = (
        [c for c in columns if c in schema.COLUMNS]
        if b"#" in markers or b"E+" in markers or b"e+" in markers
        else []
    )
    # Error values start with "#" (after blanks): only columns holding such a cell are looked at.
    hashed = (
        frame.select(pl.col(c).str.contains("#", literal=True).any() for c in read).row(0) if read else ()
    )
    for column, has_hash in zip(read, hashed, strict=True):
        header = columns[column]
        if not has_hash and column != "vin":
            continue
        if has_hash:
            hits = frame.filter(pl.col(column).str.strip_chars().is_in(codes)).select("row", column)
            for row, value in hits.iter_rows():
                found.append(
                    _problem(row, header, value, schema.expected_texts("excel_error", error=value.strip()))
                )
        if column == "vin" and (b"E+" in markers or b"e+" in markers):
            # Excel writes 1.23457E+16: a cheap look for "E+" first, the pattern on those cells only.
            maybe = pl.col(column).str.contains("E+", literal=True) | pl.col(column).str.contains(
                "e+", literal=True
            )
            hits = frame.filter(maybe & pl.col(column).str.contains(_SCIENTIFIC)).select("row", column)
            found.extend(
                _problem(row, header, value, schema.expected_texts("vin_text"))
                for row, value in hits.iter_rows()
            )
    found.sort(key=lambda p: p[0])
    return found


def _encoding_problems(frame: pl.DataFrame, columns: Mapping[str, str], encoding: str) -> list[Problem]:
    """One problem per cell holding U+FFFD where bytes could not be decoded."""
    expected = schema.expected_texts("decodable_text", encoding=encoding)
    found: list[Problem] = []
    for column, header in columns.items():
        hits = frame.filter(pl.col(column).str.contains("\ufffd", literal=True)).select("row", column)
        found.extend(_problem(row, header, value, expected) for row, value in hits.iter_rows())
    found.sort(key=lambda p: p[0])
    return found
