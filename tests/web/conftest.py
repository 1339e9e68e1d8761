"""Test set-up for the case-management service.

* Django settings ``chuhai.web.settings`` with a throw-away data directory.
* SQLite by default; PostgreSQL when ``DATABASE_URL`` is set (e.g.
  ``postgres://postgres@127.0.0.1:5432/test``): the suite runs on both, with the real migrations.
* PostgreSQL-only tests use the ``postgres`` fixture: skipped locally without PostgreSQL, but they
  FAIL in CI (``CI=true``), so a mis-configured pipeline cannot silently skip them.
* Passwords are hashed with MD5 in tests for speed, except where a test asks for the real hashers.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

# One data directory per test process (xdist worker), created once even though this module may be
# imported twice (as a conftest and, with --import-mode=importlib, by ``from .conftest import``).
_BASE = os.environ.setdefault("CHUHAI_WEB_TESTS_DIR", tempfile.mkdtemp(prefix="chuhai-web-tests-"))
_DATA_DIR = os.path.join(_BASE, os.environ.get("PYTEST_XDIST_WORKER", "main"))
os.makedirs(_DATA_DIR, exist_ok=True)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")
os.environ["CHUHAI_DATA_DIR"] = _DATA_DIR
os.environ["CHUHAI_HUEY_IMMEDIATE"] = "1"
os.environ.setdefault("CHUHAI_SECRET_KEY", "tests-only-not-secret")
# The test client speaks plain HTTP; test_security.py checks the HTTPS redirect itself. Every other
# hardened setting (Secure cookies, HSTS, CSP) stays on.
os.environ["CHUHAI_SSL_REDIRECT"] = "0"

import django  # noqa: E402 - after the environment above

django.setup()  # test modules import models at collection time


@pytest.fixture(autouse=True)
def _fast_hashers(settings: Any) -> None:
    """MD5 for speed; the Argon2 test sets the real hasher itself."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _on_ci() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true", "yes"}


@pytest.fixture
def postgres() -> None:
    """Require PostgreSQL: skip without it locally, fail without it in CI."""
    from django.db import connection

    if connection.vendor != "postgresql":
        message = "this test needs PostgreSQL: set DATABASE_URL=postgres://postgres@127.0.0.1:5432/test"
        if _on_ci():
            pytest.fail(message + " (CI=true: PostgreSQL-only tests must not be skipped)")
        pytest.skip(message)


# --- builders -------------------------------------------------------------------------------------


def make_vin(prefix: str, serial: int) -> str:
    """A valid VIN from a 3-character WMI (check digit computed by chuhai.identifiers.vin)."""
    from chuhai.identifiers import vin

    draft = f"{prefix}ABCDE0P1{serial:06d}"[:17]
    return vin.validate(draft[:8] + vin.calc_check_digit(draft) + draft[9:])


def make_uscc(seed: int) -> str:
    from chuhai.identifiers import uscc

    base = f"91500113MA{seed:07d}"[:17]
    return base + uscc.calc_check_digit(base)


TODAY = dt.date(2026, 11, 20)


