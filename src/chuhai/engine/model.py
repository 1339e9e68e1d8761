"""The engine's result types: plain, immutable, framework-free.

A screening run produces one :class:`VehicleResult` per input row, in input order, each with its
verdict, its findings (rule, severity, bilingual message, the facts used, the reference and its
confidence), the commodity code, the customs product name and the deadlines.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    """How a finding affects the export (``shared/spec/rule-catalog.md``)."""

    INVALID = "invalid"  # the row cannot be read; only input.invalid and vin.invalid_format
    BLOCK = "block"
    ACTION = "action"
    ADVICE = "advice"


class Verdict(StrEnum):
    INVALID = "invalid"
    BLOCKED = "blocked"
    ACTION_REQUIRED = "action_required"
    ELIGIBLE = "eligible"


class Confidence(StrEnum):
    """How sure the law data is (``shared/domain/`` confidence marks)."""

    VERIFIED = "verified-in-source"
    SECONDARY = "secondary-source"
    INFERRED = "inferred"

    @property
    def rank(self) -> int:
        return {"verified-in-source": 2, "secondary-source": 1, "inferred": 0}[self.value]

    @property
    def label_zh(self) -> str:
        return {"verified-in-source": "已核对原文", "secondary-source": "二手资料", "inferred": "推断"}[
            self.value
        ]

    @property
    def label_en(self) -> str:
        return {
            "verified-in-source": "verified in source",
            "secondary-source": "secondary source",
            "inferred": "inferred",
        }[self.value]


VERDICT_ORDER: dict[Severity, Verdict] = {
    Severity.INVALID: Verdict.INVALID,
    Severity.BLOCK: Verdict.BLOCKED,
    Severity.ACTION: Verdict.ACTION_REQUIRED,
}


def verdict_of(severities: list[Severity] | list[str]) -> Verdict:
    """The verdict for a set of finding severities (rule-catalog.md, "Verdict of a vehicle").

    >>> verdict_of([])
    <Verdict.ELIGIBLE: 'eligible'>
    >>> verdict_of(["advice", "action", "block"])
    <Verdict.BLOCKED: 'blocked'>
    >>> verdict_of(["block", "invalid"])
    <Verdict.INVALID: 'invalid'>
    """
    present = {Severity(s) for s in severities}
    for severity in (Severity.INVALID, Severity.BLOCK, Severity.ACTION):
        if severity in present:
            return VERDICT_ORDER[severity]
    return Verdict.ELIGIBLE


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: Severity
    message_zh: str
    message_en: str
    reference: str
    confidence: Confidence
    facts: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "zh") -> str:
        return self.message_zh if lang.startswith("zh") else self.message_en


@dataclass(frozen=True)
class Deadline:
    kind: str
    due: dt.date
    rule: str


@dataclass(frozen=True)
class VehicleResult:
    row: int
    vin: str | None
    verdict: Verdict
    commodity_code: str | None
    customs_name: str | None
    findings: tuple[Finding, ...]
    deadlines: tuple[Deadline, ...]

    @property
    def rules(self) -> list[str]:
        return [f.rule for f in self.findings]
