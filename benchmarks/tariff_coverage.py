"""Tariff coverage of a realistic stock (not a test): ``python benchmarks/tariff_coverage.py``.

Generates the synthetic stock of :mod:`benchmarks.screen_bench` (same generator, owner, exporter
profile and evaluation date), screens it with the engine and prints the share of vehicles whose
commodity code is unverified (``classification.unverified_code``: a code built from the digit pattern,
not seen in a source) and the share whose code cannot be determined (``classification.undetermined``),
and the codes the stock gets with their status and confidence.

Run it at two commits (e.g. through ``git stash`` or a second worktree) to compare the tables.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
AS_OF = dt.date(2026, 11, 22)  # benchmarks/screen_bench.py
OWNER = "重庆渝新二手车出口有限公司"
RULES = ("classification.unverified_code", "classification.undetermined")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vehicles", type=int, default=200_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))

    from chuhai.engine import load_law
    from chuhai.engine.screen import screen_parsed
    from chuhai.io.parse import load_vehicle_file
    from chuhai.io.profile import load_exporter_profile
    from chuhai.synthetic import exporter_yaml, stock_frame

    law = load_law()
    with tempfile.TemporaryDirectory() as tmp:
        profile = Path(tmp) / "exporter.yaml"
        profile.write_text(exporter_yaml(OWNER, dt.date(2026, 1, 15)), encoding="utf-8")
        path = Path(tmp) / "stock.csv"
        stock_frame(args.vehicles, AS_OF, OWNER, seed=0).write_csv(path)
        parsed = load_vehicle_file(path)
        run = screen_parsed(parsed, load_exporter_profile(profile), AS_OF, law)
    total = len(run.results)
    print(f"law {law.version}; {total:,} synthetic vehicles (seed 0), as of {AS_OF}")
    for rule_id in RULES:
        count = sum(1 for r in run.results if any(f.rule == rule_id for f in r.findings))
        print(f"{rule_id:34s} {count:8,d}  {100 * count / total:5.1f} %")
    codes = Counter(r.commodity_code for r in run.results)
    print("\ncodes given (vehicles, status, confidence):")
    for code, count in codes.most_common():
        entry = law.commodity.by_code(code) if code else None
        status = f"{entry.status:8s} {entry.confidence}" if entry else "-"
        print(f"  {code or '(none)':10s} {count:8,d}  {status}")


if __name__ == "__main__":
    main()
