"""The vehicle case: from an individual's offer to deregistration, as a declarative state machine.

Path (seed guide §2–3; regulations.md §6): an individual seller offers the car → the enterprise pays
a deposit or the full price → the car is transferred to the enterprise and registered "转让待出口"
(temporary plate) → put on a licence application → licensed → declared → cleared → deregistered within
the law's ``registration.deregistration_months`` of clearance. A car may be withdrawn only *before* the
"转让待出口" registration: afterwards it can never be resold domestically, and if the export contract
fails the contract is re-signed instead (``resign_contract``).

Transitions with permission ``system`` are run by other cases' transitions (licence, declaration).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any, overload

from django.db import transaction

from chuhai import schema
from chuhai.engine.model import Severity
from chuhai.errors import TransitionRefused, ValidationError
from chuhai.services.statemachine import StateMachine, Transition
from chuhai.web.aftersales.models import ContractState, ExportContract
from chuhai.web.cases.context import Actor, get_scoped, scoped, today
from chuhai.web.cases.transitions import record, run, snapshot
from chuhai.web.organisations.models import Seller
from chuhai.web.vehicles import screening, writes
from chuhai.web.vehicles.models import EXPORT_BOUND_STATES, Vehicle, VehicleState

S = VehicleState

# Rule ids the case-management service adds to the engine's catalogue (reported to the lead).
NO_DOMESTIC_RESALE = "registration.export_bound_no_resale"
CONTRACT_MISSING = "aftersales.export_contract_missing"
CLEARANCE_BEFORE_DEREGISTRATION = "registration.deregistration_before_clearance"


@overload
def _date(params: dict[str, Any], name: str, default: dt.date) -> dt.date: ...
@overload
def _date(params: dict[str, Any], name: str, default: None = None) -> dt.date | None: ...
def _date(params: dict[str, Any], name: str, default: dt.date | None = None) -> dt.date | None:
    value = params.get(name)
    if value in (None, ""):
        return default
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError(f"{name}: expected a date YYYY-MM-DD, got {value!r}") from None


DATE_IN_FUTURE = "input.date_in_future"


@overload
def _past_date(params: dict[str, Any], name: str, default: dt.date) -> dt.date: ...
@overload
def _past_date(params: dict[str, Any], name: str, default: None = None) -> dt.date | None: ...
def _past_date(params: dict[str, Any], name: str, default: dt.date | None = None) -> dt.date | None:
    """A date a step records as done (issue, clearance, deregistration …): never after today."""
    value = _date(params, name, default)
    if value is not None and value > today():
        raise TransitionRefused(f"{name}: {value.isoformat()} is in the future", (DATE_IN_FUTURE,))
    return value


def _money(params: dict[str, Any], name: str) -> Decimal | None:
    value = params.get(name)
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise ValidationError(f"{name}: expected an amount, got {value!r}") from None
    if amount < 0:
        raise ValidationError(f"{name}: must not be negative")
    return amount


# --- guards -------------------------------------------------------------------------------------


def not_export_bound(vehicle: Vehicle, params: dict[str, Any]) -> list[str]:
    """Refuse domestic withdrawal once the car carries the "转让待出口" mark (regulations.md §6)."""
    return [NO_DOMESTIC_RESALE] if vehicle.state in EXPORT_BOUND_STATES else []


def no_block_after_transfer(vehicle: Vehicle, params: dict[str, Any]) -> list[str]:
    """Screen the car as it would stand after the transfer; any block finding refuses the registration.

    The transfer puts the car in the enterprise's name with the transfer date; the engine then says
    whether the enterprise may take it for export at all (filing, encumbrance, scrapping, seizure …).
    """
    transfer_date = _past_date(params, "transfer_pending_export_date")
    overrides = {
        "owner_name": vehicle.organisation.name,
        "transfer_pending_export_date": transfer_date,
        "temp_plate_issue_date": _date(params, "temp_plate_issue_date", transfer_date),
    }
    if params.get("insurance_expiry"):
        overrides["insurance_expiry"] = _date(params, "insurance_expiry")
    as_of = transfer_date or today()
    result = screening.screen([screening.vehicle_record(vehicle, overrides)], vehicle.organisation, as_of)[0]
    params["_result"] = (result, as_of)
    return screening.rules_with(result, Severity.INVALID, Severity.BLOCK)


def licence_ready(vehicle: Vehicle, params: dict[str, Any]) -> list[str]:
    """A vehicle goes on a licence only if eligible, or if its only open actions are resolved on the
    licence itself (the manufacturer's after-sales confirmation letter)."""
    if "_result" in params:
        result, as_of = params["_result"]
    else:
        as_of = today()
        result = screening.screen([screening.vehicle_record(vehicle)], vehicle.organisation, as_of)[0]
        params["_result"] = (result, as_of)
    refusing = screening.rules_with(result, Severity.INVALID, Severity.BLOCK, Severity.ACTION)
    return [r for r in refusing if r not in screening.RESOLVED_DURING_LICENCE]


def has_contract(vehicle: Vehicle, params: dict[str, Any]) -> list[str]:
    contract = params.get("_contract")
    return [] if contract is not None else [CONTRACT_MISSING]


def deregistration_after_clearance(vehicle: Vehicle, params: dict[str, Any]) -> list[str]:
    on = _date(params, "deregistered_on", today())
    clearance = vehicle.customs_clearance_date
    return (
        [CLEARANCE_BEFORE_DEREGISTRATION] if clearance is None or (on is not None and on < clearance) else []
    )


# --- effects ------------------------------------------------------------------------------------


def _store_result(vehicle: Vehicle, params: dict[str, Any]) -> None:
    stored = params.get("_result")
    if stored is not None:
        result, as_of = stored
        screening.apply_result(vehicle, result, as_of)


def pay_deposit(vehicle: Vehicle, params: dict[str, Any]) -> None:
    vehicle.deposit_amount = _money(params, "deposit_amount")


def purchase(vehicle: Vehicle, params: dict[str, Any]) -> None:
    price = _money(params, "purchase_price")
    if price is not None:
        vehicle.purchase_price = price
    vehicle.purchased_on = _past_date(params, "purchased_on", today())


def register_transfer(vehicle: Vehicle, params: dict[str, Any]) -> None:
    transfer_date = _date(params, "transfer_pending_export_date", today())
    vehicle.owner_name = vehicle.organisation.name
    vehicle.transfer_pending_export_date = transfer_date
    vehicle.temp_plate_issue_date = _date(params, "temp_plate_issue_date", transfer_date)
    vehicle.temp_plate_number = str(params.get("temp_plate_number") or "")
    if params.get("insurance_expiry"):
        vehicle.insurance_expiry = _date(params, "insurance_expiry")
    _store_result(vehicle, params)


def withdraw(vehicle: Vehicle, params: dict[str, Any]) -> None:
    vehicle.withdrawn_on = _past_date(params, "withdrawn_on", today())
    if params.get("reason"):
        vehicle.notes = (vehicle.notes + "\n" if vehicle.notes else "") + str(params["reason"])


def resign_contract(vehicle: Vehicle, params: dict[str, Any]) -> None:
    vehicle.export_contract = params["_contract"]
    vehicle.destination = params["_contract"].destination


def clear(vehicle: Vehicle, params: dict[str, Any]) -> None:
    vehicle.customs_clearance_date = _past_date(params, "clearance_date")


def deregister(vehicle: Vehicle, params: dict[str, Any]) -> None:
    vehicle.deregistered_on = _past_date(params, "deregistered_on")


MACHINE: StateMachine[Vehicle] = StateMachine(
    "vehicle",
    states=tuple(S.values),
    transitions=(
        Transition(
            "pay_deposit",
            (S.OFFERED,),
            S.DEPOSIT_PAID,
            "edit",
            effect=pay_deposit,
            required_params=("deposit_amount",),
        ),
        Transition("purchase", (S.OFFERED, S.DEPOSIT_PAID), S.PURCHASED, "edit", effect=purchase),
        Transition(
            "register_transfer",
            (S.PURCHASED,),
            S.TRANSFER_REGISTERED,
            "comply",
            guards=(no_block_after_transfer,),
            effect=register_transfer,
            # The registration's date and the temporary plate are facts of the certificate: asked for,
            # never invented.
            required_params=("transfer_pending_export_date", "temp_plate_number"),
        ),
        Transition(
            "resign_contract",
            (S.TRANSFER_REGISTERED,),
            S.TRANSFER_REGISTERED,
            "comply",
            guards=(has_contract,),
            effect=resign_contract,
            required_params=("contract_id",),
        ),
        Transition(
            "withdraw",
            (S.OFFERED, S.DEPOSIT_PAID, S.PURCHASED, *sorted(EXPORT_BOUND_STATES)),
            S.WITHDRAWN,
            "edit",
            guards=(not_export_bound,),
            effect=withdraw,
        ),
        Transition(
            "deregister",
            (S.CLEARED,),
            S.DEREGISTERED,
            "comply",
            guards=(deregistration_after_clearance,),
            effect=deregister,
            required_params=("deregistered_on",),
        ),
        # Moved by the licence and declaration cases:
        Transition(
            "add_to_licence",
            (S.TRANSFER_REGISTERED,),
            S.IN_LICENCE,
            "system",
            guards=(licence_ready,),
            effect=_store_result,
        ),
        Transition("remove_from_licence", (S.IN_LICENCE,), S.TRANSFER_REGISTERED, "system"),
        Transition("licence_issued", (S.IN_LICENCE,), S.LICENSED, "system"),
        Transition("licence_closed", (S.IN_LICENCE, S.LICENSED), S.TRANSFER_REGISTERED, "system"),
        Transition("declare", (S.LICENSED,), S.DECLARED, "system"),
        Transition("declaration_cancelled", (S.DECLARED,), S.LICENSED, "system"),
        Transition(
            "clear", (S.DECLARED,), S.CLEARED, "system", effect=clear, required_params=("clearance_date",)
        ),
    ),
)


def transition(actor: Actor, vehicle_id: int, name: str, params: dict[str, Any] | None = None) -> Vehicle:
    params = dict(params or {})
    if name == "resign_contract":
        contract_id = params.get("contract_id")
        contract = (
            scoped(actor, ExportContract).filter(pk=contract_id, state=ContractState.ACTIVE).first()
            if contract_id
            else None
        )
        params["_contract"] = contract
    return run(actor, MACHINE, Vehicle, vehicle_id, name, params)


# --- data entry -----------------------------------------------------------------------------------

# Fields a clerk may set directly; everything else changes only through transitions.
EDITABLE = [
    c.name
    for c in schema.COLUMN_LIST
    if c.name
    not in {
        "transfer_pending_export_date",
        "customs_clearance_date",
        "licence_application_date",
        "owner_name",
    }
] + ["offered_price", "notes"]
# Facts fixed by the "转让待出口" registration: the licence annex must match the certificate (648号).
LOCKED_AFTER_TRANSFER = writes.LOCKED_AFTER_TRANSFER


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    from chuhai.identifiers import vin as vin_id

    cleaned: dict[str, Any] = {}
    for key, value in data.items():
        if key not in EDITABLE and key not in {"owner_name", "seller_id", "export_contract_id"}:
            raise ValidationError(f"{key}: not an editable vehicle field")
        cleaned[key] = value
    if "vin" in cleaned:
        cleaned["vin"] = vin_id.validate(str(cleaned["vin"]))
    return cleaned


def full_clean(obj: Any) -> None:
    """Django's field validation, reported as Chuhai's ``ValidationError`` (field: message)."""
    from django.core.exceptions import ValidationError as DjangoValidationError

    try:
        obj.full_clean(
            exclude=["organisation", "seller", "export_contract"],
            validate_unique=False,
            validate_constraints=False,
        )
    except DjangoValidationError as exc:
        parts = [
            f"{field}: {' '.join(str(m) for m in messages)}" for field, messages in exc.message_dict.items()
        ]
        raise ValidationError("; ".join(parts)) from None


def _resolve_links(actor: Actor, data: dict[str, Any]) -> dict[str, Any]:
    if data.get("seller_id") is not None:
        data["seller"] = get_scoped(actor, Seller, data.pop("seller_id"))
    else:
        data.pop("seller_id", None)
    if data.get("export_contract_id") is not None:
        data["export_contract"] = get_scoped(actor, ExportContract, data.pop("export_contract_id"))
    else:
        data.pop("export_contract_id", None)
    return data


def create(actor: Actor, data: dict[str, Any], state: str = S.PURCHASED) -> Vehicle:
    """Register a car in stock (offered by a seller, or already purchased) and screen it."""
    actor.require("edit")
    if state not in (S.OFFERED, S.PURCHASED):
        raise ValidationError("a new vehicle starts as 'offered' or 'purchased'")
    data = _resolve_links(actor, _clean(dict(data)))
    if "vin" not in data:
        raise ValidationError("vin: required")
    with transaction.atomic():
        vehicle = Vehicle(organisation=actor.organisation, state=state, **data)
        if state == S.PURCHASED and vehicle.purchased_on is None:
            vehicle.purchased_on = today()
        full_clean(vehicle)
        screening.rescreen([vehicle], actor.organisation, today())
        if scoped(actor, Vehicle).filter(vin=vehicle.vin).exists():
            from chuhai.errors import Conflict

            raise Conflict(f"vehicle {vehicle.vin} already exists")
        vehicle.save()
        record(actor, vehicle, "vehicle.create", {}, snapshot(vehicle))
    return vehicle


def update(actor: Actor, vehicle_id: int, data: dict[str, Any]) -> Vehicle:
    """Correct or complete a car's facts; it is re-screened and the change audited."""
    data = _clean(dict(data))
    with transaction.atomic():
        vehicle = get_scoped(actor, Vehicle, vehicle_id, "edit", lock=True)
        data = _resolve_links(actor, data)
        if vehicle.state in EXPORT_BOUND_STATES and "owner_name" in data:
            data["owner_name"] = None  # even the same name: a resale is never recorded on such a car
        changes = writes.check(vehicle, data)
        before = snapshot(vehicle)
        for key, value in changes.items():
            setattr(vehicle, key, value)
        full_clean(vehicle)
        screening.rescreen([vehicle], actor.organisation, today())
        vehicle.save()
        record(actor, vehicle, "vehicle.update", before, snapshot(vehicle))
    return vehicle


def delete(actor: Actor, vehicle_id: int) -> None:
    """Remove a car entered by mistake; only before it is purchased (afterwards: withdraw)."""
    with transaction.atomic():
        vehicle = get_scoped(actor, Vehicle, vehicle_id, "edit", lock=True)
        if vehicle.state not in (S.OFFERED, S.WITHDRAWN) or vehicle.licence_lines.exists():
            raise TransitionRefused(
                f"vehicle {vehicle.vin} in state {vehicle.state!r} cannot be deleted; withdraw it instead",
                ("state.transition_not_allowed",),
            )
        record(actor, vehicle, "vehicle.delete", snapshot(vehicle), {"deleted": True})
        vehicle.delete()


# --- correcting the registration facts ------------------------------------------------------------

# The facts of the registration certificate and the stock file that the engine screens, in the order
# the form shows them. Left out: the VIN (the case's identity), the owner and the dates the
# transitions set (transfer registration, licence application, clearance), the destination (from the
# export contract) and the after-sales confirmation (from the manufacturer's letter).
CORRECTABLE_FACTS: tuple[str, ...] = (
    "brand",
    "model",
    "manufacturer",
    "registration_date",
    "factory_date",
    "insurance_expiry",
    "use_nature",
    "vehicle_category",
    "body_type",
    "size_class",
    "fuel",
    "displacement_ml",
    "power_kw",
    "seats",
    "steering",
    "condition",
    "odometer_km",
    "encumbrance",
    "test_result",
    "seized",
    "crime_proceeds",
    "smuggled_or_assembled",
    "unresolved_violations",
    "modified_unproven",
    "registration_matches",
    "documents_complete",
)
# Until the car goes on a licence application. From then on the application (and the licence, the
# customs declaration and the deregistration after it) was made with these facts: they are the
# record of what was submitted, so a correction means taking the car off a draft application first.
# A withdrawn car's case is closed.
CORRECTABLE_STATES = writes.CORRECTABLE_STATES
FACTS_FIXED = writes.FACTS_FIXED


class FactsInvalid(ValidationError):
    """Cells the stock-file parser cannot read: ``problems`` lists (field, value, expected_en,
    expected_zh), as the import's error report does."""

    def __init__(self, problems: list[tuple[str, str, str, str]]) -> None:
        super().__init__(
            "; ".join(
                f"{field}: {value!r} is not {expected_en}" for field, value, expected_en, _zh in problems
            )
        )
        self.problems = problems


def parse_facts(cells: dict[str, Any]) -> dict[str, Any]:
    """Read submitted cells exactly as the stock-file importer reads a row
    (:func:`chuhai.io.parse.parse_records`): the same spellings are accepted (``非营运``,
    ``2026年3月5日``, ``是``), an empty cell means "not known" (the column's default, or none) and an
    unreadable one is an error naming the field and the value."""
    from chuhai.io.parse import parse_records

    unknown = sorted(k for k in cells if k not in CORRECTABLE_FACTS)
    if unknown:
        raise ValidationError(f"{', '.join(unknown)}: not a correctable registration fact")
    if not cells:
        raise ValidationError("facts: nothing to correct")
    parsed = parse_records([{k: ("" if v is None else v) for k, v in cells.items()}])
    if parsed.problems.height:
        raise FactsInvalid(
            [
                (p["column"], p["value"] or "", p["expected_en"], p["expected_zh"])
                for p in parsed.problems.iter_rows(named=True)
            ]
        )
    row = parsed.frame.row(0, named=True)
    typed: dict[str, Any] = {}
    for name in cells:
        column = schema.COLUMNS[name]
        value = row[name]
        if value is None and column.kind in {"text", "enum"}:
            value = "" if column.default is None else column.default
        if name == "power_kw" and value is not None:
            # The parser keeps 0.001 kW; the vehicle stores 0.01 kW: refuse rather than round a fact.
            cents = Decimal(value).quantize(Decimal("0.01"))
            if cents != value:
                raise FactsInvalid(
                    [
                        (
                            name,
                            str(cells[name]),
                            "a number (kW) with at most 2 decimals",
                            "数字（千瓦），最多两位小数",
                        )
                    ]
                )
            value = cents
        typed[name] = value
    return typed


def correct_facts(actor: Actor, vehicle_id: int, cells: dict[str, Any]) -> Vehicle:
    """Correct the registration facts imported from a stock file; the car is re-screened by the engine
    and the new verdict and findings are stored, with one audit event (before and after)."""
    with transaction.atomic():
        vehicle = get_scoped(actor, Vehicle, vehicle_id, "edit", lock=True)
        typed = parse_facts(dict(cells))
        if vehicle.state not in CORRECTABLE_STATES:
            raise TransitionRefused(
                f"vehicle {vehicle.vin} in state {vehicle.state!r}: its facts are fixed by the licence "
                "application; take it off a draft application first",
                (FACTS_FIXED,) if vehicle.state != S.WITHDRAWN else ("state.transition_not_allowed",),
            )
        changed = writes.check(vehicle, typed)
        before = snapshot(vehicle)
        for key, value in changed.items():
            setattr(vehicle, key, value)
        full_clean(vehicle)
        screening.rescreen([vehicle], actor.organisation, today())
        vehicle.save()
        record(actor, vehicle, "vehicle.correct_facts", before, snapshot(vehicle))
    return vehicle
