"""Duplicate VINs in one file: input.duplicate_vin on every row of the repeat, and a plan never puts a
VIN on a licence twice (issue 9: one VIN was planned three times)."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
from click.testing import CliRunner

from chuhai.cli import main
from chuhai.io.parse import load_vehicle_file
from chuhai.io.profile import load_exporter_profile
from chuhai.synthetic import stock_frame
from tests.facts.test_not_known_is_never_no import AS_OF

ROOT = Path(__file__).resolve().parents[2]
DEMO_EXPORTER = ROOT / "demo" / "exporter.yaml"


def _stock(tmp_path: Path, repeats: int) -> tuple[Path, str]:
    """A generated stock file whose first car is on ``repeats`` rows: its own and the last ones."""
    owner = load_exporter_profile(DEMO_EXPORTER).name
    frame = stock_frame(30, AS_OF, owner, seed=11)
    first = frame.head(1)
    path = tmp_path / "stock.csv"
    pl.concat([frame, *([first] * (repeats - 1))]).write_csv(path)
    return path, first["vin"][0]


def test_every_row_of_a_repeated_vin_is_blocked(tmp_path: Path) -> None:
    path, vin = _stock(tmp_path, 3)
    out = tmp_path / "out.json"
    args = ["screen", str(path), "--exporter", str(DEMO_EXPORTER), "--as-of", AS_OF.isoformat()]
    result = CliRunner().invoke(main, [*args, "--format", "json", "--output", str(out)])
    assert result.exit_code in (0, 1), result.output
    vehicles = json.loads(out.read_text(encoding="utf-8"))["vehicles"]
    repeated = [v for v in vehicles if v["vin"] == vin]
    assert [v["row"] for v in repeated] == [2, 32, 33]
    for vehicle in repeated:
        assert vehicle["verdict"] in ("blocked", "invalid")
        (finding,) = [f for f in vehicle["findings"] if f["rule"] == "input.duplicate_vin"]
        assert finding["severity"] == "block"
        assert finding["facts"] == {"vin": vin, "rows": "2, 32, 33"}
    others = [v for v in vehicles if v["vin"] != vin]
    assert not any(f["rule"] == "input.duplicate_vin" for v in others for f in v["findings"])


def test_repeats_are_seen_across_screening_chunks(tmp_path: Path) -> None:
    from chuhai.engine import load_law
    from chuhai.report import run

    path, _vin = _stock(tmp_path, 2)
    parsed = load_vehicle_file(path)
    rows: list[int] = []

    def collect(ev: object) -> None:
        findings = ev.findings  # type: ignore[attr-defined]
        rows.extend(findings.filter(pl.col("rule") == "input.duplicate_vin")["row"].to_list())

    run(parsed, load_exporter_profile(DEMO_EXPORTER), AS_OF, load_law(), collect, chunk_rows=7)
    assert rows == [2, 32]


def test_plan_never_puts_a_vin_on_a_licence_twice(tmp_path: Path) -> None:
    owner = load_exporter_profile(DEMO_EXPORTER).name
    frame = stock_frame(60, AS_OF, owner, seed=5)
    path = tmp_path / "stock.csv"
    frame.write_csv(path)
    args = [str(path), "--exporter", str(DEMO_EXPORTER), "--as-of", AS_OF.isoformat(), "--format", "json"]
    clean = json.loads(CliRunner().invoke(main, ["plan", *args]).stdout)
    planned = [vin for licence in clean["licences"] for vin in licence["vehicles"]]
    assert planned, "the generated file must plan some vehicle for this test to mean anything"
    vin = planned[0]
    row = frame.filter(pl.col("vin") == vin)
    pl.concat([frame, row, row]).write_csv(path)
    result = CliRunner().invoke(main, ["plan", *args])
    assert result.exit_code == 0, result.output
    plan = json.loads(result.stdout)
    planned_again = [v for licence in plan["licences"] for v in licence["vehicles"]]
    assert len(planned_again) == len(set(planned_again))
    assert vin not in planned_again
    excluded = [e for e in plan["excluded"] if e["vin"] == vin]
    assert len(excluded) == 3
    assert all("input.duplicate_vin" in e["rules"] for e in excluded)
