"""The REST API of the vehicle area: screening (one vehicle or a file) and the vehicles with their
facts, workflow steps and audit trail.
"""

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import File, Form, Query, Router, Status
from ninja.files import UploadedFile

from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, payload_data, request_actor
from chuhai.web.audit import schemas as audit_schemas
from chuhai.web.audit.api import audit_events
from chuhai.web.cases.context import get_scoped, today
from chuhai.web.vehicles import queries as vehicle_queries
from chuhai.web.vehicles import schemas as s
from chuhai.web.vehicles import screening
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.filters import VehicleFilters
from chuhai.web.vehicles.models import Vehicle

# --- screening (no persistence) --------------------------------------------------------------------

screen_router = Router(tags=["screening"])


@endpoint(
    screen_router, "POST", "/screen/vehicle", response={200: s.ScreenResultOut, **ERRORS}, capability="view"
)
def screen_vehicle(request: HttpRequest, payload: s.ScreenIn) -> Any:
    actor = request_actor(request)
    as_of = payload.as_of or today()
    result = screening.screen([payload.vehicle], actor.organisation, as_of)[0]
    return screening.result_json(result, screening.law_version(), as_of)


@endpoint(screen_router, "POST", "/screen/file", response={200: s.ScreenFileOut, **ERRORS}, capability="view")
def screen_file(request: HttpRequest, file: File[UploadedFile], as_of: Form[dt.date | None] = None) -> Any:
    from chuhai.engine import screen_parsed
    from chuhai.io.parse import parse_vehicles
    from chuhai.io.readers import read_vehicle_bytes
    from chuhai.web.imports.services import import_limits

    actor = request_actor(request)
    day = as_of or today()
    parsed = parse_vehicles(
        read_vehicle_bytes(file.read(), file.name or "upload.csv", limits=import_limits())
    )
    run = screen_parsed(parsed, screening.exporter_profile(actor.organisation), day)
    return {
        "law_version": run.law_version,
        "as_of": day.isoformat(),
        "summary": run.summary,
        "problems": list(run.problems.iter_rows(named=True)),
        "results": [screening.result_json(r, run.law_version, day) for r in run.results],
    }


# --- vehicles ---------------------------------------------------------------------------------------

vehicle_router = Router(tags=["vehicles"])


@endpoint(
    vehicle_router,
    "GET",
    "/vehicles",
    response={200: list[s.VehicleOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_vehicles(request: HttpRequest, filters: Query[VehicleFilters]) -> Any:
    """Vehicles of the caller's enterprise; the filters (the list page's, :class:`VehicleFilters`)
    combine."""
    return vehicle_queries.vehicles(request_actor(request), filters)


@endpoint(vehicle_router, "POST", "/vehicles", response={201: s.VehicleOut, **ERRORS}, capability="edit")
def create_vehicle(request: HttpRequest, payload: s.VehicleCreateIn) -> Any:
    data = payload_data(payload)
    state = data.pop("state", "purchased")
    return Status(201, vehicle_service.create(request_actor(request), data, state=state))


@endpoint(
    vehicle_router, "GET", "/vehicles/{vehicle_id}", response={200: s.VehicleOut, **ERRORS}, capability="view"
)
def get_vehicle(request: HttpRequest, vehicle_id: int) -> Any:
    return get_scoped(request_actor(request), Vehicle, vehicle_id)


@endpoint(
    vehicle_router,
    "PATCH",
    "/vehicles/{vehicle_id}",
    response={200: s.VehicleOut, **ERRORS},
    capability="edit",
)
def update_vehicle(request: HttpRequest, vehicle_id: int, payload: s.VehicleIn) -> Any:
    return vehicle_service.update(request_actor(request), vehicle_id, payload_data(payload))


@endpoint(
    vehicle_router,
    "POST",
    "/vehicles/{vehicle_id}/facts",
    response={200: s.VehicleOut, **ERRORS},
    capability="edit",
)
def correct_vehicle_facts(request: HttpRequest, vehicle_id: int, payload: s.FactsIn) -> Any:
    """Correct the registration facts imported from a stock file (until the car goes on a licence
    application). The cells are read by the importer's parser; unreadable ones answer 422 with
    ``problems`` (field, value, expected). The car is re-screened and the change audited."""
    return vehicle_service.correct_facts(request_actor(request), vehicle_id, payload.facts)


@endpoint(
    vehicle_router, "DELETE", "/vehicles/{vehicle_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_vehicle(request: HttpRequest, vehicle_id: int) -> Any:
    vehicle_service.delete(request_actor(request), vehicle_id)
    return Status(204, None)


@endpoint(
    vehicle_router,
    "GET",
    "/vehicles/{vehicle_id}/transitions",
    response={200: common.TransitionTableOut, **ERRORS},
    capability="view",
)
def vehicle_transitions(request: HttpRequest, vehicle_id: int) -> Any:
    vehicle = get_scoped(request_actor(request), Vehicle, vehicle_id)
    machine = vehicle_service.MACHINE
    return {
        "name": machine.name,
        "available": [n for n in machine.available(vehicle) if machine.get(n).permission != "system"],
        "table": machine.table(),
    }


@endpoint(
    vehicle_router,
    "POST",
    "/vehicles/{vehicle_id}/transitions/{name}",
    response={200: s.VehicleOut, **ERRORS},
    capability="edit",
)
def vehicle_transition(request: HttpRequest, vehicle_id: int, name: str, payload: common.TransitionIn) -> Any:
    """Run a vehicle transition (``purchase``, ``register_transfer``, ``deregister`` …); the transition's
    own permission (edit or comply) is checked too."""
    return vehicle_service.transition(request_actor(request), vehicle_id, name, payload.params)


@endpoint(
    vehicle_router,
    "GET",
    "/vehicles/{vehicle_id}/audit",
    response={200: list[audit_schemas.AuditOut], **ERRORS},
    capability="view",
    paginated=True,
)
def vehicle_audit(request: HttpRequest, vehicle_id: int) -> Any:
    actor = request_actor(request)
    vehicle = get_scoped(actor, Vehicle, vehicle_id)
    return audit_events(actor).filter(Q(vin=vehicle.vin) | Q(object_type="vehicle", object_id=vehicle.pk))
