"""The vehicle pages: the stock list with filters and bulk steps, one vehicle's file (facts, verdict,
history, documents), the facts correction and the vehicle's workflow steps.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from chuhai.errors import (
    ChuhaiError,
    TransitionRefused,
)
from chuhai.web.aftersales import queries as aftersales_queries
from chuhai.web.cases import deadlines
from chuhai.web.cases import documents as document_service
from chuhai.web.cases.context import Actor, get_scoped, scoped, today
from chuhai.web.licences import queries as licences_queries
from chuhai.web.licences import services as licences
from chuhai.web.ui import i18n, labels
from chuhai.web.ui.pages import (
    error_info,
    flash_error,
    form_params,
    go_back,
    page,
    paginate,
    query_without_page,
)
from chuhai.web.vehicles import queries
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.filters import VehicleFilters
from chuhai.web.vehicles.models import EXPORT_BOUND_STATES, Vehicle, VehicleState, Verdict

# --- vehicles -------------------------------------------------------------------------------------

BULK_ACTIONS = ("purchase", "register_transfer", "withdraw", "deregister", "add_to_licence")
# The date each bulk step records, from the bulk form's one date (never made up: left blank, a step that
# needs it is refused for every vehicle with input.missing_parameter).
BULK_DATES = {
    "purchase": "purchased_on",
    "register_transfer": "transfer_pending_export_date",
    "withdraw": "withdrawn_on",
    "deregister": "deregistered_on",
}


@page("view")
def vehicle_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    day = today()
    filters = {key: request.GET.get(key, "").strip() for key in VehicleFilters.model_fields}
    qs = queries.vehicles(actor, VehicleFilters.from_query(request.GET))
    page_obj = paginate(request, qs)
    context = {
        "page": page_obj,
        "filters": filters,
        "filtered": any(filters.values()),
        "choices": queries.filter_choices(actor),
        "states": VehicleState.choices,
        "verdicts": Verdict.choices,
        "query": query_without_page(request),
        "bulk_actions": [(name, labels.TRANSITIONS[name]) for name in BULK_ACTIONS],
        "drafts": list(licences_queries.draft_licences(actor)) if actor.can("comply") else [],
        "today": day,
    }
    return render(request, "ui/vehicles.html", context)


@page("edit")
@require_POST
def vehicle_bulk(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Run one step on every selected vehicle through the services; report what each one did."""
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = go_back(request, reverse("ui:vehicles"))
    if action not in BULK_ACTIONS:
        messages.error(request, _("Choose what to do with the selected vehicles."))
        return back
    if not ids:
        messages.error(request, _("Select at least one vehicle with its checkbox first."))
        return back
    licence_id = request.POST.get("licence", "")
    if action == "add_to_licence" and not licence_id.isdigit():
        messages.error(request, _("Choose the draft licence application to add the vehicles to."))
        return back
    done = 0
    for vehicle_id in ids:
        try:
            if action == "add_to_licence":
                licences.add_vehicle(actor, int(licence_id), vehicle_id)
            else:
                on = request.POST.get("on", "").strip()
                vehicle_service.transition(actor, vehicle_id, action, {BULK_DATES[action]: on} if on else {})
            done += 1
        except ChuhaiError as exc:
            vehicle = scoped(actor, Vehicle).filter(pk=vehicle_id).only("vin").first()
            flash_error(request, exc, vehicle.vin if vehicle else str(vehicle_id))
    if done:
        messages.success(
            request,
            _("%(action)s: done for %(count)s of %(total)s vehicle(s).")
            % {
                "action": labels.TRANSITIONS[action],
                "count": i18n.lnumber(done),
                "total": i18n.lnumber(len(ids)),
            },
        )
    return back


def _guards_refusal(transition: Any, vehicle: Vehicle) -> TransitionRefused | None:
    """The rules the step's guards refuse with before the form's values are known (a guard that needs
    one of those values cannot say yet, and is left to the submission)."""
    rules: list[str] = []
    for guard in transition.guards:
        try:
            rules += [r for r in guard(vehicle, {}) if r not in rules]
        except (ChuhaiError, KeyError):
            continue
    return TransitionRefused("refused", tuple(rules)) if rules else None


