"""Stock-file import as a background job: read, parse and screen the whole file, then write every row
in ONE transaction.

* All or nothing per file: if any row cannot be read (the engine's ``input.invalid`` problems, an
  invalid VIN, a missing or repeated VIN) nothing is written and the job is *rejected* with a
  row-level error report (row, column, value, expected). Otherwise all vehicles are created or
  updated together, or — if the worker dies or anything fails — none is.
* Progress is written to the :class:`ImportJob` row outside that transaction (rows screened, then the
  "writing" phase), so the web page and the API can poll it.
* A job that did not succeed can be re-run (:func:`rerun`): the write is an upsert by VIN, so running
  the same file again never duplicates a vehicle.

Test hook: ``CHUHAI_IMPORT_ROW_DELAY`` (seconds) sleeps between rows inside the write transaction, so
a test can kill the worker mid-import.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import logging
import os
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import polars as pl
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from chuhai import schema
from chuhai.errors import ChuhaiError, TransitionRefused, ValidationError
from chuhai.io.readers import ReadLimits
from chuhai.web.cases.context import Actor, get_scoped, system_actor, today
from chuhai.web.cases.transitions import record, snapshot
from chuhai.web.imports import leases
from chuhai.web.imports.models import ImportJob, JobState
from chuhai.web.vehicles import screening, writes
from chuhai.web.vehicles.models import EXPORT_BOUND_STATES, Vehicle, VehicleState

if TYPE_CHECKING:
    from chuhai.web.cases.documents import DocumentFile

log = logging.getLogger("chuhai.imports")

CHUNK_ROWS = 200
UNFINISHED = (JobState.QUEUED, *leases.RUNNING)
# Columns an import never overwrites on a car that already carries the "转让待出口" mark: they are fixed
# by the registration certificate and the transitions (licence annex, 648号).
PROTECTED_WHEN_EXPORT_BOUND = {
    "vin",
    "brand",
    "model",
    "manufacturer",
    "registration_date",
    "owner_name",
    "transfer_pending_export_date",
    "customs_clearance_date",
    "licence_application_date",
}


def _mib(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB"


def check_size(actor: Actor, size: int) -> None:
    """Refuse a file over ``IMPORT_MAX_FILE_BYTES``, or one that would take the organisation's queued and
    running imports over ``IMPORT_MAX_ORG_BYTES`` (one tenant's huge files must not hold the workers)."""
    limit = settings.IMPORT_MAX_FILE_BYTES
    if size > limit:
        raise ValidationError(f"file: {_mib(size)} is over the limit of {_mib(limit)} per file; split it")
    pending = (
        ImportJob.objects.filter(organisation=actor.organisation, state__in=UNFINISHED).aggregate(
            total=Sum("size")
        )["total"]
        or 0
    )
    org_limit = settings.IMPORT_MAX_ORG_BYTES
    if pending + size > org_limit:
        raise ValidationError(
            f"file: your organisation's waiting and running imports hold {_mib(pending)}; with this file "
            f"({_mib(size)}) they would pass the limit of {_mib(org_limit)}. Wait until they finish"
        )


def submit(
    actor: Actor, filename: str, data: bytes, as_of: Any = None, attests: Sequence[str] = ()
) -> ImportJob:
    """Store the uploaded file and queue its import (after the surrounding transaction commits).

    ``attests``: prohibition facts (:data:`chuhai.schema.PROHIBITION_FACTS`) the uploader states for
    every vehicle of the file whose cell is empty — the enterprise's attestation, recorded in the
    audit trail with who gave it; the findings of those vehicles cite it (``input.attested``).
    """
    actor.require("edit")
    check_size(actor, len(data))
    unknown = sorted(set(attests) - set(schema.PROHIBITION_FACTS))
    if unknown:
        raise ValidationError(
            f"attests: {', '.join(unknown)} (expected some of {', '.join(schema.PROHIBITION_FACTS)})"
        )
    facts = [f for f in schema.PROHIBITION_FACTS if f in set(attests)]
    job = ImportJob(
        organisation=actor.organisation,
        created_by=actor.user,
        original_name=filename[:255],
        as_of=as_of or today(),
        attests=facts,
        size=len(data),
    )
    job.file.save(os.path.basename(filename) or "stock.csv", ContentFile(data), save=False)
    job.save()
    if facts:
        record(actor, job, "import.attest", {}, {"file": job.original_name, "attests": facts})
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    transaction.on_commit(lambda: enqueue_now(job_id))


def enqueue_now(job_id: int) -> None:
    """Offer the job to the workers (a duplicate offer is harmless: only one worker can claim it)."""
    from chuhai.web.imports.tasks import run_import_task

    run_import_task(job_id)


def rerun(actor: Actor, job_id: int) -> ImportJob:
    """Queue a job that did not succeed again — refused while a live worker holds it."""
    job = get_scoped(actor, ImportJob, job_id, "edit")
    if job.state == JobState.SUCCEEDED:
        raise TransitionRefused("this import already succeeded", ("state.transition_not_allowed",))
    running = job.state in leases.RUNNING and bool(job.lease_owner)
    if running and leases.holder_alive(job.lease_owner, job.lease_expires_at, timezone.now()):
        raise TransitionRefused(
            "this import is running in a worker; wait until it finishes", ("state.transition_not_allowed",)
        )
    reset = ImportJob.objects.filter(pk=job.pk, state=job.state, lease_owner=job.lease_owner).update(
        state=JobState.QUEUED, lease_owner="", message="", errors=[], processed_rows=0
    )
    if not reset:
        raise TransitionRefused(
            "this import changed meanwhile; reload and check", ("state.transition_not_allowed",)
        )
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job: ImportJob, **fields: Any) -> None:
    """Update the job row immediately (autocommit, outside any import transaction) — only while this
    worker holds its lease (:class:`leases.LeaseLost` once another worker does)."""
    if not leases.held(job.pk, job.lease_owner).update(**fields):
        raise leases.LeaseLost(f"import job {job.pk}: another worker holds it now")
    for key, value in fields.items():
        setattr(job, key, value)


