"""The REST API's cross-area endpoints: the deadlines of all cases and the generated documents."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, request_actor
from chuhai.web.cases import deadlines
from chuhai.web.cases import documents as document_service
from chuhai.web.cases.context import today

# --- deadlines --------------------------------------------------------------------------------------

deadline_router = Router(tags=["deadlines"])


@endpoint(
    deadline_router,
    "GET",
    "/deadlines",
    response={200: list[common.DeadlineOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_deadlines(request: HttpRequest, kind: str | None = None, overdue: bool | None = None) -> Any:
    """Every open deadline of the enterprise, overdue first (working days per the State Council calendar)."""
    actor = request_actor(request)
    day = today()
    items = [deadlines.deadline_json(d, day) for d in deadlines.open_deadlines(actor, day)]
    if kind:
        items = [d for d in items if d["kind"] in kind.split(",")]
    if overdue is not None:
        items = [d for d in items if d["overdue"] == overdue]
    return items


# --- documents ----------------------------------------------------------------------------------------

document_router = Router(tags=["documents"])


@endpoint(
    document_router,
    "GET",
    "/licences/{licence_id}/documents",
    response={200: list[common.DocumentOut], **ERRORS},
    capability="view",
)
def list_licence_documents(request: HttpRequest, licence_id: int) -> Any:
    """The documents of a licence application (package, data sheet, checklists, contract …), generated
    from its records on each download."""
    return document_service.available(request_actor(request), licence_id)


@endpoint(
    document_router,
    "GET",
    "/licences/{licence_id}/documents/{document}",
    response={200: None, **ERRORS},
    capability="view",
)
def get_licence_document(
    request: HttpRequest, licence_id: int, document: str, lang2: str | None = None
) -> Any:
    """One document by name (``package.zip``, ``licence-data.xlsx``, ``contract-ru.docx`` …);
    ``lang2`` (en, ru, ar) sets the second language of ``package.zip`` (default: by destination)."""
    return document_service.http_response(
        document_service.licence_document(request_actor(request), licence_id, document, lang2)
    )


@endpoint(
    document_router,
    "GET",
    "/vehicles/{vehicle_id}/dossier.pdf",
    response={200: None, **ERRORS},
    capability="view",
)
def get_vehicle_dossier(request: HttpRequest, vehicle_id: int, lang: str = "zh") -> Any:
    """The vehicle's PDF dossier: identity, verdict with findings and sources, documents, audit trail;
    labels in Chinese and ``lang`` (zh, en, ru, ar; English alongside Chinese for zh)."""
    return document_service.http_response(
        document_service.vehicle_dossier(request_actor(request), vehicle_id, lang)
    )
