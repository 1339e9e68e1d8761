"""China's working-day calendar (工作日), read from the State Council holiday notices kept as law data.

Deadlines in Chinese administrative law are often counted in working days (e.g. the licence review
periods in ``shared/domain/regulations.md``). Which days are working days is not a rule anyone can
compute: every November the State Council General Office publishes the next year's holidays and
make-up working days (调休上班). Chuhai therefore keeps one YAML file per year under
``chuhai/law/calendar/``, transcribed from that year's notice, and refuses to compute anything that
touches a year without one (:class:`chuhai.errors.CalendarDataMissing`) instead of guessing.

Day rules
    A day is a **working day** if it is listed under ``makeup_workdays`` or if it is Monday–Friday
    and inside no ``holidays`` period. Everything else (weekends, holiday periods) is a rest day.

File format (``cn-YYYY.yaml``; every key below is required unless marked optional)::

    year: 2026                         # must match the file name
    notice:                            # the notice the file is transcribed from
      title: 国务院办公厅关于2026年部分节假日安排的通知
      date: 2025-11-04                 # date of the notice
      url: https://www.gov.cn/...      # official address
      reprint: https://...             # optional: a verbatim reprint that was read
      confidence: verified-in-source   # verified-in-source | secondary-source | inferred
    holidays:                          # at least one; the notice's 放假 periods, inclusive
      - {name_zh: 元旦, name_en: New Year's Day, from: 2026-01-01, to: 2026-01-03, days: 3}
    makeup_workdays:                   # may be empty; weekend days that are working days
      - {date: 2026-01-04, for: 元旦}  # ``for`` names a holiday period of the same file

The loader rejects, naming the file and the key: duplicate or unknown keys, missing keys, dates that
are not real dates, any date outside the file's year, ``days`` that differ from the length of the
period (the notice's own "共N天", kept as a transcription check), overlapping periods, a make-up day
that is not a Saturday or Sunday, a day that is both a holiday and a make-up day, a make-up day for
an unknown holiday, and files in the directory that are not named ``cn-YYYY.yaml``.

Known limit: a notice can also move days at the very end of the previous year (chinesecalendar's data
has 2018-12-29, a Saturday, as a make-up day and 2018-12-30/31 as rest days for New Year 2019). The
format keeps each date in its own year's file, so such a change has to be written into the earlier
file when the later notice appears. Until then, late-December days of the last covered year are as the
notices published so far define them and could still change.

Counting conventions (the start day is never counted):

* ``add_workdays(d, n)`` for ``n >= 1`` is the n-th working day strictly after ``d``; ``n == 0``
  returns ``d`` unchanged, even on a rest day (use :func:`roll_forward` to move to a working day);
  ``n < 0`` is the ``|n|``-th working day strictly before ``d``.
* ``workdays_between(a, b)`` counts the working days in ``(a, b]``; it is antisymmetric, so it is
  negative when ``b < a`` (``-workdays_between(b, a)``).

Past the notices: a **provisional** answer (:meth:`WorkdayCalendar.add_workdays_or_provisional`,
:meth:`WorkdayCalendar.workdays_between_or_provisional`) counts the days of a year without a notice on
weekends only and says so (:class:`Provisional`, with the years and the reason): a deadline shown as
provisional, never as certain, is what the web app, the API and ``chuhai workdays --provisional`` give
instead of an error. :func:`calendar_horizon` tells how long the data lasts: Chuhai warns
:data:`HORIZON_WARNING_DAYS` days before the last covered day, because every working-day deadline that
reaches past it becomes provisional. A notice the release lacks is added from its published text into
a local law directory (``chuhai calendar import``, :mod:`chuhai.lawbook.notice`).

Note that ``chinese_calendar.find_workday(n, d)`` first rolls a rest day ``d`` forward to the next
working day and counts from there, so it answers one working day later than ``add_workdays`` when ``d``
is a rest day: ``find_workday(10, 2026-09-25)`` (Mid-Autumn Festival) is 2026-10-16, which equals
``add_workdays(roll_forward(2026-09-25), 10)``. Whether a deadline starts from the event or from the
next working day is a question for the rule that uses it, not for this module.

>>> import datetime as dt
>>> is_workday(dt.date(2026, 2, 14))          # a make-up Saturday before the Spring Festival
True
>>> is_workday(dt.date(2026, 10, 1))
False
>>> add_workdays(dt.date(2026, 9, 30), 3)     # 10-01..10-07 National Day; 10-10 is a make-up Saturday
datetime.date(2026, 10, 10)
>>> workdays_between(dt.date(2026, 9, 30), dt.date(2026, 10, 10))
3
>>> holiday_name(dt.date(2026, 2, 17), "en")
'Spring Festival'
>>> add_workdays(dt.date(2026, 12, 30), 5)
Traceback (most recent call last):
chuhai.errors.CalendarDataMissing: no State Council holiday notice for 2027 in the law data (covered: \
2025–2026); a deadline in 2027 cannot be computed
>>> day, provisional = add_workdays_or_provisional(dt.date(2026, 12, 30), 5)
>>> day, provisional.years
(datetime.date(2027, 1, 6), (2027,))
>>> provisional.reason("en")
'provisional: no State Council holiday notice for 2027 in the law data; counted on weekends only'
"""