# The languages of a row error's ``expected_<lang>`` texts (chuhai.schema.EXPECTED).
ERROR_LANGUAGES = schema.EXPECTED_LANGUAGES


def _row_shown(error: Mapping[str, Any]) -> str:
    """A row error's row as the report shows it (jobs stored before sheet references: the number)."""
    return str(error.get("reference") or error["row"])


def _error(
    row: int, column: str, value: Any, expected: Mapping[str, str], rule: str = "input.invalid"
) -> dict[str, Any]:
    """One row-level error: where, the value found and what was expected, in every language."""
    return {
        "row": row,
        "column": column,
        "value": "" if value is None else str(value),
        **{f"expected_{lang}": expected[lang] for lang in ERROR_LANGUAGES},
        "rule": rule,
    }


def expected_text(error: Mapping[str, Any], lang: str) -> str:
    """What the cell should hold, in ``lang`` (zh, en, ru or ar); English for an error stored before
    Russian and Arabic were recorded."""
    return str(error.get(f"expected_{lang}") or error.get("expected_en") or "")


def _finding_expectation(finding: Any) -> dict[str, str]:
    """An invalid finding's message as the "expected" text, in every language (ru and ar rendered
    from the law's templates and the finding's facts, as the pages do)."""
    from chuhai.engine.messages import render_message

    law = screening.law()
    texts = {"zh": finding.message_zh, "en": finding.message_en}
    for lang in ERROR_LANGUAGES:
        if lang not in texts:
            texts[lang] = render_message(law, finding.rule, lang, dict(finding.facts))
    return texts


def _model_value(name: str, value: Any) -> Any:
    column = schema.COLUMNS[name]
    if value is None:
        if column.kind in {"text", "enum", "country"}:
            return "" if column.default is None else column.default
        if column.kind == "boolean":
            field = Vehicle._meta.get_field(name)
            return field.get_default() if hasattr(field, "get_default") else None
        return None
    return value


# Set by the transitions, never by a file, on a car registered "转让待出口": the owner is then the
# exporter, and the dates are those the steps recorded.
SET_BY_TRANSITIONS = frozenset(
    {"owner_name", "transfer_pending_export_date", "customs_clearance_date", "licence_application_date"}
)


