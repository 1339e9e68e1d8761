"""Read-only queries of the after-sales pages, built on the organisation scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from chuhai.web.aftersales.models import ContractState, ExportContract
from chuhai.web.cases.context import Actor, scoped


def active_contracts(actor: Actor) -> QuerySet[ExportContract]:
    return scoped(actor, ExportContract).filter(state=ContractState.ACTIVE).order_by("destination", "number")
