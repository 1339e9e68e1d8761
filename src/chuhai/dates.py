"""Calendar arithmetic for deadlines counted in days, months or years (not working days).

Chuhai computes deadlines twice: one vehicle at a time here, and whole stock files at once in the
bulk engine, which uses polars' ``Expr.dt.offset_by``. The two must never disagree about a date, so
these functions follow polars' rule exactly (a property test checks it over 1990–2060):

* months are calendar months; when the target month is shorter, the day is clamped to its last day
  (2026-08-31 + 2 months = 2026-10-31, 2026-12-31 + 2 months = 2027-02-28);
* a year is 12 calendar months, so 29 February plus one year is 28 February;
* the clamp is applied once, to the final result: ``add_months(d, 2)`` is not always
  ``add_months(add_months(d, 1), 1)`` (01-31 → 03-31, but 01-31 → 02-28 → 03-28).

Negative ``n`` counts backwards with the same clamping. Results outside years 1–9999 raise
``ValueError`` (the range of ``datetime.date``).

>>> import datetime as dt
>>> add_months(dt.date(2026, 8, 31), 2)
datetime.date(2026, 10, 31)
>>> add_months(dt.date(2026, 12, 31), 2)
datetime.date(2027, 2, 28)
>>> add_years(dt.date(2024, 2, 29), 1)
datetime.date(2025, 2, 28)
>>> add_days(dt.date(2026, 1, 1), 180)
datetime.date(2026, 6, 30)
"""

from __future__ import annotations

import calendar
import datetime as dt


def _check(day: object) -> dt.date:
    # datetime is a subclass of date; letting one through would silently drop its time and zone.
    if isinstance(day, dt.datetime) or not isinstance(day, dt.date):
        raise TypeError(f"expected a datetime.date, got {type(day).__name__}")
    return day


def _check_int(n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"expected an int, got {type(n).__name__}")
    return n


def add_months(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` calendar months, clamped to the end of the target month.

    >>> add_months(dt.date(2026, 1, 31), 1)
    datetime.date(2026, 2, 28)
    >>> add_months(dt.date(2026, 3, 31), -1)
    datetime.date(2026, 2, 28)
    """
    day, n = _check(day), _check_int(n)
    year, month0 = divmod(day.year * 12 + day.month - 1 + n, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"{day.isoformat()} plus {n} months is outside years 1–9999")
    month = month0 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def add_years(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` years, i.e. ``12 * n`` calendar months (29 Feb → 28 Feb in common years)."""
    return add_months(day, 12 * _check_int(n))


def add_days(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` calendar days (rest days included; see :mod:`chuhai.workdays` for working days)."""
    day, n = _check(day), _check_int(n)
    try:
        return day + dt.timedelta(days=n)
    except OverflowError as exc:
        raise ValueError(f"{day.isoformat()} plus {n} days is outside years 1–9999") from exc