def _as_recorded(frame: pl.DataFrame, organisation: Any) -> pl.DataFrame:
    """The rows as they will be stored, so that each is screened with exactly the facts saved.

    For a car the organisation already holds: the after-sales confirmation stays what the case records
    (only a received letter sets it; a file is not a letter); on a car registered for export the
    values the transitions set stay as recorded, and a registration fact the file leaves blank ("not
    stated") keeps the recorded value. A new car starts without a confirmation.
    """
    if "vin" not in frame.columns:
        return frame
    vins = [str(v).strip().upper() for v in frame["vin"].to_list() if v]
    existing = {v.vin: v for v in Vehicle.objects.filter(organisation=organisation, vin__in=vins)}
    rows = list(frame.iter_rows(named=True))
    for rec in rows:
        vehicle = existing.get(str(rec.get("vin") or "").strip().upper())
        if "aftersales_confirmation" in rec:
            rec["aftersales_confirmation"] = bool(vehicle.aftersales_confirmation) if vehicle else False
        if vehicle is None or vehicle.state not in EXPORT_BOUND_STATES:
            continue
        for name in writes.LOCKED_AFTER_TRANSFER & set(rec):
            if name in SET_BY_TRANSITIONS or rec[name] in (None, ""):
                rec[name] = getattr(vehicle, name)
    return pl.DataFrame(rows, schema=frame.schema, orient="row") if rows else frame


def _refused_changes(
    organisation: Any, records: list[dict[str, Any]], results: list[Any], bad_rows: set[int], raw: Any
) -> list[dict[str, Any]]:
    """Row errors for the facts a re-import would change that no write path may change
    (:func:`chuhai.web.vehicles.writes.refusal`, the rule the edit form, the API and the facts
    correction apply): the row names the column, the file's value and the recorded one."""
    existing = {
        v.vin: v
        for v in Vehicle.objects.filter(organisation=organisation, vin__in=[r.vin for r in results if r.vin])
    }
    errors: list[dict[str, Any]] = []
    for rec, result in zip(records, results, strict=True):
        vehicle = existing.get(result.vin)
        if vehicle is None or rec["row"] in bad_rows:
            continue
        facts = {name: _model_value(name, rec.get(name)) for name in schema.COLUMNS}
        facts["vin"] = result.vin
        diff = writes.changed(vehicle, facts)
        problem = writes.refusal(vehicle, diff)
        if problem is None:
            continue
        rule = problem.rules[0]
        fields = sorted(
            set(diff) & writes.LOCKED_AFTER_TRANSFER
            if rule in (writes.REGISTRATION_MISMATCH, writes.NO_DOMESTIC_RESALE)
            else set(diff) - writes.ALWAYS_FREE
        )
        for name in fields:
            recorded = getattr(vehicle, name)
            shown = "—" if recorded in (None, "") else str(recorded)
            errors.append(
                _error(
                    rec["row"],
                    raw.header_of(name) if raw is not None else name,
                    rec.get(name),
                    schema.expected_texts("as_recorded", value=shown),
                    rule,
                )
            )
    return errors


def import_limits() -> ReadLimits:
    """The reader's budget from the settings (CHUHAI_IMPORT_MAX_ROWS, CHUHAI_IMPORT_MAX_MEMORY)."""
    from django.conf import settings

    return ReadLimits(
        max_rows=settings.CHUHAI_IMPORT_MAX_ROWS,
        max_memory=ReadLimits.parse_size(str(settings.CHUHAI_IMPORT_MAX_MEMORY)),
    )


def run_import(job_id: int) -> str:
    """The job (run by the huey worker, or inline in immediate mode): claim it, then import it under a
    lease with a heartbeat. Returns ``"done"``, ``"deferred"`` (its organisation is at its cap of
    concurrent imports: offer it again later) or ``"unavailable"`` (another worker holds it, or it is
    finished or gone)."""
    outcome = leases.claim(job_id)
    if outcome != "claimed":
        log.info("import job %s not taken: %s", job_id, outcome)
        return outcome
    with leases.Lease(job_id) as lease:
        try:
            _run_claimed(job_id, lease)
        except leases.LeaseLost as exc:
            log.error("%s; this worker stopped without writing", exc)
    return "done"


