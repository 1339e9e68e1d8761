"""The web never puts a VIN on a licence twice: adding, re-adding and planning (issue 9, item 8)."""

from __future__ import annotations

from typing import Any

import pytest

from chuhai.errors import ChuhaiError
from chuhai.web.licences import planning
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import LicenceLine

pytestmark = pytest.mark.django_db


def test_a_vehicle_given_twice_goes_on_the_licence_once(chain: Any) -> None:
    car = chain.registered()
    assert car.verdict == "eligible", car.findings
    application = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    lines = licences.add_vehicles(chain.actor, application.pk, [car.pk, car.pk])
    assert len(lines) == 1
    with pytest.raises(ChuhaiError):
        licences.add_vehicle(chain.actor, application.pk, car.pk)
    assert LicenceLine.objects.filter(licence=application, vehicle=car).count() == 1


def test_the_plan_lists_each_vin_once_and_never_one_already_planned(chain: Any) -> None:
    cars = [chain.registered() for _ in range(3)]
    planned = [v.vin for batch in planning.plan(chain.actor).batches for v in batch.vehicles]
    assert sorted(planned) == sorted(c.vin for c in cars)
    application = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, application.pk, cars[0].pk)
    again = [v.vin for batch in planning.plan(chain.actor).batches for v in batch.vehicles]
    assert cars[0].vin not in again
    assert len(again) == len(set(again)) == 2
