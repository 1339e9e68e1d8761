"""Errors are visible: JSON-lines logs with a request id and a correlation id, one line per request,
every unhandled error with its traceback, and the probes ``/healthz`` and ``/readyz``.

* :class:`RequestIdMiddleware` (first in ``MIDDLEWARE``) takes the caller's ``X-Request-ID`` when it is
  a sane token (else makes one) and ``X-Correlation-ID`` (else the request id), returns both on the
  answer, and holds them in context variables so that every log line written while the request runs
  carries them (:class:`ContextFilter`). It writes one ``request`` line per request (method, path,
  status, duration, user id) and logs an unhandled exception with its traceback before Django turns
  it into a 500.
* :class:`JsonFormatter`: one JSON object per line (``ts``, ``level``, ``logger``, ``message``,
  ``request_id``, ``correlation_id``, ``exception`` with the traceback, and any ``extra`` fields). The
  web processes, gunicorn's own log and the worker all write it (``LOGGING`` in the settings).
* :func:`healthz` answers 200 while the process serves requests (liveness, no database);
  :func:`readyz` answers 200 only when the database answers, every migration is applied and the job
  queue answers, else 503 naming what is not ready.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")
correlation_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("correlation_id", default="")

# An incoming id is kept only when it is a plain token: it goes into every log line.
_SANE_ID = re.compile(r"^[A-Za-z0-9._:@/+=-]{1,128}$")
access_log = logging.getLogger("chuhai.request")
error_log = logging.getLogger("chuhai.errors")

# Attributes every LogRecord has; anything else on a record came from ``extra=`` and is logged as a field.
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def _sane(value: str | None) -> str | None:
    return value if value and _SANE_ID.match(value) else None


class ContextFilter(logging.Filter):
    """Put the current request and correlation ids on every record (empty outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        if not getattr(record, "correlation_id", None):
            record.correlation_id = correlation_id_var.get()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
            "correlation_id": getattr(record, "correlation_id", "") or correlation_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key not in _STANDARD and key not in entry and not key.startswith("_"):
                entry[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = "".join(traceback.format_exception(*record.exc_info))
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def bind(request_id: str | None = None, correlation_id: str | None = None) -> tuple[Any, Any]:
    """Set the ids for the code that runs next (a worker's job); returns tokens for :func:`unbind`."""
    rid = _sane(request_id) or uuid.uuid4().hex
    return request_id_var.set(rid), correlation_id_var.set(_sane(correlation_id) or rid)


def unbind(tokens: tuple[Any, Any]) -> None:
    request_id_var.reset(tokens[0])
    correlation_id_var.reset(tokens[1])


class RequestIdMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        tokens = bind(request.META.get("HTTP_X_REQUEST_ID"), request.META.get("HTTP_X_CORRELATION_ID"))
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id_var.get()
            response["X-Correlation-ID"] = correlation_id_var.get()
            user = getattr(request, "user", None)
            access_log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": user.pk if user is not None and user.is_authenticated else None,
                },
            )
            return response
        finally:
            unbind(tokens)

    def process_exception(self, request: HttpRequest, exception: Exception) -> None:
        """An unhandled error, logged with its traceback and the ids; Django then answers 500."""
        error_log.error(
            "unhandled error on %s %s: %s",
            request.method,
            request.path,
            exception,
            exc_info=(type(exception), exception, exception.__traceback__),
            extra={"method": request.method, "path": request.path},
        )


# --- probes -----------------------------------------------------------------------------------------


def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness: this process answers requests (nothing else is checked)."""
    return JsonResponse({"status": "ok"})


def _database() -> str | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return None


def _migrations() -> str | None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return f"{len(plan)} migration(s) not applied, first {plan[0][0].app_label}.{plan[0][0].name}"
    return None


def _queue() -> str | None:
    from huey.contrib.djhuey import HUEY

    HUEY.pending_count()  # a round trip to the queue's storage
    return None


CHECKS: dict[str, Callable[[], str | None]] = {
    "database": _database,
    "migrations": _migrations,
    "queue": _queue,
}


def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness: the database answers, every migration is applied, the job queue answers."""
    results: dict[str, str] = {}
    for name, check in CHECKS.items():
        try:
            problem = check()
        except Exception as exc:  # a probe reports every failure instead of raising it
            error_log.warning("readiness check %s failed: %s", name, exc, exc_info=True)
            problem = f"{type(exc).__name__}: {exc}"
        results[name] = problem or "ok"
    ready = all(v == "ok" for v in results.values())
    body = {"status": "ok" if ready else "unavailable", "checks": results}
    return JsonResponse(body, status=200 if ready else 503)
