"""What every page of the web app shares: the ``page`` decorator (signed-in member, capability,
language), the error page and flashed errors naming the refusing rules, pagination and form helpers.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.html import format_html, format_html_join
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

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
from chuhai.web.cases.context import actor_for
from chuhai.web.errors import status_for
from chuhai.web.ui import i18n, labels
from chuhai.web.ui.models import UserPreference

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
        request.LANGUAGE_CODE = chosen


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


def flash_error(request: HttpRequest, exc: ChuhaiError, subject: str = "") -> None:
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


PageView = Callable[..., HttpResponse]


def page(capability: str = "view") -> Callable[[PageView], PageView]:
    """Decorator: a signed-in member of an organisation with ``capability``; language from the user's
    preference; a domain error becomes the error page with the API's status mapping."""

    def decorate(view: PageView) -> PageView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), reverse("ui:login"))
            _user_language(request)
            try:
                actor = actor_for(request.user)
                actor.require(capability)
                request.actor = actor  # type: ignore[attr-defined]  # for the templates' "can" filter
                response = view(request, actor, *args, **kwargs)
            except ChuhaiError as exc:
                return error_page(request, exc)
            return response

        wrapper.capability = capability  # type: ignore[attr-defined]
        return wrapper

    return decorate


def paginate(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page[Any]:
    paginator = Paginator(items, size)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def form_params(request: HttpRequest, fields: list[labels.FormField]) -> dict[str, Any]:
    """The submitted values of a transition form (blank ones left out: the service applies defaults)."""
    out: dict[str, Any] = {}
    for name, _label, _kind, _required in fields:
        value = request.POST.get(name, "").strip()
        if value:
            out[name] = value
    return out


def go_back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return redirect(target)
    return redirect(fallback)
