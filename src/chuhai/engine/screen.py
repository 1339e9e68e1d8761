"""Evaluate every rule for a table of vehicles as of a date, and explain every verdict.

The pipeline works on polars frames chunk by chunk:

1. derived facts (:mod:`chuhai.engine.derive`);
2. for every rule check, a boolean column "fires here" (scope × period in force × condition) and
   one "cannot decide: missing …" column;
3. findings in long form — one row per (vehicle, finding) — with the bilingual message rendered
   from the law's template and the facts serialised as JSON, computed only where a rule fires;
4. the verdict per vehicle from its most severe finding, and the deadlines.

One vehicle is screened by the very same code on a one-row frame (:func:`screen_records`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from chuhai.engine.derive import derive
from chuhai.engine.law import Law, RuleMeta, load_law
from chuhai.engine.messages import DERIVED, EMPTY, phrase_text
from chuhai.engine.model import Confidence, Deadline, Finding, Severity, VehicleResult, Verdict
from chuhai.errors import LawError
from chuhai.io.parse import ParsedTable, parse_records
from chuhai.io.profile import ExporterProfile
from chuhai.rules import REGISTRY, Check, Ctx, DeadlineSpec

SEVERITY_RANK = {"invalid": 0, "block": 1, "action": 2, "advice": 3}
RANK_VERDICT = {0: Verdict.INVALID.value, 1: Verdict.BLOCKED.value, 2: Verdict.ACTION_REQUIRED.value}
_FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _render(
    law: Law,
    template: str,
    lang: str,
    meta: RuleMeta,
    facts: Mapping[str, pl.Expr],
    constants: Mapping[str, object],
    phrases: bool = True,
) -> pl.Expr:
    """A message template in ``lang`` as one string expression, resolving ``{fields}`` as
    :mod:`chuhai.engine.messages` does: phrases by their code fact, derived names from a constant
    code, the rest from the facts."""
    pieces: list[pl.Expr] = []
    position = 0
    for match in _FIELD.finditer(template):
        if match.start() > position:
            pieces.append(pl.lit(template[position : match.start()]))
        name = match.group(1)
        if phrases and name in meta.phrases:
            pieces.append(_phrase(law, name, lang, meta, facts, constants))
        elif name in DERIVED:
            source, lookup = DERIVED[name]
            if source not in constants:
                raise LawError(f"{meta.id}: {{{name}}} needs the fact {source!r} as a constant")
            pieces.append(pl.lit(lookup(law, constants[source], lang)))
        elif name not in facts:
            raise LawError(f"{meta.id}: message template field {{{name}}} has no fact: {template!r}")
        else:
            pieces.append(facts[name].cast(pl.String).fill_null(EMPTY))
        position = match.end()
    if position < len(template):
        pieces.append(pl.lit(template[position:]))
    return pl.concat_str(pieces) if pieces else pl.lit("")


def _phrase(
    law: Law,
    group: str,
    lang: str,
    meta: RuleMeta,
    facts: Mapping[str, pl.Expr],
    constants: Mapping[str, object],
) -> pl.Expr:
    """The phrase ``group`` in ``lang``, chosen per row by the variant code in the fact ``group``."""
    if group in constants:  # one variant for the whole check: resolved once, here
        try:
            text = phrase_text(meta, group, constants[group], lang)
        except KeyError as exc:
            raise LawError(str(exc.args[0])) from None
        return _render(law, text, lang, meta, facts, constants, phrases=False)
    if group not in facts:
        raise LawError(f"{meta.id}: phrase {{{group}}} has no fact holding its variant code")
    code = facts[group]
    variants = meta.phrases[group]
    if not any(_FIELD.search(texts[lang]) for texts in variants.values()):
        # Plain texts: one lookup; a code the law does not know raises instead of showing nothing.
        mapping = {variant: texts[lang] for variant, texts in variants.items()}
        return code.replace_strict(mapping, return_dtype=pl.String).fill_null(EMPTY)
    expr: Any = None
    for variant, texts in variants.items():
        worded = _render(law, texts[lang], lang, meta, facts, constants, phrases=False)
        expr = (
            pl.when(code == variant).then(worded) if expr is None else expr.when(code == variant).then(worded)
        )
    return expr.otherwise(pl.lit(EMPTY))  # type: ignore[no-any-return]


def _as_expr(value: pl.Expr | str | int | None) -> pl.Expr:
    return value if isinstance(value, pl.Expr) else pl.lit(value)


def _confidence_suffix(confidence: Confidence) -> tuple[str, str]:
    if confidence is Confidence.VERIFIED:
        return "", ""
    return f"〔依据可信度：{confidence.label_zh}〕", f" [confidence: {confidence.label_en}]"


@dataclass(frozen=True)
class CompiledCheck:
    meta: RuleMeta
    check: Check
    confidence: Confidence
    reference: str
    index: int


@dataclass(frozen=True)
class Plan:
    """Every rule compiled for one exporter and as-of date; reused for every chunk."""

    law: Law
    ctx: Ctx
    checks: tuple[CompiledCheck, ...]
    deadlines: tuple[tuple[str, DeadlineSpec], ...]


def _lowest(*marks: Confidence) -> Confidence:
    return min(marks, key=lambda c: c.rank)


def compile_plan(law: Law, exporter: ExporterProfile, as_of: dt.date) -> Plan:
    ctx = Ctx(law=law, exporter=exporter, as_of=as_of)
    implemented = set(REGISTRY)
    screened = {rid for rid, meta in law.rules.items() if meta.severity is not Severity.INVALID}
    # Rules handled by the pipeline itself, or only by batch plans / case management.
    special = {
        "input.incomplete",
        "licence.quantity_per_code",
        "licence.review_period",
        "licence.validity",
        "exporter.filing_review_period",
    }
    missing = sorted(screened - implemented - special)
    unknown = sorted(implemented - set(law.rules))
    if missing or unknown:
        raise LawError(
            f"rules without implementation: {missing}; implementations without metadata: {unknown}"
        )
    checks: list[CompiledCheck] = []
    deadlines: list[tuple[str, DeadlineSpec]] = []
    for rule_id in sorted(REGISTRY):
        impl = REGISTRY[rule_id]
        meta = law.rule(rule_id)
        result = impl.checks(ctx)
        items: Sequence[Check] = [result] if isinstance(result, Check) else result
        param_marks = []
        for pid in meta.parameters:
            entry = law.parameter(pid).at(as_of)
            if entry is not None:
                param_marks.append(entry.confidence)
        for check in items:
            base = Confidence(check.confidence) if check.confidence else meta.confidence
            refs = check.references if check.references is not None else meta.references
            checks.append(
                CompiledCheck(meta, check, _lowest(base, *param_marks), law.cite(refs), len(checks))
            )
        if impl.deadlines is not None:
            deadlines.extend((rule_id, spec) for spec in impl.deadlines(ctx))
    return Plan(law, ctx, tuple(checks), tuple(deadlines))


def _in_force(meta: RuleMeta, ctx: Ctx) -> pl.Expr:
    cond = pl.lit(True)
    if meta.in_force_from is not None:
        cond = cond & (ctx.app_date >= pl.lit(meta.in_force_from))
    if meta.in_force_to is not None:
        cond = cond & (ctx.app_date < pl.lit(meta.in_force_to))
    return cond


def _missing_flag(check: Check) -> pl.Expr | None:
    """True where data the check needs is missing (cheap: evaluated for every row)."""
    flags = [pl.col(c).is_null() for c in check.requires]
    if check.missing is not None:
        flags.append(check.missing.is_not_null())
    return pl.any_horizontal(flags) if flags else None


def _missing_expr(check: Check) -> pl.Expr | None:
    """The names of the missing data (only evaluated where :func:`_missing_flag` is true)."""
    parts: list[pl.Expr] = [pl.when(pl.col(c).is_null()).then(pl.lit(c)) for c in check.requires]
    if check.missing is not None:
        parts.append(check.missing)
    if not parts:
        return None
    return pl.concat_str(parts, separator=", ", ignore_nulls=True)


def finding_exprs(
    law: Law,
    severity: pl.Expr,
    facts: Mapping[str, pl.Expr],
    meta: RuleMeta,
    confidence: Confidence,
    reference: str,
    constants: Mapping[str, object] | None = None,
) -> list[pl.Expr]:
    """The columns of one check's findings (:data:`_EMPTY_FINDINGS`), as expressions.

    ``constants`` are the facts the check gives as plain values (the same for every row).
    """
    constants = constants or {}
    suffix_zh, suffix_en = _confidence_suffix(confidence)
    message_zh = _render(law, meta.message["zh"] + suffix_zh, "zh", meta, facts, constants)
    message_en = _render(law, meta.message["en"] + suffix_en, "en", meta, facts, constants)
    fact_struct = pl.struct([expr.alias(name) for name, expr in facts.items()]) if facts else pl.lit(None)
    return [
        pl.col("row"),
        severity.replace_strict(SEVERITY_RANK, return_dtype=pl.Int8).alias("rank"),
        pl.lit(meta.id).alias("rule"),
        severity.alias("severity"),
        message_zh.alias("message_zh"),
        message_en.alias("message_en"),
        pl.lit(reference).alias("reference"),
        pl.lit(confidence.value).alias("confidence"),
        fact_struct.struct.json_encode().alias("facts") if facts else pl.lit("{}").alias("facts"),
    ]


PROBLEM_FACTS = ("row", "column", "value", "expected_zh", "expected_en", "expected_ru", "expected_ar")


def problem_finding_exprs(law: Law) -> list[pl.Expr]:
    """The ``input.invalid`` finding of one unreadable cell (over the problems frame)."""
    meta = law.rule("input.invalid")
    facts = {name: pl.col(name) for name in PROBLEM_FACTS}
    return finding_exprs(law, pl.lit("invalid"), facts, meta, meta.confidence, "")


def flag_exprs(cc: CompiledCheck, ctx: Ctx) -> tuple[pl.Expr, pl.Expr | None]:
    """Where the check fires (decided and true) and where it cannot decide (data missing)."""
    check = cc.check
    scope = (check.applies if check.applies is not None else pl.lit(True)).fill_null(False)
    if not check.ignore_in_force:
        scope = scope & _in_force(cc.meta, ctx)
    missing = _missing_flag(check)
    decided = scope if missing is None else scope & ~missing
    fires = decided & check.fires.fill_null(False)
    return fires, None if missing is None else scope & missing


def check_findings(plan: Plan, cc: CompiledCheck) -> tuple[list[pl.Expr], list[pl.Expr] | None]:
    """The finding columns of a check where it fires, and of its ``input.incomplete`` finding
    where it cannot decide (None if it never lacks data)."""
    check, meta = cc.check, cc.meta
    facts = {name: _as_expr(value) for name, value in check.facts.items()}
    constants = {name: value for name, value in check.facts.items() if not isinstance(value, pl.Expr)}
    if "row" in meta.template_fields():
        facts.setdefault("row", pl.col("row"))
    severity = check.severity if check.severity is not None else pl.lit(meta.severity.value)
    fired = finding_exprs(plan.law, severity, facts, meta, cc.confidence, cc.reference, constants)
    missing_names = _missing_expr(check)
    if missing_names is None and _missing_flag(check) is None:
        return fired, None
    incomplete_meta = plan.law.rule("input.incomplete")
    incomplete_facts = {
        "checked_rule": pl.lit(meta.id),  # {rule_title} names it in each language
        "missing": missing_names if missing_names is not None else pl.lit(""),
    }
    incomplete = finding_exprs(
        plan.law,
        pl.lit("advice" if meta.severity is Severity.ADVICE else "action"),
        incomplete_facts,
        incomplete_meta,
        incomplete_meta.confidence,
        "",
        {"checked_rule": meta.id},
    )
    return fired, incomplete


def _problem_findings(problems: pl.DataFrame, law: Law) -> pl.DataFrame:
    return problems.select(problem_finding_exprs(law))


@dataclass
class Evaluation:
    """One chunk's results: per-vehicle frame and long findings/deadlines frames."""

    vehicles: pl.DataFrame  # row, vin, verdict, commodity_code, customs_name
    findings: pl.DataFrame  # _EMPTY_FINDINGS columns, sorted by row, rank, rule
    deadlines: pl.DataFrame  # row, kind, due, rule
    trace: pl.DataFrame | None = None  # per-check booleans, for explanations