@page("view")
def vehicle_detail(request: HttpRequest, actor: Actor, vehicle_id: int) -> HttpResponse:
    """The car's verdict, every finding with its rule, facts and source, deadlines, papers, history."""
    vehicle = get_scoped(actor, Vehicle, vehicle_id)
    machine = vehicle_service.MACHINE
    available, refused = [], []
    for name in machine.available(vehicle):
        transition = machine.get(name)
        if transition.permission == "system" or not actor.can(transition.permission):
            continue
        try:  # the service's own check, on a throw-away parameter set: nothing is changed
            machine.check(vehicle, name, {})
        except TransitionRefused as exc:
            if set(exc.rules) == {"input.missing_parameter"}:  # the form asks for those; the rules?
                exc = _guards_refusal(transition, vehicle) or exc
            if set(exc.rules) != {"input.missing_parameter"}:
                refused.append({"label": labels.TRANSITIONS[name], "rules": error_info(exc)["rules"]})
                continue
        available.append(
            {"name": name, "label": labels.TRANSITIONS[name], "fields": labels.VEHICLE_FORMS[name]}
        )
    findings = [
        {
            **f,
            "text": i18n.render_finding(f),
            "title": i18n.rule_title(f["rule"]),
            # (label, key, value): a fact that is a field of the vehicle is named as the facts panel
            # names it; the others keep their key, which is also the message template's placeholder.
            "facts_shown": [
                (_label(k), k, v)
                for k, v in i18n.localise_facts(dict(f.get("facts") or {})).items()
                if not k.endswith(("_zh", "_en", "_ru", "_ar"))
            ],
        }
        for f in vehicle.findings or []
    ]
    day = today()
    own_deadlines = [
        d
        for d in deadlines.open_deadlines(actor, day)
        if d.subject_type == "vehicle" and d.subject_id == vehicle.pk
    ]
    history = list(queries.vehicle_history(actor, vehicle).select_related(None)[:500])
    context = {
        "vehicle": vehicle,
        "findings": findings,
        "transitions": available,
        "refused": refused,
        "contracts": list(aftersales_queries.active_contracts(actor)),
        "deadlines": own_deadlines,
        "documents": queries.vehicle_documents(actor, vehicle),
        "dossier_languages": [("zh", "中文"), ("en", "English"), ("ru", "Русский"), ("ar", "العربية")],
        "history": [
            {"event": e, "label": labels.event_label(e.transition), "changes": _changes(e)} for e in history
        ],
        "facts": _vehicle_facts(vehicle),
        "correction": _correction_form(vehicle) if actor.can("edit") else None,
        "today": day,
    }
    return render(request, "ui/vehicle.html", context)


def _cell(value: Any) -> str:
    """A stored fact as the text a stock-file cell would hold (what the correction form shows)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _correction_form(vehicle: Vehicle) -> dict[str, Any] | None:
    """The fields of the facts-correction form, or ``None`` once the facts are fixed (on a licence)."""
    from chuhai import schema

    if vehicle.state not in vehicle_service.CORRECTABLE_STATES:
        return None
    locked = vehicle.state in EXPORT_BOUND_STATES
    fields = []
    for name in vehicle_service.CORRECTABLE_FACTS:
        column = schema.COLUMNS[name]
        options: list[tuple[str, str]] = []
        if column.kind == "enum":
            options = [(v, i18n.fact_value(v)) for v in column.values]
            if column.default is None:
                options.insert(0, ("", "—"))
        elif column.kind == "boolean":
            options = [("yes", _("yes")), ("no", _("no"))]
            if column.default is None:  # a prohibition fact may be "not known" (never "no")
                options.insert(0, ("", "—"))
        fields.append(
            {
                "name": name,
                "label": _verbose_name(name),
                "kind": column.kind,
                "value": _cell(getattr(vehicle, name)),
                "options": options,
                "readonly": locked and name in vehicle_service.LOCKED_AFTER_TRANSFER,
            }
        )
    return {"fields": fields, "locked": locked}


def _flash_facts_invalid(request: HttpRequest, exc: vehicle_service.FactsInvalid) -> None:
    """Each unreadable value with its field, as the import report names them, in the reader's language."""
    chinese = i18n.law_language() == "zh"
    items = format_html_join(
        "; ",
        "<span>{}: “{}” — {} {}</span>",
        (
            (
                capfirst(_verbose_name(field)) if field in vehicle_service.CORRECTABLE_FACTS else field,
                value,
                _("expected"),
                expected_zh if chinese else expected_en,
            )
            for field, value, expected_en, expected_zh in exc.problems
        ),
    )
    messages.error(
        request,
        format_html(
            "<strong>{}</strong> {} {}",  # inline: the message is a <p>, which cannot hold a list
            _("Check the values."),
            _("Nothing was saved. Correct these values and save again:"),
            items,
        ),
    )


