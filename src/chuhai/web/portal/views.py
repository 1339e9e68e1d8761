"""The few pages of the case-management service: sign-in/out, dashboard, deadlines (+ iCalendar feed),
stock-file upload with job progress and the error report. Thin over :mod:`chuhai.web.services`.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuhai.errors import ChuhaiError
from chuhai.web.errors import error_body, status_for
from chuhai.web.imports.models import ImportJob
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.services import accounts, deadlines, imports
from chuhai.web.services.context import Actor, actor_for, scoped, today
from chuhai.web.services.documents import http_response
from chuhai.web.ui import i18n
from chuhai.web.vehicles.models import Vehicle, VehicleState


def _client_address(request: HttpRequest) -> str:
    from chuhai.web.security import client_address

    return client_address(request)


def _error_page(request: HttpRequest, exc: ChuhaiError) -> HttpResponse:
    body = error_body(exc)
    return render(request, "portal/error.html", {"error": body}, status=status_for(exc))


def with_actor(capability: str = "view") -> Any:
    """Page decorator: signed-in user, their actor and capability; domain errors rendered with the API's
    status mapping (``chuhai.web.errors``)."""

    def decorate(view: Any) -> Any:
        @login_required
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                actor = actor_for(request.user)
                actor.require(capability)
                return view(request, actor, *args, **kwargs)  # type: ignore[no-any-return]
            except ChuhaiError as exc:
                return _error_page(request, exc)

        wrapper.capability = capability  # type: ignore[attr-defined]
        wrapper.__name__ = view.__name__
        wrapper.__doc__ = view.__doc__
        return wrapper

    return decorate


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    error = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        address = _client_address(request)
        if accounts.login_locked(username, address):
            error = _("Too many failed sign-ins. Try again later.")
            return render(request, "portal/login.html", {"error": error, "username": username}, status=429)
        user = authenticate(request, username=username, password=password)
        if user is None:
            accounts.login_failed(username, address)
            error = _("Wrong username or password.")
        else:
            accounts.login_succeeded(username, address)
            login(request, user)
            target = request.GET.get("next", "")
            from django.utils.http import url_has_allowed_host_and_scheme

            if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
                return redirect(target)
            return redirect(settings.LOGIN_REDIRECT_URL)
    return render(request, "portal/login.html", {"error": error}, status=401 if error else 200)


@require_POST
def sign_out(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("portal:login")


@with_actor("view")
def dashboard(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Landing page: vehicles per state and verdict, open licences, the next deadlines."""
    vehicles = scoped(actor, Vehicle)
    by_state = Counter(dict(_counts(vehicles, "state")))
    by_verdict = Counter(dict(_counts(vehicles, "verdict")))
    state_rows = [(label, by_state.get(value, 0)) for value, label in VehicleState.choices]
    day = today()
    upcoming = deadlines.open_deadlines(actor, day)[:10]
    context = {
        "actor": actor,
        "state_rows": state_rows,
        "by_verdict": sorted(by_verdict.items()),
        "licences": scoped(actor, LicenceApplication).order_by("-id")[:10],
        "deadlines": upcoming,
        "today": day,
    }
    return render(request, "portal/dashboard.html", context)


def _counts(queryset: Any, field: str) -> list[tuple[str, int]]:
    from django.db.models import Count

    return [(row[field], row["n"]) for row in queryset.values(field).annotate(n=Count("id")).order_by(field)]


@with_actor("view")
def deadline_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    day = today()
    items = deadlines.open_deadlines(actor, day)
    return render(
        request, "portal/deadlines.html", {"actor": actor, "deadlines": items, "today": day, "feed_url": None}
    )


@with_actor("manage")
def rotate_feed(request: HttpRequest, actor: Actor) -> HttpResponse:
    """Create (or replace) the organisation's secret calendar-feed URL; it is shown once."""
    if request.method != "POST":
        return redirect("portal:deadlines")
    raw = accounts.rotate_feed_token(actor)
    url = request.build_absolute_uri(f"/deadlines/feed/{raw}.ics")
    day = today()
    return render(
        request,
        "portal/deadlines.html",
        {"actor": actor, "deadlines": deadlines.open_deadlines(actor, day), "today": day, "feed_url": url},
    )


def deadline_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed, authenticated by the secret in its URL (calendar apps cannot sign in)."""
    from chuhai.web.organisations.models import Role

    organisation = accounts.organisation_for_feed(token)
    if organisation is None or organisation.is_platform:
        return HttpResponse(status=404)
    actor = Actor(user=None, organisation=organisation, role=Role.READONLY)
    body = deadlines.icalendar(actor, f"Chuhai — {organisation.name}")
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="chuhai-deadlines.ics"'
    return response


@with_actor("view")
def import_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        actor.require("edit")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX stock file."))
            return redirect("portal:imports")
        job = imports.submit(actor, upload.name or "stock.csv", upload.read())
        return redirect("portal:import_detail", job_id=job.pk)
    jobs = scoped(actor, ImportJob).order_by("-id")[:50]
    return render(request, "portal/imports.html", {"actor": actor, "jobs": jobs})


@with_actor("view")
def import_detail(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    if request.GET.get("format") == "json":
        return JsonResponse(imports.job_json(job))
    return render(
        request, "portal/import_detail.html", {"actor": actor, "job": job, "errors": (job.errors or [])[:200]}
    )


@with_actor("view")
def import_errors(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    fmt = "xlsx" if request.GET.get("format") == "xlsx" else "csv"
    return http_response(imports.error_report(job, fmt, i18n.law_language()))


@with_actor("edit")
def import_rerun(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    imports.get_job(actor, job_id)  # another organisation's job: 404
    if request.method != "POST":
        return redirect("portal:import_detail", job_id=job_id)
    imports.rerun(actor, job_id)
    return redirect("portal:import_detail", job_id=job_id)
