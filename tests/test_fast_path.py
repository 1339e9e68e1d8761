"""The one-vehicle path (:mod:`chuhai.engine.fast`) gives exactly the bulk path's results.

Both evaluate the same rule expressions — polars column-wise, the fast path row by row through
:mod:`chuhai.engine.rowexpr` — so every verdict, finding (message in Chinese and English,
reference, confidence, facts), commodity code, customs name and deadline must be identical, on
the demo stock and on generated vehicles with clean, messy and unreadable cells.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chuhai import schema
from chuhai.engine import fast, load_law
from chuhai.engine import screen as screening
from chuhai.engine.rowexpr import compile_expr
from chuhai.io.profile import load_exporter_profile
from chuhai.io.readers import read_vehicle_file

DEMO = Path(__file__).resolve().parent.parent / "demo"
AS_OF = dt.date(2026, 11, 22)


def _demo_records() -> list[dict[str, Any]]:
    raw = read_vehicle_file(DEMO / "stock.csv")
    return [{k: v for k, v in r.items() if k != "row"} for r in raw.frame.to_dicts()]


DEMO_RECORDS = _demo_records()
EXPORTER = load_exporter_profile(DEMO / "exporter.yaml")
# Exporters that make other rules fire: not filed, a manufacturer, an attesting one.
EXPORTERS = [
    EXPORTER,
    dataclasses.replace(EXPORTER, filing_approved_on=None),
    dataclasses.replace(EXPORTER, kind="manufacturer", authorised_by=("比亚迪汽车工业有限公司",)),
    dataclasses.replace(EXPORTER, attests=tuple(schema.PROHIBITION_FACTS)),
]
DATES = [AS_OF, dt.date(2025, 12, 31), dt.date(2027, 3, 1)]


def _same(records: list[dict[str, Any]], exporter: Any = EXPORTER, as_of: dt.date = AS_OF) -> None:
    law = load_law()
    plan = fast.fast_plan(law, exporter, as_of)
    assert plan is not None, "the row evaluator could not compile a rule: see chuhai.engine.rowexpr"
    expected = screening.screen_bulk(records, exporter, as_of, law)
    got = plan.screen(records)
    assert len(got) == len(expected)
    for bulk, one in zip(expected, got, strict=True):
        assert one.verdict == bulk.verdict, (records, bulk.findings)
        assert [f.rule for f in one.findings] == [f.rule for f in bulk.findings]
        assert one == bulk


def test_every_demo_vehicle_alone_gives_the_bulk_result() -> None:
    for record in DEMO_RECORDS:
        _same([record])


def test_the_demo_stock_at_once_gives_the_bulk_result() -> None:
    _same(DEMO_RECORDS[: fast.SMALL])
    for exporter in EXPORTERS:
        for day in DATES:
            _same(DEMO_RECORDS[:3], exporter, day)


def test_screen_records_takes_the_fast_path_for_one_vehicle(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_polars(*args: object, **kwargs: object) -> object:
        raise AssertionError("one vehicle must not go through the polars pipeline")

    expected = screening.screen_bulk([DEMO_RECORDS[0]], EXPORTER, AS_OF)
    monkeypatch.setattr(screening, "parse_records", no_polars)
    assert screening.screen_records([DEMO_RECORDS[0]], EXPORTER, AS_OF) == expected
    with pytest.raises(AssertionError, match="polars pipeline"):
        screening.screen_records(DEMO_RECORDS[: fast.SMALL + 1], EXPORTER, AS_OF)


def test_plans_are_cached_per_law_exporter_and_date() -> None:
    law = load_law()
    first = fast.fast_plan(law, EXPORTER, AS_OF)
    assert fast.fast_plan(law, EXPORTER, AS_OF) is first
    assert fast.fast_plan(law, EXPORTERS[1], AS_OF) is not first
    assert fast.fast_plan(law, EXPORTER, dt.date(2026, 11, 23)) is not first


def test_an_unhashable_profile_is_screened_by_polars() -> None:
    profile = dataclasses.replace(EXPORTER, authorised_by=["比亚迪汽车工业有限公司"])  # type: ignore[arg-type]
    assert fast.fast_plan(load_law(), profile, AS_OF) is None
    assert screening.screen_records(DEMO_RECORDS[:1], profile, AS_OF)[0].verdict


def test_row_evaluator_follows_polars_null_logic() -> None:
    import polars as pl

    frame = pl.DataFrame({"a": [True, False, None, None], "b": [None, None, True, False]})
    for expr in (pl.col("a") & pl.col("b"), pl.col("a") | pl.col("b"), ~pl.col("a")):
        row_fn = compile_expr(expr)
        assert [row_fn(r) for r in frame.to_dicts()] == frame.select(expr).to_series().to_list()


# --- generated vehicles -----------------------------------------------------------------------

_JUNK = st.text(alphabet="0123456789-./年月日 ,+abcXYZ车是否", max_size=12)


def _values(name: str) -> st.SearchStrategy[Any]:
    seen = sorted({str(r[name]) for r in DEMO_RECORDS if r.get(name) not in (None, "")})
    column = schema.COLUMNS[name]
    options: list[st.SearchStrategy[Any]] = [st.none(), st.just(""), _JUNK]
    if seen:
        options.append(st.sampled_from(seen))
        options.append(st.sampled_from(seen).map(lambda v: f"  {v}\u3000"))  # padded
    if column.kind == "date":
        options.append(st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(lambda d: d.isoformat()))
        options.append(
            st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)).map(
                lambda d: f"{d.year}年{d.month}月{d.day}日"
            )
        )
    if column.kind in ("integer", "decimal"):
        options.append(st.integers(-5, 10_000_000).map(str))
        options.append(st.sampled_from(["2,000", "2000.0", "1.5", "-0", "+7", "1e3", "0.0005"]))
    if column.kind == "boolean":
        options.append(st.sampled_from(["是", "否", "true", "FALSE", "Y", "n", "有", "无"]))
    if column.synonyms:
        options.append(st.sampled_from(sorted(column.synonyms)))
    return st.one_of(options)


@st.composite
def _vehicle(draw: st.DrawFn) -> dict[str, Any]:
    base = dict(draw(st.sampled_from(DEMO_RECORDS)))
    names = draw(st.lists(st.sampled_from(sorted(schema.COLUMNS)), max_size=8, unique=True))
    for name in names:
        if draw(st.booleans()) and name in base:
            del base[name]  # an absent column
        else:
            base[name] = draw(_values(name))
    return base


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(_vehicle(), min_size=1, max_size=3),
    st.sampled_from(EXPORTERS),
    st.sampled_from(DATES),
)
def test_generated_vehicles_give_the_bulk_result(
    records: list[dict[str, Any]], exporter: Any, as_of: dt.date
) -> None:
    _same(records, exporter, as_of)
