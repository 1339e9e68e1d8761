"""The REST API end to end: a car from purchase to deregistration, errors, filters, pagination, OpenAPI."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from .conftest import TODAY, vehicle_facts

pytestmark = pytest.mark.django_db


def _json(facts: dict[str, Any]) -> dict[str, Any]:
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in facts.items()}


@pytest.fixture
def officer(make_org: Any, make_actor: Any, api_client: Any, today: dt.date) -> Any:
    org = make_org()
    actor = make_actor(org, "compliance")
    return api_client(actor), org


def test_openapi_and_docs_are_served(client: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    assert "/api/vehicles" in schema["paths"]
    assert "/api/vehicles/{vehicle_id}/transitions/{name}" in schema["paths"]
    assert client.get("/api/docs").status_code == 200


def test_unauthenticated_is_401_with_error_body(client: Any) -> None:
    response = client.get("/api/vehicles")
    assert response.status_code == 401
    assert response.json() == {"error": "unauthenticated", "message": "authentication required", "rules": []}
    bad = client.get("/api/vehicles", HTTP_AUTHORIZATION="Bearer chu_wrong")
    assert bad.status_code == 401


def test_revoked_token_stops_working(officer: Any) -> None:
    api, _org = officer
    created = api.post("/api/tokens", {"name": "robot"}, content_type="application/json")
    assert created.status_code == 201
    raw = created.json()["token"]
    from django.test import Client

    robot = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert robot.get("/api/me").status_code == 200
    assert robot.delete(f"/api/tokens/{created.json()['id']}").status_code == 204
    assert robot.get("/api/me").status_code == 401


def test_session_auth_requires_csrf(make_org: Any, make_actor: Any) -> None:
    from django.test import Client

    actor = make_actor(make_org(), "admin")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(actor.user)
    assert browser.get("/api/me").status_code == 200
    refused = browser.post("/api/sellers", {"name": "王"}, content_type="application/json")
    assert refused.status_code == 403
    browser.get("/app/login/")
    token = browser.cookies["csrftoken"].value
    ok = browser.post("/api/sellers", {"name": "王"}, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 201


def test_purchase_to_deregistration_through_the_api(officer: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    api, org = officer

    def post(url: str, body: dict[str, Any]) -> Any:
        response = api.post(url, body, content_type="application/json")
        assert response.status_code in (200, 201, 202), (url, response.json())
        return response.json()

    seller = post("/api/sellers", {"name": "张伟", "phone": "13800000000"})
    contract = post(
        "/api/contracts",
        {
            "number": "KZ-1",
            "buyer": "TOO Almaty",
            "destination": "KZ",
            "signed_on": "2026-11-10",
            "aftersales_terms": "partner service",
        },
    )
    car = post(
        "/api/vehicles",
        {
            **_json(vehicle_facts(org, 1)),
            "state": "offered",
            "seller_id": seller["id"],
            "export_contract_id": contract["id"],
        },
    )
    vid = car["id"]
    assert car["state"] == "offered"
    assert car["verdict"]
    assert car["law_version"]
    available = api.get(f"/api/vehicles/{vid}/transitions").json()["available"]
    assert "pay_deposit" in available
    assert "add_to_licence" not in available
    post(f"/api/vehicles/{vid}/transitions/pay_deposit", {"params": {"deposit_amount": "5000"}})
    post(f"/api/vehicles/{vid}/transitions/purchase", {"params": {"purchase_price": "90000"}})
    car = post(
        f"/api/vehicles/{vid}/transitions/register_transfer",
        {"params": {"transfer_pending_export_date": "2026-11-18", "temp_plate_number": "渝A1临"}},
    )
    assert car["state"] == "transfer_registered"
    assert car["verdict"] == "eligible", car["rules"]

    licence = post("/api/licences", {"export_contract_id": contract["id"]})
    (line,) = post(f"/api/licences/{licence['id']}/vehicles", {"vehicle_id": vid})
    assert line["slot"] == 1
    assert line["commodity_code"]
    licence = post(
        f"/api/licences/{licence['id']}/transitions/submit", {"params": {"submitted_on": "2026-11-20"}}
    )
    assert licence["state"] == "submitted"
    assert licence["vehicle_count"] == 1

    deadlines = api.get("/api/deadlines").json()["items"]
    review = next(d for d in deadlines if d["kind"] == "licence_review_due")
    # 3 working days after Friday 2026-11-20: Mon 23, Tue 24, Wed 25 (State Council calendar)
    assert review["due"] == "2026-11-25"
    plate = next(d for d in deadlines if d["kind"] == "temp_plate_expiry" and d["subject_id"] == vid)
    assert plate["due"] == "2027-01-17"  # 60 days after 2026-11-18 (insurance lasts longer)

    from chuhai.web.cases import context

    # Days pass: each later step is recorded once it has happened (never ahead of today).
    monkeypatch.setattr(context.timezone, "localdate", lambda *a, **k: dt.date(2026, 12, 10))
    licence = post(
        f"/api/licences/{licence['id']}/transitions/issue",
        {"params": {"licence_number": "26CQ0001", "issued_on": "2026-11-24"}},
    )
    assert licence["state"] == "issued"
    assert licence["valid_until"] == "2026-12-31"
    declaration = post("/api/declarations", {"licence_id": licence["id"], "port": "重庆"})
    items = api.get(f"/api/declarations/{declaration['id']}/items").json()
    assert items[0]["product_name"] == car["customs_name"]
    assert items[0]["product_name"].startswith("旧")
    post(
        f"/api/declarations/{declaration['id']}/transitions/file",
        {"params": {"declaration_number": "800120260000000001", "filed_on": "2026-11-25"}},
    )
    post(
        f"/api/declarations/{declaration['id']}/transitions/clear",
        {"params": {"clearance_date": "2026-11-26"}},
    )
    deadlines = api.get("/api/deadlines?kind=deregistration_due").json()["items"]
    assert [(d["subject_id"], d["due"]) for d in deadlines] == [(vid, "2027-01-26")]  # 2 calendar months

    car = post(f"/api/vehicles/{vid}/transitions/deregister", {"params": {"deregistered_on": "2026-12-05"}})
    assert car["state"] == "deregistered"
    history = api.get(f"/api/audit?vin={car['vin']}&limit=100").json()["items"]
    transitions = [h["transition"] for h in history]
    assert transitions[0] == "vehicle.create"
    assert transitions[-1] == "vehicle.deregister"
    assert all(h["law_version"] for h in history)
    assert api.get(f"/api/vehicles/{vid}/audit").json()["count"] == len(history)


def test_refusal_body_lists_rule_ids(officer: Any) -> None:
    api, org = officer
    car = api.post(
        "/api/vehicles", _json(vehicle_facts(org, 2, encumbrance="mortgage")), content_type="application/json"
    ).json()
    response = api.post(
        f"/api/vehicles/{car['id']}/transitions/register_transfer",
        {"params": {"transfer_pending_export_date": "2026-11-19", "temp_plate_number": "渝A00011临"}},
        content_type="application/json",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "transition_refused"
    assert "vehicle.encumbered" in body["rules"]
    assert body["message"]


def test_validation_errors_are_422(officer: Any) -> None:
    api, _org = officer
    response = api.post("/api/vehicles", {"vin": "NOT-A-VIN"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_value"
    response = api.post("/api/vehicles", {"brand": "x"}, content_type="application/json")
    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"
    unknown = api.post(
        "/api/vehicles/999999/transitions/purchase", {"params": {}}, content_type="application/json"
    )
    assert unknown.status_code == 404
    assert unknown.json()["error"] == "not_found"


def test_filters_and_pagination(officer: Any) -> None:
    api, org = officer
    for n in range(1, 6):
        overrides = {"encumbrance": "mortgage"} if n % 2 else {"brand": "吉利"}
        api.post(
            "/api/vehicles", _json(vehicle_facts(org, 10 + n, **overrides)), content_type="application/json"
        )
    page = api.get("/api/vehicles?limit=2&offset=0").json()
    assert page["count"] == 5
    assert len(page["items"]) == 2
    assert len(api.get("/api/vehicles?limit=2&offset=4").json()["items"]) == 1
    assert api.get("/api/vehicles?rule=vehicle.encumbered").json()["count"] == 3
    assert api.get("/api/vehicles?brand=吉利").json()["count"] == 2
    assert api.get("/api/vehicles?verdict=blocked").json()["count"] >= 3
    assert api.get("/api/vehicles?state=offered").json()["count"] == 0
    assert api.get("/api/vehicles?destination=kz").json()["count"] == 5


def test_screen_one_vehicle_without_storing(officer: Any) -> None:
    api, org = officer
    facts = _json(vehicle_facts(org, 30, owner_name=org.name))
    response = api.post(
        "/api/screen/vehicle", {"vehicle": facts, "as_of": TODAY.isoformat()}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["vin"] == facts["vin"]
    assert body["law_version"]
    assert "registration.transfer_pending_export_missing" in body["rules"]
    assert api.get("/api/vehicles").json()["count"] == 0


def test_screen_a_file(officer: Any) -> None:
    api, org = officer
    from django.core.files.uploadedfile import SimpleUploadedFile

    facts = vehicle_facts(org, 31)
    csv = "vin,brand,registration_date\n" + f"{facts['vin']},大众,2023-01-05\n" + "BAD,大众,not-a-date\n"
    upload = SimpleUploadedFile("stock.csv", csv.encode("utf-8"), content_type="text/csv")
    body = api.post("/api/screen/file", {"file": upload}).json()
    assert [r["verdict"] for r in body["results"]][1] == "invalid"
    assert body["problems"][0]["row"] == 3
