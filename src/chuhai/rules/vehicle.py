"""Rules about the vehicle itself: the used-car definition, the ten prohibitions of 2024 No. 6 §六,
the mandatory scrapping limits (Order 2012 No. 12) and the 180-day after-sales rule (648号)."""

from __future__ import annotations

import datetime as dt

import polars as pl

from chuhai.rules.base import USED, Check, Ctx, DeadlineSpec, fmt_date, is_true, rule
from chuhai.text import CATEGORY_ZH, ENCUMBRANCE_ZH


@rule("scope.not_a_used_car")
def not_a_used_car(c: Ctx) -> Check:
    excluded = list(c.value("used_car.excluded_categories") or [])
    return Check(
        applies=USED,
        fires=pl.col("vehicle_category").is_in(excluded),
        facts={
            "category": pl.col("vehicle_category"),
            "category_zh": pl.col("vehicle_category").replace_strict(
                CATEGORY_ZH, default=pl.col("vehicle_category")
            ),
        },
    )


def _scrap_facts() -> dict[str, pl.Expr | str | int | None]:
    return {
        "use_label": pl.col("_scrap_label"),
        "service_life_years": pl.col("_scrap_years"),
        "start_basis": pl.col("_scrap_basis"),  # phrase code: "factory date" or "registration date"
        "start_date": fmt_date(pl.col("_scrap_start")),
        "limit_date": fmt_date(pl.col("_scrap_limit")),
    }


@rule("vehicle.scrap_reached")
def scrap_reached(c: Ctx) -> Check:
    return Check(
        applies=USED & (pl.col("_scrap_state") != "excluded"),
        requires=("registration_date",),
        missing=pl.col("_scrap_missing"),
        fires=pl.col("_scrap_limit") <= c.app_date,
        facts=_scrap_facts(),
    )


def _scrap_deadlines(c: Ctx) -> list[DeadlineSpec]:
    return [DeadlineSpec("scrap_export_cutoff", pl.when(USED).then(pl.col("_scrap_cutoff")))]


@rule("vehicle.scrap_within_1y", deadlines=_scrap_deadlines)
def scrap_within_1y(c: Ctx) -> Check:
    # 2024 No. 6 §六 item 1: "距强制报废年限1年以内（含1年）" — from the cut-off day on, no export.
    return Check(
        applies=USED & (pl.col("_scrap_state") != "excluded"),
        requires=("registration_date",),
        missing=pl.col("_scrap_missing"),
        fires=(pl.col("_scrap_cutoff") <= c.app_date) & (pl.col("_scrap_limit") > c.app_date),
        facts={
            **_scrap_facts(),
            "cutoff_date": fmt_date(pl.col("_scrap_cutoff")),
            "ban_years": c.param("scrapping.export_ban_years_before_limit", pl.Int64),
            "licence_application_date": fmt_date(c.app_date),
        },
    )


@rule("vehicle.scrap_undetermined")
def scrap_undetermined(c: Ctx) -> Check:
    return Check(
        applies=USED & (pl.col("_scrap_state") != "excluded") & pl.col("_scrap_missing").is_null(),
        fires=pl.col("_scrap_state") == "undetermined",
        facts={
            "category": pl.col("vehicle_category"),
            "category_zh": pl.col("vehicle_category").replace_strict(
                CATEGORY_ZH, default=pl.col("vehicle_category")
            ),
            "use_nature": pl.col("use_nature"),
            "size_class": pl.col("size_class"),
            "reason": pl.col("_scrap_reason"),
        },
    )


# Order 2012 No. 12 Art. 4 (2)–(4): besides age, a vehicle must be scrapped when it still fails the
# safety-technical, emission or noise standards for vehicles in use after repair, or has had no
# inspection mark for 3 consecutive inspection cycles after its inspection lapsed. The vehicle file
# or the case states these facts; the third-party export test (WM/T 8-2022) does not establish them.
_FAILED = pl.col("failed_standards_after_repair")
_LAPSED = pl.col("inspection_lapsed_3_cycles")
_IN_SCOPE = USED & (pl.col("_scrap_state") != "excluded")


@rule("vehicle.scrap_condition_met")
def scrap_condition_met(c: Ctx) -> Check:
    return Check(
        applies=_IN_SCOPE,
        fires=is_true(_FAILED) | is_true(_LAPSED),
        facts={
            # phrase code of the message's {condition}
            "condition": pl.when(is_true(_FAILED) & is_true(_LAPSED))
            .then(pl.lit("both"))
            .when(is_true(_FAILED))
            .then(pl.lit("failed_standards"))
            .otherwise(pl.lit("inspection_lapsed")),
        },
    )


