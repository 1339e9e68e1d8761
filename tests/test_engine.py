"""The engine: law loading, the rule catalogue contract, bulk = single, JSON shape, batch rules."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
from pathlib import Path

import polars as pl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chuhai import batching, report
from chuhai.engine import check_licence_batch, load_law, load_law_from, screen_records
from chuhai.engine.derive import derive
from chuhai.engine.lawfile import LAW_DIR
from chuhai.engine.screen import compile_plan, evaluate, screen_parsed, to_results
from chuhai.errors import LawError
from chuhai.identifiers import vin as vin_id
from chuhai.io.parse import parse_records
from chuhai.io.profile import exporter_from_mapping
from chuhai.synthetic import stock_frame

AS_OF = dt.date(2026, 11, 22)
OWNER = "重庆渝新二手车出口有限公司"
EXPORTER = exporter_from_mapping(
    {
        "name": OWNER,
        "uscc": "91500000MA5U00000W",
        "kind": "circulation",
        "used_car_filing": {"approved_on": dt.date(2026, 1, 15)},
        "authorised_by": [],
    }
)


def _records(n: int, seed: int = 7) -> list[dict[str, object]]:
    frame = stock_frame(n, AS_OF, OWNER, seed=seed)
    return [
        {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in r.items()} for r in frame.to_dicts()
    ]


def test_every_rule_cites_known_references_and_every_value_has_confidence() -> None:
    law = load_law()
    for meta in law.rules.values():
        for ref in meta.references:
            assert law.references[ref].urls
    for param in law.parameters.values():
        for value in param.values:
            assert value.reference in law.references


def _copy_law(tmp_path: Path) -> Path:
    target = tmp_path / "law"
    shutil.copytree(LAW_DIR, target)
    return target


@pytest.mark.parametrize(
    ("relative", "old", "new", "expected"),
    [
        ("rules.yaml", "  severity: block\n", "  severity: block\n  colour: red\n", "unknown key(s) colour"),
        ("rules.yaml", "input.incomplete:", "input.invalid:", "duplicate key 'input.invalid'"),
        ("rules.yaml", "in_force: {from: 2026-01-01}", "in_force: {from: 2026-13-01}", "rules.yaml"),
        ("rules.yaml", "references: [mofcom-2025-648,", "references: [no-such-ref,", "unknown reference id"),
        ("parameters/aftersales/window_days.yaml", "value: 180", "value: one hundred eighty", "whole number"),
        (
            "parameters/aftersales/window_days.yaml",
            "confidence: verified-in-source",
            "confidence: pretty-sure",
            "confidence",
        ),
    ],
)
def test_a_bad_law_file_is_refused_with_its_path_and_key(
    tmp_path: Path, relative: str, old: str, new: str, expected: str
) -> None:
    law_dir = _copy_law(tmp_path)
    path = law_dir / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture text not found in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LawError) as info:
        load_law_from(law_dir)
    assert relative.split("/")[-1] in str(info.value)
    assert expected in str(info.value)


def test_a_message_field_without_a_fact_is_refused(tmp_path: Path) -> None:
    law_dir = _copy_law(tmp_path)
    path = law_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("车辆处于{encumbrance_zh}状态", "车辆处于{no_such_fact}状态")
    for renamed in ("under {encumbrance}", "обременён ({encumbrance})", "قيد ({encumbrance})"):
        text = text.replace(renamed, renamed.replace("{encumbrance}", "{no_such_fact}"))
    path.write_text(text, encoding="utf-8")
    law = load_law_from(law_dir)
    with pytest.raises(LawError, match="no_such_fact"):
        screen_records([{"vin": "LFMAP22CXN0123456", "encumbrance": "mortgage"}], EXPORTER, AS_OF, law)


def test_a_message_naming_other_facts_in_one_language_is_refused(tmp_path: Path) -> None:
    law_dir = _copy_law(tmp_path)
    path = law_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("обременён ({encumbrance})", "обременён ({no_such_fact})"), encoding="utf-8")
    with pytest.raises(LawError, match=r"vehicle\.encumbered\.message\.ru: .*no_such_fact"):
        load_law_from(law_dir)


def test_parameter_values_follow_their_effective_dates() -> None:
    law = load_law()
    window = law.parameter("aftersales.window_days")
    assert window.at(dt.date(2025, 12, 31)) is None
    entry = window.at(dt.date(2026, 1, 1))
    assert entry is not None
    assert entry.value == 180
    with pytest.raises(LawError, match="no value in force"):
        law.value("aftersales.window_days", dt.date(2025, 1, 1))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=17, max_size=17))
def test_bulk_check_digit_equals_the_reference_implementation(vin: str) -> None:
    frame = parse_records([{"vin": vin}]).frame
    ctx = compile_plan(load_law(), EXPORTER, AS_OF).ctx
    derived = derive(frame, ctx)
    assert derived["_vin_expected"][0] == vin_id.calc_check_digit(vin)
    expected = vin_id.check_digit_status(vin).value
    assert derived["_vin_check"][0] == expected


def test_bulk_and_one_at_a_time_give_the_same_results() -> None:
    records = _records(400)
    law = load_law()
    bulk = screen_records(records, EXPORTER, AS_OF, law)
    single = [screen_records([r], EXPORTER, AS_OF, law)[0] for r in records[:60]]
    for one, many in zip(single, bulk[:60], strict=True):
        assert (one.vin, one.verdict, one.commodity_code, one.customs_name) == (
            many.vin,
            many.verdict,
            many.commodity_code,
            many.customs_name,
        )
        assert [(f.rule, f.message_zh, f.facts) for f in one.findings] == [
            (f.rule, f.message_zh, f.facts) for f in many.findings
        ]
        assert one.deadlines == many.deadlines
    verdicts = {r.verdict.value for r in bulk}
    assert {"eligible", "blocked", "action_required"} <= verdicts


def test_json_output_has_one_entry_per_row_in_input_order() -> None:
    records = _records(1200, seed=11)
    records[5]["registration_date"] = "2026-02-30"  # unreadable: the row must still be there
    records[6]["vin"] = None
    parsed = parse_records(records)
    stream = io.BytesIO()
    summary = report.write_json(stream, parsed, EXPORTER, AS_OF, load_law(), chunk_rows=500)
    document = json.loads(stream.getvalue().decode("utf-8"))
    assert set(document) >= {"as_of", "law_version", "summary", "vehicles"}
    vehicles = document["vehicles"]
    assert len(vehicles) == 1200 == summary["vehicles"]
    assert [v["row"] for v in vehicles] == parsed.frame["row"].to_list()
    assert vehicles[5]["verdict"] == "invalid"
    assert any(f["rule"] == "input.invalid" and "2026-02-30" in f["message"] for f in vehicles[5]["findings"])
    assert vehicles[6]["verdict"] == "invalid"
    for v in vehicles:
        assert set(v) == {"row", "vin", "verdict", "commodity_code", "customs_name", "findings", "deadlines"}
        for f in v["findings"]:
            assert {"rule", "severity", "message", "reference"} <= set(f)
        for d in v["deadlines"]:
            assert set(d) == {"kind", "due", "rule"}
    assert sum(summary["verdicts"].values()) == 1200


def test_findings_show_uncertain_sources_to_the_user() -> None:
    (result,) = screen_records([{**_records(1)[0], "encumbrance": "mortgage"}], EXPORTER, AS_OF)
    finding = next(f for f in result.findings if f.rule == "vehicle.encumbered")
    assert finding.confidence.value == "secondary-source"
    assert "二手资料" in finding.message_zh
    assert "secondary source" in finding.message_en
    assert "2024" in finding.reference


def test_licence_batch_allows_20_per_code_and_refuses_21() -> None:
    assert check_licence_batch(["8703801090"] * 20, AS_OF) == []
    (finding,) = check_licence_batch(["8703801090"] * 21 + ["8703600000"], AS_OF)
    assert finding.rule == "licence.quantity_per_code"
    assert finding.facts["count"] == 21
    assert "8703801090" in finding.message_zh


def test_plan_makes_the_fewest_licences_of_at_most_20() -> None:
    records = _records(2000, seed=3)
    parsed = parse_records(records)
    law = load_law()
    plan = compile_plan(law, EXPORTER, AS_OF)
    evaluation = evaluate(parsed.frame, parsed.problems, plan)
    licences, excluded = batching.plan_licences(
        [evaluation], parsed.frame.select("row", "destination"), law, AS_OF
    )
    results = to_results(evaluation)
    eligible = [r for r in results if r.verdict.value == "eligible"]
    assert sum(len(lic.vins) for lic in licences) + len(excluded) == len(results)
    assert all(len(lic.vins) <= 20 for lic in licences)
    groups: dict[tuple[str, str], int] = {}
    dest = dict(parsed.frame.select("vin", "destination").iter_rows())
    for r in eligible:
        key = (r.commodity_code or "", dest[r.vin] or "")
        groups[key] = groups.get(key, 0) + 1
    assert len(licences) == sum(-(-n // 20) for n in groups.values())
    for e in excluded:
        if e.verdict != "eligible":
            assert e.rules


def test_screen_parsed_summary_counts() -> None:
    parsed = parse_records(_records(50))
    run = screen_parsed(parsed, EXPORTER, AS_OF)
    assert run.summary["vehicles"] == 50
    assert run.law_version == load_law().version
    assert pl.Series([r.verdict.value for r in run.results]).value_counts().height >= 1
