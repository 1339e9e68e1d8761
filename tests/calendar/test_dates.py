"""Calendar-month and year arithmetic, and its exact agreement with polars' ``dt.offset_by``."""

from __future__ import annotations

import calendar
import datetime as dt

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuhai.dates import add_days, add_months, add_years

D = dt.date
dates_1990_2060 = st.dates(min_value=D(1990, 1, 1), max_value=D(2060, 12, 31))


def polars_offset(days: list[dt.date], offset: str) -> list[dt.date]:
    return pl.Series("d", days, dtype=pl.Date).dt.offset_by(offset).to_list()


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 8, 31), 2, D(2026, 10, 31)),
        (D(2026, 12, 31), 2, D(2027, 2, 28)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),
        (D(2026, 10, 31), 2, D(2026, 12, 31)),
        (D(2026, 10, 31), 1, D(2026, 11, 30)),
        (D(2026, 3, 31), -1, D(2026, 2, 28)),
        (D(2026, 1, 15), -1, D(2025, 12, 15)),
        (D(2026, 1, 15), 0, D(2026, 1, 15)),
        (D(2026, 5, 20), 6, D(2026, 11, 20)),
        (D(2026, 7, 31), 6, D(2027, 1, 31)),
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 1, 1), 24, D(2028, 1, 1)),
    ],
)
def test_add_months_cases(start: dt.date, months: int, expected: dt.date) -> None:
    assert add_months(start, months) == expected
    assert polars_offset([start], f"{months}mo") == [expected]


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2024, 2, 29), 1, D(2025, 2, 28)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),
        (D(2024, 2, 29), -1, D(2023, 2, 28)),
        (D(2026, 3, 1), 1, D(2027, 3, 1)),
        (D(2026, 12, 31), 1, D(2027, 12, 31)),
    ],
)
def test_add_years_cases(start: dt.date, years: int, expected: dt.date) -> None:
    assert add_years(start, years) == expected
    assert polars_offset([start], f"{years}y") == [expected]


def test_clamping_happens_once_not_per_step() -> None:
    assert add_months(D(2026, 1, 31), 2) == D(2026, 3, 31)
    assert add_months(add_months(D(2026, 1, 31), 1), 1) == D(2026, 3, 28)


def test_add_days() -> None:
    assert add_days(D(2026, 1, 1), 180) == D(2026, 6, 30)
    assert add_days(D(2026, 3, 1), -1) == D(2026, 2, 28)
    assert add_days(D(2024, 3, 1), -1) == D(2024, 2, 29)


def test_out_of_range_and_bad_types() -> None:
    with pytest.raises(ValueError, match="outside years"):
        add_months(D(9999, 12, 1), 1)
    with pytest.raises(ValueError, match="outside years"):
        add_years(D(1, 1, 1), -1)
    with pytest.raises(ValueError, match="outside years"):
        add_days(D(9999, 12, 31), 1)
    with pytest.raises(TypeError):
        add_months(dt.datetime(2026, 1, 31, 12, 0), 1)
    with pytest.raises(TypeError):
        add_days(D(2026, 1, 31), 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        add_years(D(2026, 1, 31), True)


@given(dates_1990_2060, st.integers(min_value=-600, max_value=600))
def test_add_months_shape(day: dt.date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day == min(day.day, calendar.monthrange(result.year, result.month)[1])


@given(dates_1990_2060.filter(lambda d: d.day <= 28), st.integers(-60, 60), st.integers(-60, 60))
def test_add_months_composes_below_day_29(day: dt.date, a: int, b: int) -> None:
    assert add_months(add_months(day, a), b) == add_months(day, a + b)


@settings(deadline=None, max_examples=300)
@given(dates_1990_2060, st.integers(min_value=-480, max_value=480), st.integers(min_value=-40, max_value=40))
def test_agrees_with_polars_offset_by(day: dt.date, months: int, years: int) -> None:
    assert polars_offset([day], f"{months}mo") == [add_months(day, months)]
    assert polars_offset([day], f"{years}y") == [add_years(day, years)]
    assert polars_offset([day], f"{months}d") == [add_days(day, months)]


@pytest.mark.parametrize("months", [-25, -13, -12, -1, 1, 2, 3, 6, 11, 12, 13, 24, 120])
def test_agrees_with_polars_on_every_day_1990_2060(months: int) -> None:
    """Exhaustive over all 25,933 days: month ends and 29 February are where the two could diverge."""
    days = pl.date_range(D(1990, 1, 1), D(2060, 12, 31), interval="1d", eager=True).to_list()
    assert len(days) == 25_933
    assert polars_offset(days, f"{months}mo") == [add_months(d, months) for d in days]


@pytest.mark.parametrize("years", [-4, -1, 1, 3, 4, 100])
def test_add_years_agrees_with_polars_on_every_day_1990_2060(years: int) -> None:
    days = pl.date_range(D(1990, 1, 1), D(2060, 12, 31), interval="1d", eager=True).to_list()
    assert polars_offset(days, f"{years}y") == [add_years(d, years) for d in days]
