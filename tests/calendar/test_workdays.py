"""Working-day arithmetic: fixed cases around the long holidays, chinesecalendar agreement, properties."""

from __future__ import annotations

import datetime as dt
import timeit

import chinese_calendar
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chuhai import workdays
from chuhai.errors import CalendarDataMissing
from chuhai.workdays import DayKind

D = dt.date
FIRST, LAST = D(2025, 1, 1), D(2026, 12, 31)
ALL_DAYS = [FIRST + dt.timedelta(days=i) for i in range((LAST - FIRST).days + 1)]
covered_dates = st.dates(min_value=FIRST, max_value=LAST)


def reference_add(start: dt.date, n: int) -> dt.date:
    """Day-by-day oracle on chinesecalendar's data: the n-th working day strictly after start."""
    day = start
    while n > 0:
        day += dt.timedelta(days=1)
        n -= chinese_calendar.is_workday(day)
    return day


# --- make-up days and named days ---------------------------------------------------------------


@pytest.mark.parametrize(
    "day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9), D(2026, 10, 10), D(2026, 1, 4)]
)
def test_makeup_weekend_days_are_working_days(day: dt.date) -> None:
    assert day.weekday() >= 5
    assert workdays.is_workday(day)
    info = workdays.day_info(day)
    assert info.kind is DayKind.MAKEUP_WORKDAY
    assert info.is_workday
    assert info.holiday is not None
    # a make-up day is a working day, so it has no holiday name of its own
    assert workdays.holiday_name(day) is None


def test_kinds_and_names() -> None:
    assert workdays.day_info(D(2026, 2, 17)).kind is DayKind.HOLIDAY
    assert workdays.holiday_name(D(2026, 2, 17)) == "春节"
    assert workdays.holiday_name(D(2026, 2, 17), "zh-Hans") == "春节"
    assert workdays.holiday_name(D(2026, 10, 3), "en") == "National Day"
    assert workdays.holiday_name(D(2025, 10, 6), "en") == "National Day and Mid-Autumn Festival"
    assert workdays.day_info(D(2026, 3, 7)).kind is DayKind.WEEKEND
    assert workdays.day_info(D(2026, 3, 9)).kind is DayKind.WORKDAY
    assert workdays.holiday_name(D(2026, 3, 7)) is None
    assert not workdays.is_workday(D(2026, 3, 7))
    assert not workdays.is_workday(D(2026, 9, 25))  # Mid-Autumn, a Friday


# --- fixed cases -----------------------------------------------------------------------------------


def test_three_working_days_after_2026_09_30_reach_the_makeup_saturday() -> None:
    # 10-01..10-07 National Day; 10-08 Thu, 10-09 Fri, 10-10 make-up Sat
    assert workdays.add_workdays(D(2026, 9, 30), 3) == D(2026, 10, 10)
    assert chinese_calendar.find_workday(3, D(2026, 9, 30)) == D(2026, 10, 10)


def test_counting_from_a_holiday_mid_autumn_2026() -> None:
    # 2026-09-25 is a rest day (Mid-Autumn). Start not counted: 09-28 is working day 1.
    start = D(2026, 9, 25)
    assert workdays.add_workdays(start, 1) == D(2026, 9, 28)
    assert workdays.add_workdays(start, 10) == D(2026, 10, 15)
    assert workdays.add_workdays(start, 15) == D(2026, 10, 22)
    # chinesecalendar's find_workday rolls a rest day forward first and counts from there; this is the
    # "10 working days after 2026-09-25 -> 2026-10-16" figure of libraries.md §1.3.
    assert chinese_calendar.find_workday(10, start) == D(2026, 10, 16)
    assert workdays.add_workdays(workdays.roll_forward(start), 10) == D(2026, 10, 16)
    assert chinese_calendar.find_workday(15, start) == workdays.add_workdays(workdays.roll_forward(start), 15)
    assert workdays.add_workdays(start, 15) == chinese_calendar.find_workday(14, start)


