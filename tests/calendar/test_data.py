"""The packaged calendar against the notices (reference-data.md §1) and against chinesecalendar 1.11.0.

The YAML was transcribed from the State Council notices, not generated from chinesecalendar; the
library is an independent cross-check here, day by day.
"""

from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from chinese_calendar import constants as cc_constants

from chuhai import workdays
from chuhai.engine.model import Confidence
from chuhai.workdays import DayKind


def days_of(year: int) -> list[dt.date]:
    start = dt.date(year, 1, 1)
    return [start + dt.timedelta(days=i) for i in range((dt.date(year + 1, 1, 1) - start).days)]


def test_covered_years_are_2025_and_2026() -> None:
    assert workdays.covered_years() == (2025, 2026)


@pytest.mark.parametrize("year", [2025, 2026])
def test_every_day_matches_chinese_calendar(year: int) -> None:
    mismatches = [d for d in days_of(year) if workdays.is_workday(d) != chinese_calendar.is_workday(d)]
    assert mismatches == []


@pytest.mark.parametrize("year", [2025, 2026])
def test_holiday_and_makeup_days_match_chinese_calendar_tables(year: int) -> None:
    ours_holidays = {d for d in days_of(year) if workdays.day_info(d).kind is DayKind.HOLIDAY}
    ours_makeup = {d for d in days_of(year) if workdays.day_info(d).kind is DayKind.MAKEUP_WORKDAY}
    assert ours_holidays == {d for d in cc_constants.holidays if d.year == year}
    assert ours_makeup == {d for d in cc_constants.workdays if d.year == year}


# reference-data.md §1.2 and §1.3: counts (computed there with chinesecalendar) and the listed make-up days.
@pytest.mark.parametrize(
    ("year", "weekday_holidays", "makeup"),
    [
        (2025, 18, ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"]),
        (2026, 19, ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"]),
    ],
)
def test_counts_of_reference_data(year: int, weekday_holidays: int, makeup: list[str]) -> None:
    days = days_of(year)
    mon_fri = [d for d in days if d.weekday() < 5]
    assert len(mon_fri) == 261
    assert sum(workdays.day_info(d).kind is DayKind.HOLIDAY for d in mon_fri) == weekday_holidays
    makeup_days = [d for d in days if workdays.day_info(d).kind is DayKind.MAKEUP_WORKDAY]
    assert makeup_days == [dt.date.fromisoformat(s) for s in makeup]
    assert all(d.weekday() >= 5 for d in makeup_days)
    assert sum(workdays.is_workday(d) for d in days) == 248
    # Net statutory days off (weekday holidays minus make-up days) are 13 from 2025 on.
    assert weekday_holidays - len(makeup_days) == 13


def test_holiday_periods_of_2026() -> None:
    periods = [
        (h.name_zh, h.start.isoformat(), h.end.isoformat())
        for h in workdays.default_calendar().year(2026).holidays
    ]
    assert periods == [
        ("元旦", "2026-01-01", "2026-01-03"),
        ("春节", "2026-02-15", "2026-02-23"),
        ("清明节", "2026-04-04", "2026-04-06"),
        ("劳动节", "2026-05-01", "2026-05-05"),
        ("端午节", "2026-06-19", "2026-06-21"),
        ("中秋节", "2026-09-25", "2026-09-27"),
        ("国庆节", "2026-10-01", "2026-10-07"),
    ]


@pytest.mark.parametrize(
    ("year", "title", "date", "url"),
    [
        (
            2025,
            "国务院办公厅关于2025年部分节假日安排的通知",
            dt.date(2024, 11, 12),
            "https://www.gov.cn/zhengce/content/202411/content_6986382.htm",
        ),
        (
            2026,
            "国务院办公厅关于2026年部分节假日安排的通知",
            dt.date(2025, 11, 4),
            "https://www.gov.cn/zhengce/content/202511/content_7047090.htm",
        ),
    ],
)
def test_notice_reference(year: int, title: str, date: dt.date, url: str) -> None:
    notice = workdays.notice(year)
    assert (notice.year, notice.title, notice.date, notice.url) == (year, title, date, url)
    assert notice.confidence is Confidence.VERIFIED
    assert notice.reprint is not None
    assert notice.path.name == f"cn-{year}.yaml"


def test_notices_between_spans_years() -> None:
    notices = workdays.notices_between(dt.date(2026, 1, 10), dt.date(2025, 12, 20))
    assert [n.year for n in notices] == [2025, 2026]
