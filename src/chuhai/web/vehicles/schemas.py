# ruff: noqa: RUF012 - schema defaults are class data
"""Request and response schemas of the vehicle area (vehicles, their facts and screening) in the REST API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class FindingOut(Schema):
    rule: str
    severity: str
    message_zh: str
    message_en: str
    reference: str
    confidence: str
    facts: dict[str, Any] = {}


class VehicleOut(Schema):
    id: int
    state: str
    vin: str
    brand: str
    model: str
    manufacturer: str
    vehicle_category: str
    body_type: str
    fuel: str
    displacement_ml: int | None
    power_kw: Decimal | None
    seats: int | None
    size_class: str
    use_nature: str
    steering: str
    condition: str
    factory_date: dt.date | None
    registration_date: dt.date | None
    transfer_pending_export_date: dt.date | None
    temp_plate_issue_date: dt.date | None
    temp_plate_number: str
    insurance_expiry: dt.date | None
    owner_name: str
    odometer_km: int | None
    encumbrance: str
    # The prohibition facts: null (encumbrance "") is "not known", never "no".
    seized: bool | None
    crime_proceeds: bool | None
    smuggled_or_assembled: bool | None
    unresolved_violations: bool | None
    modified_unproven: bool | None
    registration_matches: bool | None
    documents_complete: bool | None
    attested_facts: list[str]
    test_result: str
    aftersales_confirmation: bool
    destination: str
    licence_application_date: dt.date | None
    customs_clearance_date: dt.date | None
    deregistered_on: dt.date | None
    seller_id: int | None
    export_contract_id: int | None
    purchase_price: Decimal | None
    verdict: str
    rules: list[str]
    findings: list[FindingOut]
    commodity_code: str
    customs_name: str
    screening_deadlines: list[dict[str, Any]]
    law_version: str
    screened_as_of: dt.date | None


class VehicleIn(Schema):
    """Vehicle-file columns (``chuhai.schema``) plus seller, contract and price; all optional on update."""

    vin: str | None = None
    brand: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    vehicle_category: str | None = None
    body_type: str | None = None
    fuel: str | None = None
    displacement_ml: int | None = None
    power_kw: Decimal | None = None
    seats: int | None = None
    size_class: str | None = None
    use_nature: str | None = None
    steering: str | None = None
    condition: str | None = None
    factory_date: dt.date | None = None
    registration_date: dt.date | None = None
    temp_plate_issue_date: dt.date | None = None
    insurance_expiry: dt.date | None = None
    owner_name: str | None = None
    odometer_km: int | None = None
    encumbrance: str | None = None
    seized: bool | None = None
    crime_proceeds: bool | None = None
    smuggled_or_assembled: bool | None = None
    unresolved_violations: bool | None = None
    modified_unproven: bool | None = None
    registration_matches: bool | None = None
    documents_complete: bool | None = None
    test_result: str | None = None
    aftersales_confirmation: bool | None = None
    destination: str | None = None
    offered_price: Decimal | None = None
    notes: str | None = None
    seller_id: int | None = None
    export_contract_id: int | None = None


class VehicleCreateIn(VehicleIn):
    vin: str
    state: str = "purchased"


class ScreenIn(Schema):
    """One vehicle as a stock-file row (canonical column names or header aliases)."""

    vehicle: dict[str, Any]
    as_of: dt.date | None = None


class ScreenResultOut(Schema):
    row: int
    vin: str | None
    verdict: str
    commodity_code: str | None
    customs_name: str | None
    rules: list[str]
    findings: list[FindingOut]
    deadlines: list[dict[str, Any]]
    law_version: str
    as_of: str


class ScreenFileOut(Schema):
    law_version: str
    as_of: str
    summary: dict[str, Any]
    problems: list[dict[str, Any]]
    results: list[ScreenResultOut]


class FactsIn(Schema):
    """Registration facts to correct, as stock-file cells (canonical column names): read by the
    importer's parser, so ``"非营运"``, ``"2026年3月5日"`` and ``"是"`` are accepted as in a file; decimals
    as text (``"110.5"``)."""

    facts: dict[str, str | int | bool | None] = {}
