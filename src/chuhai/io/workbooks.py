"""What calamine does not tell about a workbook: its error cells, its date system and its size.

python-calamine (0.9) turns an Excel error cell (``#N/A``, ``#DIV/0!``, ``#VALUE!``, ``#REF!``,
``#NAME?``, ``#NUM!``, ``#NULL!``) into an empty string, exactly like an empty cell: its
``CellValue`` conversion maps calamine's ``Data::Error`` to ``Empty`` and offers no option to see
it. A compliance tool must not read ``#N/A`` under 是否查封 as "not known" or "no", so the error
cells are found here, straight from the file, without loading it:

* XLSX: the worksheet's XML is decompressed as a stream and searched for ``t="e"`` cells (their
  reference ``r="B7"`` and cached text ``<v>#N/A</v>``); the same pass counts the ``<row>``
  elements, so that a sheet too large for the reader's budget is refused before calamine holds it
  in memory. ``<workbookPr date1904="1">`` says which epoch Excel serial numbers count from.
* ODS: ``content.xml`` is parsed incrementally (``iterparse``, elements cleared as they pass) for
  cells with ``calcext:value-type="error"``, as LibreOffice writes them, counting repeated rows and
  columns.
* XLS (BIFF): xlrd reads the cell types (``XL_CELL_ERROR``); an .xls sheet holds at most 65,536
  rows, so this is bounded.

Positions are 0-based ``(row, column)`` of the sheet, as calamine's rows are.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from xml.etree import ElementTree

__all__ = ["ERROR_CODES", "SheetFacts", "WorkbookFacts", "workbook_facts"]

ERROR_CODES = frozenset({"#N/A", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#NULL!", "#GETTING_DATA"})

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_CALCEXT = "{urn:org:documentfoundation:names:experimental:calc:xmlns:calcext:1.0}"
_OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"

_CHUNK = 1 << 22


@dataclass
class SheetFacts:
    """One worksheet: its error cells and, where the format tells cheaply, its number of rows."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    rows: int | None = None
    """``<row>`` elements in an XLSX sheet (rows with content or formatting); ``None`` elsewhere."""
    width: int | None = None
    """Columns of the sheet's used range (its ``<dimension ref="A1:AA1000">``), where it says."""
    xml_bytes: int | None = None
    """The uncompressed size of an XLSX sheet's XML (what calamine will parse)."""
    unlocated_errors: int = 0
    """Error cells without a cell reference (``r=``), which cannot be placed: refused by the reader."""


@dataclass
class WorkbookFacts:
    date1904: bool = False
    sheets: dict[str, SheetFacts] = field(default_factory=dict)


def workbook_facts(native: Path | bytes, kind: str, sheets: list[str]) -> WorkbookFacts:
    """Error cells and sizes of the named ``sheets`` of an ``xlsx``, ``ods`` or ``xls`` workbook."""
    if kind == "xlsx":
        return _xlsx_facts(native, sheets)
    if kind == "ods":
        return _ods_facts(native, sheets)
    return _xls_facts(native, sheets)


def _open_zip(native: Path | bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(native if isinstance(native, Path) else io.BytesIO(native))


# ------------------------------------------------------------------------------------------------
# XLSX


def _xlsx_parts(archive: zipfile.ZipFile) -> tuple[bool, dict[str, str]]:
    """``(date1904, sheet name → worksheet part name)`` from workbook.xml and its relationships."""
    # The standard library's expat (2.4+) refuses entity-expansion bombs and resolves no external
    # entities; the parts read whole here are the workbook's small index files.
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
    properties = workbook.find(f"{_MAIN}workbookPr")
    date1904 = properties is not None and properties.get("date1904", "0").lower() in ("1", "true")
    try:
        rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))  # noqa: S314
    except KeyError:
        return date1904, {}
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{_PKG_REL}Relationship")}
    parts: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN}sheet"):
        target = targets.get(sheet.get(f"{_REL}id"))
        if not target:
            continue
        part = (
            target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        )
        parts[sheet.get("name", "")] = part
    return date1904, parts


_CELL_REF = re.compile(rb'\br="([A-Z]{1,3})([0-9]{1,7})"')
_CELL_TAG = re.compile(rb"<(?:\w+:)?c\s")
# After an error cell's start tag: an optional formula, then the cached value (the error's text).
_CELL_BODY = re.compile(
    rb"\s*(?:<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>))?\s*<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>"
)
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([A-Z]{1,3})[0-9]*(?::([A-Z]{1,3})[0-9]*)?"')
_PREFIXED_SHEET = re.compile(rb"<\w+:sheetData[\s>]")
_ROW_TAG = re.compile(rb"<(?:\w+:)?row[\s>/]")
_OVERLAP = 4096  # bytes kept from one chunk to the next: no cell tag or value is longer


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + (letter - 64)
    return index - 1


