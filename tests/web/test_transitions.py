"""Service-level tests: every transition of every case, and every refusal with its rule ids."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chuhai.errors import Conflict, NotFound, PermissionDenied, TransitionRefused, ValidationError
from chuhai.web.aftersales import services as aftersales
from chuhai.web.audit.models import AuditEvent
from chuhai.web.customs import services as customs
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import LicenceLine
from chuhai.web.organisations import filings
from chuhai.web.vehicles import services as vehicles
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY

pytestmark = pytest.mark.django_db

REGISTRATION = {"transfer_pending_export_date": "2026-11-19", "temp_plate_number": "渝A00009临"}


def _events(obj: Any) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.model_name, object_id=obj.pk)
        .order_by("id")
        .values_list("transition", flat=True)
    )


# --- vehicle: purchase path ---------------------------------------------------------------------


def test_offer_deposit_purchase_transfer(chain: Any) -> None:
    offered = chain.vehicle(state="offered")
    assert offered.state == "offered"
    v = vehicles.transition(chain.actor, offered.pk, "pay_deposit", {"deposit_amount": "5000"})
    assert v.state == "deposit_paid"
    assert v.deposit_amount == 5000
    v = vehicles.transition(
        chain.actor, v.pk, "purchase", {"purchase_price": "88000", "purchased_on": "2026-11-18"}
    )
    assert v.state == "purchased"
    assert v.purchased_on == dt.date(2026, 11, 18)
    v = vehicles.transition(
        chain.actor,
        v.pk,
        "register_transfer",
        {"transfer_pending_export_date": "2026-11-19", "temp_plate_number": "渝A00001临"},
    )
    assert v.state == "transfer_registered"
    assert v.owner_name == chain.org.name  # transferred to the company (seed guide §3)
    assert v.temp_plate_issue_date == dt.date(2026, 11, 19)
    assert v.law_version
    assert v.screened_as_of == dt.date(2026, 11, 19)
    assert "registration.transfer_pending_export_missing" not in v.rules
    assert _events(v) == [
        "vehicle.create",
        "vehicle.pay_deposit",
        "vehicle.purchase",
        "vehicle.register_transfer",
    ]
    event = AuditEvent.objects.filter(object_id=v.pk, transition="vehicle.register_transfer").get()
    assert event.before["state"] == "purchased"
    assert event.after["state"] == "transfer_registered"
    assert event.vin == v.vin
    assert event.actor == chain.actor.user
    assert event.law_version
    assert event.created_at.tzinfo is not None


def test_deposit_needs_an_amount(chain: Any) -> None:
    v = chain.vehicle(state="offered")
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, v.pk, "pay_deposit", {})
    assert refused.value.rules == ("input.missing_parameter",)


def test_transfer_refused_for_encumbered_vehicle_with_rule_id(chain: Any) -> None:
    v = chain.vehicle(encumbrance="mortgage")
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, v.pk, "register_transfer", REGISTRATION)
    assert "vehicle.encumbered" in refused.value.rules
    v.refresh_from_db()
    assert v.state == "purchased"  # nothing changed
    assert "vehicle.register_transfer" not in _events(v)


def test_transfer_refused_when_enterprise_not_filed(make_org: Any, make_actor: Any, today: Any) -> None:
    from .conftest import vehicle_facts

    org = make_org(filed=False)
    actor = make_actor(org, "compliance")
    v = vehicles.create(actor, vehicle_facts(org, 1))
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(actor, v.pk, "register_transfer", REGISTRATION)
    assert "exporter.not_filed" in refused.value.rules


def test_transfer_refused_for_taxi_within_a_year_of_scrapping(chain: Any) -> None:
    v = chain.vehicle(
        use_nature="taxi",
        registration_date=TODAY - dt.timedelta(days=7 * 365 + 100),
        factory_date=TODAY - dt.timedelta(days=7 * 365 + 130),
    )
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, v.pk, "register_transfer", REGISTRATION)
    assert "vehicle.scrap_within_1y" in refused.value.rules


def test_transition_not_allowed_from_state(chain: Any) -> None:
    v = chain.vehicle()
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, v.pk, "deregister", {})
    assert refused.value.rules == ("state.transition_not_allowed",)


def test_internal_transitions_cannot_be_called_from_outside(chain: Any) -> None:
    v = chain.registered()
    with pytest.raises(PermissionDenied):
        vehicles.transition(chain.actor, v.pk, "add_to_licence", {})


def test_withdraw_before_transfer_but_never_after(chain: Any) -> None:
    v = chain.vehicle(state="offered")
    v = vehicles.transition(chain.actor, v.pk, "withdraw", {"reason": "seller changed mind"})
    assert v.state == "withdrawn"
    registered = chain.registered()
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, registered.pk, "withdraw", {})
    assert refused.value.rules == (vehicles.NO_DOMESTIC_RESALE,)


def test_export_bound_vehicle_cannot_change_owner_or_identity(chain: Any) -> None:
    v = chain.registered()
    with pytest.raises(TransitionRefused) as refused:
        vehicles.update(chain.actor, v.pk, {"owner_name": "李四"})
    assert refused.value.rules == (vehicles.NO_DOMESTIC_RESALE,)
    with pytest.raises(TransitionRefused):
        vehicles.update(chain.actor, v.pk, {"brand": "丰田"})
    updated = vehicles.update(chain.actor, v.pk, {"odometer_km": 60000})
    assert updated.odometer_km == 60000


def test_resign_contract(chain: Any) -> None:
    v = chain.registered()
    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, v.pk, "resign_contract", {"contract_id": 999999})
    assert refused.value.rules == (vehicles.CONTRACT_MISSING,)
    new = aftersales.create_contract(
        chain.actor,
        {
            "number": "C-2",
            "buyer": "OOO New",
            "destination": "UZ",
            "signed_on": TODAY,
            "replaces_id": chain.contract.pk,
        },
    )
    v = vehicles.transition(chain.actor, v.pk, "resign_contract", {"contract_id": new.pk})
    assert v.export_contract_id == new.pk
    assert v.destination == "UZ"
    assert v.state == "transfer_registered"
    chain.contract.refresh_from_db()
    assert chain.contract.state == "superseded"


def test_update_rescreens(chain: Any) -> None:
    v = chain.registered()
    assert "vehicle.encumbered" not in v.rules
    v = vehicles.update(chain.actor, v.pk, {"encumbrance": "pledge"})
    assert "vehicle.encumbered" in v.rules
    assert v.verdict == "blocked"


def test_clerk_cannot_register_transfer(chain: Any, make_actor: Any) -> None:
    clerk = make_actor(chain.org, "clerk")
    v = chain.vehicle()
    with pytest.raises(PermissionDenied):
        vehicles.transition(clerk, v.pk, "register_transfer", {})
    vehicles.transition(clerk, v.pk, "withdraw", {})  # data entry: allowed


def test_duplicate_vin_conflict(chain: Any) -> None:
    v = chain.vehicle()
    from .conftest import vehicle_facts

    with pytest.raises(Conflict):
        vehicles.create(chain.actor, vehicle_facts(chain.org, 1, vin=v.vin))


def test_delete_only_before_purchase(chain: Any) -> None:
    offered = chain.vehicle(state="offered")
    vehicles.delete(chain.actor, offered.pk)
    assert not Vehicle.objects.filter(pk=offered.pk).exists()
    purchased = chain.vehicle()
    with pytest.raises(TransitionRefused):
        vehicles.delete(chain.actor, purchased.pk)


# --- filing ---------------------------------------------------------------------------------------


def test_filing_submit_approve_and_rescreen(make_org: Any, make_actor: Any, today: Any) -> None:
    from .conftest import vehicle_facts

    org = make_org(filed=False)
    actor = make_actor(org, "compliance")
    v = vehicles.create(actor, vehicle_facts(org, 1))
    assert "exporter.not_filed" in v.rules
    filing = filings.create(actor, {"reference": "渝商务备 1"})
    filing = filings.transition(actor, filing.pk, "submit", {"submitted_on": "2026-11-02"})
    assert filing.state == "submitted"
    filing = filings.transition(actor, filing.pk, "approve", {"approved_on": "2026-11-16"})
    assert filing.state == "approved"
    assert filing.approved_on == dt.date(2026, 11, 16)
    v.refresh_from_db()
    assert "exporter.not_filed" not in v.rules  # the whole stock was re-screened
    assert _events(filing) == ["filing.create", "filing.submit", "filing.approve"]


def test_filing_reject(make_org: Any, make_actor: Any, today: Any) -> None:
    org = make_org(filed=False)
    actor = make_actor(org, "admin")
    filing = filings.create(actor, {})
    filings.transition(actor, filing.pk, "submit", {})
    filing = filings.transition(actor, filing.pk, "reject", {"reason": "材料不全"})
    assert filing.state == "rejected"
    assert filing.notes == "材料不全"
    with pytest.raises(TransitionRefused):
        filings.transition(actor, filing.pk, "approve", {})


def test_filing_submit_refused_with_invalid_uscc(make_org: Any, make_actor: Any, today: Any) -> None:
    from chuhai.web.organisations.models import Organisation

    org = make_org(filed=False)
    Organisation.objects.filter(pk=org.pk).update(uscc="91500113MA00000000")
    actor = make_actor(org, "admin")
    filing = filings.create(actor, {})
    with pytest.raises(TransitionRefused) as refused:
        filings.transition(actor, filing.pk, "submit", {})
    assert refused.value.rules == (filings.USCC_INVALID,)


# --- licence --------------------------------------------------------------------------------------


def _later(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    """Move "today" on: a step is recorded once it has happened, never ahead of time."""
    from chuhai.web.cases import context

    monkeypatch.setattr(context.timezone, "localdate", lambda *a, **k: day)


def _licence(chain: Any, n: int = 2) -> tuple[Any, list[Any]]:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    cars = [chain.registered() for _ in range(n)]
    for car in cars:
        licences.add_vehicle(chain.actor, licence.pk, car.pk)
    return licence, cars


def test_licence_fill_submit_issue_declare_clear_deregister(
    chain: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _later(monkeypatch, dt.date(2026, 12, 10))
    licence, cars = _licence(chain, 3)
    lines = licences.lines(chain.actor, licence.pk)
    assert [line.slot for line in lines] == [1, 2, 3]
    assert {line.commodity_code for line in lines} == {cars[0].commodity_code} != {""}
    assert all(Vehicle.objects.get(pk=c.pk).state == "in_licence" for c in cars)

    licence = licences.transition(chain.actor, licence.pk, "submit", {"submitted_on": "2026-11-20"})
    assert licence.state == "submitted"
    assert Vehicle.objects.get(pk=cars[0].pk).licence_application_date == dt.date(2026, 11, 20)
    licence = licences.transition(
        chain.actor, licence.pk, "issue", {"licence_number": "26CQ000001", "issued_on": "2026-11-24"}
    )
    # 6 months after issue, capped at 31 December (licence.validity_within_calendar_year)
    assert licence.state == "issued"
    assert licence.valid_until == dt.date(2026, 12, 31)
    assert all(Vehicle.objects.get(pk=c.pk).state == "licensed" for c in cars)

    declaration = customs.create(chain.actor, licence.pk, {"port": "重庆"})
    items = list(declaration.items.all())
    assert len(items) == 3
    assert items[0].product_name == cars[0].customs_name
    assert items[0].product_name
    assert items[0].elements["车辆识别代号"] == items[0].vehicle.vin
    declaration = customs.transition(
        chain.actor,
        declaration.pk,
        "file",
        {"declaration_number": "800120260000000001", "filed_on": "2026-11-25"},
    )
    assert all(Vehicle.objects.get(pk=c.pk).state == "declared" for c in cars)
    declaration = customs.transition(chain.actor, declaration.pk, "clear", {"clearance_date": "2026-11-27"})
    licence.refresh_from_db()
    assert declaration.state == "cleared"
    assert licence.state == "used"
    assert not LicenceLine.objects.filter(licence=licence, open=True).exists()
    car = Vehicle.objects.get(pk=cars[0].pk)
    assert car.state == "cleared"
    assert car.customs_clearance_date == dt.date(2026, 11, 27)

    with pytest.raises(TransitionRefused) as refused:
        vehicles.transition(chain.actor, car.pk, "deregister", {"deregistered_on": "2026-11-26"})
    assert refused.value.rules == (vehicles.CLEARANCE_BEFORE_DEREGISTRATION,)
    car = vehicles.transition(chain.actor, car.pk, "deregister", {"deregistered_on": "2026-12-10"})
    assert car.state == "deregistered"
    history = list(AuditEvent.objects.filter(vin=car.vin).order_by("id").values_list("transition", flat=True))
    assert history[:2] == ["vehicle.create", "vehicle.register_transfer"]
    for step in (
        "licence.add_vehicle",
        "vehicle.add_to_licence",
        "vehicle.licence_issued",
        "vehicle.declare",
        "vehicle.clear",
        "vehicle.deregister",
    ):
        assert step in history


def test_add_refused_unless_ready(chain: Any) -> None:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    not_registered = chain.vehicle()
    with pytest.raises(TransitionRefused) as refused:
        licences.add_vehicle(chain.actor, licence.pk, not_registered.pk)
    assert refused.value.rules == ("state.transition_not_allowed",)
    untested = chain.registered(test_result="missing")
    with pytest.raises(TransitionRefused) as refused:
        licences.add_vehicle(chain.actor, licence.pk, untested.pk)
    assert "vehicle.test_report_missing" in refused.value.rules


def test_vehicle_on_one_open_licence_only(chain: Any) -> None:
    _first, cars = _licence(chain, 1)
    second = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    with pytest.raises(TransitionRefused):  # the vehicle is now "in_licence"
        licences.add_vehicle(chain.actor, second.pk, cars[0].pk)


def test_one_open_licence_per_vehicle_is_a_database_constraint(chain: Any) -> None:
    from django.db import IntegrityError, transaction

    _first, cars = _licence(chain, 1)
    second = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceLine.objects.create(licence=second, vehicle_id=cars[0].pk, commodity_code="8703229090", slot=1)


def test_at_most_max_per_code(chain: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit comes from the law; with a (patched) limit of 2 the third car of the code is refused."""
    from chuhai.web.vehicles import screening

    real = screening.law_value
    monkeypatch.setattr(
        licences.screening,
        "law_value",
        lambda pid, on: 2 if pid == "licence.max_vehicles_per_code" else real(pid, on),
    )
    licence, _cars = _licence(chain, 2)
    third = chain.registered()
    with pytest.raises(TransitionRefused) as refused:
        licences.add_vehicle(chain.actor, licence.pk, third.pk)
    assert refused.value.rules == (licences.QUANTITY_PER_CODE,)
    assert Vehicle.objects.get(pk=third.pk).state == "transfer_registered"


