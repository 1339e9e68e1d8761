"""Every page runs a fixed number of database queries on the demo data, whatever the number of rows.

Figures, not timings (``benchmarks/run`` times the pages): each page's query count is measured on
the demo enterprise, then again after the enterprise has grown by vehicles, licences, declarations,
contracts and audit events. A count that grows with the rows is an N+1 query. The counts are
printed (``pytest -s``) so that a change in them shows in review.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.web.conftest import grow_case_file

from .test_pages import _pages

pytestmark = [pytest.mark.db, pytest.mark.django_db]

# The most queries any page may run (session, user, membership, organisation, the page's own).
CEILING = 40


def _counts(client: Any, urls: list[str]) -> dict[str, int]:
    counts = {}
    for url in urls:
        client.get(url)  # warm: caches that fill once per process are not the page's queries
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[url] = len(queries)
    return counts


def test_every_page_has_a_fixed_number_of_queries(demo: Any, client_for: Any) -> None:
    urls = [*_pages(demo), reverse("ui:licence_plan")]
    client = client_for("demo-admin", "en")
    before = _counts(client, urls)
    grow_case_file(demo, 25, start=900_000)
    after = _counts(client, urls)
    print("\nqueries per page (demo data → grown by 25 vehicles, licences, declarations, contracts):")
    for url in urls:
        print(f"  {before[url]:3d} → {after[url]:3d}  {url}")
    grown = {url: (before[url], after[url]) for url in urls if after[url] > before[url]}
    assert not grown, f"query counts grow with the rows (N+1): {grown}"
    over = {url: n for url, n in after.items() if n > CEILING}
    assert not over, f"pages over {CEILING} queries: {over}"
