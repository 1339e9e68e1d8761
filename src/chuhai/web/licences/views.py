"""The export-licence pages: the list, planning licences from eligible vehicles, one licence with its
lines, letters, documents and history, and the licence's workflow steps.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuhai.errors import (
    ChuhaiError,
)
from chuhai.web.aftersales import queries as aftersales_queries
from chuhai.web.aftersales import services as aftersales
from chuhai.web.aftersales.models import ConfirmationLetter
from chuhai.web.cases import documents as document_service
from chuhai.web.cases.context import Actor, get_scoped, scoped
from chuhai.web.customs import queries as customs_queries
from chuhai.web.customs import services as customs
from chuhai.web.customs.models import DeclarationState
from chuhai.web.licences import planning, queries
from chuhai.web.licences import services as licences
from chuhai.web.licences.filters import LicenceFilters
from chuhai.web.licences.models import LicenceApplication, LicenceState
from chuhai.web.ui import i18n, labels
from chuhai.web.ui.pages import (
    flash_error,
    form_params,
    page,
    paginate,
    query_without_page,
)

# --- licences -------------------------------------------------------------------------------------


@page("view")
def licence_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    qs = LicenceFilters.from_query(request.GET).filter(queries.licences(actor))
    state = request.GET.get("state", "")
    context = {
        "page": paginate(request, qs),
        "state": state,
        "states": LicenceState.choices,
        "query": query_without_page(request),
        "eligible_count": queries.eligible_for_licence(actor).count(),
    }
    return render(request, "ui/licences.html", context)


@page("comply")
def licence_plan(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Plan licence batches from the eligible vehicles (``chuhai.batching.plan``); create the ticked
    ones as drafts (POST), all of them or none."""
    proposal = planning.plan(actor)
    batches = proposal.batches
    if request.method == "POST":
        chosen = {int(i) for i in request.POST.getlist("batch") if i.isdigit() and int(i) < len(batches)}
        if not chosen:
            messages.error(request, _("Tick at least one planned licence to create it."))
            return redirect("ui:licence_plan")
        try:
            created = planning.create_from_plan(actor, [batches[i].licence for i in sorted(chosen)])
        except ChuhaiError as exc:
            flash_error(request, exc)
            return redirect("ui:licence_plan")
        if len(created) == 1:
            messages.success(request, _("Draft licence application created."))
            return redirect("ui:licence", licence_id=created[0].pk)
        messages.success(
            request,
            _("%(count)s draft licence applications created.") % {"count": i18n.lnumber(len(created))},
        )
        return redirect("ui:licences")
    return render(
        request,
        "ui/licence_plan.html",
        {
            "batches": batches,
            "limit": proposal.plan.limit,
            "contracts": list(aftersales_queries.active_contracts(actor)),
        },
    )


