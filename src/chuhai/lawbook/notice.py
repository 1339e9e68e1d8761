"""Reading a State Council holiday notice (国务院办公厅关于YYYY年部分节假日安排的通知) into a calendar year.

:func:`parse_notice` is a pure function from the notice's text to a :class:`ParsedNotice`; it reads
the wordings the notices have used since 2014 and refuses (:class:`~chuhai.errors.NoticeUnreadable`,
naming the sentence) anything else rather than guess. :func:`notice_yaml` writes the calendar file
(``calendar/cn-YYYY.yaml``, the format of :mod:`chuhai.workdays`, the notice as its reference) and
:func:`apply_notice` puts it into a local law directory after validating the whole law with it.

What it reads, item by item (``一、元旦：…。``, festivals named by their Chinese names, several in one
item as in ``六、中秋节、国庆节：``), sentence by sentence:

* ``1月1日（周四）至3日（周六）放假调休，共3天。`` — a period; ``共N天`` must equal its length;
* ``4月5日放假，共1天。`` / ``1月1日（周三）放假1天，不调休。`` / ``5月1日放假。`` — one day;
* ``6月7日放假，与周末连休。`` — the day and the weekend days next to it;
* ``1月1日放假，1月2日（星期一）补休。`` — the day, the 补休 day and the weekend days next to them;
* ``1月26日（周日）、2月8日（周六）上班。`` — make-up working days (调休上班), weekend days only;
* ``鼓励各单位……安排职工在除夕（2月9日）休息。`` — noted, not a holiday (it only encourages).

Weekday annotations (``星期日``, ``周日``, ``星期天``) must agree with the date, ``农历…`` annotations are
kept but not checked. A date may carry its year (``2022年12月31日至2023年1月2日``): a day outside the
notice's year that is a weekend rest day anyway is left out (and noted); one that would change the
previous year's working days (2019: 2018-12-29 work, 2018-12-31 rest) is refused, because each year's
file holds only its own days (:mod:`chuhai.workdays`, known limit) — amend that year's file by hand.

>>> text = '''国务院办公厅关于2026年部分节假日安排的通知
... 一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
... 国务院办公厅
... 2025年11月4日'''
>>> notice = parse_notice(text)
>>> notice.year, notice.date, [(h.name_zh, h.start.isoformat(), h.end.isoformat()) for h in notice.holidays]
(2026, datetime.date(2025, 11, 4), [('元旦', '2026-01-01', '2026-01-03')])
>>> [(d.date.isoformat(), d.holiday) for d in notice.makeup_workdays]
[('2026-01-04', '元旦')]
>>> parse_notice("一、元旦：1月1日放假，与周六连休。")  # doctest: +ELLIPSIS
Traceback (most recent call last):
chuhai.errors.NoticeUnreadable: no year: the text names neither ...
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from chuhai.errors import LawError, NoticeUnreadable
from chuhai.lawbook.layout import calendar_name

if TYPE_CHECKING:
    from chuhai.engine.law import Law
    from chuhai.workdays import YearCalendar

# The festivals of the 《全国年节及纪念日放假办法》 as the notices name them, with the English names the
# calendar files use.
FESTIVALS: dict[str, str] = {
    "元旦": "New Year's Day",
    "春节": "Spring Festival",
    "清明节": "Qingming Festival",
    "劳动节": "Labour Day",
    "端午节": "Dragon Boat Festival",
    "中秋节": "Mid-Autumn Festival",
    "国庆节": "National Day",
}
_NUMERALS = "一二三四五六七八九十"
_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEKDAY_ZH = ("一", "二", "三", "四", "五", "六", "日")

_TITLE = re.compile(r"国务院办公厅关于(\d{4})年部分节假日安排的通知")
_INTRO = re.compile(r"现将(\d{4})年.{0,40}?放假调休日期的具体安排通知如下")
_NUMBER = re.compile(r"国办发明电〔\d{4}〕\d+号")
_SIGNED = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
_ITEM = re.compile(rf"^([{_NUMERALS}]+)、([^:]+):(.+)$")
# A date with an optional year and month (a period's end may give only the day), then an optional
# annotation in parentheses.
_DATE = r"(?:(?:(\d{4})年)?(\d{1,2})月)?(\d{1,2})日(?:\(([^)]*)\))?"
_DATE_RE = re.compile(_DATE)
_PERIOD = re.compile(rf"^{_DATE}(?:至|—|-){_DATE}放假(调休)?,共(\d+)天$")
_ONE_DAY = re.compile(rf"^{_DATE}放假(?:1天)?(?:,共1天)?(?:,不调休)?$")
_WITH_WEEKEND = re.compile(rf"^{_DATE}放假,与周末连休$")
_MAKEUP_REST = re.compile(rf"^{_DATE}放假,{_DATE}补休$")
_WORK = re.compile(rf"^{_DATE}(?:、{_DATE})*上班$")
_ENCOURAGE = re.compile(r"^鼓励.*休息$")


@dataclass(frozen=True)
class NoticeHoliday:
    """One 放假 period as the calendar file keeps it (inside the notice's year, both ends inclusive)."""

    name_zh: str
    name_en: str
    start: dt.date
    end: dt.date
    line: str  # the notice's item, as written

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


@dataclass(frozen=True)
class NoticeWorkday:
    """A weekend day made a working day (调休上班) for ``holiday``."""

    date: dt.date
    holiday: str


@dataclass(frozen=True)
class ParsedNotice:
    year: int
    title: str
    date: dt.date | None  # the date the notice was signed, if the text gives it
    number: str | None  # e.g. 国办发明电〔2024〕12号, if the text gives it
    holidays: tuple[NoticeHoliday, ...]
    makeup_workdays: tuple[NoticeWorkday, ...]
    remarks: tuple[str, ...] = field(default=())  # what was read but is not a calendar day

    def summary(self) -> list[str]:
        """What was found, one line each (the command prints it)."""
        lines = [f"{self.title}" + (f" ({self.number})" if self.number else "")]
        lines.append(f"dated {self.date.isoformat() if self.date else '(not in the text)'}")
        for h in self.holidays:
            period = f"{h.start.isoformat()} … {h.end.isoformat()}"
            lines.append(f"rest   {period}  {h.days:>2} day(s)  {h.name_zh} ({h.name_en})")
        for w in self.makeup_workdays:
            lines.append(f"work   {w.date.isoformat()} ({_weekday_zh(w.date)})       for {w.holiday}")
        lines.extend(f"note   {r}" for r in self.remarks)
        return lines


def _weekday_zh(day: dt.date) -> str:
    return "周" + _WEEKDAY_ZH[day.weekday()]


def _normalise(text: str) -> list[tuple[str, str]]:
    """Each non-empty line as read (NFKC: full-width ：，（） and digits become ASCII; no spaces) and
    as written (for the file's comments)."""
    lines = []
    for raw in text.replace("\ufeff", "").splitlines():
        line = re.sub(r"\s+", "", unicodedata.normalize("NFKC", raw))
        if line:
            lines.append((line, raw.strip()))
    return lines


def _fail(message: str) -> NoticeUnreadable:
    return NoticeUnreadable(message)


class _Dates:
    """Reads the date groups of one sentence; a day without a month takes the previous date's month
    (``1月1日至3日``), a date without a year the notice's year, a year carries on (``2022年12月31日至
    2023年1月2日``)."""

    def __init__(self, year: int, sentence: str) -> None:
        self.year = year
        self.sentence = sentence
        self.month: int | None = None
        self.last_year = year

    def read(self, year: str | None, month: str | None, day: str | None, note: str | None) -> dt.date:
        if year is not None:
            self.last_year = int(year)
        if month is not None:
            self.month = int(month)
        elif year is not None or self.month is None:
            raise _fail(f"{self.sentence!r}: a date without its month")
        assert day is not None
        try:
            found = dt.date(self.last_year, self.month, int(day))
        except ValueError:
            raise _fail(
                f"{self.sentence!r}: {self.month}月{day}日 is not a date of {self.last_year}"
            ) from None
        _check_annotation(found, note, self.sentence)
        return found


def _check_annotation(day: dt.date, note: str | None, sentence: str) -> None:
    if not note:
        return
    for part in note.split("、"):
        weekday = re.fullmatch(r"(?:星期|周)([一二三四五六日天])", part)
        if weekday:
            if _WEEKDAYS[weekday.group(1)] != day.weekday():
                raise _fail(
                    f"{sentence!r}: {day.isoformat()} is a {_weekday_zh(day)}, the notice says {part}"
                )
        elif not part.startswith("农历"):
            raise _fail(f"{sentence!r}: cannot read the annotation ({part})")


_Group = tuple[str | None, str | None, str | None, str | None]


def _groups(match: re.Match[str], count: int) -> list[_Group]:
    """The (year, month, day, annotation) groups of the first ``count`` dates of a sentence pattern."""
    v: tuple[str | None, ...] = match.groups()
    return [(v[i * 4], v[i * 4 + 1], v[i * 4 + 2], v[i * 4 + 3]) for i in range(count)]


def _weekend_around(days: set[dt.date]) -> set[dt.date]:
    """``days`` with the weekend days directly before and after them."""
    out = set(days)
    day = min(days) - dt.timedelta(days=1)
    while day.weekday() >= 5:
        out.add(day)
        day -= dt.timedelta(days=1)
    day = max(days) + dt.timedelta(days=1)
    while day.weekday() >= 5:
        out.add(day)
        day += dt.timedelta(days=1)
    return out


def _contiguous(days: set[dt.date], sentence: str) -> tuple[dt.date, dt.date]:
    """The period of ``days``, whose gaps may only be weekend days."""
    start, end = min(days), max(days)
    day = start
    while day <= end:
        if day not in days and day.weekday() < 5:
            raise _fail(
                f"{sentence!r}: the rest days are not one period ({day.isoformat()} is a working day)"
            )
        day += dt.timedelta(days=1)
    return start, end


def _read_item(
    year: int, name: str, body: str, line: str
) -> tuple[set[dt.date] | None, list[dt.date], list[str]]:
    """One item's rest days (``None`` if it gives none), make-up working days and remarks."""
    rest: set[dt.date] | None = None
    work: list[dt.date] = []
    remarks: list[str] = []
    for sentence in (s for s in body.split("。") if s):
        dates = _Dates(year, sentence)
        if match := _PERIOD.fullmatch(sentence):
            first, last = (dates.read(*g) for g in _groups(match, 2))
            stated = int(match.group(10))
            length = (last - first).days + 1
            if last < first or stated != length:
                raise _fail(
                    f"{sentence!r}: {first.isoformat()}…{last.isoformat()} is {length} days, not 共{stated}天"
                )
            days = {first + dt.timedelta(days=i) for i in range(length)}
        elif match := _ONE_DAY.fullmatch(sentence):
            days = {dates.read(*_groups(match, 1)[0])}
        elif match := _WITH_WEEKEND.fullmatch(sentence):
            days = _weekend_around({dates.read(*_groups(match, 1)[0])})
        elif match := _MAKEUP_REST.fullmatch(sentence):
            holiday, compensated = (dates.read(*g) for g in _groups(match, 2))
            if compensated.weekday() >= 5:
                raise _fail(f"{sentence!r}: a 补休 day on a weekend ({compensated.isoformat()})")
            days = _weekend_around(set(_span(holiday, compensated)))
            _contiguous(days, sentence)
        elif _WORK.fullmatch(sentence):
            for group in _DATE_RE.finditer(sentence):
                day = dates.read(*group.groups())
                if day.weekday() < 5:
                    raise _fail(f"{sentence!r}: {day.isoformat()} is a {_weekday_zh(day)}, not a weekend day")
                work.append(day)
            continue
        elif _ENCOURAGE.fullmatch(sentence):
            remarks.append(f"{name}: {sentence}。 (encouraged only: not a rest day)")
            continue
        else:
            raise _fail(f"item {line!r}: cannot read {sentence!r}")
        if rest is not None:
            raise _fail(f"item {line!r}: two rest periods for {name}")
        rest = days
    return rest, work, remarks


def _span(a: dt.date, b: dt.date) -> Iterable[dt.date]:
    lo, hi = sorted((a, b))
    return (lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1))


