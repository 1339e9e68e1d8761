"""The inputs of the document generators: one licence batch as plain, frozen records.

The Django case views, the REST API and the CLI fill these from the same records the screening
uses (the vehicle file of ``shared/spec/vehicle-file.md``, the exporter profile and the engine's
:class:`~chuhai.engine.model.VehicleResult`); every generator in :mod:`chuhai.documents` is a pure
function of them. A value that is not known is ``None``: the documents then print the visible
marker ``【待补充 / to be supplied】`` and the checklist lists it. Nothing is ever guessed.

Enumerated values use the vehicle-file vocabulary (``fuel``: petrol, diesel, hev_petrol,
hev_diesel, phev_petrol, phev_diesel, bev, other; ``body_type``: sedan, offroad_4wd, wagon,
other; ``category``: passenger, bus, truck, trailer, ...).

>>> import datetime as dt
>>> v = VehicleRecord(vin="LVSHCAMB1CE054249", brand="福特", model="CAF7160A")
>>> v.specification
'福特CAF7160A'
>>> Money(Decimal("12500.00"), "USD").amount
Decimal('12500.00')
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from chuhai.engine.model import Deadline, Finding, Verdict
from chuhai.errors import ValidationError

ExporterKind = Literal["manufacturer", "authorised_exporter", "circulation", "project_contractor"]
TradeTermCode = Literal["EXW", "FOB", "CIF"]
TestStandard = Literal["WM/T 8-2022", "WM/T 9-2022"]
PaymentMethod = Literal["tt_in_advance", "tt_deposit", "lc_at_sight"]

TRADE_TERMS: tuple[str, ...] = ("EXW", "FOB", "CIF")
# WM/T 8-2022 covers used passenger cars, WM/T 9-2022 used commercial vehicles and trailers
# (regulations.md §5, secondary-source).
TEST_STANDARDS: tuple[str, ...] = ("WM/T 8-2022", "WM/T 9-2022")


@dataclass(frozen=True)
class Contact:
    """A person to call about the batch (printed on letters and the filing outline)."""

    name: str
    phone: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class ExporterInfo:
    """The exporting enterprise, as in its business licence and its used-car export filing.

    ``name`` must equal the owner on every registration certificate (2024 No. 6, "谁出口谁申领").
    """

    name: str
    uscc: str
    address: str | None = None
    contact: Contact | None = None
    kind: ExporterKind = "circulation"
    filing_approved_on: dt.date | None = None
    legal_representative: str | None = None
    customs_code: str | None = None  # 海关编码 (the filing application asks for a copy)
    display_site_address: str | None = None  # circulation enterprises: used-car display and sales site
    appraiser_count: int | None = None  # circulation enterprises: appraisal professionals employed


@dataclass(frozen=True)
class TestReport:
    """A third-party test report (一车一检) per WM/T 8-2022 or WM/T 9-2022.

    The vehicle file carries only the result (``test_result``); number, body and date are ``None``
    until the report itself is recorded, and the documents print the marker for them meanwhile.
    """

    __test__ = False  # not a pytest test class, despite its name

    number: str | None
    body: str | None
    date: dt.date | None
    standard: TestStandard
    result: Literal["pass", "fail"]

    def __post_init__(self) -> None:
        if self.standard not in TEST_STANDARDS:
            raise ValidationError(
                f"test standard must be one of {', '.join(TEST_STANDARDS)}, got {self.standard!r}"
            )
        if self.result not in ("pass", "fail"):
            raise ValidationError(f"test result must be pass or fail, got {self.result!r}")


@dataclass(frozen=True)
class AftersalesConfirmation:
    """The manufacturer's 《售后维修服务确认书》 (商贸函〔2025〕648号): held or not, and its reference."""

    held: bool = False
    letter_ref: str | None = None


