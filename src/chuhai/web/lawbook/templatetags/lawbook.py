"""Template tags of the law pages used on other pages: the calendar warning (dashboard) and the reason a
deadline is provisional, in the reader's language."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template

from chuhai.web.cases.context import today
from chuhai.web.lawbook import labels, services

register = template.Library()


@register.inclusion_tag("lawbook/_calendar_warning.html", takes_context=True)
def calendar_warning(context: template.Context) -> dict[str, Any]:
    """The warning 60 days before the working-day calendar ends (and after), and the latest change of
    the law of the last 30 days with the number of the reader's vehicles whose verdict it changed."""
    from chuhai.web.lawbook.models import LawChange

    request = context.get("request")
    user = getattr(request, "user", None)
    admin = services.is_site_admin(user)
    status = services.law_status()
    latest = LawChange.objects.order_by("-created_at", "-id").first()
    recent = None
    if latest is not None and latest.created_at.date() >= today() - dt.timedelta(days=30):
        actor = getattr(request, "actor", None)
        organisation = getattr(actor, "organisation", None)
        recent = {"change": latest, "count": len(services.verdict_rows(latest, user, organisation))}
    return {
        "warning": services.horizon_message(status.horizon, site_admin=admin),
        "state": status.calendar_state,
        "recent": recent,
    }


@register.filter
def deadline_reason(deadline: Any) -> str:
    """Why a deadline is provisional or cannot be computed, in the reader's language."""
    from chuhai.web.ui import i18n

    return services.deadline_reason(deadline, i18n.law_language()) or ""


@register.filter
def diff_section(section: Any) -> str:
    return str(labels.SECTIONS.get(str(section), section))


@register.filter
def diff_kind(kind: Any) -> str:
    return str(labels.CHANGE_KINDS.get(str(kind), kind))


@register.filter
def day_kind(kind: Any) -> str:
    return str(labels.DAY_KINDS.get(str(kind), kind))


@register.filter
def by_section(changes: Any) -> list[tuple[str, list[Any]]]:
    """Stored changes (``Change`` as dicts) grouped by section, in the order they came."""
    out: dict[str, list[Any]] = {}
    for change in changes or ():
        out.setdefault(str(change.get("section", "")), []).append(change)
    return list(out.items())


@register.simple_tag
def law_number(parameter_id: str, on: dt.date | None = None) -> str:
    """A legal number of the law's parameters as stated on ``on`` (default today), e.g.
    ``{% law_number "aftersales.window_days" licence.submitted_on as days %}``: a page never writes
    one by hand (:mod:`chuhai.lawbook.texts`)."""
    from chuhai import lawbook
    from chuhai.web.ui import i18n

    day = on or today()
    text = lawbook.current().fill("{" + parameter_id + "}", "en", day, where=f"page text {parameter_id}")
    return i18n.lnumber(int(text)) if text.isdigit() else text