def parse_notice(text: str) -> ParsedNotice:
    """Read a notice's text (any line breaks, full-width or ASCII punctuation); see the module docstring."""
    if not isinstance(text, str) or not text.strip():
        raise _fail("the notice is empty")
    numbered = _normalise(text)
    lines = [line for line, _ in numbered]
    written = dict(numbered)
    joined = "".join(lines)
    years = {int(m.group(1)) for pattern in (_TITLE, _INTRO) for m in pattern.finditer(joined)}
    if not years:
        raise _fail(
            'no year: the text names neither "国务院办公厅关于YYYY年部分节假日安排的通知" nor "现将YYYY年…"'
        )
    if len(years) > 1:
        raise _fail(
            f"the text names several years ({', '.join(map(str, sorted(years)))}): one notice at a time"
        )
    (year,) = years
    number = _NUMBER.search(joined)
    signed = [m for line in lines if (m := _SIGNED.fullmatch(line))]
    date = None
    if signed:
        y, mth, dd = (int(g) for g in signed[-1].groups())
        try:
            date = dt.date(y, mth, dd)
        except ValueError:
            raise _fail(f"the notice's date {signed[-1].group(0)} is not a date") from None
        if not year - 2 <= date.year <= year:
            raise _fail(f"the notice for {year} is dated {date.isoformat()}")
    holidays: list[NoticeHoliday] = []
    workdays: list[NoticeWorkday] = []
    remarks: list[str] = []
    seen: list[int] = []
    for line in lines:
        item = _ITEM.fullmatch(line)
        if item is None:
            continue
        ordinal = _NUMERALS.index(item.group(1)) + 1 if len(item.group(1)) == 1 else _ordinal(item.group(1))
        seen.append(ordinal)
        name = item.group(2)
        parts = name.split("、")
        unknown = [p for p in parts if p not in FESTIVALS]
        if unknown:
            raise _fail(f"item {line!r}: {'、'.join(unknown)} is not a festival of the holiday regulation")
        name_en = " and ".join(FESTIVALS[p] for p in parts)
        rest, work, notes = _read_item(year, name, item.group(3), line)
        remarks.extend(notes)
        outside = sorted(day for day in rest or () if day.year != year)
        changed = [f"{day.isoformat()} rest" for day in outside if day.weekday() < 5]
        changed += [f"{day.isoformat()} work" for day in work if day.year != year]
        if changed:
            raise _fail(_other_year(year, line, sorted(changed)))
        if rest is not None:
            inside = {day for day in rest if day.year == year}
            for day in outside:
                remarks.append(
                    f"{name}: {day.isoformat()} ({_weekday_zh(day)}) is a weekend day of {day.year}: left out"
                )
            if not inside:
                raise _fail(f"item {line!r}: no rest day in {year}")
            start, end = _contiguous(inside, line)
            holidays.append(NoticeHoliday(name, name_en, start, end, written[line]))
        workdays.extend(NoticeWorkday(day, name) for day in work)
        if rest is None and not work:
            raise _fail(f"item {line!r}: no rest day and no working day in it")
    if not holidays:
        raise _fail("no item of the form 一、元旦：…放假… was found")
    if seen != list(range(1, len(seen) + 1)):
        raise _fail(f"the items are not numbered 一、二、三… in order (found {seen})")
    if any(not any(h.name_zh == w.holiday for h in holidays) for w in workdays):
        raise _fail("a make-up working day belongs to an item without rest days")
    return ParsedNotice(
        year=year,
        title=f"国务院办公厅关于{year}年部分节假日安排的通知",
        date=date,
        number=number.group(0) if number else None,
        holidays=tuple(holidays),
        makeup_workdays=tuple(sorted(workdays, key=lambda w: w.date)),
        remarks=tuple(remarks),
    )


