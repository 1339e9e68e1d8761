"""Errors are visible: JSON-lines logs with request and correlation ids (an incoming X-Request-ID is
kept and returned), every 500 logged with its traceback, and the probes /healthz and /readyz."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from chuhai.web.observability import ContextFilter, JsonFormatter

pytestmark = pytest.mark.django_db


@pytest.fixture
def captured() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    logger = logging.getLogger("chuhai")
    logger.addHandler(handler)
    yield stream
    logger.removeHandler(handler)


def lines_of(stream: io.StringIO) -> list[dict[str, Any]]:
    # Every line is one JSON object (json.loads fails on anything else).
    return [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]


def test_an_incoming_request_id_is_kept_returned_and_logged(captured: io.StringIO) -> None:
    response = Client().get("/app/login/", HTTP_X_REQUEST_ID="req-42.abc", HTTP_X_CORRELATION_ID="order-7")
    assert response["X-Request-ID"] == "req-42.abc"
    assert response["X-Correlation-ID"] == "order-7"
    access = [line for line in lines_of(captured) if line["logger"] == "chuhai.request"]
    assert len(access) == 1
    assert access[0]["request_id"] == "req-42.abc"
    assert access[0]["correlation_id"] == "order-7"
    assert access[0]["status"] == 200
    assert access[0]["path"] == "/app/login/"
    assert access[0]["duration_ms"] >= 0


def test_a_missing_or_unsafe_request_id_is_replaced(captured: io.StringIO) -> None:
    plain = Client().get("/app/login/")
    assert len(plain["X-Request-ID"]) == 32
    assert plain["X-Correlation-ID"] == plain["X-Request-ID"]
    forged = Client().get("/app/login/", HTTP_X_REQUEST_ID='x"\n{"level": "fake"}')
    assert forged["X-Request-ID"] != 'x"\n{"level": "fake"}'
    assert len(forged["X-Request-ID"]) == 32
    assert all(line["level"] != "fake" for line in lines_of(captured))


def test_every_500_is_logged_with_its_traceback_and_ids(
    make_org: Any, make_actor: Any, monkeypatch: pytest.MonkeyPatch, captured: io.StringIO
) -> None:
    from chuhai.web.ui import views

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the deadline table is on fire")

    monkeypatch.setattr(views.deadlines, "open_deadlines", broken)
    browser = Client(raise_request_exception=False)
    browser.force_login(make_actor(make_org()).user)
    response = browser.get("/app/", HTTP_X_REQUEST_ID="trace-me-1")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "trace-me-1"
    errors = [line for line in lines_of(captured) if line["level"] == "error"]
    assert len(errors) == 1
    error = errors[0]
    assert error["request_id"] == "trace-me-1"
    assert "RuntimeError: the deadline table is on fire" in error["exception"]
    assert "Traceback (most recent call last)" in error["exception"]
    assert "open_deadlines" in error["exception"] or "broken" in error["exception"]
    access = [line for line in lines_of(captured) if line["logger"] == "chuhai.request"]
    assert access[-1]["status"] == 500


def test_healthz_answers_without_the_database(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.db.backends.base.base import BaseDatabaseWrapper

    def no_database(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("liveness must not touch the database")

    monkeypatch.setattr(BaseDatabaseWrapper, "cursor", no_database)
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ok_when_database_migrations_and_queue_are(db: Any) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200, response.content
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "migrations": "ok", "queue": "ok"},
    }


def test_readyz_names_an_unapplied_migration(db: Any) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    latest = MigrationRecorder.Migration.objects.filter(app="audit").order_by("-id").first()
    assert latest is not None
    latest.delete()  # rolled back with the test's transaction
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["migrations"].startswith("1 migration(s) not applied")
    assert f"audit.{latest.name}" in response.json()["checks"]["migrations"]


def test_readyz_says_when_the_queue_cannot_be_reached(
    db: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    from huey.contrib.djhuey import HUEY
    from huey.storage import SqliteStorage

    unreachable = SqliteStorage(
        "chuhai", filename=str(tmp_path / "no-such-dir" / "huey.sqlite3"), create_tables=False
    )
    monkeypatch.setattr(HUEY, "storage", unreachable)
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok"
    assert checks["queue"] != "ok"
    assert "OperationalError" in checks["queue"]