def evaluate(typed: pl.DataFrame, problems: pl.DataFrame, plan: Plan, trace: bool = False) -> Evaluation:
    ctx = plan.ctx
    df = derive(typed, ctx)
    invalid_rows = problems.select("row").unique()
    fire_cols: list[pl.Expr] = []
    for cc in plan.checks:
        fires, missing = flag_exprs(cc, ctx)
        fire_cols.append(fires.alias(f"__f{cc.index}"))
        if missing is not None:
            fire_cols.append(missing.alias(f"__m{cc.index}"))
    df = df.with_columns(pl.col("row").is_in(invalid_rows["row"].implode()).alias("__invalid"), *fire_cols)
    base = df.lazy()
    # Only checks that fire (or cannot decide) somewhere in this chunk get a query.
    flag_names = [c for c in df.columns if c.startswith(("__f", "__m"))]
    present = df.select(pl.col(flag_names).any()).row(0, named=True) if flag_names else {}
    queries: list[pl.LazyFrame] = []
    for cc in plan.checks:
        if not present.get(f"__f{cc.index}") and not present.get(f"__m{cc.index}"):
            continue
        fired, incomplete = check_findings(plan, cc)
        if present.get(f"__f{cc.index}"):
            queries.append(base.filter(pl.col(f"__f{cc.index}")).select(fired))
        if present.get(f"__m{cc.index}") and incomplete is not None:
            # Rows that had an unreadable cell are already invalid: do not add "missing" noise there.
            queries.append(base.filter(pl.col(f"__m{cc.index}") & ~pl.col("__invalid")).select(incomplete))
    parts = [p for p in pl.collect_all(queries) if p.height]
    if problems.height:
        parts.insert(0, _problem_findings(problems, plan.law))
    findings = (pl.concat(parts, how="vertical") if parts else pl.DataFrame(schema=_EMPTY_FINDINGS)).sort(
        ["row", "rank", "rule"], maintain_order=True
    )
    worst = findings.group_by("row").agg(pl.col("rank").min().alias("_worst"))
    vehicles = (
        df.select(
            "row",
            "vin",
            pl.col("_code").alias("commodity_code"),
            pl.col("_customs_name").alias("customs_name"),
        )
        .join(worst, on="row", how="left", maintain_order="left")
        .select(
            "row",
            "vin",
            pl.col("_worst")
            .replace_strict(RANK_VERDICT, default=Verdict.ELIGIBLE.value, return_dtype=pl.String)
            .alias("verdict"),
            "commodity_code",
            "customs_name",
        )
    )
    deadline_parts: list[pl.DataFrame] = []
    for rule_id, spec in plan.deadlines:
        due_rows = df.select("row", spec.due.alias("due")).filter(pl.col("due").is_not_null())
        if due_rows.height:
            deadline_parts.append(
                due_rows.select("row", pl.lit(spec.kind).alias("kind"), "due", pl.lit(rule_id).alias("rule"))
            )
    deadlines = (pl.concat(deadline_parts) if deadline_parts else pl.DataFrame(schema=_EMPTY_DEADLINES)).sort(
        ["row", "due", "kind"]
    )
    trace_frame = None
    if trace:
        trace_frame = df.select("row", *[c for c in df.columns if c.startswith("__") or c.startswith("_")])
    return Evaluation(vehicles, findings, deadlines, trace_frame)


