"""Set-up for the web interface's tests (no browser): Django settings with a throw-away data directory,
SQLite by default or PostgreSQL with ``DATABASE_URL``, demo data and signed-in clients per role."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chuhai.web.settings")
os.environ.setdefault("CHUHAI_DATA_DIR", tempfile.mkdtemp(prefix="chuhai-ui-tests-"))
os.environ.setdefault("CHUHAI_HUEY_IMMEDIATE", "1")
os.environ.setdefault("CHUHAI_SECRET_KEY", "tests-only-not-secret")
# The test client and the live server speak plain HTTP; tests/web/test_security.py checks the redirect.
os.environ.setdefault("CHUHAI_SSL_REDIRECT", "0")

import django

django.setup()

ROLES = ("admin", "compliance", "clerk", "readonly")


@pytest.fixture(autouse=True)
def _fast_hashers(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def demo(db: Any) -> Any:
    """The demo enterprise (200 vehicles in every state, licences, declarations), loaded in the test's
    transaction."""
    from chuhai.web.cases.demo import load_demo

    return load_demo(out=lambda _line: None)


@pytest.fixture
def client_for(db: Any) -> Callable[..., Any]:
    """A test client signed in as the demo user of a role (or any user), reading a given language."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def build(user: Any = "demo-admin", language: str | None = None) -> Any:
        if isinstance(user, str):
            user = get_user_model().objects.get(username=user)
        client = Client()
        client.force_login(user)
        if language:
            client.cookies["django_language"] = language
        return client

    return build


@pytest.fixture
def other_org(db: Any) -> Any:
    """A second enterprise with one user, one vehicle and one licence: for isolation tests."""
    import datetime as dt

    from chuhai.identifiers import uscc, vin
    from chuhai.web.cases.context import actor_for, today
    from chuhai.web.licences import services as licences
    from chuhai.web.organisations.models import EnterpriseFiling, FilingState, Organisation
    from chuhai.web.organisations.services import create_user
    from chuhai.web.vehicles import services as vehicles

    base = "91310000MA1FL0000"
    org = Organisation.objects.create(
        name="上海另一家出口有限公司",
        uscc=base + uscc.calc_check_digit(base),
        enterprise_kind="circulation",
        province="上海市",
        city="上海市",
    )
    EnterpriseFiling.objects.create(
        organisation=org,
        state=FilingState.APPROVED,
        submitted_on=dt.date(2026, 1, 5),
        approved_on=dt.date(2026, 1, 20),
    )
    user = create_user(org, "other-admin", "pw-for-tests-1234", "admin")
    actor = actor_for(user)
    draft = "LSVABCDE0P1777777"
    car = vehicles.create(
        actor,
        {
            "vin": vin.validate(draft[:8] + vin.calc_check_digit(draft) + draft[9:]),
            "brand": "大众",
            "model": "朗逸",
            "registration_date": today() - dt.timedelta(days=900),
            "destination": "KZ",
        },
    )
    licence = licences.create(actor, {"destination": "KZ"})
    return {"org": org, "user": user, "vehicle": car, "licence": licence}
