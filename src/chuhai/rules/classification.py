"""Commodity-code rules: the code comes from ``law/commodity_codes.yaml`` through
:func:`chuhai.classification.classify` (applied once per distinct combination of facts by
:mod:`chuhai.engine.derive`), so the engine and single lookups share one table."""

from __future__ import annotations

import polars as pl

from chuhai.rules.base import Check, Ctx, rule


@rule("classification.unverified_code")
def unverified_code(c: Ctx) -> Check:
    return Check(
        fires=pl.col("_code_status") == "inferred",
        facts={"commodity_code": pl.col("_code"), "derivation": pl.col("_code_derivation")},
    )


@rule("classification.undetermined")
def undetermined(c: Ctx) -> Check:
    return Check(
        applies=pl.col("_scrap_state") != "excluded",
        missing=pl.col("_code_missing"),
        fires=pl.col("_code").is_null(),
        facts={
            "category": pl.col("vehicle_category"),
            "fuel": pl.col("fuel"),
            "displacement_ml": pl.col("displacement_ml"),
            "body_type": pl.col("body_type"),
            "reason": pl.col("_code_reason"),
        },
    )
