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
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import polars as pl
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from chuhai import schema
from chuhai.errors import ChuhaiError, TransitionRefused, ValidationError
from chuhai.web.cases.context import Actor, get_scoped, system_actor, today
from chuhai.web.cases.transitions import record, snapshot
from chuhai.web.imports.models import ImportJob, JobState
from chuhai.web.vehicles import screening, writes
from chuhai.web.vehicles.models import EXPORT_BOUND_STATES, Vehicle, VehicleState

if TYPE_CHECKING:
    from chuhai.web.cases.documents import DocumentFile

log = logging.getLogger("chuhai.imports")

CHUNK_ROWS = 200
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


def submit(actor: Actor, filename: str, data: bytes, as_of: Any = None) -> ImportJob:
    """Store the uploaded file and queue its import (after the surrounding transaction commits)."""
    actor.require("edit")
    job = ImportJob(
        organisation=actor.organisation,
        created_by=actor.user,
        original_name=filename[:255],
        as_of=as_of or today(),
    )
    job.file.save(os.path.basename(filename) or "stock.csv", ContentFile(data), save=False)
    job.save()
    _enqueue(job.pk)
    return job


def _enqueue(job_id: int) -> None:
    from chuhai.web.imports.tasks import run_import_task

    transaction.on_commit(lambda: run_import_task(job_id))


def rerun(actor: Actor, job_id: int) -> ImportJob:
    job = get_scoped(actor, ImportJob, job_id, "edit")
    if job.state == JobState.SUCCEEDED:
        raise TransitionRefused("this import already succeeded", ("state.transition_not_allowed",))
    ImportJob.objects.filter(pk=job.pk).update(state=JobState.QUEUED, message="", errors=[], processed_rows=0)
    _enqueue(job.pk)
    job.refresh_from_db()
    return job


def _progress(job: ImportJob, **fields: Any) -> None:
    """Update the job row immediately (autocommit, outside any import transaction)."""
    for key, value in fields.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**fields)


# The languages of a row error's ``expected_<lang>`` texts (chuhai.schema.EXPECTED).
ERROR_LANGUAGES = schema.EXPECTED_LANGUAGES


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


def run_import(job_id: int) -> None:
    """The job body (run by the huey worker, or inline in immediate mode)."""
    from chuhai.engine import screen_parsed
    from chuhai.io.parse import EXTRA_PREFIX, ParsedTable, parse_vehicles
    from chuhai.io.readers import read_vehicle_bytes

    try:
        job = ImportJob.objects.select_related("organisation").get(pk=job_id)
    except ImportJob.DoesNotExist:
        log.warning("import job %s vanished", job_id)
        return
    if job.state == JobState.SUCCEEDED:
        return
    organisation = job.organisation
    _progress(
        job,
        state=JobState.SCREENING,
        started_at=timezone.now(),
        attempts=job.attempts + 1,
        processed_rows=0,
        message="",
        errors=[],
    )
    try:
        with job.file.open("rb") as handle:
            data = handle.read()
        parsed = parse_vehicles(read_vehicle_bytes(data, job.original_name))
        # Every row is screened, and stored, with the facts it will be stored with (_as_recorded).
        frame = _as_recorded(parsed.frame, organisation)
        parsed = dataclasses.replace(parsed, frame=frame)
        _progress(job, total_rows=frame.height)

        # Screen chunk by chunk so that progress moves on large files.
        exporter = screening.exporter_profile(organisation)
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
            _progress(
                job,
                state=JobState.REJECTED,
                errors=errors,
                law_version=law_version,
                finished_at=timezone.now(),
                message=f"{len({e['row'] for e in errors})} row(s) cannot be read; nothing was imported",
            )
            return

        _progress(job, state=JobState.WRITING, law_version=law_version)
        created, updated = _write(job, records, results, EXTRA_PREFIX)
        _progress(
            job,
            state=JobState.SUCCEEDED,
            created_count=created,
            updated_count=updated,
            finished_at=timezone.now(),
            message="",
        )
    except ChuhaiError as exc:
        _progress(job, state=JobState.FAILED, message=str(exc), finished_at=timezone.now())
    except Exception as exc:
        log.exception("import job %s failed", job_id)
        _progress(job, state=JobState.FAILED, message=f"internal error: {exc}", finished_at=timezone.now())
        raise


def _write(
    job: ImportJob, records: list[dict[str, Any]], results: list[Any], extra_prefix: str
) -> tuple[int, int]:
    """Create or update every vehicle of the file in one transaction (all or nothing)."""
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
            if delay:
                time.sleep(delay)
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
    """The row-level error report as a download, ``fmt`` ``csv`` or ``xlsx``, for every adapter."""
    from chuhai.web.cases.documents import DocumentFile

    if fmt == "xlsx":
        return DocumentFile(
            f"import-{job.pk}-errors.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            error_report_xlsx(job, lang),
        )
    if fmt != "csv":
        raise ValidationError("format: expected csv or xlsx")
    return DocumentFile(f"import-{job.pk}-errors.csv", "text/csv; charset=utf-8", error_report_csv(job, lang))


def error_report_csv(job: ImportJob, lang: str = "en") -> bytes:
    """The row-level errors as CSV (UTF-8 with BOM, for Excel); ``lang`` is the reader's language."""
    columns = _report_columns(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([heading for heading, _key in columns])
    for e in job.errors:
        writer.writerow([e["row"], *(_safe(_report_cell(e, key)) for _heading, key in columns[1:])])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


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
        sheet.write_number(i, 0, int(e["row"]))
        for col, (_heading, key) in enumerate(columns[1:], start=1):
            sheet.write_string(i, col, _report_cell(e, key))
    sheet.set_column(0, 0, 8)
    sheet.set_column(1, len(columns) - 1, 28)
    book.close()
    return buffer.getvalue()


def _safe(text: Any) -> str:
    """Neutralise spreadsheet formulas in the CSV report (a cell starting with = + - @ is text)."""
    value = "" if text is None else str(text)
    return "'" + value if value[:1] in {"=", "+", "-", "@", "\t", "\r"} else value


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
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
    }


def get_job(actor: Actor, job_id: int) -> ImportJob:
    return get_scoped(actor, ImportJob, job_id)
