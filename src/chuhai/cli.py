"""The ``chuhai`` command: thin over the core.

Errors are mapped to exit codes in one place (:data:`EXIT_CODES`); every failure prints one line
on standard error, never a traceback.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click
import polars as pl
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from chuhai import errors, workdays
from chuhai.engine.law import Law, load_law

EXIT_CODES: dict[type[errors.ChuhaiError], int] = {
    errors.InputError: 2,
    errors.ValidationError: 2,
    errors.CalendarDataMissing: 3,
    errors.LawError: 4,
    errors.NotFound: 5,
}

err = Console(stderr=True)


def _exit_code(exc: errors.ChuhaiError) -> int:
    for cls in type(exc).__mro__:
        if cls in EXIT_CODES:
            return EXIT_CODES[cls]
    return 1


class ChuhaiGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except errors.ChuhaiError as exc:
            # A whole-file error speaks the language the command was given (--lang), English otherwise.
            lang = ctx.meta.get("chuhai.lang", "en")
            text = exc.text(lang) if hasattr(exc, "text") else str(exc)
            err.print(f"[bold red]chuhai:[/] {escape(text)}", highlight=False, soft_wrap=True)
            ctx.exit(_exit_code(exc))


def _date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD") from None


def _use_law_dir(must_exist: bool) -> Callable[[click.Context, click.Parameter, Path | None], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
        from chuhai import lawbook

        if value is None:
            return
        # A directory named on the command line must exist (a typo would silently drop the local law);
        # CHUHAI_LAW_DIR may name one that does not exist yet, which adds nothing (as in the web app).
        given = ctx.get_parameter_source(str(param.name)) is click.core.ParameterSource.COMMANDLINE
        if must_exist and given and not value.is_dir():
            raise click.BadParameter(f"{value} is not a directory", ctx, param)
        if value.exists() and not value.is_dir():
            raise click.BadParameter(f"{value} is not a directory", ctx, param)
        lawbook.configure(value)

    return callback


def _law_dir_option(must_exist: bool = True) -> Callable[[Any], Any]:
    """``--law-dir DIR`` (or ``CHUHAI_LAW_DIR``): a local law directory read over the shipped law."""
    return click.option(
        "--law-dir",
        type=click.Path(path_type=Path, file_okay=False),
        envvar="CHUHAI_LAW_DIR",
        expose_value=False,
        is_eager=True,
        callback=_use_law_dir(must_exist),
        help="Local law directory read over the shipped law, file by file (also CHUHAI_LAW_DIR).",
    )


# Every command that screens needs the exporter's profile (its filing, kind and authorisations).
_exporter_option = click.option(
    "--exporter",
    "exporter_path",
    required=True,
    type=click.Path(path_type=Path),
    help="Exporter profile (YAML or JSON).",
)


def _today() -> dt.date:
    # The as-of date is a Chinese legal date: take today's date in China Standard Time.
    return dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).date()


@click.group(cls=ChuhaiGroup)
@click.version_option(package_name="chuhai")
def main() -> None:
    """Chuhai (出海): screen, plan and manage used-car and EV exports from China."""
    from chuhai import lawbook

    lawbook.configure(None)  # each command's --law-dir (or CHUHAI_LAW_DIR) decides, never a previous one


def _load_inputs(
    file: Path, exporter_path: Path, sheet: str | None = None, limits: Any = None
) -> tuple[Any, Any]:
    from chuhai.io.parse import load_vehicle_file
    from chuhai.io.profile import load_exporter_profile
    from chuhai.io.readers import DEFAULT_LIMITS

    exporter = load_exporter_profile(exporter_path)
    with err.status(f"reading {file.name}…"):
        parsed = load_vehicle_file(file, sheet, limits or DEFAULT_LIMITS)
    return parsed, exporter


def _limits(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    """``--max-rows`` / ``--max-memory`` into the reader's budget (the default budget otherwise)."""
    from chuhai.io.readers import DEFAULT_LIMITS

    limits = ctx.meta.get("chuhai.limits", DEFAULT_LIMITS)
    if value is not None:
        try:
            if param.name == "max_rows":
                limits = dataclasses.replace(limits, max_rows=int(value))
            else:
                limits = dataclasses.replace(limits, max_memory=limits.parse_size(value))
        except ValueError as exc:
            raise click.BadParameter(str(exc)) from None
    ctx.meta["chuhai.limits"] = limits
    return limits


