"""Destination-market advice (reference-data.md §4): steering side, used-import age limits and
bans. They never block the Chinese licence; each finding carries its own source and confidence
from ``law/markets.yaml``.

The facts are language-neutral codes: ``destination`` (ISO 3166), ``market_rule`` (the rule's id in
``markets.yaml``, whose note the message quotes) and the variant codes of the phrases ``note``,
``accepts`` and ``basis`` worded in ``law/rules.yaml``; :mod:`chuhai.engine.messages` turns them into
words in any of the law's languages."""

from __future__ import annotations

import datetime as dt

import polars as pl

from chuhai import markets
from chuhai.rules.base import USED, Check, Ctx, fmt_date, rule
from chuhai.text import STEERING_ZH

# The steering side a destination refuses, by what it accepts.
_REFUSED = {"rhd_only": "lhd", "lhd_only": "rhd"}

# Where each age-limit basis counts from, and the column that date comes from.
_BASIS_COLUMN = {
    "manufacture": "factory_date",
    "registration": "registration_date",
    "manufacture_following_year": "factory_date",
    "unspecified": "factory_date",  # the source does not say: the factory date, as the phrase tells
}


def _applies(rule: markets.MarketRule, code: str, app: pl.Expr) -> pl.Expr:
    cond = pl.col("destination") == code
    start: dt.date | None = rule.since or rule.valid_from
    if start is not None:
        cond = cond & (app >= pl.lit(start))
    if rule.valid_to is not None:
        cond = cond & (app <= pl.lit(rule.valid_to))
    # An unknown fact never excludes a rule: for advice, better to warn than to stay silent.
    for column, allowed in (
        ("vehicle_category", rule.categories),
        ("use_nature", rule.uses),
        ("size_class", rule.sizes),
        ("fuel", rule.fuels),
    ):
        if allowed is not None:
            cond = cond & (pl.col(column).is_null() | pl.col(column).is_in(list(allowed)))
    if rule.exempt_fuels:
        cond = cond & ~pl.col("fuel").is_in(list(rule.exempt_fuels)).fill_null(False)
    return cond


def _markets(c: Ctx) -> list[tuple[str, markets.Market]]:
    return sorted(c.law.markets.markets.items())


def _commercial(item: markets.MarketRule) -> bool:
    # Exporters ship commercially: rules of a personal-import scheme (gifts, baggage, transfer of
    # residence, e.g. Pakistan's) do not concern their buyers.
    return item.scheme != "personal"


def _common_facts(market: markets.Market, item: markets.MarketRule) -> dict[str, pl.Expr | str | int | None]:
    """Constants of every market finding: the country, the rule (for its note) and the note's form."""
    return {
        "destination": market.code,
        "market_rule": item.id,
        "note": "conflicting" if item.conflicting else "plain",
    }


@rule("market.steering_side")
def steering_side(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets(c):
        for item in market.rules:
            if item.kind != "steering" or item.accepts not in _REFUSED:
                continue
            checks.append(
                Check(
                    applies=_applies(item, code, c.app_date),
                    fires=pl.col("steering") == _REFUSED[item.accepts],
                    facts={
                        **_common_facts(market, item),
                        "accepts": item.accepts,
                        "steering": pl.col("steering"),
                        "steering_zh": pl.col("steering").replace_strict(
                            STEERING_ZH, default=pl.col("steering")
                        ),
                    },
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks


def _basis_date(basis: str | None) -> pl.Expr | None:
    """The date the destination counts age from; None if the vehicle file cannot tell (model year)."""
    if basis not in _BASIS_COLUMN:
        return None
    start = pl.col(_BASIS_COLUMN[basis])
    if basis == "manufacture_following_year":
        return pl.date(start.dt.year() + 1, 1, 1)
    return start


@rule("market.age_limit")
def age_limit(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets(c):
        for item in market.rules:
            if item.kind != "age_limit" or not _commercial(item):
                continue
            start = _basis_date(item.basis)
            if start is None or item.basis is None:
                continue
            column = _BASIS_COLUMN[item.basis]
            basis: str = item.basis  # the phrase {basis} of the message
            if item.max_years is not None and item.calendar_years:
                # KEBS (KS 1515:2000 cl. 2.5): the year of first registration must be Y − max_years or
                # later, Y being the year of arrival (the application date stands in for it).
                fires = start.dt.year() < c.app_date.dt.year() - item.max_years
                max_years: int | str = item.max_years
                basis = "registration_year"
            elif item.max_years is not None:
                limit = start.dt.offset_by(f"{item.max_years}y")
                # "inclusive": a car exactly max_years old is still accepted.
                fires = (limit < c.app_date) if item.inclusive else (limit <= c.app_date)
                max_years = item.max_years
            elif item.min_year is not None:
                fires = start.dt.year() < item.min_year
                max_years = f"{c.as_of.year - item.min_year}"
                basis = "made_before"
            else:
                continue
            age_days = (c.app_date - start).dt.total_days()
            checks.append(
                Check(
                    applies=_applies(item, code, c.app_date),
                    requires=(column,),
                    fires=fires,
                    facts={
                        **_common_facts(market, item),
                        "max_years": max_years,
                        "basis": basis,
                        "min_year": item.min_year,
                        "basis_date": fmt_date(start),
                        "age_years": (age_days / 365.25).floor().cast(pl.Int64),
                    },
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks


@rule("market.import_restriction")
def import_restriction(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets(c):
        for item in market.rules:
            if item.kind != "restriction" or not _commercial(item):
                continue
            checks.append(
                Check(
                    applies=_applies(item, code, c.app_date),
                    fires=pl.lit(True),
                    facts=_common_facts(market, item),
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks


@rule("market.used_import_banned")
def used_import_banned(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets(c):
        for item in market.rules:
            if item.kind != "used_import_banned":
                continue
            checks.append(
                Check(
                    applies=USED & _applies(item, code, c.app_date),
                    fires=pl.lit(True),
                    facts=_common_facts(market, item),
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks
