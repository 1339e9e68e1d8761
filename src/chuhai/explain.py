"""Human-readable reasoning: one vehicle's full explanation, and the catalogue of the law."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import polars as pl
from rich.markup import escape

from chuhai.engine.derive import derive
from chuhai.engine.law import LAW_LANGUAGES, Law
from chuhai.engine.screen import _in_force, _missing_expr, compile_plan, evaluate, to_results
from chuhai.errors import NotFound
from chuhai.io.parse import ParsedTable
from chuhai.io.profile import ExporterProfile
from chuhai.schema import COLUMN_LIST


def _source(law: Law, reference_id: str) -> dict[str, Any]:
    ref = law.references[reference_id]
    return {
        "id": ref.id,
        "cite": ref.cite,
        "tier": ref.tier,  # official-text | verbatim-reprint | secondary | inferred
        "url": ref.urls[0],
        # zh is the official title; en, ru and ar are Chuhai's translations of it
        "title": {lang: ref.title(lang) for lang in LAW_LANGUAGES},
    }


def law_catalogue(law: Law) -> dict[str, Any]:
    """Every rule and parameter with its period in force, references and confidence; the texts people
    read (titles, descriptions, notes, gaps) in every language of :data:`LAW_LANGUAGES`."""
    rules = []
    for meta in sorted(law.rules.values(), key=lambda m: m.id):
        period = f"{meta.in_force_from or '—'} → {meta.in_force_to or ''}".strip()
        rules.append(
            {
                "id": meta.id,
                "severity": meta.severity.value,
                "in_force": period,
                "title": dict(meta.title),
                "description": dict(meta.description),
                "references": [
                    f"{law.references[r].cite_with_tier} {law.references[r].urls[0]}" for r in meta.references
                ],
                "sources": [_source(law, r) for r in meta.references],
                "confidence": meta.confidence.value,
                "parameters": list(meta.parameters),
                "deadlines": list(meta.deadline_kinds),
            }
        )
    parameters = []
    for param in sorted(law.parameters.values(), key=lambda p: p.id):
        parameters.append(
            {
                "id": param.id,
                "description": dict(param.description),
                "unit": param.unit,
                "values": [
                    {
                        "from": v.start.isoformat(),
                        "value": v.value if v.value is not None else "(ends)",
                        "reference": law.references[v.reference].cite,
                        "reference_tier": law.references[v.reference].tier,
                        "reference_title": dict(_source(law, v.reference)["title"]),
                        "url": law.references[v.reference].urls[0],
                        "confidence": v.confidence.value,
                        "note": dict(v.note),
                    }
                    for v in param.values
                ],
                "gaps": [dict(g) for g in param.gaps],
            }
        )
    return {"law_version": law.version, "rules": rules, "parameters": parameters}


def _find_row(parsed: ParsedTable, vehicle: str) -> int:
    frame = parsed.frame
    key = "".join(vehicle.split()).upper()
    hits = frame.filter(pl.col("vin") == key)["row"].to_list()
    if not hits and vehicle.isdigit():
        hits = frame.filter(pl.col("row") == int(vehicle))["row"].to_list()
    if not hits:
        raise NotFound(f"no vehicle with VIN or row {vehicle!r} in the file")
    return int(hits[0])


LABELS = {
    "zh": {
        "vehicle": "车辆",
        "row": "第 {} 行",
        "as_of": "评估日期",
        "app": "许可证申请日",
        "law": "法规版本",
        "verdict": "结论",
        "code": "商品编码",
        "customs": "报关品名",
        "facts": "事实",
        "derived": "推导",
        "findings": "结论依据",
        "source": "依据",
        "confidence": "可信度",
        "used": "所用事实",
        "from": "自",
        "rules": "逐条规则",
    },
    "en": {
        "vehicle": "Vehicle",
        "row": "row {}",
        "as_of": "as of",
        "app": "licence application",
        "law": "law version",
        "verdict": "verdict",
        "code": "commodity code",
        "customs": "customs name",
        "facts": "Facts",
        "derived": "derived",
        "findings": "Findings",
        "source": "source",
        "confidence": "confidence",
        "used": "facts",
        "from": "from",
        "rules": "Every rule",
    },
}


def explain_vehicle(
    parsed: ParsedTable, vehicle: str, exporter: ExporterProfile, as_of: dt.date, law: Law, lang: str = "zh"
) -> str:
    row = _find_row(parsed, vehicle)
    typed = parsed.frame.filter(pl.col("row") == row)
    problems = parsed.problems.filter(pl.col("row") == row)
    plan = compile_plan(law, exporter, as_of)
    result = to_results(evaluate(typed, problems, plan))[0]
    derived = derive(typed, plan.ctx)
    t = LABELS["zh" if lang == "zh" else "en"]
    lines: list[str] = []
    add = lines.append
    app = derived["_app"][0]
    add(f"[bold]{t['vehicle']} {escape(result.vin or '—')}[/] ({t['row'].format(row)})")
    add(f"{t['as_of']} {as_of.isoformat()} · {t['app']} {app.isoformat()} · {t['law']} {law.version}")
    add(
        f"{t['verdict']}: [bold]{result.verdict.value}[/]   {t['code']}: {result.commodity_code or '—'}   "
        f"{t['customs']}: {escape(result.customs_name or '—')}"
    )
    add("")
    add(f"[bold]{t['facts']}[/]")
    record = typed.row(0, named=True)
    for column in COLUMN_LIST:
        value = record.get(column.name)
        if value is not None:
            add(escape(f"  {column.name} = {value}"))
    d = derived.row(0, named=True)
    label = f"  ({t['derived']})"
    add(f"{label} VIN check digit: {d['_vin_check']} (expected {d['_vin_expected']})")
    add(escape(f"{label} commodity code status: {d['_code_status'] or '—'} {d['_code_derivation'] or ''}"))
    if d["_scrap_state"] == "limited":
        add(
            f"{label} service life {d['_scrap_years']} y from {d['_scrap_basis']} {d['_scrap_start']} "
            f"→ limit {d['_scrap_limit']}, export cut-off {d['_scrap_cutoff']}"
        )
    else:
        add(f"{label} service life: {d['_scrap_state']}")
    add("")
    add(f"[bold]{t['findings']}[/]")
    if not result.findings:
        add("  —")
    for f in result.findings:
        add(f"  {escape('[' + f.severity.value + ']')} [bold]{f.rule}[/]: {escape(f.message(lang))}")
        add(f"      {t['source']}: {escape(f.reference or '—')} · {t['confidence']}: {f.confidence.value}")
        if f.facts:
            add(f"      {t['used']}: {escape(json.dumps(f.facts, ensure_ascii=False))}")
        meta = law.rules.get(f.rule)
        if meta is None:
            continue
        for pid in meta.parameters:
            entry = law.parameter(pid).at(app)
            if entry is not None and not isinstance(entry.value, (list, dict)):
                ref = law.references[entry.reference]
                where = f"{t['from']} {entry.start}, {ref.cite_with_tier}, {entry.confidence.value}"
                add(escape(f"      {pid} = {entry.value} ({where}) {ref.urls[0]}"))
        for rid in meta.references:
            ref = law.references[rid]
            title = ref.title_zh if lang == "zh" else ref.title_en
            add(escape(f"      ↳ {ref.cite_with_tier}: {title} {ref.urls[0]}"))
    add("")
    add(f"[bold]{t['rules']}[/]")
    fired = {f.rule for f in result.findings}
    statuses: dict[str, list[str]] = {}
    for cc in plan.checks:
        check = cc.check
        scope = (check.applies if check.applies is not None else pl.lit(True)).fill_null(False)
        in_force = _in_force(cc.meta, plan.ctx) if not check.ignore_in_force else pl.lit(True)
        missing = _missing_expr(check)
        probe = derived.select(
            scope.alias("scope"),
            in_force.alias("in_force"),
            (
                pl.when(missing != "").then(missing) if missing is not None else pl.lit(None, dtype=pl.String)
            ).alias("missing"),
        ).row(0, named=True)
        if cc.meta.id in fired and probe["scope"] and probe["in_force"]:
            status = "FIRED" if probe["missing"] is None else f"cannot decide: missing {probe['missing']}"
        elif not probe["in_force"]:
            status = "not in force on the application date"
        elif not probe["scope"]:
            status = "not applicable"
        elif probe["missing"] is not None:
            status = f"cannot decide: missing {probe['missing']}"
        else:
            status = "passed"
        statuses.setdefault(cc.meta.id, []).append(status)
    order = ("FIRED", "cannot decide", "passed", "not in force", "not applicable")
    for rule_id, found in statuses.items():
        # A rule with one check per destination shows its most telling outcome.
        best = min(found, key=lambda s: next(i for i, p in enumerate(order) if s.startswith(p)))
        add(escape(f"  {rule_id:<48} {best}"))
    return "\n".join(lines)