def _budget_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """The reading budget of screen and plan: a file past it is refused with one clear message."""
    rows = click.option(
        "--max-rows",
        callback=_limits,
        expose_value=False,
        help="Refuse a stock file with more rows below the header (default 1,048,576).",
    )
    memory = click.option(
        "--max-memory",
        callback=_limits,
        expose_value=False,
        help="Memory budget for reading the file, such as 2G or 512M (default 2G).",
    )
    return rows(memory(command))


# Workbooks: every sheet with a VIN column is read unless one is named.
_sheet_option = click.option(
    "--sheet", help="Read only this worksheet of a workbook (default: every sheet with a VIN column)."
)


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None]]:
    quiet = total < 50_000 or not err.is_terminal
    if quiet:
        yield lambda n: None
        return
    with Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as progress:
        task = progress.add_task(label, total=total)
        yield lambda n: progress.advance(task, n)


@contextmanager
def _binary_output(path: Path | None) -> Iterator[IO[bytes]]:
    if path is None:
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("wb") as handle:
            yield handle
        tmp.replace(path)  # never leave a half-written result under the real name
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def _output(path: Path | None) -> Iterator[IO[str]]:
    if path is None:
        yield sys.stdout
        return
    tmp = path.with_name(path.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8") as handle:
            yield handle
        tmp.replace(path)  # never leave a half-written result under the real name
    finally:
        tmp.unlink(missing_ok=True)


def _print_columns(parsed: Any) -> None:
    """Every column accounted for: what each header was read as, and the columns not used."""
    raw = parsed.raw
    if raw is None or not raw.column_uses:
        return
    summary = raw.column_summary()
    by_sheet: dict[str | None, list[str]] = {}
    for u in summary["used"]:
        unit = f" ({u['unit']})" if u["unit"] else ""
        by_sheet.setdefault(u.get("sheet"), []).append(f"{u['header']} → {u['field']}{unit}")
    for sheet_name, used in by_sheet.items():
        where = f" [{sheet_name}]" if sheet_name else ""
        err.print(
            f"[bold]columns used{escape(where)}:[/] {escape(', '.join(used))}",
            highlight=False,
            soft_wrap=True,
        )
    rows = raw.row_summary()
    for sheet in rows["sheets"]:
        state = f"{sheet['rows']} vehicle rows" if sheet["read"] else f"not read: {sheet['reason']}"
        err.print(f"[bold]sheet[/] {escape(repr(sheet['name']))}: {escape(state)}", highlight=False)
    for row in rows["non_vehicle_rows"]:
        kind = "header repeated" if row["kind"] == "header" else "totals"
        err.print(
            f"[bold yellow]not a vehicle:[/] row {escape(row['reference'])} ({kind}): {escape(row['text'])}",
            highlight=False,
            soft_wrap=True,
        )
    for u in summary["not_used"]:
        why = (
            f"probably means {u['probably']}"
            if u["probably"]
            else (u["note"] or "not a column of the vehicle file")
        )
        if u["probably"] and u["note"]:
            why += f"; {u['note']}"
        where = escape((f"[{u['sheet']}] " if u.get("sheet") else "") + f"{u['column']} {u['header']!r}")
        err.print(
            f"[bold yellow]column not used:[/] {where} — {escape(why)}",
            highlight=False,
            soft_wrap=True,
        )


def _print_summary(summary: dict[str, Any], seconds: float | None = None) -> None:
    verdicts = summary["verdicts"]
    parts = [f"{summary['vehicles']} vehicles"] + [f"{k} {v}" for k, v in verdicts.items()]
    if summary.get("blank_rows_skipped"):
        parts.append(f"blank rows skipped {summary['blank_rows_skipped']}")
    if seconds is not None:
        parts.append(f"{seconds:.1f} s")
    err.print("[bold]summary:[/] " + " · ".join(parts), highlight=False)
    top = list(summary["findings_by_rule"].items())[:8]
    if top:
        err.print("  top findings: " + ", ".join(f"{r} ×{c}" for r, c in top), highlight=False)


@main.command()
@_law_dir_option()
@click.argument("file", type=click.Path(path_type=Path))
@_exporter_option
@click.option(
    "--as-of", callback=_date, help="Evaluate the law as of this date (default: today, China time)."
)
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "xlsx"]), default="table")
@click.option("--output", type=click.Path(path_type=Path), help="Write here instead of standard output.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh", help="Language of the messages.")
@click.option(
    "--encoding",
    type=click.Choice(["utf-8", "gb18030"]),
    help="CSV output only: UTF-8 with a byte-order mark (default, what Excel opens) or GB18030 "
    "for older tools.",
)
@_sheet_option
@_budget_options
def screen(
    file: Path,
    exporter_path: Path,
    as_of: dt.date | None,
    fmt: str,
    output: Path | None,
    lang: str,
    encoding: str | None,
    sheet: str | None,
) -> None:
    """Screen every vehicle of a stock file (CSV or XLSX) against the law."""
    import time

    from chuhai import report

    started = time.perf_counter()
    click.get_current_context().find_root().meta["chuhai.lang"] = lang
    as_of = as_of or _today()
    law = load_law()
    parsed, exporter = _load_inputs(
        file, exporter_path, sheet, click.get_current_context().meta.get("chuhai.limits")
    )
    _print_columns(parsed)
    if fmt in ("csv", "xlsx") and output is None:
        raise errors.InputError(f"--format {fmt} needs --output PATH")
    if encoding is not None and fmt != "csv":
        raise errors.InputError(f"--encoding applies to --format csv only, not {fmt}")
    with _progress(parsed.frame.height, "screening") as advance:
        if fmt == "json":
            with _binary_output(output) as stream:
                summary = report.write_json(stream, parsed, exporter, as_of, law, advance, lang=lang)
        elif fmt in ("csv", "xlsx"):
            assert output is not None
            table, summary = report.tabular(parsed, exporter, as_of, law, advance)
            tmp = output.with_name(output.name + ".part")
            try:
                report.write_output_file(
                    tmp,
                    fmt,
                    table,
                    parsed=parsed,
                    encoding="gb18030" if encoding == "gb18030" else "utf-8-sig",
                )
                tmp.replace(output)
            finally:
                tmp.unlink(missing_ok=True)
        else:
            summary = _print_table(parsed, exporter, as_of, law, advance)
    _print_summary(summary, time.perf_counter() - started)


