"""Irreversible steps are checked: completion dates never in the future, bulk steps never invent the
data they need, and the customs declaration number has its 18-digit form."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from chuhai.errors import TransitionRefused, ValidationError
from chuhai.web.customs import services as customs
from chuhai.web.licences import services as licences
from chuhai.web.vehicles import services as vehicles

pytestmark = pytest.mark.django_db

FUTURE = "input.date_in_future"


def _issued(chain: Any) -> tuple[Any, Any]:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    car = chain.registered()
    licences.add_vehicle(chain.actor, licence.pk, car.pk)
    licences.transition(chain.actor, licence.pk, "submit", {})
    return licence, car


def test_completion_dates_are_never_in_the_future(chain: Any, today: dt.date) -> None:
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    licence, car = _issued(chain)
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(
            chain.actor, licence.pk, "issue", {"licence_number": "26CQ1", "issued_on": tomorrow}
        )
    assert refused.value.rules == (FUTURE,)
    licences.transition(chain.actor, licence.pk, "issue", {"licence_number": "26CQ1"})
    declaration = customs.create(chain.actor, licence.pk)
    customs.transition(chain.actor, declaration.pk, "file", {"declaration_number": "800120260000000001"})
    with pytest.raises(TransitionRefused) as refused:
        customs.transition(chain.actor, declaration.pk, "clear", {"clearance_date": tomorrow})
    assert refused.value.rules == (FUTURE,)
    customs.transition(chain.actor, declaration.pk, "clear", {"clearance_date": today.isoformat()})
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, car.pk, "deregister", {"deregistered_on": tomorrow})
    assert refused.value.rules == (FUTURE,)
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, car.pk, "deregister", {})  # the date is asked for, not assumed
    assert refused.value.rules == ("input.missing_parameter",)
    assert (
        vehicles.transition(chain.actor, car.pk, "deregister", {"deregistered_on": today}).state
        == "deregistered"
    )


def test_a_bulk_transfer_registration_never_invents_its_date_or_plate(chain: Any) -> None:
    cars = [chain.vehicle() for _ in range(2)]
    page = Client()
    page.force_login(chain.actor.user)
    response = page.post(
        reverse("ui:vehicle_bulk"),
        {"action": "register_transfer", "ids": [str(c.pk) for c in cars]},
        follow=True,
    )
    for car in cars:
        car.refresh_from_db()
        assert car.state == "purchased"
        assert car.transfer_pending_export_date is None
        assert car.temp_plate_number == ""
    assert "input.missing_parameter" in " ".join(str(m) for m in response.context["messages"])


def test_the_declaration_number_is_an_18_digit_export_number(chain: Any, api_client: Any) -> None:
    licence, _car = _issued(chain)
    licences.transition(chain.actor, licence.pk, "issue", {"licence_number": "26CQ2"})
    declaration = customs.create(chain.actor, licence.pk)
    for bad in ("D-1", "80012026000000001", "800120261000000001"):  # junk, 17 digits, an import number
        with pytest.raises(ValidationError):
            customs.transition(chain.actor, declaration.pk, "file", {"declaration_number": bad})
    response = api_client(chain.actor).patch(
        f"/api/declarations/{declaration.pk}", {"declaration_number": "8001"}, content_type="application/json"
    )
    assert response.status_code == 422
    filed = customs.transition(
        chain.actor, declaration.pk, "file", {"declaration_number": "8001 2026 0 000000007"}
    )
    assert filed.declaration_number == "800120260000000007"