def test_remove_vehicle_and_delete_draft(chain: Any) -> None:
    licence, cars = _licence(chain, 2)
    licences.remove_vehicle(chain.actor, licence.pk, cars[0].pk)
    assert Vehicle.objects.get(pk=cars[0].pk).state == "transfer_registered"
    licences.delete(chain.actor, licence.pk)
    assert Vehicle.objects.get(pk=cars[1].pk).state == "transfer_registered"
    with pytest.raises(NotFound):
        licences.lines(chain.actor, licence.pk)


def test_submit_refusals(chain: Any) -> None:
    empty = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(chain.actor, empty.pk, "submit", {})
    assert licences.EMPTY in refused.value.rules

    no_contract = licences.create(chain.actor, {})
    licences.add_vehicle(chain.actor, no_contract.pk, chain.registered().pk)
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(chain.actor, no_contract.pk, "submit", {})
    assert refused.value.rules == (vehicles.CONTRACT_MISSING,)


def test_submit_refused_when_filing_expired(chain: Any) -> None:
    from chuhai.web.organisations.models import EnterpriseFiling

    licence, _ = _licence(chain, 1)
    EnterpriseFiling.objects.filter(organisation=chain.org).update(approved_on=TODAY - dt.timedelta(days=400))
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(chain.actor, licence.pk, "submit", {})
    assert "exporter.filing_expired" in refused.value.rules