def _run_claimed(job_id: int, lease: leases.Lease) -> None:
    from chuhai.engine import screen_parsed
    from chuhai.io.parse import EXTRA_PREFIX, ParsedTable, parse_vehicles
    from chuhai.io.readers import read_vehicle_bytes

    job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    organisation = job.organisation
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        parsed = parse_vehicles(read_vehicle_bytes(data, job.original_name, limits=import_limits()))
        # Every row is screened, and stored, with the facts it will be stored with (_as_recorded).
        frame = _as_recorded(parsed.frame, organisation)
        parsed = dataclasses.replace(parsed, frame=frame)
        _progress(job, total_rows=frame.height, columns=_jsonable_summary(parsed.raw.column_summary()))

        # Screen chunk by chunk so that progress moves on large files.
        exporter = dataclasses.replace(
            screening.exporter_profile(organisation), attests=tuple(job.attests or ())
        )
        results: list[Any] = []
        for offset in range(0, frame.height, CHUNK_ROWS):
            chunk = frame.slice(offset, CHUNK_ROWS)
            rows = chunk["row"]
            problems = parsed.problems.filter(pl.col("row").is_in(rows.implode()))
            part = ParsedTable(
                frame=chunk,
                problems=problems,
                raw=parsed.raw,
                invalid_rows=problems.get_column("row").unique().sort(),
            )
            results.extend(screen_parsed(part, exporter, job.as_of).results)
            lease.check()
            _progress(job, processed_rows=min(offset + CHUNK_ROWS, frame.height))
        law_version = screening.law_version()

        errors = [
            _error(
                p["row"],
                p["column"],
                p["value"],
                {lang: p[f"expected_{lang}"] for lang in ERROR_LANGUAGES},
            )
            for p in parsed.problems.iter_rows(named=True)
        ]
        bad_rows = {e["row"] for e in errors}
        seen: dict[str, int] = {}
        records = list(frame.iter_rows(named=True))
        for rec, result in zip(records, results, strict=True):
            row = rec["row"]
            if str(result.verdict) == "invalid" and row not in bad_rows:
                for finding in result.findings:
                    if str(finding.severity) == "invalid":
                        errors.append(
                            _error(
                                row,
                                parsed.raw.header_of("vin"),
                                rec.get("vin"),
                                _finding_expectation(finding),
                                finding.rule,
                            )
                        )
                bad_rows.add(row)
            vin = result.vin or rec.get("vin")
            if not vin:
                if row not in bad_rows:
                    errors.append(
                        _error(row, "vin", None, schema.expected_texts("vin_present"), "vin.invalid_format")
                    )
                continue
            if vin in seen:
                errors.append(
                    _error(
                        row,
                        parsed.raw.header_of("vin"),
                        vin,
                        schema.expected_texts("vin_unique", row=seen[vin]),
                        "input.duplicate_vin",
                    )
                )
            else:
                seen[vin] = row
        errors += _refused_changes(organisation, records, results, bad_rows, parsed.raw)
        if errors:
            errors.sort(key=lambda e: (e["row"], e["column"]))
            for e in errors:  # the row as the user finds it: "5", or "库存2!5" when several sheets were read
                e["reference"] = parsed.raw.row_reference(int(e["row"]))
            _progress(
                job,
                state=JobState.REJECTED,
                errors=errors,
                law_version=law_version,
                finished_at=timezone.now(),
                message=f"{len({e['row'] for e in errors})} row(s) cannot be read; nothing was imported",
                lease_owner="",
            )
            return

        _progress(job, state=JobState.WRITING, law_version=law_version)
        _write(job, records, results, EXTRA_PREFIX, lease)
    except leases.LeaseLost:
        raise
    except ChuhaiError as exc:
        _progress(job, state=JobState.FAILED, message=str(exc), finished_at=timezone.now(), lease_owner="")
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _progress(
            job,
            state=JobState.FAILED,
            message=f"internal error: {exc}",
            finished_at=timezone.now(),
            lease_owner="",
        )
        raise


def _jsonable_summary(summary: Mapping[str, Any]) -> dict[str, Any]:
    """The reader's column summary as stored on the job (plain JSON)."""
    import json

    return dict(json.loads(json.dumps(summary, default=str)))


