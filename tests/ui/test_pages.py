"""The pages with the Django test client on the demo data: every page for every role and language,
server time, pagination, empty states, refusals, organisation isolation and the per-user language."""

from __future__ import annotations

import re
import time
from typing import Any

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.db, pytest.mark.django_db]

LANGUAGES = ("zh-hans", "en", "ru", "ar")
BUDGET_MS = 300.0


def _pages(org: Any) -> list[str]:
    from chuhai.web.customs.models import CustomsDeclaration
    from chuhai.web.licences.models import LicenceApplication
    from chuhai.web.vehicles.models import Vehicle

    blocked = Vehicle.objects.filter(organisation=org, verdict="blocked").first()
    deregistered = Vehicle.objects.filter(organisation=org, state="deregistered").first()
    licence = LicenceApplication.objects.filter(organisation=org, state="issued").first()
    declaration = CustomsDeclaration.objects.filter(organisation=org).first()
    return [
        reverse("ui:dashboard"),
        reverse("ui:vehicles"),
        reverse("ui:vehicles") + "?verdict=blocked&age_min=1&age_max=6&page=2",
        reverse("ui:vehicle", args=[blocked.pk]),
        reverse("ui:vehicle", args=[deregistered.pk]),
        reverse("ui:imports"),
        reverse("ui:licences"),
        reverse("ui:licence", args=[licence.pk]),
        reverse("ui:declarations"),
        reverse("ui:declaration", args=[declaration.pk]),
        reverse("ui:deadlines"),
        reverse("ui:enterprise"),
        reverse("ui:contracts"),
        reverse("ui:users"),
        reverse("ui:rules"),
        reverse("ui:rule", args=["vehicle.aftersales_confirmation_required"]),
    ]


def _timed_get(client: Any, url: str) -> tuple[Any, float, float]:
    """The response and the best (wall, CPU) milliseconds of three requests.

    CPU time of this process is what the server spends producing the page (the test client runs the
    view in-process; with SQLite the queries too): on a shared, busy CI machine wall time also counts
    the time other processes hold the CPU, so the budget is asserted on CPU time and wall time is shown.
    """
    best_wall = best_cpu = float("inf")
    response = None
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        best_cpu = min(best_cpu, (time.process_time() - cpu) * 1000)
        best_wall = min(best_wall, (time.perf_counter() - wall) * 1000)
    return response, best_wall, best_cpu


@pytest.mark.parametrize("role", ["admin", "compliance", "clerk", "readonly"])
def test_every_page_answers_fast_for_every_role_and_language(demo: Any, client_for: Any, role: str) -> None:
    pages = _pages(demo)
    if role in ("admin", "compliance"):
        pages.append(reverse("ui:licence_plan"))
    timings: list[tuple[float, float, str, str]] = []
    for language in LANGUAGES:
        client = client_for(f"demo-{role}", language)
        for url in pages:
            client.get(url)  # warm: the law and the catalogues load once per process
            response, wall, cpu = _timed_get(client, url)
            assert response.status_code == 200, (role, language, url, response.status_code)
            html = response.content.decode()
            assert f'lang="{language}"' in html
            assert ('dir="rtl"' in html) == (language == "ar")
            timings.append((cpu, wall, language, url))
    timings.sort(reverse=True)
    print(f"\n{role}: slowest pages (best of 3; ms CPU / ms wall):")
    for cpu, wall, language, url in timings[:5]:
        print(f"  {cpu:6.1f} / {wall:6.1f}  {language:<7} {url}")
    slow = [t for t in timings if t[0] > BUDGET_MS]
    assert not slow, f"pages over {BUDGET_MS} ms: {slow}"


def test_plan_page_is_refused_to_a_clerk(demo: Any, client_for: Any) -> None:
    response = client_for("demo-clerk").get(reverse("ui:licence_plan"))
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode() or "无权操作" in response.content.decode()