@rule("vehicle.scrap_condition_unstated")
def scrap_condition_unstated(c: Ctx) -> Check:
    # Not known is never "no": a vehicle for which neither fact is stated false gets this advice.
    stated_true = is_true(_FAILED) | is_true(_LAPSED)
    return Check(
        applies=_IN_SCOPE & ~stated_true,
        fires=_FAILED.is_null() | _LAPSED.is_null(),
        facts={
            "unstated": pl.concat_str(
                pl.when(_FAILED.is_null()).then(pl.lit("failed_standards_after_repair")),
                pl.when(_LAPSED.is_null()).then(pl.lit("inspection_lapsed_3_cycles")),
                separator=", ",
                ignore_nulls=True,
            ),
        },
    )


@rule("vehicle.encumbered")
def encumbered(c: Ctx) -> Check:
    enc = pl.col("encumbrance")
    # An unknown encumbrance is input.unverified (chuhai.rules.statements), never "none".
    return Check(
        applies=USED,
        fires=enc.is_in(["mortgage", "pledge", "customs_supervision"]),
        facts={"encumbrance": enc, "encumbrance_zh": enc.replace_strict(ENCUMBRANCE_ZH, default=enc)},
    )


# A prohibition fires where the file states it; an empty cell is neither "yes" nor "no" but
# input.unverified (chuhai.rules.statements), unless the exporter attested the fact for the file.
def _flag(column: str) -> Check:
    return Check(applies=USED, fires=is_true(pl.col(column)))


def _not_flag(column: str) -> Check:
    return Check(applies=USED, fires=pl.col(column) == pl.lit(False))


@rule("vehicle.seized")
def seized(c: Ctx) -> Check:
    return _flag("seized")


@rule("vehicle.crime_proceeds")
def crime_proceeds(c: Ctx) -> Check:
    return _flag("crime_proceeds")


@rule("vehicle.smuggled_or_assembled")
def smuggled(c: Ctx) -> Check:
    return _flag("smuggled_or_assembled")


@rule("vehicle.violations_unresolved")
def violations(c: Ctx) -> Check:
    return _flag("unresolved_violations")


@rule("vehicle.modified_unproven")
def modified(c: Ctx) -> Check:
    return _flag("modified_unproven")


@rule("vehicle.registration_mismatch")
def registration_mismatch(c: Ctx) -> Check:
    return _not_flag("registration_matches")


@rule("vehicle.documents_incomplete")
def documents_incomplete(c: Ctx) -> Check:
    return _not_flag("documents_complete")


def _test_standard() -> pl.Expr:
    # WM/T 8-2022 covers used passenger cars, WM/T 9-2022 commercial vehicles and trailers.
    return (
        pl.when(pl.col("vehicle_category") == "passenger")
        .then(pl.lit("WM/T 8-2022"))
        .otherwise(pl.lit("WM/T 9-2022"))
    )


@rule("vehicle.test_failed")
def test_failed(c: Ctx) -> Check:
    return Check(
        applies=USED,
        requires=("test_result",),
        fires=pl.col("test_result") == "fail",
        facts={"test_standard": _test_standard()},
    )


@rule("vehicle.test_report_missing")
def test_report_missing(c: Ctx) -> Check:
    return Check(
        applies=USED,
        requires=("test_result",),
        fires=pl.col("test_result") == "missing",
        facts={"test_standard": _test_standard()},
    )


def _window_end(c: Ctx) -> pl.Expr:
    return c.shift(pl.col("registration_date"), "aftersales.window_days", "d")


def _aftersales_deadlines(c: Ctx) -> list[DeadlineSpec]:
    # Only while it matters: a window that closed before the licence application needs no letter.
    end = _window_end(c)
    return [DeadlineSpec("aftersales_window_end", pl.when(USED & (end >= c.app_date)).then(end))]


@rule("vehicle.aftersales_confirmation_required", deadlines=_aftersales_deadlines)
def aftersales(c: Ctx) -> Check:
    window = c.param("aftersales.window_days", pl.Int64)
    days = (c.app_date - pl.col("registration_date")).dt.total_days()
    # 648号 applies from the rule's first day in force; earlier transfer registrations are in transition.
    start = c.law.rule("vehicle.aftersales_confirmation_required").in_force_from or dt.date.min
    early = pl.col("transfer_pending_export_date") < pl.lit(start)
    return Check(
        applies=USED,
        requires=("registration_date",),
        # 648号 一(一): "不满180天(含180天)", counted to the licence application date (guideline 2025-12-11).
        fires=(days >= 0) & (days <= window) & ~is_true(pl.col("aftersales_confirmation")),
        facts={
            "registration_date": fmt_date(pl.col("registration_date")),
            "licence_application_date": fmt_date(c.app_date),
            "days_since_registration": days,
            "window_days": window,
            "window_end": fmt_date(_window_end(c)),
            "manufacturer": pl.col("manufacturer").fill_null("（制造厂未填）"),
            # Phrase {transition} of the message (law/rules.yaml): transfer-registered before 648号.
            "transition": pl.when(early).then(pl.lit("registered_before_2026")).otherwise(pl.lit("none")),
            "in_force_from": start.isoformat(),
        },
    )
