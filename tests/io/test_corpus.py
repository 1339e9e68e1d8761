"""Issue 9, item 11: the corpus of real-shaped files, and properties of the readers.

The rule for every file: rows in = results out. Each row below the header is exactly one of a
vehicle (one result, in file order: eligible, action required, blocked, or invalid with its
findings), a blank row (counted), or a row that is not a vehicle (a totals row, a repeated header,
the lower row of a two-row header: reported as such). Nothing is dropped silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuhai import schema
from chuhai.engine.law import load_law
from chuhai.io.parse import ParsedTable, load_vehicle_bytes, load_vehicle_file
from chuhai.io.profile import load_exporter_profile
from chuhai.report import run
from tests.io.corpus.make_corpus import MANIFEST, VINS

CORPUS = Path(__file__).parent / "corpus" / "files"
DEMO = Path(__file__).parents[2] / "demo"


def accounted(parsed: ParsedTable) -> tuple[int, int, int]:
    raw = parsed.raw
    return parsed.frame.height, len(raw.non_vehicle_rows), raw.blank_rows_skipped


def test_the_manifest_names_every_corpus_file() -> None:
    assert {p.name for p in CORPUS.iterdir()} == set(MANIFEST)


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_rows_in_equal_results_out(name: str) -> None:
    entry = MANIFEST[name]
    parsed = load_vehicle_file(CORPUS / name)
    vehicles, non_vehicle, blank = accounted(parsed)
    assert (non_vehicle, blank) == (entry.non_vehicle, entry.blank)
    assert vehicles + non_vehicle + blank == entry.rows
    rows = parsed.frame.get_column("row").to_list()
    assert rows == sorted(set(rows))
    # Every problem belongs to a vehicle row, and the engine gives each vehicle exactly one result.
    assert set(parsed.problems.get_column("row")) <= set(rows)
    exporter = load_exporter_profile(DEMO / "exporter.yaml")
    _, out = run(parsed, exporter, dt.date(2026, 12, 1), load_law(), lambda ev: None)
    results = pl.concat(out.vehicles) if out.vehicles else pl.DataFrame({"row": []})
    assert results.get_column("row").to_list() == rows
    invalid = set(results.filter(pl.col("verdict") == "invalid").get_column("row"))
    assert set(parsed.invalid_rows) <= invalid


# --------------------------------------------------------------------------------------------
# Hypothesis over the readers: generated files of every format with clerks' decorations.

VIN_HEADERS = [
    "车辆识别代号",
    "*车辆识别代号",
    "车辆识别代号（VIN）",
    "VIN码",
    "车辆识别代码",
    "车架号",
    "vin",
]
OTHER_HEADERS = {
    "brand": ["车辆品牌", "品牌", "厂牌"],
    "owner_name": ["车主", "机动车所有人", "*车主"],
    "seized": ["是否查封", "查封扣押", "是否查封\n(必填)"],
    "registration_date": ["上牌日期", "登记日期", "注册登记日期"],
    "displacement_ml": ["排量", "排量(ml)", "发动机排量"],
}
cell_text = st.one_of(
    st.sampled_from(["丰田", "否", "是", "1998", "2.0", "2020-04-01", "2020年4月1日", "重庆某某", "", " "]),
    st.text(alphabet="ABCDEF0123456789甲乙丙 ", max_size=8),
)


@st.composite
def stock(draw: st.DrawFn) -> tuple[list[str], list[list[str]], dict[int, str], set[int]]:
    """A header, rows below it and where non-vehicle and blank rows were put (by row index)."""
    fields = draw(st.lists(st.sampled_from(sorted(OTHER_HEADERS)), unique=True, max_size=4))
    header = [draw(st.sampled_from(VIN_HEADERS)), *(draw(st.sampled_from(OTHER_HEADERS[f])) for f in fields)]
    vehicles = draw(st.integers(min_value=0, max_value=6))
    rows: list[list[str]] = [
        [draw(st.sampled_from(VINS)), *(draw(cell_text) for _ in fields)] for _ in range(vehicles)
    ]
    extra: dict[int, str] = {}
    blank: set[int] = set()
    for kind in draw(st.lists(st.sampled_from(["header", "totals", "blank"]), max_size=3)):
        at = draw(st.integers(min_value=0, max_value=len(rows)))
        row = {
            "header": list(header),
            "totals": ["合计", *([""] * len(fields))],
            "blank": [""] * len(header),
        }[kind]
        rows.insert(at, row)
        # Positions after the insertion point move down by one.
        extra = {(i + 1 if i >= at else i): k for i, k in extra.items()}
        blank = {i + 1 if i >= at else i for i in blank}
        if kind == "blank":
            blank.add(at)
        else:
            extra[at] = kind
    return header, rows, extra, blank


def _csv_bytes(header: list[str], rows: list[list[str]], encoding: str, delimiter: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([header, *rows])
    return buffer.getvalue().encode(encoding)


def _xlsx_bytes(header: list[str], rows: list[list[str]], errors: set[tuple[int, int]]) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for i, row in enumerate(rows):
        sheet.append([("#N/A" if (i, j) in errors else (cell or None)) for j, cell in enumerate(row)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def check_accounted(
    parsed: ParsedTable, rows: list[list[str]], extra: dict[int, str], blank: set[int]
) -> None:
    vehicles, non_vehicle, blank_rows = accounted(parsed)
    assert non_vehicle == len(extra)
    assert blank_rows == len(blank)
    assert vehicles == len(rows) - len(extra) - len(blank)
    expected_rows = [i + 2 for i in range(len(rows)) if i not in extra and i not in blank]
    assert parsed.frame.get_column("row").to_list() == expected_rows
    assert sorted((r.row, r.kind) for r in parsed.raw.non_vehicle_rows) == sorted(
        (i + 2, k) for i, k in extra.items()
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=stock(),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_csv_in_every_encoding_accounts_for_every_row(
    data: tuple[list[str], list[list[str]], dict[int, str], set[int]], encoding: str, delimiter: str
) -> None:
    header, rows, extra, blank = data
    parsed = load_vehicle_bytes(_csv_bytes(header, rows, encoding, delimiter), "stock.csv")
    check_accounted(parsed, rows, extra, blank)
    content = _csv_bytes(header, rows, encoding, delimiter)
    expected = {"gbk": "gb18030"}.get(encoding, encoding)
    if encoding in ("gbk", "gb18030") and content.isascii():
        expected = "utf-8"  # nothing but ASCII: the same bytes in every one of these encodings
    assert parsed.raw.encoding == expected
    assert parsed.raw.column_summary()["vin"]["header"] == header[0].strip()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=stock(), picks=st.lists(st.tuples(st.integers(0, 20), st.integers(1, 5)), max_size=4))
def test_workbooks_account_for_every_row_and_every_error_cell(
    data: tuple[list[str], list[list[str]], dict[int, str], set[int]], picks: list[tuple[int, int]]
) -> None:
    header, rows, extra, blank = data
    # Blank rows after the last row with content are not in a workbook at all (openpyxl writes no
    # cells for them): there is nothing to account for.
    last = max((i for i in range(len(rows)) if i not in blank), default=-1)
    rows, blank = rows[: last + 1], {i for i in blank if i < last}
    vehicle_rows = [i for i in range(len(rows)) if i not in extra and i not in blank]
    errors = {(vehicle_rows[i % len(vehicle_rows)], j) for i, j in picks if vehicle_rows and j < len(header)}
    parsed = load_vehicle_bytes(_xlsx_bytes(header, rows, errors), "stock.xlsx")
    check_accounted(parsed, rows, extra, blank)
    reported = {
        (row, column)
        for row, column, value in parsed.problems.select("row", "column", "value").iter_rows()
        if value == "#N/A"
    }
    assert reported == {(i + 2, header[j].strip()) for i, j in errors}
    assert set(parsed.invalid_rows) >= {i + 2 for i, _ in errors}
    for i, j in errors:
        column = schema.canonical_header(header[j])
        assert column is not None
        value = parsed.frame.filter(pl.col("row") == i + 2).get_column(column).item()
        # Never read as a value: typed columns hold nothing, text columns keep the error's text.
        assert value is None if schema.COLUMNS[column].kind != "text" else value == "#N/A"