def test_sign_in_is_required_and_keeps_the_target(db: Any, client: Any) -> None:
    response = client.get(reverse("ui:vehicles"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("ui:login"))
    assert "next=" in response["Location"]


def test_sign_in_form_and_wrong_password(demo: Any, client: Any) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="demo-clerk")
    user.set_password("a-long-password-1")
    user.save()
    wrong = client.post(reverse("ui:login"), {"username": "demo-clerk", "password": "nope"})
    assert wrong.status_code == 401
    assert 'role="alert"' in wrong.content.decode()
    right = client.post(
        reverse("ui:login") + "?next=/app/vehicles/",
        {"username": "demo-clerk", "password": "a-long-password-1"},
    )
    assert right.status_code == 302
    assert right["Location"] == "/app/vehicles/"


def test_vehicle_list_paginates_and_filters(demo: Any, client_for: Any) -> None:
    from chuhai.web.vehicles.models import Vehicle

    client = client_for("demo-readonly", "en")
    first = client.get(reverse("ui:vehicles")).content.decode()
    assert first.count('name="ids"') == 50
    assert "Page 1 of 4" in first
    last = client.get(reverse("ui:vehicles") + "?page=99").content.decode()
    assert "Page 4 of 4" in last
    assert last.count('name="ids"') == 200 - 150
    total = Vehicle.objects.filter(organisation=demo, verdict="blocked").count()
    blocked = client.get(reverse("ui:vehicles") + "?verdict=blocked").content.decode()
    assert min(total, 50) == blocked.count('name="ids"')
    mortgaged = Vehicle.objects.filter(organisation=demo, rules_index__contains=",vehicle.encumbered,")
    by_rule = client.get(reverse("ui:vehicles") + "?rule=vehicle.encumbered").content.decode()
    assert by_rule.count('name="ids"') == mortgaged.count() > 0
    assert all(v.vin in by_rule for v in mortgaged)


def test_empty_states_say_what_to_do(db: Any, other_org: Any, client_for: Any) -> None:
    from chuhai.web.vehicles.models import Vehicle

    Vehicle.objects.filter(organisation=other_org["org"]).delete()
    client = client_for(other_org["user"], "en")
    vehicles = client.get(reverse("ui:vehicles")).content.decode()
    assert "No vehicles yet" in vehicles
    assert reverse("ui:imports") in vehicles
    filtered = client.get(reverse("ui:vehicles") + "?verdict=eligible").content.decode()
    assert "No vehicle matches these filters" in filtered
    assert "No stock file uploaded yet." in client.get(reverse("ui:imports")).content.decode()
    assert "No customs declaration yet" in client.get(reverse("ui:declarations")).content.decode()
    plan = client.get(reverse("ui:licence_plan")).content.decode()
    assert "No vehicle can go on a new licence" in plan


def test_other_organisations_data_is_invisible(demo: Any, other_org: Any, client_for: Any) -> None:
    from chuhai.web.licences.models import LicenceApplication
    from chuhai.web.vehicles.models import Vehicle

    ours = client_for("demo-admin", "en")
    theirs = other_org
    assert ours.get(reverse("ui:vehicle", args=[theirs["vehicle"].pk])).status_code == 404
    assert ours.get(reverse("ui:licence", args=[theirs["licence"].pk])).status_code == 404
    assert theirs["vehicle"].vin not in ours.get(reverse("ui:vehicles") + "?vin=LSV").content.decode()
    # a bulk step on another organisation's vehicle changes nothing
    ours.post(reverse("ui:vehicle_bulk"), {"action": "withdraw", "ids": [theirs["vehicle"].pk]})
    assert Vehicle.objects.get(pk=theirs["vehicle"].pk).state == "purchased"
    # and the other enterprise sees none of the demo's
    other = client_for(theirs["user"], "en")
    demo_vehicle = Vehicle.objects.filter(organisation=demo).first()
    demo_licence = LicenceApplication.objects.filter(organisation=demo).first()
    assert other.get(reverse("ui:vehicle", args=[demo_vehicle.pk])).status_code == 404
    assert other.get(reverse("ui:licence", args=[demo_licence.pk])).status_code == 404
    listing = other.get(reverse("ui:vehicles")).content.decode()
    assert demo_vehicle.vin not in listing
    assert theirs["vehicle"].vin in listing
    dashboard = other.get(reverse("ui:dashboard")).content.decode()
    assert demo.name not in dashboard
    users = other.get(reverse("ui:users")).content.decode()
    assert "demo-admin" not in users
    assert "other-admin" in users


