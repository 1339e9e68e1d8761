"""The law pages: the law in force and how long its calendar lasts (everyone), the changes of the law
and what they did to the stock (everyone, limited to their own vehicles), what the local law directory
changes against the shipped law and the holiday-notice import (the site administrator only).

Thin over :mod:`chuhai.web.lawbook.services`; errors are shown as every page shows them.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from chuhai.errors import ChuhaiError, InputError, NotFound, NoticeUnreadable
from chuhai.lawbook.notice import CONFIDENCE_VALUES
from chuhai.web.cases.context import actor_for, today
from chuhai.web.lawbook import services
from chuhai.web.lawbook.models import LawChange
from chuhai.web.ui.pages import _user_language, error_page


def _error_page(request: HttpRequest, exc: ChuhaiError) -> HttpResponse:
    return error_page(request, exc)


LawView = Callable[..., HttpResponse]


def law_page(*, site_admin: bool = False) -> Callable[[LawView], LawView]:
    """Decorator: signed in; the site administrator, or (unless ``site_admin``) a member of an
    enterprise. The view gets ``(request, admin, organisation)``; organisation is ``None`` for the
    site administrator."""

    def decorate(view: LawView) -> LawView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("ui:login"))
            _user_language(request)
            try:
                admin = services.is_site_admin(request.user)
                organisation = None
                if site_admin:
                    services.require_site_admin(request.user)
                elif not admin:
                    actor = actor_for(request.user)
                    actor.require("view")
                    request.actor = actor  # type: ignore[attr-defined]
                    organisation = actor.organisation
                response: HttpResponse = view(request, admin, organisation, *args, **kwargs)
            except ChuhaiError as exc:
                return _error_page(request, exc)
            return response

        # For the authorisation matrix (tests/web/test_authorisation.py): enterprise roles read the law
        # ("view"); only the site administrator changes it.
        wrapper.capability = "site_admin" if site_admin else "view"  # type: ignore[attr-defined]
        return wrapper

    return decorate


@law_page()
def law(request: HttpRequest, admin: bool, organisation: Any) -> HttpResponse:
    """The law in force, its calendar, the changes of the law; for the site administrator also what the
    local law directory changes (``chuhai law diff``)."""
    status = services.law_status()
    changes = services.changes_for(request.user, organisation)
    rows = []
    for change in changes:
        mine = services.verdict_rows(change, request.user, organisation)
        rows.append({"change": change, "count": len(mine)})
    context: dict[str, Any] = {
        "status": status,
        "warning": services.horizon_message(status.horizon, site_admin=admin),
        "changes": rows,
        "admin": admin,
        "today": today(),
        "warn_days": services.WARN_DAYS,
    }
    if admin:
        diff = services.shipped_diff()
        context["diff"] = diff
        context["diff_sections"] = list(diff.by_section().items())
        context["stale"] = sorted(services.stale_versions().items())
    return render(request, "lawbook/law.html", context)


@law_page()
def change_detail(request: HttpRequest, admin: bool, organisation: Any, change_id: int) -> HttpResponse:
    """What one change of the law did: N vehicles change verdict, each before → after."""
    change = LawChange.objects.filter(pk=change_id).first()
    if change is None:
        return _error_page(request, NotFound(f"law change {change_id} not found"))
    rows = services.verdict_rows(change, request.user, organisation)
    context = {"change": change, "rows": rows, "admin": admin, "screened": change.screened}
    return render(request, "lawbook/change.html", context)


def _form(request: HttpRequest) -> dict[str, Any]:
    post = request.POST
    return {
        "text": post.get("text", ""),
        "url": post.get("url", "").strip(),
        "reprint": post.get("reprint", "").strip(),
        "confidence": post.get("confidence", "").strip(),
        "signed": post.get("signed", "").strip(),
        "replace": post.get("replace") == "1",
    }


def _digest(form: dict[str, Any]) -> str:
    """What a preview was made of: applying needs the same text and options (else preview again)."""
    parts = [form["text"], form["url"], form["reprint"], form["confidence"], form["signed"]]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _signed(value: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise InputError(f"signed: {value!r} is not a date (YYYY-MM-DD)") from None


@law_page(site_admin=True)
@require_http_methods(["GET", "POST"])
def notice(request: HttpRequest, admin: bool, organisation: Any) -> HttpResponse:
    """Paste a State Council holiday notice, preview what it gives, apply it."""
    form: dict[str, Any] = {
        "text": "",
        "url": "",
        "reprint": "",
        "confidence": "",
        "signed": "",
        "replace": False,
    }
    context: dict[str, Any] = {
        "confidences": CONFIDENCE_VALUES,
        "form": form,
        "status": services.law_status(),
    }
    if request.method == "POST":
        form = _form(request)
        context["form"] = form
        options = {
            "url": form["url"],
            "reprint": form["reprint"] or None,
            "confidence": form["confidence"] or None,
        }
        try:
            signed = _signed(form["signed"])
            fresh = request.POST.get("previewed") == _digest(form)
            if request.POST.get("action") == "apply" and not fresh:
                messages.error(
                    request, _("The text or its details changed since the preview: check the new preview.")
                )
            elif request.POST.get("action") == "apply":
                change = services.import_notice(
                    request.user, form["text"], signed=signed, replace=form["replace"], **options
                )
                if change is None:
                    messages.success(request, _("The calendar file was already in the law: nothing changed."))
                    return redirect("ui:law")
                messages.success(
                    request,
                    _("The calendar was updated: law %(before)s → %(after)s.")
                    % {"before": change.before_version, "after": change.after_version},
                )
                return redirect("ui:law_change", change.pk)
            context["preview"] = services.preview_notice(request.user, form["text"], signed=signed, **options)
            context["digest"] = _digest(form)
        except ChuhaiError as exc:
            context["error"] = exc
            context["unreadable"] = isinstance(exc, NoticeUnreadable)
            context["error_status"] = 422
    status = int(context.pop("error_status", 200))
    return render(request, "lawbook/notice.html", context, status=status)


@law_page(site_admin=True)
@require_POST
def check(request: HttpRequest, admin: bool, organisation: Any) -> HttpResponse:
    """Look for a change of the local law directory (files edited by hand) and re-screen if so."""
    change = services.detect_change(request.user)
    if change is None:
        messages.success(request, _("Every open vehicle was screened with the law in force."))
        return redirect("ui:law")
    return redirect("ui:law_change", change.pk)
