"""The law in the web app (issue 10, items 7 and 8): the calendar warning on the dashboard and in the
API, provisional deadlines with their reason in four languages, the site administrator's holiday-notice
import (preview, refusals, apply), and what a law change does to the stock (every open vehicle
re-screened, the verdicts that change listed and audited with both law versions)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from chuhai import lawbook

pytestmark = [pytest.mark.db, pytest.mark.django_db]

NOTICES = Path(__file__).resolve().parents[1] / "calendar" / "notices"
# An INVENTED notice for a year the law data lacks (no real 2027 notice exists as of 2026-12-07): the
# weekdays are those of 2027, the wording that of the real notices. Never shipped as law.
SYNTHETIC_2027 = """国务院办公厅关于2027年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2027年元旦、春节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至12日（周五）放假调休，共7天。2月20日（周六）上班。
国务院办公厅
2026年11月20日
"""
URL = "https://www.gov.cn/zhengce/content/2027-test.htm"


@pytest.fixture
def law_dir(tmp_path: Path, fresh_lawbook: None) -> Path:
    """A throw-away local law directory in force for the test (the web app's CHUHAI_DATA_DIR/law)."""
    target = tmp_path / "law"
    lawbook.configure(target)
    return target  # fresh_lawbook configures no directory again afterwards


@pytest.fixture
def site_admin(db: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user("site-admin", password="x" * 12, is_staff=True)


def _on(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    from chuhai.web.lawbook import services

    monkeypatch.setattr(services, "today", lambda: day)


# --- the calendar's end ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("zh-hans", "工作日日历数据截至2026-12-31（还剩24天）"),
        ("en", "The working-day calendar ends on 2026-12-31 (24 days left)"),
        ("ru", "Календарь рабочих дней заканчивается 2026-12-31"),
        ("ar", "ينتهي تقويم أيام العمل في 2026-12-31"),
    ],
)
def test_dashboard_warns_60_days_before_the_calendar_ends(
    demo: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch, lang: str, words: str, fresh_lawbook: None
) -> None:
    _on(monkeypatch, dt.date(2026, 12, 7))
    page = client_for("demo-admin", lang).get(reverse("ui:dashboard")).content.decode()
    assert 'id="calendar-warning"' in page
    assert words in page


def test_no_warning_while_the_data_lasts_and_ended_past_it(
    demo: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch, fresh_lawbook: None
) -> None:
    client = client_for("demo-admin", "en")
    _on(monkeypatch, dt.date(2026, 10, 31))  # 61 days left
    assert 'id="calendar-warning"' not in client.get(reverse("ui:dashboard")).content.decode()
    _on(monkeypatch, dt.date(2026, 11, 1))  # 60 days left
    assert "(60 days left)" in client.get(reverse("ui:dashboard")).content.decode()
    _on(monkeypatch, dt.date(2027, 1, 4))
    page = client.get(reverse("ui:dashboard")).content.decode()
    assert "The working-day calendar ended on 2026-12-31" in page
    assert "The site administrator imports it" in page


def test_api_law_and_headers(
    demo: Any, client_for: Any, monkeypatch: pytest.MonkeyPatch, fresh_lawbook: None
) -> None:
    _on(monkeypatch, dt.date(2026, 12, 7))
    response = client_for("demo-readonly").get("/api/law")
    assert response.status_code == 200, response.content
    body = response.json()
    law = lawbook.current()
    assert body["version"] == law.version
    assert body["calendar"]["ends"] == "2026-12-31"
    assert body["calendar"]["days_left"] == 24
    assert body["calendar"]["state"] == "ending"
    assert set(body["calendar"]["warning"]) == {"zh", "en", "ru", "ar"}
    assert response["X-Chuhai-Law-Version"] == law.version
    assert response["X-Chuhai-Calendar-Warning"] == "ending; ends=2026-12-31; days-left=24"
    _on(monkeypatch, dt.date(2026, 6, 1))
    quiet = client_for("demo-readonly").get("/api/deadlines")
    assert "X-Chuhai-Calendar-Warning" not in quiet
    assert quiet["X-Chuhai-Law-Version"] == law.version
    assert client_for("demo-readonly").get("/api/law").json()["calendar"]["warning"] is None


# --- provisional deadlines ---------------------------------------------------------------------------


def _late_licence(demo: Any) -> Any:
    """A licence application submitted on 2026-12-30: its 3-working-day review ends in 2027."""
    from chuhai.web.licences.models import LicenceApplication

    licence = LicenceApplication.objects.filter(organisation=demo, state="submitted").first()
    assert licence is not None, "the demo has a submitted licence application"
    LicenceApplication.objects.filter(pk=licence.pk).update(submitted_on=dt.date(2026, 12, 30))
    return licence


@pytest.mark.parametrize(
    ("lang", "reason"),
    [
        ("zh-hans", "暂定：法规数据中没有2027年的国务院节假日安排通知，仅按周末计算"),
        (
            "en",
            "provisional: no State Council holiday notice for 2027 in the law data; counted on weekends only",
        ),
        ("ru", "предварительно: в данных нет уведомления Госсовета о праздниках на 2027 г."),
        ("ar", "مؤقت: لا يوجد في بيانات القانون إشعار مجلس الدولة بالعطلات لعام 2027"),
    ],
)
def test_deadlines_past_the_calendar_are_provisional_with_the_reason(
    demo: Any, client_for: Any, lang: str, reason: str, fresh_lawbook: None
) -> None:
    licence = _late_licence(demo)
    client = client_for("demo-admin", lang)
    link = reverse("ui:licence", args=[licence.pk])
    for number in range(1, 20):  # the deadline list is paginated, overdue first
        page = client.get(reverse("ui:deadlines"), {"page": number}).content.decode()
        row = next((r for r in page.split("<tr") if link in r and "badge provisional" in r), None)
        if row is not None or f"page={number + 1}" not in page:
            break
    assert row is not None, "the provisional review deadline is listed"
    assert reason in row


def test_api_deadline_is_provisional(demo: Any, client_for: Any, fresh_lawbook: None) -> None:
    licence = _late_licence(demo)
    rows = (
        client_for("demo-readonly").get("/api/deadlines", {"kind": "licence_review_due", "limit": 500}).json()
    )
    row = next(r for r in rows["items"] if r["subject_id"] == licence.pk)
    assert (row["due"], row["provisional"]) == ("2027-01-04", True)
    assert row["problem"].startswith("provisional: no State Council holiday notice for 2027")


# --- importing a notice ----------------------------------------------------------------------------


def test_only_the_site_administrator_imports_notices(demo: Any, client_for: Any, site_admin: Any) -> None:
    for role in ("demo-admin", "demo-compliance", "demo-readonly"):
        response = client_for(role, "en").get(reverse("ui:law_notice"))
        assert response.status_code == 403, role
    assert client_for(site_admin, "en").get(reverse("ui:law_notice")).status_code == 200
    assert client_for("demo-admin", "en").post(reverse("ui:law_check")).status_code == 403


def test_preview_shows_what_the_parser_found(site_admin: Any, client_for: Any, law_dir: Path) -> None:
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8")
    client = client_for(site_admin, "en")
    response = client.post(reverse("ui:law_notice"), {"text": text, "url": URL, "action": "preview"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<dd id="notice-year">2026</dd>' in page
    assert "Spring Festival" in page
    assert "Monday, February 23, 2026" in page  # 春节 ends 2-23
    assert "Saturday, February 14, 2026" in page  # a make-up working day
    assert "the same working days as the existing file" in page
    assert not list(law_dir.rglob("*.yaml")), "a preview writes nothing"


@pytest.mark.parametrize(
    ("text", "named"),
    [
        (
            SYNTHETIC_2027.replace("1月1日（周五）", "1月1日（周四）"),
            "2027-01-01 is a 周五, the notice says 周四",
        ),
        (SYNTHETIC_2027.replace("共7天", "共8天"), "共8天"),
        ("一、元旦：1月1日放假。", "no year"),
    ],
)
def test_an_unreadable_notice_is_refused_naming_the_sentence(
    site_admin: Any, client_for: Any, law_dir: Path, text: str, named: str
) -> None:
    response = client_for(site_admin, "en").post(
        reverse("ui:law_notice"), {"text": text, "url": URL, "action": "preview"}
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "The notice cannot be read." in page
    assert named in page
    assert 'id="notice-preview"' not in page


def test_apply_writes_the_calendar_changes_the_version_rescreens_and_audits(
    demo: Any, site_admin: Any, client_for: Any, law_dir: Path
) -> None:
    from chuhai.web.audit.models import AuditEvent
    from chuhai.web.lawbook.models import LawChange
    from chuhai.web.organisations.filings import OPEN_VEHICLE_STATES
    from chuhai.web.vehicles.models import Vehicle

    before = lawbook.current().version
    client = client_for(site_admin, "en")
    form = {"text": SYNTHETIC_2027, "url": URL}
    preview = client.post(reverse("ui:law_notice"), {**form, "action": "preview"})
    assert "a new year" in preview.content.decode()
    digest = preview.context["digest"]
    # Applying text that was not previewed shows the preview again instead.
    stale = client.post(
        reverse("ui:law_notice"),
        {**form, "text": SYNTHETIC_2027 + "\n", "action": "apply", "previewed": digest},
    )
    assert "changed since the preview" in stale.content.decode()
    assert not (law_dir / "calendar" / "cn-2027.yaml").exists()

    response = client.post(
        reverse("ui:law_notice"), {**form, "action": "apply", "previewed": digest}, follow=True
    )
    assert response.status_code == 200
    written = law_dir / "calendar" / "cn-2027.yaml"
    assert written.exists()
    law = lawbook.current()
    assert law.version != before
    assert 2027 in law.calendar.covered_years()
    assert law.calendar.is_workday(dt.date(2027, 2, 20))  # the make-up Saturday

    change = LawChange.objects.get()
    assert (change.before_version, change.after_version, change.cause) == (before, law.version, "notice")
    open_count = Vehicle.objects.filter(state__in=OPEN_VEHICLE_STATES).count()
    assert change.screened == open_count > 0
    assert set(
        Vehicle.objects.filter(state__in=OPEN_VEHICLE_STATES).values_list("law_version", flat=True)
    ) == {law.version}
    event = AuditEvent.objects.get(transition="law.notice")
    assert event.before == {"law_version": before}
    assert event.after["law_version"] == law.version == event.law_version
    assert event.after["file"] == str(written)
    assert AuditEvent.objects.filter(transition="law.rescreen", organisation=demo).count() == 1
    page = response.content.decode()
    assert "vehicle(s) change verdict" in page
    assert "cn-2027.yaml" in page

    # The same notice again: the file is already there as written, nothing changes, nothing is recorded.
    again = client.post(
        reverse("ui:law_notice"), {**form, "action": "apply", "previewed": digest}, follow=True
    )
    assert "already in the law: nothing changed" in again.content.decode()
    assert LawChange.objects.count() == 1

    # The deadline that was provisional is now exact (3 working days after 2026-12-30 in the new data:
    # 12-31, then 1-1..1-3 off, 1-4 and 1-5).
    from chuhai.services.deadlines import working_day_deadline

    exact = working_day_deadline(
        "licence_review_due", dt.date(2026, 12, 30), 3, rule="", parameter="p", provisional=True
    )
    assert (exact.due, exact.provisional) == (dt.date(2027, 1, 5), False)


# --- what a law change does to the stock -------------------------------------------------------------


def _window(law_dir: Path, days: int) -> None:
    """A local edit of the law: the after-sales confirmation window of 商贸函〔2025〕648号 set to ``days``."""
    shipped = lawbook.SHIPPED_DIR / "parameters" / "aftersales" / "window_days.yaml"
    target = law_dir / "parameters" / "aftersales" / "window_days.yaml"
    target.parent.mkdir(parents=True, exist_ok=True)
    text = shipped.read_text(encoding="utf-8")
    assert "    value: 180\n" in text
    target.write_text(text.replace("    value: 180\n", f"    value: {days}\n"), encoding="utf-8")


def test_a_law_directory_change_lists_the_verdicts_it_changes(
    demo: Any, other_org: Any, site_admin: Any, client_for: Any, law_dir: Path
) -> None:
    from django.core.management import call_command

    from chuhai.web.audit.models import AuditEvent
    from chuhai.web.lawbook.models import LawChange
    from chuhai.web.vehicles.models import Vehicle

    call_command("law_update")  # the demo was screened with the shipped law: nothing to do
    assert not LawChange.objects.exists()
    before = lawbook.current().version
    _window(law_dir, 3650)

    client = client_for(site_admin, "en")
    response = client.post(reverse("ui:law_check"), follow=True)
    change = LawChange.objects.get()
    after = lawbook.current().version
    assert (change.before_version, change.after_version, change.cause) == (before, after, "law_directory")
    assert change.verdict_changes, "a ten-year confirmation window changes verdicts of the demo stock"
    row = change.verdict_changes[0]
    vehicle = Vehicle.objects.get(pk=row["vehicle_id"])
    assert (vehicle.verdict, vehicle.law_version) == (row["after"], after)
    assert row["before"] != row["after"]
    page = response.content.decode()
    assert f"{len(change.verdict_changes)} vehicle(s) change verdict" in page
    assert row["vin"] in page
    # What the law change was: the parameter, in the change's record and on the admin's law page.
    assert any(c["key"] == "aftersales.window_days" for c in change.law_changes)
    law_page = client.get(reverse("ui:law")).content.decode()
    assert "aftersales.window_days" in law_page
    assert "3650" in law_page

    # Audited: the change, once per enterprise, once per vehicle that changed verdict — both versions.
    per_vehicle = AuditEvent.objects.filter(transition="vehicle.law_rescreen", vin=row["vin"]).get()
    assert per_vehicle.before == {"verdict": row["before"], "law_version": before}
    assert per_vehicle.after == {"verdict": row["after"], "law_version": after}
    assert AuditEvent.objects.filter(transition="vehicle.law_rescreen").count() == len(change.verdict_changes)
    event = AuditEvent.objects.get(transition="law.law_directory")
    assert (event.before["law_version"], event.after["law_version"]) == (before, after)

    # An enterprise sees its own vehicles only.
    mine = [r for r in change.verdict_changes if r["organisation_id"] == demo.pk]
    theirs = [r for r in change.verdict_changes if r["organisation_id"] == other_org["org"].pk]
    own = client_for("demo-readonly", "en").get(reverse("ui:law_change", args=[change.pk])).content.decode()
    assert f"{len(mine)} vehicle(s) change verdict" in own
    assert all(r["vin"] not in own for r in theirs)
    assert mine, "the demo enterprise's stock is affected"
    history = client_for("demo-readonly", "en").get(reverse("ui:vehicle", args=[mine[0]["vehicle_id"]]))
    assert "Screened again after a change of the law" in history.content.decode()
    dashboard = client_for("demo-readonly", "en").get(reverse("ui:dashboard")).content.decode()
    assert f"{len(mine)} vehicle(s) changed verdict" in dashboard

    # Nothing more to do until the law changes again.
    assert client.post(reverse("ui:law_check"), follow=True).status_code == 200
    assert LawChange.objects.count() == 1


def test_labels_name_every_section_and_day_kind() -> None:
    from chuhai.lawbook.diff import SECTIONS
    from chuhai.web.lawbook import labels
    from chuhai.workdays import DayKind

    assert set(labels.SECTIONS) == set(SECTIONS)
    assert set(labels.DAY_KINDS) == {k.value for k in DayKind}


@pytest.mark.parametrize(
    ("lang", "shipped", "local"),
    [
        ("en", "falls 180 days or fewer after their registration", "falls 200 days or fewer"),
        ("zh-hans", "不满180天（含180天）", "不满200天（含200天）"),
    ],
)
def test_the_licence_page_takes_the_after_sales_window_from_the_law(
    demo: Any, client_for: Any, law_dir: Path, lang: str, shipped: str, local: str
) -> None:
    from chuhai.web.licences.models import LicenceApplication

    licence = LicenceApplication.objects.filter(organisation=demo).first()
    assert licence is not None
    client = client_for("demo-admin", lang)
    page = client.get(reverse("ui:licence", args=[licence.pk])).content.decode()
    assert shipped in page
    _window(law_dir, 200)
    lawbook.forget(law_dir)
    page = client.get(reverse("ui:licence", args=[licence.pk])).content.decode()
    assert local in page
    assert shipped not in page


def test_a_notice_that_changes_a_year_needs_replace(site_admin: Any, client_for: Any, law_dir: Path) -> None:
    """The 2026 notice with one make-up day dropped changes the shipped 2026 calendar: refused unless
    the administrator ticks "replace" after seeing the day that changes."""
    text = (NOTICES / "2026.txt").read_text(encoding="utf-8").replace("1月4日（周日）上班。", "")
    client = client_for(site_admin, "en")
    form = {"text": text, "url": URL}
    preview = client.post(reverse("ui:law_notice"), {**form, "action": "preview"})
    page = preview.content.decode()
    assert "replaces the existing file and changes 1 day(s)" in page
    assert "make-up working day → weekend" in page
    digest = preview.context["digest"]
    refused = client.post(reverse("ui:law_notice"), {**form, "action": "apply", "previewed": digest})
    assert refused.status_code == 422
    assert "The notice was not applied." in refused.content.decode()
    assert not (law_dir / "calendar" / "cn-2026.yaml").exists()
    applied = client.post(
        reverse("ui:law_notice"),
        {**form, "action": "apply", "previewed": digest, "replace": "1"},
        follow=True,
    )
    assert applied.status_code == 200
    assert (law_dir / "calendar" / "cn-2026.yaml").exists()
    assert not lawbook.current().calendar.is_workday(dt.date(2026, 1, 4))


def test_signing_in_leads_the_site_administrator_to_the_law_page(site_admin: Any, demo: Any) -> None:
    from django.test import Client

    response = Client().post(reverse("ui:login"), {"username": "site-admin", "password": "x" * 12})
    assert response.status_code == 302
    assert response["Location"] == reverse("ui:law")
    from django.contrib.auth import get_user_model

    member = get_user_model().objects.get(username="demo-admin")
    member.set_password("y" * 12)
    member.save()
    response = Client().post(reverse("ui:login"), {"username": "demo-admin", "password": "y" * 12})
    assert response["Location"] == reverse("ui:dashboard")


def test_a_broken_local_law_file_is_named_not_a_traceback(
    demo: Any, site_admin: Any, client_for: Any, law_dir: Path
) -> None:
    from django.core.management import CommandError, call_command

    broken = law_dir / "parameters" / "aftersales" / "window_days.yaml"
    broken.parent.mkdir(parents=True)
    broken.write_text("values: [\n", encoding="utf-8")
    lawbook.forget(law_dir)
    with pytest.raises(CommandError, match=r"window_days\.yaml"):
        call_command("law_update")
    page = client_for(site_admin, "en").get(reverse("ui:law"))
    assert page.status_code == 500
    assert "window_days.yaml" in page.content.decode()
    api = client_for("demo-readonly").get("/api/law")
    assert (api.status_code, api.json()["error"]) == (500, "law_invalid")
    assert "window_days.yaml" in api.json()["message"]
