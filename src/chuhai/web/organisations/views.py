"""The organisation pages: the enterprise with its filings, and its staff (roles, deactivation, passwords)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuhai.errors import (
    ChuhaiError,
)
from chuhai.web.cases.context import Actor, get_scoped
from chuhai.web.organisations import filings, queries
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import EnterpriseFiling, EnterpriseKind, Role
from chuhai.web.ui import labels
from chuhai.web.ui.pages import (
    flash_error,
    form_params,
    page,
)

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
            filings.transition(actor, filing.pk, action, form_params(request, labels.FILING_FORMS[action]))
            messages.success(request, _("%(action)s: done.") % {"action": labels.TRANSITIONS[action]})
        else:
            raise Http404
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect("ui:enterprise")


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
            flash_error(request, exc)
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
                "role": membership.get_role_display(),
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
        flash_error(request, exc)
    return redirect("ui:users")


def _capabilities() -> dict[str, frozenset[str]]:
    from chuhai.web.cases.context import CAPABILITIES

    return CAPABILITIES
