"""Locale plumbing for the pages: Django language → Babel locale, law language and pycountry catalogue;
dates, numbers and country names in the active language; stored findings rendered in it.

Why a module of its own: the same four mappings are needed by the template filters, the views and the
tests, and getting one of them wrong shows a Chinese date on an Arabic page.
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext as gettext_module
import re
from decimal import Decimal
from typing import Any

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# Django language code → (Babel locale, law-file language key, pycountry catalogue language).
LOCALES: dict[str, tuple[str, str, str | None]] = {
    "zh-hans": ("zh_Hans_CN", "zh", "zh_CN"),
    "en": ("en", "en", None),
    "ru": ("ru", "ru", "ru"),
    "ar": ("ar", "ar", "ar"),
}
DEFAULT = "zh-hans"
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def language() -> str:
    """The active Django language, normalised to one of :data:`LOCALES` (Chinese if unknown)."""
    code = (translation.get_language() or DEFAULT).lower()
    if code in LOCALES:
        return code
    base = code.split("-")[0]
    if base == "zh":
        return "zh-hans"
    return base if base in LOCALES else DEFAULT


def babel_locale() -> Locale:
    return _babel(LOCALES[language()][0])


@functools.cache
def _babel(name: str) -> Locale:
    return Locale.parse(name)


def law_language() -> str:
    """The key of the active language in ``law/rules.yaml`` (zh, en, ru, ar)."""
    return LOCALES[language()][1]


def ldate(value: Any, fmt: str = "medium") -> str:
    """A date (or ISO date string) in the active locale's format; empty for nothing."""
    if value in (None, ""):
        return ""
    if isinstance(value, str):
        if not _ISO_DATE.match(value):
            return value
        text = value
        try:
            value = dt.date.fromisoformat(text)
        except ValueError:
            # Date-shaped but no date (2024-02-30): an unreadable cell's raw value, shown as written.
            return text
    if isinstance(value, dt.datetime):
        return ldatetime(value)
    if not isinstance(value, dt.date):
        return str(value)
    return str(format_date(value, fmt, locale=babel_locale()))


def ldatetime(value: Any) -> str:
    if value in (None, ""):
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return str(format_datetime(value, "short", locale=babel_locale()))


def lnumber(value: Any) -> str:
    """An integer or exact decimal in the active locale (grouping and decimal sign)."""
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | Decimal):
        return str(format_decimal(value, locale=babel_locale()))
    if isinstance(value, float):
        return str(format_decimal(Decimal(str(value)), locale=babel_locale()))
    return str(value)


@functools.cache
def _country_catalogue(lang: str) -> gettext_module.NullTranslations:
    import pycountry

    return gettext_module.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: Any) -> str:
    """The country's name in the active language (pycountry's ISO 3166 catalogues); the code if unknown."""
    import pycountry

    text = str(code or "").strip().upper()
    if not text:
        return ""
    country = pycountry.countries.get(alpha_2=text)
    if country is None:
        return text
    lang = LOCALES[language()][2]
    name = str(getattr(country, "common_name", None) or country.name)
    if lang is None:
        return name
    return str(_country_catalogue(lang).gettext(country.name))


