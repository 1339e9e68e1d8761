"""The REST API of the export-licence area: licence applications, their lines and workflow steps."""

from typing import Any

from django.db.models import Count
from django.http import HttpRequest
from ninja import Query, Router, Status

from chuhai.batching import PlannedLicence
from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, payload_data, request_actor
from chuhai.web.cases.context import Actor, get_scoped, scoped
from chuhai.web.licences import planning
from chuhai.web.licences import schemas as s
from chuhai.web.licences import services as licences
from chuhai.web.licences.filters import LicenceFilters
from chuhai.web.licences.models import LicenceApplication

# --- licences ---------------------------------------------------------------------------------------

licence_router = Router(tags=["licences"])


def _licences(actor: Actor) -> Any:
    # Every line: a used or lapsed licence still lists the vehicles it was for.
    return scoped(actor, LicenceApplication).annotate(vehicle_count=Count("lines"))


@endpoint(
    licence_router,
    "GET",
    "/licences",
    response={200: list[s.LicenceOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_licences(request: HttpRequest, filters: Query[LicenceFilters]) -> Any:
    """Licence applications of the caller's enterprise, newest first; the list page's filters."""
    return filters.filter(_licences(request_actor(request)).order_by("-id"))


@endpoint(
    licence_router,
    "POST",
    "/licences/plan",
    response={200: s.PlanOut, 201: s.PlanOut, **ERRORS},
    capability="comply",
)
def plan_licences(request: HttpRequest, payload: s.PlanIn) -> Any:
    """The fewest licences for the vehicles that can go now (the planning page's and ``chuhai plan``'s
    planner), and why the others cannot; with ``create``, the planned licences become drafts in one
    transaction (all or none) and the answer lists them (201)."""
    actor = request_actor(request)
    proposal = planning.plan(actor)
    body: dict[str, Any] = {
        "as_of": proposal.plan.as_of,
        "law_version": proposal.plan.law_version,
        "max_vehicles_per_code": proposal.plan.limit,
        "licences": [
            {
                "commodity_code": b.commodity_code,
                "destination": b.destination,
                "export_contract_id": b.contract.pk if b.contract else None,
                "vehicles": [{"id": v.pk, "vin": v.vin} for v in b.vehicles],
            }
            for b in proposal.batches
        ],
        "excluded": [
            {
                "vehicle_id": e.vehicle.pk,
                "vin": e.vehicle.vin,
                "verdict": e.excluded.verdict,
                "rules": list(e.excluded.rules),
                "reason": e.excluded.reason,
            }
            for e in proposal.excluded
        ],
    }
    if not payload.create:
        return body
    if payload.licences is None:
        chosen = [b.licence for b in proposal.batches]
    else:
        chosen = [
            PlannedLicence(
                lic.commodity_code or "",
                lic.destination.strip().upper(),
                tuple(v.strip().upper() for v in lic.vehicles),
                str(lic.export_contract_id) if lic.export_contract_id else None,
            )
            for lic in payload.licences
        ]
    created = planning.create_from_plan(actor, chosen)
    body["created"] = list(_licences(actor).filter(pk__in=[c.pk for c in created]).order_by("id"))
    return Status(201, body)


@endpoint(licence_router, "POST", "/licences", response={201: s.LicenceOut, **ERRORS}, capability="comply")
def create_licence(request: HttpRequest, payload: s.LicenceIn) -> Any:
    actor = request_actor(request)
    licence = licences.create(actor, payload_data(payload))
    return Status(201, _licences(actor).get(pk=licence.pk))


@endpoint(
    licence_router, "GET", "/licences/{licence_id}", response={200: s.LicenceOut, **ERRORS}, capability="view"
)
def get_licence(request: HttpRequest, licence_id: int) -> Any:
    actor = request_actor(request)
    get_scoped(actor, LicenceApplication, licence_id)
    return _licences(actor).get(pk=licence_id)


@endpoint(
    licence_router,
    "PATCH",
    "/licences/{licence_id}",
    response={200: s.LicenceOut, **ERRORS},
    capability="comply",
)
def update_licence(request: HttpRequest, licence_id: int, payload: s.LicenceIn) -> Any:
    actor = request_actor(request)
    licences.update(actor, licence_id, payload_data(payload))
    return _licences(actor).get(pk=licence_id)


@endpoint(
    licence_router, "DELETE", "/licences/{licence_id}", response={204: None, **ERRORS}, capability="comply"
)
def delete_licence(request: HttpRequest, licence_id: int) -> Any:
    licences.delete(request_actor(request), licence_id)
    return Status(204, None)


@endpoint(
    licence_router,
    "GET",
    "/licences/{licence_id}/vehicles",
    response={200: list[s.LicenceLineOut], **ERRORS},
    capability="view",
)
def licence_lines(request: HttpRequest, licence_id: int) -> Any:
    return [
        {
            "vehicle_id": line.vehicle_id,
            "vin": line.vehicle.vin,
            "commodity_code": line.commodity_code,
            "slot": line.slot,
            "open": line.open,
        }
        for line in licences.lines(request_actor(request), licence_id)
    ]


@endpoint(
    licence_router,
    "POST",
    "/licences/{licence_id}/vehicles",
    response={201: list[s.LicenceLineOut], **ERRORS},
    capability="comply",
)
def add_licence_vehicle(request: HttpRequest, licence_id: int, payload: s.AddVehicleIn) -> Any:
    """Add one vehicle (``vehicle_id``) or several (``vehicle_ids``, all or none); answers the new lines."""
    ids = ([payload.vehicle_id] if payload.vehicle_id is not None else []) + list(payload.vehicle_ids)
    lines = licences.add_vehicles(request_actor(request), licence_id, ids)
    return Status(201, [_line_out(line) for line in lines])


def _line_out(line: Any) -> dict[str, Any]:
    return {
        "vehicle_id": line.vehicle_id,
        "vin": line.vehicle.vin,
        "commodity_code": line.commodity_code,
        "slot": line.slot,
        "open": line.open,
    }


@endpoint(
    licence_router,
    "DELETE",
    "/licences/{licence_id}/vehicles/{vehicle_id}",
    response={204: None, **ERRORS},
    capability="comply",
)
def remove_licence_vehicle(request: HttpRequest, licence_id: int, vehicle_id: int) -> Any:
    licences.remove_vehicle(request_actor(request), licence_id, vehicle_id)
    return Status(204, None)


@endpoint(
    licence_router,
    "POST",
    "/licences/{licence_id}/transitions/{name}",
    response={200: s.LicenceOut, **ERRORS},
    capability="comply",
)
def licence_transition(request: HttpRequest, licence_id: int, name: str, payload: common.TransitionIn) -> Any:
    actor = request_actor(request)
    licences.transition(actor, licence_id, name, payload.params)
    return _licences(actor).get(pk=licence_id)