def _write(
    job: ImportJob, records: list[dict[str, Any]], results: list[Any], extra_prefix: str, lease: leases.Lease
) -> tuple[int, int]:
    """Create or update every vehicle of the file in one transaction (all or nothing), and mark the job
    succeeded in that same transaction — only if this worker still holds its lease (else nothing of it
    commits)."""
    delay = float(os.environ.get("CHUHAI_IMPORT_ROW_DELAY", "0") or 0)
    actor = system_actor(job.organisation) if job.created_by is None else _actor_for_job(job)
    created = updated = 0
    with transaction.atomic():
        existing = {
            v.vin: v
            for v in Vehicle.objects.select_for_update().filter(
                organisation=job.organisation, vin__in=[r.vin for r in results]
            )
        }
        for rec, result in zip(records, results, strict=True):
            facts = {name: _model_value(name, rec.get(name)) for name in schema.COLUMNS}
            facts["vin"] = result.vin
            # The facts this file left empty that the uploader attested (the engine cited them).
            facts["attested_facts"] = [f for f in job.attests or () if rec.get(f) is None]
            extra = {
                k[len(extra_prefix) :]: v
                for k, v in rec.items()
                if k.startswith(extra_prefix) and v is not None
            }
            vehicle = existing.get(result.vin)
            if vehicle is None:
                state = (
                    VehicleState.TRANSFER_REGISTERED
                    if facts.get("transfer_pending_export_date")
                    else VehicleState.PURCHASED
                )
                vehicle = Vehicle(organisation=job.organisation, state=state, extra=extra, **facts)
                screening.apply_result(vehicle, result, job.as_of)
                vehicle.save()
                record(actor, vehicle, "vehicle.import", {}, snapshot(vehicle))
                created += 1
            else:
                before = snapshot(vehicle)
                for name, value in facts.items():
                    if vehicle.state in EXPORT_BOUND_STATES and name in PROTECTED_WHEN_EXPORT_BOUND:
                        continue
                    setattr(vehicle, name, value)
                vehicle.extra = {**(vehicle.extra or {}), **extra}
                screening.apply_result(vehicle, result, job.as_of)
                vehicle.save()
                record(actor, vehicle, "vehicle.import_update", before, snapshot(vehicle))
                updated += 1
            lease.check()
            if delay:
                time.sleep(delay)
        finished = {
            "state": JobState.SUCCEEDED,
            "created_count": created,
            "updated_count": updated,
            "finished_at": timezone.now(),
            "message": "",
            "lease_owner": "",
        }
        if not leases.held(job.pk, job.lease_owner).update(**finished):
            raise leases.LeaseLost(f"import job {job.pk}: another worker holds it now")
    for key, value in finished.items():
        setattr(job, key, value)
    return created, updated


def _actor_for_job(job: ImportJob) -> Actor:
    from chuhai.web.organisations.models import Membership

    membership = Membership.objects.filter(user=job.created_by).first()
    return Actor(
        user=job.created_by, organisation=job.organisation, role=membership.role if membership else "admin"
    )


# The error report always has the English and Chinese expectations; a Russian or Arabic reader also
# gets one in their language (headed in it), before the rule.
_READER_EXPECTED_HEADING = {"ru": "ожидается (по-русски)", "ar": "المتوقع (بالعربية)"}


def _report_columns(lang: str) -> list[tuple[str, str]]:
    """(heading, key) of each column of the error report for a reader of ``lang`` (zh, en, ru, ar)."""
    columns = [
        ("row 行", "row"),
        ("column 列", "column"),
        ("value 值", "value"),
        ("expected 期望", "expected_en"),
        ("期望（中文）", "expected_zh"),
    ]
    if lang in _READER_EXPECTED_HEADING:
        columns.append((_READER_EXPECTED_HEADING[lang], f"expected_{lang}"))
    return [*columns, ("rule 规则", "rule")]


def _report_cell(error: Mapping[str, Any], key: str) -> str:
    if key.startswith("expected_"):
        return expected_text(error, key.removeprefix("expected_"))
    return "" if error.get(key) is None else str(error[key])


