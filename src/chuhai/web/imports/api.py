"""The REST API of the stock-file imports: upload, job status, rerun and the error report."""

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from chuhai.web.api.routing import ERRORS, endpoint, request_actor
from chuhai.web.cases import documents as document_service
from chuhai.web.cases.context import scoped
from chuhai.web.imports import schemas as s
from chuhai.web.imports import services as imports
from chuhai.web.imports.models import ImportJob

# --- imports ----------------------------------------------------------------------------------------

import_router = Router(tags=["imports"])


@endpoint(
    import_router,
    "GET",
    "/imports",
    response={200: list[s.ImportJobOut], **ERRORS},
    capability="view",
    paginated=True,
)
def list_imports(request: HttpRequest) -> Any:
    return [imports.job_json(j) for j in scoped(request_actor(request), ImportJob).order_by("-id")[:200]]


@endpoint(import_router, "POST", "/imports", response={202: s.ImportJobOut, **ERRORS}, capability="edit")
def create_import(
    request: HttpRequest,
    file: File[UploadedFile],
    as_of: Form[dt.date | None] = None,
    attests: Form[list[str] | None] = None,
) -> Any:
    """Upload a stock file (CSV/XLSX, the ``chuhai screen`` contract); it is imported by the worker.

    ``attests`` (repeatable form field): prohibition facts the enterprise states for every vehicle of
    the file whose cell is empty (seized, crime_proceeds, …); recorded in the audit trail. An empty
    cell that nobody attests stays unknown: the vehicle gets ``input.unverified``, never "no".
    """
    job = imports.submit(request_actor(request), file.name or "stock.csv", file.read(), as_of, attests or ())
    job.refresh_from_db()
    return Status(202, imports.job_json(job))


@endpoint(
    import_router, "GET", "/imports/{job_id}", response={200: s.ImportJobOut, **ERRORS}, capability="view"
)
def get_import(request: HttpRequest, job_id: int) -> Any:
    return imports.job_json(imports.get_job(request_actor(request), job_id))


@endpoint(
    import_router,
    "POST",
    "/imports/{job_id}/rerun",
    response={202: s.ImportJobOut, **ERRORS},
    capability="edit",
)
def rerun_import(request: HttpRequest, job_id: int) -> Any:
    job = imports.rerun(request_actor(request), job_id)
    return Status(202, imports.job_json(job))


@endpoint(import_router, "GET", "/imports/{job_id}/errors", response={200: None, **ERRORS}, capability="view")
def import_errors(request: HttpRequest, job_id: int, format: str = "csv") -> Any:
    """The row-level error report as CSV (UTF-8 with BOM) or XLSX (``?format=xlsx``, with the column
    summary as its second sheet), or the column summary as CSV (``?format=columns.csv``)."""
    job = imports.get_job(request_actor(request), job_id)
    return document_service.http_response(imports.error_report(job, format))
