"""Destination-market import rules (``law/markets.yaml``): steering side, age limits, used-import bans.

They are advice only: a destination's rule never affects the Chinese export licence
(``shared/spec/rule-catalog.md``, ``market.*`` findings are ``advice``). Every rule comes from
``shared/domain/reference-data.md`` §4 with its sources and confidence; where sources disagree the
rule says ``conflicting`` so the user sees the doubt instead of a guess.

Format of one rule (the loader refuses anything else and names the file and the key):

* common: ``id`` (stable and unique in the file: a finding stores it and shows the note later, in any
  language), ``kind`` (steering | age_limit | used_import_banned | restriction), ``confidence``,
  ``sources`` (ids in ``references.yaml``), ``note`` {zh, en, ru, ar}; optional ``categories`` / ``uses`` /
  ``sizes`` / ``fuels`` (values of :mod:`chuhai.schema`; default all), ``scheme`` (commercial | personal),
  ``ports``, ``conflicting``, ``since`` (the date the rule took effect) or ``from`` / ``to`` (validity
  window, inclusive).
* steering: ``accepts`` = rhd_only | lhd_only.
* age_limit: ``basis`` (manufacture | registration | model_year | manufacture_following_year |
  unspecified) and either ``max_years`` (optional ``inclusive``, default true; optional
  ``calendar_years``, basis registration only: the year of the basis date must be at least the year of
  the application minus ``max_years``) or ``min_year`` (basis manufacture); optional ``exempt_fuels``.
* restriction: an import restriction the vehicle file cannot decide (no damage field, …) or that
  concerns only some ``fuels``: always shown, as its note, for the vehicles it may concern.

>>> [r.accepts for r in market_rules("KE") if r.kind == "steering"]
['rhd_only']
>>> [r.accepts for r in market_rules("kz") if r.kind == "steering"]
['lhd_only']
>>> market_rules("FR")
()
"""

from __future__ import annotations

import datetime as dt
import functools
import gettext
import re
from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from chuhai import schema
from chuhai.engine.lawfile import LAW_DIR, Checker, load_yaml

MARKETS_FILE = "markets.yaml"
REFERENCES_FILE = "references.yaml"

KINDS = ("steering", "age_limit", "used_import_banned", "restriction")
ACCEPTS = ("rhd_only", "lhd_only")
BASES = ("manufacture", "registration", "model_year", "manufacture_following_year", "unspecified")
SCHEMES = ("commercial", "personal")

_COMMON_REQUIRED = ("id", "kind", "confidence", "sources", "note")
NOTE_LANGUAGES = ("zh", "en", "ru", "ar")
_COMMON_OPTIONAL = (
    "categories",
    "uses",
    "sizes",
    "fuels",
    "scheme",
    "ports",
    "conflicting",
    "since",
    "from",
    "to",
)
_KIND_REQUIRED: dict[str, tuple[str, ...]] = {
    "steering": ("accepts",),
    "age_limit": ("basis",),
    "used_import_banned": (),
    "restriction": (),
}
_KIND_OPTIONAL: dict[str, tuple[str, ...]] = {
    "steering": (),
    "age_limit": ("max_years", "min_year", "inclusive", "calendar_years", "exempt_fuels"),
    "used_import_banned": (),
    "restriction": (),
}
_COUNTRY_RE = re.compile(r"[A-Z]{2}")
_RULE_ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class MarketRule:
    """One import rule of one destination country."""

    id: str
    country: str
    kind: str
    confidence: str
    sources: tuple[str, ...]
    note: Mapping[str, str]  # zh, en, ru, ar
    accepts: str | None = None  # steering
    basis: str | None = None  # age_limit
    max_years: int | None = None
    inclusive: bool = True  # age == max_years still allowed
    min_year: int | None = None
    # max_years counted in calendar years of the basis date (Kenya: first registration in year Y−7 or
    # later), not from the day
    calendar_years: bool = False
    exempt_fuels: tuple[str, ...] = ()
    categories: tuple[str, ...] | None = None  # None: all
    fuels: tuple[str, ...] | None = None  # None: all (Ethiopia's ban concerns combustion engines)
    uses: tuple[str, ...] | None = None
    sizes: tuple[str, ...] | None = None
    scheme: str | None = None
    ports: tuple[str, ...] = ()
    conflicting: bool = False
    since: dt.date | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None

    @property
    def note_zh(self) -> str:
        return self.note["zh"]

    @property
    def note_en(self) -> str:
        return self.note["en"]

    def applies_on(self, day: dt.date) -> bool:
        """Whether the rule is in force on ``day`` (``since`` / ``from`` .. ``to``, inclusive)."""
        start = self.since or self.valid_from
        if start is not None and day < start:
            return False
        return self.valid_to is None or day <= self.valid_to

    def applies_to(
        self,
        category: str | None = None,
        use: str | None = None,
        size: str | None = None,
        fuel: str | None = None,
    ) -> bool:
        """Whether the rule can concern a vehicle with these facts.

        An unknown fact (``None``) never excludes a rule: for advice it is better to warn about a rule
        that may apply than to stay silent.
        """
        for value, allowed in (
            (category, self.categories),
            (use, self.uses),
            (size, self.sizes),
            (fuel, self.fuels),
        ):
            if value is not None and allowed is not None and value not in allowed:
                return False
        return not (fuel is not None and fuel in self.exempt_fuels)


