"""The one-vehicle path: a few vehicles screened without polars queries, from the same definitions.

:func:`chuhai.engine.screen.screen_records` sends small inputs (an API call, a form, re-screening
one vehicle after a correction) here. Nothing is written twice: the parser's per-kind expressions
(:mod:`chuhai.io.parse`), the derived facts (:mod:`chuhai.engine.derive`: the same expressions and
the same table lookups) and every rule's checks, messages and facts (:mod:`chuhai.rules`,
:func:`chuhai.engine.screen.flag_exprs`, :func:`~chuhai.engine.screen.check_findings`) are the
polars expressions the bulk path evaluates, compiled once by :mod:`chuhai.engine.rowexpr` into
Python functions of one row. What remains here is the orchestration the bulk path does with frames
(defaults, implied facts, problems, the order of findings), and ``tests/test_fast_path.py`` checks
that both paths give identical results on the demo stock and on generated vehicles.

A compiled plan is cached per law version, exporter and as-of date (:func:`fast_plan`). If any
expression uses something the row evaluator does not implement, :func:`fast_plan` returns ``None``
and the caller screens with polars.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

import polars as pl

from chuhai import schema
from chuhai.engine import derive as derived
from chuhai.engine.law import Law
from chuhai.engine.model import Confidence, Deadline, Finding, Severity, VehicleResult, Verdict
from chuhai.engine.rowexpr import Fn, Unsupported, compile_expr
from chuhai.engine.screen import (
    RANK_VERDICT,
    Plan,
    check_findings,
    compile_plan,
    flag_exprs,
    problem_finding_exprs,
)
from chuhai.io import parse
from chuhai.io.profile import ExporterProfile
from chuhai.io.readers import EXPECTED_COLUMNS, record_cells
from chuhai.rules.base import APP_DATE

SMALL = 16
"""Inputs of at most this many vehicles take the one-vehicle path."""

# Rust's char::is_whitespace (Unicode White_Space), which polars' str.strip_chars() trims.
_WHITE_SPACE = (
    "\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)
_LANGS = {name: name.removeprefix("expected_") for name in EXPECTED_COLUMNS}


# ---------------------------------------------------------------------------------------------
# Parsing (independent of the law)


@dataclass(frozen=True, eq=False)  # hashed by identity: the cell cache's key
class _ColumnParser:
    column: schema.Column
    default: Any  # the typed value of an absent column
    fast: Fn | None  # the parser's fast path (integers, decimals, the VIN), else None
    full: Fn  # the full parser
    expected: dict[str, Fn]  # expected_<lang> of a problem, over the raw cell

    def typed(self, cell: str | None) -> Any:
        if cell is None:
            return self.default if self.column.default is not None else None
        return _typed_cell(self, cell)


@lru_cache(maxsize=65536)
def _typed_cell(parser: _ColumnParser, cell: str) -> Any:
    # A cell's typed value depends on the column and the text only: repeated spellings are parsed once.
    row = {"v": cell}
    if parser.fast is not None:
        value = parser.fast(row)
        if value is not None:
            return value
    return parser.full(row)


_BY_DISTINCT = frozenset({"enum", "boolean", "country", "date"})


@cache
def _parsers() -> dict[str, _ColumnParser]:
    out = {}
    for column in schema.COLUMN_LIST:
        dtype = parse._DTYPES[column.kind]
        cell = pl.col("v")
        fast = None
        if column.kind not in _BY_DISTINCT and not (column.kind == "text" and column.name != "vin"):
            fast = compile_expr(parse._fast(column, cell).cast(dtype))
        default = compile_expr(pl.lit(column.default, dtype=dtype))({})
        expected = {
            name: compile_expr(parse._expected(column, lang).alias("x")) for name, lang in _LANGS.items()
        }
        out[column.name] = _ColumnParser(
            column, default, fast, compile_expr(parse._typed(column, cell).cast(dtype)), expected
        )
    return out


@cache
def _implied_wording() -> dict[str, Fn]:
    fields = {name: pl.col(name) for name in ("column", "value", "implied")}
    return {
        name: compile_expr(parse._worded(schema.EXPECTED["implied"][lang], fields))
        for name, lang in _LANGS.items()
    }


def _strip(cell: str | None) -> str | None:
    if cell is None:
        return None
    stripped = cell.strip(_WHITE_SPACE)
    return stripped or None


def parse_small(
    records: Iterable[Mapping[str, object]], first_row: int = 1
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The typed rows and the problems of a few records, as :func:`chuhai.io.parse.parse_records`
    gives them as frames (rows: canonical columns and :data:`~chuhai.io.parse.DUPLICATE_VIN_ROWS`)."""
    order, cells = record_cells(records, first_row=first_row)
    parsers = _parsers()
    positions = {name: index + 1 for index, name in enumerate(order)}  # "row" is column 0
    rows: list[dict[str, Any]] = []
    problems: list[dict[str, Any]] = []
    for index, record in enumerate(cells):
        number = first_row + index
        raw = {name: _strip(record.get(name)) for name in order}
        typed: dict[str, Any] = {"row": number}
        for name, parser in parsers.items():
            typed[name] = parser.typed(raw[name]) if name in raw else parser.default
        found: list[tuple[int, dict[str, Any]]] = []
        conflicts: list[tuple[int, dict[str, Any]]] = []
        filled = dict(typed)
        for column in schema.COLUMN_LIST:  # implied facts, as chuhai.io.parse._implied_facts
            cell = raw.get(column.name)
            if not column.implies or column.name not in raw or cell is None:
                continue
            implied = column.implies.get(schema.normalise_token(cell), {})
            for target in sorted(implied):
                value = implied[target]
                stated = raw.get(target)
                if stated is None:
                    filled[target] = value
                elif typed[target] is not None and typed[target] != value:
                    fields = {"column": order[column.name], "value": cell, "implied": value}
                    wording = _implied_wording()
                    conflicts.append(
                        (
                            positions[target],
                            {
                                "row": number,
                                "column": order[target],
                                "value": stated,
                                **{name: fn(fields) for name, fn in wording.items()},
                            },
                        )
                    )
        for name, parser in parsers.items():
            if name not in raw or parser.column.kind == "text":
                continue
            if raw[name] is not None and filled[name] is None:
                found.append(
                    (
                        positions[name],
                        {
                            "row": number,
                            "column": order[name],
                            "value": raw[name],
                            **{lang: fn({name: raw[name]}) for lang, fn in parser.expected.items()},
                        },
                    )
                )
        for name in order:
            if name not in schema.COLUMNS:
                filled[parse.EXTRA_PREFIX + name] = raw[name]
        ordered = sorted(found + conflicts, key=lambda item: item[0])
        problems.extend(problem for _, problem in ordered)
        rows.append(filled)
    by_vin: dict[str, list[int]] = {}
    for row in rows:
        if row["vin"] is not None:
            by_vin.setdefault(row["vin"], []).append(row["row"])
    for row in rows:
        repeats = by_vin.get(row["vin"]) if row["vin"] is not None else None
        row[parse.DUPLICATE_VIN_ROWS] = (
            ", ".join(str(n) for n in sorted(repeats)) if repeats and len(repeats) > 1 else None
        )
    return rows, problems


