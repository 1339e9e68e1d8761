"""The one mapping from Chuhai's error hierarchy to HTTP status codes and error bodies.

Used by the REST API's exception handlers and by the pages, so that both adapters answer the same
error the same way: ``{"error": code, "message": text, "rules": [rule ids], "explanations": [...]}``.
"""

from __future__ import annotations

from typing import Any

from chuhai.errors import (
    CalendarDataMissing,
    ChuhaiError,
    Conflict,
    InputError,
    LawError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)

# Order matters: the first matching class wins (subclasses before their bases).
HTTP_STATUS: tuple[tuple[type[ChuhaiError], int], ...] = (
    (NotFound, 404),
    (PermissionDenied, 403),
    (TransitionRefused, 409),
    (Conflict, 409),
    (ValidationError, 422),
    (InputError, 422),
    (CalendarDataMissing, 422),
    (LawError, 500),
    (ChuhaiError, 400),
)


def status_for(exc: ChuhaiError) -> int:
    for cls, status in HTTP_STATUS:
        if isinstance(exc, cls):
            return status
    return 500  # pragma: no cover - ChuhaiError is the last entry


def error_body(exc: ChuhaiError) -> dict[str, Any]:
    """The error body; ``explanations`` gives each rule id its title in the request's language."""
    from chuhai.web.cases.rules import explain

    rules = list(getattr(exc, "rules", ()) or ())
    body: dict[str, Any] = {
        "error": exc.code,
        "message": str(exc),
        "rules": rules,
        "explanations": explain(rules),
    }
    problems = getattr(exc, "problems", None)
    if problems:  # unreadable values, as the import's error report names them
        body["problems"] = [
            {"field": field, "value": value, "expected_en": en, "expected_zh": zh}
            for field, value, en, zh in problems
        ]
    return body
