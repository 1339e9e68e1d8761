"""The one place the case-management service calls the engine.

A vehicle row becomes a record keyed by ``chuhai.schema`` column names; the enterprise becomes an
:class:`~chuhai.io.profile.ExporterProfile`; the engine returns a :class:`VehicleResult` whose
verdict, findings, commodity code, customs name and deadlines are stored on the vehicle as its
latest screening snapshot (with the law version and the as-of date). No rule is evaluated here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.utils import timezone

from chuhai import schema
from chuhai.engine.model import Severity, VehicleResult

# Rule ids of ``action`` findings that the licence stage itself resolves: the manufacturer's
# after-sales confirmation letter is requested per licence, listing every VIN (MOFCOM guideline
# 2025-12-11), so a vehicle that only lacks it may be put on a licence and the letter obtained before
# submission.
RESOLVED_DURING_LICENCE = frozenset({"vehicle.aftersales_confirmation_required"})


def law() -> Any:
    from chuhai.engine import load_law

    return load_law()


def law_version() -> str:
    """The version of the law in force (release + content hash), stamped on screenings and audit events."""
    return str(law().version)


def law_value(parameter_id: str, on: dt.date) -> Any:
    return law().value(parameter_id, on)


def exporter_profile(organisation: Any) -> Any:
    """The engine's view of an enterprise: identity, kind, current filing approval, authorisations."""
    from chuhai.identifiers import uscc
    from chuhai.io.profile import ExporterProfile
    from chuhai.web.organisations.models import FilingState

    # One narrow query (the approval date only): this runs on every screening, also per API call.
    approved_on = (
        organisation.filings.filter(state=FilingState.APPROVED)
        .order_by("-approved_on", "-id")
        .values_list("approved_on", flat=True)
        .first()
        if organisation.pk
        else None
    )
    return ExporterProfile(
        name=organisation.name,
        uscc=organisation.uscc or None,
        uscc_valid=bool(organisation.uscc) and uscc.is_valid(organisation.uscc),
        kind=organisation.enterprise_kind,
        filing_approved_on=approved_on,
        authorised_by=tuple(organisation.authorised_by or ()),
        project_documents=bool(organisation.project_documents),
    )


ATTESTS = "__attests__"
"""Key of a vehicle record holding the prohibition facts attested for it (``Vehicle.attested_facts``):
:func:`screen` screens it with those facts attested, as the import that stored them did."""


def vehicle_record(vehicle: Any, overrides: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The vehicle as a stock-file row (canonical column names), optionally with pending changes.

    An unknown fact stays ``None`` (an empty enumeration is ``None`` too): never a default "no".
    """
    record: dict[str, Any] = {}
    for column in schema.COLUMN_LIST:
        value = getattr(vehicle, column.name)
        if value == "" and column.kind != "text":
            value = None
        record[column.name] = value
    if overrides:
        record.update({k: v for k, v in overrides.items() if k in schema.COLUMNS})
    attested = tuple(getattr(vehicle, "attested_facts", None) or ())
    if attested:
        record[ATTESTS] = attested
    return record


def screen(
    records: Sequence[Mapping[str, Any]],
    organisation: Any,
    as_of: dt.date,
    attests: Sequence[str] = (),
) -> list[VehicleResult]:
    """Screen records for the enterprise; ``attests`` (for every record) and each record's own
    attested facts (:data:`ATTESTS`) are the exporter's attestation the engine cites."""
    import dataclasses

    from chuhai.engine import screen_records

    profile = exporter_profile(organisation)
    groups: dict[tuple[str, ...], list[int]] = {}
    for index, record in enumerate(records):
        own = set(record.get(ATTESTS, ())) | set(attests)
        groups.setdefault(tuple(f for f in schema.PROHIBITION_FACTS if f in own), []).append(index)
    results: list[VehicleResult | None] = [None] * len(records)
    for facts, indexes in groups.items():
        group_profile = dataclasses.replace(profile, attests=facts)
        rows = [{k: v for k, v in records[i].items() if k != ATTESTS} for i in indexes]
        for index, result in zip(indexes, screen_records(rows, group_profile, as_of), strict=True):
            results[index] = dataclasses.replace(result, row=index + 1)
    return [r for r in results if r is not None]


def findings_json(result: VehicleResult) -> list[dict[str, Any]]:
    return [
        {
            "rule": f.rule,
            "severity": str(f.severity),
            "message_zh": f.message_zh,
            "message_en": f.message_en,
            "reference": f.reference,
            "confidence": str(f.confidence),
            "facts": _jsonable(f.facts),
        }
        for f in result.findings
    ]


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def result_json(result: VehicleResult, law_version_text: str, as_of: dt.date) -> dict[str, Any]:
    """A screening result as plain JSON (API responses, import reports)."""
    return {
        "row": result.row,
        "vin": result.vin,
        "verdict": str(result.verdict),
        "commodity_code": result.commodity_code,
        "customs_name": result.customs_name,
        "rules": result.rules,
        "findings": findings_json(result),
        "deadlines": [{"kind": d.kind, "due": d.due.isoformat(), "rule": d.rule} for d in result.deadlines],
        "law_version": law_version_text,
        "as_of": as_of.isoformat(),
    }


# The vehicle fields apply_result writes (for a bulk_update of re-screened vehicles).
SCREENING_FIELDS = (
    "verdict",
    "findings",
    "rules_index",
    "commodity_code",
    "customs_name",
    "screening_deadlines",
    "law_version",
    "screened_as_of",
    "screened_at",
)


def apply_result(vehicle: Any, result: VehicleResult, as_of: dt.date) -> None:
    """Store a screening result on the vehicle (in memory; the caller saves)."""
    vehicle.verdict = str(result.verdict)
    vehicle.findings = findings_json(result)
    rules = sorted({f.rule for f in result.findings})
    vehicle.rules_index = ("," + ",".join(rules) + ",") if rules else ""
    vehicle.commodity_code = result.commodity_code or ""
    vehicle.customs_name = result.customs_name or ""
    vehicle.screening_deadlines = [
        {"kind": d.kind, "due": d.due.isoformat(), "rule": d.rule} for d in result.deadlines
    ]
    vehicle.law_version = law_version()
    vehicle.screened_as_of = as_of
    vehicle.screened_at = timezone.now()


def rescreen(vehicles: Iterable[Any], organisation: Any, as_of: dt.date) -> None:
    """Re-screen vehicles (in memory) with one engine call; the caller saves them."""
    items = list(vehicles)
    if not items:
        return
    results = screen([vehicle_record(v) for v in items], organisation, as_of)
    for vehicle, result in zip(items, results, strict=True):
        apply_result(vehicle, result, as_of)


def rules_with(result: VehicleResult, *severities: Severity) -> list[str]:
    wanted = {Severity(s) for s in severities}
    return sorted({f.rule for f in result.findings if f.severity in wanted})


def stored_rules_with(vehicle: Any, *severities: str) -> list[str]:
    wanted = set(severities)
    return sorted({f["rule"] for f in vehicle.findings if f.get("severity") in wanted})