_EMPTY_FINDINGS = {
    "row": pl.Int64,
    "rank": pl.Int8,
    "rule": pl.String,
    "severity": pl.String,
    "message_zh": pl.String,
    "message_en": pl.String,
    "reference": pl.String,
    "confidence": pl.String,
    "facts": pl.String,
}
_EMPTY_DEADLINES = {"row": pl.Int64, "kind": pl.String, "due": pl.Date, "rule": pl.String}


def iter_chunks(parsed: ParsedTable, size: int) -> Iterator[tuple[pl.DataFrame, pl.DataFrame]]:
    """The typed frame and its input problems, ``size`` rows at a time."""
    frame, problems = parsed.frame, parsed.problems
    for offset in range(0, max(frame.height, 1), size):
        chunk = frame.slice(offset, size)
        if chunk.height == 0:
            break
        first, last = chunk["row"][0], chunk["row"][-1]
        yield chunk, problems.filter(pl.col("row").is_between(first, last))


# ---------------------------------------------------------------------------------------------
# Typed results (single vehicles, the web, documents)


def to_results(evaluation: Evaluation) -> list[VehicleResult]:
    findings: dict[int, list[Finding]] = {}
    columns = ("row", "rule", "severity", "message_zh", "message_en", "reference", "confidence", "facts")
    for row, rule, severity, zh, en, reference, confidence, facts in evaluation.findings.select(
        columns
    ).iter_rows():
        findings.setdefault(row, []).append(
            Finding(
                rule=rule,
                severity=Severity(severity),
                message_zh=zh,
                message_en=en,
                reference=reference,
                confidence=Confidence(confidence),
                facts=json.loads(facts),
            )
        )
    deadlines: dict[int, list[Deadline]] = {}
    for row, kind, due, rule in evaluation.deadlines.select("row", "kind", "due", "rule").iter_rows():
        deadlines.setdefault(row, []).append(Deadline(kind, due, rule))
    return [
        VehicleResult(
            row=row,
            vin=vin,
            verdict=Verdict(verdict),
            commodity_code=code,
            customs_name=name,
            findings=tuple(findings.get(row, ())),
            deadlines=tuple(deadlines.get(row, ())),
        )
        for row, vin, verdict, code, name in evaluation.vehicles.iter_rows()
    ]