# ---------------------------------------------------------------------------------------------
# Plans


@dataclass(frozen=True)
class _Findings:
    rank: Fn
    rule: str
    severity: Fn
    message_zh: Fn
    message_en: Fn
    reference: str
    confidence: str
    facts: Fn

    @classmethod
    def of(cls, exprs: Sequence[pl.Expr]) -> _Findings:
        _row, rank, rule, severity, zh, en, reference, confidence, facts = (compile_expr(e) for e in exprs)
        return cls(rank, rule({}), severity, zh, en, reference({}), confidence({}), facts)

    def finding(self, row: Mapping[str, Any]) -> tuple[int, Finding]:
        return self.rank(row), Finding(
            rule=self.rule,
            severity=Severity(self.severity(row)),
            message_zh=self.message_zh(row),
            message_en=self.message_en(row),
            reference=self.reference,
            confidence=Confidence(self.confidence),
            facts=json.loads(self.facts(row)),
        )


@dataclass(frozen=True)
class _Check:
    fires: Fn
    missing: Fn | None
    fired: _Findings
    incomplete: _Findings | None


@dataclass(frozen=True)
class FastPlan:
    """A :class:`~chuhai.engine.screen.Plan` compiled into functions of one row."""

    plan: Plan
    app_date: Fn
    vin_columns: tuple[tuple[str, Fn], ...]
    lookups: tuple[tuple[tuple[str, ...], Callable[..., dict[str, Any]]], ...]
    scrap_dates: tuple[tuple[str, Fn], ...]
    checks: tuple[_Check, ...]
    problem: _Findings
    deadlines: tuple[tuple[str, str, Fn], ...]

    def screen(self, records: Sequence[Mapping[str, object]]) -> list[VehicleResult]:
        rows, problems = parse_small(records)
        invalid = {p["row"] for p in problems}
        by_row: dict[int, list[tuple[int, str, Finding]]] = {}
        for problem in problems:
            rank, finding = self.problem.finding(problem)
            by_row.setdefault(problem["row"], []).append((rank, finding.rule, finding))
        results = []
        for row in rows:
            self._derive(row)
            found = by_row.get(row["row"], [])
            for check in self.checks:
                if check.fires(row) is True:
                    rank, finding = check.fired.finding(row)
                    found.append((rank, finding.rule, finding))
                if (
                    check.missing is not None
                    and check.incomplete is not None
                    and row["row"] not in invalid
                    and check.missing(row) is True
                ):
                    rank, finding = check.incomplete.finding(row)
                    found.append((rank, finding.rule, finding))
            found.sort(key=lambda item: (item[0], item[1]))  # stable, as the bulk path's sort
            worst = found[0][0] if found else None
            deadlines = [
                (due, kind, rule) for rule, kind, fn in self.deadlines if (due := fn(row)) is not None
            ]
            deadlines.sort(key=lambda item: (item[0], item[1]))
            results.append(
                VehicleResult(
                    row=row["row"],
                    vin=row["vin"],
                    verdict=Verdict(
                        Verdict.ELIGIBLE.value if worst is None else RANK_VERDICT.get(worst, "eligible")
                    ),
                    commodity_code=row["_code"],
                    customs_name=row["_customs_name"],
                    findings=tuple(f for _, _, f in found),
                    deadlines=tuple(Deadline(kind, due, rule) for due, kind, rule in deadlines),
                )
            )
        return results

    def _derive(self, row: dict[str, Any]) -> None:
        row[APP_DATE] = self.app_date(row)
        row["_vin_expected"] = derived.check_character(row["vin"])
        for name, fn in self.vin_columns:
            row[name] = fn(row)
        for inputs, lookup in self.lookups:
            row.update(lookup(*(row[i] for i in inputs)))
        for name, fn in self.scrap_dates:
            row[name] = fn(row)


