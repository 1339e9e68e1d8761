"""Licence planning for an organisation: the one planner (:func:`chuhai.batching.plan`) over its
vehicles, shown by the planning page, answered by ``POST /api/licences/plan`` and turned into draft
licences by :func:`create_from_plan` in one transaction.

The candidates are the vehicles registered "转让待出口" that are on no open licence, with their stored
verdict; the planner leaves out those that are not eligible or lack a destination or commodity code and
says why. A vehicle bound to an export contract goes on a licence under that contract; the others under
the organisation's latest active contract for their destination, if there is one. Adding the vehicles
screens each again (``licences.add_vehicles``), so a plan made from a stale verdict cannot create a
licence the rules refuse.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction

from chuhai import batching
from chuhai.errors import NotFound, ValidationError
from chuhai.web.aftersales.models import ContractState, ExportContract
from chuhai.web.cases.context import Actor, scoped, today
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import OPEN_LICENCE_STATES, LicenceApplication, LicenceLine
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle, VehicleState


@dataclass(frozen=True)
class PlannedBatch:
    """One planned licence with the organisation's records it names."""

    licence: batching.PlannedLicence
    vehicles: list[Vehicle]
    contract: ExportContract | None

    @property
    def commodity_code(self) -> str:
        return self.licence.commodity_code

    @property
    def destination(self) -> str:
        return self.licence.destination


@dataclass(frozen=True)
class ExcludedVehicle:
    excluded: batching.Excluded
    vehicle: Vehicle


@dataclass(frozen=True)
class LicencePlan:
    plan: batching.Plan
    batches: list[PlannedBatch]
    excluded: list[ExcludedVehicle]


def candidates(actor: Actor) -> list[Vehicle]:
    """The organisation's vehicles registered "转让待出口" and on no open licence, in id order."""
    on_open = LicenceLine.objects.filter(open=True, licence__state__in=OPEN_LICENCE_STATES).values(
        "vehicle_id"
    )
    return list(
        scoped(actor, Vehicle)
        .filter(state=VehicleState.TRANSFER_REGISTERED)
        .exclude(pk__in=on_open)
        .select_related("export_contract")
        .order_by("id")
    )


def _default_contracts(actor: Actor) -> dict[str, ExportContract]:
    """The latest active export contract per destination."""
    contracts: dict[str, ExportContract] = {}
    active = scoped(actor, ExportContract).filter(state=ContractState.ACTIVE).order_by("-signed_on", "-id")
    for contract in active:
        contracts.setdefault(contract.destination, contract)
    return contracts


def plan(actor: Actor, as_of: dt.date | None = None) -> LicencePlan:
    """The fewest licences for the organisation's vehicles that can go now (:func:`chuhai.batching.plan`)."""
    as_of = as_of or today()
    vehicles = candidates(actor)
    contracts = _default_contracts(actor)
    by_id = {str(c.pk): c for c in contracts.values()}
    for v in vehicles:
        if v.export_contract is not None:
            by_id[str(v.export_contract.pk)] = v.export_contract
    result = batching.plan(
        (
            batching.Candidate(
                vin=v.vin,
                verdict=v.verdict,
                commodity_code=v.commodity_code or None,
                destination=v.destination or None,
                rules=tuple(v.rules),
                contract=str(v.export_contract_id) if v.export_contract_id else None,
            )
            for v in vehicles
        ),
        screening.law(),
        as_of,
        {destination: str(c.pk) for destination, c in contracts.items()},
    )
    by_vin = {v.vin: v for v in vehicles}
    return LicencePlan(
        result,
        [
            PlannedBatch(lic, [by_vin[vin] for vin in lic.vins], by_id.get(lic.contract or ""))
            for lic in result.licences
        ],
        [ExcludedVehicle(e, by_vin[e.vin]) for e in result.excluded if e.vin in by_vin],
    )


def create_from_plan(actor: Actor, planned: Sequence[batching.PlannedLicence]) -> list[LicenceApplication]:
    """Create one draft licence per planned licence, with its vehicles: all of them or none.

    Each planned licence names its destination, export contract (an id) and VINs; every vehicle is
    checked and screened as when added by hand. Any refusal rolls back every licence of the plan.
    """
    actor.require("comply")
    if not planned:
        raise ValidationError("licences: at least one planned licence")
    created: list[LicenceApplication] = []
    with transaction.atomic():
        for index, lic in enumerate(planned, 1):
            if not lic.vins:
                raise ValidationError(f"licences[{index}].vehicles: at least one VIN")
            ids = dict(scoped(actor, Vehicle, "comply").filter(vin__in=lic.vins).values_list("vin", "pk"))
            missing = [vin for vin in lic.vins if vin not in ids]
            if missing:
                raise NotFound(f"licences[{index}]: vehicle {', '.join(missing)} not found")
            contract_id: int | None = None
            if lic.contract:
                try:
                    contract_id = int(lic.contract)
                except ValueError:
                    raise ValidationError(
                        f"licences[{index}].export_contract_id: {lic.contract!r} is not an id"
                    ) from None
            licence = licences.create(
                actor, {"destination": lic.destination, "export_contract_id": contract_id}
            )
            licences.add_vehicles(actor, licence.pk, [ids[vin] for vin in lic.vins])
            created.append(licence)
    return created