@dataclass(frozen=True)
class Market:
    code: str
    name_en: str
    name_zh: str | None
    rules: tuple[MarketRule, ...]


# Law language → pycountry's ISO 3166 catalogue (None: the English names of the table itself).
_COUNTRY_CATALOGUES = {"zh": "zh_CN", "en": None, "ru": "ru", "ar": "ar"}


@functools.cache
def _country_catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang], fallback=True)


def country_name(code: str, lang: str, market: Market | None = None) -> str:
    """A destination's name in a law language (zh, en, ru, ar).

    The table's own ``name_zh`` / ``name_en`` come first, so Chinese and English messages name the
    country as ``markets.yaml`` does; otherwise pycountry's ISO 3166 catalogues (the same ones the web
    pages use). The code itself if the country is unknown.

    >>> country_name("KZ", "ru"), country_name("KZ", "ar"), country_name("KZ", "zh")
    ('Казахстан', 'كازاخستان', '哈萨克斯坦')
    """
    if market is not None:
        own = {"zh": market.name_zh, "en": market.name_en}.get(lang)
        if own:
            return own
    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return market.name_en if market is not None else code
    catalogue = _COUNTRY_CATALOGUES.get(lang)
    if catalogue is None:
        return market.name_en if market is not None else str(country.name)
    return str(_country_catalogue(catalogue).gettext(country.name))


@dataclass(frozen=True)
class MarketTable:
    path: Path
    markets: Mapping[str, Market]

    def rule(self, rule_id: object) -> MarketRule | None:
        """The rule with this ``id``; ``None`` for an unknown one (e.g. stored by an older law)."""
        for market in self.markets.values():
            for item in market.rules:
                if item.id == rule_id:
                    return item
        return None

    def country_name(self, code: object, lang: str) -> str:
        """The name of a destination in a law language (see :func:`country_name`)."""
        text = str(code or "").strip().upper()
        return country_name(text, lang, self.markets.get(text))

    def rules(self, country_code: object) -> tuple[MarketRule, ...]:
        """The rules of a country (ISO 3166 alpha-2, any case); ``()`` for a country with none or junk."""
        if not isinstance(country_code, str):
            return ()
        market = self.markets.get(country_code.strip().upper())
        return () if market is None else market.rules


def _reference_ids(law_dir: Path) -> frozenset[str]:
    """The ids defined in ``references.yaml``; every ``sources`` id must be one of them."""
    path = law_dir / REFERENCES_FILE
    return frozenset(str(k) for k in Checker(path).mapping(load_yaml(path), "(top level)"))


