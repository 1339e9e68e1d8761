"""Database invariants, migrations, the append-only audit trail, and the settings that matter."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from chuhai import schema
from chuhai.web.audit.models import AppendOnlyError, AuditEvent
from chuhai.web.licences.models import MAX_SLOTS_PER_CODE, LicenceApplication, LicenceLine
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY, make_vin

pytestmark = pytest.mark.django_db


def test_no_missing_migrations() -> None:
    out = StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    assert "No changes detected" in out.getvalue()


def test_slot_constraint_equals_the_law() -> None:
    """The database encodes 20; the law's licence.max_vehicles_per_code must say the same today."""
    from chuhai.engine import load_law

    assert load_law().value("licence.max_vehicles_per_code", TODAY) == MAX_SLOTS_PER_CODE
    check = next(
        c for c in LicenceLine._meta.constraints if c.name == "licence_line_slot_within_max_per_code"
    )
    assert f"('slot__lte', {MAX_SLOTS_PER_CODE})" in str(check.condition)


def test_every_schema_column_is_a_vehicle_field() -> None:
    fields = {f.name for f in Vehicle._meta.get_fields()}
    assert [c.name for c in schema.COLUMN_LIST if c.name not in fields] == []


def _vehicle(org: Any, n: int) -> Vehicle:
    return Vehicle.objects.create(organisation=org, vin=make_vin("LGX", n), state="transfer_registered")


def test_slot_out_of_range_and_duplicate_slot_are_refused(make_org: Any) -> None:
    org = make_org()
    licence = LicenceApplication.objects.create(organisation=org)
    LicenceLine.objects.create(licence=licence, vehicle=_vehicle(org, 1), commodity_code="8703229090", slot=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceLine.objects.create(
            licence=licence,
            vehicle=_vehicle(org, 2),
            commodity_code="8703229090",
            slot=MAX_SLOTS_PER_CODE + 1,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceLine.objects.create(
            licence=licence, vehicle=_vehicle(org, 3), commodity_code="8703229090", slot=1
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceLine.objects.create(
            licence=licence, vehicle=_vehicle(org, 4), commodity_code="8703229090", slot=0
        )
    # the same slot under another code is fine
    LicenceLine.objects.create(licence=licence, vehicle=_vehicle(org, 5), commodity_code="8703801090", slot=1)


def test_issued_licence_needs_number_and_date(make_org: Any) -> None:
    org = make_org()
    with pytest.raises(IntegrityError), transaction.atomic():
        LicenceApplication.objects.create(organisation=org, state="issued")


def _event(org: Any) -> AuditEvent:
    return AuditEvent.objects.create(
        organisation=org,
        actor_label="t",
        object_type="vehicle",
        object_id=1,
        transition="x",
        before={},
        after={},
    )


def test_audit_is_append_only_in_the_orm(make_org: Any) -> None:
    event = _event(make_org())
    event.transition = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(transition="y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).transition == "x"


def test_audit_trigger_refuses_raw_sql_on_postgresql(postgres: None, make_org: Any) -> None:
    event = _event(make_org())
    for sql in (
        "UPDATE audit_auditevent SET transition = 'y' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ):
        with (
            pytest.raises(Exception, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).transition == "x"


def test_settings_security() -> None:
    from chuhai.web import settings

    assert settings.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.middleware.csrf.CsrfViewMiddleware" in settings.MIDDLEWARE
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.LANGUAGE_CODE == "zh-hans"
    assert [code for code, _ in settings.LANGUAGES] == ["zh-hans", "en", "ru", "ar"]
    assert (not settings.DEBUG) == settings.SESSION_COOKIE_SECURE


def test_passwords_are_hashed_with_argon2(make_org: Any, settings: Any) -> None:
    from chuhai.web.organisations.services import create_user

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = create_user(make_org(), "argon", "correct horse battery", "readonly")
    assert user.password.startswith("argon2$")


def test_today_is_chinese_date(today: dt.date) -> None:
    from chuhai.web.cases.context import today as service_today

    assert service_today() == TODAY