from __future__ import annotations

import datetime as dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from chuhai.engine.lawfile import LAW_DIR, Checker, load_yaml
from chuhai.engine.model import Confidence
from chuhai.errors import CalendarDataMissing, LawError, ValidationError

CALENDAR_DIR = LAW_DIR / "calendar"

_FILE_NAME = re.compile(r"cn-(\d{4})\.yaml")
_URL = re.compile(r"https?://\S+")
_WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Notice:
    """The State Council notice a year's calendar was transcribed from, for explanations."""

    year: int
    title: str
    date: dt.date
    url: str
    reprint: str | None
    confidence: Confidence
    path: Path


@dataclass(frozen=True)
class HolidayPeriod:
    """One 放假 period of a notice, both ends inclusive."""

    name_zh: str
    name_en: str
    start: dt.date
    end: dt.date

    def name(self, lang: str) -> str:
        """The name in ``lang``: Chinese for any ``zh*`` code, English otherwise (the data has no other)."""
        return self.name_zh if lang.lower().startswith("zh") else self.name_en

    def dates(self) -> Iterator[dt.date]:
        day = self.start
        while day <= self.end:
            yield day
            day += dt.timedelta(days=1)


@dataclass(frozen=True)
class MakeupWorkday:
    """A weekend day made a working day (调休上班) to pay for ``holiday``."""

    date: dt.date
    holiday: HolidayPeriod


@dataclass(frozen=True)
class YearCalendar:
    """One validated ``cn-YYYY.yaml`` file."""

    year: int
    notice: Notice
    holidays: tuple[HolidayPeriod, ...]
    makeup_workdays: tuple[MakeupWorkday, ...]


class DayKind(StrEnum):
    WORKDAY = "workday"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    MAKEUP_WORKDAY = "makeup_workday"


@dataclass(frozen=True)
class DayInfo:
    """What a day is and why; ``holiday`` is the period for HOLIDAY and MAKEUP_WORKDAY days."""

    date: dt.date
    kind: DayKind
    holiday: HolidayPeriod | None

    @property
    def is_workday(self) -> bool:
        return self.kind in (DayKind.WORKDAY, DayKind.MAKEUP_WORKDAY)


# --- loading ---------------------------------------------------------------------------------------


def _read(path: Path) -> Any:
    return load_yaml(path)


def _url(c: Checker, value: Any, where: str) -> str:
    text = c.text(value, where)
    if not _URL.fullmatch(text):
        raise c.fail(where, f"expected an http(s) URL, got {text!r}")
    return text


def _date_in_year(c: Checker, value: Any, where: str, year: int) -> dt.date:
    day = c.date(value, where)
    if day.year != year:
        raise c.fail(where, f"{day.isoformat()} is outside the file's year {year}")
    return day


