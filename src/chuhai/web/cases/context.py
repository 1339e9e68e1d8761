"""Who is acting, what their role allows, and the one organisation-scoping mechanism.

Every service function takes an :class:`Actor` and reaches enterprise data only through
:func:`scoped` / :func:`get_scoped`, which filter by the actor's organisation. Objects of another
organisation are therefore indistinguishable from missing ones (``NotFound``, 404 in the API), and no
code path can forget the filter because no service queries a scoped model any other way.

Roles and capabilities (documented in the API description too):

============  ======  ======  ======  ======
capability    admin   compl.  clerk   r/o
============  ======  ======  ======  ======
view          yes     yes     yes     yes
edit          yes     yes     yes     --     vehicles, sellers, imports, contracts, outlets, letters
comply        yes     yes     --      --     regulatory transitions, licences, declarations, filings
manage        yes     --      --      --     enterprise settings, feed token, users
============  ======  ======  ======  ======

Platform-operator staff belong to the platform organisation; they work in the Django admin site
(``/admin/``, read-only for the audit trail) and have no access to enterprise data through the pages or
the API (every scoped call raises ``PermissionDenied``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import models
from django.utils import timezone

from chuhai.errors import NotFound, PermissionDenied
from chuhai.web.organisations.models import Membership, Organisation, Role

M = TypeVar("M", bound=models.Model)

CAPABILITIES: dict[str, frozenset[str]] = {
    "view": frozenset({Role.ADMIN, Role.COMPLIANCE, Role.CLERK, Role.READONLY}),
    "edit": frozenset({Role.ADMIN, Role.COMPLIANCE, Role.CLERK}),
    "comply": frozenset({Role.ADMIN, Role.COMPLIANCE}),
    "manage": frozenset({Role.ADMIN}),
}

# How each scoped model reaches its organisation (default: a direct ``organisation`` foreign key).
ORG_PATHS: dict[str, str] = {
    "licences.LicenceLine": "licence__organisation",
    "customs.DeclarationItem": "declaration__organisation",
    "organisations.Organisation": "pk",
    "organisations.Membership": "organisation",
    "organisations.ApiToken": "user__membership__organisation",
}


@dataclass(frozen=True)
class Actor:
    """A signed-in user acting for their organisation, or the system (demo loader, worker)."""

    user: Any
    organisation: Organisation
    role: str

    @property
    def label(self) -> str:
        return self.user.get_username() if self.user is not None else "system"

    @property
    def is_platform(self) -> bool:
        return self.organisation.is_platform

    def can(self, capability: str) -> bool:
        return not self.is_platform and self.role in CAPABILITIES[capability]

    def require(self, capability: str) -> None:
        if self.is_platform:
            raise PermissionDenied(
                "platform operator staff use the admin site; enterprise data is not exposed here"
            )
        if self.role not in CAPABILITIES[capability]:
            raise PermissionDenied(f"role {self.role!r} may not {capability}")


def actor_for(user: Any) -> Actor:
    """The actor for an authenticated user; users without an organisation cannot act at all."""
    if user is None or not user.is_authenticated:
        raise PermissionDenied("authentication required")
    try:
        membership = Membership.objects.select_related("organisation").get(user=user)
    except Membership.DoesNotExist:
        raise PermissionDenied("this account belongs to no organisation") from None
    return Actor(user=user, organisation=membership.organisation, role=membership.role)


def system_actor(organisation: Organisation) -> Actor:
    """The actor used by the demo loader and maintenance commands (audited as "system")."""
    return Actor(user=None, organisation=organisation, role=Role.ADMIN)


def org_path(model: type[models.Model]) -> str:
    return ORG_PATHS.get(model._meta.label, "organisation")


def scoped(actor: Actor, model: type[M], capability: str = "view") -> models.QuerySet[M]:
    """All rows of ``model`` the actor's organisation owns; the only way services query enterprise data."""
    actor.require(capability)
    path = org_path(model)
    return model._default_manager.filter(
        **{path: actor.organisation.pk if path == "pk" else actor.organisation}
    )


def get_scoped(actor: Actor, model: type[M], pk: Any, capability: str = "view", *, lock: bool = False) -> M:
    """One row of the actor's organisation, or ``NotFound`` (also for other organisations' rows)."""
    queryset = scoped(actor, model, capability)
    if lock:
        queryset = queryset.select_for_update()
    try:
        return queryset.get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):  # type: ignore[attr-defined]
        raise NotFound(f"{model._meta.verbose_name} {pk} not found") from None


def today() -> dt.date:
    """Today in China (the deadlines and the law are Chinese-calendar dates)."""
    return timezone.localdate()
