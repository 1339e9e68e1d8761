"""The licence-application case ("一批一证"): draft → submitted → issued / rejected → used / lapsed.

* Filling: vehicles registered "转让待出口" are added to a draft; each takes the next free slot of its
  commodity code. At most ``licence.max_vehicles_per_code`` per code (2024 No. 6, regulations.md §2):
  checked here under a row lock on the licence, and held by the database constraints on
  :class:`~chuhai.web.licences.models.LicenceLine` if anything slips past.
* Submission re-screens every vehicle with the submission date as licence application date (the
  180-day test runs to that date, MOFCOM guideline 2025-12-11) and refuses on any block or action
  finding, an expired or missing filing included, and without an export contract.
* Review within ``licence.review_working_days`` working days; an issued licence is valid
  ``licence.validity_months``, never across the calendar year.
* "Used" requires the declared quantity to equal the licensed quantity per code; otherwise the
  licence lapses and the vehicles go back to be re-applied for.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import IntegrityError, transaction

from chuhai.engine.model import Severity
from chuhai.errors import Conflict, TransitionRefused, ValidationError
from chuhai.services.deadlines import licence_expiry
from chuhai.services.statemachine import StateMachine, Transition
from chuhai.web.aftersales.models import ContractState, ExportContract
from chuhai.web.cases.context import Actor, get_scoped, scoped, today
from chuhai.web.cases.transitions import apply_internal, record, run, snapshot
from chuhai.web.customs.models import DeclarationState
from chuhai.web.licences.models import LicenceApplication, LicenceLine, LicenceState
from chuhai.web.vehicles import screening
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.models import Vehicle, VehicleState
from chuhai.web.vehicles.services import CONTRACT_MISSING, _date, _past_date

L = LicenceState

QUANTITY_PER_CODE = "licence.quantity_per_code"  # engine catalogue id
EMPTY = "licence.no_vehicles"
NOT_DRAFT = "licence.not_draft"
CODE_UNKNOWN = "classification.code_unknown"
QUANTITY_MISMATCH = "licence.declared_quantity_mismatch"
EXPIRED = "licence.expired"
DESTINATION_MISMATCH = "licence.destination_mismatch"
CONTRACT_MISMATCH = "licence.contract_mismatch"
CONTRACT_DESTINATION_MISMATCH = "licence.contract_destination_mismatch"


def max_per_code(on: Any = None) -> int:
    return int(screening.law_value("licence.max_vehicles_per_code", on or today()))


def _vehicles(licence: LicenceApplication) -> list[Vehicle]:
    return [line.vehicle for line in licence.lines.select_related("vehicle").filter(open=True).order_by("id")]


# --- guards -------------------------------------------------------------------------------------


def has_vehicles(licence: LicenceApplication, params: dict[str, Any]) -> list[str]:
    return [] if licence.lines.filter(open=True).exists() else [EMPTY]


def has_contract(licence: LicenceApplication, params: dict[str, Any]) -> list[str]:
    contract = licence.export_contract
    return [] if contract is not None and contract.state == ContractState.ACTIVE else [CONTRACT_MISSING]


def within_quantity(licence: LicenceApplication, params: dict[str, Any]) -> list[str]:
    """The engine's batch check (``licence.quantity_per_code``) on the codes of the application."""
    from chuhai.engine import check_licence_batch

    on = _date(params, "submitted_on", today())
    codes = list(licence.lines.filter(open=True).values_list("commodity_code", flat=True))
    return sorted({finding.rule for finding in check_licence_batch(codes, on)})


def vehicles_pass_screening(licence: LicenceApplication, params: dict[str, Any]) -> list[str]:
    """Re-screen each vehicle as of the submission date; any block or action finding refuses."""
    on = _date(params, "submitted_on", today())
    vehicles = _vehicles(licence)
    if not vehicles:
        return []
    records = [screening.vehicle_record(v, {"licence_application_date": on}) for v in vehicles]
    results = screening.screen(records, licence.organisation, on)
    params["_results"] = (vehicles, results, on)
    rules: list[str] = []
    for result in results:
        rules.extend(screening.rules_with(result, Severity.INVALID, Severity.BLOCK, Severity.ACTION))
    return sorted(set(rules))


