"""List endpoints run a constant number of queries, whatever the number of rows (no N+1)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from chuhai.web.aftersales.models import ExportContract
from chuhai.web.audit.models import AuditEvent
from chuhai.web.customs.models import CustomsDeclaration
from chuhai.web.licences.models import LicenceApplication, LicenceLine
from chuhai.web.organisations.models import Seller
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY, make_vin

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


def _grow(org: Any, n: int, start: int) -> None:
    for i in range(start, start + n):
        v = Vehicle.objects.create(
            organisation=org,
            vin=make_vin("LVV", i),
            state="cleared",
            customs_clearance_date=TODAY,
            temp_plate_issue_date=TODAY,
            screening_deadlines=[
                {
                    "kind": "aftersales_window_end",
                    "due": "2027-01-01",
                    "rule": "vehicle.aftersales_confirmation_required",
                }
            ],
        )
        licence = LicenceApplication.objects.create(
            organisation=org, state="submitted", submitted_on=TODAY, destination="KZ"
        )
        LicenceLine.objects.create(licence=licence, vehicle=v, commodity_code="8703229090", slot=1)
        CustomsDeclaration.objects.create(organisation=org, licence=licence)
        Seller.objects.create(organisation=org, name=f"s{i}")
        ExportContract.objects.create(
            organisation=org, number=f"C{i}", buyer="b", destination="KZ", signed_on=TODAY
        )
        AuditEvent.objects.create(
            organisation=org,
            actor_label="t",
            object_type="vehicle",
            object_id=v.pk,
            vin=v.vin,
            transition="x",
        )


@pytest.mark.parametrize("url", LISTS)
def test_list_queries_do_not_grow_with_rows(
    url: str, make_org: Any, make_actor: Any, api_client: Any, today: Any
) -> None:
    org = make_org()
    api = api_client(make_actor(org, "readonly"))
    _grow(org, 2, 1)
    api.get("/api/me")  # the token's first use records last_used_at (one UPDATE, not per row)
    with CaptureQueriesContext(connection) as small:
        assert api.get(url).status_code == 200
    _grow(org, 15, 100)
    with CaptureQueriesContext(connection) as large:
        assert api.get(url).status_code == 200
    assert len(large) == len(small), (url, [q["sql"] for q in large.captured_queries])
    assert len(large) <= 12
