"""The REST API (django-ninja), mounted at ``/api/``; OpenAPI at ``/api/openapi.json``, docs at ``/api/docs``.

Authentication: ``Authorization: Bearer <token>`` for machine clients (tokens from ``POST /api/tokens``
or ``python -m chuhai.web create_token``), or the browser session (with CSRF on unsafe methods).
Every endpoint declares the capability it needs with :func:`endpoint` (view / edit / comply / manage,
see :mod:`chuhai.web.services.context`); the authorisation-matrix test enumerates the endpoints from
the router and fails for one that declares none. Errors: ``{"error", "message", "rules"}`` with the
status from :mod:`chuhai.web.errors`. Objects of other organisations answer 404.
"""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from ninja import File, Form, NinjaAPI, Router, Status
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.files import UploadedFile
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, SessionAuth

from chuhai.errors import ChuhaiError, ValidationError
from chuhai.web.aftersales.models import ConfirmationLetter, ExportContract, ServiceOutlet
from chuhai.web.api import schemas as s
from chuhai.web.audit.models import AuditEvent
from chuhai.web.customs.models import CustomsDeclaration
from chuhai.web.errors import error_body, status_for
from chuhai.web.imports.models import ImportJob
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.organisations.models import (
    ApiToken,
    EnterpriseFiling,
    FilingState,
    Membership,
    Organisation,
    Seller,
)
from chuhai.web.services import (
    accounts,
    aftersales,
    customs,
    deadlines,
    filings,
    imports,
    licences,
    screening,
)
from chuhai.web.services import documents as document_service
from chuhai.web.services import vehicles as vehicle_service
from chuhai.web.services.context import Actor, actor_for, get_scoped, scoped, today
from chuhai.web.services.transitions import record, snapshot
from chuhai.web.vehicles.models import Vehicle


def _authorise(request: HttpRequest, user: Any, capability: str) -> Any:
    """Resolve the actor and check the endpoint's capability before the request body is even read,
    so a role without the capability gets 403 whatever it sends."""
    actor = actor_for(user)
    actor.require(capability)
    request.actor = actor  # type: ignore[attr-defined]
    return user


class BearerAuth(HttpBearer):
    """``Authorization: Bearer <token>`` (API tokens), checked against the endpoint's capability."""

    def __init__(self, capability: str) -> None:
        super().__init__()
        self.capability = capability

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = accounts.authenticate_token(token)
        if user is None:
            return None
        request.user = user
        return _authorise(request, user, self.capability)


class SessionCapabilityAuth(SessionAuth):
    """The browser session (CSRF-checked on unsafe methods), checked against the endpoint's capability."""

    def __init__(self, capability: str) -> None:
        super().__init__(csrf=True)
        self.capability = capability

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = super().authenticate(request, key)
        return None if user is None else _authorise(request, user, self.capability)


def _undeclared(request: HttpRequest) -> None:
    """Default authentication: an endpoint that does not declare its capability admits nobody."""
    return None


api = NinjaAPI(
    auth=_undeclared,
    title="Chuhai case management API",
    version="1",
    description=__doc__ or "",
    urls_namespace="api",
)

ERRORS = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}


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


# --- capability declaration ------------------------------------------------------------------------


def endpoint(
    router: Router, method: str, path: str, *, capability: str, paginated: bool = False, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an endpoint with the capability it needs (view / edit / comply / manage).

    The capability is enforced by the endpoint's authentication (before the body is validated) and
    recorded on the view as ``capability`` for the authorisation-matrix test.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        view = paginate(LimitOffsetPagination)(func) if paginated else func
        view.capability = capability  # type: ignore[attr-defined]
        auth = [BearerAuth(capability), SessionCapabilityAuth(capability)]
        registered = router.api_operation([method], path, auth=auth, **kwargs)(view)
        registered.capability = capability
        return registered

    return decorate


def _actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def _data(payload: Any) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)


# --- me, tokens ------------------------------------------------------------------------------------