def _ordinal(numeral: str) -> int:
    # 十一 = 11 (the notices have at most 7 items; anything else is refused by the order check)
    tens, _, ones = numeral.partition("十")
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)


def _other_year(year: int, line: str, days: list[str]) -> str:
    earlier = sorted({int(d[:4]) for d in days})
    return (
        f"item {line!r} changes the working days of {', '.join(map(str, earlier))} ({'; '.join(days)}), "
        f"which the calendar file for {year} cannot hold (each year's file keeps only its own days): add "
        f"those days to that year's file by hand, then import the rest"
    )


# --- writing ------------------------------------------------------------------------------------------

CONFIDENCE_VALUES = ("verified-in-source", "secondary-source", "inferred")


def default_confidence(url: str, reprint: str | None) -> str:
    """The mark an imported notice gets unless told otherwise: ``verified-in-source`` for the text of
    the official page (www.gov.cn) itself, ``secondary-source`` when it was read from a reprint."""
    host = re.sub(r"^https?://", "", url).split("/")[0].lower()
    official = host == "gov.cn" or host.endswith(".gov.cn")
    return "verified-in-source" if official and reprint is None else "secondary-source"


def _yaml_text(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def notice_yaml(
    notice: ParsedNotice,
    *,
    url: str,
    reprint: str | None = None,
    confidence: str | None = None,
    date: dt.date | None = None,
) -> str:
    """The ``calendar/cn-YYYY.yaml`` text for a parsed notice (validated by :func:`check_yaml`)."""
    signed = date or notice.date
    if signed is None:
        raise _fail("the text gives no date under 国务院办公厅: say when the notice was issued (--date)")
    if not re.fullmatch(r"https?://\S+", url or ""):
        raise _fail(f"the notice's address must be an http(s) URL, got {url!r}")
    if reprint is not None and not re.fullmatch(r"https?://\S+", reprint):
        raise _fail(f"the reprint's address must be an http(s) URL, got {reprint!r}")
    mark = confidence or default_confidence(url, reprint)
    if mark not in CONFIDENCE_VALUES:
        raise _fail(f"confidence must be one of {', '.join(CONFIDENCE_VALUES)}, got {mark!r}")
    out = [
        f"# China's working-day calendar for {notice.year}, imported by `chuhai calendar import` from",
        "# the text of the State Council General Office notice"
        + (f" {notice.number}" if notice.number else "")
        + f" ({'read at the reprint' if reprint else 'read at the address'} below).",
        "# Format and validation: chuhai.workdays (module docstring). Weekends are rest days unless listed",
        "# under makeup_workdays; every date listed under holidays is a rest day.",
        f"year: {notice.year}",
        "notice:",
        f"  title: {notice.title}",
        f"  date: {signed.isoformat()}",
        f"  url: {url}",
    ]
    if reprint:
        out.append(f"  reprint: {reprint}")
    out += [f"  confidence: {mark}"]
    for remark in notice.remarks:
        out.append(f"# note: {remark}")
    out += [
        "# 放假 periods, including the weekend days inside them; `days` is the length of the period.",
        "holidays:",
    ]
    for h in notice.holidays:
        out.append(f"  # {h.line}")
        out.append(
            f"  - {{name_zh: {_yaml_text(h.name_zh)}, name_en: {_yaml_text(h.name_en)}, "
            f"from: {h.start.isoformat()}, to: {h.end.isoformat()}, days: {h.days}}}"
        )
    out.append("# 调休上班: weekend days that are working days.")
    if notice.makeup_workdays:
        out.append("makeup_workdays:")
        for w in notice.makeup_workdays:
            out.append(
                f"  - {{date: {w.date.isoformat()}, for: {_yaml_text(w.holiday)}}}  "
                f"# {w.date.month}月{w.date.day}日（{_weekday_zh(w.date)}）上班"
            )
    else:
        out.append("makeup_workdays: []")
    return "\n".join(out) + "\n"


def check_yaml(year: int, text: str) -> YearCalendar:
    """Validate a calendar file's text exactly as the law loader does
    (:func:`chuhai.workdays.load_year_file`) and return the year it defines."""
    from chuhai.workdays import load_year_file

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"cn-{year}.yaml"
        path.write_text(text, encoding="utf-8")
        return load_year_file(path)


@dataclass(frozen=True)
class NoticePreview:
    """What importing a notice would do: the file's text, the days that change against the law as it
    stands, and whether a file of the law (shipped or local) would be replaced."""

    notice: ParsedNotice
    yaml: str
    target: str  # the layout name, calendar/cn-YYYY.yaml
    replaces: str | None  # "shipped" | "local" | None
    changes: tuple[tuple[dt.date, str, str], ...]  # (day, before, after) for a replaced year

    def lines(self) -> list[str]:
        out = self.notice.summary()
        if self.replaces is None:
            out.append(f"adds {self.target}")
        elif not self.changes:
            out.append(f"{self.target}: the same working days as the {self.replaces} file")
        else:
            out.append(f"replaces the {self.replaces} {self.target}; days that change:")
            out.extend(f"  {day.isoformat()}  {before} → {after}" for day, before, after in self.changes)
        return out


def preview_notice(
    notice: ParsedNotice,
    law: Law,
    *,
    url: str,
    reprint: str | None = None,
    confidence: str | None = None,
    date: dt.date | None = None,
) -> NoticePreview:
    """The calendar file a notice gives and what it changes in ``law`` (nothing is written)."""
    from chuhai.workdays import WorkdayCalendar

    text = notice_yaml(notice, url=url, reprint=reprint, confidence=confidence, date=date)
    year = check_yaml(notice.year, text)
    name = calendar_name(notice.year)
    existing = law.files.get(name)
    changes: list[tuple[dt.date, str, str]] = []
    if existing is not None:
        new = WorkdayCalendar({notice.year: year})
        old = law.calendar
        day = dt.date(notice.year, 1, 1)
        while day.year == notice.year:
            before, after = old.day_info(day).kind.value, new.day_info(day).kind.value
            if before != after:
                changes.append((day, before, after))
            day += dt.timedelta(days=1)
    return NoticePreview(notice, text, name, existing.origin if existing else None, tuple(changes))


def apply_notice(preview: NoticePreview, local_dir: Path, *, replace: bool = False) -> Path:
    """Write the previewed calendar file into ``local_dir`` (created if needed) and return its path.

    The whole law is validated with the new file first; a file that exists for that year (shipped or
    local) is replaced only with ``replace=True`` unless the working days stay the same. The write is
    atomic (a temporary file renamed over the target), and the lawbook's cache of ``local_dir`` is
    dropped so that the next :func:`chuhai.lawbook.current` reads it.
    """
    from chuhai.lawbook.book import compose, forget
    from chuhai.lawbook.layout import SHIPPED_DIR, LawFile, effective_files

    if preview.replaces is not None and preview.changes and not replace:
        raise LawError(
            f"{preview.target} exists in the {preview.replaces} law and the notice changes "
            f"{len(preview.changes)} day(s) of it: replace it explicitly (--replace)"
        )
    target = Path(local_dir) / preview.target
    target.parent.mkdir(parents=True, exist_ok=True)
    # Written beside the target under its own name (the loader checks the name against the year) in a
    # hidden directory the layout ignores, validated with the whole law, then renamed into place.
    with tempfile.TemporaryDirectory(prefix=".import-", dir=target.parent) as tmp:
        staged = Path(tmp) / target.name
        staged.write_text(preview.yaml, encoding="utf-8")
        files = dict(effective_files(SHIPPED_DIR, Path(local_dir)))
        files[preview.target] = LawFile(preview.target, staged, "local")
        compose(files, SHIPPED_DIR, Path(local_dir))
        os.replace(staged, target)
    forget(local_dir)
    return target
