"""The one rule for every write to a vehicle's facts: the edit form and ``PATCH /api/vehicles/{id}``
(:func:`chuhai.web.vehicles.services.update`), the facts correction (page and
``POST /api/vehicles/{id}/facts``) and the stock-file import all ask :func:`refusal` before they change
anything, and every one of them re-screens the car with exactly the facts it stores.

* The after-sales confirmation is recorded only by receiving the manufacturer's letter
  (``aftersales.confirmation_by_letter``): who received it, when, from which manufacturer, and the
  evidence.
* From the "转让待出口" registration on, the facts of the registration certificate are fixed (the
  licence annex must match it, 商务部等5部门公告2025年第648号): a changed owner is a domestic resale
  (``registration.export_bound_no_resale``), any other locked fact ``vehicle.registration_mismatch``.
* Once the car is on a licence application its facts are the record of what was applied for
  (``vehicle.facts_fixed_by_licence``); a withdrawn car's case is closed. Notes stay free.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from chuhai.errors import TransitionRefused
from chuhai.web.vehicles.models import EXPORT_BOUND_STATES, Vehicle, VehicleState

NO_DOMESTIC_RESALE = "registration.export_bound_no_resale"
REGISTRATION_MISMATCH = "vehicle.registration_mismatch"
FACTS_FIXED = "vehicle.facts_fixed_by_licence"
CONFIRMATION_BY_LETTER = "aftersales.confirmation_by_letter"
NOT_ALLOWED = "state.transition_not_allowed"

# Fixed by the "转让待出口" registration: the certificate's facts and the dates the transitions set.
LOCKED_AFTER_TRANSFER = frozenset(
    {
        "vin",
        "brand",
        "model",
        "manufacturer",
        "registration_date",
        "owner_name",
        "transfer_pending_export_date",
        "customs_clearance_date",
        "licence_application_date",
    }
)
# Recorded only through a received confirmation letter.
LETTER_ONLY = frozenset({"aftersales_confirmation"})
# Free in every state (not a fact the engine screens or a licence records).
ALWAYS_FREE = frozenset({"notes"})
# States in which the facts can still change (before the car goes on a licence application).
CORRECTABLE_STATES = frozenset(
    {
        VehicleState.OFFERED,
        VehicleState.DEPOSIT_PAID,
        VehicleState.PURCHASED,
        VehicleState.TRANSFER_REGISTERED,
    }
)


def changed(vehicle: Vehicle, values: Mapping[str, Any]) -> dict[str, Any]:
    """The values that differ from what the vehicle holds."""
    return {k: v for k, v in values.items() if getattr(vehicle, k, None) != v}


def refusal(vehicle: Vehicle, changes: Mapping[str, Any]) -> TransitionRefused | None:
    """Why ``changes`` (attribute → new value, only those that differ) may not be written, or None."""
    names = set(changes)
    letter_only = sorted(names & LETTER_ONLY)
    if letter_only:
        return TransitionRefused(
            f"{', '.join(letter_only)}: recorded only by receiving the manufacturer's confirmation letter",
            (CONFIRMATION_BY_LETTER,),
        )
    facts = sorted(names - ALWAYS_FREE)
    if not facts:
        return None
    if vehicle.state == VehicleState.WITHDRAWN:
        return TransitionRefused(f"vehicle {vehicle.vin} is withdrawn: its case is closed", (NOT_ALLOWED,))
    if vehicle.state in EXPORT_BOUND_STATES and "owner_name" in names:
        return TransitionRefused(
            "owner_name: a car registered for export is never resold domestically", (NO_DOMESTIC_RESALE,)
        )
    if vehicle.state not in CORRECTABLE_STATES:
        return TransitionRefused(
            f"{', '.join(facts)}: vehicle {vehicle.vin} in state {vehicle.state!r}: its facts are fixed by "
            "the licence application; take it off a draft application first",
            (FACTS_FIXED,),
        )
    if vehicle.state in EXPORT_BOUND_STATES:
        locked = sorted(names & LOCKED_AFTER_TRANSFER)
        if locked:
            return TransitionRefused(
                f"{', '.join(locked)}: fixed by the transfer-pending-export registration",
                (REGISTRATION_MISMATCH,),
            )
    return None


def check(vehicle: Vehicle, values: Mapping[str, Any]) -> dict[str, Any]:
    """The changed values of ``values``; raises the refusal if they may not be written."""
    diff = changed(vehicle, values)
    problem = refusal(vehicle, diff)
    if problem is not None:
        raise problem
    return diff
