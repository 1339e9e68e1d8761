"""Template filters of the web interface: dates, numbers and countries in the reader's locale (Babel,
pycountry), and the translated labels of rule ids, deadline kinds, severities and confidence marks."""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

from chuhai.web.ui import i18n, labels

register = template.Library()


@register.filter
def ldate(value: Any, fmt: str = "medium") -> str:
    return i18n.ldate(value, fmt)


@register.filter
def ldatetime(value: Any) -> str:
    return i18n.ldatetime(value)


@register.filter
def lnum(value: Any) -> str:
    return i18n.lnumber(value)


@register.filter
def country(code: Any) -> str:
    return i18n.country_name(code)


@register.filter
def fact(value: Any) -> str:
    return i18n.fact_value(value)


@register.filter
def rule_title(rule_id: Any) -> str:
    return i18n.rule_title(str(rule_id))


@register.filter
def deadline_kind(kind: Any) -> str:
    return str(labels.DEADLINE_KINDS.get(str(kind), kind))


@register.filter
def severity(value: Any) -> str:
    return str(labels.SEVERITIES.get(str(value), value))


@register.filter
def confidence(value: Any) -> str:
    return str(labels.CONFIDENCE.get(str(getattr(value, "value", value)), value))


@register.filter
def unit(value: Any) -> str:
    return str(labels.UNITS.get(str(value), value))


@register.filter
def law_text(mapping: Any) -> str:
    """A zh/en(/ru/ar) mapping from the law files in the reader's language (English if missing)."""
    lang = i18n.law_language()
    return str(mapping.get(lang) or mapping.get("en") or mapping.get("zh") or "")


@register.filter
def expected(error: Any) -> str:
    """What an import error's cell should hold, in the reader's language."""
    from chuhai.web.services.imports import expected_text

    return expected_text(error, i18n.law_language())


@register.filter
def days_left(deadline: Any, day: Any) -> Any:
    return deadline.days_left(day)


@register.filter
def is_overdue(deadline: Any, day: Any) -> bool:
    return bool(deadline.overdue(day))


@register.filter
def abs_value(value: Any) -> Any:
    return abs(value) if isinstance(value, int) else value


@register.simple_tag
def page_query(query: str, number: int) -> str:
    """The list's query string with another page number."""
    params = QueryDict(query, mutable=True)
    params["page"] = str(number)
    return "?" + params.urlencode()


@register.filter
def label_of(choices: Any, value: Any) -> str:
    return str(dict(choices).get(value, value))


@register.filter
def can(actor: Any, capability: str) -> bool:
    """Whether the page's actor has a capability (hides buttons the service would refuse anyway)."""
    return bool(actor is not None and actor.can(capability))
