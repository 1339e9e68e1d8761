"""Licence planning: group eligible vehicles into the fewest licence applications.

"一批一证" (2024 No. 6, secondary summaries): one licence per batch, at most 20 used cars under one
commodity code. Chuhai plans one commodity code and one destination per licence (the destination
country is printed on the licence and the after-sales letters), so the fewest licences for a group
of ``n`` vehicles sharing code and destination is ``ceil(n / 20)``; vehicles keep input order.

>>> plan_groups([("V1", "8703", "KZ"), ("V2", "8703", "KZ"), ("V3", "8703", "RU")], limit=1)
[('8703', 'KZ', ['V1']), ('8703', 'KZ', ['V2']), ('8703', 'RU', ['V3'])]

A VIN is planned once, however often it is given (a file that repeats a VIN blocks every row of it
with ``input.duplicate_vin`` anyway, so :func:`plan_licences` never sees it as eligible):

>>> plan_groups([("V1", "8703", "KZ"), ("V1", "8703", "KZ"), ("V1", "8704", "RU")], limit=20)
[('8703', 'KZ', ['V1'])]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
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


@dataclass(frozen=True)
class Excluded:
    row: int
    vin: str | None
    verdict: str
    rules: tuple[str, ...]
    reason: str | None = None


def plan_groups(vehicles: Iterable[tuple[str, str, str]], limit: int) -> list[tuple[str, str, list[str]]]:
    """Split (vin, code, destination) triples into groups of one code and destination, ``limit`` each."""
    groups: dict[tuple[str, str], list[str]] = {}
    seen: set[str] = set()
    for vin, code, destination in vehicles:
        if vin in seen:  # a VIN goes on one licence once, whatever the input repeats
            continue
        seen.add(vin)
        groups.setdefault((code, destination), []).append(vin)
    out = []
    for (code, destination), vins in sorted(groups.items()):
        for start in range(0, len(vins), limit):
            out.append((code, destination, vins[start : start + limit]))
    return out


def plan_licences(
    evaluations: list[Evaluation], destinations: pl.DataFrame, law: Law, as_of: dt.date
) -> tuple[list[PlannedLicence], list[Excluded]]:
    """Plan licences from screened chunks; ``destinations`` maps ``row`` to ``destination``."""
    limit = int(law.value("licence.max_vehicles_per_code", as_of))
    vehicles = pl.concat([e.vehicles for e in evaluations]).join(destinations, on="row", how="left")
    findings = pl.concat([e.findings for e in evaluations])
    blocking = (
        findings.filter(pl.col("severity").is_in(["invalid", "block", "action"]))
        .group_by("row", maintain_order=True)
        .agg(pl.col("rule").unique(maintain_order=True))
    )
    vehicles = vehicles.join(blocking, on="row", how="left", maintain_order="left")
    eligible: list[tuple[str, str, str]] = []
    excluded: list[Excluded] = []
    planned: set[str] = set()
    for row, vin, verdict, code, destination, rules in vehicles.select(
        "row", "vin", "verdict", "commodity_code", "destination", "rule"
    ).iter_rows():
        rules_t = tuple(rules or ())
        if verdict != "eligible":
            excluded.append(Excluded(row, vin, verdict, rules_t))
        elif not destination:
            excluded.append(Excluded(row, vin, verdict, rules_t, "no destination country"))
        elif not code:
            excluded.append(Excluded(row, vin, verdict, rules_t, "no commodity code"))
        elif vin in planned:
            excluded.append(Excluded(row, vin, verdict, rules_t, "VIN already planned"))
        else:
            planned.add(vin)
            eligible.append((vin, code, destination))
    licences = [PlannedLicence(code, dest, tuple(vins)) for code, dest, vins in plan_groups(eligible, limit)]
    for licence in licences:
        # The plan must itself pass the batch rule it is built from.
        assert not check_licence_batch([licence.commodity_code] * len(licence.vins), as_of, law)
    return licences, excluded


def plan_json(
    as_of: dt.date, law: Law, licences: list[PlannedLicence], excluded: list[Excluded]
) -> dict[str, Any]:
    return {
        "as_of": as_of.isoformat(),
        "law_version": law.version,
        "licences": [
            {"commodity_code": lic.commodity_code, "destination": lic.destination, "vehicles": list(lic.vins)}
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