def test_spring_festival_2026() -> None:
    assert workdays.add_workdays(D(2026, 2, 13), 1) == D(2026, 2, 14)  # make-up Saturday
    assert workdays.add_workdays(D(2026, 2, 14), 1) == D(2026, 2, 24)  # 02-15..02-23 off
    assert workdays.add_workdays(D(2026, 2, 13), 3) == D(2026, 2, 25)
    assert workdays.add_workdays(D(2026, 2, 27), 1) == D(2026, 2, 28)  # make-up Saturday
    assert workdays.workdays_between(D(2026, 2, 13), D(2026, 2, 24)) == 2
    assert workdays.workdays_between(D(2026, 2, 14), D(2026, 2, 23)) == 0
    # 15 working days (the filing review) from the Friday before the break
    assert workdays.add_workdays(D(2026, 2, 13), 15) == reference_add(D(2026, 2, 13), 15) == D(2026, 3, 12)


def test_across_the_year_boundary() -> None:
    # 2026-01-01..03 off, 2026-01-04 (Sunday) a make-up working day
    assert workdays.add_workdays(D(2025, 12, 31), 1) == D(2026, 1, 4)
    assert workdays.next_workday(D(2025, 12, 31)) == D(2026, 1, 4)
    assert workdays.workdays_between(D(2025, 12, 30), D(2026, 1, 4)) == 2
    assert workdays.add_workdays(D(2026, 1, 4), -1) == D(2025, 12, 31)


def test_zero_negative_and_roll_forward() -> None:
    assert workdays.add_workdays(D(2026, 10, 3), 0) == D(2026, 10, 3)  # n = 0 is the start itself
    assert workdays.add_workdays(D(2026, 10, 8), -1) == D(2026, 9, 30)
    assert workdays.add_workdays(D(2026, 10, 3), -1) == D(2026, 9, 30)
    assert workdays.add_workdays(D(2026, 10, 12), -2) == D(2026, 10, 9)
    assert workdays.roll_forward(D(2026, 10, 3)) == D(2026, 10, 8)
    assert workdays.roll_forward(D(2026, 10, 8)) == D(2026, 10, 8)
    assert workdays.next_workday(D(2026, 10, 8)) == D(2026, 10, 9)
    assert workdays.workdays_between(D(2026, 10, 10), D(2026, 9, 30)) == -3
    assert workdays.workdays_between(D(2026, 10, 10), D(2026, 10, 10)) == 0


# --- outside the data --------------------------------------------------------------------------------


def test_reaching_2027_raises() -> None:
    with pytest.raises(CalendarDataMissing) as info:
        workdays.add_workdays(D(2026, 12, 20), 30)
    assert str(info.value) == (
        "no State Council holiday notice for 2027 in the law data (covered: 2025–2026); "
        "a deadline in 2027 cannot be computed"
    )
    last = workdays.add_workdays(D(2026, 12, 1), 0)
    assert workdays.add_workdays(last, workdays.workdays_between(last, LAST)) == D(2026, 12, 31)
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.add_workdays(last, workdays.workdays_between(last, LAST) + 1)
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.is_workday(D(2027, 1, 4))
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.workdays_between(D(2026, 12, 1), D(2027, 1, 10))
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.next_workday(D(2026, 12, 31))
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.notice(2027)
    with pytest.raises(CalendarDataMissing, match="2027"):
        workdays.add_workdays(D(2027, 3, 1), 0)


def test_reaching_2024_raises() -> None:
    with pytest.raises(CalendarDataMissing, match="notice for 2024 in the law data"):
        workdays.add_workdays(D(2025, 1, 2), -1)  # 2025-01-01 is a holiday
    with pytest.raises(CalendarDataMissing, match="2024"):
        workdays.is_workday(D(2024, 12, 31))
    with pytest.raises(CalendarDataMissing, match="2024"):
        workdays.holiday_name(D(2024, 10, 1))
    with pytest.raises(CalendarDataMissing, match="2024"):
        workdays.workdays_between(D(2024, 12, 31), D(2025, 1, 3))
    with pytest.raises(CalendarDataMissing, match="2024"):
        workdays.notices_between(D(2024, 12, 31), D(2025, 1, 3))