def test_aftersales_letter_unblocks_submission(chain: Any) -> None:
    young = chain.registered(
        registration_date=TODAY - dt.timedelta(days=90), factory_date=TODAY - dt.timedelta(days=120)
    )
    assert "vehicle.aftersales_confirmation_required" in Vehicle.objects.get(pk=young.pk).rules
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, licence.pk, young.pk)  # allowed: resolved on the licence
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(chain.actor, licence.pk, "submit", {})
    assert refused.value.rules == ("vehicle.aftersales_confirmation_required",)
    outlet = aftersales.create_outlet(chain.actor, {"country": "KZ", "address": "Almaty", "provider": "P"})
    letter = aftersales.request_letter(chain.actor, licence.pk, young.manufacturer, [outlet.pk])
    assert letter.vins == [young.vin]
    assert letter.state == "requested"
    with pytest.raises(TransitionRefused) as refused:
        aftersales.request_letter(chain.actor, licence.pk, "其他厂家")
    assert refused.value.rules == (aftersales.NO_VEHICLES,)
    aftersales.letter_transition(chain.actor, letter.pk, "receive", {"evidence": "letter 1"})
    assert Vehicle.objects.get(pk=young.pk).aftersales_confirmation
    licence = licences.transition(chain.actor, licence.pk, "submit", {})
    assert licence.state == "submitted"