def _print_table(
    parsed: Any, exporter: Any, as_of: dt.date, law: Law, advance: Callable[[int], None]
) -> dict[str, Any]:
    from chuhai import report

    out = Console()
    colour = {"eligible": "green", "action_required": "yellow", "blocked": "red", "invalid": "magenta"}

    def show(ev: Any) -> None:
        table = Table(show_lines=False, header_style="bold")
        for name in ("row", "VIN", "verdict", "code", "customs name", "findings"):
            table.add_column(name, overflow="fold")
        rules = ev.findings.group_by("row", maintain_order=True).agg(pl.col("rule").str.join(", "))
        frame = ev.vehicles.join(rules, on="row", how="left", maintain_order="left")
        for row, vin, verdict, code, name, found in frame.iter_rows():
            table.add_row(
                parsed.raw.row_reference(row) if parsed.raw is not None else str(row),
                vin or "",
                f"[{colour.get(verdict, 'white')}]{verdict}[/]",
                code or "",
                name or "",
                found or "",
            )
        out.print(table)

    _, run_out = report.run(parsed, exporter, as_of, law, show, advance)
    return run_out.summary(parsed.raw.blank_rows_skipped if parsed.raw is not None else 0)


@main.command()
@_law_dir_option()
@click.argument("file", type=click.Path(path_type=Path))
@_exporter_option
@click.option("--as-of", callback=_date)
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table")
@click.option("--output", type=click.Path(path_type=Path))
@_sheet_option
@_budget_options
def plan(
    file: Path, exporter_path: Path, as_of: dt.date | None, fmt: str, output: Path | None, sheet: str | None
) -> None:
    """Group the eligible vehicles into the fewest licence applications."""
    from chuhai import batching, report

    as_of = as_of or _today()
    law = load_law()
    parsed, exporter = _load_inputs(
        file, exporter_path, sheet, click.get_current_context().meta.get("chuhai.limits")
    )
    evaluations: list[Any] = []
    with _progress(parsed.frame.height, "screening") as advance:
        report.run(parsed, exporter, as_of, law, evaluations.append, advance)
    licences, excluded = batching.plan_licences(
        evaluations, parsed.frame.select("row", "destination"), law, as_of
    )
    document = batching.plan_json(as_of, law, licences, excluded)
    if fmt == "json":
        with _output(output) as stream:
            json.dump(document, stream, ensure_ascii=False, indent=1)
            stream.write("\n")
    else:
        out = Console(file=open(output, "w", encoding="utf-8") if output else None)  # noqa: SIM115
        table = Table(title=f"licence plan as of {as_of.isoformat()}", header_style="bold")
        for name in ("#", "commodity code", "destination", "vehicles", "VINs"):
            table.add_column(name, overflow="fold")
        for i, lic in enumerate(licences, 1):
            table.add_row(str(i), lic.commodity_code, lic.destination, str(len(lic.vins)), " ".join(lic.vins))
        out.print(table)
        if excluded:
            ex = Table(title="cannot go yet", header_style="bold")
            for name in ("row", "VIN", "verdict", "rules / reason"):
                ex.add_column(name, overflow="fold")
            for e in excluded:
                ex.add_row(str(e.row), e.vin or "", e.verdict, ", ".join(e.rules) or (e.reason or ""))
            out.print(ex)
    err.print(
        f"[bold]plan:[/] {len(licences)} licence(s) for "
        f"{sum(len(lic.vins) for lic in licences)} vehicles; {len(excluded)} excluded",
        highlight=False,
    )