def _scan_xlsx_sheet(stream: IO[bytes]) -> SheetFacts:
    """One pass over a worksheet's XML: count the rows, find the ``t="e"`` cells.

    The XML is read in 4 MiB chunks; each chunk is searched with the last 4 KiB of the previous
    one in front, and a match is taken only once (matches starting in the last 2 KiB of a chunk
    wait for the next one, so that no tag is cut).
    """
    facts = SheetFacts()
    rows = 0
    tail = b""
    offset = 0  # absolute offset of buf[0]
    taken_until = 0  # absolute offset before which every match was already taken
    prefixed: bool | None = None
    while True:
        chunk = stream.read(_CHUNK)
        buf = tail + chunk
        final = not chunk
        limit = len(buf) if final else max(len(buf) - _OVERLAP // 2, 0)
        begin = max(0, taken_until - offset)
        if offset == 0 and facts.width is None:
            dimension = _DIMENSION.search(buf, 0, 4096)
            if dimension:
                last = dimension.group(2) or dimension.group(1)
                facts.width = _column_index(last) - _column_index(dimension.group(1)) + 1
        if prefixed is None:
            prefixed = _PREFIXED_SHEET.search(buf) is not None
        if prefixed:  # <x:row …>: rare, counted by the (slower) regular expression
            rows += sum(1 for _ in _ROW_TAG.finditer(buf, begin, limit))
        else:  # a match starting before ``limit`` is counted here, even if it ends after it
            rows += buf.count(b"<row ", begin, limit + 4) + buf.count(b"<row>", begin, limit + 4)
        position = buf.find(b't="e"', begin, limit)
        while position != -1:
            _take_error(buf, position, facts)
            position = buf.find(b't="e"', position + 1, limit)
        taken_until = offset + limit
        if final:
            break
        keep = min(len(buf), _OVERLAP)
        tail = buf[-keep:]
        offset += len(buf) - keep
    facts.rows = rows
    return facts


def _take_error(buf: bytes, position: int, facts: SheetFacts) -> None:
    open_at = buf.rfind(b"<", 0, position)
    close_at = buf.find(b">", position)
    if open_at == -1 or close_at == -1 or not _CELL_TAG.match(buf, open_at):
        return  # t="e" in text, not in a cell's tag
    tag = buf[open_at:close_at]
    text = "#VALUE!"
    if not tag.endswith(b"/"):
        body = _CELL_BODY.match(buf, close_at + 1)
        text = (body.group(1).decode("utf-8", "replace").strip() if body else "") or text
    reference = _CELL_REF.search(tag)
    if reference is None:
        facts.unlocated_errors += 1
    else:
        facts.errors[(int(reference.group(2)) - 1, _column_index(reference.group(1)))] = text


def _xlsx_facts(native: Path | bytes, sheets: list[str]) -> WorkbookFacts:
    with _open_zip(native) as archive:
        date1904, parts = _xlsx_parts(archive)
        facts = WorkbookFacts(date1904=date1904)
        for name in sheets:
            part = parts.get(name)
            if part is None:
                facts.sheets[name] = SheetFacts()
                continue
            try:
                info = archive.getinfo(part)
            except KeyError:
                facts.sheets[name] = SheetFacts()
                continue
            with archive.open(info) as stream:
                sheet = _scan_xlsx_sheet(stream)
            sheet.xml_bytes = info.file_size
            facts.sheets[name] = sheet
    return facts


# ------------------------------------------------------------------------------------------------
# ODS


def _ods_facts(native: Path | bytes, sheets: list[str]) -> WorkbookFacts:
    wanted = set(sheets)
    facts = WorkbookFacts(sheets={name: SheetFacts() for name in sheets})
    with _open_zip(native) as archive, archive.open("content.xml") as stream:
        current: SheetFacts | None = None
        row = column = 0
        for event, element in _iterparse(stream):
            tag = element.tag
            if event == "start":
                if tag == f"{_TABLE}table":
                    name = element.get(f"{_TABLE}name", "")
                    current = facts.sheets[name] if name in wanted else None
                    row = 0
                elif tag == f"{_TABLE}table-row":
                    column = 0
                continue
            if tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                repeat = int(element.get(f"{_TABLE}number-columns-repeated", "1") or 1)
                if current is not None and element.get(f"{_CALCEXT}value-type") == "error":
                    text = "".join(element.itertext()).strip() or "#VALUE!"
                    for i in range(min(repeat, 16384)):
                        current.errors[(row, column + i)] = text
                column += repeat
                element.clear()
            elif tag == f"{_TABLE}table-row":
                row += int(element.get(f"{_TABLE}number-rows-repeated", "1") or 1)
                element.clear()
            elif tag == f"{_TABLE}table":
                current = None
                element.clear()
    return facts


def _iterparse(stream: IO[bytes]) -> Iterator[tuple[str, ElementTree.Element]]:
    return ElementTree.iterparse(stream, events=("start", "end"))  # noqa: S314 - expat 2.4+, see above


# ------------------------------------------------------------------------------------------------
# XLS


def _xls_facts(native: Path | bytes, sheets: list[str]) -> WorkbookFacts:
    import xlrd

    data = native.read_bytes() if isinstance(native, Path) else native
    book = xlrd.open_workbook(file_contents=data, on_demand=True)
    try:
        facts = WorkbookFacts(date1904=bool(book.datemode))
        names = book.sheet_names()
        for name in sheets:
            sheet_facts = SheetFacts()
            if name in names:
                sheet = book.sheet_by_name(name)
                sheet_facts.rows = sheet.nrows
                for r in range(sheet.nrows):
                    for c, kind in enumerate(sheet.row_types(r)):
                        if kind == xlrd.XL_CELL_ERROR:
                            code = sheet.cell_value(r, c)
                            sheet_facts.errors[(r, c)] = xlrd.error_text_from_code.get(code, "#VALUE!")
                book.unload_sheet(name)
            facts.sheets[name] = sheet_facts
    finally:
        book.release_resources()
    return facts
