"""One rule for every write path (``chuhai.web.vehicles.writes``): ``PATCH /api/vehicles/{id}``, the
facts endpoint and the import refuse the same changes with the same rule, the after-sales confirmation
is recorded only through a letter, and a re-import never stores a verdict from facts it did not save."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest

from chuhai.errors import TransitionRefused
from chuhai.web.aftersales import services as aftersales
from chuhai.web.imports import services as imports
from chuhai.web.licences import services as licences
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle

from .conftest import vehicle_facts

pytestmark = pytest.mark.django_db


def _patch(api: Any, vehicle: Any, body: dict[str, Any]) -> Any:
    return api.patch(f"/api/vehicles/{vehicle.pk}", body, content_type="application/json")


def _facts(api: Any, vehicle: Any, body: dict[str, Any]) -> Any:
    return api.post(f"/api/vehicles/{vehicle.pk}/facts", {"facts": body}, content_type="application/json")


def test_patch_cannot_change_the_facts_of_a_car_on_a_licence(chain: Any, api_client: Any) -> None:
    car = chain.registered()
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, licence.pk, car.pk)
    api = api_client(chain.actor)
    for call in (_patch, _facts):
        response = call(api, car, {"odometer_km": 999})
        assert response.status_code == 409, (call.__name__, response.content)
        assert response.json()["rules"] == ["vehicle.facts_fixed_by_licence"]
    assert _patch(api, car, {"notes": "on the train"}).status_code == 200  # notes stay free
    car.refresh_from_db()
    assert car.odometer_km == 52000


def test_patch_and_facts_refuse_a_locked_fact_with_the_same_rule(chain: Any, api_client: Any) -> None:
    car = chain.registered()
    api = api_client(chain.actor)
    for call in (_patch, _facts):
        response = call(api, car, {"brand": "比亚迪"})
        assert response.status_code == 409, (call.__name__, response.content)
        assert response.json()["rules"] == ["vehicle.registration_mismatch"]


def test_the_confirmation_is_recorded_only_through_a_letter(chain: Any, api_client: Any) -> None:
    car = chain.registered()
    api = api_client(chain.actor)
    response = _patch(api, car, {"aftersales_confirmation": True})
    assert response.status_code == 409, response.content
    assert response.json()["rules"] == ["aftersales.confirmation_by_letter"]
    car.refresh_from_db()
    assert car.aftersales_confirmation is False

    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, licence.pk, car.pk)
    letter = aftersales.request_letter(chain.actor, licence.pk, car.manufacturer)
    with pytest.raises(TransitionRefused) as refused:
        aftersales.letter_transition(chain.actor, letter.pk, "receive", {})
    assert refused.value.rules == ("input.missing_parameter",)
    aftersales.letter_transition(
        chain.actor, letter.pk, "receive", {"evidence": "上汽大众售后确认书 2026-118"}
    )
    letter.refresh_from_db()
    assert (letter.received_by, letter.evidence) == (chain.actor.user, "上汽大众售后确认书 2026-118")
    assert letter.received_on is not None
    assert letter.manufacturer == car.manufacturer
    car.refresh_from_db()
    assert car.aftersales_confirmation is True
    body = api.get(f"/api/letters/{letter.pk}").json()
    assert body["evidence"] == "上汽大众售后确认书 2026-118"


def _csv(rows: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]))
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {k: ("" if v is None else v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
        )
    return buffer.getvalue().encode("utf-8")


def _import(chain: Any, on_commit: Any, rows: list[dict[str, Any]]) -> Any:
    with on_commit():
        job = imports.submit(chain.actor, "again.csv", _csv(rows))
    job.refresh_from_db()
    return job


def test_reimporting_a_changed_locked_fact_is_a_row_error(chain: Any, on_commit: Any) -> None:
    car = chain.registered()
    stored = (car.brand, car.verdict, car.findings)
    row = vehicle_facts(chain.org, 1, brand="比亚迪")
    assert row["vin"] == car.vin
    job = _import(chain, on_commit, [row])
    assert job.state == "rejected", job.message
    assert [(e["row"], e["rule"], e["value"]) for e in job.errors] == [
        (2, "vehicle.registration_mismatch", "比亚迪")
    ]
    car.refresh_from_db()
    assert (car.brand, car.verdict, car.findings) == stored


def test_a_reimport_stores_the_verdict_of_the_facts_it_saves(chain: Any, on_commit: Any) -> None:
    car = chain.registered()
    # The file claims the manufacturer's confirmation: a file is not a letter.
    row = vehicle_facts(chain.org, 1, aftersales_confirmation="yes", odometer_km=60000)
    job = _import(chain, on_commit, [row])
    assert job.state == "succeeded", (job.message, job.errors)
    car.refresh_from_db()
    assert car.aftersales_confirmation is False
    assert car.odometer_km == 60000
    stored = (car.verdict, [f["rule"] for f in car.findings])
    fresh = Vehicle.objects.get(pk=car.pk)
    screening.rescreen([fresh], chain.org, job.as_of)
    assert (fresh.verdict, [f["rule"] for f in fresh.findings]) == stored
