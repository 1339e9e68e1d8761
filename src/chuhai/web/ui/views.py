"""The pages of the web interface. Thin over the case-management services: every change calls a
service function (:mod:`chuhai.web.services`), every read goes through the organisation scoping
(:func:`chuhai.web.services.context.scoped` / ``get_scoped``, or :mod:`chuhai.web.ui.queries` built on
it). No business rule lives here: a refused step comes back from the service as ``TransitionRefused``
naming its rules, and the page shows those rules with links to their explanations.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, models
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuhai.errors import (
    CalendarDataMissing,
    ChuhaiError,
    Conflict,
    InputError,
    LawError,
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from chuhai.web.aftersales.models import ConfirmationLetter, ContractState, ExportContract, ServiceOutlet
from chuhai.web.customs.models import CustomsDeclaration, DeclarationState
from chuhai.web.errors import status_for
from chuhai.web.licences.models import LicenceApplication, LicenceState
from chuhai.web.organisations.models import EnterpriseFiling, EnterpriseKind, Role
from chuhai.web.security import client_address
from chuhai.web.services import accounts, aftersales, customs, deadlines, filings, imports, licences
from chuhai.web.services import vehicles as vehicle_service
from chuhai.web.services.context import Actor, actor_for, get_scoped, scoped, today
from chuhai.web.services.documents import http_response
from chuhai.web.ui import i18n, labels, queries
from chuhai.web.ui.models import UserPreference
from chuhai.web.vehicles.models import Vehicle, VehicleState, Verdict

PAGE_SIZE = 50
LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


# --- plumbing -------------------------------------------------------------------------------------


def _user_language(request: HttpRequest) -> None:
    """Read the pages in the user's chosen language (overrides the browser's and the cookie's)."""
    if not request.user.is_authenticated:
        return
    chosen = UserPreference.objects.filter(user=request.user).values_list("language", flat=True).first()
    if chosen in LANGUAGE_CODES:
        translation.activate(chosen)
        request.LANGUAGE_CODE = chosen  # type: ignore[attr-defined]


def error_info(exc: ChuhaiError) -> dict[str, Any]:
    """What went wrong and what to do about it, in the reader's language, plus the refusing rules."""
    if isinstance(exc, NotFound):
        headline, hint = (
            _("Not found."),
            _(
                "It may have been removed, or it belongs to another organisation. Go back to the list and "
                "choose it again."
            ),
        )
    elif isinstance(exc, PermissionDenied):
        headline, hint = (
            _("Not allowed."),
            _(
                "Your role does not allow this. Ask an administrator of your organisation to do it or to "
                "give you another role."
            ),
        )
    elif isinstance(exc, TransitionRefused):
        headline, hint = (
            _("Refused by the rules."),
            _("Resolve what the rules below name, then try again. Each rule links to its explanation."),
        )
    elif isinstance(exc, Conflict):
        headline, hint = (
            _("Conflict."),
            _(
                "It already exists or someone changed it at the same time. Reload the page and check before "
                "trying again."
            ),
        )
    elif isinstance(exc, ValidationError | InputError):
        headline, hint = (
            _("Check the values."),
            _(
                "A value is missing or has the wrong format (dates as YYYY-MM-DD, amounts as plain numbers). "
                "Correct it and submit again."
            ),
        )
    elif isinstance(exc, CalendarDataMissing):
        headline, hint = (
            _("No holiday calendar for that year."),
            _(
                "The State Council has not published the working-day calendar needed for this date yet; "
                "the deadline cannot be computed until it is added to the law data."
            ),
        )
    elif isinstance(exc, LawError):
        headline, hint = (
            _("The law data cannot answer this."),
            _("Report it to the maintainers with the technical detail below."),
        )
    else:
        headline, hint = _("Something went wrong."), _("Try again; if it persists, report the detail below.")
    rules = [(rule, i18n.rule_title(rule), rule in i18n._law().rules) for rule in getattr(exc, "rules", ())]
    return {"headline": headline, "hint": hint, "rules": rules, "detail": str(exc)}


def _flash_error(request: HttpRequest, exc: ChuhaiError, subject: str = "") -> None:
    info = error_info(exc)
    rule_links = format_html_join(
        " ",
        '<a class="rule-ref" href="{}">{}</a>',
        (
            (reverse("ui:rule", args=[rule]) if known else reverse("ui:rules") + f"#{rule}", title)
            for rule, title, known in info["rules"]
        ),
    )
    messages.error(
        request,
        format_html(
            '{}<strong>{}</strong> {} {} <span class="detail">({})</span>',
            f"{subject}: " if subject else "",
            info["headline"],
            info["hint"],
            rule_links,
            info["detail"],
        ),
    )


