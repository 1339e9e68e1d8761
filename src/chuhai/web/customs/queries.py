"""Read-only queries of the customs pages, built on the organisation scoping."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from chuhai.web.cases.context import Actor, scoped
from chuhai.web.customs.models import CustomsDeclaration, DeclarationItem


def declarations(actor: Actor) -> QuerySet[CustomsDeclaration]:
    return (
        scoped(actor, CustomsDeclaration)
        .select_related("licence")
        .annotate(item_count=Count("items"))
        .order_by("-id")
    )


def declaration_items(actor: Actor, declaration: CustomsDeclaration) -> list[DeclarationItem]:
    return list(
        DeclarationItem.objects.filter(
            declaration__in=scoped(actor, CustomsDeclaration), declaration=declaration
        )
        .select_related("vehicle")
        .order_by("commodity_code", "id")
    )