account = Router(tags=["account"])


@endpoint(account, "GET", "/me", response={200: s.MeOut, **ERRORS}, capability="view")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = _actor(request)
    return {
        "username": actor.label,
        "organisation_id": actor.organisation.pk,
        "organisation": actor.organisation.name,
        "role": actor.role,
    }


@endpoint(account, "GET", "/tokens", response={200: list[s.TokenOut], **ERRORS}, capability="view")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=_actor(request).user).order_by("-created_at")


@endpoint(account, "POST", "/tokens", response={201: s.TokenCreatedOut, **ERRORS}, capability="view")
def create_token(request: HttpRequest, payload: s.TokenIn) -> Any:
    token, raw = accounts.issue_token(_actor(request).user, payload.name)
    return Status(
        201,
        {
            **{
                f: getattr(token, f)
                for f in ("id", "name", "prefix", "created_at", "last_used_at", "revoked_at")
            },
            "token": raw,
        },
    )


@endpoint(account, "DELETE", "/tokens/{token_id}", response={204: None, **ERRORS}, capability="view")
def revoke_token(request: HttpRequest, token_id: int) -> Any:
    accounts.revoke_token(_actor(request), token_id)
    return Status(204, None)


# --- staff ------------------------------------------------------------------------------------------

staff_router = Router(tags=["staff"])


def _member_out(membership: Any) -> dict[str, Any]:
    user = membership.user
    return {
        "user_id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "role": membership.role,
        "is_active": user.is_active,
        "last_login": user.last_login,
    }


@endpoint(staff_router, "GET", "/users", response={200: list[s.MemberOut], **ERRORS}, capability="view")
def list_users(request: HttpRequest) -> Any:
    """The members of the caller's organisation (every role may read the list; administrators manage it)."""
    members = scoped(_actor(request), Membership).select_related("user").order_by("user__username")
    return [_member_out(m) for m in members]


@endpoint(staff_router, "POST", "/users", response={201: s.MemberOut, **ERRORS}, capability="manage")
def create_user(request: HttpRequest, payload: s.MemberCreateIn) -> Any:
    actor = _actor(request)
    user = accounts.add_staff(actor, payload.username, payload.password, payload.role, payload.email)
    return Status(201, _member_out(user.membership))


@endpoint(
    staff_router, "PATCH", "/users/{user_id}", response={200: s.MemberOut, **ERRORS}, capability="manage"
)
def update_user(request: HttpRequest, user_id: int, payload: s.MemberIn) -> Any:
    """Change a member's role and/or deactivate (``is_active: false``) or reactivate the account. Refused
    (409, rule ``staff.last_administrator``) if it would leave the organisation without an active
    administrator."""
    actor = _actor(request)
    with transaction.atomic():
        membership = accounts.member(actor, user_id)
        if payload.role is not None:
            membership = accounts.change_role(actor, user_id, payload.role)
        if payload.is_active is False:
            membership = accounts.deactivate(actor, user_id)
        elif payload.is_active is True:
            membership = accounts.reactivate(actor, user_id)
    return _member_out(membership)


@endpoint(
    staff_router,
    "POST",
    "/users/{user_id}/password",
    response={200: s.MemberOut, **ERRORS},
    capability="manage",
)
def set_user_password(request: HttpRequest, user_id: int, payload: s.PasswordIn) -> Any:
    """Set a member's new password (validated like a new account's); the audit event never holds it."""
    return _member_out(accounts.set_password(_actor(request), user_id, payload.password))


# --- screening (no persistence) --------------------------------------------------------------------

screen_router = Router(tags=["screening"])


@endpoint(
    screen_router, "POST", "/screen/vehicle", response={200: s.ScreenResultOut, **ERRORS}, capability="view"
)
def screen_vehicle(request: HttpRequest, payload: s.ScreenIn) -> Any:
    actor = _actor(request)
    as_of = payload.as_of or today()
    result = screening.screen([payload.vehicle], actor.organisation, as_of)[0]
    return screening.result_json(result, screening.law_version(), as_of)


