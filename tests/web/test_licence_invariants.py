"""Licences that cannot lie: one destination and one export contract per licence, only vehicles that
match both, and counts that are right in every state."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from chuhai.errors import TransitionRefused
from chuhai.web.aftersales import services as aftersales
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def kz_licence(chain: Any) -> Any:
    return licences.create(chain.actor, {"export_contract_id": chain.contract.pk})


def test_a_uae_car_cannot_join_a_kazakhstan_licence(chain: Any, kz_licence: Any, api_client: Any) -> None:
    assert kz_licence.destination == "KZ"
    uae = chain.registered(destination="AE")
    with pytest.raises(TransitionRefused) as refused:
        licences.add_vehicle(chain.actor, kz_licence.pk, uae.pk)
    assert refused.value.rules == ("licence.destination_mismatch",)
    response = api_client(chain.actor).post(
        f"/api/licences/{kz_licence.pk}/vehicles", {"vehicle_id": uae.pk}, content_type="application/json"
    )
    assert response.status_code == 409
    assert response.json()["rules"] == ["licence.destination_mismatch"]
    assert not kz_licence.lines.exists()
    uae.refresh_from_db()
    assert uae.state == "transfer_registered"


def test_a_car_bound_to_another_contract_stays_off(chain: Any, kz_licence: Any, today: dt.date) -> None:
    other = aftersales.create_contract(
        chain.actor,
        {"number": "C-9", "buyer": "TOO Nine", "destination": "KZ", "signed_on": today},
    )
    car = chain.registered()
    Vehicle.objects.filter(pk=car.pk).update(export_contract=other)
    with pytest.raises(TransitionRefused) as refused:
        licences.add_vehicle(chain.actor, kz_licence.pk, car.pk)
    assert refused.value.rules == ("licence.contract_mismatch",)


def test_the_contract_and_the_licence_have_one_destination(chain: Any, kz_licence: Any) -> None:
    with pytest.raises(TransitionRefused) as refused:
        licences.create(chain.actor, {"destination": "AE", "export_contract_id": chain.contract.pk})
    assert refused.value.rules == ("licence.contract_destination_mismatch",)
    licences.add_vehicle(chain.actor, kz_licence.pk, chain.registered().pk)
    with pytest.raises(TransitionRefused) as refused:
        licences.update(chain.actor, kz_licence.pk, {"destination": "AE", "export_contract_id": None})
    assert refused.value.rules == ("licence.destination_mismatch",)
    kz_licence.refresh_from_db()
    assert kz_licence.destination == "KZ"


def test_a_licence_leaves_the_draft_only_with_a_destination(chain: Any, kz_licence: Any) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceApplication.objects.filter(pk=kz_licence.pk).update(state="submitted", destination="")


def _used_licence_of_four(chain: Any) -> Any:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicles(chain.actor, licence.pk, [chain.registered().pk for _ in range(4)])
    # Used: its lines are closed (the cars have left on it), as licences._close leaves them.
    LicenceApplication.objects.filter(pk=licence.pk).update(
        state="used", issued_on=dt.date(2026, 10, 1), licence_number="26CQ000001"
    )
    licence.lines.update(open=False)
    return licence


def test_a_used_licence_counts_its_four_cars(chain: Any, api_client: Any) -> None:
    licence = _used_licence_of_four(chain)
    api = api_client(chain.actor)
    assert api.get(f"/api/licences/{licence.pk}").json()["vehicle_count"] == 4
    assert [item["vehicle_count"] for item in api.get("/api/licences").json()["items"]] == [4]
    page = Client()
    page.force_login(chain.actor.user)
    detail = page.get(reverse("ui:licence", args=[licence.pk]))
    assert detail.context["open_count"] == 4
    assert len(detail.context["lines"]) == 4
    listing = page.get(reverse("ui:licences"))
    assert [lic.vehicle_count for lic in listing.context["page"].object_list] == [4]


def test_the_data_sheet_lists_exactly_the_licences_vehicles(chain: Any, api_client: Any) -> None:
    from openpyxl import load_workbook

    licence = _used_licence_of_four(chain)
    other = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, other.pk, chain.registered().pk)
    api = api_client(chain.actor)
    for lic in (licence, other):
        response = api.get(f"/api/licences/{lic.pk}/documents/licence-data.xlsx")
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content), read_only=True)
        cells = {
            str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row
        }
        vins = {line.vehicle.vin for line in lic.lines.select_related("vehicle")}
        all_vins = set(Vehicle.objects.filter(organisation=chain.org).values_list("vin", flat=True))
        assert vins <= cells
        assert not (all_vins - vins) & cells