def grow_case_file(org: Any, n: int, start: int = 0) -> None:
    """Grow an enterprise by ``n`` of everything a list shows: a cleared vehicle with a deadline, a
    submitted licence holding it, a declaration, a seller, a contract and an audit event — for the tests
    that check query counts do not grow with the rows (API lists and pages alike)."""
    from chuhai.web.aftersales.models import ExportContract
    from chuhai.web.audit.models import AuditEvent
    from chuhai.web.customs.models import CustomsDeclaration
    from chuhai.web.licences.models import LicenceApplication, LicenceLine
    from chuhai.web.organisations.models import Seller
    from chuhai.web.vehicles.models import Vehicle

    for i in range(start, start + n):
        vehicle = Vehicle.objects.create(
            organisation=org,
            vin=make_vin("LVV", i),
            state="cleared",
            verdict="blocked",
            customs_clearance_date=TODAY,
            temp_plate_issue_date=TODAY,
            screening_deadlines=[
                {
                    "kind": "aftersales_window_end",
                    "due": "2027-01-01",
                    "rule": "vehicle.aftersales_confirmation_required",
                }
            ],
        )
        licence = LicenceApplication.objects.create(
            organisation=org, state="submitted", submitted_on=TODAY, destination="KZ"
        )
        LicenceLine.objects.create(licence=licence, vehicle=vehicle, commodity_code="8703229090", slot=1)
        CustomsDeclaration.objects.create(organisation=org, licence=licence)
        Seller.objects.create(organisation=org, name=f"s{i}")
        ExportContract.objects.create(
            organisation=org, number=f"C{i}", buyer="b", destination="KZ", signed_on=TODAY
        )
        AuditEvent.objects.create(
            organisation=org,
            actor_label="t",
            object_type="vehicle",
            object_id=vehicle.pk,
            vin=vehicle.vin,
            transition="x",
        )


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> dt.date:
    """Pin "today" (China) for the services, so deadlines and screening dates are deterministic."""
    from chuhai.web.cases import context

    monkeypatch.setattr(context.timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


@pytest.fixture
def make_org(db: Any) -> Callable[..., Any]:
    from chuhai.web.organisations.models import EnterpriseFiling, FilingState, Organisation

    counter = iter(range(1, 10_000))

    def build(name: str | None = None, filed: bool = True, kind: str = "circulation", **extra: Any) -> Any:
        n = next(counter)
        org = Organisation.objects.create(
            name=name or f"测试出口企业{n}有限公司",
            uscc=make_uscc(n * 7919),
            enterprise_kind=kind,
            province="重庆市",
            city="重庆市",
            **extra,
        )
        if filed:
            EnterpriseFiling.objects.create(
                organisation=org,
                state=FilingState.APPROVED,
                submitted_on=TODAY - dt.timedelta(days=120),
                approved_on=TODAY - dt.timedelta(days=100),
            )
        return org

    return build


@pytest.fixture
def make_actor(db: Any) -> Callable[..., Any]:
    from chuhai.web.cases.context import actor_for
    from chuhai.web.organisations.services import create_user

    counter = iter(range(1, 10_000))

    def build(org: Any, role: str = "admin") -> Any:
        user = create_user(org, f"user{next(counter)}-{role}", "pw-for-tests-1234", role)
        return actor_for(user)

    return build


def vehicle_facts(org: Any, serial: int, **overrides: Any) -> dict[str, Any]:
    """An exportable used car as a stock-file row, owned by ``org`` (not yet transfer-registered)."""
    facts: dict[str, Any] = {
        "vin": make_vin("LSV", serial),
        "brand": "大众",
        "model": "朗逸",
        "manufacturer": "上汽大众汽车有限公司",
        "vehicle_category": "passenger",
        "body_type": "sedan",
        "fuel": "petrol",
        "displacement_ml": 1498,
        "seats": 5,
        "size_class": "small",
        "use_nature": "non_operating",
        "factory_date": TODAY - dt.timedelta(days=3 * 365 + 40),
        "registration_date": TODAY - dt.timedelta(days=3 * 365),
        "owner_name": "张伟",
        "odometer_km": 52000,
        "test_result": "pass",
        "destination": "KZ",
        "insurance_expiry": TODAY + dt.timedelta(days=200),
        # every prohibition fact stated: an unstated one is input.unverified, never "no"
        "encumbrance": "none",
        "seized": False,
        "crime_proceeds": False,
        "smuggled_or_assembled": False,
        "unresolved_violations": False,
        "modified_unproven": False,
        "registration_matches": True,
        "documents_complete": True,
    }
    facts.update(overrides)
    return facts


@pytest.fixture
def chain(make_org: Any, make_actor: Any, today: dt.date) -> Any:
    """An enterprise with a compliance officer, a contract and helpers to move cars along the chain."""
    from chuhai.web.aftersales import services as aftersales
    from chuhai.web.vehicles import services as vehicles

    class Chain:
        def __init__(self) -> None:
            self.org = make_org()
            self.actor = make_actor(self.org, "compliance")
            self.contract = aftersales.create_contract(
                self.actor,
                {
                    "number": "C-1",
                    "buyer": "TOO Buyer",
                    "destination": "KZ",
                    "signed_on": TODAY,
                    "aftersales_terms": "service via partner",
                },
            )
            self.serial = 0

        def vehicle(self, state: str = "purchased", **overrides: Any) -> Any:
            self.serial += 1
            return vehicles.create(self.actor, vehicle_facts(self.org, self.serial, **overrides), state=state)

        def registered(self, **overrides: Any) -> Any:
            v = self.vehicle(**overrides)
            return vehicles.transition(
                self.actor,
                v.pk,
                "register_transfer",
                {
                    "transfer_pending_export_date": TODAY - dt.timedelta(days=2),
                    "temp_plate_number": "渝A12345临",
                },
            )

    return Chain()


@pytest.fixture
def api_client(client: Any) -> Callable[[Any], Any]:
    """An API client authenticated with a bearer token of the given actor's user."""
    from django.test import Client

    from chuhai.web.organisations.services import issue_token

    def build(actor: Any) -> Any:
        _token, raw = issue_token(actor.user, "tests")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return build


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks: Any) -> Callable[[], Any]:
    """``with on_commit(): ...`` runs the callbacks registered inside (e.g. queued jobs) at its end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark tests that need PostgreSQL so a SQLite run can deselect them instead of skipping."""
    for item in items:
        if "postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
