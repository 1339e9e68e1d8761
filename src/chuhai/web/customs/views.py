"""The customs-declaration pages: the list, one declaration with its items, and its workflow steps."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuhai.errors import (
    ChuhaiError,
)
from chuhai.web.cases.context import Actor, get_scoped
from chuhai.web.customs import queries
from chuhai.web.customs import services as customs
from chuhai.web.customs.models import CustomsDeclaration, DeclarationState
from chuhai.web.licences import queries as licences_queries
from chuhai.web.licences.models import LicenceState
from chuhai.web.ui import labels
from chuhai.web.ui.pages import (
    flash_error,
    form_params,
    page,
    paginate,
)

# --- customs declarations -------------------------------------------------------------------------


@page("view")
def declaration_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    ready = (
        licences_queries.licences(actor)
        .filter(state=LicenceState.ISSUED)
        .exclude(
            declarations__state__in=[DeclarationState.DRAFT, DeclarationState.FILED, DeclarationState.CLEARED]
        )
    )
    return render(
        request,
        "ui/declarations.html",
        {"page": paginate(request, queries.declarations(actor)), "ready": list(ready)},
    )


@page("view")
def declaration_detail(request: HttpRequest, actor: Actor, declaration_id: int) -> HttpResponse:
    declaration = get_scoped(actor, CustomsDeclaration, declaration_id)
    machine = customs.MACHINE
    transitions = [
        {"name": name, "label": labels.TRANSITIONS[name], "fields": labels.DECLARATION_FORMS.get(name, [])}
        for name in machine.available(declaration)
    ]
    return render(
        request,
        "ui/declaration.html",
        {
            "declaration": declaration,
            "items": queries.declaration_items(actor, declaration),
            "transitions": transitions if actor.can("comply") else [],
        },
    )


@page("comply")
@require_POST
def declaration_action(request: HttpRequest, actor: Actor, declaration_id: int, action: str) -> HttpResponse:
    try:
        if action in labels.DECLARATION_FORMS:
            customs.transition(
                actor, declaration_id, action, form_params(request, labels.DECLARATION_FORMS[action])
            )
            messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[action]})
        elif action == "edit":
            customs.update(
                actor,
                declaration_id,
                {
                    "declaration_number": request.POST.get("declaration_number"),
                    "port": request.POST.get("port"),
                },
            )
            messages.success(request, _("Saved."))
        elif action == "delete":
            customs.delete(actor, declaration_id)
            messages.success(request, _("Draft declaration deleted."))
            return redirect("ui:declarations")
        else:
            raise Http404
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect("ui:declaration", declaration_id=declaration_id)