def _parse_notice(c: Checker, raw: Any, year: int) -> Notice:
    notice = c.mapping(raw, "notice")
    c.keys(notice, "notice", required={"title", "date", "url", "confidence"}, optional={"reprint"})
    reprint = notice.get("reprint")
    return Notice(
        year=year,
        title=c.text(notice["title"], "notice.title"),
        date=c.date(notice["date"], "notice.date"),
        url=_url(c, notice["url"], "notice.url"),
        reprint=None if reprint is None else _url(c, reprint, "notice.reprint"),
        confidence=Confidence(c.confidence(notice["confidence"], "notice.confidence")),
        path=c.path,
    )


def _parse_holidays(c: Checker, raw: Any, year: int) -> tuple[HolidayPeriod, ...]:
    entries = c.sequence(raw, "holidays")
    if not entries:
        raise c.fail("holidays", "is empty; every notice lists holiday periods")
    periods: list[HolidayPeriod] = []
    for i, item in enumerate(entries):
        where = f"holidays[{i}]"
        entry = c.mapping(item, where)
        c.keys(entry, where, required={"name_zh", "name_en", "from", "to", "days"}, optional=())
        period = HolidayPeriod(
            name_zh=c.text(entry["name_zh"], f"{where}.name_zh"),
            name_en=c.text(entry["name_en"], f"{where}.name_en"),
            start=_date_in_year(c, entry["from"], f"{where}.from", year),
            end=_date_in_year(c, entry["to"], f"{where}.to", year),
        )
        if period.end < period.start:
            raise c.fail(f"{where}.to", f"{period.end} is before from {period.start}")
        days = c.integer(entry["days"], f"{where}.days")
        length = (period.end - period.start).days + 1
        if days != length:
            raise c.fail(f"{where}.days", f"says {days} but {period.start}..{period.end} is {length} days")
        for other in periods:
            if other.name_zh == period.name_zh:
                raise c.fail(f"{where}.name_zh", f"{period.name_zh!r} appears twice")
            if period.start <= other.end and other.start <= period.end:
                raise c.fail(where, f"overlaps {other.name_zh} ({other.start}..{other.end})")
        periods.append(period)
    return tuple(periods)


def _parse_makeup(
    c: Checker, raw: Any, year: int, holidays: Sequence[HolidayPeriod]
) -> tuple[MakeupWorkday, ...]:
    by_name = {h.name_zh: h for h in holidays}
    days: list[MakeupWorkday] = []
    for i, item in enumerate(c.sequence(raw, "makeup_workdays")):
        where = f"makeup_workdays[{i}]"
        entry = c.mapping(item, where)
        c.keys(entry, where, required={"date", "for"}, optional=())
        day = _date_in_year(c, entry["date"], f"{where}.date", year)
        # A make-up working day only makes sense on a weekend day: weekdays are working days anyway.
        if day.weekday() < 5:
            raise c.fail(f"{where}.date", f"{day} is a {_WEEKDAY_NAMES[day.weekday()]}, not a weekend day")
        for holiday in holidays:
            if holiday.start <= day <= holiday.end:
                raise c.fail(f"{where}.date", f"{day} is also a rest day of {holiday.name_zh}")
        if any(d.date == day for d in days):
            raise c.fail(f"{where}.date", f"{day} appears twice")
        name = c.text(entry["for"], f"{where}.for")
        if name not in by_name:
            raise c.fail(f"{where}.for", f"{name!r} is not a holiday of this file ({', '.join(by_name)})")
        days.append(MakeupWorkday(date=day, holiday=by_name[name]))
    return tuple(days)


def load_year_file(path: Path) -> YearCalendar:
    """Read and validate one ``cn-YYYY.yaml``; any problem is a :class:`LawError` naming file and key."""
    c = Checker(path)
    root = c.mapping(_read(path), "(root)")
    c.keys(root, "(root)", required={"year", "notice", "holidays", "makeup_workdays"}, optional=())
    year = c.integer(root["year"], "year")
    if path.name != f"cn-{year}.yaml":
        raise c.fail("year", f"{year} does not match the file name {path.name}")
    holidays = _parse_holidays(c, root["holidays"], year)
    return YearCalendar(
        year=year,
        notice=_parse_notice(c, root["notice"], year),
        holidays=holidays,
        makeup_workdays=_parse_makeup(c, root["makeup_workdays"], year, holidays),
    )


