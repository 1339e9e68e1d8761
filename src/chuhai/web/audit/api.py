"""The REST API of the audit trail: the organisation's append-only audit events."""

from typing import Any

from django.http import HttpRequest
from ninja import Router

from chuhai.web.api.routing import ERRORS, endpoint, request_actor
from chuhai.web.audit import schemas as s
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, scoped

# --- audit ------------------------------------------------------------------------------------------

audit_router = Router(tags=["audit"])


def audit_events(actor: Actor) -> Any:
    """The organisation's audit events, oldest first."""
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
    qs = audit_events(request_actor(request))
    if vin:
        qs = qs.filter(vin=vin.strip().upper())
    if object_type:
        qs = qs.filter(object_type=object_type)
    if object_id is not None:
        qs = qs.filter(object_id=object_id)
    return qs