def error_page(request: HttpRequest, exc: ChuhaiError) -> HttpResponse:
    return render(request, "ui/error.html", {"error": error_info(exc)}, status=status_for(exc))


def page(capability: str = "view") -> Any:
    """Decorator: a signed-in member of an organisation with ``capability``; language from the user's
    preference; a domain error becomes the error page with the API's status mapping."""

    def decorate(view: Any) -> Any:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("ui:login"))
            _user_language(request)
            try:
                actor = actor_for(request.user)
                actor.require(capability)
                request.actor = actor  # type: ignore[attr-defined]  # for the templates' "can" filter
                response: HttpResponse = view(request, actor, *args, **kwargs)
            except ChuhaiError as exc:
                return error_page(request, exc)
            return response

        wrapper.capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorate


def _paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page[Any]:
    paginator = Paginator(items, size)
    return paginator.get_page(request.GET.get("page"))


def _query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _params(request: HttpRequest, fields: list[labels.FormField]) -> dict[str, Any]:
    """The submitted values of a transition form (blank ones left out: the service applies defaults)."""
    out: dict[str, Any] = {}
    for name, _label, _kind, _required in fields:
        value = request.POST.get(name, "").strip()
        if value:
            out[name] = value
    return out


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)


# --- sign-in and language ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    """Sign-in with the service's throttling; the user's saved language is applied at once."""
    error, status = "", 200
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        address = client_address(request)
        if accounts.login_locked(username, address):
            error, status = _("Too many failed sign-ins. Wait 15 minutes, then try again."), 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                accounts.login_failed(username, address)
                error, status = _("Wrong username or password. Check both and try again."), 401
            else:
                accounts.login_succeeded(username, address)
                login(request, user)
                target = request.GET.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                    target = ""
                response = redirect(target or "ui:dashboard")
                chosen = UserPreference.objects.filter(user=user).values_list("language", flat=True).first()
                if chosen in LANGUAGE_CODES:
                    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, chosen, samesite="Lax")
                return response
    return render(request, "ui/login.html", {"error": error, "username": username}, status=status)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("ui:login")


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the language: saved for a signed-in user (every device), and in a cookie for this browser."""
    code = request.POST.get("language", "")
    response = _back(request, reverse("ui:dashboard"))
    if code not in LANGUAGE_CODES:
        return response
    if request.user.is_authenticated:
        UserPreference.objects.update_or_create(user=request.user, defaults={"language": code})
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, code, samesite="Lax")
    return response


# --- dashboard ------------------------------------------------------------------------------------


@page("view")
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Vehicles by state and verdict, overdue and upcoming deadlines, licences in review."""
    day = today()
    by_state = queries.counts(actor, "state")
    by_verdict = queries.counts(actor, "verdict")
    items = deadlines.open_deadlines(actor, day)
    overdue = [d for d in items if d.overdue(day)]
    upcoming = [d for d in items if d.due is not None and not d.overdue(day) and (d.due - day).days <= 30]
    problems = [d for d in items if d.due is None]
    context = {
        "states": [(value, label, by_state.get(value, 0)) for value, label in VehicleState.choices],
        "verdicts": [(value, label, by_verdict.get(value, 0)) for value, label in Verdict.choices],
        "total": sum(by_state.values()),
        "overdue": overdue[:10],
        "overdue_count": len(overdue),
        "upcoming": upcoming[:10],
        "upcoming_count": len(upcoming),
        "problems": problems,
        "in_review": list(queries.licences_in_review(actor)[:20]),
        "drafts": list(queries.draft_licences(actor)[:10]),
        "eligible_count": queries.eligible_for_licence(actor).count(),
        "today": day,
    }
    return render(request, "ui/dashboard.html", context)


# --- vehicles -------------------------------------------------------------------------------------

BULK_ACTIONS = ("purchase", "register_transfer", "withdraw", "deregister", "add_to_licence")