def load_calendar(directory: Path = CALENDAR_DIR) -> WorkdayCalendar:
    """Read every ``cn-YYYY.yaml`` in ``directory`` (not cached; see :func:`default_calendar`)."""
    if not directory.is_dir():
        raise LawError(f"{directory}: calendar directory not found")
    years: dict[int, YearCalendar] = {}
    for path in sorted(directory.iterdir()):
        if path.suffix.lower() not in (".yaml", ".yml"):
            continue
        # A misnamed file would otherwise be skipped silently and its year treated as missing.
        if not _FILE_NAME.fullmatch(path.name):
            raise LawError(f"{path}: calendar files must be named cn-YYYY.yaml")
        calendar = load_year_file(path)
        years[calendar.year] = calendar
    if not years:
        raise LawError(f"{directory}: no calendar files (cn-YYYY.yaml)")
    return WorkdayCalendar(years)


def default_calendar() -> WorkdayCalendar:
    """The calendar of the law in force (:func:`chuhai.lawbook.current`: the shipped notices and those
    of a local law directory, loaded once per directory)."""
    from chuhai.lawbook import current

    return current().calendar


# --- the calendar ------------------------------------------------------------------------------------

# How many days before the last day of the calendar data Chuhai warns (a product setting, not law: the
# notice for the next year usually appears in November or December).
HORIZON_WARNING_DAYS = 60
# A provisional answer is counted day by day; no deadline of the law is anywhere near this long.
_PROVISIONAL_LIMIT_DAYS = 3000

_PROVISIONAL_REASON = {
    "zh": "暂定：法规数据中没有{years}年的国务院节假日安排通知，仅按周末计算",
    "en": "provisional: no State Council holiday notice for {years} in the law data; "
    "counted on weekends only",
    "ru": "предварительно: в данных нет уведомления Госсовета о праздниках на {years} г.; "
    "учтены только выходные",
    "ar": "مؤقت: لا يوجد في بيانات القانون إشعار مجلس الدولة بالعطلات لعام {years}؛ "
    "احتُسبت عطلات نهاية الأسبوع فقط",
}


@dataclass(frozen=True)
class Provisional:
    """A working-day answer that relied on ``years`` without a holiday notice (weekends only there)."""

    years: tuple[int, ...]

    def reason(self, lang: str = "en") -> str:
        text = _PROVISIONAL_REASON.get(lang[:2], _PROVISIONAL_REASON["en"])
        return text.format(
            years="、".join(map(str, self.years))
            if lang.startswith("zh")
            else ", ".join(map(str, self.years))
        )


@dataclass(frozen=True)
class _Span:
    """Consecutive covered years with their working days as sorted ordinals (for bisect)."""

    first_year: int
    last_year: int
    workdays: tuple[int, ...]


def _year_range_text(years: Sequence[int]) -> str:
    """``2025–2026`` for consecutive years, ``2025–2026, 2028`` otherwise."""
    parts: list[str] = []
    start = prev = years[0]
    for year in [*years[1:], None]:
        if year is not None and year == prev + 1:
            prev = year
            continue
        parts.append(str(start) if start == prev else f"{start}–{prev}")
        if year is not None:
            start = prev = year
    return ", ".join(parts)


def _check_date(value: object, name: str) -> dt.date:
    # datetime is a subclass of date; accepting it would silently drop the time and time zone.
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise TypeError(f"{name} must be a datetime.date, got {type(value).__name__}")
    return value


