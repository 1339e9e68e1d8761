"""Destination-market advice (reference-data.md §4): steering side, used-import age limits and
bans. They never block the Chinese licence; each finding carries its own source and confidence
from ``law/markets.yaml``."""

from __future__ import annotations

import datetime as dt
import gettext

import polars as pl
import pycountry

from chuhai import markets
from chuhai.rules.base import USED, Check, Ctx, fmt_date, rule
from chuhai.text import STEERING_ZH

_ACCEPTS = {
    "rhd_only": ("只接受右舵车", "accepts right-hand drive only", "lhd"),
    "lhd_only": ("禁止右舵车", "bans right-hand drive", "rhd"),
}


def _country_names(market: markets.Market) -> tuple[str, str]:
    if market.name_zh:
        return market.name_zh, market.name_en
    country = pycountry.countries.get(alpha_2=market.code)
    if country is None:
        return market.code, market.name_en
    try:
        zh = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
        return zh.gettext(country.name), market.name_en
    except OSError:
        return market.name_en, market.name_en


def _note(rule: markets.MarketRule) -> tuple[str, str]:
    zh = rule.note_zh + ("；各来源说法不一" if rule.conflicting else "")
    en = rule.note_en + ("; the sources conflict" if rule.conflicting else "")
    return (f"（{zh}）" if zh else ""), (f" ({en})" if en else "")


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
    ):
        if allowed is not None:
            cond = cond & (pl.col(column).is_null() | pl.col(column).is_in(list(allowed)))
    if rule.exempt_fuels:
        cond = cond & ~pl.col("fuel").is_in(list(rule.exempt_fuels)).fill_null(False)
    return cond


def _markets() -> list[tuple[str, markets.Market]]:
    return sorted(markets.default_markets().markets.items())


def _commercial(item: markets.MarketRule) -> bool:
    # Exporters ship commercially: rules of a personal-import scheme (gifts, baggage, transfer of
    # residence, e.g. Pakistan's) do not concern their buyers.
    return item.scheme != "personal"


def _country_facts(market: markets.Market) -> dict[str, pl.Expr | str | int | None]:
    zh, en = _country_names(market)
    return {"destination": market.code, "destination_zh": zh, "destination_en": en}


@rule("market.steering_side")
def steering_side(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets():
        for item in market.rules:
            if item.kind != "steering" or item.accepts not in _ACCEPTS:
                continue
            zh, en, refused = _ACCEPTS[item.accepts]
            note_zh, note_en = _note(item)
            checks.append(
                Check(
                    applies=_applies(item, code, c.app_date),
                    fires=pl.col("steering") == refused,
                    facts={
                        **_country_facts(market),
                        "accepts_zh": zh,
                        "accepts_en": en,
                        "steering": pl.col("steering"),
                        "steering_zh": pl.col("steering").replace_strict(
                            STEERING_ZH, default=pl.col("steering")
                        ),
                        "note_zh": note_zh,
                        "note_en": note_en,
                    },
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks


def _basis(item: markets.MarketRule) -> tuple[pl.Expr, str, str, str] | None:
    """The date the destination counts age from, with its labels; None if the file cannot tell."""
    factory = pl.col("factory_date")
    if item.basis == "manufacture":
        return factory, "factory_date", "出厂日期", "the factory date"
    if item.basis == "registration":
        return pl.col("registration_date"), "registration_date", "注册登记日期", "the registration date"
    if item.basis == "manufacture_following_year":
        following = pl.date(factory.dt.year() + 1, 1, 1)
        return following, "factory_date", "出厂次年 1 月 1 日", "1 January after the year of manufacture"
    if item.basis == "unspecified":
        return (
            factory,
            "factory_date",
            "出厂日期（来源未说明起算点）",
            "the factory date (the source does not say)",
        )
    return None  # model year: not in the vehicle file


@rule("market.age_limit")
def age_limit(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets():
        for item in market.rules:
            if item.kind != "age_limit" or not _commercial(item):
                continue
            basis = _basis(item)
            if basis is None:
                continue
            start, column, basis_zh, basis_en = basis
            if item.max_years is not None:
                limit = start.dt.offset_by(f"{item.max_years}y")
                # "inclusive": a car exactly max_years old is still accepted.
                fires = (limit < c.app_date) if item.inclusive else (limit <= c.app_date)
                max_years: int | str = item.max_years
            elif item.min_year is not None:
                fires = pl.col("factory_date").dt.year() < item.min_year
                max_years = f"{c.as_of.year - item.min_year}"
                basis_zh, basis_en = f"{item.min_year} 年以前制造即禁止", f"made before {item.min_year}"
            else:
                continue
            note_zh, note_en = _note(item)
            age_days = (c.app_date - start).dt.total_days()
            checks.append(
                Check(
                    applies=_applies(item, code, c.app_date),
                    requires=(column,),
                    fires=fires,
                    facts={
                        **_country_facts(market),
                        "max_years": max_years,
                        "basis": basis_en,
                        "basis_zh": basis_zh,
                        "basis_date": fmt_date(start),
                        "age_years": (age_days / 365.25).floor().cast(pl.Int64),
                        "note_zh": note_zh,
                        "note_en": note_en,
                    },
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks


@rule("market.used_import_banned")
def used_import_banned(c: Ctx) -> list[Check]:
    checks = []
    for code, market in _markets():
        for item in market.rules:
            if item.kind != "used_import_banned":
                continue
            note_zh, note_en = _note(item)
            checks.append(
                Check(
                    applies=USED & _applies(item, code, c.app_date),
                    fires=pl.lit(True),
                    facts={**_country_facts(market), "note_zh": note_zh, "note_en": note_en},
                    references=tuple(item.sources),
                    confidence=item.confidence,
                    ignore_in_force=True,
                )
            )
    return checks