def test_readonly_sees_no_step_buttons_and_cannot_post(demo: Any, client_for: Any) -> None:
    from chuhai.web.vehicles.models import Vehicle

    car = Vehicle.objects.filter(organisation=demo, state="purchased").first()
    client = client_for("demo-readonly", "en")
    page = client.get(reverse("ui:vehicle", args=[car.pk])).content.decode()
    assert "Next steps" not in page
    response = client.post(reverse("ui:vehicle_transition", args=[car.pk, "withdraw"]))
    assert response.status_code == 403
    assert Vehicle.objects.get(pk=car.pk).state == "purchased"


def test_refusal_names_the_rules_and_links_them(demo: Any, client_for: Any) -> None:
    """Registering a mortgaged car is refused by the service; the page says why and links the rule."""
    from chuhai.web.vehicles.models import Vehicle

    car = Vehicle.objects.filter(
        organisation=demo, state="purchased", rules_index__contains=",vehicle.encumbered,"
    ).first()
    client = client_for("demo-compliance", "ru")
    response = client.post(
        reverse("ui:vehicle_transition", args=[car.pk, "register_transfer"]),
        {"transfer_pending_export_date": "2026-11-19", "temp_plate_number": "渝A00010临"},
        follow=True,
    )
    html = response.content.decode()
    assert Vehicle.objects.get(pk=car.pk).state == "purchased"
    assert "Отказано по правилам." in html
    assert reverse("ui:rule", args=["vehicle.encumbered"]) in html


def test_language_is_saved_per_user_and_wins_over_the_cookie(demo: Any, client_for: Any) -> None:
    from chuhai.web.ui.models import UserPreference

    client = client_for("demo-clerk", "en")
    assert 'lang="en"' in client.get(reverse("ui:dashboard")).content.decode()
    response = client.post(reverse("ui:language"), {"language": "ar", "next": reverse("ui:vehicles")})
    assert response.status_code == 302
    assert response["Location"] == reverse("ui:vehicles")
    assert UserPreference.objects.get(user__username="demo-clerk").language == "ar"
    client.cookies["django_language"] = "ru"  # another browser's cookie: the saved choice still wins
    html = client.get(reverse("ui:vehicles")).content.decode()
    assert 'lang="ar" dir="rtl"' in html
    bogus = client.post(reverse("ui:language"), {"language": "xx", "next": "https://evil.example/"})
    assert bogus["Location"] == reverse("ui:dashboard")
    assert UserPreference.objects.get(user__username="demo-clerk").language == "ar"


def test_dates_numbers_and_countries_follow_the_locale(demo: Any, client_for: Any) -> None:
    from chuhai.web.licences.models import LicenceApplication

    licence = LicenceApplication.objects.filter(organisation=demo, state="issued").first()
    url = reverse("ui:licence", args=[licence.pk])
    day = licence.issued_on
    expected = {
        "zh-hans": (f"{day.year}年{day.month}月{day.day}日", "哈萨克斯坦"),
        "en": (f"{day.year}", "Kazakhstan"),
        "ru": (f"{day.year}\u202fг.", "Казахстан"),
        "ar": (f"{day.year}", "كازاخستان"),
    }
    for language, (date_text, country) in expected.items():
        html = client_for("demo-readonly", language).get(url).content.decode()
        assert date_text in html, language
        assert country in html, language
    russian = client_for("demo-readonly", "ru").get(reverse("ui:dashboard")).content.decode()
    assert re.search(r"ноя\.|дек\.|окт\.|ноября|декабря", russian)


