"""One licence planner (``chuhai.batching.plan``) for the CLI, the planning page and
``POST /api/licences/plan``; creating licences from a plan is one transaction."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chuhai import batching
from chuhai.engine import load_law
from chuhai.web.aftersales import services as aftersales
from chuhai.web.audit.models import AuditEvent
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.vehicles.models import Vehicle

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(chain: Any, today: dt.date) -> dict[str, Any]:
    """Registered cars: three for Kazakhstan, one of them bound to its own contract, one for Russia,
    one blocked."""
    second_kz = aftersales.create_contract(
        chain.actor,
        {
            "number": "C-2",
            "buyer": "TOO Other",
            "destination": "KZ",
            "signed_on": today - dt.timedelta(days=30),
            "aftersales_terms": "service via partner",
        },
    )
    cars = {name: chain.registered() for name in ("kz_1", "kz_2", "kz_bound")}
    cars["ru"] = chain.registered(destination="RU")
    cars["seized"] = chain.registered()
    # Seized after registration and screened again: blocked.
    Vehicle.objects.filter(pk=cars["seized"].pk).update(
        seized=True, verdict="blocked", rules_index=",vehicle.seized,"
    )
    Vehicle.objects.filter(pk=cars["kz_bound"].pk).update(export_contract=second_kz)
    return {"chain": chain, "cars": cars, "contracts": {"kz": chain.contract, "kz_2": second_kz}}


def _page_batches(client: Client) -> list[list[str]]:
    html = client.get(reverse("ui:licence_plan")).content.decode()
    blocks = html.split('<fieldset class="card batch">')[1:]
    return [re.findall(r'<a class="vin" href="[^"]*">([A-Z0-9]{17})</a>', block) for block in blocks]


def test_page_api_and_core_make_the_same_plan(stock: dict[str, Any], api_client: Any, today: dt.date) -> None:
    chain, cars, contracts = stock["chain"], stock["cars"], stock["contracts"]
    api = api_client(chain.actor)
    response = api.post("/api/licences/plan", {}, content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    api_plan = [
        (lic["destination"], lic["export_contract_id"], [v["vin"] for v in lic["vehicles"]])
        for lic in body["licences"]
    ]
    code = cars["kz_1"].commodity_code
    assert sorted(api_plan) == sorted(
        [
            ("KZ", contracts["kz"].pk, [cars["kz_1"].vin, cars["kz_2"].vin]),
            ("KZ", contracts["kz_2"].pk, [cars["kz_bound"].vin]),  # its own contract, not the latest
            ("RU", None, [cars["ru"].vin]),  # no contract for Russia yet
        ]
    )
    assert [e["vin"] for e in body["excluded"]] == [cars["seized"].vin]
    assert body["excluded"][0]["verdict"] == "blocked"
    assert body["max_vehicles_per_code"] == load_law().value("licence.max_vehicles_per_code", today)

    page = Client()
    page.force_login(chain.actor.user)
    assert _page_batches(page) == [vins for _d, _c, vins in api_plan]

    core = batching.plan(
        [
            batching.Candidate(v.vin, v.verdict, v.commodity_code, v.destination, contract=c)
            for v, c in (
                (cars["kz_1"], None),
                (cars["kz_2"], None),
                (cars["kz_bound"], str(contracts["kz_2"].pk)),
                (cars["ru"], None),
            )
        ],
        load_law(),
        today,
        {"KZ": str(contracts["kz"].pk)},
    )
    assert [list(lic.vins) for lic in core.licences] == [vins for _d, _c, vins in api_plan]
    assert {lic.commodity_code for lic in core.licences} == {code}


def test_the_api_creates_the_plan_as_drafts(stock: dict[str, Any], api_client: Any) -> None:
    chain, cars = stock["chain"], stock["cars"]
    response = api_client(chain.actor).post(
        "/api/licences/plan", {"create": True}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    created = response.json()["created"]
    assert [lic["vehicle_count"] for lic in created] == [2, 1, 1]
    assert {lic["state"] for lic in created} == {"draft"}
    for name in ("kz_1", "kz_2", "kz_bound", "ru"):
        cars[name].refresh_from_db()
        assert cars[name].state == "in_licence"


def _stale(car: Vehicle) -> None:
    """The car was seized after its last screening: its stored verdict still says eligible."""
    Vehicle.objects.filter(pk=car.pk).update(seized=True)


def test_creating_from_the_page_is_all_or_nothing(stock: dict[str, Any]) -> None:
    chain, cars = stock["chain"], stock["cars"]
    _stale(cars["ru"])
    page = Client()
    page.force_login(chain.actor.user)
    batches = _page_batches(page)
    assert [cars["ru"].vin] in batches  # planned from the stored verdict
    events = AuditEvent.objects.count()
    response = page.post(
        reverse("ui:licence_plan"), {"batch": [str(i) for i in range(len(batches))]}, follow=True
    )
    assert LicenceApplication.objects.filter(organisation=chain.org).count() == 0
    assert AuditEvent.objects.count() == events
    for car in cars.values():
        car.refresh_from_db()
        assert car.state == "transfer_registered"
    messages = " ".join(str(m) for m in response.context["messages"])
    assert "vehicle.seized" in messages or "seized" in messages.lower()


def test_creating_from_the_api_is_all_or_nothing(stock: dict[str, Any], api_client: Any) -> None:
    chain, cars = stock["chain"], stock["cars"]
    _stale(cars["kz_bound"])
    api = api_client(chain.actor)
    response = api.post("/api/licences/plan", {"create": True}, content_type="application/json")
    assert response.status_code == 409, response.content
    assert response.json()["rules"]
    assert LicenceApplication.objects.filter(organisation=chain.org).count() == 0
    # Exactly the licences the client names, and an unknown VIN refuses the whole request.
    response = api.post(
        "/api/licences/plan",
        {
            "create": True,
            "licences": [
                {"destination": "KZ", "vehicles": [cars["kz_1"].vin]},
                {"destination": "KZ", "vehicles": ["LSVAAAAAAAA000000"]},
            ],
        },
        content_type="application/json",
    )
    assert response.status_code == 404, response.content
    assert LicenceApplication.objects.filter(organisation=chain.org).count() == 0
