"""After-sales promises: export contracts, overseas service outlets and the manufacturers'
《售后维修服务确认书》.

From 2026-01-01 a vehicle whose licence application falls within the 180-day window after
registration needs its manufacturer's confirmation letter (商贸函〔2025〕648号). The MOFCOM guideline of
2025-12-11 says each manufacturer issues its own letter per licence, listing every VIN, the
destination and the overseas outlets. A letter is requested per (licence, manufacturer) with the VINs
of that manufacturer's vehicles on the licence; when it is received, those vehicles' facts record
``aftersales_confirmation`` and are re-screened, which clears the engine's
``vehicle.aftersales_confirmation_required`` finding.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

from chuhai.errors import TransitionRefused, ValidationError
from chuhai.services.statemachine import StateMachine, Transition
from chuhai.web.aftersales.models import (
    ConfirmationLetter,
    ContractState,
    ExportContract,
    LetterState,
    ServiceOutlet,
)
from chuhai.web.cases.context import Actor, get_scoped, scoped, today
from chuhai.web.cases.transitions import record, run, snapshot
from chuhai.web.licences.models import OPEN_LICENCE_STATES, LicenceApplication, LicenceState
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle
from chuhai.web.vehicles.services import _date, _past_date, full_clean

NO_VEHICLES = "aftersales.no_vehicles_of_manufacturer"


def _set(obj: Any, data: dict[str, Any], fields: tuple[str, ...]) -> None:
    for key in fields:
        if key in data and data[key] is not None:
            setattr(obj, key, data[key])


CONTRACT_FIELDS = ("number", "buyer", "destination", "signed_on", "trade_term", "aftersales_terms")
OUTLET_FIELDS = ("country", "city", "address", "provider", "manufacturer")


def create_contract(actor: Actor, data: dict[str, Any]) -> ExportContract:
    actor.require("edit")
    with transaction.atomic():
        contract = ExportContract(organisation=actor.organisation)
        _set(contract, data, CONTRACT_FIELDS)
        if data.get("replaces_id"):
            old = get_scoped(actor, ExportContract, data["replaces_id"], "edit", lock=True)
            contract.replaces = old
        full_clean(contract)
        if scoped(actor, ExportContract).filter(number=contract.number).exists():
            from chuhai.errors import Conflict

            raise Conflict(f"contract {contract.number} already exists")
        contract.save()
        if contract.replaces is not None:
            old = contract.replaces
            before = snapshot(old)
            old.state = ContractState.SUPERSEDED
            old.save()
            record(actor, old, "contract.superseded", before, snapshot(old))
        record(actor, contract, "contract.create", {}, snapshot(contract))
    return contract


# What a licence application states of its contract: fixed once an application naming it has left
# the draft (the submitted papers carry them); a failed contract is re-signed instead (``replaces``).
FIXED_BY_LICENCE = ("number", "buyer", "destination", "signed_on")
CONTRACT_FIXED = "aftersales.contract_fixed_by_licence"


def update_contract(actor: Actor, contract_id: int, data: dict[str, Any]) -> ExportContract:
    """Correct a contract's details or cancel it. Refused: changing what a submitted licence
    application states of it, and marking it superseded by hand (re-signing does that)."""
    state = data.get("state")
    if state is not None and state not in ContractState.values:
        raise ValidationError(f"state: expected one of {', '.join(ContractState.values)}, got {state!r}")
    with transaction.atomic():
        contract = get_scoped(actor, ExportContract, contract_id, "edit", lock=True)
        if state == ContractState.SUPERSEDED and contract.state != ContractState.SUPERSEDED:
            raise ValidationError(
                "state: a contract becomes superseded when its replacement is added (re-sign it)"
            )
        changing = [
            k
            for k in FIXED_BY_LICENCE
            if data.get(k) is not None and str(data[k]) != str(getattr(contract, k))
        ]
        if changing and contract.licences.exclude(state=LicenceState.DRAFT).exists():
            raise TransitionRefused(
                f"{', '.join(changing)}: stated on a submitted licence application; re-sign the contract "
                "instead",
                (CONTRACT_FIXED,),
            )
        before = snapshot(contract)
        _set(contract, data, (*CONTRACT_FIELDS, "state"))
        full_clean(contract)
        contract.save()
        record(actor, contract, "contract.update", before, snapshot(contract))
    return contract


def delete_contract(actor: Actor, contract_id: int) -> None:
    """Remove a contract entered by mistake; refused once a vehicle or a licence application uses it."""
    with transaction.atomic():
        contract = get_scoped(actor, ExportContract, contract_id, "edit", lock=True)
        if contract.vehicles.exists() or contract.licences.exists():
            raise TransitionRefused(
                "a contract in use cannot be deleted; cancel or re-sign it", ("state.in_use",)
            )
        record(actor, contract, "contract.delete", snapshot(contract), {"deleted": True})
        contract.delete()


def create_outlet(actor: Actor, data: dict[str, Any]) -> ServiceOutlet:
    actor.require("edit")
    with transaction.atomic():
        outlet = ServiceOutlet(organisation=actor.organisation)
        _set(outlet, data, OUTLET_FIELDS)
        full_clean(outlet)
        outlet.save()
        record(actor, outlet, "outlet.create", {}, snapshot(outlet))
    return outlet


def delete_outlet(actor: Actor, outlet_id: int) -> None:
    """Remove an outlet; refused while a confirmation letter names it (the letter is a record)."""
    with transaction.atomic():
        outlet = get_scoped(actor, ServiceOutlet, outlet_id, "edit", lock=True)
        if outlet.letters.exists():
            raise TransitionRefused(
                "an outlet named on a manufacturer's confirmation letter cannot be deleted", ("state.in_use",)
            )
        record(actor, outlet, "outlet.delete", snapshot(outlet), {"deleted": True})
        outlet.delete()


def request_letter(
    actor: Actor,
    licence_id: int,
    manufacturer: str,
    outlet_ids: list[int] | None = None,
    requested_on: Any = None,
) -> ConfirmationLetter:
    """Request one manufacturer's letter for a licence, listing every VIN of theirs on it."""
    actor.require("edit")
    manufacturer = (manufacturer or "").strip()
    if not manufacturer:
        raise ValidationError("manufacturer: required")
    with transaction.atomic():
        licence = get_scoped(actor, LicenceApplication, licence_id, "edit", lock=True)
        if licence.state not in OPEN_LICENCE_STATES:
            raise TransitionRefused("the licence is closed", ("licence.closed",))
        vins = list(
            licence.lines.filter(open=True, vehicle__manufacturer=manufacturer)
            .order_by("commodity_code", "slot")
            .values_list("vehicle__vin", flat=True)
        )
        if not vins:
            raise TransitionRefused(f"no vehicle of {manufacturer} on this licence", (NO_VEHICLES,))
        letter = ConfirmationLetter.objects.create(
            organisation=actor.organisation,
            licence=licence,
            manufacturer=manufacturer,
            destination=licence.destination,
            vins=vins,
            requested_on=_date({"d": requested_on}, "d", today()),
        )
        if outlet_ids:
            letter.outlets.set([get_scoped(actor, ServiceOutlet, pk) for pk in outlet_ids])
        record(actor, letter, "letter.request", {}, snapshot(letter))
    return letter


