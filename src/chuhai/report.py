"""Screen a whole parsed file chunk by chunk and write the results as JSON, CSV, XLSX or a table.

The JSON document is written as it is produced (``vehicles`` first, ``summary`` last), so a
million-row file never has to sit in memory as Python objects; every string is encoded by polars.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import polars as pl

from chuhai.engine.law import Law
from chuhai.engine.screen import Evaluation, Plan, compile_plan, evaluate, iter_chunks, summarise
from chuhai.io.parse import ParsedTable
from chuhai.io.profile import ExporterProfile

CHUNK_ROWS = 250_000
Progress = Callable[[int], None]


@dataclass
class RunOutput:
    """What a chunked run keeps: the per-vehicle frame and the rule of every finding (for summaries)."""

    vehicles: list[pl.DataFrame] = field(default_factory=list)
    findings: list[pl.DataFrame] = field(default_factory=list)
    deadlines: list[pl.DataFrame] = field(default_factory=list)
    rules: list[pl.Series] = field(default_factory=list)

    def summary(self, blank_rows: int) -> dict[str, Any]:
        verdicts = (
            pl.concat([v["verdict"] for v in self.vehicles])
            if self.vehicles
            else pl.Series([], dtype=pl.String)
        )
        rules = pl.concat(self.rules) if self.rules else pl.Series([], dtype=pl.String)
        return summarise(verdicts, rules, blank_rows)


def exporter_json(exporter: ExporterProfile) -> dict[str, Any]:
    return {
        "name": exporter.name,
        "uscc": exporter.uscc,
        "kind": exporter.kind,
        "filing_approved_on": exporter.filing_approved_on.isoformat()
        if exporter.filing_approved_on
        else None,
        "authorised_by": list(exporter.authorised_by),
        "attests": list(exporter.attests),
    }


def vehicle_json_lines(ev: Evaluation, lang: str = "zh") -> pl.Series:
    """One JSON object per vehicle, in input order, assembled column-wise (strings escaped by polars)."""
    message = pl.col("message_zh" if lang == "zh" else "message_en").alias("message")
    finding = pl.concat_str(
        pl.struct(pl.col("rule"), pl.col("severity"), message, pl.col("reference"), pl.col("confidence"))
        .struct.json_encode()
        .str.strip_suffix("}"),
        pl.lit(',"facts":'),
        pl.col("facts"),
        pl.lit("}"),
    )
    # Encode flat first, then aggregate: expressions inside group_by run once per group (slow).
    findings = (
        ev.findings.select("row", finding.alias("_json"))
        .group_by("row", maintain_order=True)
        .agg(pl.col("_json"))
        .select("row", pl.col("_json").list.join(",").alias("_f"))
    )
    deadline = pl.struct("kind", "due", "rule").struct.json_encode()
    deadlines = (
        ev.deadlines.select("row", deadline.alias("_json"))
        .group_by("row", maintain_order=True)
        .agg(pl.col("_json"))
        .select("row", pl.col("_json").list.join(",").alias("_d"))
    )
    # A workbook read from several sheets: each vehicle also names its sheet and spreadsheet row.
    where = ["sheet", "sheet_row"] if "sheet" in ev.vehicles.columns else []
    head = pl.struct("row", *where, "vin", "verdict", "commodity_code", "customs_name").struct.json_encode()
    return (
        ev.vehicles.join(findings, on="row", how="left", maintain_order="left")
        .join(deadlines, on="row", how="left", maintain_order="left")
        .select(
            pl.concat_str(
                head.str.strip_suffix("}"),
                pl.lit(',"findings":['),
                pl.col("_f").fill_null(""),
                pl.lit('],"deadlines":['),
                pl.col("_d").fill_null(""),
                pl.lit("]}"),
            ).alias("line")
        )
        .to_series()
    )


def with_sheet_rows(vehicles: pl.DataFrame, sheet_keys: tuple[str, ...]) -> pl.DataFrame:
    """``sheet`` and ``sheet_row`` from the row keys of a workbook read from several sheets."""
    from chuhai.io.readers import SHEET_ROW_STRIDE

    index = pl.col("row") // SHEET_ROW_STRIDE
    return vehicles.with_columns(
        index.replace_strict(list(range(len(sheet_keys))), list(sheet_keys), return_dtype=pl.String).alias(
            "sheet"
        ),
        (pl.col("row") % SHEET_ROW_STRIDE).alias("sheet_row"),
    )


def run(
    parsed: ParsedTable,
    exporter: ExporterProfile,
    as_of: dt.date,
    law: Law,
    on_chunk: Callable[[Evaluation], None],
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[Plan, RunOutput]:
    plan = compile_plan(law, exporter, as_of)
    out = RunOutput()
    for typed, problems in iter_chunks(parsed, chunk_rows):
        ev = evaluate(typed, problems, plan)
        on_chunk(ev)
        out.vehicles.append(ev.vehicles)
        out.rules.append(ev.findings["rule"])
        if progress is not None:
            progress(typed.height)
    return plan, out


def write_json(
    stream: IO[bytes],
    parsed: ParsedTable,
    exporter: ExporterProfile,
    as_of: dt.date,
    law: Law,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
    lang: str = "zh",
) -> dict[str, Any]:
    header = {
        "as_of": as_of.isoformat(),
        "law_version": law.version,
        "language": lang,
        "exporter": exporter_json(exporter),
        # Every column accounted for: the columns read, the columns not used and what they resemble;
        # every row: the sheets read or not, blank rows and rows that are not vehicles (totals…).
        "columns": parsed.raw.column_summary() if parsed.raw is not None else None,
        "rows": parsed.raw.row_summary() if parsed.raw is not None else None,
    }
    stream.write((json.dumps(header, ensure_ascii=False)[:-1] + ',\n"vehicles":[\n').encode())
    first = True

    def emit(ev: Evaluation) -> None:
        nonlocal first
        if parsed.raw is not None and parsed.raw.sheet_keys:
            ev = dataclasses.replace(ev, vehicles=with_sheet_rows(ev.vehicles, parsed.raw.sheet_keys))
        lines = vehicle_json_lines(ev, lang)
        if not lines.len():
            return
        # Every vehicle but the very first starts with the separating comma; polars writes the
        # UTF-8 bytes straight to the stream, one vehicle per line.
        separated = pl.concat_str(pl.lit(","), pl.col("line"))
        if first:
            separated = pl.when(pl.int_range(pl.len()) == 0).then(pl.col("line")).otherwise(separated)
        lines.to_frame("line").select(separated.alias("line")).write_csv(
            stream, include_header=False, quote_style="never"
        )
        first = False

    _, out = run(parsed, exporter, as_of, law, emit, progress, chunk_rows)
    summary = out.summary(parsed.raw.blank_rows_skipped if parsed.raw is not None else 0)
    stream.write(('],\n"summary":' + json.dumps(summary, ensure_ascii=False) + "}\n").encode())
    return summary


def _text_columns(ev: Evaluation) -> pl.DataFrame:
    """Verdict and findings as spreadsheet-friendly text columns, one row per vehicle."""
    findings = ev.findings.group_by("row", maintain_order=True).agg(
        pl.concat_str(pl.col("rule"), pl.lit("："), pl.col("message_zh")).str.join("\n").alias("findings"),
        pl.col("rule").str.join(", ").alias("rules"),
    )
    deadlines = ev.deadlines.group_by("row", maintain_order=True).agg(
        pl.concat_str(pl.col("kind"), pl.lit(" "), pl.col("due").dt.strftime("%Y-%m-%d"))
        .str.join("\n")
        .alias("deadlines")
    )
    return (
        ev.vehicles.join(findings, on="row", how="left", maintain_order="left")
        .join(deadlines, on="row", how="left", maintain_order="left")
        .select(
            "row",
            pl.col("verdict").alias(VERDICT_COLUMN),
            pl.col("commodity_code").alias("商品编码 commodity_code"),
            pl.col("customs_name").alias("报关品名 customs_name"),
            pl.col("rules").fill_null("").alias("规则 rules"),
            pl.col("findings").fill_null("").alias("问题 findings"),
            pl.col("deadlines").fill_null("").alias("期限 deadlines"),
        )
    )


def tabular(
    parsed: ParsedTable,
    exporter: ExporterProfile,
    as_of: dt.date,
    law: Law,
    progress: Progress | None = None,
    chunk_rows: int = CHUNK_ROWS,
) -> tuple[pl.DataFrame, dict[str, Any]]:
    """The input rows as the user wrote them, with verdict and findings appended."""
    parts: list[pl.DataFrame] = []
    _, out = run(
        parsed, exporter, as_of, law, lambda ev: parts.append(_text_columns(ev)), progress, chunk_rows
    )
    appended = pl.concat(parts) if parts else pl.DataFrame()
    raw = parsed.raw.frame if parsed.raw is not None else parsed.frame
    inverse = (
        {canonical: original for original, canonical in parsed.raw.mapping.items()} if parsed.raw else {}
    )
    original = raw.rename({c: inverse.get(c, c) for c in raw.columns if c != "row" and c in inverse})
    table = original.join(appended, on="row", how="left", maintain_order="left")
    if parsed.raw is not None and parsed.raw.sheet_keys:
        # Several sheets: the (sheet) column and the sheet's own row number say where each vehicle is.
        from chuhai.io.readers import SHEET_ROW_STRIDE

        table = table.with_columns(pl.col("row") % SHEET_ROW_STRIDE)
    return table, out.summary(parsed.raw.blank_rows_skipped if parsed.raw is not None else 0)


VERDICT_COLUMN = "筛查结论 verdict"


def typed_cells(parsed: ParsedTable, table: pl.DataFrame) -> dict[str, pl.Series]:
    """The parsed numbers and dates of the :func:`tabular` table's input columns (by the header as
    the user wrote it), so the XLSX shows them as numbers and dates: null where a cell was empty or
    could not be read (that cell is written as the text it holds)."""
    from chuhai import schema

    if parsed.raw is None:
        return {}
    inverse = {canonical: original for original, canonical in parsed.raw.mapping.items()}
    typed: dict[str, pl.Series] = {}
    for column in schema.COLUMN_LIST:
        header = inverse.get(column.name, column.name)
        numeric = column.kind in ("integer", "decimal", "date")
        if numeric and header in table.columns and column.name in parsed.raw.frame.columns:
            typed[header] = parsed.frame.get_column(column.name)
    return typed


def frozen_columns(parsed: ParsedTable, table: pl.DataFrame) -> tuple[str, ...]:
    """Row number, VIN and verdict: the columns an XLSX result keeps in view at the left."""
    inverse = (
        {canonical: original for original, canonical in parsed.raw.mapping.items()} if parsed.raw else {}
    )
    wanted = ("row", inverse.get("vin", "vin"), VERDICT_COLUMN)
    return tuple(c for c in wanted if c in table.columns)


def write_output_file(
    path: Path,
    fmt: str,
    table: pl.DataFrame,
    *,
    parsed: ParsedTable | None = None,
    encoding: str = "utf-8-sig",
) -> None:
    """``table`` (from :func:`tabular`) as CSV (``encoding`` utf-8-sig or gb18030) or XLSX (row, VIN
    and verdict frozen at the left, numbers and dates typed when ``parsed`` is given)."""
    from chuhai.io import writers

    if fmt == "csv":
        writers.write_results_csv(path, table, encoding=encoding)  # type: ignore[arg-type]
    elif parsed is None:
        writers.write_results_xlsx(path, table)
    else:
        writers.write_results_xlsx(
            path, table, freeze_columns=frozen_columns(parsed, table), typed=typed_cells(parsed, table)
        )
