"""Deadline arithmetic for the case file: every due date from the law's parameters, never a literal.

Kinds and rules follow ``shared/spec/rule-catalog.md`` ("Deadlines"). Working-day deadlines use the
State Council calendar (:mod:`chuhai.workdays`); when a deadline falls in a year whose holiday notice
is not in the law data, the deadline is returned *without* a date and with an explicit problem
("cannot compute: no holiday notice for 2027"), never a guess — or, in **provisional** mode (what the
web app and the API show), with a date counted on weekends only in that year, flagged
``provisional`` and with the reason.

>>> import datetime as dt
>>> from chuhai.workdays import add_workdays, add_workdays_or_provisional
>>> d = working_day_deadline("licence_review_due", dt.date(2026, 9, 30), 3, rule="", parameter="p")
>>> d.due, d.problem
(datetime.date(2026, 10, 10), None)
>>> late = working_day_deadline("licence_review_due", dt.date(2026, 12, 30), 3, rule="", parameter="p")
>>> late.due is None, late.problem_year
(True, 2027)
>>> guess = working_day_deadline(
...     "licence_review_due", dt.date(2026, 12, 30), 3, rule="", parameter="p", provisional=True
... )
>>> guess.due, guess.provisional, guess.problem
(datetime.date(2027, 1, 4), True, 'provisional: no State Council holiday notice for 2027 in the law data; \
counted on weekends only')
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from chuhai.dates import add_days, add_months, add_years
from chuhai.errors import CalendarDataMissing, LawError, ValidationError
from chuhai.workdays import add_workdays, add_workdays_or_provisional

# kind -> (rule id it is reported with, law parameter it is computed from)
KINDS: dict[str, tuple[str, str]] = {
    "filing_review_due": ("exporter.filing_review_period", "exporter.filing_review_working_days"),
    "filing_expiry": ("exporter.filing_expired", "exporter.filing_validity_years"),
    "licence_review_due": ("licence.review_period", "licence.review_working_days"),
    "licence_expiry": ("licence.validity", "licence.validity_months"),
    "temp_plate_expiry": ("registration.temp_plate_expired", "registration.temp_plate_max_days"),
    "deregistration_due": ("registration.deregistration_required", "registration.deregistration_months"),
    "scrap_export_cutoff": ("vehicle.scrap_within_1y", ""),
    "aftersales_window_end": ("vehicle.aftersales_confirmation_required", "aftersales.window_days"),
}

_YEAR = re.compile(r"\b(19|20|21)\d{2}\b")


@dataclass(frozen=True)
class CaseDeadline:
    """One open deadline of a case. ``due`` is ``None`` when it cannot be computed (see ``problem``)."""

    kind: str
    due: dt.date | None
    rule: str = ""
    parameter: str = ""
    subject_type: str = ""
    subject_id: int = 0
    vin: str = ""
    label: str = ""
    problem: str | None = None
    problem_year: int | None = None
    provisional: bool = False  # ``due`` counted on weekends only in a year without a notice (``problem``)

    def days_left(self, today: dt.date) -> int | None:
        return None if self.due is None else (self.due - today).days

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today

    def with_subject(
        self, subject_type: str, subject_id: int, vin: str = "", label: str = ""
    ) -> CaseDeadline:
        return replace(self, subject_type=subject_type, subject_id=subject_id, vin=vin, label=label)

    @property
    def uid(self) -> str:
        """Stable identifier (used as the iCalendar UID) for the same deadline of the same subject."""
        return f"{self.kind}-{self.subject_type}-{self.subject_id}"


def missing_year(exc: CalendarDataMissing, fallback: int) -> int:
    """The year named by a :class:`CalendarDataMissing`, for the "no holiday notice for YEAR" state."""
    year = getattr(exc, "year", None)
    if isinstance(year, int):
        return year
    # The message names the first uncovered year after the covered range, e.g. "... for 2027 ...".
    found = [int(m.group(0)) for m in _YEAR.finditer(str(exc))]
    return found[0] if found else fallback


def working_day_deadline(
    kind: str, start: dt.date, working_days: int, *, rule: str, parameter: str, provisional: bool = False
) -> CaseDeadline:
    """``working_days`` working days after ``start`` (the start day itself is not counted).

    Past the holiday notices in the data the deadline has no date, or with ``provisional=True`` a date
    counted on weekends only in the years without a notice, flagged and with the reason.
    """
    if provisional:
        due, guess = add_workdays_or_provisional(start, working_days)
        if guess is None:
            return CaseDeadline(kind, due, rule=rule, parameter=parameter)
        return CaseDeadline(
            kind,
            due,
            rule=rule,
            parameter=parameter,
            problem=guess.reason("en"),
            problem_year=guess.years[0],
            provisional=True,
        )
    try:
        return CaseDeadline(kind, add_workdays(start, working_days), rule=rule, parameter=parameter)
    except CalendarDataMissing as exc:
        year = missing_year(exc, start.year + 1)
        return CaseDeadline(
            kind,
            None,
            rule=rule,
            parameter=parameter,
            problem=f"cannot compute: no holiday notice for {year}",
            problem_year=year,
        )


def months_after(day: dt.date, months: int) -> dt.date:
    return add_months(day, months)


def years_after(day: dt.date, years: int) -> dt.date:
    return add_years(day, years)


def days_after(day: dt.date, days: int) -> dt.date:
    return add_days(day, days)


def licence_expiry(
    issued_on: dt.date,
    validity_months: int,
    within_calendar_year: bool,
    *,
    valid_from: dt.date | None = None,
    rounds: Iterable[Mapping[str, object]] = (),
) -> dt.date:
    """A used-car licence's last day: ``validity_months`` after issue and, when the law's
    ``licence.validity_within_calendar_year`` holds, never past 31 December of the issue year
    ("有效期均不跨年", regulations.md §2, wihard.com, secondary-source).

    A licence issued in December for the next year (``valid_from`` = 1 January of that year, as its
    remarks state) counts from that date instead, and only if one of the law's ``rounds``
    (``licence.next_year_rounds``: the 许可证局 practice of 2025-12-15 to 31) covers its issue date;
    otherwise :class:`~chuhai.errors.ValidationError` names ``valid_from``.

    >>> licence_expiry(dt.date(2026, 3, 10), 6, True)
    datetime.date(2026, 9, 10)
    >>> licence_expiry(dt.date(2026, 9, 10), 6, True)
    datetime.date(2026, 12, 31)
    >>> licence_expiry(dt.date(2026, 9, 10), 6, False)
    datetime.date(2027, 3, 10)
    >>> rounds = [{"licence_year": 2026, "issue_from": "2025-12-15", "issue_until": "2025-12-31",
    ...            "valid_from": "2026-01-01"}]
    >>> licence_expiry(dt.date(2025, 12, 20), 6, True, valid_from=dt.date(2026, 1, 1), rounds=rounds)
    datetime.date(2026, 7, 1)
    """
    start = advance_validity_start(issued_on, valid_from, rounds)
    expiry = add_months(start, validity_months)
    return min(expiry, dt.date(start.year, 12, 31)) if within_calendar_year else expiry


def advance_validity_start(
    issued_on: dt.date, valid_from: dt.date | None, rounds: Iterable[Mapping[str, object]]
) -> dt.date:
    """The day a licence takes effect: its issue date, or the ``valid_from`` of an advance-issue round.

    >>> rounds = [{"licence_year": 2026, "issue_from": "2025-12-15", "issue_until": "2025-12-31",
    ...            "valid_from": "2026-01-01"}]
    >>> advance_validity_start(dt.date(2025, 12, 14), dt.date(2026, 1, 1), rounds)
    Traceback (most recent call last):
    ...
    chuhai.errors.ValidationError: valid_from: no advance-issue round of the law lets a licence issued \
