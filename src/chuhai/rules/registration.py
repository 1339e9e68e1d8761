"""Registration-side rules (Ministry of Public Security): "转让待出口", the temporary plate and
deregistration after clearance (2024 No. 6; 648号)."""

from __future__ import annotations

import polars as pl

from chuhai.rules.base import USED, Check, Ctx, DeadlineSpec, fmt_date, rule


@rule("registration.transfer_pending_export_missing")
def transfer_missing(c: Ctx) -> Check:
    return Check(applies=USED, fires=pl.col("transfer_pending_export_date").is_null())


def _plate_expiry(c: Ctx) -> pl.Expr:
    by_law = c.shift(pl.col("temp_plate_issue_date"), "registration.temp_plate_max_days", "d")
    # Valid as long as the compulsory insurance, and at most 60 days (2024 No. 6 via MPS summaries).
    return pl.min_horizontal(by_law, pl.col("insurance_expiry"))


def _plate_deadlines(c: Ctx) -> list[DeadlineSpec]:
    not_cleared = USED & pl.col("customs_clearance_date").is_null()
    return [DeadlineSpec("temp_plate_expiry", pl.when(not_cleared).then(_plate_expiry(c)))]


@rule("registration.temp_plate_expired", deadlines=_plate_deadlines)
def temp_plate_expired(c: Ctx) -> Check:
    expiry = _plate_expiry(c)
    return Check(
        applies=USED
        & pl.col("temp_plate_issue_date").is_not_null()
        & pl.col("customs_clearance_date").is_null(),
        fires=pl.lit(c.as_of) > expiry,
        facts={
            "temp_plate_issue_date": fmt_date(pl.col("temp_plate_issue_date")),
            "max_days": c.param("registration.temp_plate_max_days", pl.Int64),
            "temp_plate_expiry": fmt_date(expiry),
            "insurance_expiry": fmt_date(pl.col("insurance_expiry")),
            "as_of": c.as_of.isoformat(),
        },
    )


def _deregistration_due(c: Ctx) -> pl.Expr:
    # "2 months after clearance": calendar months, clamped to month end (2026-08-31 + 2 = 2026-10-31).
    return c.shift(pl.col("customs_clearance_date"), "registration.deregistration_months", "mo")


def _deregistration_deadlines(c: Ctx) -> list[DeadlineSpec]:
    return [DeadlineSpec("deregistration_due", pl.when(USED).then(_deregistration_due(c)))]


@rule("registration.deregistration_required", deadlines=_deregistration_deadlines)
def deregistration_required(c: Ctx) -> Check:
    due = _deregistration_due(c)
    overdue = pl.lit(c.as_of) > due
    return Check(
        applies=USED,
        fires=pl.col("customs_clearance_date").is_not_null(),
        facts={
            "customs_clearance_date": fmt_date(pl.col("customs_clearance_date")),
            "months": c.param("registration.deregistration_months", pl.Int64),
            "deregistration_due": fmt_date(due),
            "overdue": pl.when(overdue).then(pl.lit("overdue")).otherwise(pl.lit("none")),
            "as_of": c.as_of.isoformat(),
        },
    )