def test_reject_and_lapse_release_vehicles(chain: Any) -> None:
    licence, cars = _licence(chain, 1)
    licences.transition(chain.actor, licence.pk, "submit", {})
    licence = licences.transition(chain.actor, licence.pk, "reject", {"reason": "x"})
    assert licence.state == "rejected"
    assert Vehicle.objects.get(pk=cars[0].pk).state == "transfer_registered"

    again, cars2 = _licence(chain, 1)
    licences.add_vehicle(chain.actor, again.pk, cars[0].pk)  # re-apply with the released car
    licences.transition(chain.actor, again.pk, "submit", {})
    licences.transition(chain.actor, again.pk, "issue", {"licence_number": "N-2"})
    licence = licences.transition(chain.actor, again.pk, "lapse", {})
    assert licence.state == "lapsed"
    assert {Vehicle.objects.get(pk=c.pk).state for c in (cars[0], cars2[0])} == {"transfer_registered"}


def test_issue_needs_number(chain: Any) -> None:
    licence, _ = _licence(chain, 1)
    licences.transition(chain.actor, licence.pk, "submit", {})
    with pytest.raises(TransitionRefused) as refused:
        licences.transition(chain.actor, licence.pk, "issue", {})
    assert refused.value.rules == ("input.missing_parameter",)