@endpoint(screen_router, "POST", "/screen/file", response={200: s.ScreenFileOut, **ERRORS}, capability="view")
def screen_file(request: HttpRequest, file: File[UploadedFile], as_of: Form[dt.date | None] = None) -> Any:
    from chuhai.engine import screen_parsed
    from chuhai.io.parse import parse_vehicles
    from chuhai.io.readers import read_vehicle_bytes

    actor = _actor(request)
    day = as_of or today()
    parsed = parse_vehicles(read_vehicle_bytes(file.read(), file.name or "upload.csv"))
    run = screen_parsed(parsed, screening.exporter_profile(actor.organisation), day)
    return {
        "law_version": run.law_version,
        "as_of": day.isoformat(),
        "summary": run.summary,
        "problems": list(run.problems.iter_rows(named=True)),
        "results": [screening.result_json(r, run.law_version, day) for r in run.results],
    }


# --- enterprises and filings -----------------------------------------------------------------------

enterprise_router = Router(tags=["enterprises"])


def _enterprise_out(org: Organisation) -> dict[str, Any]:
    filing = org.filings.filter(state=FilingState.APPROVED).order_by("-approved_on").first()
    return {
        **{f: getattr(org, f) for f in ("id", *filings.ENTERPRISE_FIELDS)},
        "filing_state": filing.state if filing else None,
        "filing_approved_on": filing.approved_on if filing else None,
    }


@endpoint(
    enterprise_router,
    "GET",
    "/enterprises",
    response={200: list[s.EnterpriseOut], **ERRORS},
    capability="view",
)
def list_enterprises(request: HttpRequest) -> Any:
    """The caller's own enterprise (enterprises are created by the platform operator in the admin site)."""
    return [_enterprise_out(o) for o in scoped(_actor(request), Organisation)]


@endpoint(
    enterprise_router,
    "GET",
    "/enterprises/{enterprise_id}",
    response={200: s.EnterpriseOut, **ERRORS},
    capability="view",
)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    return _enterprise_out(get_scoped(_actor(request), Organisation, enterprise_id))


@endpoint(
    enterprise_router,
    "PATCH",
    "/enterprises/{enterprise_id}",
    response={200: s.EnterpriseOut, **ERRORS},
    capability="manage",
)
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: s.EnterpriseIn) -> Any:
    actor = _actor(request)
    get_scoped(actor, Organisation, enterprise_id, "manage")
    return _enterprise_out(filings.update_enterprise(actor, _data(payload)))


@endpoint(
    enterprise_router, "GET", "/filings", response={200: list[s.FilingOut], **ERRORS}, capability="view"
)
def list_filings(request: HttpRequest) -> Any:
    return filings.history(_actor(request))


@endpoint(enterprise_router, "POST", "/filings", response={201: s.FilingOut, **ERRORS}, capability="comply")
def create_filing(request: HttpRequest, payload: s.FilingIn) -> Any:
    return Status(201, filings.create(_actor(request), _data(payload)))


@endpoint(
    enterprise_router, "GET", "/filings/{filing_id}", response={200: s.FilingOut, **ERRORS}, capability="view"
)
def get_filing(request: HttpRequest, filing_id: int) -> Any:
    return get_scoped(_actor(request), EnterpriseFiling, filing_id)


@endpoint(
    enterprise_router,
    "POST",
    "/filings/{filing_id}/transitions/{name}",
    response={200: s.FilingOut, **ERRORS},
    capability="comply",
)
def filing_transition(request: HttpRequest, filing_id: int, name: str, payload: s.TransitionIn) -> Any:
    return filings.transition(_actor(request), filing_id, name, payload.params)


# --- sellers ----------------------------------------------------------------------------------------

seller_router = Router(tags=["sellers"])