def test_whole_chain_through_the_pages(
    demo: Any, client_for: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """Upload a stock file, plan and submit a licence, issue, declare, clear and deregister a car: every
    step by posting the pages' forms (the services do the work)."""

    from chuhai.synthetic import stock_frame
    from chuhai.web.cases.context import today
    from chuhai.web.customs.models import CustomsDeclaration
    from chuhai.web.imports.models import ImportJob
    from chuhai.web.licences.models import LicenceApplication
    from chuhai.web.vehicles.models import Vehicle

    client = client_for("demo-compliance", "en")
    frame = stock_frame(40, today(), demo.name, seed=7)
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("stock.csv", frame.write_csv().encode("utf-8"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):  # the import job runs as the request commits
        response = client.post(reverse("ui:imports"), {"file": upload})
    job = ImportJob.objects.filter(organisation=demo).latest("id")
    assert response["Location"] == reverse("ui:import", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    job.refresh_from_db()
    if job.state == "rejected":  # the synthetic file has a few mistyped VINs: the report lists them
        assert "Row-level errors" in page
        assert client.get(reverse("ui:import_errors", args=[job.pk])).status_code == 200
        frame = frame.filter(~frame["vin"].str.ends_with("I"))
        upload = SimpleUploadedFile("stock.csv", frame.write_csv().encode("utf-8"), content_type="text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("ui:imports"), {"file": upload})
        job = ImportJob.objects.filter(organisation=demo).latest("id")
        page = client.get(response["Location"]).content.decode()
    assert job.state == "succeeded", job.message
    assert "Verdicts of the imported vehicles" in page
    assert "Eligible" in page

    plan = client.get(reverse("ui:licence_plan")).content.decode()
    imported = set(frame["vin"].to_list())
    batches = [
        re.search(r'name="batch" value="(\d+)"', block).group(1)
        for block in plan.split('<fieldset class="card batch">')[1:]
        if 'data-contract="1"' in block and any(vin in block for vin in imported)
    ]
    assert batches, "no planned licence with an export contract holds an imported vehicle"
    response = client.post(reverse("ui:licence_plan"), {"batch": [batches[0]]})
    licence = LicenceApplication.objects.filter(organisation=demo, state="draft").latest("id")
    assert response["Location"] == reverse("ui:licence", args=[licence.pk])
    assert licence.lines.filter(open=True).exists()
    client.post(reverse("ui:licence_action", args=[licence.pk, "submit"]))
    licence.refresh_from_db()
    assert licence.state == "submitted", [
        str(m) for m in client.get(reverse("ui:licence", args=[licence.pk])).context["messages"]
    ]
    client.post(reverse("ui:licence_action", args=[licence.pk, "issue"]), {"licence_number": "26CQ999001"})
    licence.refresh_from_db()
    assert licence.state == "issued"
    assert licence.valid_until
    response = client.post(
        reverse("ui:licence_action", args=[licence.pk, "declare"]), {"port": "重庆铁路口岸"}
    )
    declaration = CustomsDeclaration.objects.get(licence=licence)
    assert response["Location"] == reverse("ui:declaration", args=[declaration.pk])
    client.post(
        reverse("ui:declaration_action", args=[declaration.pk, "file"]),
        {"declaration_number": "800120260000000099"},
    )
    day = today()
    client.post(
        reverse("ui:declaration_action", args=[declaration.pk, "clear"]), {"clearance_date": day.isoformat()}
    )
    declaration.refresh_from_db()
    licence.refresh_from_db()
    assert declaration.state == "cleared"
    assert licence.state == "used"
    car = Vehicle.objects.filter(licence_lines__licence=licence, vin__in=imported).first()
    assert car.state == "cleared"
    client.post(
        reverse("ui:vehicle_transition", args=[car.pk, "deregister"]),
        {"deregistered_on": day.isoformat()},
    )
    car.refresh_from_db()
    assert car.state == "deregistered"
    history = client.get(reverse("ui:vehicle", args=[car.pk])).content.decode()
    for step in ("Imported from a stock file", "Put on licence application", "Record deregistration"):
        assert step in history


def test_steps_the_rules_refuse_are_explained_not_offered(demo: Any, client_for: Any) -> None:
    """A mortgaged car cannot be registered for export: no form for it, the refusing rule is named."""
    from chuhai.web.vehicles.models import Vehicle

    car = Vehicle.objects.filter(
        organisation=demo, state="purchased", rules_index__contains=",vehicle.encumbered,"
    ).first()
    html = client_for("demo-compliance", "en").get(reverse("ui:vehicle", args=[car.pk])).content.decode()
    assert 'data-step="register_transfer"' not in html
    assert "Not possible now:" in html
    assert reverse("ui:rule", args=["vehicle.encumbered"]) in html
    assert 'data-step="withdraw"' in html  # still possible before the transfer registration
    gone = Vehicle.objects.filter(organisation=demo, state="deregistered").first()
    html = client_for("demo-compliance", "en").get(reverse("ui:vehicle", args=[gone.pk])).content.decode()
    assert 'data-step="withdraw"' not in html


def test_history_names_fields_and_values_in_the_readers_language(demo: Any, client_for: Any) -> None:
    """The audit history shows "Марка: …", not the database's field names and codes."""
    from chuhai.web.vehicles.models import Vehicle

    vehicle = Vehicle.objects.filter(organisation=demo, vehicle_category="passenger").first()
    html = client_for("demo-readonly", "ru").get(reverse("ui:vehicle", args=[vehicle.pk])).content.decode()
    history = html[html.rindex("<table") :]  # the history is the page's last table
    assert "vehicle_category" not in history
    assert "passenger" not in history
    assert "Категория" in history
    assert "легков" in history.lower()


def test_table_valued_parameters_are_tables_in_the_readers_language(demo: Any, client_for: Any) -> None:
    """The service-life table reads as a table with translated headings and labels, not a Python list."""
    html = client_for("demo-readonly", "ru").get(reverse("ui:rule", args=["vehicle.scrap_reached"])).content
    text = html.decode()
    assert "[{" not in text
    assert "'label'" not in text
    assert '<table class="law-table">' in text
    assert "Характер использования" in text
    assert "<code>taxi</code>" in text
    assert "без ограничения" in text  # a row whose years are null: no service-life limit


def test_rule_pages_show_the_tier_of_every_source(demo: Any, client_for: Any) -> None:
    """Sources in tiers (law review 2026-12): official text, verbatim reprint, secondary, inferred."""
    text = client_for("demo-readonly", "ru").get(reverse("ui:rule", args=["vehicle.scrap_reached"])).content
    html = text.decode()
    assert "вторичный" in html  # order-2012-12 and mofcom-2024-6 are secondary
    assert "Тип прицепа" in html  # the trailer rows of the service-life table
    listing = client_for("demo-readonly", "zh-hans").get(reverse("ui:rules")).content.decode()
    assert "原文转载" in listing  # 2025 No. 54: a verbatim reprint
    assert "[secondary]" not in listing


def test_finding_citations_show_the_tier_in_the_readers_language() -> None:
    from django.utils import translation

    from chuhai.web.ui.templatetags.ui import cited

    with translation.override("zh-hans"):
        assert cited("2024年第6号公告 [secondary]；2025年第54号公告 [verbatim-reprint]") == (
            "2024年第6号公告 (二手资料)；2025年第54号公告 (原文转载)"
        )
    assert cited(None) == ""
