"""The vehicle list page and ``GET /api/vehicles`` share one filter definition: the same query gives the
same vehicles on both (``chuhai.web.vehicles.filters.VehicleFilters``)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

VIN = re.compile(r'<a class="vin" href="[^"]*">([A-Z0-9]{17})</a>')


@pytest.fixture
def stock(chain: Any, today: dt.date) -> dict[str, Any]:
    """Five cars: two registered for export, brands and registration ages differing."""
    cars = {
        "new_vw": chain.vehicle(registration_date=today - dt.timedelta(days=400)),
        "old_vw": chain.vehicle(registration_date=today - dt.timedelta(days=6 * 365)),
        "byd": chain.vehicle(brand="比亚迪", registration_date=today - dt.timedelta(days=3 * 365 + 10)),
        "reg_1": chain.registered(),
        "reg_2": chain.registered(brand="比亚迪"),
    }
    return {"chain": chain, "cars": cars}


def _page_vins(client: Client, query: str) -> list[str]:
    response = client.get(f"/app/vehicles/?{query}")
    assert response.status_code == 200
    return VIN.findall(response.content.decode())


def _api_vins(client: Client, query: str) -> list[str]:
    response = client.get(f"/api/vehicles?{query}&limit=500")
    assert response.status_code == 200, response.content
    return [item["vin"] for item in response.json()["items"]]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["new_vw", "old_vw", "byd", "reg_1", "reg_2"]),
        ("state=purchased", ["new_vw", "old_vw", "byd"]),
        ("state=purchased,transfer_registered", ["new_vw", "old_vw", "byd", "reg_1", "reg_2"]),
        ("brand=比亚迪", ["byd", "reg_2"]),
        ("age_min=5", ["old_vw"]),
        ("age_max=1", ["new_vw"]),
        ("age_min=2&age_max=4&brand=比亚迪", ["byd", "reg_2"]),
        ("destination=kz&state=transfer_registered", ["reg_1", "reg_2"]),
        ("age_min=abc", ["new_vw", "old_vw", "byd", "reg_1", "reg_2"]),  # the page ignores a bad age
    ],
)
def test_page_and_api_filter_the_same_way(
    stock: dict[str, Any], api_client: Any, query: str, expected: list[str]
) -> None:
    chain, cars = stock["chain"], stock["cars"]
    page = Client()
    page.force_login(chain.actor.user)
    api = api_client(chain.actor)
    want = [cars[name].vin for name in expected]
    assert _page_vins(page, query) == want
    if "abc" in query:
        assert api.get(f"/api/vehicles?{query}").status_code == 422  # the API says what is wrong
    else:
        assert _api_vins(api, query) == want


def test_part_of_a_vin_finds_the_car_on_both(stock: dict[str, Any], api_client: Any) -> None:
    chain, cars = stock["chain"], stock["cars"]
    middle = cars["byd"].vin[5:12].lower()
    page = Client()
    page.force_login(chain.actor.user)
    assert _page_vins(page, f"vin={middle}") == [cars["byd"].vin]
    assert _api_vins(api_client(chain.actor), f"vin={middle}") == [cars["byd"].vin]