def test_licence_issued_in_december_for_next_year_runs_from_1_january(
    chain: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The 许可证局 practice (2025-12-15 to 31): valid from 1 January, not capped at the issue year."""
    _later(monkeypatch, dt.date(2026, 12, 20))
    licence, _ = _licence(chain, 1)
    licences.transition(chain.actor, licence.pk, "submit", {"submitted_on": "2026-11-20"})
    params = {"licence_number": "27CQ000001", "issued_on": "2026-12-20", "valid_from": "2027-01-01"}
    # No 2027 round is in the law yet (no notice found): refused, naming the field.
    with pytest.raises(ValidationError, match="valid_from"):
        licences.transition(chain.actor, licence.pk, "issue", params)
    round_2027 = {
        "licence_year": 2027,
        "issue_from": "2026-12-15",
        "issue_until": "2026-12-31",
        "valid_from": "2027-01-01",
    }
    monkeypatch.setattr(licences, "_advance_rounds", lambda on: [round_2027])
    licence = licences.transition(chain.actor, licence.pk, "issue", params)
    assert licence.valid_until == dt.date(2027, 7, 1)  # 6 months from 1 January, not 2026-12-31


def test_used_needs_declared_equal_to_licensed(chain: Any) -> None:
    licence, cars = _licence(chain, 2)
    licences.transition(chain.actor, licence.pk, "submit", {})
    licences.transition(chain.actor, licence.pk, "issue", {"licence_number": "N-3"})
    declaration = customs.create(chain.actor, licence.pk)
    declaration.items.filter(vehicle_id=cars[1].pk).delete()  # one car short
    with pytest.raises(TransitionRefused) as refused:
        customs.transition(chain.actor, declaration.pk, "file", {"declaration_number": "800120260000000011"})
    assert refused.value.rules == (licences.QUANTITY_MISMATCH,)
    from chuhai.web.cases.context import system_actor
    from chuhai.web.cases.transitions import apply_internal
    from chuhai.web.licences.models import LicenceApplication

    with pytest.raises(TransitionRefused) as refused:
        apply_internal(
            system_actor(chain.org),
            licences.MACHINE,
            LicenceApplication.objects.get(pk=licence.pk),
            "use",
            {},
        )
    assert refused.value.rules == (licences.QUANTITY_MISMATCH,)


def test_declaration_refused_on_expired_licence_and_cancel(chain: Any) -> None:
    licence, cars = _licence(chain, 1)
    licences.transition(chain.actor, licence.pk, "submit", {})
    licences.transition(
        chain.actor, licence.pk, "issue", {"licence_number": "N-4", "issued_on": "2026-11-20"}
    )
    declaration = customs.create(chain.actor, licence.pk)
    with pytest.raises(TransitionRefused) as refused:
        customs.transition(
            chain.actor,
            declaration.pk,
            "file",
            {"declaration_number": "800120260000000012", "filed_on": "2027-01-04"},
        )
    assert refused.value.rules == (licences.EXPIRED,)
    customs.transition(chain.actor, declaration.pk, "file", {"declaration_number": "800120260000000012"})
    declaration = customs.transition(chain.actor, declaration.pk, "cancel", {})
    assert declaration.state == "cancelled"
    assert Vehicle.objects.get(pk=cars[0].pk).state == "licensed"


def test_declaration_needs_issued_licence(chain: Any) -> None:
    licence, _ = _licence(chain, 1)
    with pytest.raises(TransitionRefused) as refused:
        customs.create(chain.actor, licence.pk)
    assert refused.value.rules == (customs.LICENCE_NOT_ISSUED,)


def test_other_organisation_is_not_found(chain: Any, make_org: Any, make_actor: Any) -> None:
    other = make_actor(make_org(), "admin")
    v = chain.vehicle()
    with pytest.raises(NotFound):
        vehicles.transition(other, v.pk, "withdraw", {})
    with pytest.raises(NotFound):
        vehicles.update(other, v.pk, {"odometer_km": 1})
    licence = licences.create(chain.actor, {})
    with pytest.raises(NotFound):
        licences.add_vehicle(other, licence.pk, v.pk)
    own_licence = licences.create(other, {})
    with pytest.raises(NotFound):
        licences.add_vehicle(other, own_licence.pk, v.pk)
