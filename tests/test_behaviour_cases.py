"""Runs the YAML behaviour cases written beside the law (src/chuhai/law/cases/*.yaml)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from chuhai.engine import load_law, screen_records
from chuhai.engine.lawfile import LAW_DIR, load_yaml
from chuhai.io.profile import exporter_from_mapping

CASE_FILES = sorted((LAW_DIR / "cases").glob("vehicles*.yaml"))


def _cases() -> list[Any]:
    out = []
    for path in CASE_FILES:
        data = load_yaml(path)
        for case in data["cases"]:
            out.append(pytest.param(data["defaults"], case, id=f"{path.stem}: {case['name']}"))
    return out


def _merge(base: dict[str, Any], changes: dict[str, Any] | None) -> dict[str, Any]:
    merged = dict(base)
    merged.update(changes or {})
    return merged


def _as_text(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize(("defaults", "case"), _cases())
def test_case(defaults: dict[str, Any], case: dict[str, Any]) -> None:
    as_of = case.get("as_of", defaults["as_of"])
    exporter_data = _merge(defaults["exporter"], case.get("exporter"))
    if exporter_data.get("used_car_filing") is None:
        exporter_data.pop("used_car_filing", None)
    exporter = exporter_from_mapping(exporter_data)
    record = {k: _as_text(v) for k, v in _merge(defaults["input"], case.get("input")).items()}
    # `rows`: the case is a file of several rows, each the input with its own changes; `expected`
    # holds for every one of them.
    records = [
        {**record, **{k: _as_text(v) for k, v in changes.items()}} for changes in case.get("rows", [{}])
    ]
    for result in screen_records(records, exporter, as_of, load_law()):
        _check(case["expected"], result)


def _check(expected: dict[str, Any], result: Any) -> None:
    fired = {f.rule for f in result.findings}
    explanation = "\n".join(f"{f.severity} {f.rule}: {f.message_en}" for f in result.findings)
    if "verdict" in expected:
        assert result.verdict.value == expected["verdict"], explanation
    if "rules" in expected:
        assert fired == set(expected["rules"]), explanation
    for rule in expected.get("includes", []):
        assert rule in fired, f"{rule} expected\n{explanation}"
    for rule in expected.get("excludes", []):
        assert rule not in fired, f"{rule} not expected\n{explanation}"
    for rule, severity in expected.get("severity", {}).items():
        assert [f.severity.value for f in result.findings if f.rule == rule] == [severity], explanation
    deadlines = {d.kind: d.due for d in result.deadlines}
    for kind, due in expected.get("deadlines", {}).items():
        assert deadlines.get(kind) == due, f"{kind}: {deadlines}"
    if "commodity_code" in expected:
        assert result.commodity_code == expected["commodity_code"]
    if "customs_name" in expected:
        assert result.customs_name == expected["customs_name"]


def test_every_catalog_rule_is_exercised_by_a_case() -> None:
    """The cases are the readable spec: each screening rule must appear in at least one of them."""
    mentioned: set[str] = set()
    for path in CASE_FILES:
        for case in load_yaml(path)["cases"]:
            exp = case["expected"]
            mentioned |= (
                set(exp.get("rules", [])) | set(exp.get("includes", [])) | set(exp.get("severity", {}))
            )
    law = load_law()
    batch_only = {
        "licence.quantity_per_code",
        "licence.review_period",
        "licence.validity",
        "exporter.filing_review_period",
    }
    missing = sorted(set(law.rules) - mentioned - batch_only - {"input.incomplete"} - _RULES_TESTED_ELSEWHERE)
    assert not missing, f"rules without a behaviour case: {missing}"


# Rules whose cases need data outside the vehicle table (tested in tests/test_rules.py).
_RULES_TESTED_ELSEWHERE = {
    "classification.undetermined",
    "classification.unverified_code",
    "market.age_limit",
    "market.used_import_banned",
    "vehicle.scrap_undetermined",
}


def test_case_files_exist() -> None:
    assert CASE_FILES, Path(LAW_DIR / "cases")