# Values of enumerated vehicle facts, labelled for people (also used by the finding renderer so that
# "mortgage" reads as "抵押"/"залог"/"رهن").
FACT_VALUES: dict[str, Any] = {
    "passenger": _("passenger car"),
    "bus": _("bus"),
    "truck": _("truck"),
    "trailer": _("trailer"),
    "three_wheeled": _("three-wheeled vehicle"),
    "low_speed_truck": _("low-speed goods vehicle"),
    "special": _("special-purpose vehicle"),
    "sedan": _("sedan"),
    "offroad_4wd": _("four-wheel-drive off-road vehicle"),
    "wagon": _("estate / SUV"),
    "other": _("other"),
    "petrol": _("petrol"),
    "diesel": _("diesel"),
    "hev_petrol": _("petrol hybrid"),
    "hev_diesel": _("diesel hybrid"),
    "phev_petrol": _("petrol plug-in hybrid"),
    "phev_diesel": _("diesel plug-in hybrid"),
    "bev": _("battery electric"),
    "mini": _("mini"),
    "small": _("small"),
    "medium": _("medium"),
    "large": _("large"),
    "light": _("light"),
    "heavy": _("heavy"),
    "non_operating": _("private (non-operating)"),
    "taxi": _("taxi"),
    "rental": _("rental"),
    "driving_school": _("driving school"),
    "school_bus": _("school bus"),
    "operating_other": _("other operating use"),
    "dangerous_goods": _("dangerous goods"),
    "lhd": _("left-hand drive"),
    "rhd": _("right-hand drive"),
    "used": _("used"),
    "new": _("new"),
    "none": _("none"),
    "mortgage": _("mortgage"),
    "pledge": _("pledge"),
    "customs_supervision": _("customs supervision"),
    "pass": _("passed"),
    "fail": _("failed"),
    "missing": _("missing"),
    "manufacturer": _("production enterprise"),
    "authorised_exporter": _("authorised exporter"),
    "circulation": _("circulation enterprise"),
    "project_contractor": _("project contractor"),
    "factory date": pgettext_lazy("counted from", "factory date"),
    "registration date": pgettext_lazy("counted from", "registration date"),
    "registration": pgettext_lazy("age counted from", "registration date"),
    "manufacture": pgettext_lazy("age counted from", "manufacture date"),
    "model_year": pgettext_lazy("age counted from", "model year"),
    "manufacture_following_year": pgettext_lazy("age counted from", "1 January after manufacture"),
    "unspecified": pgettext_lazy("age counted from", "unspecified date"),
}
# Facts whose values are enumerations (rule messages use them in English/code form).
ENUM_FACTS = {
    "category",
    "body_type",
    "fuel",
    "size_class",
    "use_nature",
    "steering",
    "encumbrance",
    "exporter_kind",
    "test_result",
}
# Numbers shown as written (a row number, a year), never with digit grouping.
PLAIN_NUMBERS = {"row", "min_year"}


def fact_value(value: Any) -> str:
    """One enumerated value as a label in the active language; the value itself if unknown."""
    if value in (None, ""):
        return "—"
    label = FACT_VALUES.get(str(value))
    return str(label) if label is not None else str(value)


def localise_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """Facts ready for a message template in the active language: dates, numbers, enumerations and
    countries in that language (the stored facts stay untouched, in ISO/code form)."""
    out: dict[str, Any] = {}
    for key, value in facts.items():
        if value is None:
            out[key] = "—"
        elif key in ENUM_FACTS:
            out[key] = fact_value(value)
        elif isinstance(value, str) and _ISO_DATE.match(value):
            out[key] = ldate(value)
        elif (
            isinstance(value, int | float | Decimal)
            and not isinstance(value, bool)
            and key not in PLAIN_NUMBERS
        ):
            out[key] = lnumber(value)
        else:
            out[key] = value
    return out


def _law() -> Any:
    # The lawbook caches the law per directory; caching it here too would keep an old law after a
    # local law directory changed.
    from chuhai.engine import load_law

    return load_law()


def rule_title(rule_id: str) -> str:
    """A rule's title in the active language: the law's own, else the case-management service's
    workflow rules (``chuhai.web.cases.rules``); the id itself if neither knows it."""
    meta = _law().rules.get(rule_id)
    if meta is not None:
        return str(meta.title.get(law_language()) or meta.title["en"])
    from chuhai.web.cases.rules import title

    return title(rule_id)


def render_finding(finding: dict[str, Any]) -> str:
    """A stored finding's message in the active language, from the law's template, its phrases and the
    finding's facts (phrase facts keep their variant codes; the law words them in the language)."""
    from chuhai.engine.messages import render_message

    rule = str(finding.get("rule", ""))
    law = _law()
    lang = law_language()
    facts = dict(finding.get("facts") or {})
    stored = str(finding.get("message_zh" if lang == "zh" else "message_en") or rule_title(rule))
    meta = law.rules.get(rule)
    if meta is None or lang not in meta.message:
        return stored
    try:
        localised = localise_facts(facts)
        for group in meta.phrases:  # phrase facts are variant codes: the law words them
            if group in facts:
                localised[group] = facts[group]
        return render_message(law, rule, lang, localised)
    except (KeyError, IndexError, ValueError):
        # A template asks for a fact the stored finding lacks (a screening made by an older law):
        # show the stored message rather than nothing; the catalogue test keeps templates and facts aligned.
        return stored