class WorkdayCalendar:
    """Working days over the covered years; every query outside them raises CalendarDataMissing."""

    def __init__(self, years: Mapping[int, YearCalendar]) -> None:
        if not years:
            raise LawError("a working-day calendar needs at least one year of data")
        self._years = dict(sorted(years.items()))
        self._covered = tuple(self._years)
        self._holiday: dict[int, HolidayPeriod] = {}
        self._makeup: dict[int, MakeupWorkday] = {}
        for calendar in self._years.values():
            for period in calendar.holidays:
                self._holiday.update((day.toordinal(), period) for day in period.dates())
            self._makeup.update((m.date.toordinal(), m) for m in calendar.makeup_workdays)
        self._span_of_year: dict[int, _Span] = {}
        for first, last in self._runs():
            start = dt.date(first, 1, 1).toordinal()
            end = dt.date(last, 12, 31).toordinal()
            span = _Span(first, last, tuple(o for o in range(start, end + 1) if self._rule(o)))
            self._span_of_year.update((year, span) for year in range(first, last + 1))
        self._workday_set = frozenset(o for span in self._span_of_year.values() for o in span.workdays)

    def _runs(self) -> Iterator[tuple[int, int]]:
        first = prev = self._covered[0]
        for year in self._covered[1:]:
            if year != prev + 1:
                yield first, prev
                first = year
            prev = year
        yield first, prev

    def _rule(self, ordinal: int) -> bool:
        """The day rule of the module docstring, used once to build the working-day arrays."""
        if ordinal in self._makeup:
            return True
        if ordinal in self._holiday:
            return False
        return dt.date.fromordinal(ordinal).weekday() < 5

    def _missing(self, year: int) -> CalendarDataMissing:
        return CalendarDataMissing(
            f"no State Council holiday notice for {year} in the law data "
            f"(covered: {_year_range_text(self._covered)}); a deadline in {year} cannot be computed"
        )

    def _span(self, day: dt.date) -> _Span:
        span = self._span_of_year.get(day.year)
        if span is None:
            raise self._missing(day.year)
        return span

    def covered_years(self) -> tuple[int, ...]:
        return self._covered

    def notice(self, year: int) -> Notice:
        """The notice behind ``year``'s calendar (title, date, URL, confidence)."""
        calendar = self._years.get(year)
        if calendar is None:
            raise self._missing(year)
        return calendar.notice

    def notices_between(self, a: dt.date, b: dt.date) -> tuple[Notice, ...]:
        """The notices a computation from ``a`` to ``b`` (either order) relied on, oldest first."""
        lo, hi = sorted((_check_date(a, "a"), _check_date(b, "b")))
        return tuple(self.notice(year) for year in range(lo.year, hi.year + 1))

    def year(self, year: int) -> YearCalendar:
        calendar = self._years.get(year)
        if calendar is None:
            raise self._missing(year)
        return calendar

    def is_workday(self, day: dt.date) -> bool:
        self._span(_check_date(day, "day"))
        return day.toordinal() in self._workday_set

    def day_info(self, day: dt.date) -> DayInfo:
        self._span(_check_date(day, "day"))
        ordinal = day.toordinal()
        if (makeup := self._makeup.get(ordinal)) is not None:
            return DayInfo(day, DayKind.MAKEUP_WORKDAY, makeup.holiday)
        if (period := self._holiday.get(ordinal)) is not None:
            return DayInfo(day, DayKind.HOLIDAY, period)
        return DayInfo(day, DayKind.WEEKEND if day.weekday() >= 5 else DayKind.WORKDAY, None)

    def holiday_name(self, day: dt.date, lang: str = "zh") -> str | None:
        """The holiday period ``day`` is a rest day of, or None (make-up working days give None)."""
        info = self.day_info(day)
        return info.holiday.name(lang) if info.kind is DayKind.HOLIDAY and info.holiday else None

    def add_workdays(self, start: dt.date, n: int) -> dt.date:
        """The n-th working day after ``start`` (start not counted); see the module docstring for n <= 0."""
        span = self._span(_check_date(start, "start"))
        if isinstance(n, bool) or not isinstance(n, int):
            raise TypeError(f"n must be an int, got {type(n).__name__}")
        if n == 0:
            return start
        days = span.workdays
        if n > 0:
            index = bisect_right(days, start.toordinal()) + n - 1
            if index >= len(days):
                raise self._missing(span.last_year + 1)
        else:
            index = bisect_left(days, start.toordinal()) + n
            if index < 0:
                raise self._missing(span.first_year - 1)
        return dt.date.fromordinal(days[index])

    def next_workday(self, day: dt.date) -> dt.date:
        """The first working day strictly after ``day``."""
        return self.add_workdays(day, 1)

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the first working day after it."""
        return day if self.is_workday(day) else self.add_workdays(day, 1)

    def _provisional_workday(self, day: dt.date, uncovered: set[int]) -> bool:
        """The day rule, with weekends only for a year without a notice (recorded in ``uncovered``)."""
        if day.year in self._span_of_year:
            return day.toordinal() in self._workday_set
        uncovered.add(day.year)
        return day.weekday() < 5

    def add_workdays_or_provisional(self, start: dt.date, n: int) -> tuple[dt.date, Provisional | None]:
        """:meth:`add_workdays`, or past the data a provisional answer counted on weekends only there."""
        try:
            return self.add_workdays(start, n), None
        except CalendarDataMissing:
            pass
        if abs(n) > _PROVISIONAL_LIMIT_DAYS:
            raise ValidationError(
                f"a provisional answer counts at most {_PROVISIONAL_LIMIT_DAYS} working days"
            )
        uncovered: set[int] = set()
        step = dt.timedelta(days=1 if n > 0 else -1)
        day, left = start, abs(n)
        while left:
            day += step
            if self._provisional_workday(day, uncovered):
                left -= 1
        return day, Provisional(tuple(sorted(uncovered))) if uncovered else None

    def workdays_between_or_provisional(self, a: dt.date, b: dt.date) -> tuple[int, Provisional | None]:
        """:meth:`workdays_between`, or past the data a provisional count (weekends only there)."""
        try:
            return self.workdays_between(a, b), None
        except CalendarDataMissing:
            pass
        lo, hi = sorted((_check_date(a, "a"), _check_date(b, "b")))
        if (hi - lo).days > 2 * _PROVISIONAL_LIMIT_DAYS:
            raise ValidationError(f"a provisional answer spans at most {2 * _PROVISIONAL_LIMIT_DAYS} days")
        uncovered: set[int] = set()
        count, day = 0, lo
        while day < hi:
            day += dt.timedelta(days=1)
            count += self._provisional_workday(day, uncovered)
        return (count if a <= b else -count), Provisional(tuple(sorted(uncovered))) if uncovered else None

    def last_day(self, on: dt.date) -> dt.date | None:
        """The last day of the covered years that run on from ``on`` (``None`` if ``on`` is not covered)."""
        span = self._span_of_year.get(on.year)
        return None if span is None else dt.date(span.last_year, 12, 31)

    def workdays_between(self, a: dt.date, b: dt.date) -> int:
        """Working days in ``(a, b]``; negative (``-workdays_between(b, a)``) when ``b < a``."""
        span_a = self._span(_check_date(a, "a"))
        span_b = self._span(_check_date(b, "b"))
        if span_a is not span_b:
            earlier = min(span_a, span_b, key=lambda s: s.first_year)
            raise self._missing(earlier.last_year + 1)
        days = span_a.workdays
        return bisect_right(days, b.toordinal()) - bisect_right(days, a.toordinal())


# --- how long the data lasts ------------------------------------------------------------------------

_HORIZON_TEXT = {
    "ending": {
        "zh": "工作日日历数据截至{last}（还有{days}天）；之后的工作日期限只能暂定（仅按周末计算）。"
        "国务院公布{next}年节假日安排后，请用 chuhai calendar import 导入。",
        "en": "The working-day calendar ends on {last} ({days} days left); working-day deadlines after "
        "it can only be provisional (weekends only). Import the State Council's {next} holiday notice "
        "with chuhai calendar import once it is published.",
        "ru": "Календарь рабочих дней заканчивается {last} (осталось {days} дн.); сроки в рабочих днях "
        "после этой даты будут только предварительными (учтены лишь выходные). Импортируйте "
        "уведомление Госсовета о праздниках на {next} г. командой chuhai calendar import, когда оно "
        "выйдет.",
        "ar": "ينتهي تقويم أيام العمل في {last} (بقي {days} يومًا)؛ المهل المحسوبة بأيام العمل بعده "
        "مؤقتة فقط (عطلات نهاية الأسبوع فقط). استورد إشعار مجلس الدولة بعطلات {next} عبر "
        "chuhai calendar import فور صدوره.",
    },
    "ended": {
        "zh": "工作日日历数据已于{last}结束：之后的工作日期限均为暂定（仅按周末计算）。"
        "请用 chuhai calendar import 导入{next}年国务院节假日安排通知。",
        "en": "The working-day calendar ended on {last}: working-day deadlines after it are provisional "
        "(weekends only). Import the State Council's {next} holiday notice with "
        "chuhai calendar import.",
        "ru": "Календарь рабочих дней закончился {last}: сроки в рабочих днях после этой даты только "
        "предварительные (учтены лишь выходные). Импортируйте уведомление Госсовета о праздниках "
        "на {next} г. командой chuhai calendar import.",
        "ar": "انتهى تقويم أيام العمل في {last}: المهل المحسوبة بأيام العمل بعده مؤقتة "
        "(عطلات نهاية الأسبوع فقط). استورد إشعار مجلس الدولة بعطلات {next} عبر "
        "chuhai calendar import.",
    },
}


@dataclass(frozen=True)
class CalendarHorizon:
    """How long the working-day data lasts as seen on ``today``.

    ``state`` is ``ok``, ``ending`` (``warn_days`` or fewer days left) or ``ended`` (``today`` is past
    the data, or in a year without a notice).
    """

    today: dt.date
    last_day: dt.date  # the last covered day (of the run of years that includes today, else the last)
    warn_days: int

    @property
    def days_left(self) -> int:
        return (self.last_day - self.today).days

    @property
    def state(self) -> str:
        if self.days_left < 0:
            return "ended"
        return "ending" if self.days_left <= self.warn_days else "ok"

    def message(self, lang: str = "en") -> str | None:
        """The warning in ``lang`` (zh, en, ru, ar), ``None`` while the data lasts."""
        if self.state == "ok":
            return None
        texts = _HORIZON_TEXT[self.state]
        return texts.get(lang[:2], texts["en"]).format(
            last=self.last_day.isoformat(), days=self.days_left, next=self.last_day.year + 1
        )


def calendar_horizon(
    today: dt.date, calendar: WorkdayCalendar | None = None, warn_days: int = HORIZON_WARNING_DAYS
) -> CalendarHorizon:
    """How long the calendar data lasts from ``today`` (the law in force unless ``calendar`` is given).

    >>> calendar_horizon(dt.date(2026, 12, 7)).state, calendar_horizon(dt.date(2026, 12, 7)).days_left
    ('ending', 24)
    >>> calendar_horizon(dt.date(2026, 6, 1)).state, calendar_horizon(dt.date(2027, 1, 4)).state
    ('ok', 'ended')
    """
    calendar = calendar or default_calendar()
    last = calendar.last_day(today)
    if last is None:
        earlier = [y for y in calendar.covered_years() if y < today.year] or list(calendar.covered_years())
        last = dt.date(max(earlier), 12, 31) if earlier else today
    return CalendarHorizon(today, last, warn_days)


# --- module-level API over the packaged data ---------------------------------------------------------


def covered_years() -> tuple[int, ...]:
    """The years with a notice in the law data, ascending."""
    return default_calendar().covered_years()


def notice(year: int) -> Notice:
    return default_calendar().notice(year)


def notices_between(a: dt.date, b: dt.date) -> tuple[Notice, ...]:
    return default_calendar().notices_between(a, b)


def is_workday(day: dt.date) -> bool:
    return default_calendar().is_workday(day)


def day_info(day: dt.date) -> DayInfo:
    return default_calendar().day_info(day)


def holiday_name(day: dt.date, lang: str = "zh") -> str | None:
    return default_calendar().holiday_name(day, lang)


def add_workdays(start: dt.date, n: int) -> dt.date:
    return default_calendar().add_workdays(start, n)


def next_workday(day: dt.date) -> dt.date:
    return default_calendar().next_workday(day)


def roll_forward(day: dt.date) -> dt.date:
    return default_calendar().roll_forward(day)


def workdays_between(a: dt.date, b: dt.date) -> int:
    return default_calendar().workdays_between(a, b)


def add_workdays_or_provisional(start: dt.date, n: int) -> tuple[dt.date, Provisional | None]:
    return default_calendar().add_workdays_or_provisional(start, n)


def workdays_between_or_provisional(a: dt.date, b: dt.date) -> tuple[int, Provisional | None]:
    return default_calendar().workdays_between_or_provisional(a, b)