def _named(exprs: Iterable[pl.Expr]) -> tuple[tuple[str, Fn], ...]:
    return tuple((e.meta.output_name(), compile_expr(e)) for e in exprs)


def compile_fast(plan: Plan) -> FastPlan:
    """Compile every expression of ``plan``; :class:`~chuhai.engine.rowexpr.Unsupported` if one
    cannot be."""
    ctx = plan.ctx
    checks = []
    for cc in plan.checks:
        fires, missing = flag_exprs(cc, ctx)
        fired, incomplete = check_findings(plan, cc)
        checks.append(
            _Check(
                compile_expr(fires),
                None if missing is None else compile_expr(missing),
                _Findings.of(fired),
                None if incomplete is None else _Findings.of(incomplete),
            )
        )
    return FastPlan(
        plan=plan,
        app_date=compile_expr(derived.app_date_expr(ctx)),
        vin_columns=_named(derived.vin_columns()),
        lookups=tuple((tuple(inputs), fn) for inputs, fn, _ in derived.lookups(ctx)),
        scrap_dates=_named(derived.scrap_date_columns(ctx)),
        checks=tuple(checks),
        problem=_Findings.of(problem_finding_exprs(plan.law)),
        deadlines=tuple((rule, spec.kind, compile_expr(spec.due)) for rule, spec in plan.deadlines),
    )


_PLANS: OrderedDict[tuple[str, int, ExporterProfile, dt.date], FastPlan | None] = OrderedDict()
_PLANS_LOCK = threading.Lock()
_PLANS_MAX = 256


def fast_plan(law: Law, exporter: ExporterProfile, as_of: dt.date) -> FastPlan | None:
    """The compiled plan for a law version, exporter and as-of date (cached), or None where the
    row evaluator cannot compile an expression (then polars screens)."""
    key = (law.version, id(law), exporter, as_of)
    try:
        hash(key)
    except TypeError:  # a profile built with a list somewhere: no cache key, polars screens
        return None
    with _PLANS_LOCK:
        if key in _PLANS:
            _PLANS.move_to_end(key)
            return _PLANS[key]
    try:
        compiled: FastPlan | None = compile_fast(compile_plan(law, exporter, as_of))
    except Unsupported:
        compiled = None
    with _PLANS_LOCK:
        _PLANS[key] = compiled
        while len(_PLANS) > _PLANS_MAX:
            _PLANS.popitem(last=False)
    return compiled