def receive(letter: ConfirmationLetter, params: dict[str, Any]) -> None:
    """The letter is in hand: its vehicles now have the confirmation; re-screen them."""
    actor = params["actor"]
    letter.received_on = _past_date(params, "received_on", today())
    letter.received_by = actor.user
    letter.evidence = str(params["evidence"]).strip()[:300]
    vehicles = list(
        Vehicle.objects.select_for_update().filter(organisation=letter.organisation, vin__in=letter.vins)
    )
    befores = {v.pk: snapshot(v) for v in vehicles}
    for vehicle in vehicles:
        vehicle.aftersales_confirmation = True
    screening.rescreen(vehicles, letter.organisation, today())
    for vehicle in vehicles:
        vehicle.save()
        record(
            actor, vehicle, "vehicle.aftersales_confirmation_received", befores[vehicle.pk], snapshot(vehicle)
        )


LETTER_MACHINE: StateMachine[ConfirmationLetter] = StateMachine(
    "letter",
    states=tuple(LetterState.values),
    transitions=(
        # The evidence (the letter's number or the scan) is required: the confirmation rests on it.
        Transition(
            "receive",
            (LetterState.REQUESTED,),
            LetterState.RECEIVED,
            "edit",
            effect=receive,
            required_params=("evidence",),
        ),
    ),
)


def letter_transition(
    actor: Actor, letter_id: int, name: str, params: dict[str, Any] | None = None
) -> ConfirmationLetter:
    return run(actor, LETTER_MACHINE, ConfirmationLetter, letter_id, name, params)
