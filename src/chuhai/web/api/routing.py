"""How every endpoint of the REST API is declared: bearer-token and session authentication checked
against the capability the endpoint declares (:func:`endpoint`), and the common error responses.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings as django_settings
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate
from ninja.security import HttpBearer, SessionAuth

from chuhai.web.api import schemas as s
from chuhai.web.cases.context import Actor, actor_for
from chuhai.web.organisations import services as accounts


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


def undeclared(request: HttpRequest) -> None:
    """Default authentication: an endpoint that does not declare its capability admits nobody."""
    return None


ERRORS = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 409: s.ErrorOut, 422: s.ErrorOut}


# An offset the database cannot hold (past 64 bits) is a 422, not a 500 ("datatype mismatch" on SQLite,
# "out of range" on PostgreSQL): bounded like every other integer of the API.
MAX_OFFSET = 2**63 - 1 - int(django_settings.NINJA_PAGINATION_MAX_LIMIT)  # offset + limit fits too


class BoundedLimitOffsetPagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(
            django_settings.NINJA_PAGINATION_PER_PAGE, ge=1, le=django_settings.NINJA_PAGINATION_MAX_LIMIT
        )
        offset: int = Field(0, ge=0, le=MAX_OFFSET)


# --- capability declaration ------------------------------------------------------------------------


def endpoint(
    router: Router, method: str, path: str, *, capability: str, paginated: bool = False, **kwargs: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare an endpoint with the capability it needs (view / edit / comply / manage).

    The capability is enforced by the endpoint's authentication (before the body is validated) and
    recorded on the view as ``capability`` for the authorisation-matrix test.
    """

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        view: Any = paginate(BoundedLimitOffsetPagination)(func) if paginated else func
        view.capability = capability
        auth = [BearerAuth(capability), SessionCapabilityAuth(capability)]
        registered: Any = router.api_operation([method], path, auth=auth, **kwargs)(view)
        registered.capability = capability
        return registered  # type: ignore[no-any-return]

    return decorate


def request_actor(request: HttpRequest) -> Actor:
    return request.actor  # type: ignore[attr-defined,no-any-return]


def payload_data(payload: Schema) -> dict[str, Any]:
    return payload.dict(exclude_unset=True)
