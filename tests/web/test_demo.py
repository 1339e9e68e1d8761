"""The demo loader: 200 vehicles in every state, two licences (submitted, issued), a cleared batch
awaiting deregistration, idempotent, and the logins printed."""

from __future__ import annotations

from typing import Any

import pytest

from chuhai.web.cases.demo import DEMO_NAME, load_demo
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.organisations.models import Membership
from chuhai.web.vehicles.models import Vehicle, VehicleState

pytestmark = pytest.mark.django_db


def test_load_demo(capsys: Any) -> None:
    from chuhai.identifiers import uscc, vin

    lines: list[str] = []
    org = load_demo(out=lines.append)
    assert org.name == DEMO_NAME
    assert uscc.is_valid(org.uscc)
    assert org.enterprise_kind == "circulation"
    vehicles = Vehicle.objects.filter(organisation=org)
    assert vehicles.count() == 200
    assert {v.state for v in vehicles} == set(VehicleState.values)
    assert all(vin.is_valid(v.vin) for v in vehicles)
    states = {lic.state for lic in LicenceApplication.objects.filter(organisation=org)}
    assert {"submitted", "issued", "used"} <= states
    assert vehicles.filter(state="cleared").count() > 0
    assert {"blocked", "action_required", "eligible"} <= set(vehicles.values_list("verdict", flat=True))
    roles = set(Membership.objects.filter(organisation=org).values_list("role", flat=True))
    assert roles == {"admin", "compliance", "clerk", "readonly"}
    assert any("demo-admin" in line and "demo-" in line.split("demo-admin", 1)[1] for line in lines)
    # idempotent
    again = load_demo(out=lines.append)
    assert again.pk == org.pk
    assert Vehicle.objects.filter(organisation=org).count() == 200
