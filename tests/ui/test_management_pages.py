"""The management forms with the Django test client on the demo data: users and roles, contracts and
outlets, correcting a vehicle's facts; what each role sees and what a refusal says."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.db, pytest.mark.django_db]


def _user(name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=name)


def _messages(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def test_administrator_manages_roles_and_accounts(demo: Any, client_for: Any) -> None:
    from chuhai.web.audit.models import AuditEvent

    admin = client_for("demo-admin", "en")
    clerk = _user("demo-clerk")
    page = admin.get(reverse("ui:users")).content.decode()
    assert f'for="role-{clerk.pk}"' in page
    assert "Role of demo-clerk" in page
    assert reverse("ui:user_action", args=[clerk.pk, "deactivate"]) in page

    response = admin.post(
        reverse("ui:user_action", args=[clerk.pk, "role"]), {"role": "compliance"}, follow=True
    )
    assert "demo-clerk is now: Compliance officer." in _messages(response)
    assert clerk.membership.__class__.objects.get(user=clerk).role == "compliance"
    event = AuditEvent.objects.filter(transition="staff.role").latest("id")
    assert (event.actor_label, event.before, event.after) == (
        "demo-admin",
        {"role": "clerk"},
        {"role": "compliance"},
    )

    response = admin.post(reverse("ui:user_action", args=[clerk.pk, "deactivate"]), follow=True)
    assert "can no longer sign in" in _messages(response)
    html = response.content.decode()
    assert "Deactivated" in html
    assert reverse("ui:user_action", args=[clerk.pk, "reactivate"]) in html
    assert client_for("demo-clerk", "en").get(reverse("ui:dashboard")).status_code == 302
    admin.post(reverse("ui:user_action", args=[clerk.pk, "reactivate"]))
    assert _user("demo-clerk").is_active

    response = admin.post(
        reverse("ui:user_action", args=[clerk.pk, "password"]),
        {"password": "a-new-pass-for-clerk-9"},
        follow=True,
    )
    assert "New password set for demo-clerk" in _messages(response)
    assert _user("demo-clerk").check_password("a-new-pass-for-clerk-9")
    # the administrator's own password: their session stays open
    me = _user("demo-admin")
    admin.post(reverse("ui:user_action", args=[me.pk, "password"]), {"password": "a-new-pass-for-admin-9"})
    assert admin.get(reverse("ui:users")).status_code == 200


def test_last_administrator_refusal_says_what_to_do(demo: Any, client_for: Any) -> None:
    me = _user("demo-admin")
    for language, expected in (
        ("en", "make another member administrator first"),
        ("zh-hans", "请先将另一名成员设为管理员"),
        ("ar", "اجعل عضوًا آخر مسؤولًا أولًا"),
    ):
        client = client_for("demo-admin", language)
        for action, data in (("role", {"role": "clerk"}), ("deactivate", {})):
            response = client.post(reverse("ui:user_action", args=[me.pk, action]), data, follow=True)
            assert expected in _messages(response), (language, action)
    assert _user("demo-admin").is_active
    assert me.membership.__class__.objects.get(user=me).role == "admin"


def test_other_roles_see_the_list_read_only(demo: Any, client_for: Any) -> None:
    clerk = _user("demo-clerk")
    for role in ("compliance", "clerk", "readonly"):
        client = client_for(f"demo-{role}", "en")
        page = client.get(reverse("ui:users")).content.decode()
        assert "demo-admin" in page
        assert "/app/users/" + str(clerk.pk) not in page
        assert 'name="password"' not in page
        assert (
            client.post(reverse("ui:user_action", args=[clerk.pk, "role"]), {"role": "admin"}).status_code
            == 403
        )
    assert clerk.membership.__class__.objects.get(user=clerk).role == "clerk"


def test_contract_edit_delete_and_outlets_through_the_page(demo: Any, client_for: Any) -> None:
    from chuhai.web.aftersales.models import ExportContract, ServiceOutlet

    client = client_for("demo-clerk", "en")
    client.post(
        reverse("ui:contracts"),
        {"number": "PAGE-1", "buyer": "TOO Page", "destination": "kz", "signed_on": "2026-10-01"},
    )
    contract = ExportContract.objects.get(organisation=demo, number="PAGE-1")
    page = client.get(reverse("ui:contracts")).content.decode()
    assert f'id="c{contract.pk}-buyer"' in page
    assert "Edit contract PAGE-1" in page
    response = client.post(
        reverse("ui:contract_action", args=[contract.pk, "edit"]),
        {
            "number": "PAGE-1",
            "buyer": "TOO Page Two",
            "destination": "KZ",
            "signed_on": "2026-10-02",
            "trade_term": "DAP",
            "state": "active",
        },
        follow=True,
    )
    assert "Export contract saved." in _messages(response)
    contract.refresh_from_db()
    assert (contract.buyer, contract.trade_term, str(contract.signed_on)) == (
        "TOO Page Two",
        "DAP",
        "2026-10-02",
    )
    bad = client.post(
        reverse("ui:contract_action", args=[contract.pk, "edit"]), {"signed_on": "2026-13-01"}, follow=True
    )
    assert "Check the values." in _messages(bad)
    response = client.post(reverse("ui:contract_action", args=[contract.pk, "delete"]), follow=True)
    assert "Export contract deleted." in _messages(response)
    assert not ExportContract.objects.filter(pk=contract.pk).exists()

    used = ExportContract.objects.filter(organisation=demo, licences__isnull=False).first()
    refused = client.post(reverse("ui:contract_action", args=[used.pk, "delete"]), follow=True)
    assert "Refused by the rules." in _messages(refused)
    assert ExportContract.objects.filter(pk=used.pk).exists()

    client.post(
        reverse("ui:outlet_create"),
        {"country": "uz", "city": "Tashkent", "address": "Amir Temur 1", "provider": "UZ Service"},
    )
    outlet = ServiceOutlet.objects.get(organisation=demo, provider="UZ Service")
    assert outlet.country == "UZ"
    assert "UZ Service" in client.get(reverse("ui:contracts")).content.decode()
    client.post(reverse("ui:outlet_delete", args=[outlet.pk]))
    assert not ServiceOutlet.objects.filter(pk=outlet.pk).exists()

    reader = client_for("demo-readonly", "en").get(reverse("ui:contracts")).content.decode()
    assert "Overseas service outlets" in reader
    assert "Edit contract" not in reader
    assert 'id="outlet-form"' not in reader


def test_correcting_a_vehicle_on_its_page(demo: Any, client_for: Any) -> None:
    from chuhai.web.audit.models import AuditEvent
    from chuhai.web.vehicles.models import Vehicle

    car = Vehicle.objects.filter(organisation=demo, state="purchased", encumbrance="none").first()
    client = client_for("demo-clerk", "en")
    page = client.get(reverse("ui:vehicle", args=[car.pk])).content.decode()
    assert 'id="facts-form"' in page
    assert '<label for="fact-encumbrance">' in page
    assert 'id="fact-registration_date" name="registration_date" value="' in page

    response = client.post(
        reverse("ui:vehicle_correct", args=[car.pk]), {"encumbrance": "mortgage"}, follow=True
    )
    assert "Facts saved and the vehicle re-screened: Blocked." in _messages(response)
    car.refresh_from_db()
    assert car.verdict == "blocked"
    assert "vehicle.encumbered" in car.rules
    assert "Registration facts corrected and re-screened" in response.content.decode()
    assert AuditEvent.objects.filter(transition="vehicle.correct_facts", object_id=car.pk).count() == 1

    zh = client_for("demo-clerk", "zh-hans")
    response = zh.post(
        reverse("ui:vehicle_correct", args=[car.pk]),
        {"registration_date": "2026-02-30", "odometer_km": "很多"},
        follow=True,
    )
    text = _messages(response)
    assert "注册登记日期" in text  # the field's label in Chinese
    assert "里程（km）" in text
    assert "2026-02-30" in text
    assert "很多" in text
    assert "日期，格式 YYYY-MM-DD" in text  # what the importer expects, in the reader's language
    assert AuditEvent.objects.filter(transition="vehicle.correct_facts", object_id=car.pk).count() == 1


def test_no_correction_form_once_on_a_licence_or_for_readonly(demo: Any, client_for: Any) -> None:
    from chuhai.web.vehicles.models import Vehicle

    licensed = Vehicle.objects.filter(organisation=demo, state="licensed").first()
    page = client_for("demo-admin", "en").get(reverse("ui:vehicle", args=[licensed.pk])).content.decode()
    assert 'id="facts-form"' not in page
    refused = client_for("demo-admin", "en").post(
        reverse("ui:vehicle_correct", args=[licensed.pk]), {"odometer_km": "1"}, follow=True
    )
    assert "Refused by the rules." in _messages(refused)
    purchased = Vehicle.objects.filter(organisation=demo, state="purchased").first()
    reader = client_for("demo-readonly", "en")
    assert 'id="facts-form"' not in reader.get(reverse("ui:vehicle", args=[purchased.pk])).content.decode()
    assert (
        reader.post(reverse("ui:vehicle_correct", args=[purchased.pk]), {"odometer_km": "1"}).status_code
        == 403
    )
