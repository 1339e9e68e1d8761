# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Request and response schemas of the REST API (they make the OpenAPI document)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Schema


class ErrorOut(Schema):
    error: str
    message: str
    rules: list[str] = []
    explanations: list[dict[str, str]] = []


class MeOut(Schema):
    username: str
    organisation_id: int
    organisation: str
    role: str


class EnterpriseOut(Schema):
    id: int
    name: str
    uscc: str
    enterprise_kind: str
    province: str
    city: str
    address: str
    authorised_by: list[str]
    project_documents: bool
    filing_state: str | None = None
    filing_approved_on: dt.date | None = None


class EnterpriseIn(Schema):
    name: str | None = None
    uscc: str | None = None
    enterprise_kind: str | None = None
    province: str | None = None
    city: str | None = None
    address: str | None = None
    authorised_by: list[str] | None = None
    project_documents: bool | None = None


class FilingOut(Schema):
    id: int
    state: str
    submitted_on: dt.date | None
    approved_on: dt.date | None
    rejected_on: dt.date | None
    reference: str
    notes: str


class FilingIn(Schema):
    reference: str = ""
    notes: str = ""


class TransitionIn(Schema):
    """Parameters of a transition (which ones depend on the transition; see its description)."""

    params: dict[str, Any] = {}


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
    vin: str  # type: ignore[assignment]
    state: str = "purchased"


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


class DeclarationOut(Schema):
    id: int
    licence_id: int
    state: str
    declaration_number: str
    port: str
    filed_on: dt.date | None
    clearance_date: dt.date | None


class DeclarationItemOut(Schema):
    vehicle_id: int
    commodity_code: str
    product_name: str
    elements: dict[str, Any]


class DeclarationIn(Schema):
    licence_id: int | None = None
    declaration_number: str | None = None
    port: str | None = None


class SellerOut(Schema):
    id: int
    name: str
    phone: str
    id_number_last4: str


class SellerIn(Schema):
    name: str
    phone: str = ""
    id_number_last4: str = ""


class ContractOut(Schema):
    id: int
    number: str
    buyer: str
    destination: str
    signed_on: dt.date
    trade_term: str
    aftersales_terms: str
    state: str
    replaces_id: int | None


class ContractIn(Schema):
    number: str | None = None
    buyer: str | None = None
    destination: str | None = None
    signed_on: dt.date | None = None
    trade_term: str | None = None
    aftersales_terms: str | None = None
    replaces_id: int | None = None
    state: str | None = None


class OutletOut(Schema):
    id: int
    country: str
    city: str
    address: str
    provider: str
    manufacturer: str


class OutletIn(Schema):
    country: str
    city: str = ""
    address: str
    provider: str
    manufacturer: str = ""


class LetterOut(Schema):
    id: int
    licence_id: int
    manufacturer: str
    destination: str
    vins: list[str]
    state: str
    requested_on: dt.date
    received_on: dt.date | None


class LetterIn(Schema):
    licence_id: int
    manufacturer: str
    outlet_ids: list[int] = []
    requested_on: dt.date | None = None


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


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str
    object_type: str
    object_id: int
    vin: str
    transition: str
    before: dict[str, Any]
    after: dict[str, Any]
    law_version: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_label)


class ImportJobOut(Schema):
    id: int
    file: str
    state: str
    as_of: str
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    error_count: int
    message: str
    attempts: int
    law_version: str
    created_at: str | None
    finished_at: str | None


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None


class TokenCreatedOut(TokenOut):
    token: str


class TokenIn(Schema):
    name: str = "api"


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


class MemberOut(Schema):
    """A member of the caller's organisation (accounts are deactivated, never deleted)."""

    user_id: int
    username: str
    email: str
    role: str
    is_active: bool
    last_login: dt.datetime | None


class MemberCreateIn(Schema):
    username: str
    password: str
    role: str = "readonly"
    email: str = ""


class MemberIn(Schema):
    """A new role and/or the account's status (``is_active: false`` deactivates, ``true`` reactivates)."""

    role: str | None = None
    is_active: bool | None = None


class PasswordIn(Schema):
    password: str


class FactsIn(Schema):
    """Registration facts to correct, as stock-file cells (canonical column names): read by the
    importer's parser, so ``"非营运"``, ``"2026年3月5日"`` and ``"是"`` are accepted as in a file; decimals
    as text (``"110.5"``)."""

    facts: dict[str, str | int | bool | None] = {}