def load_markets(
    law_dir: Path | None = None, *, path: Path | None = None, references: Container[str] | None = None
) -> MarketTable:
    """Read and validate ``markets.yaml`` of ``law_dir`` (default: the packaged law), or the file
    ``path`` checked against the reference ids ``references`` (how the lawbook reads it)."""
    base = law_dir or LAW_DIR
    path = path or base / MARKETS_FILE
    check = Checker(path)
    known_refs = _reference_ids(base) if references is None else references
    data = check.mapping(load_yaml(path), "(top level)")
    check.keys(data, "(top level)", required={"markets"}, optional=set())
    markets: dict[str, Market] = {}
    seen_ids: set[str] = set()
    for code, raw in check.mapping(data["markets"], "markets").items():
        where = f"markets.{code}"
        if (
            not isinstance(code, str)
            or not _COUNTRY_RE.fullmatch(code)
            or pycountry.countries.get(alpha_2=code) is None
        ):
            raise check.fail(where, f"expected an ISO 3166 alpha-2 country code in capitals, got {code!r}")
        item = check.mapping(raw, where)
        check.keys(item, where, required={"name_en", "rules"}, optional={"name_zh"})
        rules_raw = check.sequence(item["rules"], f"{where}.rules")
        if not rules_raw:
            raise check.fail(f"{where}.rules", "expected at least one rule")
        rules = tuple(
            _rule(check, code, r, f"{where}.rules[{i}]", known_refs) for i, r in enumerate(rules_raw)
        )
        name_zh = item.get("name_zh")
        markets[code] = Market(
            code=code,
            name_en=check.text(item["name_en"], f"{where}.name_en"),
            name_zh=None if name_zh is None else check.text(name_zh, f"{where}.name_zh"),
            rules=rules,
        )
        for i, found in enumerate(rules):
            if found.id in seen_ids:
                raise check.fail(f"{where}.rules[{i}].id", f"duplicate rule id {found.id!r}")
            seen_ids.add(found.id)
    return MarketTable(path=path, markets=markets)


def _rule(check: Checker, country: str, raw: Any, where: str, known_refs: Container[str]) -> MarketRule:
    item = check.mapping(raw, where)
    kind = check.choice(item.get("kind"), f"{where}.kind", KINDS)
    check.keys(
        item,
        where,
        required=_COMMON_REQUIRED + _KIND_REQUIRED[kind],
        optional=_COMMON_OPTIONAL + _KIND_OPTIONAL[kind],
    )
    sources = check.sequence(item["sources"], f"{where}.sources")
    if not sources:
        raise check.fail(f"{where}.sources", "expected at least one source id")
    for j, source in enumerate(sources):
        check.text(source, f"{where}.sources[{j}]")
        if source not in known_refs:
            raise check.fail(
                f"{where}.sources[{j}]", f"unknown reference id {source!r} (not in references.yaml)"
            )
    note = check.mapping(item["note"], f"{where}.note")
    check.keys(note, f"{where}.note", required=NOTE_LANGUAGES, optional=())
    rule_id = item["id"]
    if not isinstance(rule_id, str) or not _RULE_ID_RE.fullmatch(rule_id):
        raise check.fail(f"{where}.id", f"expected lower-case words joined by hyphens, got {rule_id!r}")
    since = _opt_date(check, item, "since", where)
    valid_from = _opt_date(check, item, "from", where)
    valid_to = _opt_date(check, item, "to", where)
    if since is not None and valid_from is not None:
        raise check.fail(f"{where}.since", "give either since or from, not both")
    start = since or valid_from
    if start is not None and valid_to is not None and valid_to < start:
        raise check.fail(f"{where}.to", f"{valid_to} is before the start {start}")
    conflicting = item.get("conflicting", False)
    if not isinstance(conflicting, bool):
        raise check.fail(f"{where}.conflicting", f"expected true or false, got {conflicting!r}")
    ports = tuple(
        check.text(p, f"{where}.ports[{i}]") for i, p in enumerate(_opt_list(check, item, "ports", where))
    )
    scheme = None if item.get("scheme") is None else check.choice(item["scheme"], f"{where}.scheme", SCHEMES)
    rule: dict[str, Any] = {
        "id": rule_id,
        "country": country,
        "kind": kind,
        "confidence": check.confidence(item["confidence"], f"{where}.confidence"),
        "sources": tuple(sources),
        "note": {lang: check.text(note[lang], f"{where}.note.{lang}") for lang in NOTE_LANGUAGES},
        "categories": _opt_choices(
            check, item, "categories", where, schema.COLUMNS["vehicle_category"].values
        ),
        "uses": _opt_choices(check, item, "uses", where, schema.COLUMNS["use_nature"].values),
        "sizes": _opt_choices(check, item, "sizes", where, schema.COLUMNS["size_class"].values),
        "fuels": _opt_choices(check, item, "fuels", where, schema.COLUMNS["fuel"].values),
        "scheme": scheme,
        "ports": ports,
        "conflicting": conflicting,
        "since": since,
        "valid_from": valid_from,
        "valid_to": valid_to,
    }
    if kind == "steering":
        rule["accepts"] = check.choice(item["accepts"], f"{where}.accepts", ACCEPTS)
    elif kind == "age_limit":
        rule.update(_age_limit(check, item, where))
    return MarketRule(**rule)


