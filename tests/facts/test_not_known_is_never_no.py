"""'Not known' is never 'no' (vehicle-file.md): an unstated prohibition fact is input.unverified,
the exporter's attestation states facts for a whole file and is cited, and the CLI shows both."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from chuhai import schema
from chuhai.cli import main
from chuhai.engine import load_law, screen_records
from chuhai.errors import InputError
from chuhai.io.profile import exporter_from_mapping, load_exporter_profile

AS_OF = dt.date(2026, 11, 22)
NAME = "重庆渝新二手车出口有限公司"
PROFILE = {
    "name": NAME,
    "uscc": "91500000MA5U00000W",
    "kind": "circulation",
    "used_car_filing": {"approved_on": "2026-01-15"},
}
CAR = {
    "vin": "LFMAP22CXN0123456",
    "brand": "丰田",
    "manufacturer": "一汽丰田汽车有限公司",
    "vehicle_category": "passenger",
    "body_type": "sedan",
    "fuel": "petrol",
    "displacement_ml": "2487",
    "seats": "5",
    "size_class": "small",
    "use_nature": "non_operating",
    "registration_date": "2022-03-01",
    "transfer_pending_export_date": "2026-11-01",
    "owner_name": NAME,
    "test_result": "pass",
    "destination": "KZ",
}
STATED = {
    "seized": "否",
    "crime_proceeds": "否",
    "smuggled_or_assembled": "否",
    "unresolved_violations": "否",
    "modified_unproven": "否",
    "encumbrance": "无",
    "registration_matches": "是",
    "documents_complete": "是",
}


def _screen(record: dict[str, str | None], **profile: object) -> tuple[str, dict[str, dict[str, object]]]:
    exporter = exporter_from_mapping({**PROFILE, **profile})
    (result,) = screen_records([record], exporter, AS_OF, load_law())
    return result.verdict.value, {f.rule: f.facts for f in result.findings}


def test_every_fact_stated_is_eligible() -> None:
    verdict, findings = _screen({**CAR, **STATED})
    assert verdict == "eligible", findings
    assert "input.unverified" not in findings


@pytest.mark.parametrize("fact", list(schema.PROHIBITION_FACTS))
def test_each_unstated_fact_is_named(fact: str) -> None:
    for record in ({**CAR, **STATED, fact: ""}, {k: v for k, v in {**CAR, **STATED}.items() if k != fact}):
        verdict, findings = _screen(record)
        assert verdict == "action_required"
        assert findings["input.unverified"]["missing"] == fact
        assert "input.incomplete" not in findings  # said once, by the rule that is about it


def test_the_seized_column_the_reader_did_not_know_is_never_not_seized(tmp_path: Path) -> None:
    # Issue 9: a column headed 是否查封 was dropped and "not seized" assumed: the car came out eligible.
    stock = tmp_path / "stock.csv"
    header = [*CAR, *(k for k in STATED if k != "seized"), "是否查封X"]
    values = [*CAR.values(), *(v for k, v in STATED.items() if k != "seized"), "是"]
    stock.write_text(",".join(header) + "\n" + ",".join(values) + "\n", encoding="utf-8")
    profile = tmp_path / "exporter.json"
    profile.write_text(json.dumps(PROFILE, ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "out.json"
    args = ["screen", str(stock), "--exporter", str(profile), "--as-of", "2026-11-22", "--format", "json"]
    result = CliRunner().invoke(main, [*args, "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    (vehicle,) = json.loads(out.read_text(encoding="utf-8"))["vehicles"]
    assert vehicle["verdict"] != "eligible"
    (finding,) = [f for f in vehicle["findings"] if f["rule"] == "input.unverified"]
    assert finding["facts"]["missing"] == "seized"
    assert finding["severity"] == "action"


def test_the_attestation_states_facts_for_the_file_and_is_cited() -> None:
    record = {**CAR, **STATED, "seized": None, "documents_complete": ""}
    verdict, findings = _screen(record, attests=["documents_complete", "seized"])
    assert verdict == "eligible"
    assert findings["input.attested"]["attested"] == "seized, documents_complete"
    assert findings["input.attested"]["exporter_name"] == NAME
    assert "input.unverified" not in findings


def test_a_cell_wins_over_the_attestation() -> None:
    everything = list(schema.PROHIBITION_FACTS)
    verdict, findings = _screen({**CAR, **STATED, "registration_matches": "否"}, attests=everything)
    assert verdict == "blocked"
    assert "vehicle.registration_mismatch" in findings
    assert "input.attested" not in findings


def test_an_unreadable_fact_is_invalid_not_attested() -> None:
    verdict, findings = _screen({**CAR, **STATED, "seized": "#N/A"}, attests=["seized"])
    assert verdict == "invalid"
    assert findings["input.invalid"]["value"] == "#N/A"


def test_new_vehicles_are_not_asked_for_used_car_prohibitions() -> None:
    _verdict, findings = _screen({**CAR, "condition": "new"})
    assert "input.unverified" not in findings


def test_the_profile_reads_attests(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"name: {NAME}\nkind: circulation\nattests: [crime_proceeds, seized]\n", encoding="utf-8")
    assert load_exporter_profile(path).attests == ("seized", "crime_proceeds")
    with pytest.raises(InputError, match=r"attests\[1\]: expected one of seized, .*got 'sized'"):
        exporter_from_mapping({**PROFILE, "attests": ["seized", "sized"]})
    with pytest.raises(InputError, match="attests: expected a list"):
        exporter_from_mapping({**PROFILE, "attests": "seized"})