def declared_equals_licensed(licence: LicenceApplication, params: dict[str, Any]) -> list[str]:
    """The quantity declared to customs must equal the quantity licensed, per code (2024 No. 6)."""
    declaration = licence.declarations.exclude(state=DeclarationState.CANCELLED).first()
    licensed = Counter(licence.lines.filter(open=True).values_list("commodity_code", flat=True))
    declared = (
        Counter(declaration.items.values_list("commodity_code", flat=True)) if declaration else Counter()
    )
    cleared = declaration is not None and declaration.state == DeclarationState.CLEARED
    return [] if cleared and declared == licensed else [QUANTITY_MISMATCH]


# --- effects ------------------------------------------------------------------------------------


def submit(licence: LicenceApplication, params: dict[str, Any]) -> None:
    actor = params["actor"]
    licence.submitted_on = _date(params, "submitted_on", today())
    stored = params.get("_results")
    if stored:
        vehicles, results, on = stored
        for vehicle, result in zip(vehicles, results, strict=True):
            before = snapshot(vehicle)
            vehicle.licence_application_date = on
            screening.apply_result(vehicle, result, on)
            vehicle.save()
            record(actor, vehicle, "vehicle.licence_submitted", before, snapshot(vehicle))


def _advance_rounds(on: Any) -> Any:
    """The law's advance-issue rounds in force on a day (none before the first one)."""
    entry = screening.law().parameter("licence.next_year_rounds").at(on)
    return () if entry is None else entry.value


def issue(licence: LicenceApplication, params: dict[str, Any]) -> None:
    issued_on = _past_date(params, "issued_on", today())
    if licence.submitted_on and issued_on and issued_on < licence.submitted_on:
        raise ValidationError("issued_on: cannot predate the submission")
    licence.issued_on = issued_on
    licence.licence_number = str(params["licence_number"]).strip()
    # A licence issued in December for the next year takes effect on 1 January (its remarks say so):
    # only inside an advance-issue round of the law (licence.next_year_rounds).
    valid_from = _date(params, "valid_from", None)
    licence.valid_until = licence_expiry(
        issued_on,
        int(screening.law_value("licence.validity_months", issued_on)),
        bool(screening.law_value("licence.validity_within_calendar_year", issued_on)),
        valid_from=valid_from,
        rounds=_advance_rounds(issued_on) if valid_from not in (None, issued_on) else (),
    )
    for vehicle in _vehicles(licence):
        apply_internal(params["actor"], vehicle_service.MACHINE, vehicle, "licence_issued", {})


def _close(licence: LicenceApplication, params: dict[str, Any], release_vehicles: bool) -> None:
    licence.closed_on = _date(params, "closed_on", today())
    vehicles = _vehicles(licence)
    licence.lines.filter(open=True).update(open=False)
    if release_vehicles:
        for vehicle in vehicles:
            if vehicle.state in (VehicleState.IN_LICENCE, VehicleState.LICENSED):
                apply_internal(params["actor"], vehicle_service.MACHINE, vehicle, "licence_closed", {})


def reject(licence: LicenceApplication, params: dict[str, Any]) -> None:
    licence.rejected_on = _date(params, "rejected_on", today())
    if params.get("reason"):
        licence.notes = str(params["reason"])
    _close(licence, params, release_vehicles=True)


def use(licence: LicenceApplication, params: dict[str, Any]) -> None:
    _close(licence, params, release_vehicles=False)


def lapse(licence: LicenceApplication, params: dict[str, Any]) -> None:
    _close(licence, params, release_vehicles=True)


MACHINE: StateMachine[LicenceApplication] = StateMachine(
    "licence",
    states=tuple(L.values),
    transitions=(
        Transition(
            "submit",
            (L.DRAFT,),
            L.SUBMITTED,
            "comply",
            guards=(has_vehicles, has_contract, within_quantity, vehicles_pass_screening),
            effect=submit,
        ),
        Transition(
            "issue", (L.SUBMITTED,), L.ISSUED, "comply", effect=issue, required_params=("licence_number",)
        ),
        Transition("reject", (L.SUBMITTED,), L.REJECTED, "comply", effect=reject),
        Transition("use", (L.ISSUED,), L.USED, "system", guards=(declared_equals_licensed,), effect=use),
        Transition("lapse", (L.ISSUED,), L.LAPSED, "comply", effect=lapse),
    ),
)


def transition(
    actor: Actor, licence_id: int, name: str, params: dict[str, Any] | None = None
) -> LicenceApplication:
    return run(actor, MACHINE, LicenceApplication, licence_id, name, params)


# --- drafting -------------------------------------------------------------------------------------


