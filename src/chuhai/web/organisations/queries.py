"""Read-only queries of the organisation pages, built on the organisation scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from chuhai.web.cases.context import Actor, scoped
from chuhai.web.organisations.models import Membership


def staff(actor: Actor) -> QuerySet[Membership]:
    return scoped(actor, Membership).select_related("user").order_by("user__username")
