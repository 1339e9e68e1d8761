"""Two clients racing for the last places of a licence (PostgreSQL, real connections and threads):
never more than the law's maximum per commodity code, whatever the interleaving."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import IntegrityError, connection, connections, transaction

from chuhai.errors import ChuhaiError, PermissionDenied
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import MAX_SLOTS_PER_CODE, LicenceLine

pytestmark = pytest.mark.django_db(transaction=True)


def _race(workers: list[Any]) -> list[Any]:
    barrier = threading.Barrier(len(workers))
    outcomes: list[Any] = [None] * len(workers)

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = workers[i]()
        except (ChuhaiError, IntegrityError) as exc:
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(workers))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    return outcomes


def test_last_slots_race_through_the_service(postgres: None, chain: Any) -> None:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    cars = [chain.registered() for _ in range(MAX_SLOTS_PER_CODE + 2)]
    code = cars[0].commodity_code
    for car in cars[: MAX_SLOTS_PER_CODE - 2]:
        licences.add_vehicle(chain.actor, licence.pk, car.pk)
    contenders = cars[MAX_SLOTS_PER_CODE - 2 :]  # 4 cars for the last 2 places, 2 clients each
    outcomes = _race(
        [
            lambda: [_try(chain.actor, licence.pk, c.pk) for c in contenders[0::2]],
            lambda: [_try(chain.actor, licence.pk, c.pk) for c in contenders[1::2]],
        ]
    )
    flat = [o for batch in outcomes for o in batch]
    assert sum(1 for o in flat if o == "added") == 2
    assert all(o in ("added", "licence.quantity_per_code", "conflict") for o in flat), flat
    assert LicenceLine.objects.filter(licence=licence, commodity_code=code).count() == MAX_SLOTS_PER_CODE
    slots = sorted(
        LicenceLine.objects.filter(licence=licence, commodity_code=code).values_list("slot", flat=True)
    )
    assert slots == list(range(1, MAX_SLOTS_PER_CODE + 1))


def _try(actor: Any, licence_id: int, vehicle_id: int) -> str:
    try:
        licences.add_vehicle(actor, licence_id, vehicle_id)
        return "added"
    except ChuhaiError as exc:
        return ",".join(getattr(exc, "rules", ())) or exc.code


def test_database_constraint_holds_without_the_service_lock(postgres: None, make_org: Any) -> None:
    """Even writers that skip the licence lock (raw inserts picking the same slot) cannot exceed the limit."""
    from chuhai.web.licences.models import LicenceApplication
    from chuhai.web.vehicles.models import Vehicle

    from .conftest import make_vin

    org = make_org()
    licence = LicenceApplication.objects.create(organisation=org)
    cars = [
        Vehicle.objects.create(organisation=org, vin=make_vin("LFV", n), state="in_licence")
        for n in range(24)
    ]
    for slot, car in enumerate(cars[: MAX_SLOTS_PER_CODE - 1], start=1):
        LicenceLine.objects.create(licence=licence, vehicle=car, commodity_code="8703229090", slot=slot)

    def insert(car: Any) -> Any:
        def go() -> str:
            with transaction.atomic():
                taken = set(
                    LicenceLine.objects.filter(licence=licence, commodity_code="8703229090").values_list(
                        "slot", flat=True
                    )
                )
                slot = min({*range(1, MAX_SLOTS_PER_CODE + 2)} - taken)  # naive: may pick 20 or 21
                LicenceLine.objects.create(
                    licence=licence, vehicle=car, commodity_code="8703229090", slot=slot
                )
            return "inserted"

        return go

    outcomes = _race([insert(c) for c in cars[MAX_SLOTS_PER_CODE - 1 :]])
    assert connection.vendor == "postgresql"
    assert LicenceLine.objects.filter(licence=licence).count() <= MAX_SLOTS_PER_CODE
    assert sum(1 for o in outcomes if o == "inserted") == 1, outcomes


def test_two_administrators_demoting_each_other_leave_one(postgres: None, make_org: Any) -> None:
    """Two administrators demote each other at the same moment: one change goes through, the other is
    refused with the rule id (never a deadlock error, never an organisation without an administrator)."""
    from chuhai.web.cases.context import actor_for
    from chuhai.web.organisations import services as accounts
    from chuhai.web.organisations.models import Membership, Role

    org = make_org()
    first = accounts.create_user(org, "admin-a", "x-Long-enough-1", Role.ADMIN)
    second = accounts.create_user(org, "admin-b", "x-Long-enough-2", Role.ADMIN)

    def demote(actor_user: Any, target: Any) -> Any:
        return lambda: accounts.change_role(actor_for(actor_user), target.pk, Role.CLERK)

    for _ in range(5):  # a few rounds: the interleaving differs from one to the next
        Membership.objects.filter(organisation=org).update(role=Role.ADMIN)
        outcomes = _race([demote(first, second), demote(second, first)])
        done = [o for o in outcomes if isinstance(o, Membership)]
        refused = [o for o in outcomes if isinstance(o, ChuhaiError)]
        assert len(done) == 1, outcomes
        assert len(refused) == 1, outcomes
        # refused by the rule, or (when the other change committed first) because the loser is no
        # longer an administrator
        assert getattr(refused[0], "rules", ()) == (accounts.LAST_ADMINISTRATOR,) or isinstance(
            refused[0], PermissionDenied
        ), refused
        assert Membership.objects.filter(organisation=org, role=Role.ADMIN).count() == 1