def _contract(actor: Actor, contract_id: Any) -> ExportContract | None:
    if contract_id in (None, ""):
        return None
    return get_scoped(actor, ExportContract, contract_id)


def _check_contract_destination(licence: LicenceApplication) -> None:
    """One destination per licence: its export contract is for that destination."""
    contract = licence.export_contract
    if contract is not None and licence.destination and contract.destination != licence.destination:
        raise TransitionRefused(
            f"export contract {contract.number} is for {contract.destination}, the application for "
            f"{licence.destination}",
            (CONTRACT_DESTINATION_MISMATCH,),
        )


def vehicle_mismatch(licence: LicenceApplication, vehicle: Vehicle) -> TransitionRefused | None:
    """Why ``vehicle`` cannot go on ``licence``: another destination, or bound to another contract."""
    if licence.destination and vehicle.destination != licence.destination:
        return TransitionRefused(
            f"vehicle {vehicle.vin} goes to {vehicle.destination or '(no destination)'}, the application "
            f"to {licence.destination}",
            (DESTINATION_MISMATCH,),
        )
    if vehicle.export_contract_id is not None and vehicle.export_contract_id != licence.export_contract_id:
        return TransitionRefused(
            f"vehicle {vehicle.vin} is bound to another export contract than the application's",
            (CONTRACT_MISMATCH,),
        )
    return None


def create(actor: Actor, data: dict[str, Any]) -> LicenceApplication:
    actor.require("comply")
    contract = _contract(actor, data.get("export_contract_id"))
    destination = str(data.get("destination") or (contract.destination if contract else "")).strip().upper()
    _check_contract_destination(
        LicenceApplication(organisation=actor.organisation, destination=destination, export_contract=contract)
    )
    with transaction.atomic():
        licence = LicenceApplication.objects.create(
            organisation=actor.organisation,
            destination=destination,
            export_contract=contract,
            notes=str(data.get("notes") or ""),
        )
        record(actor, licence, "licence.create", {}, snapshot(licence))
    return licence


def update(actor: Actor, licence_id: int, data: dict[str, Any]) -> LicenceApplication:
    with transaction.atomic():
        licence = get_scoped(actor, LicenceApplication, licence_id, "comply", lock=True)
        if licence.state != L.DRAFT:
            raise TransitionRefused("only a draft licence application can be edited", (NOT_DRAFT,))
        before = snapshot(licence)
        if "export_contract_id" in data:
            licence.export_contract = _contract(actor, data["export_contract_id"])
        for key in ("destination", "notes"):
            if key in data and data[key] is not None:
                setattr(licence, key, str(data[key]))
        licence.destination = licence.destination.strip().upper()
        _check_contract_destination(licence)
        for line in licence.lines.select_related("vehicle"):
            refusal = vehicle_mismatch(licence, line.vehicle)
            if refusal is not None:
                raise refusal
        licence.save()
        record(actor, licence, "licence.update", before, snapshot(licence))
    return licence


def delete(actor: Actor, licence_id: int) -> None:
    """Discard a draft; its vehicles return to "转让待出口" and can go on another licence."""
    with transaction.atomic():
        licence = get_scoped(actor, LicenceApplication, licence_id, "comply", lock=True)
        if licence.state != L.DRAFT or licence.declarations.exists():
            raise TransitionRefused("only a draft licence application can be deleted", (NOT_DRAFT,))
        for line in list(licence.lines.select_related("vehicle").select_for_update()):
            apply_internal(actor, vehicle_service.MACHINE, line.vehicle, "remove_from_licence", {})
        record(actor, licence, "licence.delete", snapshot(licence), {"deleted": True})
        licence.lines.all().delete()
        licence.delete()


def add_vehicle(actor: Actor, licence_id: int, vehicle_id: int) -> LicenceLine:
    """Put one vehicle on a draft licence (see :func:`add_vehicles`)."""
    return add_vehicles(actor, licence_id, [vehicle_id])[0]


