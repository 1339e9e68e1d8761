"""Licence planning: group eligible vehicles into the fewest licence applications.

"一批一证" (2024 No. 6, secondary summaries): one licence per batch, at most 20 used cars under one
commodity code. Chuhai plans one commodity code and one destination per licence (the destination
country is printed on the licence and the after-sales letters), so the fewest licences for a group
of ``n`` vehicles sharing code, destination and export contract is ``ceil(n / 20)``; vehicles keep
input order. :func:`plan` is the one planner: ``chuhai plan`` and ``chuhai documents`` (through
:func:`plan_licences`), the web app's planning page and ``POST /api/licences/plan`` all call it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import polars as pl

from chuhai.engine.law import Law
from chuhai.engine.screen import Evaluation
from chuhai.engine.service import check_licence_batch


@dataclass(frozen=True)
class PlannedLicence:
    commodity_code: str
    destination: str
    vins: tuple[str, ...]
    # The export contract the licence is applied under (its reference, e.g. a database id), when the
    # caller knows one: a vehicle bound to a contract goes only on a licence under that contract.
    contract: str | None = None


@dataclass(frozen=True)
class Excluded:
    row: int
    vin: str | None
    verdict: str
    rules: tuple[str, ...]
    reason: str | None = None


@dataclass(frozen=True)
class Candidate:
    """One vehicle as the planner sees it: its screening verdict and what a licence groups by."""

    vin: str
    verdict: str
    commodity_code: str | None
    destination: str | None
    rules: tuple[str, ...] = ()  # the rules of its blocking findings, for the "cannot go yet" list
    contract: str | None = None  # the export contract the vehicle is bound to, if any
    row: int = 0  # its row in the input file (0 when it comes from elsewhere)


@dataclass(frozen=True)
class Plan:
    """The fewest licences for the eligible candidates, and why the others cannot go yet."""

    as_of: dt.date
    law_version: str
    limit: int  # licence.max_vehicles_per_code as of ``as_of``
    licences: tuple[PlannedLicence, ...]
    excluded: tuple[Excluded, ...]


def plan(
    candidates: Iterable[Candidate],
    law: Law,
    as_of: dt.date,
    contracts: Mapping[str, str] | None = None,
) -> Plan:
    """The one licence planner, used by ``chuhai plan``, the web app's planning page and
    ``POST /api/licences/plan``.

    Eligible candidates are grouped by commodity code, destination and export contract (their own, else
    ``contracts[destination]``, the contract the caller would apply under for that country), at most
    ``licence.max_vehicles_per_code`` per licence, in input order; the others are excluded with their
    verdict and rules, or the missing fact.

    >>> from chuhai.engine import load_law
    >>> law = load_law()
    >>> p = plan([Candidate("V1", "eligible", "8703", "KZ", contract="7"),
    ...           Candidate("V2", "eligible", "8703", "KZ"), Candidate("V3", "blocked", "8703", "KZ")],
    ...          law, dt.date(2026, 6, 1), contracts={"KZ": "9"})
    >>> [(lic.vins, lic.contract) for lic in p.licences]
    [(('V1',), '7'), (('V2',), '9')]
    >>> [(e.vin, e.verdict) for e in p.excluded]
    [('V3', 'blocked')]

    A VIN is planned once, however often it is given:

    >>> twice = plan([Candidate("V1", "eligible", "8703", "KZ")] * 2, law, dt.date(2026, 6, 1))
    >>> [lic.vins for lic in twice.licences], [e.reason for e in twice.excluded]
    ([('V1',)], ['VIN already planned'])
    """
    limit = int(law.value("licence.max_vehicles_per_code", as_of))
    default_contracts = contracts or {}
    groups: dict[tuple[str, str, str], list[str]] = {}
    excluded: list[Excluded] = []
    planned: set[str] = set()
    for c in candidates:
        if c.verdict != "eligible":
            excluded.append(Excluded(c.row, c.vin, c.verdict, c.rules))
        elif not c.destination:
            excluded.append(Excluded(c.row, c.vin, c.verdict, c.rules, "no destination country"))
        elif not c.commodity_code:
            excluded.append(Excluded(c.row, c.vin, c.verdict, c.rules, "no commodity code"))
        elif c.vin in planned:  # a VIN goes on one licence once, whatever the input repeats
            excluded.append(Excluded(c.row, c.vin, c.verdict, c.rules, "VIN already planned"))
        else:
            planned.add(c.vin)
            contract = c.contract or default_contracts.get(c.destination) or ""
            groups.setdefault((c.commodity_code, c.destination, contract), []).append(c.vin)
    licences: list[PlannedLicence] = []
    for (code, destination, contract), vins in sorted(groups.items()):
        for start in range(0, len(vins), limit):
            licences.append(
                PlannedLicence(code, destination, tuple(vins[start : start + limit]), contract or None)
            )
    for licence in licences:
        # The plan must itself pass the batch rule it is built from.
        assert not check_licence_batch([licence.commodity_code] * len(licence.vins), as_of, law)
    return Plan(as_of, str(law.version), limit, tuple(licences), tuple(excluded))


def plan_licences(
    evaluations: list[Evaluation], destinations: pl.DataFrame, law: Law, as_of: dt.date
) -> tuple[list[PlannedLicence], list[Excluded]]:
    """Plan licences from screened chunks of a stock file (:func:`plan`); ``destinations`` maps ``row``
    to ``destination``."""
    vehicles = pl.concat([e.vehicles for e in evaluations]).join(destinations, on="row", how="left")
    findings = pl.concat([e.findings for e in evaluations])
    blocking = (
        findings.filter(pl.col("severity").is_in(["invalid", "block", "action"]))
        .group_by("row", maintain_order=True)
        .agg(pl.col("rule").unique(maintain_order=True))
    )
    vehicles = vehicles.join(blocking, on="row", how="left", maintain_order="left")
    candidates = (
        Candidate(vin, verdict, code, destination, tuple(rules or ()), row=row)
        for row, vin, verdict, code, destination, rules in vehicles.select(
            "row", "vin", "verdict", "commodity_code", "destination", "rule"
        ).iter_rows()
    )
    result = plan(candidates, law, as_of)
    return list(result.licences), list(result.excluded)


def plan_json(
    as_of: dt.date, law: Law, licences: Iterable[PlannedLicence], excluded: Iterable[Excluded]
) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "law_version": law.version,
        "max_vehicles_per_code": int(law.value("licence.max_vehicles_per_code", as_of)),
        "licences": [
            {
                "commodity_code": lic.commodity_code,
                "destination": lic.destination,
                "vehicles": list(lic.vins),
                **({"contract": lic.contract} if lic.contract else {}),
            }
            for lic in licences
        ],
        "excluded": [
            {
                "row": e.row,
                "vin": e.vin,
                "verdict": e.verdict,
                "rules": list(e.rules),
                **({"reason": e.reason} if e.reason else {}),
            }
            for e in excluded
        ],
    }
