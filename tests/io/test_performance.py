"""How long reading and parsing a million-row stock file takes, against a bare ``polars.read_csv``.

Printed, not asserted (timings depend on the machine and its load); the correctness of the big
parse is asserted. Run alone with ``-s`` to see the figures::

    PYTHONPATH=src python -m pytest tests/io/test_performance.py -s -p no:cacheprovider

``CHUHAI_PERF_ROWS`` changes the row count (default 1,000,000).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import polars as pl
import pytest

from chuhai import schema
from chuhai.io.parse import load_vehicle_file, parse_vehicles
from chuhai.io.readers import read_vehicle_file
from chuhai.io.writers import write_results_csv, write_results_xlsx

T = TypeVar("T")
ROWS = int(os.environ.get("CHUHAI_PERF_ROWS", "200000"))  # CHUHAI_PERF_ROWS=1000000 for the full figure

# Realistic cell spellings per column: mostly canonical, some synonyms, some empty.
SPELLINGS: dict[str, list[str | None]] = {
    "车辆品牌": ["丰田", "比亚迪", "大众", "本田", "吉利"],
    "车辆型号": ["BYD7009BEV", "SVW71417BM", "GTM7200", "JL7152L1"],
    "制造厂名称": ["比亚迪汽车工业有限公司", "上汽大众汽车有限公司", "广汽丰田汽车有限公司"],
    "vehicle_category": ["passenger", "乘用车", None],
    "body_type": ["sedan", "小轿车", "越野车", "wagon"],
    "燃料种类": ["汽油", "纯电动", "petrol", "插电混动", "bev"],
    "排量": ["1498", "1998", None, "2000"],
    "功率": ["110", "150.5", "96", "135.2"],
    "核定载客": ["5", "7"],
    "size_class": ["small", "小型", "medium"],
    "使用性质": ["非营运", "出租客运", "租赁", "non_operating"],
    "steering": ["lhd", None],
    "condition": ["used", "二手"],
    "出厂日期": [f"20{y:02d}-{m:02d}-15" for y in range(15, 26) for m in range(1, 13)],
    "注册登记日期": [
        f"20{y:02d}-{m:02d}-{d:02d}" for y in range(15, 26) for m in range(1, 13) for d in (2, 27)
    ],
    "转让登记待出口日期": ["2026-01-05", None, "2026-01-08"],
    "temp_plate_issue_date": ["2026-01-06", None],
    "insurance_expiry": ["2026-12-31", "2027-03-01"],
    "机动车所有人": ["重庆某某二手车出口有限公司"],
    "odometer_km": [str(x) for x in range(0, 300_000, 7)],
    "encumbrance": ["none", "无", None],
    "seized": ["否", "false", None],
    "crime_proceeds": ["否", None],
    "smuggled_or_assembled": ["否", None],
    "unresolved_violations": ["否", "是"],
    "modified_unproven": ["N", None],
    "registration_matches": ["是", "Y"],
    "documents_complete": ["是", None],
    "test_result": ["合格", "pass", "missing"],
    "aftersales_confirmation": ["是", "否"],
    "目的国": ["RU", "KZ", "KG", "AE"],
    "licence_application_date": ["2026-02-01", None],
    "customs_clearance_date": [None, "2026-02-20"],
    "trailer_kind": [None],
    "原使用性质": [None, "出租客运"],
    "special_cargo_function": [None],
    "failed_standards_after_repair": ["否", None],
    "inspection_lapsed_3_cycles": ["否", None],
    "备注": [None, "急", "客户A"],
}
# Every 1000th row carries two unreadable cells: a bad date and a bad boolean.
BAD_EVERY = 1000


def synthetic_stock(rows: int) -> pl.DataFrame:
    """A stock file with every column, generated column-wise by polars (no Python loop per row)."""
    index = pl.int_range(0, rows, eager=True)
    columns: dict[str, pl.Series] = {
        "车辆识别代号": ("LVSHCAMB" + index.cast(pl.String).str.zfill(9)).alias("v"),
    }
    for seed, (header, values) in enumerate(SPELLINGS.items()):
        picks = (index.hash(seed) % len(values)).cast(pl.Int64)
        columns[header] = pl.Series(values, dtype=pl.String).gather(picks)
    frame = pl.DataFrame(columns)
    bad = (index % BAD_EVERY) == 0
    return frame.with_columns(
        pl.when(bad).then(pl.lit("2026-02-30")).otherwise(pl.col("出厂日期")).alias("出厂日期"),
        pl.when(bad).then(pl.lit("maybe")).otherwise(pl.col("seized")).alias("seized"),
    )


def best_of(runs: int, action: Callable[[], T]) -> tuple[float, float, T]:
    """Best wall-clock and best CPU time (all threads) over ``runs``; CPU time is the steadier
    figure on a shared machine, wall-clock what a user waits."""
    wall, cpu, result = float("inf"), float("inf"), None
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        result = action()
        wall = min(wall, time.perf_counter() - started)
        cpu = min(cpu, time.process_time() - started_cpu)
    assert result is not None
    return wall, cpu, result


@pytest.mark.slow
def test_million_rows_read_and_parse(tmp_path: Path) -> None:
    stock = synthetic_stock(ROWS)
    assert len(stock.columns) == len(schema.COLUMNS) + 1
    path = tmp_path / "stock.csv"
    stock.write_csv(path)

    bare, bare_cpu, _ = best_of(3, lambda: pl.read_csv(path, infer_schema=False))
    read_only, read_cpu, raw = best_of(3, lambda: read_vehicle_file(path))
    contract, contract_cpu, parsed_contract = best_of(3, lambda: parse_vehicles(read_vehicle_file(path)))
    pipeline, pipeline_cpu, parsed = best_of(3, lambda: load_vehicle_file(path))

    bad_rows = (ROWS + BAD_EVERY - 1) // BAD_EVERY
    assert parsed.frame.height == ROWS
    assert parsed.problems.height == 2 * bad_rows
    assert parsed.invalid_rows.len() == bad_rows
    assert parsed.frame.equals(parsed_contract.frame)
    assert raw.frame.height == ROWS

    out = tmp_path / "results.csv"
    results = parsed.raw.frame.with_columns(pl.lit("eligible").alias("verdict"), pl.lit("").alias("findings"))
    started = time.perf_counter()
    write_results_csv(out, results)
    write_csv = time.perf_counter() - started
    started = time.perf_counter()
    write_results_xlsx(tmp_path / "results.xlsx", results.head(20_000))
    write_xlsx = time.perf_counter() - started

    size = path.stat().st_size >> 20

    def line(label: str, wall: float, cpu: float) -> str:
        return f"  {label:42s} {wall:6.2f} s  {wall / bare:5.2f}x   cpu {cpu:6.2f} s  {cpu / bare_cpu:5.2f}x"

    lines = [
        f"\n{ROWS:,} rows x {len(stock.columns)} columns, {size} MiB CSV, {os.cpu_count()} CPUs, best of 3",
        line("bare pl.read_csv(infer_schema=False)", bare, bare_cpu),
        line("read_vehicle_file (all cells stripped)", read_only, read_cpu),
        line("read_vehicle_file + parse_vehicles", contract, contract_cpu),
        line("load_vehicle_file (pipeline fast path)", pipeline, pipeline_cpu),
        f"  write_results_csv ({ROWS:,} rows)            {write_csv:6.2f} s",
        f"  write_results_xlsx (20,000 rows)             {write_xlsx:6.2f} s",
    ]
    print("\n".join(lines))
