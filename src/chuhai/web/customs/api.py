"""The REST API of the customs area: declarations, their items and workflow steps."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from chuhai.errors import ValidationError
from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, payload_data, request_actor
from chuhai.web.cases.context import get_scoped, scoped
from chuhai.web.customs import schemas as s
from chuhai.web.customs import services as customs
from chuhai.web.customs.models import CustomsDeclaration

# --- customs declarations ---------------------------------------------------------------------------

customs_router = Router(tags=["customs"])


@endpoint(
    customs_router,
    "GET",
    "/declarations",
    response={200: list[s.DeclarationOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_declarations(request: HttpRequest, state: str | None = None) -> Any:
    qs = scoped(request_actor(request), CustomsDeclaration).order_by("-id")
    if state:
        qs = qs.filter(state__in=state.split(","))
    return qs


@endpoint(
    customs_router, "POST", "/declarations", response={201: s.DeclarationOut, **ERRORS}, capability="comply"
)
def create_declaration(request: HttpRequest, payload: s.DeclarationIn) -> Any:
    data = payload_data(payload)
    if not data.get("licence_id"):
        raise ValidationError("licence_id: required")
    return Status(201, customs.create(request_actor(request), data.pop("licence_id"), data))


@endpoint(
    customs_router,
    "GET",
    "/declarations/{declaration_id}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="view",
)
def get_declaration(request: HttpRequest, declaration_id: int) -> Any:
    return get_scoped(request_actor(request), CustomsDeclaration, declaration_id)


@endpoint(
    customs_router,
    "GET",
    "/declarations/{declaration_id}/items",
    response={200: list[s.DeclarationItemOut], **ERRORS},
    capability="view",
)
def declaration_items(request: HttpRequest, declaration_id: int) -> Any:
    return list(get_scoped(request_actor(request), CustomsDeclaration, declaration_id).items.order_by("id"))


@endpoint(
    customs_router,
    "PATCH",
    "/declarations/{declaration_id}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="comply",
)
def update_declaration(request: HttpRequest, declaration_id: int, payload: s.DeclarationIn) -> Any:
    return customs.update(request_actor(request), declaration_id, payload_data(payload))


@endpoint(
    customs_router,
    "DELETE",
    "/declarations/{declaration_id}",
    response={204: None, **ERRORS},
    capability="comply",
)
def delete_declaration(request: HttpRequest, declaration_id: int) -> Any:
    customs.delete(request_actor(request), declaration_id)
    return Status(204, None)


@endpoint(
    customs_router,
    "POST",
    "/declarations/{declaration_id}/transitions/{name}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="comply",
)
def declaration_transition(
    request: HttpRequest, declaration_id: int, name: str, payload: common.TransitionIn
) -> Any:
    return customs.transition(request_actor(request), declaration_id, name, payload.params)