on 2025-12-14 take effect on 2026-01-01
    """
    if valid_from is None or valid_from == issued_on:
        return issued_on
    for entry in rounds:
        try:
            start = dt.date.fromisoformat(str(entry["valid_from"]))
            first = dt.date.fromisoformat(str(entry["issue_from"]))
            last = dt.date.fromisoformat(str(entry["issue_until"]))
        except (KeyError, ValueError) as exc:
            raise LawError(f"licence.next_year_rounds: malformed round {dict(entry)!r}") from exc
        if start == valid_from and first <= issued_on <= last:
            return start
    raise ValidationError(
        f"valid_from: no advance-issue round of the law lets a licence issued on {issued_on.isoformat()} "
        f"take effect on {valid_from.isoformat()}"
    )


def temp_plate_expiry(issued_on: dt.date, max_days: int, insurance_expiry: dt.date | None) -> dt.date:
    """The earlier of the compulsory-insurance expiry and ``max_days`` after issue (regulations.md §6).

    >>> temp_plate_expiry(dt.date(2026, 11, 1), 60, None)
    datetime.date(2026, 12, 31)
    >>> temp_plate_expiry(dt.date(2026, 11, 1), 60, dt.date(2026, 11, 20))
    datetime.date(2026, 11, 20)
    """
    limit = add_days(issued_on, max_days)
    return limit if insurance_expiry is None else min(limit, insurance_expiry)


def sort_deadlines(deadlines: Iterable[CaseDeadline], today: dt.date) -> list[CaseDeadline]:
    """Overdue first (oldest first), then those that cannot be computed, then upcoming by date.

    >>> a = CaseDeadline("x", dt.date(2026, 1, 5))
    >>> b = CaseDeadline("y", dt.date(2026, 1, 1))
    >>> c = CaseDeadline("z", None, problem="cannot compute")
    >>> d = CaseDeadline("w", dt.date(2026, 3, 1))
    >>> [x.kind for x in sort_deadlines([d, c, a, b], dt.date(2026, 2, 1))]
    ['y', 'x', 'z', 'w']
    """

    def key(d: CaseDeadline) -> tuple[int, dt.date, str, int]:
        if d.due is None:
            return (1, dt.date.min, d.kind, d.subject_id)
        return (0 if d.due < today else 2, d.due, d.kind, d.subject_id)

    return sorted(deadlines, key=key)
