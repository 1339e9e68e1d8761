"""The stock-file import pages: upload, job progress (and its JSON status), the row-level error report."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chuhai.errors import (
    ChuhaiError,
)
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.cases.documents import http_response
from chuhai.web.imports import queries
from chuhai.web.imports import services as imports
from chuhai.web.ui import i18n
from chuhai.web.ui.pages import (
    flash_error,
    page,
    paginate,
)
from chuhai.web.vehicles import queries as vehicles_queries
from chuhai.web.vehicles.models import Vehicle, Verdict

# --- stock-file imports -------------------------------------------------------------------------


@page("view")
def import_list(request: HttpRequest, actor: Actor) -> HttpResponse:
    if request.method == "POST":
        actor.require("edit")
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("Choose a CSV or XLSX stock file first, then press Upload."))
            return redirect("ui:imports")
        attests = request.POST.getlist("attests")
        try:
            job = imports.submit(actor, upload.name or "stock.csv", upload.read(), attests=attests)
        except ChuhaiError as exc:
            flash_error(request, exc)
            return redirect("ui:imports")
        return redirect("ui:import", job_id=job.pk)
    context = {"page": paginate(request, queries.import_jobs(actor), 20), "facts": _fact_labels()}
    return render(request, "ui/imports.html", context)


def _fact_labels(names: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """(fact, its label in the reader's language) for the prohibition facts a file may attest."""
    from chuhai import schema

    wanted = set(schema.PROHIBITION_FACTS if names is None else names)
    return [(name, _field_label(name)) for name in schema.PROHIBITION_FACTS if name in wanted]


def _field_label(name: str) -> str:
    """A vehicle field's name in the reader's language (``FieldDoesNotExist`` for an unknown one)."""
    return capfirst(str(getattr(Vehicle._meta.get_field(name), "verbose_name", name)))


def _columns(job: Any) -> dict[str, Any] | None:
    """The reader's column summary with the field labels in the reader's language."""
    summary = job.columns or {}
    if not summary.get("used") and not summary.get("not_used"):
        return None

    def label(field: str | None) -> str:
        if not field:
            return ""
        try:
            return f"{_field_label(field)} ({field})"
        except FieldDoesNotExist:
            return field

    return {
        "used": [{**c, "label": label(c.get("field"))} for c in summary.get("used", [])],
        "not_used": [{**c, "label": label(c.get("probably"))} for c in summary.get("not_used", [])],
        "vin": summary.get("vin") or {},
    }


@page("view")
def import_detail(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    written = queries.imported_vehicles(actor, job) if job.finished else scoped(actor, Vehicle).none()
    counts = vehicles_queries.verdict_counts(written) if job.finished else {}
    context = {
        "job": job,
        "errors": (job.errors or [])[:200],
        "error_count": len(job.errors or []),
        "page": paginate(request, written),
        "verdicts": [(value, label, counts[value]) for value, label in Verdict.choices if counts.get(value)],
        "percent": int(100 * job.processed_rows / job.total_rows) if job.total_rows else 0,
        "columns": _columns(job),
        "attested": _fact_labels(job.attests or ()),
    }
    return render(request, "ui/import.html", context)


@page("view")
def import_status(request: HttpRequest, actor: Actor, job_id: int) -> JsonResponse:
    """Progress for the page's poller (JSON)."""
    job = imports.get_job(actor, job_id)
    data = imports.job_json(job)
    data["finished"] = job.finished
    data["state_label"] = str(job.get_state_display())
    return JsonResponse(data)


@page("view")
def import_errors(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    job = imports.get_job(actor, job_id)
    fmt = {"xlsx": "xlsx", "columns": "columns.csv"}.get(request.GET.get("format") or "", "csv")
    return http_response(imports.error_report(job, fmt, i18n.law_language()))


@page("edit")
@require_POST
def import_rerun(request: HttpRequest, actor: Actor, job_id: int) -> HttpResponse:
    """Run a failed or rejected import again on the stored file."""
    try:
        imports.rerun(actor, job_id)
    except ChuhaiError as exc:
        flash_error(request, exc)
    return redirect("ui:import", job_id=job_id)
