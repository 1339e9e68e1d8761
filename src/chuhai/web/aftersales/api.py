"""The REST API of the after-sales area: export contracts, service outlets, confirmation letters."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from chuhai.web.aftersales import schemas as s
from chuhai.web.aftersales import services as aftersales
from chuhai.web.aftersales.models import ConfirmationLetter, ExportContract, ServiceOutlet
from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, payload_data, request_actor
from chuhai.web.cases.context import get_scoped, scoped

# --- after-sales ------------------------------------------------------------------------------------

aftersales_router = Router(tags=["after-sales"])


@endpoint(
    aftersales_router,
    "GET",
    "/contracts",
    response={200: list[s.ContractOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_contracts(request: HttpRequest) -> Any:
    return scoped(request_actor(request), ExportContract).order_by("-id")


@endpoint(aftersales_router, "POST", "/contracts", response={201: s.ContractOut, **ERRORS}, capability="edit")
def create_contract(request: HttpRequest, payload: s.ContractIn) -> Any:
    return Status(201, aftersales.create_contract(request_actor(request), payload_data(payload)))


@endpoint(
    aftersales_router,
    "GET",
    "/contracts/{contract_id}",
    response={200: s.ContractOut, **ERRORS},
    capability="view",
)
def get_contract(request: HttpRequest, contract_id: int) -> Any:
    return get_scoped(request_actor(request), ExportContract, contract_id)


@endpoint(
    aftersales_router,
    "PATCH",
    "/contracts/{contract_id}",
    response={200: s.ContractOut, **ERRORS},
    capability="edit",
)
def update_contract(request: HttpRequest, contract_id: int, payload: s.ContractIn) -> Any:
    return aftersales.update_contract(request_actor(request), contract_id, payload_data(payload))


@endpoint(
    aftersales_router, "DELETE", "/contracts/{contract_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_contract(request: HttpRequest, contract_id: int) -> Any:
    aftersales.delete_contract(request_actor(request), contract_id)
    return Status(204, None)


@endpoint(
    aftersales_router,
    "GET",
    "/outlets",
    response={200: list[s.OutletOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_outlets(request: HttpRequest) -> Any:
    return scoped(request_actor(request), ServiceOutlet).order_by("id")


@endpoint(aftersales_router, "POST", "/outlets", response={201: s.OutletOut, **ERRORS}, capability="edit")
def create_outlet(request: HttpRequest, payload: s.OutletIn) -> Any:
    return Status(201, aftersales.create_outlet(request_actor(request), payload_data(payload)))


@endpoint(
    aftersales_router, "DELETE", "/outlets/{outlet_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_outlet(request: HttpRequest, outlet_id: int) -> Any:
    aftersales.delete_outlet(request_actor(request), outlet_id)
    return Status(204, None)


@endpoint(
    aftersales_router,
    "GET",
    "/letters",
    response={200: list[s.LetterOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_letters(request: HttpRequest, licence_id: int | None = None) -> Any:
    qs = scoped(request_actor(request), ConfirmationLetter).order_by("-id")
    if licence_id is not None:
        qs = qs.filter(licence_id=licence_id)
    return qs


@endpoint(aftersales_router, "POST", "/letters", response={201: s.LetterOut, **ERRORS}, capability="edit")
def request_letter(request: HttpRequest, payload: s.LetterIn) -> Any:
    return Status(
        201,
        aftersales.request_letter(
            request_actor(request),
            payload.licence_id,
            payload.manufacturer,
            payload.outlet_ids,
            payload.requested_on,
        ),
    )


@endpoint(
    aftersales_router, "GET", "/letters/{letter_id}", response={200: s.LetterOut, **ERRORS}, capability="view"
)
def get_letter(request: HttpRequest, letter_id: int) -> Any:
    return get_scoped(request_actor(request), ConfirmationLetter, letter_id)


@endpoint(
    aftersales_router,
    "POST",
    "/letters/{letter_id}/transitions/{name}",
    response={200: s.LetterOut, **ERRORS},
    capability="edit",
)
def letter_transition(request: HttpRequest, letter_id: int, name: str, payload: common.TransitionIn) -> Any:
    return aftersales.letter_transition(request_actor(request), letter_id, name, payload.params)
