"""How a rule is written.

A rule is a small pure function over *columns*: it receives a :class:`Ctx` whose ``col`` gives
polars expressions for the vehicle's typed facts and whose ``param`` gives the law's dated
parameter values as of each vehicle's licence application date, and returns one or more
:class:`Check` objects: a boolean expression saying where the rule fires, and the named facts its
message shows. The engine evaluates the same expressions for one vehicle or for a million at once,
so there is exactly one definition of each rule (rule-catalog.md, STYLE principle 5).

What the law *says* — severity, period in force, references, confidence, message wording — is in
``law/rules.yaml``; the rule function only decides where it applies and which facts it used.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from chuhai.engine.law import Law
from chuhai.io.profile import ExporterProfile

APP_DATE = "_app"  # the vehicle's licence application date (default: the as-of date)


@dataclass(frozen=True)
class Check:
    """Where a rule fires and the facts its message uses.

    ``applies`` is the rule's scope (e.g. used cars only; default everywhere); ``fires`` is a
    boolean expression (null counts as not firing) evaluated where the rule applies. ``facts`` are
    expressions (or Python constants) named as the message template's fields. ``requires`` lists
    the columns without which the rule cannot decide, and ``missing`` is an optional string
    expression naming further missing data: where anything is missing the engine reports
    ``input.incomplete`` instead of guessing. ``severity`` overrides the rule's severity where the law
    grades it
    (e.g. the VIN check digit). ``reference``/``confidence`` override the rule's where the check
    comes from a table entry with its own source (destination markets).
    """

    fires: pl.Expr
    facts: dict[str, pl.Expr | str | int | None] = field(default_factory=dict)
    applies: pl.Expr | None = None
    requires: tuple[str, ...] = ()
    missing: pl.Expr | None = None
    severity: pl.Expr | None = None
    references: tuple[str, ...] | None = None
    confidence: str | None = None
    ignore_in_force: bool = False


@dataclass(frozen=True)
class DeadlineSpec:
    """A deadline the rule computes: ``due`` is a date expression (null where it does not apply)."""

    kind: str
    due: pl.Expr


@dataclass(frozen=True)
class Ctx:
    law: Law
    exporter: ExporterProfile
    as_of: dt.date

    @staticmethod
    def col(name: str) -> pl.Expr:
        return pl.col(name)

    @property
    def app_date(self) -> pl.Expr:
        return pl.col(APP_DATE)

    def param(self, parameter_id: str, dtype: pl.DataType | type[pl.DataType] | None = None) -> pl.Expr:
        """The parameter's value in force on each vehicle's application date (null where none is)."""
        parameter = self.law.parameter(parameter_id)
        expr: Any = None
        # Latest start first: the first matching branch is the value in force.
        for entry in reversed(parameter.values):
            value = pl.lit(entry.value, dtype=dtype) if entry.value is not None else pl.lit(None, dtype=dtype)
            cond = self.app_date >= pl.lit(entry.start)
            expr = pl.when(cond).then(value) if expr is None else expr.when(cond).then(value)
        if expr is None:
            return pl.lit(None, dtype=dtype)
        return expr.otherwise(pl.lit(None, dtype=dtype))  # type: ignore[no-any-return]

    def shift(self, date: pl.Expr, parameter_id: str, unit: str, sign: int = 1) -> pl.Expr:
        """``date`` moved by the parameter in force on each application date (``unit``: d, mo or y).

        Each dated value becomes one branch with a constant offset, which polars computes far faster
        than a per-row duration string; calendar months and years clamp to month end like
        :mod:`chuhai.dates`.
        """
        parameter = self.law.parameter(parameter_id)
        expr: Any = None
        for entry in reversed(parameter.values):
            cond = self.app_date >= pl.lit(entry.start)
            value = (
                pl.lit(None, dtype=pl.Date)
                if entry.value is None
                else date.dt.offset_by(f"{sign * int(entry.value)}{unit}")
            )
            expr = pl.when(cond).then(value) if expr is None else expr.when(cond).then(value)
        if expr is None:
            return pl.lit(None, dtype=pl.Date)
        return expr.otherwise(pl.lit(None, dtype=pl.Date))  # type: ignore[no-any-return]

    def value(self, parameter_id: str) -> Any:
        """A parameter's value as of the run's as-of date (for tables and run-level constants)."""
        entry = self.law.parameter(parameter_id).at(self.as_of)
        return None if entry is None else entry.value


RuleFn = Callable[[Ctx], "Check | Sequence[Check]"]
DeadlineFn = Callable[[Ctx], "Sequence[DeadlineSpec]"]


@dataclass(frozen=True)
class RuleImpl:
    rule_id: str
    checks: RuleFn
    deadlines: DeadlineFn | None = None


REGISTRY: dict[str, RuleImpl] = {}


def rule(rule_id: str, deadlines: DeadlineFn | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register a rule implementation under its catalog id."""

    def register(fn: RuleFn) -> RuleFn:
        if rule_id in REGISTRY:
            raise ValueError(f"rule {rule_id} is implemented twice")
        REGISTRY[rule_id] = RuleImpl(rule_id, fn, deadlines)
        return fn

    return register


def fmt_date(expr: pl.Expr) -> pl.Expr:
    return expr.dt.strftime("%Y-%m-%d")


def is_true(expr: pl.Expr) -> pl.Expr:
    return expr.fill_null(False)


USED = pl.col("condition") == "used"
NEW = pl.col("condition") == "new"