def test_rejects_datetimes_and_non_int_counts() -> None:
    with pytest.raises(TypeError):
        workdays.is_workday(dt.datetime(2026, 3, 2, 9, 0))
    with pytest.raises(TypeError):
        workdays.add_workdays(D(2026, 3, 2), 1.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        workdays.add_workdays(D(2026, 3, 2), True)


# --- exhaustive agreement with chinesecalendar ------------------------------------------------------


def test_add_workdays_agrees_with_find_workday_everywhere() -> None:
    """Every start day of 2025-2026 for a spread of n, wherever both calendars have data.

    (find_workday walks day by day, so n is sampled; the property tests cover every n.)
    """
    checked = 0
    for day in ALL_DAYS:
        for n in (-15, -3, -1, 0, 1, 2, 3, 10, 15):
            try:
                ours = workdays.add_workdays(day, n)
            except CalendarDataMissing:
                continue
            if n > 0:
                # find_workday counts from the first working day on or after `day`
                expected = chinese_calendar.find_workday(
                    n if chinese_calendar.is_workday(day) else n - 1, day
                )
            elif n < 0:
                expected = chinese_calendar.find_workday(n, day)
            else:
                expected = day
            assert ours == expected, (day, n)
            checked += 1
    assert checked > 6_400


# --- properties ----------------------------------------------------------------------------------------


@st.composite
def start_and_count(draw: st.DrawFn) -> tuple[dt.date, int]:
    day = draw(covered_dates)
    return day, draw(st.integers(min_value=0, max_value=workdays.workdays_between(day, LAST)))


@given(start_and_count())
def test_add_workdays_properties(case: tuple[dt.date, int]) -> None:
    day, n = case
    result = workdays.add_workdays(day, n)
    assert workdays.workdays_between(day, result) == n
    assert result == reference_add(day, n)
    if n >= 1:
        assert workdays.is_workday(result)
        assert result > day
        assert workdays.add_workdays(day, n - 1) < result
        # no working day is skipped: every day strictly between the (n-1)-th and n-th is a rest day
        previous = workdays.add_workdays(day, n - 1)
        gap = [previous + dt.timedelta(days=i) for i in range(1, (result - previous).days)]
        assert not any(workdays.is_workday(d) for d in gap)
    else:
        assert result == day


@given(covered_dates, st.integers(min_value=1, max_value=40))
def test_negative_counts_invert_positive_on_working_days(day: dt.date, n: int) -> None:
    try:
        back = workdays.add_workdays(day, -n)
    except CalendarDataMissing:
        assert workdays.workdays_between(FIRST, day) + chinese_calendar.is_workday(FIRST) < n + 1
        return
    assert workdays.is_workday(back)
    assert back < day
    if workdays.is_workday(day):
        assert workdays.add_workdays(back, n) == day
        assert workdays.workdays_between(back, day) == n


@given(covered_dates, covered_dates, covered_dates)
def test_workdays_between_counts_and_composes(a: dt.date, b: dt.date, c: dt.date) -> None:
    lo, hi = sorted((a, b))
    brute = sum(chinese_calendar.is_workday(lo + dt.timedelta(days=i)) for i in range(1, (hi - lo).days + 1))
    assert workdays.workdays_between(lo, hi) == brute
    assert workdays.workdays_between(a, b) == -workdays.workdays_between(b, a)
    between = workdays.workdays_between
    assert between(a, b) + between(b, c) == between(a, c)


# --- performance ---------------------------------------------------------------------------------------


def test_add_workdays_is_fast() -> None:
    """A few hundred working days ahead must cost microseconds (bisect, not a day-by-day walk)."""
    calls = 20_000
    best = min(timeit.repeat(lambda: workdays.add_workdays(D(2025, 1, 6), 400), number=calls, repeat=3))
    assert best / calls < 20e-6, f"{best / calls * 1e6:.1f} µs per call"
