"""End-to-end screening benchmark (not a test): ``python benchmarks/screen_bench.py``.

1. Generates N realistic synthetic vehicles as CSV (cached under benchmarks/out/).
2. Times the bare ``polars.read_csv`` of that file: the floor.
3. Times ``chuhai screen FILE --format json`` end to end in a child process, with its peak memory.
4. Times the engine's one-vehicle-at-a-time path (``screen_records``) on a sample, extrapolated to N.

``benchmarks/run`` runs this with the other figures of issue 13.

Prints the figures and both ratios, measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
AS_OF = dt.date(2026, 11, 22)
OWNER = "重庆渝新二手车出口有限公司"


def generate(n: int) -> Path:
    from chuhai.synthetic import exporter_yaml, stock_frame

    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"stock-{n}.csv"
    profile = OUT / "exporter.yaml"
    profile.write_text(exporter_yaml(OWNER, dt.date(2026, 1, 15)), encoding="utf-8")
    if not path.exists():
        started = time.perf_counter()
        frames = [stock_frame(min(200_000, n - i), AS_OF, OWNER, seed=i) for i in range(0, n, 200_000)]
        pl.concat(frames).write_csv(path)
        print(f"generated {n:,} vehicles in {time.perf_counter() - started:.1f} s → {path}")
    return path


def bare_parse(path: Path) -> float:
    started = time.perf_counter()
    frame = pl.read_csv(path)
    elapsed = time.perf_counter() - started
    assert frame.height > 0
    return elapsed


def end_to_end(path: Path) -> tuple[float, float, Path]:
    output = OUT / "screen.json"
    cmd = [
        sys.executable,
        "-m",
        "chuhai.cli",
        "screen",
        str(path),
        "--exporter",
        str(OUT / "exporter.yaml"),
        "--as-of",
        AS_OF.isoformat(),
        "--format",
        "json",
        "--output",
        str(output),
    ]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=env)
    elapsed = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak_kib / 1024, output


def one_at_a_time(path: Path, sample: int) -> float:
    """``screen_records`` one vehicle per call (the compiled one-vehicle path, its plan compiled
    before timing)."""
    from chuhai.engine import load_law
    from chuhai.engine.screen import screen_records
    from chuhai.io.profile import load_exporter_profile

    law = load_law()
    exporter = load_exporter_profile(OUT / "exporter.yaml")
    records = pl.read_csv(path, n_rows=sample, infer_schema=False).to_dicts()
    screen_records(records[:1], exporter, AS_OF, law)  # compiles and caches the plan
    started = time.perf_counter()
    for record in records:
        screen_records([record], exporter, AS_OF, law)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--vehicles", type=int, default=1_000_000)
    parser.add_argument("--single-sample", type=int, default=20_000)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"polars {pl.__version__}"
    )
    path = generate(args.vehicles)
    size_mb = path.stat().st_size / 1e6
    floor = bare_parse(path)
    wall, peak_mb, output = end_to_end(path)
    summary = json.loads(output.read_bytes()[-4000:].split(b'"summary":', 1)[1][:-2])
    single = one_at_a_time(path, args.single_sample)
    single_total = single / args.single_sample * args.vehicles
    print(
        f"\ninput: {args.vehicles:,} vehicles, {size_mb:,.0f} MB CSV; "
        f"output {output.stat().st_size / 1e6:,.0f} MB JSON"
    )
    print(f"verdicts: {summary['verdicts']}")
    print(f"bare polars.read_csv (floor):       {floor:8.2f} s")
    print(
        f"chuhai screen --format json (e2e):  {wall:8.2f} s   {args.vehicles / wall:,.0f} vehicles/s   "
        f"peak RSS {peak_mb:,.0f} MB"
    )
    print(
        f"one-at-a-time path: {args.single_sample:,} vehicles in {single:.1f} s "
        f"→ {single_total:,.0f} s extrapolated to {args.vehicles:,}"
    )
    print(f"ratio e2e / bare parse:             {wall / floor:8.1f}×   (target ≤ 3×)")
    print(f"speed-up over one-at-a-time:        {single_total / wall:8.1f}×   (target ≥ 20×)")
    print(f"targets: < 10 s: {'yes' if wall < 10 else 'no'}; < 4 GB: {'yes' if peak_mb < 4096 else 'no'}")


if __name__ == "__main__":
    main()
