"""The REST API of the organisation area: the signed-in account and its tokens, staff, enterprises
with their filings, sellers.
"""

from typing import Any

from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from chuhai.web.api import schemas as common
from chuhai.web.api.routing import ERRORS, endpoint, payload_data, request_actor
from chuhai.web.cases.context import get_scoped, scoped
from chuhai.web.cases.transitions import record, snapshot
from chuhai.web.organisations import filings
from chuhai.web.organisations import schemas as s
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import (
    ApiToken,
    EnterpriseFiling,
    FilingState,
    Membership,
    Organisation,
    Seller,
)

# --- me, tokens ------------------------------------------------------------------------------------

account = Router(tags=["account"])


@endpoint(account, "GET", "/me", response={200: s.MeOut, **ERRORS}, capability="view")
def me(request: HttpRequest) -> dict[str, Any]:
    actor = request_actor(request)
    return {
        "username": actor.label,
        "organisation_id": actor.organisation.pk,
        "organisation": actor.organisation.name,
        "role": actor.role,
    }


@endpoint(account, "GET", "/tokens", response={200: list[s.TokenOut], **ERRORS}, capability="view")
def list_tokens(request: HttpRequest) -> Any:
    return ApiToken.objects.filter(user=request_actor(request).user).order_by("-created_at")


@endpoint(account, "POST", "/tokens", response={201: s.TokenCreatedOut, **ERRORS}, capability="view")
def create_token(request: HttpRequest, payload: s.TokenIn) -> Any:
    token, raw = accounts.issue_token(request_actor(request).user, payload.name)
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
    accounts.revoke_token(request_actor(request), token_id)
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
    members = scoped(request_actor(request), Membership).select_related("user").order_by("user__username")
    return [_member_out(m) for m in members]


@endpoint(staff_router, "POST", "/users", response={201: s.MemberOut, **ERRORS}, capability="manage")
def create_user(request: HttpRequest, payload: s.MemberCreateIn) -> Any:
    actor = request_actor(request)
    user = accounts.add_staff(actor, payload.username, payload.password, payload.role, payload.email)
    return Status(201, _member_out(user.membership))


@endpoint(
    staff_router, "PATCH", "/users/{user_id}", response={200: s.MemberOut, **ERRORS}, capability="manage"
)
def update_user(request: HttpRequest, user_id: int, payload: s.MemberIn) -> Any:
    """Change a member's role and/or deactivate (``is_active: false``) or reactivate the account. Refused
    (409, rule ``staff.last_administrator``) if it would leave the organisation without an active
    administrator."""
    actor = request_actor(request)
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
    return _member_out(accounts.set_password(request_actor(request), user_id, payload.password))


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
    return [_enterprise_out(o) for o in scoped(request_actor(request), Organisation)]


@endpoint(
    enterprise_router,
    "GET",
    "/enterprises/{enterprise_id}",
    response={200: s.EnterpriseOut, **ERRORS},
    capability="view",
)
def get_enterprise(request: HttpRequest, enterprise_id: int) -> Any:
    return _enterprise_out(get_scoped(request_actor(request), Organisation, enterprise_id))


@endpoint(
    enterprise_router,
    "PATCH",
    "/enterprises/{enterprise_id}",
    response={200: s.EnterpriseOut, **ERRORS},
    capability="manage",
)
def update_enterprise(request: HttpRequest, enterprise_id: int, payload: s.EnterpriseIn) -> Any:
    actor = request_actor(request)
    get_scoped(actor, Organisation, enterprise_id, "manage")
    return _enterprise_out(filings.update_enterprise(actor, payload_data(payload)))


@endpoint(
    enterprise_router, "GET", "/filings", response={200: list[s.FilingOut], **ERRORS}, capability="view"
)
def list_filings(request: HttpRequest) -> Any:
    return filings.history(request_actor(request))


@endpoint(enterprise_router, "POST", "/filings", response={201: s.FilingOut, **ERRORS}, capability="comply")
def create_filing(request: HttpRequest, payload: s.FilingIn) -> Any:
    return Status(201, filings.create(request_actor(request), payload_data(payload)))


@endpoint(
    enterprise_router, "GET", "/filings/{filing_id}", response={200: s.FilingOut, **ERRORS}, capability="view"
)
def get_filing(request: HttpRequest, filing_id: int) -> Any:
    return get_scoped(request_actor(request), EnterpriseFiling, filing_id)


@endpoint(
    enterprise_router,
    "POST",
    "/filings/{filing_id}/transitions/{name}",
    response={200: s.FilingOut, **ERRORS},
    capability="comply",
)
def filing_transition(request: HttpRequest, filing_id: int, name: str, payload: common.TransitionIn) -> Any:
    return filings.transition(request_actor(request), filing_id, name, payload.params)


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
    return scoped(request_actor(request), Seller).order_by("id")


@endpoint(seller_router, "POST", "/sellers", response={201: s.SellerOut, **ERRORS}, capability="edit")
def create_seller(request: HttpRequest, payload: s.SellerIn) -> Any:
    actor = request_actor(request)
    seller = Seller.objects.create(organisation=actor.organisation, **payload_data(payload))
    record(actor, seller, "seller.create", {}, snapshot(seller))
    return Status(201, seller)


@endpoint(
    seller_router, "GET", "/sellers/{seller_id}", response={200: s.SellerOut, **ERRORS}, capability="view"
)
def get_seller(request: HttpRequest, seller_id: int) -> Any:
    return get_scoped(request_actor(request), Seller, seller_id)