def error_report(job: ImportJob, fmt: str, lang: str = "en") -> DocumentFile:
    """The row-level error report as a download, ``fmt`` ``csv`` or ``xlsx`` (whose second sheet is the
    column summary), or the column summary alone (``columns.csv``), for every adapter."""
    from chuhai.web.cases.documents import DocumentFile

    if fmt == "xlsx":
        return DocumentFile(
            f"import-{job.pk}-errors.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            error_report_xlsx(job, lang),
        )
    if fmt == "columns.csv":
        name = f"import-{job.pk}-columns.csv"
        return DocumentFile(name, "text/csv; charset=utf-8", columns_report_csv(job))
    if fmt != "csv":
        raise ValidationError("format: expected csv, xlsx or columns.csv")
    return DocumentFile(f"import-{job.pk}-errors.csv", "text/csv; charset=utf-8", error_report_csv(job, lang))


def error_report_csv(job: ImportJob, lang: str = "en") -> bytes:
    """The row-level errors as CSV (UTF-8 with BOM, for Excel); ``lang`` is the reader's language."""
    columns = _report_columns(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _key in columns])
    for e in job.errors:
        writer.writerow([_row_shown(e), *(_safe(_report_cell(e, key)) for _heading, key in columns[1:])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def columns_report_csv(job: ImportJob) -> bytes:
    """The reader's column summary as CSV (UTF-8 with BOM): every column, used or not, in file order."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _key in COLUMN_REPORT])
    for item in column_rows(job):
        writer.writerow([_safe(item.get(key) or "") for _heading, key in COLUMN_REPORT])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


COLUMN_REPORT = (
    ("column 列", "column"),
    ("header 表头", "header"),
    ("read as 读作", "field"),
    ("unit 单位", "unit"),
    ("not used: probably 未使用：可能是", "probably"),
    ("note 说明", "note"),
)


def column_rows(job: ImportJob) -> list[dict[str, Any]]:
    """Every column of the file in file order, used or not (the reader's column summary)."""
    summary = job.columns or {}
    rows = [*summary.get("used", []), *summary.get("not_used", [])]
    return sorted(rows, key=lambda c: (len(str(c.get("column") or "")), str(c.get("column") or "")))


def error_report_xlsx(job: ImportJob, lang: str = "en") -> bytes:
    """The row-level errors as an Excel workbook; ``lang`` is the reader's language."""
    import xlsxwriter

    columns = _report_columns(lang)
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(
        buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    sheet = book.add_worksheet("errors")
    bold = book.add_format({"bold": True})
    for col, (heading, _key) in enumerate(columns):
        sheet.write_string(0, col, heading, bold)
    for i, e in enumerate(job.errors, start=1):
        shown = _row_shown(e)
        if shown.isdigit():
            sheet.write_number(i, 0, int(shown))
        else:
            sheet.write_string(i, 0, shown)
        for col, (_heading, key) in enumerate(columns[1:], start=1):
            sheet.write_string(i, col, _report_cell(e, key))
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, len(columns) - 1, 28)
    summary = column_rows(job)
    if summary:
        used = book.add_worksheet("columns")
        for col, (heading, _key) in enumerate(COLUMN_REPORT):
            used.write_string(0, col, heading, bold)
        for i, item in enumerate(summary, start=1):
            for col, (_heading, key) in enumerate(COLUMN_REPORT):
                used.write_string(i, col, str(item.get(key) or ""))
        used.set_column(0, len(COLUMN_REPORT) - 1, 22)
    book.close()
    return buffer.getvalue()


def _safe(text: Any) -> str:
    """Neutralise spreadsheet formulas in the CSV report: the stock-file writers' guard (a cell that
    could run as a formula gets a leading quote; a plain number such as -5 keeps its sign)."""
    from chuhai.io.writers import safe_text

    return safe_text("" if text is None else str(text))


def job_json(job: ImportJob) -> dict[str, Any]:
    return {
        "id": job.pk,
        "file": job.original_name,
        "state": job.state,
        "as_of": job.as_of.isoformat(),
        "total_rows": job.total_rows,
        "processed_rows": job.processed_rows,
        "created": job.created_count,
        "updated": job.updated_count,
        "error_count": len(job.errors or []),
        "message": job.message,
        "attempts": job.attempts,
        "law_version": job.law_version,
        "attests": list(job.attests or []),
        "columns": job.columns or {},
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def get_job(actor: Actor, job_id: int) -> ImportJob:
    return get_scoped(actor, ImportJob, job_id)