@page("view")
def vehicle_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    day = today()
    filters = {key: request.GET.get(key, "").strip() for key in queries.VEHICLE_FILTERS}
    qs = queries.vehicles(actor, filters, day)
    page_obj = _paginate(request, qs)
    context = {
        "page": page_obj,
        "filters": filters,
        "filtered": any(filters.values()),
        "choices": queries.filter_choices(actor),
        "states": VehicleState.choices,
        "verdicts": Verdict.choices,
        "query": _query_without_page(request),
        "bulk_actions": [(name, labels.TRANSITIONS[name]) for name in BULK_ACTIONS],
        "drafts": list(queries.draft_licences(actor)) if actor.can("comply") else [],
        "today": day,
    }
    return render(request, "ui/vehicles.html", context)


@page("edit")
@require_POST
def vehicle_bulk(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Run one step on every selected vehicle through the services; report what each one did."""
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("ids") if i.isdigit()]
    back = _back(request, reverse("ui:vehicles"))
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
                vehicle_service.transition(actor, vehicle_id, action, {})
            done += 1
        except ChuhaiError as exc:
            vehicle = scoped(actor, Vehicle).filter(pk=vehicle_id).only("vin").first()
            _flash_error(request, exc, vehicle.vin if vehicle else str(vehicle_id))
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
            if set(exc.rules) != {"input.missing_parameter"}:  # the form asks for those
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
        "contracts": list(queries.active_contracts(actor)),
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
    locked = vehicle.state in vehicle_service.EXPORT_BOUND_STATES
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
        fields.append(
            {
                "name": name,
                "label": Vehicle._meta.get_field(name).verbose_name,
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
                capfirst(Vehicle._meta.get_field(field).verbose_name)
                if field in vehicle_service.CORRECTABLE_FACTS
                else field,
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
            % {"verdict": vehicle.get_verdict_display()},  # type: ignore[attr-defined]
        )
    except vehicle_service.FactsInvalid as exc:
        _flash_facts_invalid(request, exc)
    except ChuhaiError as exc:
        _flash_error(request, exc)
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


def _label(name: str) -> str:
    try:
        return capfirst(str(Vehicle._meta.get_field(name).verbose_name))
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
        vehicle_service.transition(actor, vehicle_id, name, _params(request, fields))
        messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[name]})
    except ChuhaiError as exc:
        _flash_error(request, exc)
    return redirect("ui:vehicle", vehicle_id=vehicle_id)


# --- stock-file imports -------------------------------------------------------------------------


@page("view")
def import_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        actor.require("edit")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX stock file first, then press Upload."))
            return redirect("ui:imports")
        try:
            job = imports.submit(actor, upload.name or "stock.csv", upload.read())
        except ChuhaiError as exc:
            _flash_error(request, exc)
            return redirect("ui:imports")
        return redirect("ui:import", job_id=job.pk)
    return render(request, "ui/imports.html", {"page": _paginate(request, queries.import_jobs(actor), 20)})


@page("view")
def import_detail(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    written = queries.imported_vehicles(actor, job) if job.finished else scoped(actor, Vehicle).none()
    counts = queries.verdict_counts(written) if job.finished else {}
    context = {
        "job": job,
        "errors": (job.errors or [])[:200],
        "error_count": len(job.errors or []),
        "page": _paginate(request, written),
        "verdicts": [(value, label, counts[value]) for value, label in Verdict.choices if counts.get(value)],
        "percent": int(100 * job.processed_rows / job.total_rows) if job.total_rows else 0,
    }
    return render(request, "ui/import.html", context)


@page("view")
def import_status(request: HttpRequest, actor: Actor, job_id: int) -> JsonResponse:
    """Progress for the page's poller (JSON)."""
    job = imports.get_job(actor, job_id)
    data = imports.job_json(job)
    data["finished"] = job.finished
    data["state_label"] = str(job.get_state_display())  # type: ignore[attr-defined]
    return JsonResponse(data)


@page("view")
def import_errors(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return http_response(imports.error_report(job, fmt, i18n.law_language()))


# --- licences -------------------------------------------------------------------------------------


@page("view")
def licence_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    qs = queries.licences(actor)
    state = request.GET.get("state", "")
    if state:
        qs = qs.filter(state=state)
    context = {
        "page": _paginate(request, qs),
        "state": state,
        "states": LicenceState.choices,
        "query": _query_without_page(request),
        "eligible_count": queries.eligible_for_licence(actor).count(),
    }
    return render(request, "ui/licences.html", context)


@page("comply")
def licence_plan(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Plan licence batches from the eligible vehicles; create the chosen ones as drafts (POST)."""
    batches = queries.licence_plan(actor, licences.max_per_code())
    if request.method == "POST":
        chosen = {int(i) for i in request.POST.getlist("batch") if i.isdigit()}
        if not chosen:
            messages.error(request, _("Tick at least one planned licence to create it."))
            return redirect("ui:licence_plan")
        created = []
        for index, batch in enumerate(batches):
            if index not in chosen:
                continue
            try:
                licence = licences.create(
                    actor,
                    {
                        "destination": batch.destination,
                        "export_contract_id": batch.contract.pk if batch.contract else None,
                    },
                )
                for vehicle in batch.vehicles:
                    try:
                        licences.add_vehicle(actor, licence.pk, vehicle.pk)
                    except ChuhaiError as exc:
                        _flash_error(request, exc, vehicle.vin)
                created.append(licence)
            except ChuhaiError as exc:
                _flash_error(request, exc)
        if len(created) == 1:
            messages.success(request, _("Draft licence application created."))
            return redirect("ui:licence", licence_id=created[0].pk)
        if created:
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
            "limit": licences.max_per_code(),
            "contracts": list(queries.active_contracts(actor)),
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
    declarations = list(queries.declarations(actor).filter(licence=licence))
    codes: dict[str, int] = {}
    for line in open_lines:
        codes[line.commodity_code] = codes.get(line.commodity_code, 0) + 1
    context = {
        "licence": licence,
        "lines": lines,
        "open_count": len(open_lines),
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
        "contracts": list(queries.active_contracts(actor)),
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
            licences.transition(actor, licence_id, action, _params(request, labels.LICENCE_FORMS[action]))
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
                    _flash_error(request, exc)
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
                actor, letter.pk, "receive", {"received_on": post.get("received_on") or None}
            )
            messages.success(request, _("After-sales confirmation recorded as received."))
        elif action == "declare":
            declaration = customs.create(actor, licence_id, {"port": post.get("port", "")})
            messages.success(request, _("Customs declaration drafted."))
            return redirect("ui:declaration", declaration_id=declaration.pk)
        else:
            raise Http404
    except ChuhaiError as exc:
        _flash_error(request, exc)
    return back


# --- customs declarations -------------------------------------------------------------------------


@page("view")
def declaration_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    ready = (
        queries.licences(actor)
        .filter(state=LicenceState.ISSUED)
        .exclude(
            declarations__state__in=[DeclarationState.DRAFT, DeclarationState.FILED, DeclarationState.CLEARED]
        )
    )
    return render(
        request,
        "ui/declarations.html",
        {"page": _paginate(request, queries.declarations(actor)), "ready": list(ready)},
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
                actor, declaration_id, action, _params(request, labels.DECLARATION_FORMS[action])
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
        _flash_error(request, exc)
    return redirect("ui:declaration", declaration_id=declaration_id)


# --- deadlines --------------------------------------------------------------------------------------


def _month(request: HttpRequest, day: dt.date) -> dt.date:
    text = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in text.split("-", 1))
        return dt.date(year, month, 1)
    except ValueError:
        return day.replace(day=1)


@page("view")
def deadline_calendar(request: HttpRequest, actor: Actor) -> HttpResponse:
    """The month's deadlines on a calendar grid, then every open deadline as a list (overdue first)."""
    day = today()
    items = deadlines.open_deadlines(actor, day)
    first = _month(request, day)
    by_day: dict[dt.date, list[Any]] = {}
    for d in items:
        if d.due is not None and d.due.year == first.year and d.due.month == first.month:
            by_day.setdefault(d.due, []).append(d)
    weeks = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append([(date, date.month == first.month, by_day.get(date, [])) for date in week])
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    locale = i18n.babel_locale()
    context = {
        "weeks": weeks,
        "weekdays": [locale.days["format"]["abbreviated"][i] for i in range(7)],
        "month_label": i18n.ldate(first, "LLLL y"),
        "prev": prev_month.strftime("%Y-%m"),
        "next": next_month.strftime("%Y-%m"),
        "this_month": day.strftime("%Y-%m"),
        "page": _paginate(request, items),
        "query": _query_without_page(request),
        "feed_url": "",
        "today": day,
    }
    return render(request, "ui/deadlines.html", context)


@page("manage")
@require_POST
def feed_rotate(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A new secret calendar-feed address (shown once; the previous one stops working)."""
    raw = accounts.rotate_feed_token(actor)
    url = request.build_absolute_uri(reverse("portal:deadline_feed", args=[raw]))
    messages.success(
        request,
        format_html(
            '{} <code class="feed">{}</code>',
            _("Your calendar feed address (copy it now; it is shown only once):"),
            url,
        ),
    )
    return redirect("ui:deadlines")


# --- enterprise, filings, contracts, users -------------------------------------------------------


@page("view")
def enterprise(request: HttpRequest, actor: Actor) -> HttpResponse:
    org = actor.organisation
    history = filings.history(actor)
    rows = []
    for filing in history:
        names = filings.MACHINE.available(filing)
        rows.append(
            {
                "filing": filing,
                "transitions": [
                    {
                        "name": n,
                        "label": labels.TRANSITIONS[n],
                        "fields": labels.FILING_FORMS[n],
                        "prefix": f"{n}-{filing.pk}",
                    }
                    for n in names
                ]
                if actor.can("comply")
                else [],
            }
        )
    return render(
        request,
        "ui/enterprise.html",
        {"org": org, "filings": rows, "kinds": EnterpriseKind.choices},
    )


@page("view")
@require_POST
def enterprise_action(request: HttpRequest, actor: Actor, action: str) -> HttpResponse:
    post = request.POST
    try:
        if action == "edit":
            data = {
                key: post.get(key, "").strip()
                for key in ("name", "uscc", "enterprise_kind", "province", "city", "address")
                if key in post
            }
            filings.update_enterprise(actor, data)
            messages.success(request, _("Saved."))
        elif action == "new_filing":
            filings.create(actor, {"reference": post.get("reference", ""), "notes": post.get("notes", "")})
            messages.success(request, _("Filing drafted."))
        elif action in labels.FILING_FORMS:
            filing = get_scoped(actor, EnterpriseFiling, post.get("filing"))
            filings.transition(actor, filing.pk, action, _params(request, labels.FILING_FORMS[action]))
            messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[action]})
        else:
            raise Http404
    except ChuhaiError as exc:
        _flash_error(request, exc)
    return redirect("ui:enterprise")


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
            _flash_error(request, exc)
        return redirect("ui:contracts")
    contracts = scoped(actor, ExportContract).order_by("-signed_on", "-id")
    return render(
        request,
        "ui/contracts.html",
        {
            "page": _paginate(request, contracts),
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
        _flash_error(request, exc)
    except IntegrityError:  # another contract of the organisation has that number
        _flash_error(request, Conflict(f"contract {post.get('number', '')!r} already exists"))
    return _back(request, reverse("ui:contracts"))


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
        _flash_error(request, exc)
    return redirect(reverse("ui:contracts") + "#h-outlets")


@page("edit")
@require_POST
def outlet_delete(request: HttpRequest, actor: Actor, outlet_id: int) -> HttpResponse:
    try:
        aftersales.delete_outlet(actor, outlet_id)
        messages.success(request, _("Service outlet deleted."))
    except ChuhaiError as exc:
        _flash_error(request, exc)
    return redirect(reverse("ui:contracts") + "#h-outlets")


@page("view")
def user_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Staff of the organisation and their roles; an administrator adds accounts."""
    if request.method == "POST":
        post = request.POST
        try:
            accounts.add_staff(
                actor,
                post.get("username", "").strip(),
                post.get("password", ""),
                post.get("role", ""),
                post.get("email", "").strip(),
            )
            messages.success(request, _("Account created. Give the person their username and password."))
        except ChuhaiError as exc:
            _flash_error(request, exc)
        return redirect("ui:users")
    return render(
        request,
        "ui/users.html",
        {
            "members": queries.staff(actor),
            "me": request.user.pk,
            "roles": Role.choices,
            "capabilities": [
                (cap, [role for role, _label in Role.choices if role in allowed])
                for cap, allowed in _capabilities().items()
            ],
        },
    )


USER_ACTIONS = ("role", "deactivate", "reactivate", "password")


@page("manage")
@require_POST
def user_action(request: HttpRequest, actor: Actor, user_id: int, action: str) -> HttpResponse:
    """An administrator changes a member's role, deactivates or reactivates the account, or sets a new
    password; the service refuses leaving the organisation without an active administrator."""
    if action not in USER_ACTIONS:
        raise Http404
    try:
        if action == "role":
            membership = accounts.change_role(actor, user_id, request.POST.get("role", ""))
            done = _("%(user)s is now: %(role)s.") % {
                "user": membership.user.get_username(),
                "role": membership.get_role_display(),  # type: ignore[attr-defined]
            }
        elif action == "deactivate":
            membership = accounts.deactivate(actor, user_id)
            done = _("%(user)s can no longer sign in; their API tokens are revoked.") % {
                "user": membership.user.get_username()
            }
        elif action == "reactivate":
            membership = accounts.reactivate(actor, user_id)
            done = _("%(user)s can sign in again.") % {"user": membership.user.get_username()}
        else:
            membership = accounts.set_password(actor, user_id, request.POST.get("password", ""))
            if membership.user_id == request.user.pk:  # keep the administrator's own session open
                update_session_auth_hash(request, membership.user)
            done = _("New password set for %(user)s. Give it to them in person.") % {
                "user": membership.user.get_username()
            }
        messages.success(request, done)
    except ChuhaiError as exc:
        _flash_error(request, exc)
    return redirect("ui:users")


def _capabilities() -> dict[str, frozenset[str]]:
    from chuhai.web.services.context import CAPABILITIES

    return CAPABILITIES


# --- rule library -----------------------------------------------------------------------------------


@page("view")
def rule_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    law = i18n._law()
    lang = i18n.law_language()
    rules = []
    for meta in sorted(law.rules.values(), key=lambda m: m.id):
        rules.append(
            {
                "meta": meta,
                "title": meta.title.get(lang) or meta.title["en"],
                "references": [_reference(law.references[r]) for r in meta.references],
            }
        )
    parameters = [_parameter(law, p) for p in sorted(law.parameters.values(), key=lambda p: p.id)]
    return render(
        request,
        "ui/rules.html",
        {"rules": rules, "parameters": parameters, "law_version": law.version},
    )


def _localised(mapping: Any) -> str:
    """A law text in the reader's language (the law loader requires all four languages)."""
    return str(mapping[i18n.law_language()])


def _reference(ref: Any) -> dict[str, Any]:
    """A reference with its title in the reader's language; ``translated`` when that is not the
    official Chinese title, which the pages then show beside it (the Chinese title is authoritative)."""
    lang = i18n.law_language()
    return {"ref": ref, "title": ref.title(lang), "translated": lang != "zh"}


def _parameter(law: Any, param: Any) -> dict[str, Any]:
    return {
        "param": param,
        "description": _localised(param.description),
        "values": [
            {
                "entry": v,
                "reference": law.references[v.reference],
                "reference_title": law.references[v.reference].title(i18n.law_language()),
                "note": _localised(v.note) if v.note else "",
            }
            for v in param.values
        ],
        "gaps": [_localised(g) for g in param.gaps],
    }


@page("view")
def rule_detail(request: HttpRequest, actor: Actor, rule_id: str) -> HttpResponse:
    law = i18n._law()
    meta = law.rules.get(rule_id)
    if meta is None:
        raise NotFound(f"rule {rule_id} not found")
    lang = i18n.law_language()
    vehicles_with = scoped(actor, Vehicle).filter(rules_index__contains=f",{rule_id},").count()
    return render(
        request,
        "ui/rule.html",
        {
            "meta": meta,
            "title": meta.title.get(lang) or meta.title["en"],
            "message": meta.message.get(lang) or meta.message["en"],
            "description": _localised(meta.description) if meta.description else "",
            "references": [_reference(law.references[r]) for r in meta.references],
            "parameters": [_parameter(law, law.parameters[p]) for p in meta.parameters],
            "deadline_kinds": [labels.DEADLINE_KINDS.get(k, k) for k in meta.deadline_kinds],
            "vehicles_with": vehicles_with,
        },
    )


# --- assets ---------------------------------------------------------------------------------------

_ASSETS = {"ui.css": "text/css; charset=utf-8", "ui.js": "text/javascript; charset=utf-8"}


def asset(request: HttpRequest, name: str) -> HttpResponse:
    """The stylesheet and script, served by the app itself so that the embedded server (``chuhai serve``,
    DEBUG off) shows styled pages without a static-files step; cached for an hour."""
    from pathlib import Path

    if name not in _ASSETS:
        raise Http404
    body = (Path(__file__).resolve().parent / "static" / "ui" / name).read_bytes()
    response = HttpResponse(body, content_type=_ASSETS[name])
    response["Cache-Control"] = "public, max-age=3600"
    return response
