"""The shell of the web interface: sign-in and language, the dashboard, the deadline calendar and its
iCalendar feed, the rule library and the static assets. Each area's pages live in its app
(``chuhai.web.<area>.views``); what they share is in :mod:`chuhai.web.ui.pages`. No business rule
lives in a page: a refused step comes back from the service as ``TransitionRefused`` naming its
rules, and the page shows those rules with links to their explanations.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuhai.errors import (
    NotFound,
)
from chuhai.web.cases import deadlines
from chuhai.web.cases.context import Actor, scoped, today
from chuhai.web.lawbook import services as lawbook_services
from chuhai.web.licences import queries as licences_queries
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import Role
from chuhai.web.security import client_address
from chuhai.web.ui import i18n, labels
from chuhai.web.ui.models import UserPreference
from chuhai.web.ui.pages import (
    LANGUAGE_CODES,
    go_back,
    page,
    paginate,
    query_without_page,
)
from chuhai.web.vehicles import queries as vehicles_queries
from chuhai.web.vehicles.models import Vehicle, VehicleState, Verdict

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
                response = redirect(target or lawbook_services.home_page(user))
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
    response = go_back(request, reverse("ui:dashboard"))
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
    by_state = vehicles_queries.counts(actor, "state")
    by_verdict = vehicles_queries.counts(actor, "verdict")
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
        "in_review": list(licences_queries.licences_in_review(actor)[:20]),
        "drafts": list(licences_queries.draft_licences(actor)[:10]),
        "eligible_count": licences_queries.eligible_for_licence(actor).count(),
        "today": day,
    }
    return render(request, "ui/dashboard.html", context)


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
        "page": paginate(request, items),
        "query": query_without_page(request),
        "feed_url": "",
        "today": day,
    }
    return render(request, "ui/deadlines.html", context)


@page("manage")
@require_POST
def feed_rotate(request: HttpRequest, actor: Actor) -> HttpResponse:
    """A new secret calendar-feed address (shown once; the previous one stops working)."""
    raw = accounts.rotate_feed_token(actor)
    url = request.build_absolute_uri(reverse("ui:deadline_feed", args=[raw]))
    messages.success(
        request,
        format_html(
            '{} <code class="feed">{}</code>',
            _("Your calendar feed address (copy it now; it is shown only once):"),
            url,
        ),
    )
    return redirect("ui:deadlines")


def deadline_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed, authenticated by the secret in its URL (calendar apps cannot sign in)."""
    organisation = accounts.organisation_for_feed(token)
    if organisation is None or organisation.is_platform:
        return HttpResponse(status=404)
    actor = Actor(user=None, organisation=organisation, role=Role.READONLY)
    body = deadlines.icalendar(actor, f"Chuhai — {organisation.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chuhai-deadlines.ics"'
    return response


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