def add_vehicles(actor: Actor, licence_id: int, vehicle_ids: list[int]) -> list[LicenceLine]:
    """Put vehicles on a draft licence, each in the next free slot of its commodity code; all or none.

    The vehicles are screened first, with one engine call and outside the locks (screening is the slow
    part). Then the licence row is locked, so two clients filling the same licence queue up and the
    second sees the first's lines; a vehicle changed since its screening is screened again under the
    lock. The slot constraints make any race that still gets through fail instead of exceeding the limit.
    """
    actor.require("comply")
    ids = list(dict.fromkeys(vehicle_ids))
    if not ids:
        raise ValidationError("vehicle_ids: at least one vehicle")
    as_of = today()
    candidates = list(scoped(actor, Vehicle, "comply").filter(pk__in=ids).select_related("organisation"))
    if len(candidates) != len(ids):
        from chuhai.errors import NotFound

        missing = sorted(set(ids) - {v.pk for v in candidates})
        raise NotFound(f"vehicle {', '.join(map(str, missing))} not found")
    results = screening.screen([screening.vehicle_record(v) for v in candidates], actor.organisation, as_of)
    screened = {v.pk: (v.updated_at, result) for v, result in zip(candidates, results, strict=True)}
    lines: list[LicenceLine] = []
    try:
        with transaction.atomic():
            licence = get_scoped(actor, LicenceApplication, licence_id, "comply", lock=True)
            if licence.state != L.DRAFT:
                raise TransitionRefused(
                    "vehicles can be added only to a draft licence application", (NOT_DRAFT,)
                )
            limit = max_per_code()
            used: dict[str, set[int]] = {}
            for code, slot in licence.lines.values_list("commodity_code", "slot"):
                used.setdefault(code, set()).add(slot)
            for vehicle_id in ids:
                vehicle = get_scoped(actor, Vehicle, vehicle_id, "comply", lock=True)
                updated_at, result = screened[vehicle_id]
                params: dict[str, Any] = (
                    {"_result": (result, as_of)} if vehicle.updated_at == updated_at else {}
                )
                if not licence.destination:  # the first vehicle sets the licence's one destination
                    licence.destination = vehicle.destination
                    _check_contract_destination(licence)
                    licence.save(update_fields=["destination"])
                refusal = vehicle_mismatch(licence, vehicle)
                if refusal is not None:
                    raise refusal
                vehicle_service.MACHINE.check(vehicle, "add_to_licence", params)
                result, _as_of = params["_result"]
                code = result.commodity_code or vehicle.commodity_code
                if not code:
                    raise TransitionRefused(f"vehicle {vehicle.vin} has no commodity code", (CODE_UNKNOWN,))
                free = [n for n in range(1, limit + 1) if n not in used.setdefault(code, set())]
                if not free:
                    raise TransitionRefused(
                        f"licence already lists {limit} vehicles under commodity code {code}",
                        (QUANTITY_PER_CODE,),
                    )
                used[code].add(free[0])
                line = LicenceLine.objects.create(
                    licence=licence, vehicle=vehicle, commodity_code=code, slot=free[0]
                )
                apply_internal(actor, vehicle_service.MACHINE, vehicle, "add_to_licence", params)
                record(
                    actor,
                    licence,
                    "licence.add_vehicle",
                    {},
                    {"vehicle": vehicle.pk, "vin": vehicle.vin, "commodity_code": code, "slot": line.slot},
                    vin=vehicle.vin,
                )
                lines.append(line)
    except IntegrityError as exc:
        raise Conflict(
            f"the licence changed concurrently or the vehicle is on another open licence: {exc}"
        ) from exc
    return lines


def remove_vehicle(actor: Actor, licence_id: int, vehicle_id: int) -> None:
    with transaction.atomic():
        licence = get_scoped(actor, LicenceApplication, licence_id, "comply", lock=True)
        if licence.state != L.DRAFT:
            raise TransitionRefused(
                "vehicles can be removed only from a draft licence application", (NOT_DRAFT,)
            )
        line = licence.lines.select_related("vehicle").filter(vehicle_id=vehicle_id, open=True).first()
        if line is None:
            from chuhai.errors import NotFound

            raise NotFound(f"vehicle {vehicle_id} is not on licence {licence_id}")
        vehicle = line.vehicle
        line.delete()
        apply_internal(actor, vehicle_service.MACHINE, vehicle, "remove_from_licence", {})
        record(
            actor,
            licence,
            "licence.remove_vehicle",
            {"vehicle": vehicle.pk, "vin": vehicle.vin},
            {},
            vin=vehicle.vin,
        )


def lines(actor: Actor, licence_id: int) -> list[LicenceLine]:
    licence = get_scoped(actor, LicenceApplication, licence_id)
    return list(licence.lines.select_related("vehicle").order_by("commodity_code", "slot"))


def open_licences(actor: Actor) -> Any:
    return scoped(actor, LicenceApplication).filter(state__in=[L.DRAFT, L.SUBMITTED, L.ISSUED])
