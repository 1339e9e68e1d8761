"""One error hierarchy for the whole of Chuhai.

Adapters map these to HTTP status codes (``chuhai.web``) and CLI exit codes (``chuhai.cli``),
each in one place. Domain errors carry no HTTP status of their own.
"""

from __future__ import annotations


class ChuhaiError(Exception):
    """Base of every error Chuhai raises on purpose. ``code`` is a stable machine-readable slug."""

    code = "error"


class LawError(ChuhaiError):
    """The law data (YAML under ``chuhai/law``) is malformed; the message names the file and key."""

    code = "law_invalid"


class CalendarDataMissing(ChuhaiError):
    """A working-day computation reached a year whose State Council holiday notice is not in the data."""

    code = "calendar_data_missing"


class InputError(ChuhaiError):
    """A whole input (file, profile) cannot be read; row-level problems are findings, not errors."""

    code = "input_unreadable"


class NoticeUnreadable(InputError):
    """A holiday notice's text says something the importer cannot read with certainty: it names the
    sentence and why, and nothing is written (a calendar is never guessed)."""

    code = "notice_unreadable"


class ValidationError(ChuhaiError):
    """A single value is invalid (identifier, form field); the message says what was expected."""

    code = "invalid_value"


class NotFound(ChuhaiError):
    code = "not_found"


class PermissionDenied(ChuhaiError):
    code = "permission_denied"


class TransitionRefused(ChuhaiError):
    """A state change is not allowed; ``rules`` lists the rule ids that refuse it."""

    code = "transition_refused"

    def __init__(self, message: str, rules: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.rules = rules


class Conflict(ChuhaiError):
    """A concurrent change or a database invariant (e.g. more than 20 vehicles per code) refused the write."""

    code = "conflict"
