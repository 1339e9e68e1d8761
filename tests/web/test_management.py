"""The management actions: staff roles and accounts, contract and outlet upkeep, and correcting a
vehicle's registration facts (services and REST API; the pages are tested in tests/ui)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from chuhai.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError
from chuhai.web.aftersales import services as aftersales
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import actor_for
from chuhai.web.licences import services as licences
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import ApiToken
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-tests-1234"


@pytest.fixture
def staff(make_org: Any, make_actor: Any) -> Any:
    org = make_org()
    return {
        "org": org,
        "admin": make_actor(org, "admin"),
        "clerk": make_actor(org, "clerk"),
        "readonly": make_actor(org, "readonly"),
    }


def _events(transition: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(transition=transition).order_by("id"))


# --- staff ------------------------------------------------------------------------------------------


def test_change_role_is_audited_with_who_before_and_after(staff: Any) -> None:
    admin, clerk = staff["admin"], staff["clerk"]
    membership = accounts.change_role(admin, clerk.user.pk, "compliance")
    assert membership.role == "compliance"
    assert actor_for(clerk.user).can("comply")
    [event] = _events("staff.role")
    assert event.actor == admin.user
    assert event.object_type == "membership"
    assert event.before == {"role": "clerk"}
    assert event.after == {"role": "compliance"}
    with pytest.raises(ValidationError, match="role"):
        accounts.change_role(admin, clerk.user.pk, "owner")


def test_only_an_administrator_manages_staff(staff: Any) -> None:
    for role in ("clerk", "readonly"):
        with pytest.raises(PermissionDenied):
            accounts.change_role(staff[role], staff["readonly"].user.pk, "admin")
        with pytest.raises(PermissionDenied):
            accounts.deactivate(staff[role], staff["admin"].user.pk)
    assert not _events("staff.role")


def test_members_of_another_organisation_are_not_found(staff: Any, make_org: Any, make_actor: Any) -> None:
    stranger = make_actor(make_org(), "clerk")
    for call in (
        lambda: accounts.change_role(staff["admin"], stranger.user.pk, "admin"),
        lambda: accounts.deactivate(staff["admin"], stranger.user.pk),
        lambda: accounts.set_password(staff["admin"], stranger.user.pk, "another-long-pass-99"),
    ):
        with pytest.raises(NotFound):
            call()
    assert stranger.user.is_active


def test_last_active_administrator_cannot_be_demoted_or_deactivated(staff: Any, make_actor: Any) -> None:
    admin = staff["admin"]
    for call in (
        lambda: accounts.change_role(admin, admin.user.pk, "clerk"),
        lambda: accounts.deactivate(admin, admin.user.pk),
    ):
        with pytest.raises(TransitionRefused, match="make another member administrator first") as info:
            call()
        assert info.value.rules == (accounts.LAST_ADMINISTRATOR,)
    # A second administrator, once deactivated, does not count: the first is still the last active one.
    second = make_actor(staff["org"], "admin")
    accounts.deactivate(admin, second.user.pk)
    with pytest.raises(TransitionRefused):
        accounts.change_role(admin, admin.user.pk, "readonly")
    accounts.reactivate(admin, second.user.pk)
    accounts.change_role(admin, admin.user.pk, "readonly")  # now allowed: the second one is active
    assert not actor_for(admin.user).can("manage")
    with pytest.raises(TransitionRefused):
        accounts.deactivate(actor_for(second.user), second.user.pk)


def test_deactivated_account_cannot_sign_in_and_its_tokens_stop(staff: Any) -> None:
    admin, clerk = staff["admin"], staff["clerk"]
    _token, raw = accounts.issue_token(clerk.user, "robot")
    robot = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    browser = Client()
    browser.force_login(clerk.user)
    assert robot.get("/api/me").status_code == 200
    assert browser.get("/app/").status_code == 200

    accounts.deactivate(admin, clerk.user.pk)
    clerk.user.refresh_from_db()
    assert not clerk.user.is_active
    assert authenticate(username=clerk.user.username, password=PASSWORD) is None
    assert robot.get("/api/me").status_code == 401
    assert browser.get("/app/").status_code == 302  # the open session ends too
    [event] = _events("staff.deactivate")
    assert event.before == {"is_active": True, "tokens_revoked": 0}
    assert event.after == {"is_active": False, "tokens_revoked": 1}

    accounts.reactivate(admin, clerk.user.pk)
    assert authenticate(username=clerk.user.username, password=PASSWORD) is not None
    assert robot.get("/api/me").status_code == 401  # revoked tokens stay revoked
    assert ApiToken.objects.filter(user=clerk.user, revoked_at__isnull=True).count() == 0
    assert [e.after for e in _events("staff.reactivate")] == [{"is_active": True}]


def test_set_password_is_validated_and_never_recorded(staff: Any) -> None:
    admin, clerk = staff["admin"], staff["clerk"]
    with pytest.raises(ValidationError, match="password"):
        accounts.set_password(admin, clerk.user.pk, "short")
    accounts.set_password(admin, clerk.user.pk, "a-brand-new-pass-42")
    assert authenticate(username=clerk.user.username, password="a-brand-new-pass-42") is not None
    assert authenticate(username=clerk.user.username, password=PASSWORD) is None
    [event] = _events("staff.password")
    assert "a-brand-new-pass-42" not in str(event.before) + str(event.after)
    assert event.after == {"password_set": True}


def test_staff_api(staff: Any, api_client: Any) -> None:
    admin_api = api_client(staff["admin"])
    clerk_api = api_client(staff["clerk"])
    listed = clerk_api.get("/api/users").json()
    assert {m["username"] for m in listed} == {
        a.user.username for a in (staff["admin"], staff["clerk"], staff["readonly"])
    }
    assert (
        clerk_api.patch(
            f"/api/users/{staff['readonly'].user.pk}", {"role": "admin"}, content_type="application/json"
        ).status_code
        == 403
    )

    clerk_id = staff["clerk"].user.pk
    changed = admin_api.patch(
        f"/api/users/{clerk_id}", {"role": "compliance"}, content_type="application/json"
    )
    assert changed.status_code == 200
    assert changed.json()["role"] == "compliance"
    closed = admin_api.patch(f"/api/users/{clerk_id}", {"is_active": False}, content_type="application/json")
    assert closed.json()["is_active"] is False
    assert clerk_api.get("/api/me").status_code == 401

    me = staff["admin"].user.pk
    refused = admin_api.patch(f"/api/users/{me}", {"role": "clerk"}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["rules"] == ["staff.last_administrator"]
    assert "make another member administrator first" in refused.json()["message"]

    weak = admin_api.post(
        f"/api/users/{clerk_id}/password", {"password": "1234"}, content_type="application/json"
    )
    assert weak.status_code == 422
    assert (
        admin_api.post(
            f"/api/users/{clerk_id}/password",
            {"password": "a-brand-new-pass-42"},
            content_type="application/json",
        ).status_code
        == 200
    )
    created = admin_api.post(
        "/api/users",
        {"username": "new-clerk", "password": "a-brand-new-pass-42", "role": "clerk"},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert created.json()["role"] == "clerk"
    taken = admin_api.post(
        "/api/users",
        {"username": "new-clerk", "password": "a-brand-new-pass-42"},
        content_type="application/json",
    )
    assert taken.status_code == 409


# --- contracts and outlets --------------------------------------------------------------------------


def test_contract_edit_and_delete_refusals(chain: Any) -> None:
    from .test_transitions import _licence

    spare = aftersales.create_contract(
        chain.actor, {"number": "C-2", "buyer": "B", "destination": "KZ", "signed_on": TODAY}
    )
    edited = aftersales.update_contract(
        chain.actor, spare.pk, {"buyer": "TOO New Buyer", "trade_term": "CIF"}
    )
    assert (edited.buyer, edited.trade_term) == ("TOO New Buyer", "CIF")
    [event] = _events("contract.update")
    assert event.before == {"state": "active", "buyer": "B", "trade_term": ""}
    with pytest.raises(ValidationError, match="superseded"):
        aftersales.update_contract(chain.actor, spare.pk, {"state": "superseded"})
    aftersales.delete_contract(chain.actor, spare.pk)
    assert _events("contract.delete")

    licence, _cars = _licence(chain, 1)
    # While the application is a draft, the contract's details may still be corrected …
    aftersales.update_contract(chain.actor, chain.contract.pk, {"buyer": "TOO Buyer LLP"})
    licences.transition(chain.actor, licence.pk, "submit", {})
    # … once submitted, what the application states of it is fixed; the terms are not.
    with pytest.raises(TransitionRefused) as info:
        aftersales.update_contract(
            chain.actor, chain.contract.pk, {"destination": "UZ", "buyer": "TOO Buyer LLP"}
        )
    assert info.value.rules == (aftersales.CONTRACT_FIXED,)
    assert "destination" in str(info.value)
    assert "buyer" not in str(info.value)
    aftersales.update_contract(chain.actor, chain.contract.pk, {"aftersales_terms": "partner in Almaty"})
    with pytest.raises(TransitionRefused) as info:
        aftersales.delete_contract(chain.actor, chain.contract.pk)
    assert info.value.rules == ("state.in_use",)


def test_outlet_named_on_a_letter_cannot_be_deleted(chain: Any) -> None:
    from .test_transitions import _licence

    kept = aftersales.create_outlet(
        chain.actor, {"country": "KZ", "address": "Almaty 1", "provider": "Partner"}
    )
    spare = aftersales.create_outlet(
        chain.actor, {"country": "KZ", "address": "Astana 2", "provider": "Other"}
    )
    licence, cars = _licence(chain, 1)
    aftersales.request_letter(chain.actor, licence.pk, cars[0].manufacturer, [kept.pk])
    with pytest.raises(TransitionRefused) as info:
        aftersales.delete_outlet(chain.actor, kept.pk)
    assert info.value.rules == ("state.in_use",)
    aftersales.delete_outlet(chain.actor, spare.pk)
    assert [e.before["provider"] for e in _events("outlet.delete")] == ["Other"]


# --- correcting a vehicle's facts -----------------------------------------------------------------


def test_correcting_facts_rescreens_and_audits(chain: Any) -> None:
    car = chain.vehicle()
    assert "vehicle.encumbered" not in car.rules
    corrected = vehicle_service.correct_facts(
        chain.actor,
        car.pk,
        {"encumbrance": "抵押", "odometer_km": "61,000", "registration_date": "2023年3月5日"},
    )
    assert corrected.encumbrance == "mortgage"
    assert corrected.odometer_km == 61000
    assert corrected.registration_date == dt.date(2023, 3, 5)
    assert corrected.verdict == "blocked"
    assert "vehicle.encumbered" in corrected.rules
    stored = Vehicle.objects.get(pk=car.pk)
    assert stored.verdict == "blocked"
    assert stored.findings == corrected.findings
    [event] = _events("vehicle.correct_facts")
    assert event.vin == car.vin
    assert event.before["encumbrance"] == "none"
    assert event.after["encumbrance"] == "mortgage"
    assert event.after["findings"] == corrected.findings != event.before["findings"]  # the new screening
    # and back: the engine's verdict follows the facts
    cleared = vehicle_service.correct_facts(chain.actor, car.pk, {"encumbrance": "无"})
    assert cleared.encumbrance == "none"
    assert "vehicle.encumbered" not in cleared.rules
    # emptied: not known, never "no" — the engine asks for the fact instead of assuming it
    unknown = vehicle_service.correct_facts(chain.actor, car.pk, {"encumbrance": ""})
    assert unknown.encumbrance == ""
    assert "input.unverified" in unknown.rules
    assert unknown.verdict in ("action_required", "blocked"), unknown.findings
    assert "vehicle.encumbered" not in unknown.rules


def test_unreadable_values_name_the_field_and_value_and_change_nothing(chain: Any) -> None:
    car = chain.vehicle()
    with pytest.raises(vehicle_service.FactsInvalid) as info:
        vehicle_service.correct_facts(
            chain.actor, car.pk, {"registration_date": "2026-02-30", "seized": "maybe", "test_result": "pass"}
        )
    fields = [(field, value) for field, value, _en, _zh in info.value.problems]
    assert fields == [("registration_date", "2026-02-30"), ("seized", "maybe")]
    assert "registration_date: '2026-02-30' is not a date" in str(info.value)
    with pytest.raises(vehicle_service.FactsInvalid, match="power_kw"):
        vehicle_service.correct_facts(chain.actor, car.pk, {"power_kw": "81.125"})
    with pytest.raises(ValidationError, match="vin: not a correctable"):
        vehicle_service.correct_facts(chain.actor, car.pk, {"vin": "LSV00000000000000"})
    assert Vehicle.objects.get(pk=car.pk).registration_date == car.registration_date
    assert not _events("vehicle.correct_facts")


def test_facts_are_fixed_once_the_vehicle_is_on_a_licence(chain: Any, make_actor: Any) -> None:
    from .test_transitions import _licence

    registered = chain.registered()
    vehicle_service.correct_facts(chain.actor, registered.pk, {"odometer_km": "70000"})
    with pytest.raises(TransitionRefused, match="brand") as info:
        vehicle_service.correct_facts(chain.actor, registered.pk, {"brand": "Other"})
    assert info.value.rules == ("vehicle.registration_mismatch",)

    licence, cars = _licence(chain, 1)
    with pytest.raises(TransitionRefused) as info:
        vehicle_service.correct_facts(chain.actor, cars[0].pk, {"odometer_km": "1"})
    assert info.value.rules == (vehicle_service.FACTS_FIXED,)
    licences.remove_vehicle(chain.actor, licence.pk, cars[0].pk)  # off the draft: correctable again
    vehicle_service.correct_facts(chain.actor, cars[0].pk, {"odometer_km": "1"})

    reader = make_actor(chain.org, "readonly")
    with pytest.raises(PermissionDenied):
        vehicle_service.correct_facts(reader, registered.pk, {"odometer_km": "2"})


def test_facts_api(chain: Any, api_client: Any) -> None:
    car = chain.vehicle()
    api = api_client(chain.actor)
    bad = api.post(
        f"/api/vehicles/{car.pk}/facts",
        {"facts": {"factory_date": "yesterday"}},
        content_type="application/json",
    )
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["field"] == "factory_date"
    assert bad.json()["problems"][0]["value"] == "yesterday"
    good = api.post(
        f"/api/vehicles/{car.pk}/facts",
        {"facts": {"use_nature": "出租客运", "seized": True}},
        content_type="application/json",
    )
    assert good.status_code == 200, good.json()
    assert good.json()["verdict"] == "blocked"
    assert Vehicle.objects.get(pk=car.pk).use_nature == "taxi"
