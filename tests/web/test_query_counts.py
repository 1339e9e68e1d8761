"""List endpoints run a constant number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .conftest import grow_case_file

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/vehicles",
    "/api/licences",
    "/api/declarations",
    "/api/sellers",
    "/api/contracts",
    "/api/audit",
    "/api/deadlines",
    "/api/imports",
    "/api/letters",
    "/api/outlets",
]


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_rows(
    url: str, make_org: Any, make_actor: Any, api_client: Any, today: Any
) -> None:
    org = make_org()
    api = api_client(make_actor(org, "readonly"))
    grow_case_file(org, 2, 1)
    api.get("/api/me")  # the token's first use records last_used_at (one UPDATE, not per row)
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    grow_case_file(org, 15, 100)
    with CaptureQueriesContext(connection) as large:
        assert api.get(url).status_code == 200
    assert len(large) == len(small), (url, [q["sql"] for q in large.captured_queries])
    assert len(large) <= 12