@endpoint(
    seller_router,
    "GET",
    "/sellers",
    response={200: list[s.SellerOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_sellers(request: HttpRequest) -> Any:
    return scoped(_actor(request), Seller).order_by("id")


@endpoint(seller_router, "POST", "/sellers", response={201: s.SellerOut, **ERRORS}, capability="edit")
def create_seller(request: HttpRequest, payload: s.SellerIn) -> Any:
    actor = _actor(request)
    seller = Seller.objects.create(organisation=actor.organisation, **_data(payload))
    record(actor, seller, "seller.create", {}, snapshot(seller))
    return Status(201, seller)


@endpoint(
    seller_router, "GET", "/sellers/{seller_id}", response={200: s.SellerOut, **ERRORS}, capability="view"
)
def get_seller(request: HttpRequest, seller_id: int) -> Any:
    return get_scoped(_actor(request), Seller, seller_id)


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
def list_vehicles(
    request: HttpRequest,
    state: str | None = None,
    verdict: str | None = None,
    rule: str | None = None,
    destination: str | None = None,
    brand: str | None = None,
    vin: str | None = None,
) -> Any:
    """Vehicles of the caller's enterprise; filters combine (``rule`` = has a finding with that rule id)."""
    qs = scoped(_actor(request), Vehicle).order_by("id")
    if state:
        qs = qs.filter(state__in=state.split(","))
    if verdict:
        qs = qs.filter(verdict__in=verdict.split(","))
    if rule:
        qs = qs.filter(rules_index__contains=f",{rule},")
    if destination:
        qs = qs.filter(destination=destination.upper())
    if brand:
        qs = qs.filter(brand=brand)
    if vin:
        qs = qs.filter(vin__startswith=vin.upper())
    return qs


@endpoint(vehicle_router, "POST", "/vehicles", response={201: s.VehicleOut, **ERRORS}, capability="edit")
def create_vehicle(request: HttpRequest, payload: s.VehicleCreateIn) -> Any:
    data = _data(payload)
    state = data.pop("state", "purchased")
    return Status(201, vehicle_service.create(_actor(request), data, state=state))


@endpoint(
    vehicle_router, "GET", "/vehicles/{vehicle_id}", response={200: s.VehicleOut, **ERRORS}, capability="view"
)
def get_vehicle(request: HttpRequest, vehicle_id: int) -> Any:
    return get_scoped(_actor(request), Vehicle, vehicle_id)


@endpoint(
    vehicle_router,
    "PATCH",
    "/vehicles/{vehicle_id}",
    response={200: s.VehicleOut, **ERRORS},
    capability="edit",
)
def update_vehicle(request: HttpRequest, vehicle_id: int, payload: s.VehicleIn) -> Any:
    return vehicle_service.update(_actor(request), vehicle_id, _data(payload))


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
    return vehicle_service.correct_facts(_actor(request), vehicle_id, payload.facts)


@endpoint(
    vehicle_router, "DELETE", "/vehicles/{vehicle_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_vehicle(request: HttpRequest, vehicle_id: int) -> Any:
    vehicle_service.delete(_actor(request), vehicle_id)
    return Status(204, None)


@endpoint(
    vehicle_router,
    "GET",
    "/vehicles/{vehicle_id}/transitions",
    response={200: s.TransitionTableOut, **ERRORS},
    capability="view",
)
def vehicle_transitions(request: HttpRequest, vehicle_id: int) -> Any:
    vehicle = get_scoped(_actor(request), Vehicle, vehicle_id)
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
def vehicle_transition(request: HttpRequest, vehicle_id: int, name: str, payload: s.TransitionIn) -> Any:
    """Run a vehicle transition (``purchase``, ``register_transfer``, ``deregister`` …); the transition's
    own permission (edit or comply) is checked too."""
    return vehicle_service.transition(_actor(request), vehicle_id, name, payload.params)


@endpoint(
    vehicle_router,
    "GET",
    "/vehicles/{vehicle_id}/audit",
    response={200: list[s.AuditOut], **ERRORS},
    capability="view",
    paginated=True,
)
def vehicle_audit(request: HttpRequest, vehicle_id: int) -> Any:
    actor = _actor(request)
    vehicle = get_scoped(actor, Vehicle, vehicle_id)
    return _audit_qs(actor).filter(Q(vin=vehicle.vin) | Q(object_type="vehicle", object_id=vehicle.pk))


# --- audit ------------------------------------------------------------------------------------------

audit_router = Router(tags=["audit"])


def _audit_qs(actor: Actor) -> Any:
    return scoped(actor, AuditEvent).order_by("created_at", "id")


@endpoint(
    audit_router,
    "GET",
    "/audit",
    response={200: list[s.AuditOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_audit(
    request: HttpRequest, vin: str | None = None, object_type: str | None = None, object_id: int | None = None
) -> Any:
    """The audit trail of the caller's enterprise; ``vin`` gives the full history of one car."""
    qs = _audit_qs(_actor(request))
    if vin:
        qs = qs.filter(vin=vin.strip().upper())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id is not None:
        qs = qs.filter(object_id=object_id)
    return qs


# --- licences ---------------------------------------------------------------------------------------

licence_router = Router(tags=["licences"])


def _licences(actor: Actor) -> Any:
    return scoped(actor, LicenceApplication).annotate(
        vehicle_count=Count("lines", filter=Q(lines__open=True))
    )


@endpoint(
    licence_router,
    "GET",
    "/licences",
    response={200: list[s.LicenceOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_licences(request: HttpRequest, state: str | None = None) -> Any:
    qs = _licences(_actor(request)).order_by("-id")
    if state:
        qs = qs.filter(state__in=state.split(","))
    return qs


@endpoint(licence_router, "POST", "/licences", response={201: s.LicenceOut, **ERRORS}, capability="comply")
def create_licence(request: HttpRequest, payload: s.LicenceIn) -> Any:
    actor = _actor(request)
    licence = licences.create(actor, _data(payload))
    return Status(201, _licences(actor).get(pk=licence.pk))


@endpoint(
    licence_router, "GET", "/licences/{licence_id}", response={200: s.LicenceOut, **ERRORS}, capability="view"
)
def get_licence(request: HttpRequest, licence_id: int) -> Any:
    actor = _actor(request)
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
    actor = _actor(request)
    licences.update(actor, licence_id, _data(payload))
    return _licences(actor).get(pk=licence_id)


@endpoint(
    licence_router, "DELETE", "/licences/{licence_id}", response={204: None, **ERRORS}, capability="comply"
)
def delete_licence(request: HttpRequest, licence_id: int) -> Any:
    licences.delete(_actor(request), licence_id)
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
        for line in licences.lines(_actor(request), licence_id)
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
    lines = licences.add_vehicles(_actor(request), licence_id, ids)
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
    licences.remove_vehicle(_actor(request), licence_id, vehicle_id)
    return Status(204, None)


@endpoint(
    licence_router,
    "POST",
    "/licences/{licence_id}/transitions/{name}",
    response={200: s.LicenceOut, **ERRORS},
    capability="comply",
)
def licence_transition(request: HttpRequest, licence_id: int, name: str, payload: s.TransitionIn) -> Any:
    actor = _actor(request)
    licences.transition(actor, licence_id, name, payload.params)
    return _licences(actor).get(pk=licence_id)


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
    qs = scoped(_actor(request), CustomsDeclaration).order_by("-id")
    if state:
        qs = qs.filter(state__in=state.split(","))
    return qs


@endpoint(
    customs_router, "POST", "/declarations", response={201: s.DeclarationOut, **ERRORS}, capability="comply"
)
def create_declaration(request: HttpRequest, payload: s.DeclarationIn) -> Any:
    data = _data(payload)
    if not data.get("licence_id"):
        raise ValidationError("licence_id: required")
    return Status(201, customs.create(_actor(request), data.pop("licence_id"), data))


@endpoint(
    customs_router,
    "GET",
    "/declarations/{declaration_id}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="view",
)
def get_declaration(request: HttpRequest, declaration_id: int) -> Any:
    return get_scoped(_actor(request), CustomsDeclaration, declaration_id)


@endpoint(
    customs_router,
    "GET",
    "/declarations/{declaration_id}/items",
    response={200: list[s.DeclarationItemOut], **ERRORS},
    capability="view",
)
def declaration_items(request: HttpRequest, declaration_id: int) -> Any:
    return list(get_scoped(_actor(request), CustomsDeclaration, declaration_id).items.order_by("id"))


@endpoint(
    customs_router,
    "PATCH",
    "/declarations/{declaration_id}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="comply",
)
def update_declaration(request: HttpRequest, declaration_id: int, payload: s.DeclarationIn) -> Any:
    return customs.update(_actor(request), declaration_id, _data(payload))


@endpoint(
    customs_router,
    "DELETE",
    "/declarations/{declaration_id}",
    response={204: None, **ERRORS},
    capability="comply",
)
def delete_declaration(request: HttpRequest, declaration_id: int) -> Any:
    customs.delete(_actor(request), declaration_id)
    return Status(204, None)


@endpoint(
    customs_router,
    "POST",
    "/declarations/{declaration_id}/transitions/{name}",
    response={200: s.DeclarationOut, **ERRORS},
    capability="comply",
)
def declaration_transition(
    request: HttpRequest, declaration_id: int, name: str, payload: s.TransitionIn
) -> Any:
    return customs.transition(_actor(request), declaration_id, name, payload.params)


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
    return scoped(_actor(request), ExportContract).order_by("-id")


@endpoint(aftersales_router, "POST", "/contracts", response={201: s.ContractOut, **ERRORS}, capability="edit")
def create_contract(request: HttpRequest, payload: s.ContractIn) -> Any:
    return Status(201, aftersales.create_contract(_actor(request), _data(payload)))


@endpoint(
    aftersales_router,
    "GET",
    "/contracts/{contract_id}",
    response={200: s.ContractOut, **ERRORS},
    capability="view",
)
def get_contract(request: HttpRequest, contract_id: int) -> Any:
    return get_scoped(_actor(request), ExportContract, contract_id)


@endpoint(
    aftersales_router,
    "PATCH",
    "/contracts/{contract_id}",
    response={200: s.ContractOut, **ERRORS},
    capability="edit",
)
def update_contract(request: HttpRequest, contract_id: int, payload: s.ContractIn) -> Any:
    return aftersales.update_contract(_actor(request), contract_id, _data(payload))


@endpoint(
    aftersales_router, "DELETE", "/contracts/{contract_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_contract(request: HttpRequest, contract_id: int) -> Any:
    aftersales.delete_contract(_actor(request), contract_id)
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
    return scoped(_actor(request), ServiceOutlet).order_by("id")


@endpoint(aftersales_router, "POST", "/outlets", response={201: s.OutletOut, **ERRORS}, capability="edit")
def create_outlet(request: HttpRequest, payload: s.OutletIn) -> Any:
    return Status(201, aftersales.create_outlet(_actor(request), _data(payload)))


@endpoint(
    aftersales_router, "DELETE", "/outlets/{outlet_id}", response={204: None, **ERRORS}, capability="edit"
)
def delete_outlet(request: HttpRequest, outlet_id: int) -> Any:
    aftersales.delete_outlet(_actor(request), outlet_id)
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
    qs = scoped(_actor(request), ConfirmationLetter).order_by("-id")
    if licence_id is not None:
        qs = qs.filter(licence_id=licence_id)
    return qs


@endpoint(aftersales_router, "POST", "/letters", response={201: s.LetterOut, **ERRORS}, capability="edit")
def request_letter(request: HttpRequest, payload: s.LetterIn) -> Any:
    return Status(
        201,
        aftersales.request_letter(
            _actor(request),
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
    return get_scoped(_actor(request), ConfirmationLetter, letter_id)


@endpoint(
    aftersales_router,
    "POST",
    "/letters/{letter_id}/transitions/{name}",
    response={200: s.LetterOut, **ERRORS},
    capability="edit",
)
def letter_transition(request: HttpRequest, letter_id: int, name: str, payload: s.TransitionIn) -> Any:
    return aftersales.letter_transition(_actor(request), letter_id, name, payload.params)


# --- deadlines --------------------------------------------------------------------------------------

deadline_router = Router(tags=["deadlines"])


@endpoint(
    deadline_router,
    "GET",
    "/deadlines",
    response={200: list[s.DeadlineOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_deadlines(request: HttpRequest, kind: str | None = None, overdue: bool | None = None) -> Any:
    """Every open deadline of the enterprise, overdue first (working days per the State Council calendar)."""
    actor = _actor(request)
    day = today()
    items = [deadlines.deadline_json(d, day) for d in deadlines.open_deadlines(actor, day)]
    if kind:
        items = [d for d in items if d["kind"] in kind.split(",")]
    if overdue is not None:
        items = [d for d in items if d["overdue"] == overdue]
    return items


# --- imports ----------------------------------------------------------------------------------------

import_router = Router(tags=["imports"])


@endpoint(
    import_router,
    "GET",
    "/imports",
    response={200: list[s.ImportJobOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_imports(request: HttpRequest) -> Any:
    return [imports.job_json(j) for j in scoped(_actor(request), ImportJob).order_by("-id")[:200]]


@endpoint(import_router, "POST", "/imports", response={202: s.ImportJobOut, **ERRORS}, capability="edit")
def create_import(request: HttpRequest, file: File[UploadedFile], as_of: Form[dt.date | None] = None) -> Any:
    """Upload a stock file (CSV/XLSX, the ``chuhai screen`` contract); it is imported by the worker."""
    job = imports.submit(_actor(request), file.name or "stock.csv", file.read(), as_of)
    job.refresh_from_db()
    return Status(202, imports.job_json(job))


@endpoint(
    import_router, "GET", "/imports/{job_id}", response={200: s.ImportJobOut, **ERRORS}, capability="view"
)
def get_import(request: HttpRequest, job_id: int) -> Any:
    return imports.job_json(imports.get_job(_actor(request), job_id))


@endpoint(
    import_router,
    "POST",
    "/imports/{job_id}/rerun",
    response={202: s.ImportJobOut, **ERRORS},
    capability="edit",
)
def rerun_import(request: HttpRequest, job_id: int) -> Any:
    job = imports.rerun(_actor(request), job_id)
    return Status(202, imports.job_json(job))


@endpoint(import_router, "GET", "/imports/{job_id}/errors", response={200: None, **ERRORS}, capability="view")
def import_errors(request: HttpRequest, job_id: int, format: str = "csv") -> Any:
    """The row-level error report as CSV (UTF-8 with BOM) or XLSX (``?format=xlsx``)."""
    job = imports.get_job(_actor(request), job_id)
    return document_service.http_response(imports.error_report(job, format))


# --- documents ----------------------------------------------------------------------------------------

document_router = Router(tags=["documents"])


@endpoint(
    document_router,
    "GET",
    "/licences/{licence_id}/documents",
    response={200: list[s.DocumentOut], **ERRORS},
    capability="view",
)
def list_licence_documents(request: HttpRequest, licence_id: int) -> Any:
    """The documents of a licence application (package, data sheet, checklists, contract …), generated
    from its records on each download."""
    return document_service.available(_actor(request), licence_id)


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
        document_service.licence_document(_actor(request), licence_id, document, lang2)
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
    return document_service.http_response(document_service.vehicle_dossier(_actor(request), vehicle_id, lang))


for _router in (
    account,
    staff_router,
    screen_router,
    enterprise_router,
    seller_router,
    vehicle_router,
    audit_router,
    licence_router,
    customs_router,
    aftersales_router,
    deadline_router,
    import_router,
    document_router,
):
    api.add_router("/", _router)
