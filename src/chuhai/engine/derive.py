"""Derived facts shared by several rules, computed once per screening chunk.

Table lookups (commodity code, customs name, scrapping limit) are evaluated by the same pure
Python functions a single lookup uses, once per *distinct* combination of their inputs, and
joined back: a stock file of a million cars has only a few thousand distinct combinations, so the
bulk path is fast without a second, vectorised copy of the tables.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import polars as pl

from chuhai import classification
from chuhai.identifiers.vin import TRANSLITERATION, WEIGHTS
from chuhai.io.parse import DUPLICATE_VIN_ROWS
from chuhai.rules.base import APP_DATE, Ctx

VIN_ALPHABET = r"^[A-HJ-NPR-Z0-9]{17}$"


def map_unique(
    df: pl.DataFrame,
    inputs: Sequence[str],
    fn: Callable[..., dict[str, Any]],
    schema: dict[str, pl.DataType],
) -> pl.DataFrame:
    """Apply ``fn`` once per distinct combination of ``inputs`` and join the results back."""
    subset = df.select(inputs)
    keys = subset.unique()
    rows = [fn(*key) for key in keys.iter_rows()]
    results = pl.DataFrame(rows, schema=schema, orient="row") if rows else pl.DataFrame(schema=schema)
    lookup = pl.concat([keys, results], how="horizontal")
    # Join on the narrow key columns only, then attach the results: the keys are unique, so the
    # left join keeps every row in order and the wide frame is never copied.
    joined = subset.join(lookup, on=list(inputs), how="left", nulls_equal=True, maintain_order="left")
    return df.hstack(joined.select(list(schema)))


_CODEPOINT_VALUES = np.zeros(0x10000, dtype=np.int64)
for _char, _value in TRANSLITERATION.items():
    _CODEPOINT_VALUES[ord(_char)] = _value
_WEIGHT_VECTOR = np.array(WEIGHTS, dtype=np.int64)


def _check_characters(vins: pl.Series) -> pl.Series:
    """GB 16735 Annex A / ISO 3779 check characters of a column of VINs, with numpy.

    Each VIN becomes 17 UCS-4 code points, transliterated by table lookup and weighted by one
    matrix product; :func:`chuhai.identifiers.vin.calc_check_digit` is the reference the tests
    compare it with. Values that are not 17 characters give null.
    """
    codes = vins.fill_null("").to_numpy().astype("U17").view(np.uint32).reshape(-1, 17)
    remainders = (_CODEPOINT_VALUES[np.minimum(codes, 0xFFFF)] @ _WEIGHT_VECTOR) % 11
    characters = np.where(remainders == 10, "X", remainders.astype(str))
    return pl.Series(characters, dtype=pl.String).zip_with(
        vins.str.len_chars() == 17, pl.Series([None], dtype=pl.String)
    )


def _vin_check_sum() -> pl.Expr:
    """The expected check character (position 9) of each VIN, null unless 17 characters long."""
    return pl.col("vin").map_batches(_check_characters, return_dtype=pl.String)


def _vin_columns() -> list[pl.Expr]:
    """VIN format problems and check-digit status; needs ``_vin_expected`` computed first."""
    vin = pl.col("vin")
    expected = pl.col("_vin_expected")
    well_formed = vin.str.contains(VIN_ALPHABET).fill_null(False)
    length = vin.str.len_chars()
    # Variant codes of the phrase {problem} of vin.invalid_format (worded in law/rules.yaml).
    problem = (
        pl.when(vin.is_null())
        .then(pl.lit("missing"))
        .when(length != 17)
        .then(pl.lit("length"))
        .when(vin.str.contains("[IOQ]"))
        .then(pl.lit("forbidden_letters"))
        .when(~well_formed)
        .then(pl.lit("alphabet"))
    )
    first = vin.str.slice(0, 1)
    china = first.is_in(["L", "H"])
    north_america = first.is_in(["1", "2", "3", "4", "5"])
    given = vin.str.slice(8, 1)
    check = (
        pl.when(~well_formed)
        .then(pl.lit(None, dtype=pl.String))
        .when(given == expected)
        .then(pl.lit("valid"))
        .when(china | north_america | given.str.contains("^[0-9X]$"))
        .then(pl.lit("invalid"))
        .otherwise(pl.lit("not_applicable"))
    )
    return [
        problem.alias("_vin_problem"),
        check.alias("_vin_check"),
        china.fill_null(False).alias("_vin_china"),
    ]


def _classify(
    table: classification.CommodityTable,
    category: str | None,
    fuel: str | None,
    displacement: int | None,
    body: str | None,
    seats: int | None,
    condition: str | None,
) -> dict[str, Any]:
    out: dict[str, Any] = {
        "_code": None,
        "_code_status": None,
        "_code_derivation": None,
        "_code_missing": None,
        "_code_reason": None,
    }
    category = category or "passenger"
    missing = []
    if fuel is None:
        missing.append("fuel")
    if category == "passenger":
        if body is None:
            missing.append("body_type")
        if displacement is None and fuel not in (None, "bev"):
            missing.append("displacement_ml")
    if category == "bus" and seats is None:
        missing.append("seats")
    if condition is None and table.depends_on_condition(category, fuel):
        missing.append("condition")  # 870380: 8703801010 used, 8703801090 other
    if missing:
        out["_code_missing"] = ", ".join(missing)
        return out
    entry = table.classify(category, fuel, displacement, body, seats, condition=condition)
    if entry is None:
        out["_code_reason"] = "no_code"  # phrase {reason} of classification.undetermined
        return out
    out["_code"] = entry.code
    out["_code_status"] = entry.status
    out["_code_derivation"] = getattr(entry, "derivation", None) or getattr(entry, "note", None) or ""
    return out


_CODE_SCHEMA: dict[str, pl.DataType] = {
    "_code": pl.String(),
    "_code_status": pl.String(),
    "_code_derivation": pl.String(),
    "_code_missing": pl.String(),
    "_code_reason": pl.String(),
}


def _customs_name(
    patterns: tuple[classification.ProductNamePattern, ...],
    condition: str | None,
    brand: str | None,
    displacement: int | None,
    body: str | None,
    fuel: str | None,
) -> dict[str, Any]:
    if condition != "used" or brand is None:
        return {"_customs_name": None}
    name = classification.customs_product_name(brand, displacement, body, fuel, patterns=patterns)
    return {"_customs_name": name}


# One cache of lookups per law table, by identity: a law read again (a local law directory changed)
# never sees the codes or names of the one before, and the tables are never hashed per lookup.
_LOOKUPS: dict[tuple[str, int], tuple[object, Callable[..., dict[str, Any]]]] = {}


def _cached_lookup(fn: Callable[..., dict[str, Any]], table: object) -> Callable[..., dict[str, Any]]:
    key = (fn.__name__, id(table))
    found = _LOOKUPS.get(key)
    if found is None or found[0] is not table:
        if len(_LOOKUPS) > 16:
            _LOOKUPS.clear()
        found = (table, functools.lru_cache(maxsize=65536)(functools.partial(fn, table)))
        _LOOKUPS[key] = found
    return found[1]


# Order 2012 No. 12 Art. 6 works on the use before and after a change of use (former_use_nature).
NON_OPERATING = "non_operating"


def _scrap_lookup(ctx: Ctx) -> Callable[..., dict[str, Any]]:
    table: list[dict[str, Any]] = list(ctx.value("scrapping.service_life") or [])
    excluded = set(ctx.value("used_car.excluded_categories") or [])

    def matches(row: dict[str, Any], key: str, value: object) -> bool | None:
        wanted = row.get(key, "any")
        if wanted == "any" or wanted is None:
            return True
        if value is None:
            return None  # cannot tell
        if isinstance(wanted, bool):
            return value is wanted
        return value in wanted

    def first_row(
        category: str,
        use: str | None,
        size: str | None,
        body: str | None,
        trailer: str | None,
        cargo: bool | None,
    ) -> tuple[dict[str, Any] | None, list[str]]:
        """The first row accepting the vehicle, or (None, the facts a possible row still needs)."""
        missing: list[str] = []
        for row in table:
            if row.get("category") != category:
                continue
            checks = {
                "use_nature": matches(row, "use", use),
                "size_class": matches(row, "size", size),
                "body_type": matches(row, "body", body),
                "trailer_kind": matches(row, "trailer", trailer),
                "special_cargo_function": matches(row, "cargo_function", cargo),
            }
            if False in checks.values():
                continue
            unknown = [name for name, ok in checks.items() if ok is None]
            if unknown:
                # A row might apply but a fact it needs is not known: never guess the limit.
                missing.extend(n for n in unknown if n not in missing)
                continue
            if missing:
                break
            return row, []
        return None, missing

    @functools.lru_cache(maxsize=4096)
    def lookup(
        category: str | None,
        use: str | None,
        size: str | None,
        body: str | None,
        trailer: str | None,
        cargo: bool | None,
        former: str | None,
    ) -> dict[str, Any]:
        out: dict[str, Any] = {
            "_scrap_state": "undetermined",
            "_scrap_years": None,
            "_scrap_label": None,
            "_scrap_missing": None,
            "_scrap_reason": None,
        }
        category = category or "passenger"
        if category in excluded:
            out["_scrap_state"] = "excluded"
            return out
        row, missing = first_row(category, use, size, body, trailer, cargo)
        if row is not None and former is not None and former != use:
            before = first_row(category, former, size, body, trailer, cargo)
            row, missing, reason = _changed_use(row, before, operating_now=use != NON_OPERATING)
            # (former != use, so at most one of the two is non-operating)
            if reason is not None:
                out["_scrap_reason"] = reason
                return out
        if row is None:
            if missing:
                out["_scrap_state"] = "missing"
                out["_scrap_missing"] = ", ".join(missing)
                return out
            out["_scrap_reason"] = "no_row"  # phrase {reason} of vehicle.scrap_undetermined
            return out
        years = row.get("years")
        out["_scrap_state"] = "unlimited" if years is None else "limited"
        out["_scrap_years"] = years
        out["_scrap_label"] = str(row.get("label") or "")
        return out

    return lookup


def _changed_use(
    now: dict[str, Any], before: tuple[dict[str, Any] | None, list[str]], *, operating_now: bool
) -> tuple[dict[str, Any] | None, list[str], str | None]:
    """Order 2012 No. 12 Art. 6 on a change of use: the row that governs, the facts still missing, or
    the phrase code of why the limit cannot be determined.

    Operating ↔ non-operating: scrapped under the operating rules, except that small/mini non-operating
    cars and large non-operating sedans (the rows without a limit) converted to operating use count
    cumulative years by the Annex 1 formula, whose text was not found. Between operating uses (dangerous
    goods included), the stricter limit applies.
    """
    former_row, missing = before
    if former_row is None:
        return None, missing, None if missing else "no_row"
    operating_before = former_row.get("use") != [NON_OPERATING]
    label = f"{former_row.get('label')}→{now.get('label')}"
    if not operating_now:  # 营转非: the former operating limit
        return {**former_row, "label": label}, [], None
    if not operating_before:  # 非转营
        if former_row.get("years") is None:
            return None, [], "annex1_formula"
        return {**now, "label": label}, [], None
    years = [y for y in (now.get("years"), former_row.get("years")) if y is not None]
    stricter = now if now.get("years") == min(years, default=None) else former_row
    return {**stricter, "label": label}, [], None


_SCRAP_SCHEMA: dict[str, pl.DataType] = {
    "_scrap_state": pl.String(),
    "_scrap_years": pl.Int64(),
    "_scrap_label": pl.String(),
    "_scrap_missing": pl.String(),
    "_scrap_reason": pl.String(),
}


def check_character(vin: str | None) -> str | None:
    """:func:`_check_characters` for one VIN (the one-vehicle path), with the same tables."""
    if vin is None or len(vin) != 17:
        return None
    total = sum(
        int(_CODEPOINT_VALUES[min(ord(char), 0xFFFF)]) * weight
        for char, weight in zip(vin, WEIGHTS, strict=True)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def app_date_expr(ctx: Ctx) -> pl.Expr:
    """The licence application date each rule counts to: stated, else the as-of date."""
    return pl.col("licence_application_date").fill_null(pl.lit(ctx.as_of)).alias(APP_DATE)


def vin_columns() -> list[pl.Expr]:
    """VIN format problems and check-digit status; needs ``_vin_expected``."""
    return _vin_columns()


def lookups(ctx: Ctx) -> list[tuple[list[str], Callable[..., dict[str, Any]], dict[str, pl.DataType]]]:
    """The table lookups (inputs, function, result columns), applied in this order."""
    return [
        (
            ["vehicle_category", "fuel", "displacement_ml", "body_type", "seats", "condition"],
            _cached_lookup(_classify, ctx.law.commodity),
            _CODE_SCHEMA,
        ),
        (
            ["condition", "brand", "displacement_ml", "body_type", "fuel"],
            _cached_lookup(_customs_name, ctx.law.product_names),
            {"_customs_name": pl.String()},
        ),
        (
            [
                "vehicle_category",
                "use_nature",
                "size_class",
                "body_type",
                "trailer_kind",
                "special_cargo_function",
                "former_use_nature",
            ],
            _scrap_lookup(ctx),
            _SCRAP_SCHEMA,
        ),
    ]


def scrap_date_columns(ctx: Ctx) -> list[pl.Expr]:
    """The scrapping start, limit and export cut-off dates (after the lookups)."""
    late_years = ctx.param("scrapping.late_registration_years", pl.Int64)
    ban_years = ctx.param("scrapping.export_ban_years_before_limit", pl.Int64)
    registered = pl.col("registration_date")
    factory = pl.col("factory_date")
    # Order 2012 No. 12: service life counts from registration, or from the factory date when the
    # vehicle was registered more than 2 years after leaving the factory.
    late = factory.is_not_null() & (registered > factory.dt.offset_by(pl.format("{}y", late_years)))
    start = pl.when(late).then(factory).otherwise(registered)
    limit = start.dt.offset_by(pl.format("{}y", pl.col("_scrap_years")))
    return [
        pl.when(late)
        .then(pl.lit("factory date"))
        .otherwise(pl.lit("registration date"))
        .alias("_scrap_basis"),
        start.alias("_scrap_start"),
        limit.alias("_scrap_limit"),
        limit.dt.offset_by(pl.format("-{}y", ban_years)).alias("_scrap_cutoff"),
    ]


def derive(df: pl.DataFrame, ctx: Ctx) -> pl.DataFrame:
    """Add the derived ``_…`` columns the rules read (:mod:`chuhai.engine.fast` derives one row
    from the same expressions and lookups)."""
    if DUPLICATE_VIN_ROWS not in df.columns:  # a frame not made by chuhai.io.parse: no repeats known
        df = df.with_columns(pl.lit(None, dtype=pl.String).alias(DUPLICATE_VIN_ROWS))
    df = df.with_columns(app_date_expr(ctx), _vin_check_sum().alias("_vin_expected")).with_columns(
        vin_columns()
    )
    for inputs, fn, schema in lookups(ctx):
        df = map_unique(df, inputs, fn, schema)
    return df.with_columns(scrap_date_columns(ctx))
