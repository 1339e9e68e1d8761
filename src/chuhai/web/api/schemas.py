# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Request and response schemas of the REST API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    error: str
    message: str
    rules: list[str] = []
    explanations: list[dict[str, str]] = []


class TransitionIn(Schema):
    """Parameters of a transition (which ones depend on the transition; see its description)."""

    params: dict[str, Any] = {}


class DeadlineOut(Schema):
    kind: str
    due: dt.date | None
    overdue: bool
    days_left: int | None
    rule: str
    parameter: str
    subject_type: str
    subject_id: int
    vin: str
    label: str
    problem: str | None
    provisional: bool = False  # counted on weekends only past the holiday calendar (``problem`` says why)


class TransitionTableOut(Schema):
    name: str
    available: list[str]
    table: list[dict[str, Any]]


class DocumentOut(Schema):
    """One generated document of a licence application; download it by ``name``."""

    name: str
    title_zh: str
    title_en: str
    content_type: str
    language: str | None = None  # the second language of a bilingual trade document
    default: bool = True  # false for a trade document in another than the destination's language
