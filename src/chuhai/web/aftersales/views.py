"""The after-sales pages: export contracts with their letters, and service outlets."""

from __future__ import annotations

from django.contrib import messages
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuhai.errors import (
    ChuhaiError,
    Conflict,
)
from chuhai.web.aftersales import services as aftersales
from chuhai.web.aftersales.models import ContractState, ExportContract, ServiceOutlet
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.ui.pages import (
    flash_error,
    go_back,
    page,
    paginate,
)


@page("view")
def contract_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Export contracts (a licence needs an active one for its destination) and adding one."""
    if request.method == "POST":
        post = request.POST
        try:
            aftersales.create_contract(
                actor,
                {
                    "number": post.get("number", "").strip(),
                    "buyer": post.get("buyer", "").strip(),
                    "destination": post.get("destination", "").strip().upper(),
                    "signed_on": post.get("signed_on") or None,
                    "trade_term": post.get("trade_term", "").strip(),
                    "aftersales_terms": post.get("aftersales_terms", "").strip(),
                },
            )
            messages.success(request, _("Export contract added."))
        except ChuhaiError as exc:
            flash_error(request, exc)
        return redirect("ui:contracts")
    contracts = scoped(actor, ExportContract).order_by("-signed_on", "-id")
    return render(
        request,
        "ui/contracts.html",
        {
            "page": paginate(request, contracts),
            "states": ContractState.choices,
            "outlets": list(scoped(actor, ServiceOutlet).order_by("country", "city", "id")),
        },
    )


@page("edit")
@require_POST
def contract_action(request: HttpRequest, actor: Actor, contract_id: int, action: str) -> HttpResponse:
    """Correct a contract's details (or cancel it) and delete one entered by mistake."""
    post = request.POST
    try:
        if action == "edit":
            aftersales.update_contract(
                actor,
                contract_id,
                {
                    "number": post.get("number", "").strip() or None,
                    "buyer": post.get("buyer", "").strip() or None,
                    "destination": post.get("destination", "").strip().upper() or None,
                    "signed_on": post.get("signed_on") or None,
                    "trade_term": post.get("trade_term", "").strip(),
                    "aftersales_terms": post.get("aftersales_terms", "").strip(),
                    "state": post.get("state") or None,
                },
            )
            messages.success(request, _("Export contract saved."))
        elif action == "delete":
            aftersales.delete_contract(actor, contract_id)
            messages.success(request, _("Export contract deleted."))
        else:
            raise Http404
    except ChuhaiError as exc:
        flash_error(request, exc)
    except IntegrityError:  # another contract of the organisation has that number
        flash_error(request, Conflict(f"contract {post.get('number', '')!r} already exists"))
    return go_back(request, reverse("ui:contracts"))


@page("edit")
@require_POST
def outlet_create(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Add an overseas service outlet (the manufacturers' confirmation letters name them)."""
    post = request.POST
    try:
        aftersales.create_outlet(
            actor,
            {
                "country": post.get("country", "").strip().upper(),
                "city": post.get("city", "").strip(),
                "address": post.get("address", "").strip(),
                "provider": post.get("provider", "").strip(),
                "manufacturer": post.get("manufacturer", "").strip(),
            },
        )
        messages.success(request, _("Service outlet added."))
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect(reverse("ui:contracts") + "#h-outlets")


@page("edit")
@require_POST
def outlet_delete(request: HttpRequest, actor: Actor, outlet_id: int) -> HttpResponse:
    try:
        aftersales.delete_outlet(actor, outlet_id)
        messages.success(request, _("Service outlet deleted."))
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect(reverse("ui:contracts") + "#h-outlets")
