"""VIN rules (GB 16735-2004/2019 Annex A; 49 CFR 565).

The derived columns ``_vin_problem`` (the variant code of the message's phrase ``{problem}``),
``_vin_check`` and ``_vin_expected`` come from :mod:`chuhai.engine.derive`, which computes the
check digit column-wise with the same algorithm as :func:`chuhai.identifiers.vin.calc_check_digit`
(the tests compare the two).
"""

from __future__ import annotations

import polars as pl

from chuhai.io.parse import DUPLICATE_VIN_ROWS
from chuhai.rules.base import Check, Ctx, rule


@rule("vin.invalid_format")
def invalid_format(c: Ctx) -> Check:
    return Check(
        fires=pl.col("_vin_problem").is_not_null(),
        facts={
            "vin": pl.col("vin").fill_null(""),
            "problem": pl.col("_vin_problem"),
            "length": pl.col("vin").str.len_chars(),
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
            "region": pl.when(china).then(pl.lit("china")).otherwise(pl.lit("other")),
        },
    )


@rule("input.duplicate_vin")
def duplicate_vin(c: Ctx) -> Check:
    # The rows of a repeated VIN are a fact about the whole file (chuhai.io.parse.DUPLICATE_VIN_ROWS),
    # so every row of the repeat is blocked however the file is cut into screening chunks.
    rows = pl.col(DUPLICATE_VIN_ROWS)
    return Check(fires=rows.is_not_null(), facts={"vin": pl.col("vin"), "rows": rows})