@page("view")
def licence_detail(request: HttpRequest, actor: Actor, licence_id: int) -> HttpResponse:
    licence = get_scoped(actor, LicenceApplication, licence_id)
    lines = queries.licence_lines(actor, licence)
    open_lines = [line for line in lines if line.open]
    letters = queries.licence_letters(actor, licence)
    asked = {letter.manufacturer for letter in letters}
    # Manufacturers whose cars on this licence still need their 《售后维修服务确认书》 (the engine's finding).
    manufacturers = sorted(
        {
            line.vehicle.manufacturer
            for line in open_lines
            if line.vehicle.manufacturer and "vehicle.aftersales_confirmation_required" in line.vehicle.rules
        }
    )
    machine = licences.MACHINE
    transitions = [
        {"name": name, "label": labels.TRANSITIONS[name], "fields": labels.LICENCE_FORMS.get(name, [])}
        for name in machine.available(licence)
        if machine.get(name).permission != "system"
    ]
    declarations = list(customs_queries.declarations(actor).filter(licence=licence))
    codes: dict[str, int] = {}
    for line in lines:
        codes[line.commodity_code] = codes.get(line.commodity_code, 0) + 1
    context = {
        "licence": licence,
        "lines": lines,
        "open_count": len(lines),  # the licence's vehicles in every state (closed lines included)
        "codes": sorted(codes.items()),
        "limit": licences.max_per_code(),
        "letters": letters,
        "manufacturers_without_letter": [m for m in manufacturers if m not in asked],
        "needs_letter": {
            line.vehicle.manufacturer
            for line in open_lines
            if "vehicle.aftersales_confirmation_required" in line.vehicle.rules
        },
        "transitions": transitions if actor.can("comply") else [],
        "declarations": declarations,
        # The generated papers (chuhai.documents via the portal's download views); the package
        # bundles them all.
        "document_names": [
            "package.zip",
            "licence-data.xlsx",
            "checklist.xlsx",
            "customs-draft.xlsx",
            "market-statement.docx",
            "deregistration-checklist.xlsx",
        ],
        "can_declare": licence.state == LicenceState.ISSUED
        and not any(d.state != DeclarationState.CANCELLED for d in declarations),
        "contracts": list(aftersales_queries.active_contracts(actor)),
        "candidates": list(queries.eligible_for_licence(actor)[:200])
        if licence.state == LicenceState.DRAFT
        else [],
        "history": [
            {"event": e, "label": labels.event_label(e.transition)}
            for e in scoped(actor, _audit_model())
            .filter(object_type="licenceapplication", object_id=licence.pk)
            .order_by("created_at", "id")[:200]
        ],
    }
    return render(request, "ui/licence.html", context)


def _audit_model() -> Any:
    from chuhai.web.audit.models import AuditEvent

    return AuditEvent


@page("comply")
@require_POST
def licence_action(request: HttpRequest, actor: Actor, licence_id: int, action: str) -> HttpResponse:
    """Every change of a licence page, each one service call."""
    post = request.POST
    back = redirect("ui:licence", licence_id=licence_id)
    try:
        if action in labels.LICENCE_FORMS:
            licences.transition(actor, licence_id, action, form_params(request, labels.LICENCE_FORMS[action]))
            messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[action]})
        elif action == "edit":
            licences.update(
                actor,
                licence_id,
                {
                    "destination": post.get("destination", "").strip().upper(),
                    "export_contract_id": post.get("export_contract_id") or None,
                    "notes": post.get("notes", ""),
                },
            )
            messages.success(request, _("Saved."))
        elif action == "add":
            for vehicle_id in post.getlist("vehicle"):
                try:
                    licences.add_vehicle(actor, licence_id, int(vehicle_id))
                except ChuhaiError as exc:
                    flash_error(request, exc)
        elif action == "remove":
            licences.remove_vehicle(actor, licence_id, int(post.get("vehicle", "0") or 0))
        elif action == "delete":
            licences.delete(actor, licence_id)
            messages.success(request, _("Draft licence application deleted."))
            return redirect("ui:licences")
        elif action == "request_letter":
            aftersales.request_letter(actor, licence_id, post.get("manufacturer", ""))
            messages.success(request, _("After-sales confirmation requested."))
        elif action == "receive_letter":
            letter = get_scoped(actor, ConfirmationLetter, post.get("letter"))
            aftersales.letter_transition(
                actor,
                letter.pk,
                "receive",
                {
                    "received_on": post.get("received_on") or None,
                    "evidence": post.get("evidence", "").strip(),
                },
            )
            messages.success(request, _("After-sales confirmation recorded as received."))
        elif action == "declare":
            declaration = customs.create(actor, licence_id, {"port": post.get("port", "")})
            messages.success(request, _("Customs declaration drafted."))
            return redirect("ui:declaration", declaration_id=declaration.pk)
        else:
            raise Http404
    except ChuhaiError as exc:
        flash_error(request, exc)
    return back


@page("view")
@require_GET
def licence_document(request: HttpRequest, actor: Actor, licence_id: int, document: str) -> HttpResponse:
    """One generated document of the licence (``package.zip``, ``licence-data.xlsx``,
    ``contract-ru.docx`` …; ``?lang2=`` for the package): the same service and answer as the REST API."""
    lang2 = request.GET.get("lang2") or None
    return document_service.http_response(
        document_service.licence_document(actor, licence_id, document, lang2)
    )
