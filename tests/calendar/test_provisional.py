"""Past the last holiday notice: provisional answers (weekends only, flagged), the 60-day warning, and
the command line refusing unless asked for a provisional answer."""

from __future__ import annotations

import datetime as dt

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from chuhai import workdays
from chuhai.cli import main
from chuhai.errors import CalendarDataMissing
from chuhai.services.deadlines import working_day_deadline
from chuhai.workdays import HORIZON_WARNING_DAYS, calendar_horizon

D = dt.date


def test_inside_the_data_the_answer_is_exact_and_not_flagged() -> None:
    assert workdays.add_workdays_or_provisional(D(2026, 9, 30), 3) == (D(2026, 10, 10), None)
    assert workdays.workdays_between_or_provisional(D(2026, 9, 30), D(2026, 10, 10)) == (3, None)


def test_past_the_data_weekends_only_and_flagged() -> None:
    with pytest.raises(CalendarDataMissing):
        workdays.add_workdays(D(2026, 12, 11), 15)
    due, guess = workdays.add_workdays_or_provisional(D(2026, 12, 11), 15)
    # 14.12.–31.12. has 14 working days in the 2026 data; 2027-01-01 is a Friday, counted as one.
    assert due == D(2027, 1, 1)
    assert guess is not None
    assert guess.years == (2027,)
    assert "2027" in guess.reason("zh")
    assert "仅按周末" in guess.reason("zh")
    assert guess.reason("ru").startswith("предварительно")
    assert "2027" in guess.reason("ar")
    count, guess = workdays.workdays_between_or_provisional(D(2026, 12, 30), D(2027, 1, 11))
    assert count == 8
    assert guess is not None
    assert guess.years == (2027,)
    count, back = workdays.workdays_between_or_provisional(D(2027, 1, 11), D(2026, 12, 30))
    assert count == -8
    assert back == guess
    earlier, guess = workdays.add_workdays_or_provisional(D(2025, 1, 2), -2)
    assert earlier == D(2024, 12, 30)
    assert guess is not None
    assert guess.years == (2024,)


@settings(max_examples=150, deadline=None)
@given(start=st.dates(D(2025, 1, 1), D(2026, 12, 31)), n=st.integers(0, 300))
def test_provisional_agrees_with_the_calendar_wherever_it_covers(start: dt.date, n: int) -> None:
    due, guess = workdays.add_workdays_or_provisional(start, n)
    if guess is None:
        assert due == workdays.add_workdays(start, n)
    else:
        assert due.year not in (2025, 2026)
        assert due.weekday() < 5
        count, _ = workdays.workdays_between_or_provisional(start, due)
        assert count == n


def test_a_provisional_answer_is_bounded() -> None:
    from chuhai.errors import ValidationError

    with pytest.raises(ValidationError):
        workdays.add_workdays_or_provisional(D(2026, 12, 1), 10**9)
    with pytest.raises(ValidationError):
        workdays.workdays_between_or_provisional(D(2026, 12, 1), D(9999, 1, 1))


def test_provisional_deadlines_carry_the_flag_and_the_reason() -> None:
    exact = working_day_deadline(
        "filing_review_due", D(2026, 11, 2), 15, rule="r", parameter="p", provisional=True
    )
    assert (exact.due, exact.provisional, exact.problem) == (D(2026, 11, 23), False, None)
    late = working_day_deadline(
        "filing_review_due", D(2026, 12, 11), 15, rule="r", parameter="p", provisional=True
    )
    assert late.due == D(2027, 1, 1)
    assert late.provisional
    assert late.problem_year == 2027
    assert "weekends only" in (late.problem or "")
    refused = working_day_deadline("filing_review_due", D(2026, 12, 11), 15, rule="r", parameter="p")
    assert refused.due is None
    assert not refused.provisional
    assert refused.problem_year == 2027


def test_the_horizon_warns_sixty_days_before_the_data_ends() -> None:
    assert HORIZON_WARNING_DAYS == 60
    assert calendar_horizon(D(2026, 10, 31)).state == "ok"
    ending = calendar_horizon(D(2026, 11, 1))
    assert (ending.state, ending.days_left, ending.last_day) == ("ending", 60, D(2026, 12, 31))
    assert "2026-12-31" in (ending.message("en") or "")
    assert "chuhai calendar import" in (ending.message("zh") or "")
    assert all(ending.message(lang) for lang in ("zh", "en", "ru", "ar"))
    ended = calendar_horizon(D(2027, 2, 1))
    assert ended.state == "ended"
    assert ended.days_left < 0
    assert (
        ended.message(
            "en",
        )
        is not None
    )
    assert calendar_horizon(D(2026, 6, 1)).message("en") is None


def test_the_command_line_refuses_unless_asked_for_a_provisional_answer() -> None:
    runner = CliRunner()
    refused = runner.invoke(main, ["workdays", "add", "2026-12-29", "3"])
    assert refused.exit_code == 3
    assert "--provisional" in refused.output
    given = runner.invoke(main, ["workdays", "add", "2026-12-29", "3", "--provisional"])
    assert given.exit_code == 0
    assert given.stdout.strip() == "2027-01-01"
    assert "provisional: no State Council holiday notice for 2027" in given.stderr
    exact = runner.invoke(main, ["workdays", "between", "2026-09-30", "2026-10-10", "--provisional"])
    assert (exact.exit_code, exact.stdout.strip(), exact.stderr) == (0, "3", "")
    between = runner.invoke(main, ["workdays", "between", "2026-12-30", "2027-01-11"])
    assert between.exit_code == 3


def test_chuhai_rules_warns_before_the_calendar_ends(monkeypatch: pytest.MonkeyPatch) -> None:
    import chuhai.cli

    monkeypatch.setattr(chuhai.cli, "_today", lambda: D(2026, 12, 7))
    result = CliRunner().invoke(main, ["rules", "--lang", "en"], env={"COLUMNS": "2000"})
    assert result.exit_code == 0
    assert "The working-day calendar ends on 2026-12-31 (24 days left)" in result.stderr
    monkeypatch.setattr(chuhai.cli, "_today", lambda: D(2026, 6, 1))
    quiet = CliRunner().invoke(main, ["rules", "--lang", "en"], env={"COLUMNS": "2000"})
    assert "working-day calendar" not in quiet.stderr
