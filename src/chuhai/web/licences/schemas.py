# ruff: noqa: RUF012 - schema defaults are class data
"""Request and response schemas of the export-licence area in the REST API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class LicenceOut(Schema):
    id: int
    state: str
    destination: str
    export_contract_id: int | None
    submitted_on: dt.date | None
    issued_on: dt.date | None
    licence_number: str
    valid_until: dt.date | None
    rejected_on: dt.date | None
    closed_on: dt.date | None
    vehicle_count: int = 0


class LicenceIn(Schema):
    destination: str | None = None
    export_contract_id: int | None = None
    notes: str | None = None


class LicenceLineOut(Schema):
    vehicle_id: int
    vin: str
    commodity_code: str
    slot: int
    open: bool


class AddVehicleIn(Schema):
    """One vehicle (``vehicle_id``) or several at once (``vehicle_ids``, all or none)."""

    vehicle_id: int | None = None
    vehicle_ids: list[int] = []


class PlannedVehicleOut(Schema):
    id: int
    vin: str


class PlannedLicenceOut(Schema):
    commodity_code: str
    destination: str
    export_contract_id: int | None
    vehicles: list[PlannedVehicleOut]


class ExcludedOut(Schema):
    vehicle_id: int
    vin: str
    verdict: str
    rules: list[str]
    reason: str | None = None


class PlannedLicenceIn(Schema):
    """A planned licence to create, as ``POST /api/licences/plan`` answered it."""

    destination: str
    export_contract_id: int | None = None
    vehicles: list[str]  # VINs
    commodity_code: str | None = None  # informative; each vehicle's own code decides its slot


class PlanIn(Schema):
    """``create``: also create the planned licences as drafts, all or none (``licences``: exactly
    these, else the whole plan)."""

    create: bool = False
    licences: list[PlannedLicenceIn] | None = None


class PlanOut(Schema):
    as_of: dt.date
    law_version: str
    max_vehicles_per_code: int
    licences: list[PlannedLicenceOut]
    excluded: list[ExcludedOut]
    created: list[LicenceOut] = []
