"""Rules about the exporting enterprise (2024 No. 6; 申办指南 2025; 商产发〔2012〕318号; 2025 No. 54)."""

from __future__ import annotations

import polars as pl

from chuhai.rules.base import NEW, USED, Check, Ctx, fmt_date, rule
from chuhai.text import KIND_ZH, normalise_name, normalise_name_expr

FILED_KINDS = ("manufacturer", "authorised_exporter", "circulation")


def _filing_expiry(c: Ctx) -> pl.Expr:
    approved = c.exporter.filing_approved_on
    if approved is None:
        return pl.lit(None, dtype=pl.Date)
    # Valid 1 year from approval (申办指南 2025, secondary): read as "lapses on the anniversary".
    return c.shift(pl.lit(approved), "exporter.filing_validity_years", "y")


def _names(c: Ctx) -> dict[str, pl.Expr | str | int | None]:
    return {
        "exporter_name": c.exporter.name,
        "exporter_kind": c.exporter.kind,
        "exporter_kind_zh": KIND_ZH.get(c.exporter.kind, c.exporter.kind),
    }


@rule("exporter.not_filed")
def not_filed(c: Ctx) -> Check:
    approved = c.exporter.filing_approved_on
    filed = pl.lit(False) if approved is None else c.app_date >= pl.lit(approved)
    return Check(
        applies=USED & pl.lit(c.exporter.kind in FILED_KINDS),
        fires=~filed,
        facts={**_names(c), "licence_application_date": fmt_date(c.app_date)},
    )


@rule("exporter.project_documents_missing")
def project_documents(c: Ctx) -> Check:
    return Check(
        applies=USED & pl.lit(c.exporter.kind == "project_contractor"),
        fires=pl.lit(not c.exporter.project_documents),
    )


@rule("exporter.filing_expired")
def filing_expired(c: Ctx) -> Check:
    approved = c.exporter.filing_approved_on
    expiry = _filing_expiry(c)
    started = pl.lit(False) if approved is None else c.app_date >= pl.lit(approved)
    return Check(
        applies=USED & pl.lit(c.exporter.kind in FILED_KINDS),
        fires=started & (c.app_date >= expiry),
        facts={
            "approved_on": None if approved is None else approved.isoformat(),
            "validity_years": c.param("exporter.filing_validity_years", pl.Int64),
            "filing_expiry": fmt_date(expiry),
            "licence_application_date": fmt_date(c.app_date),
        },
    )


@rule("exporter.own_products_only")
def own_products_only(c: Ctx) -> Check:
    return Check(
        applies=USED & pl.lit(c.exporter.kind == "manufacturer"),
        requires=("manufacturer",),
        fires=normalise_name_expr(pl.col("manufacturer")) != pl.lit(normalise_name(c.exporter.name)),
        facts={**_names(c), "manufacturer": pl.col("manufacturer")},
    )


@rule("exporter.not_registered_owner")
def not_registered_owner(c: Ctx) -> Check:
    # "谁出口谁申领": the certificate owner must be the exporting enterprise itself (申办指南 2025).
    return Check(
        applies=USED,
        requires=("owner_name",),
        fires=normalise_name_expr(pl.col("owner_name")) != pl.lit(normalise_name(c.exporter.name)),
        facts={**_names(c), "owner_name": pl.col("owner_name")},
    )


@rule("exporter.new_vehicle_not_authorised")
def new_vehicle_not_authorised(c: Ctx) -> Check:
    maker = normalise_name_expr(pl.col("manufacturer"))
    own = pl.lit(c.exporter.kind == "manufacturer") & (maker == pl.lit(normalise_name(c.exporter.name)))
    authorised = maker.is_in([normalise_name(n) for n in c.exporter.authorised_by])
    # 商产发〔2012〕318号 put new car products under manufacturer authorisation; 2025 No. 54 extends the
    # licence to pure-electric passenger cars with a VIN (8703801090) from 2026-01-01.
    bev_code = c.param("bev.licensed_code", pl.String)
    covered = (
        pl.when(pl.col("fuel") == "bev")
        .then(pl.col("_code") == bev_code)
        .otherwise(c.param("new_vehicle.authorisation_from", pl.Boolean).fill_null(False))
    )
    return Check(
        applies=NEW,
        requires=("manufacturer", "fuel"),
        fires=covered.fill_null(False) & ~own & ~authorised,
        facts={**_names(c), "manufacturer": pl.col("manufacturer"), "commodity_code": pl.col("_code")},
    )