@main.command(name="documents")
@_law_dir_option()
@click.argument("file", type=click.Path(path_type=Path))
@_exporter_option
@click.option(
    "--as-of",
    callback=_date,
    help="Screen, plan and date the applications as of this day (default: today, China time).",
)
@click.option(
    "--output",
    "output_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="Directory for the packages (created if missing).",
)
@click.option(
    "--lang2",
    type=click.Choice(["en", "ru", "ar"]),
    help="Second language of contract, invoice, packing list and dossiers (default: by destination).",
)
@click.option("--buyer", help="The foreign buyer's name, as in the contract.")
@click.option("--buyer-address", help="The foreign buyer's address.")
@click.option(
    "--trade-term", type=click.Choice(["EXW", "FOB", "CIF"]), help="Incoterms rule of the contract."
)
@click.option(
    "--place", help="Named place of the trade term (port of shipment for FOB, of destination for CIF)."
)
@click.option(
    "--currency", default="USD", show_default=True, help="ISO 4217 currency of contract and invoice."
)
@click.option("--contract-number", help="The export contract's number.")
@click.option(
    "--dossiers/--no-dossiers", default=True, show_default=True, help="One PDF dossier per vehicle."
)
def documents_command(
    file: Path,
    exporter_path: Path,
    as_of: dt.date | None,
    output_dir: Path,
    lang2: str | None,
    buyer: str | None,
    buyer_address: str | None,
    trade_term: str | None,
    place: str | None,
    currency: str,
    contract_number: str | None,
    dossiers: bool,
) -> None:
    """Write one application package (ZIP) per planned licence of a stock file.

    The file is screened and planned exactly as by ``chuhai plan``; every document is filled from the
    file's rows and their screening. What neither holds (prices, buyer, contract dates ...) is printed
    as 【待补充 / to be supplied】 and listed in the package's checklist, never made up.
    """
    import re

    from chuhai import batching, report
    from chuhai.documents import application_package_zip
    from chuhai.documents.adapters import exporter_info, shared_date, vehicle_record
    from chuhai.documents.model import Batch, Party, TradeTerm
    from chuhai.engine.screen import Evaluation, to_results

    if place and not trade_term:
        raise errors.InputError("--place needs --trade-term")
    currency = currency.strip().upper()
    if not re.fullmatch(r"[A-Z]{3}", currency):
        raise errors.InputError(f"--currency must be an ISO 4217 code such as USD, got {currency!r}")
    as_of = as_of or _today()
    law = load_law()
    parsed, exporter = _load_inputs(file, exporter_path)
    evaluations: list[Evaluation] = []
    with _progress(parsed.frame.height, "screening") as advance:
        report.run(parsed, exporter, as_of, law, evaluations.append, advance)
    licences, excluded = batching.plan_licences(
        evaluations, parsed.frame.select("row", "destination"), law, as_of
    )
    # Typed results and rows only for the planned vehicles (a large file is mostly something else).
    wanted = sorted({vin for lic in licences for vin in lic.vins})
    results: dict[str, list[Any]] = {}
    for ev in evaluations:
        eligible = ev.vehicles.filter(pl.col("vin").is_in(wanted) & (pl.col("verdict") == "eligible"))
        if eligible.height:
            keep = pl.col("row").is_in(eligible["row"].implode())
            part = Evaluation(ev.vehicles.filter(keep), ev.findings.filter(keep), ev.deadlines.filter(keep))
            for result in to_results(part):
                results.setdefault(result.vin or "", []).append(result)
    planned_rows = [r.row for found in results.values() for r in found]
    frame_rows = {
        row["row"]: row
        for row in parsed.frame.filter(pl.col("row").is_in(planned_rows)).iter_rows(named=True)
    }
    exporter_record = exporter_info(exporter)
    party = Party(buyer, buyer_address) if buyer else None
    term = TradeTerm(trade_term, place) if trade_term else None  # type: ignore[arg-type]  # click.Choice
    output_dir.mkdir(parents=True, exist_ok=True)
    out = Console()
    for i, lic in enumerate(licences, 1):
        picked = [results[vin].pop(0) for vin in lic.vins]  # input order, as planned
        rows = [frame_rows[result.row] for result in picked]
        name = f"{i:02d}-{lic.commodity_code}-{lic.destination}"
        batch = Batch(
            reference=f"{as_of:%Y%m%d}-{name}",
            exporter=exporter_record,
            destination=lic.destination,
            vehicles=tuple(vehicle_record(row, r) for row, r in zip(rows, picked, strict=True)),
            buyer=party,
            trade_term=term,
            currency=currency,
            contract_number=contract_number,
            # The screening took a row without its own application date to be applied for on the
            # as-of date; the batch is dated the same way, so documents and verdicts agree.
            licence_application_date=shared_date(row["licence_application_date"] or as_of for row in rows),
            clearance_date=shared_date(row["customs_clearance_date"] for row in rows),
        )
        data = application_package_zip(batch, lang2=lang2, include_dossiers=dossiers)
        path = output_dir / f"licence-{name}.zip"
        tmp = path.with_name(path.name + ".part")
        try:
            tmp.write_bytes(data)
            tmp.replace(path)  # never leave a half-written package under the real name
        finally:
            tmp.unlink(missing_ok=True)
        out.print(
            f"{path}\t{lic.commodity_code}\t{lic.destination}\tvehicles: {len(lic.vins)}\t{len(data)} bytes",
            highlight=False,
            soft_wrap=True,
        )
    err.print(
        f"[bold]documents:[/] {len(licences)} package(s) for {sum(len(lic.vins) for lic in licences)} "
        f"vehicles in {output_dir}; {len(excluded)} vehicle(s) cannot go yet (see chuhai plan)",
        highlight=False,
    )


