"""VIN rules (GB 16735-2004/2019 Annex A; 49 CFR 565).

The derived columns ``_vin_problem_zh``/``_vin_problem_en``, ``_vin_check`` and ``_vin_expected``
come from :mod:`chuhai.engine.derive`, which computes the check digit column-wise with the same
algorithm as :func:`chuhai.identifiers.vin.calc_check_digit` (the tests compare the two).
"""

from __future__ import annotations

import polars as pl

from chuhai.rules.base import Check, Ctx, rule


@rule("vin.invalid_format")
def invalid_format(c: Ctx) -> Check:
    return Check(
        fires=pl.col("_vin_problem_zh").is_not_null(),
        facts={
            "vin": pl.col("vin").fill_null(""),
            "problem_zh": pl.col("_vin_problem_zh"),
            "problem_en": pl.col("_vin_problem_en"),
        },
    )


@rule("vin.check_digit")
def check_digit(c: Ctx) -> Check:
    china = pl.col("_vin_china")
    return Check(
        fires=pl.col("_vin_check") == "invalid",
        # GB 16735 makes the check digit mandatory for China-built vehicles (WMI L…/H…); elsewhere
        # the maker may not use one, so a mismatch is only advice (rule-catalog.md).
        severity=pl.when(china).then(pl.lit("block")).otherwise(pl.lit("advice")),
        facts={
            "vin": pl.col("vin"),
            "check_char": pl.col("vin").str.slice(8, 1),
            "expected_char": pl.col("_vin_expected"),
            "region_zh": pl.when(china)
            .then(pl.lit("中国制造车辆，校验位为强制要求"))
            .otherwise(pl.lit("非中国制造车辆，制造商可能不使用校验位，仅作提示")),
            "region_en": pl.when(china)
            .then(pl.lit("China-built: the check digit is mandatory"))
            .otherwise(pl.lit("not China-built: the maker may not use a check digit, advice only")),
        },
    )
