"""Junk in, no crash out (STYLE.md principle 7): arbitrary cells, files and bytes.

Properties: the parser never raises on any cell text; the output has one row per input row, in
order; a non-empty cell of a typed column is either read or reported as a problem (nothing
unreadable passes silently, nothing readable is reported); a file reader either returns a table
or raises InputError, never another exception.
"""

from __future__ import annotations

import csv
import io
import zipfile

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chuhai import schema
from chuhai.errors import InputError
from chuhai.io.parse import ParsedTable, parse_records, parse_vehicles
from chuhai.io.readers import RawTable, read_vehicle_bytes

TYPED = [c.name for c in schema.COLUMN_LIST if c.kind != "text"]
# Header spellings the generator picks from: canonical names, aliases and unknown headers.
HEADERS = sorted(
    {c.name for c in schema.COLUMN_LIST} | {a for c in schema.COLUMN_LIST for a in c.aliases[:1]}
)

# Cells: arbitrary text, plus near-misses of every accepted spelling.
NEAR_MISSES = [
    "2026-02-30",
    "2026年3月5日",
    "２０２６-03-05",
    " 是 ",
    "Y",
    "ｙｅｓ",
    "2,000",
    "2.000",
    "+5",
    "-0",
    "1e3",
    "非营运",
    "ＲＵ",
    "rus",
    "\u200b",
    "\u3000",
    "'",
    '"',
    "=1+1",
    "0x10",
    "9" * 30,
    ".5",
    "5.",
    "NaN",
    "inf",
]
cells = st.one_of(st.none(), st.text(max_size=12), st.sampled_from(NEAR_MISSES))
typed_headers = st.lists(st.sampled_from(TYPED), min_size=1, max_size=6, unique=True)


def check_parsed(parsed: ParsedTable, expected_rows: list[int]) -> None:
    """The invariants every parse must keep."""
    assert parsed.frame.get_column("row").to_list() == expected_rows
    raw = parsed.raw.frame
    assert raw.get_column("row").to_list() == expected_rows
    problems = parsed.problems
    assert problems.get_column("row").is_in(expected_rows).all()
    assert problems.get_column("value").null_count() == 0
    for column in TYPED:
        if column not in raw.columns:
            continue
        header = parsed.raw.header_of(column)
        reported = set(problems.filter(pl.col("column") == header).get_column("row").to_list())
        unread = raw.select(
            pl.col("row").filter(pl.col(column).is_not_null() & parsed.frame.get_column(column).is_null())
        )
        assert set(unread.get_column("row").to_list()) == reported, column
    assert set(parsed.invalid_rows.to_list()) == set(problems.get_column("row").to_list())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(columns=typed_headers, data=st.data())
def test_parse_records_never_raises(columns: list[str], data: st.DataObject) -> None:
    records = data.draw(st.lists(st.fixed_dictionaries(dict.fromkeys(columns, cells)), max_size=8))
    parsed = parse_records(records)
    check_parsed(parsed, list(range(1, len(records) + 1)))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    headers=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=5, unique=True),
    data=st.data(),
    strip_typed=st.booleans(),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_files_never_lose_rows(
    headers: list[str], data: st.DataObject, strip_typed: bool, delimiter: str
) -> None:
    by_column = {schema.canonical_header(h) or h: h for h in headers}
    header = ["vin", *(h for c, h in by_column.items() if c != "vin")]
    text_cells = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\x00"), max_size=10)
    rows = data.draw(st.lists(st.lists(text_cells, min_size=len(header), max_size=len(header)), max_size=8))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    raw = read_vehicle_bytes(buffer.getvalue().encode("utf-8"), "hypothesis.csv", strip_typed=strip_typed)
    assert raw.frame.height + raw.blank_rows_skipped == len(rows)
    numbers = raw.frame.get_column("row").to_list()
    assert numbers == sorted(set(numbers))
    check_parsed(parse_vehicles(raw), numbers)


def _raw_or_input_error(data: bytes, name: str) -> RawTable | None:
    try:
        return read_vehicle_bytes(data, name)
    except InputError:
        return None


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=2048), name=st.sampled_from(["a.csv", "a.xlsx", "a.txt", "a"]))
def test_arbitrary_bytes(data: bytes, name: str) -> None:
    raw = _raw_or_input_error(data, name)
    if raw is not None:
        parse_vehicles(raw)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
@example(text='"')  # a lone quote parsed to an empty record, which was dropped as blank: a lost row
def test_arbitrary_text_files(text: str) -> None:
    for encoding in ("utf-8", "gb18030"):
        try:
            data = ("vin,seats\n" + text).encode(encoding)
        except UnicodeEncodeError:
            continue
        raw = _raw_or_input_error(data, "a.csv")
        if raw is not None:
            check_parsed(parse_vehicles(raw), raw.frame.get_column("row").to_list())


@pytest.fixture(scope="module")
def workbook_bytes() -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, ["vin", "seats", "出厂日期"])
    sheet.write_row(1, 0, ["LVSHCAMB1CE012345", 5, "2024-01-01"])
    workbook.close()
    return buffer.getvalue()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_damaged_workbooks(workbook_bytes: bytes, data: st.DataObject) -> None:
    damaged = bytearray(workbook_bytes)
    for _ in range(data.draw(st.integers(1, 20))):
        position = data.draw(st.integers(0, len(damaged) - 1))
        damaged[position] = data.draw(st.integers(0, 255))
    cut = data.draw(st.integers(4, len(damaged)))
    raw = _raw_or_input_error(bytes(damaged[:cut]), "a.xlsx")
    if raw is not None:
        check_parsed(parse_vehicles(raw), raw.frame.get_column("row").to_list())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(xml=st.binary(max_size=600), data=st.data())
def test_garbage_sheet_xml(workbook_bytes: bytes, xml: bytes, data: st.DataObject) -> None:
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as source:
        members = {m.filename: source.read(m) for m in source.infolist()}
    target = data.draw(st.sampled_from(sorted(members)))
    members[target] = xml
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for member, content in members.items():
            archive.writestr(member, content)
    raw = _raw_or_input_error(buffer.getvalue(), "a.xlsx")
    if raw is not None:
        check_parsed(parse_vehicles(raw), raw.frame.get_column("row").to_list())