@main.command()
@_law_dir_option()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("vehicle")
@_exporter_option
@click.option("--as-of", callback=_date)
@click.option("--lang", type=click.Choice(["zh", "en"]), default="zh")
def explain(file: Path, vehicle: str, exporter_path: Path, as_of: dt.date | None, lang: str) -> None:
    """Print one vehicle's full reasoning (VEHICLE = its VIN or its spreadsheet row number)."""
    from chuhai.explain import explain_vehicle

    as_of = as_of or _today()
    parsed, exporter = _load_inputs(file, exporter_path)
    Console().print(explain_vehicle(parsed, vehicle, exporter, as_of, load_law(), lang), highlight=False)


@main.command()
@_law_dir_option()
@click.option(
    "--lang",
    type=click.Choice(["zh", "en", "ru", "ar"]),
    default="zh",
    help="Language of titles and descriptions (reference titles in en/ru/ar are Chuhai's translations; "
    "the official Chinese title is printed too).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def rules(lang: str, fmt: str) -> None:
    """List every rule and legal parameter with its period, reference and confidence (JSON: all languages)."""
    from chuhai.explain import law_catalogue

    law = load_law()
    catalogue = law_catalogue(law)
    horizon = workdays.calendar_horizon(_today(), law.calendar)
    warning = horizon.message(lang)
    if warning and fmt != "json":  # the JSON document carries it in every language
        err.print(f"[bold yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    if fmt == "json":
        catalogue["calendar"] = {
            "covered_years": list(law.calendar.covered_years()),
            "last_day": horizon.last_day.isoformat(),
            "days_left": horizon.days_left,
            "state": horizon.state,
            "warning": {code: horizon.message(code) for code in ("zh", "en", "ru", "ar")}
            if warning
            else None,
        }
        catalogue["local_files"] = [
            {"name": f.name, "path": str(f.path), "replaces_shipped": f.replaces is not None}
            for f in law.local_files()
        ]
        click.echo(json.dumps(catalogue, ensure_ascii=False, indent=1, default=str))
        return
    out = Console()
    out.print(f"[bold]law version {law.version}[/]")
    for item in law.local_files():
        action = "replaces the shipped file" if item.replaces else "adds to the shipped law"
        out.print(f"local law file {escape(item.name)} ({escape(str(item.path))}): {action}", highlight=False)
    table = Table(title="rules", header_style="bold", show_lines=True)
    for name in ("rule", "severity", "in force", "title", "reference", "confidence"):
        table.add_column(name, overflow="fold")
    for item in catalogue["rules"]:
        title = item["title"][lang]
        if item["description"]:
            title += "\n" + item["description"][lang]
        table.add_row(
            item["id"],
            item["severity"],
            item["in_force"],
            escape(title),
            escape("\n".join(_source_text(source, lang) for source in item["sources"])),
            item["confidence"],
        )
    out.print(table)
    ptable = Table(title="parameters", header_style="bold", show_lines=True)
    for name in ("parameter", "from", "value", "unit", "reference", "confidence"):
        ptable.add_column(name, overflow="fold")
    for item in catalogue["parameters"]:
        for index, value in enumerate(item["values"]):
            shown = value["value"]
            text = json.dumps(shown, ensure_ascii=False) if isinstance(shown, (list, dict)) else str(shown)
            if len(text) > 80:
                text = text[:77] + "…"
            name = item["id"] + ("\n" + item["description"][lang] if index == 0 else "")
            ptable.add_row(
                escape(name),
                value["from"],
                escape(text),
                item["unit"],
                f"{value['reference']} [{value['reference_tier']}]",
                value["confidence"],
            )
    out.print(ptable)


@main.command("values")
@click.option("--column", help="Only this column (e.g. use_nature, fuel, vehicle_category).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def values_command(column: str | None, fmt: str) -> None:
    """List the accepted spellings of the enumerated columns (as on the registration certificate…),
    each with its value, the facts it implies, its source and that source's confidence."""
    from chuhai.values import load_values

    table = load_values()
    if column is not None and column not in table.spellings and column not in table.ambiguous:
        raise errors.InputError(
            f"--column: no spellings for {column!r} (columns: {', '.join(table.spellings)})"
        )
    columns = [c for c in table.spellings if column in (None, c)]
    rows: list[dict[str, Any]] = [
        {
            "column": c,
            "spelling": e.text,
            "value": e.value,
            "implies": dict(e.implies),
            "source": e.source,
            "confidence": table.sources[e.source].confidence,
        }
        for c in columns
        for e in table.spellings[c]
    ]
    refused: list[dict[str, Any]] = [
        {"column": c, "spelling": a.text, "candidates": list(a.candidates), "why": dict(a.why)}
        for c, entries in table.ambiguous.items()
        if column in (None, c)
        for a in entries.values()
    ]
    sources = {
        sid: {"title": s.title, "note": s.note, "confidence": s.confidence}
        for sid, s in table.sources.items()
    }
    if fmt == "json":
        document = {"spellings": rows, "ambiguous": refused, "sources": sources}
        click.echo(json.dumps(document, ensure_ascii=False, indent=1))
        return
    out = Console()
    spelled = Table(title="spellings", header_style="bold")
    for name in ("column", "spelling", "value", "implies", "source", "confidence"):
        spelled.add_column(name, overflow="fold")
    for row in rows:
        implied = ", ".join(f"{k}={v}" for k, v in row["implies"].items())
        spelled.add_row(
            *(escape(str(row[k])) for k in ("column", "spelling", "value")),
            implied,
            row["source"],
            row["confidence"],
        )
    out.print(spelled)
    if refused:
        ambiguous = Table(title="refused: ambiguous", header_style="bold")
        for name in ("column", "spelling", "could be", "why"):
            ambiguous.add_column(name, overflow="fold")
        for entry in refused:
            ambiguous.add_row(
                entry["column"],
                escape(entry["spelling"]),
                ", ".join(entry["candidates"]),
                escape(entry["why"]["en"]),
            )
        out.print(ambiguous)
    listing = Table(title="sources", header_style="bold")
    for name in ("source", "title", "note", "confidence"):
        listing.add_column(name, overflow="fold")
    for sid, source in sources.items():
        listing.add_row(sid, escape(source["title"]), escape(source["note"]), source["confidence"])
    out.print(listing)


def _source_text(source: dict[str, Any], lang: str) -> str:
    """A rule's source for the text listing: citation, title in ``lang`` (and the official Chinese
    title under a translated one), address."""
    lines = [f"{source['cite']} [{source['tier']}]"]
    for title in (source["title"][lang], source["title"]["zh"]):
        if title not in lines:
            lines.append(title)
    return "\n".join([*lines, source["url"]])


_provisional_option = click.option(
    "--provisional",
    is_flag=True,
    help="Past the last holiday notice in the data, count weekends only and say so (else: an error).",
)


@contextmanager
def _suggest_provisional() -> Iterator[None]:
    try:
        yield
    except errors.CalendarDataMissing as exc:
        raise errors.CalendarDataMissing(
            f"{exc}; import the notice (chuhai calendar import) or ask for a weekends-only answer "
            "(--provisional)"
        ) from exc


def _warn_provisional(guess: workdays.Provisional | None) -> None:
    if guess is not None:
        err.print(f"[bold yellow]warning:[/] {escape(guess.reason('en'))}", highlight=False, soft_wrap=True)


def _read_text(path: Path) -> str:
    """A text file in UTF-8 (with or without BOM) or GB18030, or standard input for ``-``."""
    try:
        data = sys.stdin.buffer.read() if str(path) == "-" else path.read_bytes()
    except OSError as exc:
        raise errors.InputError(f"{path}: cannot be read: {exc.strerror or exc}") from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise errors.InputError(f"{path}: neither UTF-8 nor GB18030 text")


@main.group(name="workdays")
def workdays_group() -> None:
    """Chinese working days (State Council holiday notices; make-up weekend days count)."""


@workdays_group.command("add")
@_law_dir_option()
@click.argument("date", callback=_date)
@click.argument("n", type=int)
@_provisional_option
def workdays_add(date: dt.date, n: int, provisional: bool) -> None:
    """Print the date N working days after DATE."""
    if not provisional:
        with _suggest_provisional():
            click.echo(workdays.add_workdays(date, n).isoformat())
        return
    day, guess = workdays.add_workdays_or_provisional(date, n)
    click.echo(day.isoformat())
    _warn_provisional(guess)


@workdays_group.command("between")
@_law_dir_option()
@click.argument("a", callback=_date)
@click.argument("b", callback=_date)
@_provisional_option
def workdays_between(a: dt.date, b: dt.date, provisional: bool) -> None:
    """Count the working days after A up to and including B."""
    if not provisional:
        with _suggest_provisional():
            click.echo(str(workdays.workdays_between(a, b)))
        return
    count, guess = workdays.workdays_between_or_provisional(a, b)
    click.echo(str(count))
    _warn_provisional(guess)


@main.group(name="calendar")
def calendar_group() -> None:
    """The working-day calendar's data: State Council holiday notices."""


@calendar_group.command("import")
@_law_dir_option(must_exist=False)
@click.argument("notice", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True))
@click.option(
    "--url",
    required=True,
    help="The notice's official address (www.gov.cn), cited as the calendar's source.",
)
@click.option("--reprint", help="Where the text was read, if not at --url (a verbatim reprint).")
@click.option(
    "--confidence",
    type=click.Choice(["verified-in-source", "secondary-source", "inferred"]),
    help="Default: verified-in-source for text read at a gov.cn --url, secondary-source for a reprint.",
)
@click.option("--date", "signed", callback=_date, help="The notice's date, if the text does not end with it.")
@click.option("--dry-run", is_flag=True, help="Print what was found and the file; write nothing.")
@click.option("--replace", is_flag=True, help="Replace an existing calendar file for that year.")
def calendar_import(
    notice: Path,
    url: str,
    reprint: str | None,
    confidence: str | None,
    signed: dt.date | None,
    dry_run: bool,
    replace: bool,
) -> None:
    """Read a State Council holiday notice (its text, UTF-8 or GB18030; - for standard input) and write
    that year's calendar file into the local law directory (--law-dir or CHUHAI_LAW_DIR)."""
    from chuhai import lawbook
    from chuhai.lawbook.notice import apply_notice, parse_notice, preview_notice

    parsed = parse_notice(_read_text(notice))
    preview = preview_notice(parsed, load_law(), url=url, reprint=reprint, confidence=confidence, date=signed)
    out = Console()
    for line in preview.lines():
        out.print(escape(line), highlight=False, soft_wrap=True)
    if dry_run:
        out.print(escape(preview.yaml), highlight=False, soft_wrap=True)
        return
    target_dir = lawbook.local_dir()
    if target_dir is None:
        raise errors.InputError(
            "say where the calendar file goes: --law-dir DIR or CHUHAI_LAW_DIR "
            "(the shipped law is never written)"
        )
    path = apply_notice(preview, target_dir, replace=replace)
    law = load_law()
    out.print(f"wrote {escape(str(path))}; law version {law.version}", highlight=False, soft_wrap=True)


@main.group(name="law")
def law_group() -> None:
    """The law data itself: what a local law directory changes."""


@law_group.command("diff")
@_law_dir_option()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
def law_diff(fmt: str) -> None:
    """List what the local law directory (--law-dir or CHUHAI_LAW_DIR) changes in the shipped law."""
    from chuhai import lawbook
    from chuhai.lawbook.diff import diff_laws

    local = lawbook.local_dir()
    if local is None:
        raise errors.InputError("no local law directory: give --law-dir DIR or set CHUHAI_LAW_DIR")
    result = diff_laws(lawbook.load(None), lawbook.load(local))
    if fmt == "json":
        click.echo(json.dumps(result.to_json() | {"local_dir": str(local)}, ensure_ascii=False, indent=1))
        return
    out = Console()
    for line in result.lines():
        out.print(escape(line), highlight=False, soft_wrap=True)


def _export_law_dir() -> None:
    """Hand --law-dir to the web app's settings and the processes it starts (through CHUHAI_LAW_DIR)."""
    from chuhai import lawbook

    chosen = lawbook.local_dir()
    if chosen is not None:
        os.environ["CHUHAI_LAW_DIR"] = str(chosen)


@main.command()
@_law_dir_option()
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
@click.option(
    "--demo/--no-demo",
    default=False,
    help="Load the demo organisation first; embedded mode (plain HTTP on this machine, no HTTPS redirect).",
)
@click.option(
    "--dev", is_flag=True, help="Django's development server instead of gunicorn (never for users)."
)
@click.option(
    "--workers", default=2, type=click.IntRange(1, 64), envvar="CHUHAI_WEB_WORKERS", show_default=True
)
@click.option(
    "--threads", default=4, type=click.IntRange(1, 64), envvar="CHUHAI_WEB_THREADS", show_default=True
)
@click.option(
    "--timeout",
    default=120,
    type=click.IntRange(5, 3600),
    envvar="CHUHAI_WEB_TIMEOUT",
    show_default=True,
    help="Seconds before gunicorn restarts a worker stuck on one request.",
)
def serve(host: str, port: int, demo: bool, dev: bool, workers: int, threads: int, timeout: int) -> None:
    """Migrate the database, collect the static files and serve the web app and API (gunicorn)."""
    from chuhai.web.runner import serve as run_server

    _export_law_dir()

    run_server(host, port, demo, dev=dev, workers=workers, threads=threads, timeout=timeout)


@main.command()
@_law_dir_option()
def worker() -> None:
    """Run the background job worker (stock-file imports)."""
    from chuhai.web.runner import worker as run_worker

    _export_law_dir()

    run_worker()


if __name__ == "__main__":
    main()
