"""The REST API (django-ninja), mounted at ``/api/``; OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``.

Authentication: ``Authorization: Bearer <token>`` for machine clients (tokens from ``POST /api/tokens``
or ``python -m chuhai.web create_token``), or the browser session (with CSRF on unsafe methods).
Every endpoint declares the capability it needs with :func:`endpoint` (view / edit / comply / manage,
see :mod:`chuhai.web.cases.context`); the authorisation-matrix test enumerates the endpoints from
the router and fails for one that declares none. Errors: ``{"error", "message", "rules"}`` with the
status from :mod:`chuhai.web.errors`. Objects of other organisations answer 404.
"""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from chuhai.errors import ChuhaiError
from chuhai.web.aftersales import api as aftersales_api
from chuhai.web.api.routing import undeclared
from chuhai.web.audit import api as audit_api
from chuhai.web.cases import api as cases_api
from chuhai.web.customs import api as customs_api
from chuhai.web.errors import error_body, status_for
from chuhai.web.imports import api as imports_api
from chuhai.web.lawbook import api as lawbook_api
from chuhai.web.licences import api as licences_api
from chuhai.web.organisations import api as organisations_api
from chuhai.web.vehicles import api as vehicles_api

api = NinjaAPI(
    auth=undeclared,
    title="Chuhai case management API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
)


# --- errors: mapped in one place (chuhai.web.errors) -------------------------------------------------


@api.exception_handler(ChuhaiError)
def _chuhai_error(request: HttpRequest, exc: ChuhaiError) -> HttpResponse:
    return api.create_response(request, error_body(exc), status=status_for(exc))


@api.exception_handler(NinjaValidationError)
def _request_invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    parts = []
    for err in exc.errors:
        where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("body", "payload", "query"))
        parts.append(f"{where}: {err.get('msg', 'invalid')}")
    body = {
        "error": "invalid_request",
        "message": "; ".join(parts) or "invalid request",
        "rules": [],
        "details": exc.errors,
    }
    return api.create_response(request, body, status=422)


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(
        request, {"error": "unauthenticated", "message": "authentication required", "rules": []}, status=401
    )


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(
        request, {"error": "http_error", "message": str(exc), "rules": []}, status=exc.status_code
    )


for _router in (
    organisations_api.account,
    organisations_api.staff_router,
    vehicles_api.screen_router,
    organisations_api.enterprise_router,
    organisations_api.seller_router,
    vehicles_api.vehicle_router,
    audit_api.audit_router,
    licences_api.licence_router,
    customs_api.customs_router,
    aftersales_api.aftersales_router,
    cases_api.deadline_router,
    imports_api.import_router,
    cases_api.document_router,
    lawbook_api.router,
):
    api.add_router("/", _router)