@page("edit")
@require_POST
def vehicle_correct(request: HttpRequest, actor: Actor, vehicle_id: int) -> HttpResponse:
    """Correct the registration facts; the service validates them as the importer does and re-screens."""
    cells = {name: request.POST[name] for name in vehicle_service.CORRECTABLE_FACTS if name in request.POST}
    try:
        vehicle = vehicle_service.correct_facts(actor, vehicle_id, cells)
        messages.success(
            request,
            _("Facts saved and the vehicle re-screened: %(verdict)s.")
            % {"verdict": vehicle.get_verdict_display()},
        )
    except vehicle_service.FactsInvalid as exc:
        _flash_facts_invalid(request, exc)
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect("ui:vehicle", vehicle_id=vehicle_id)


_FACT_FIELDS = (
    "brand",
    "model",
    "manufacturer",
    "vehicle_category",
    "body_type",
    "fuel",
    "displacement_ml",
    "power_kw",
    "seats",
    "use_nature",
    "steering",
    "condition",
    "factory_date",
    "registration_date",
    "transfer_pending_export_date",
    "temp_plate_number",
    "temp_plate_issue_date",
    "insurance_expiry",
    "owner_name",
    "odometer_km",
    "encumbrance",
    "test_result",
    "destination",
    "licence_application_date",
    "customs_clearance_date",
    "deregistered_on",
    "purchase_price",
    "commodity_code",
    "customs_name",
)


def _shown(name: str, value: Any) -> str:
    """One vehicle field's value as the reader sees it: dates, numbers, countries and enumerations in
    the active language (audit records hold dates as ISO text)."""
    if value in (None, ""):
        return "—"
    try:
        field = Vehicle._meta.get_field(name)
    except FieldDoesNotExist:
        return str(value)
    if name == "destination":
        return i18n.country_name(value)
    if isinstance(field, models.DateField) and isinstance(value, str):
        return i18n.ldate(value)
    if isinstance(value, dt.date):
        return i18n.ldate(value)
    if name == "state":
        return str(dict(VehicleState.choices).get(value, value))
    if getattr(field, "choices", None):
        return i18n.fact_value(value)
    if isinstance(field, models.DecimalField | models.IntegerField) and isinstance(value, str):
        try:
            return i18n.lnumber(Decimal(value))
        except ArithmeticError:  # InvalidOperation: not a number after all, show it as recorded
            return value
    if isinstance(value, bool | str):
        return str(value)
    return i18n.lnumber(value)


def _verbose_name(name: str) -> str:
    """A vehicle field's name in the reader's language (``FieldDoesNotExist`` for an unknown one)."""
    field = Vehicle._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _label(name: str) -> str:
    try:
        return capfirst(_verbose_name(name))
    except FieldDoesNotExist:
        return name


def _vehicle_facts(vehicle: Vehicle) -> list[tuple[str, str]]:
    return [(_label(name), _shown(name, getattr(vehicle, name))) for name in _FACT_FIELDS]


# Bookkeeping fields left out of the history's "changes" column (the verdict and state say it).
_HIDDEN_CHANGES = {
    "id",
    "organisation_id",
    "findings",
    "rules_index",
    "screening_deadlines",
    "screened_as_of",
    "law_version",
    "extra",
    "created_at",
}


_FIELD_ORDER = {f.attname: i for i, f in enumerate(Vehicle._meta.fields)} | {
    f.name: i for i, f in enumerate(Vehicle._meta.fields)
}


def _changes(event: Any) -> list[tuple[str, str, str]]:
    """Before → after of the fields an event changed, each named and shown in the reader's language."""
    out = []
    after = event.after or {}
    before = event.before or {}
    keys = [k for k in after if k not in _HIDDEN_CHANGES and after.get(k) not in (None, "", [], {})]
    # In the model's field order: PostgreSQL's jsonb does not keep the order the event was written in.
    keys.sort(key=lambda k: _FIELD_ORDER.get(k, len(_FIELD_ORDER)))
    for key in keys:
        old = before.get(key)
        out.append((_label(key), "" if old in (None, "") else _shown(key, old), _shown(key, after.get(key))))
    return out


@page("edit")
@require_POST
def vehicle_transition(request: HttpRequest, actor: Actor, vehicle_id: int, name: str) -> HttpResponse:
    fields = labels.VEHICLE_FORMS.get(name)
    if fields is None:
        raise Http404
    try:
        vehicle_service.transition(actor, vehicle_id, name, form_params(request, fields))
        messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[name]})
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect("ui:vehicle", vehicle_id=vehicle_id)


@page("view")
@require_GET
def vehicle_dossier(request: HttpRequest, actor: Actor, vehicle_id: int) -> HttpResponse:
    """The vehicle's PDF dossier (``?lang=``): the same service and answer as the REST API."""
    lang = request.GET.get("lang") or "zh"
    return document_service.http_response(document_service.vehicle_dossier(actor, vehicle_id, lang))