@dataclass
class ScreeningRun:
    as_of: dt.date
    law_version: str
    results: list[VehicleResult]
    problems: pl.DataFrame
    summary: dict[str, Any] = field(default_factory=dict)


def summarise(verdicts: pl.Series, rules: pl.Series, blank_rows: int = 0) -> dict[str, Any]:
    counts = verdicts.value_counts()
    by_verdict = {v.value: 0 for v in Verdict}
    for verdict, count in counts.iter_rows():
        by_verdict[verdict] = int(count)
    rule_counts = rules.value_counts(sort=True)
    return {
        "vehicles": int(verdicts.len()),
        "verdicts": by_verdict,
        "findings_by_rule": {r: int(c) for r, c in rule_counts.iter_rows()},
        "blank_rows_skipped": blank_rows,
    }


def screen_parsed(
    parsed: ParsedTable,
    exporter: ExporterProfile,
    as_of: dt.date,
    law: Law | None = None,
) -> ScreeningRun:
    law = law or load_law()
    plan = compile_plan(law, exporter, as_of)
    evaluation = evaluate(parsed.frame, parsed.problems, plan)
    results = to_results(evaluation)
    summary = summarise(
        evaluation.vehicles["verdict"],
        evaluation.findings["rule"],
        parsed.raw.blank_rows_skipped if parsed.raw is not None else 0,
    )
    return ScreeningRun(as_of, law.version, results, parsed.problems, summary)


def screen_records(
    records: Iterable[Mapping[str, object]], exporter: ExporterProfile, as_of: dt.date, law: Law | None = None
) -> list[VehicleResult]:
    """Screen vehicles given as mappings of canonical column names (the one-at-a-time path).

    A few vehicles (:data:`chuhai.engine.fast.SMALL`) are screened by the compiled plan of
    :mod:`chuhai.engine.fast` — the same expressions evaluated per row — and more by polars.
    """
    from chuhai.engine import fast
    from chuhai.engine.rowexpr import Unsupported

    rows = list(records)
    law = law or load_law()
    if len(rows) <= fast.SMALL:
        plan = fast.fast_plan(law, exporter, as_of)
        if plan is not None:
            try:
                return plan.screen(rows)
            except Unsupported:  # a value the row evaluator does not handle: polars decides
                pass
    return screen_bulk(rows, exporter, as_of, law)


def screen_bulk(
    records: Iterable[Mapping[str, object]], exporter: ExporterProfile, as_of: dt.date, law: Law | None = None
) -> list[VehicleResult]:
    """:func:`screen_records` through polars whatever the number of vehicles."""
    parsed = parse_records(list(records))
    return screen_parsed(parsed, exporter, as_of, law).results
