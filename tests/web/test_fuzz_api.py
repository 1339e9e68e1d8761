"""Every bad request is a 4xx, never a 500: schemathesis generates requests from the OpenAPI document
(valid and invalid ones: integers past 64 bits, nulls in required fields, NUL bytes, over-long strings)
for every operation and sends them through the real application with a real token. Bounded:
``CHUHAI_FUZZ_EXAMPLES`` examples per operation (default 10)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.db import DatabaseError, connection, transaction
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from chuhai.web.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
EXAMPLES = int(os.environ.get("CHUHAI_FUZZ_EXAMPLES", "10"))


@pytest.fixture
def token(make_org: Any, make_actor: Any) -> Iterator[str]:
    """A bearer token of an administrator. As Django's test client does, the end of a request must not
    close the test's database connection."""
    from django.core import signals
    from django.db import close_old_connections

    from chuhai.web.organisations.services import issue_token

    actor = make_actor(make_org(), "admin")
    _token, raw = issue_token(actor.user, "fuzz")
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield raw
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db
@schema.parametrize()
@hypothesis_settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
)
def test_no_request_gets_a_server_error(case: Any, token: str) -> None:
    # Each request in a savepoint, rolled back if the database refused a statement: on PostgreSQL that
    # aborts the enclosing transaction (the test's), which in production (autocommit) ends with the request.
    savepoint = transaction.savepoint()
    response = case.call(headers={"Authorization": f"Bearer {token}"})
    broken = connection.needs_rollback
    if not broken:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            broken = True
    if broken:
        transaction.set_rollback(False)
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    assert response.status_code < 500, (
        f"{case.method} {case.formatted_path} -> {response.status_code}\n"
        f"query={case.query!r} body={getattr(case, 'body', None)!r}\n{response.text[:500]}"
    )
