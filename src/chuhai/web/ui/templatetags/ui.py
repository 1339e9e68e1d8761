"""Template filters of the web interface: dates, numbers and countries in the reader's locale (Babel,
pycountry), and the translated labels of rule ids, deadline kinds, severities and confidence marks."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.http import QueryDict
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import pgettext, pgettext_lazy

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
def tier(value: Any) -> str:
    """The tier of a source (official text, verbatim reprint, secondary, inferred) in the page language."""
    return str(labels.TIERS.get(str(value), value))


_TIER_MARK = re.compile(r"\[(official-text|verbatim-reprint|secondary|inferred)\]")


@register.filter
def cited(reference: Any) -> str:
    """A finding's citations with each ``[tier]`` mark (stored language-neutral) in the page language."""
    return _TIER_MARK.sub(lambda m: f"({labels.TIERS[m.group(1)]})", str(reference or ""))


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
    from chuhai.web.imports.services import expected_text

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


_LAW_LANGUAGES = frozenset({"zh", "en", "ru", "ar"})
# Column headings of table-valued parameters (the service-life table's row keys).
_VALUE_KEYS = {
    "label": pgettext_lazy("law table column", "Row of the law"),
    "category": pgettext_lazy("law table column", "Vehicle category"),
    "use": pgettext_lazy("law table column", "Use"),
    "size": pgettext_lazy("law table column", "Size"),
    "body": pgettext_lazy("law table column", "Body type"),
    "trailer": pgettext_lazy("law table column", "Trailer kind"),
    "cargo_function": pgettext_lazy("law table column", "Cargo function"),
    "years": pgettext_lazy("law table column", "Years"),
    "note": pgettext_lazy("law table column", "Note"),
}


def _is_text(value: Any) -> bool:
    return isinstance(value, dict) and bool(value) and set(value) <= _LAW_LANGUAGES


def _scalar(value: Any) -> SafeString:
    """One value of the law: an enumeration as its label with the code beside it, else the code."""
    if value == "any":
        return format_html("<em>{}</em>", pgettext("law table value", "any"))
    if isinstance(value, bool):
        return format_html("{}", pgettext("law value", "yes") if value else pgettext("law value", "no"))
    label = i18n.FACT_VALUES.get(str(value)) if isinstance(value, str) else None
    if label is not None:
        return format_html("{} <code>{}</code>", label, value)
    return format_html("<code>{}</code>", value)


def _cell(value: Any) -> SafeString:
    if _is_text(value):
        return format_html("{}", law_text(value))
    if isinstance(value, list) and not any(isinstance(v, dict) for v in value):
        return format_html_join(", ", "{}", ((_scalar(v),) for v in value))
    if isinstance(value, dict):
        return format_html(
            '<dl class="facts">{}</dl>',
            format_html_join(
                "", "<dt><code>{}</code></dt><dd>{}</dd>", ((k, _cell(v)) for k, v in value.items())
            ),
        )
    if isinstance(value, list):
        return _rows(value)
    return _scalar(value)


def _rows(rows: list[Any]) -> SafeString:
    keys: list[str] = []
    for row in rows:
        for key in row if isinstance(row, dict) else ():
            if key not in keys:
                keys.append(key)
    if "note" in keys:  # the note is the widest: last
        keys.append(keys.pop(keys.index("note")))
    head = format_html_join("", '<th scope="col">{}</th>', ((_VALUE_KEYS.get(k, k),) for k in keys))
    body = format_html_join(
        "",
        "<tr>{}</tr>",
        (
            (
                format_html_join(
                    "",
                    "<td>{}</td>",
                    (
                        (_years(row[k]) if k == "years" else _cell(row[k]),) if k in row else ("—",)
                        for k in keys
                    ),
                ),
            )
            for row in rows
        ),
    )
    return format_html(
        '<div class="table-wrap"><table class="law-table"><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table></div>",
        head,
        body,
    )


def _years(value: Any) -> SafeString:
    if value is None:
        return format_html("<em>{}</em>", pgettext("service life", "no limit"))
    return format_html("{}", i18n.lnumber(value))


@register.filter
def law_value(value: Any) -> SafeString:
    """A parameter's value as a reader sees it: a table of rows as a table, enumerations with their
    labels in the reader's language beside the codes, texts of the law in that language."""
    return _cell(value)
