"""Licence validity from the law: 6 months, never across the year, and next-year licences issued in
advance in December (law review 2026-12 C7: the 许可证局 practice of 2025-12-15 to 31)."""

from __future__ import annotations

import datetime as dt

import pytest

from chuhai.engine import load_law
from chuhai.errors import ValidationError
from chuhai.services.deadlines import licence_expiry


def _expiry(issued: dt.date, valid_from: dt.date | None = None) -> dt.date:
    law = load_law()
    entry = law.parameter("licence.next_year_rounds").at(issued)
    return licence_expiry(
        issued,
        int(law.value("licence.validity_months", issued)),
        bool(law.value("licence.validity_within_calendar_year", issued)),
        valid_from=valid_from,
        rounds=() if entry is None else entry.value,
    )


def test_a_2026_licence_issued_in_december_2025_runs_from_1_january() -> None:
    # Not capped at 2025-12-31: the licence takes effect on 2026-01-01.
    assert _expiry(dt.date(2025, 12, 15), dt.date(2026, 1, 1)) == dt.date(2026, 7, 1)
    assert _expiry(dt.date(2025, 12, 31), dt.date(2026, 1, 1)) == dt.date(2026, 7, 1)


def test_a_licence_issued_in_december_for_the_same_year_ends_on_31_december() -> None:
    assert _expiry(dt.date(2025, 12, 20)) == dt.date(2025, 12, 31)


@pytest.mark.parametrize(
    ("issued", "valid_from"),
    [
        (dt.date(2025, 12, 14), dt.date(2026, 1, 1)),  # before the round opened
        (dt.date(2025, 12, 20), dt.date(2026, 2, 1)),  # not the round's start date
        (dt.date(2026, 12, 20), dt.date(2027, 1, 1)),  # no 2027 round in the law (no notice found)
    ],
)
def test_next_year_validity_outside_a_round_is_refused(issued: dt.date, valid_from: dt.date) -> None:
    with pytest.raises(ValidationError, match="valid_from"):
        _expiry(issued, valid_from)
