"""Deadlines: computed from the law on Chinese working days, overdue first, explicit when the calendar
has no data, and the iCalendar feed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from chuhai.services.deadlines import CaseDeadline, sort_deadlines, working_day_deadline
from chuhai.web.cases import deadlines
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.organisations import services as accounts
from chuhai.web.organisations.models import EnterpriseFiling

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def _kinds(actor: Any) -> dict[str, list[CaseDeadline]]:
    out: dict[str, list[CaseDeadline]] = {}
    for d in deadlines.open_deadlines(actor, TODAY):
        out.setdefault(d.kind, []).append(d)
    return out


def test_filing_and_licence_deadlines(chain: Any) -> None:
    EnterpriseFiling.objects.create(
        organisation=chain.org, state="submitted", submitted_on=dt.date(2026, 9, 28)
    )
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, licence.pk, chain.registered().pk)
    licences.transition(chain.actor, licence.pk, "submit", {"submitted_on": "2026-09-30"})
    kinds = _kinds(chain.actor)
    # 15 working days after 2026-09-28 (National Day 10-01..07 off, 10-10 a make-up Saturday) = 2026-10-23
    assert kinds["filing_review_due"][0].due == dt.date(2026, 10, 23)
    # 3 working days after 2026-09-30: 10-08, 10-09, 10-10 (make-up Saturday)
    assert kinds["licence_review_due"][0].due == dt.date(2026, 10, 10)
    # the approved filing (fixture: approved TODAY-100) expires one year later
    assert kinds["filing_expiry"][0].due == TODAY - dt.timedelta(days=100) + dt.timedelta(days=365)
    ordered = deadlines.open_deadlines(chain.actor, TODAY)
    flags = [d.overdue(TODAY) for d in ordered]
    assert flags == sorted(flags, reverse=True)
    assert flags[0]
    assert not flags[-1]
    assert [d.kind for d in ordered[:2]] == ["licence_review_due", "filing_review_due"]  # oldest due first


def test_working_day_deadline_past_the_calendar_is_provisional(chain: Any) -> None:
    licence = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, licence.pk, chain.registered().pk)
    licences.transition(chain.actor, licence.pk, "submit", {"submitted_on": "2026-11-20"})
    LicenceApplication.objects.filter(pk=licence.pk).update(submitted_on=dt.date(2026, 12, 30))
    review = _kinds(chain.actor)["licence_review_due"][0]
    # 3 working days after Wed 2026-12-30: Thu 12-31 (the last day of the data), then 2027 on weekends
    # only: Fri 01-01 and Mon 01-04 — a date, flagged, never a guess passed off as certain.
    assert review.due == dt.date(2027, 1, 4)
    assert review.provisional
    assert review.problem == (
        "provisional: no State Council holiday notice for 2027 in the law data; counted on weekends only"
    )
    row = deadlines.deadline_json(review, TODAY)
    assert row["provisional"] is True
    assert row["due"] == "2027-01-04"


def test_vehicle_deadlines_from_the_engine_and_the_law(chain: Any) -> None:
    young = chain.registered(
        registration_date=TODAY - dt.timedelta(days=100), factory_date=TODAY - dt.timedelta(days=130)
    )
    kinds = _kinds(chain.actor)
    window = [d for d in kinds["aftersales_window_end"] if d.subject_id == young.pk]
    assert window
    assert window[0].due == young.registration_date + dt.timedelta(days=180)
    plate = next(d for d in kinds["temp_plate_expiry"] if d.subject_id == young.pk)
    assert plate.due == young.temp_plate_issue_date + dt.timedelta(days=60)
    taxi = chain.vehicle(use_nature="taxi", registration_date=TODAY - dt.timedelta(days=5 * 365))
    cutoff = [d for d in _kinds(chain.actor).get("scrap_export_cutoff", []) if d.subject_id == taxi.pk]
    assert cutoff
    assert cutoff[0].rule == "vehicle.scrap_within_1y"


def test_sorting_puts_overdue_first() -> None:
    items = [
        CaseDeadline("a", dt.date(2026, 12, 1)),
        CaseDeadline("b", dt.date(2026, 11, 1)),
        working_day_deadline("c", dt.date(2026, 12, 30), 3, rule="", parameter="p"),
    ]
    assert [d.kind for d in sort_deadlines(items, TODAY)] == ["b", "c", "a"]


def test_deadlines_page_and_ical_feed(chain: Any, client: Any, make_actor: Any) -> None:
    from icalendar import Calendar

    chain.registered()
    admin = make_actor(chain.org, "admin")
    client.force_login(admin.user)
    page = client.get("/app/deadlines/")
    assert page.status_code == 200
    created = client.post("/app/deadlines/feed/", follow=True)
    assert created.status_code == 200
    assert "/app/deadlines/feed/" in created.content.decode()
    raw = accounts.rotate_feed_token(admin)

    # The address before the portal was retired keeps working for calendars subscribed to it.
    # (DTSTAMP is the time of the request: two requests may fall in different seconds.)
    def without_stamps(content: bytes) -> list[bytes]:
        return [line for line in content.splitlines() if not line.startswith(b"DTSTAMP")]

    assert without_stamps(client.get(f"/deadlines/feed/{raw}.ics").content) == without_stamps(
        client.get(f"/app/deadlines/feed/{raw}.ics").content
    )
    feed = client.get(f"/app/deadlines/feed/{raw}.ics")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(feed.content)
    events = list(calendar.walk("VEVENT"))
    assert any("temp_plate_expiry" in str(e["summary"]) for e in events)
    assert len({str(e["uid"]) for e in events}) == len(events)
    assert client.get("/app/deadlines/feed/not-the-token.ics").status_code == 404