@dataclass(frozen=True)
class Money:
    """An exact amount in an ISO 4217 currency; never a float."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount, Decimal):
            raise ValidationError(f"money amounts must be Decimal, got {type(self.amount).__name__}")
        if len(self.currency) != 3 or not self.currency.isalpha() or not self.currency.isupper():
            raise ValidationError(f"currency must be an ISO 4217 code such as USD, got {self.currency!r}")


@dataclass(frozen=True)
class VehicleRecord:
    """One vehicle of the batch: certificate data, classification, documents held and screening result.

    ``brand`` and ``model`` are written exactly as on the 《机动车登记证书》; the licence's
    "规格、等级" is their concatenation (:attr:`specification`). ``declaration_values`` supplies
    申报要素 that Chuhai cannot derive (品牌类型, 出口享惠情况, GTIN ...), keyed by the element's
    Chinese name as in ``declaration_elements.yaml``.
    """

    vin: str
    brand: str | None = None
    model: str | None = None
    manufacturer: str | None = None
    fuel: str | None = None
    body_type: str | None = None
    category: str = "passenger"
    displacement_ml: int | None = None
    power_kw: Decimal | None = None
    battery_kwh: Decimal | None = None
    seats: int | None = None
    registration_date: dt.date | None = None
    transfer_pending_export_date: dt.date | None = None
    factory_date: dt.date | None = None
    owner_name: str | None = None
    commodity_code: str | None = None
    customs_name: str | None = None
    test_report: TestReport | None = None
    aftersales_confirmation: AftersalesConfirmation = field(default_factory=AftersalesConfirmation)
    china_spec: bool = True
    original_market_version: str | None = None  # 非中规车: the version of the original market (US, EU ...)
    trade_name: str | None = None  # 厂家备案的款式名称, e.g. 凯美瑞; not on the certificate
    kerb_mass_kg: int | None = None  # 整备质量, for the packing list
    price: Money | None = None
    verdict: Verdict | None = None
    findings: tuple[Finding, ...] = ()
    deadlines: tuple[Deadline, ...] = ()
    declaration_values: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.vin or len(self.vin) != 17:
            raise ValidationError(f"a vehicle record needs a 17-character VIN, got {self.vin!r}")

    @property
    def specification(self) -> str | None:
        """ "规格、等级" on the licence application: brand + model exactly as on the certificate."""
        if self.brand is None or self.model is None:
            return None
        return f"{self.brand}{self.model}"


@dataclass(frozen=True)
class Party:
    """A contract party other than the exporter (the foreign buyer)."""

    name: str
    address: str | None = None
    country: str | None = None  # ISO 3166 alpha-2


@dataclass(frozen=True)
class TradeTerm:
    """An Incoterms rule and its named place (port of shipment for FOB, destination port for CIF).

    The place may be unknown while the rule is agreed (a contract record holds only "CIF"): the
    documents then print the marker for it.
    """

    code: TradeTermCode
    place: str | None = None

    def __post_init__(self) -> None:
        if self.code not in TRADE_TERMS:
            raise ValidationError(f"trade term must be one of {', '.join(TRADE_TERMS)}, got {self.code!r}")


@dataclass(frozen=True)
class PaymentTerms:
    """How the buyer pays; rendered from the message catalogue in each contract language.

    ``note`` is free text added as written, in every language column (write it once).
    """

    method: PaymentMethod
    deposit_percent: int | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        if self.method == "tt_deposit" and not (
            self.deposit_percent is not None and 0 < self.deposit_percent < 100
        ):
            raise ValidationError("a T/T deposit needs deposit_percent between 1 and 99")


@dataclass(frozen=True)
class ServiceOutlet:
    """The overseas after-sales outlet named in the 《售后维修服务确认书》.

    商贸函〔2025〕648号 and the MOFCOM guideline of 2025-12-11 ask for its address and provider.
    """

    name: str
    address: str
    provider: str


@dataclass(frozen=True)
class Batch:
    """One licence batch ("一批一证"): the vehicles of one export licence application and its contract."""

    reference: str
    exporter: ExporterInfo
    destination: str  # ISO 3166 alpha-2
    vehicles: tuple[VehicleRecord, ...]
    buyer: Party | None = None
    trade_term: TradeTerm | None = None
    payment_terms: PaymentTerms | None = None
    currency: str = "USD"
    service_outlet: ServiceOutlet | None = None
    licence_number: str | None = None
    licence_application_date: dt.date | None = None
    clearance_date: dt.date | None = None
    contract_number: str | None = None
    contract_date: dt.date | None = None
    invoice_date: dt.date | None = None
    delivery_by: dt.date | None = None
    dispute_resolution: str | None = None

    def __post_init__(self) -> None:
        if len(self.destination) != 2 or not self.destination.isalpha() or not self.destination.isupper():
            raise ValidationError(f"destination must be an ISO 3166 alpha-2 code, got {self.destination!r}")
        if not self.vehicles:
            raise ValidationError("a batch needs at least one vehicle")
        vins = [v.vin for v in self.vehicles]
        duplicates = sorted({vin for vin in vins if vins.count(vin) > 1})
        if duplicates:
            raise ValidationError(f"a VIN appears twice in batch {self.reference}: {', '.join(duplicates)}")

    @property
    def consignor(self) -> str:
        """ "发货人" on the licence form: the used-car export enterprise itself (regulations.md §4)."""
        return self.exporter.name


@dataclass(frozen=True)
class AuditEntry:
    """One audit event of a vehicle's case, printed in its dossier."""

    when: dt.datetime
    who: str
    what: str
    before: str | None = None
    after: str | None = None

    def __post_init__(self) -> None:
        if self.when.tzinfo is None:
            raise ValidationError("audit times must be timezone-aware")


__all__ = [
    "AftersalesConfirmation",
    "AuditEntry",
    "Batch",
    "Contact",
    "ExporterInfo",
    "Money",
    "Party",
    "PaymentTerms",
    "ServiceOutlet",
    "TestReport",
    "TradeTerm",
    "VehicleRecord",
]