def _age_limit(check: Checker, item: Mapping[str, Any], where: str) -> dict[str, Any]:
    has_max, has_min = item.get("max_years") is not None, item.get("min_year") is not None
    if has_max == has_min:
        raise check.fail(where, "an age_limit needs exactly one of max_years and min_year")
    out: dict[str, Any] = {"basis": check.choice(item["basis"], f"{where}.basis", BASES)}
    if has_max:
        max_years = check.integer(item["max_years"], f"{where}.max_years")
        if max_years < 0:
            raise check.fail(f"{where}.max_years", f"expected 0 or more, got {max_years}")
        inclusive = item.get("inclusive", True)
        if not isinstance(inclusive, bool):
            raise check.fail(f"{where}.inclusive", f"expected true or false, got {inclusive!r}")
        if not inclusive and max_years == 0:
            raise check.fail(f"{where}.max_years", "an exclusive limit of 0 years admits nothing")
        calendar_years = item.get("calendar_years", False)
        if not isinstance(calendar_years, bool):
            raise check.fail(f"{where}.calendar_years", f"expected true or false, got {calendar_years!r}")
        if calendar_years and out["basis"] != "registration":
            # The message words it "by the year of first registration" (the one source that counts so).
            raise check.fail(f"{where}.calendar_years", "calendar_years is for basis registration only")
        out.update(max_years=max_years, inclusive=inclusive, calendar_years=calendar_years)
    else:
        for key in ("inclusive", "calendar_years"):
            if key in item:
                raise check.fail(f"{where}.{key}", f"{key} applies to max_years only")
        if out["basis"] != "manufacture":
            # The message words it "made before {min_year}".
            raise check.fail(f"{where}.basis", "min_year counts the year of manufacture: basis manufacture")
        min_year = check.integer(item["min_year"], f"{where}.min_year")
        if not 1886 <= min_year <= 2100:
            raise check.fail(f"{where}.min_year", f"expected a calendar year, got {min_year}")
        out["min_year"] = min_year
    out["exempt_fuels"] = (
        _opt_choices(check, item, "exempt_fuels", where, schema.COLUMNS["fuel"].values) or ()
    )
    return out


def _opt_date(check: Checker, item: Mapping[str, Any], key: str, where: str) -> dt.date | None:
    return None if item.get(key) is None else check.date(item[key], f"{where}.{key}")


def _opt_list(check: Checker, item: Mapping[str, Any], key: str, where: str) -> list[Any]:
    if item.get(key) is None:
        return []
    values = check.sequence(item[key], f"{where}.{key}")
    if not values:
        raise check.fail(f"{where}.{key}", "expected a non-empty list (leave the key out for all)")
    return values


def _opt_choices(
    check: Checker, item: Mapping[str, Any], key: str, where: str, allowed: tuple[str, ...]
) -> tuple[str, ...] | None:
    values = _opt_list(check, item, key, where)
    if not values:
        return None
    out = tuple(check.choice(v, f"{where}.{key}[{i}]", allowed) for i, v in enumerate(values))
    if len(set(out)) != len(out):
        raise check.fail(f"{where}.{key}", f"duplicate values in {list(out)}")
    return out


def default_markets() -> MarketTable:
    """The market table of the law in force (:func:`chuhai.lawbook.current`)."""
    from chuhai.lawbook import current

    return current().markets


def market_rules(country_code: str) -> tuple[MarketRule, ...]:
    """The packaged rules of a destination (ISO 3166 alpha-2, any case); ``()`` if none are known.

    >>> [(r.max_years, r.valid_from, r.valid_to) for r in market_rules("PK") if r.scheme == "commercial"]
    [(5, datetime.date(2025, 10, 1), datetime.date(2026, 6, 30))]
    """
    return default_markets().rules(country_code)
