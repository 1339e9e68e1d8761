"""Every open deadline of an organisation, computed from the law as of the event dates.

Sources (``shared/spec/rule-catalog.md`` "Deadlines"):

* filings — ``filing_review_due`` for a submitted filing, ``filing_expiry`` for the current approval
  (the renewal reminder: a new filing may be made any time before it);
* licences — ``licence_review_due`` for a submitted application, ``licence_expiry`` for an issued one;
* vehicles — ``temp_plate_expiry`` while the car drives on its temporary plate, ``deregistration_due``
  once cleared, and the engine's own deadlines from the latest screening (``scrap_export_cutoff``,
  ``aftersales_window_end``) while the car is not yet licensed.

Working-day deadlines that fall into a year without a holiday notice are *provisional*: counted on
weekends only in that year, flagged ``provisional`` and with the reason in ``problem`` (the pages show
it in the reader's language, :func:`chuhai.web.lawbook.services.deadline_reason`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from chuhai.services.deadlines import (
    KINDS,
    CaseDeadline,
    licence_expiry,
    months_after,
    sort_deadlines,
    temp_plate_expiry,
    working_day_deadline,
    years_after,
)
from chuhai.web.cases.context import Actor, scoped, today
from chuhai.web.licences.models import LicenceApplication, LicenceState
from chuhai.web.organisations.models import EnterpriseFiling, FilingState
from chuhai.web.vehicles.models import Vehicle, VehicleState
from chuhai.web.vehicles.screening import law_value

S = VehicleState
ON_TEMP_PLATE = (S.TRANSFER_REGISTERED, S.IN_LICENCE, S.LICENSED, S.DECLARED)
BEFORE_LICENCE = (S.OFFERED, S.DEPOSIT_PAID, S.PURCHASED, S.TRANSFER_REGISTERED, S.IN_LICENCE)
# Engine deadline kinds taken from the vehicle's screening, and the states in which they matter.
SCREENING_KINDS = {"scrap_export_cutoff": BEFORE_LICENCE, "aftersales_window_end": BEFORE_LICENCE}


def _dl(kind: str, due: dt.date) -> CaseDeadline:
    rule, parameter = KINDS[kind]
    return CaseDeadline(kind, due, rule=rule, parameter=parameter)


def _filing_deadlines(actor: Actor) -> list[CaseDeadline]:
    out: list[CaseDeadline] = []
    filings = scoped(actor, EnterpriseFiling).filter(state__in=[FilingState.SUBMITTED, FilingState.APPROVED])
    latest_approved: EnterpriseFiling | None = None
    for filing in filings.order_by("id"):
        label = f"{actor.organisation.name} #{filing.pk}"
        if filing.state == FilingState.SUBMITTED and filing.submitted_on:
            rule, parameter = KINDS["filing_review_due"]
            days = int(law_value(parameter, filing.submitted_on))
            d = working_day_deadline(
                "filing_review_due",
                filing.submitted_on,
                days,
                rule=rule,
                parameter=parameter,
                provisional=True,
            )
            out.append(d.with_subject("filing", filing.pk, label=label))
        elif filing.approved_on and (
            latest_approved is None
            or latest_approved.approved_on is None
            or filing.approved_on >= latest_approved.approved_on
        ):
            latest_approved = filing
    if latest_approved is not None and latest_approved.approved_on is not None:
        years = int(law_value(KINDS["filing_expiry"][1], latest_approved.approved_on))
        due = years_after(latest_approved.approved_on, years)
        out.append(
            _dl("filing_expiry", due).with_subject(
                "filing", latest_approved.pk, label=actor.organisation.name
            )
        )
    return out


def _licence_deadlines(actor: Actor) -> list[CaseDeadline]:
    out: list[CaseDeadline] = []
    for licence in scoped(actor, LicenceApplication).filter(
        state__in=[LicenceState.SUBMITTED, LicenceState.ISSUED]
    ):
        label = licence.licence_number or f"#{licence.pk}"
        if licence.state == LicenceState.SUBMITTED and licence.submitted_on:
            rule, parameter = KINDS["licence_review_due"]
            days = int(law_value(parameter, licence.submitted_on))
            d = working_day_deadline(
                "licence_review_due",
                licence.submitted_on,
                days,
                rule=rule,
                parameter=parameter,
                provisional=True,
            )
            out.append(d.with_subject("licenceapplication", licence.pk, label=label))
        elif licence.state == LicenceState.ISSUED and licence.issued_on:
            due = licence.valid_until or licence_expiry(
                licence.issued_on,
                int(law_value(KINDS["licence_expiry"][1], licence.issued_on)),
                bool(law_value("licence.validity_within_calendar_year", licence.issued_on)),
            )
            out.append(_dl("licence_expiry", due).with_subject("licenceapplication", licence.pk, label=label))
    return out


def _vehicle_deadlines(actor: Actor) -> list[CaseDeadline]:
    out: list[CaseDeadline] = []
    wanted = set(ON_TEMP_PLATE) | set(BEFORE_LICENCE) | {S.CLEARED}
    fields = (
        "id",
        "vin",
        "brand",
        "model",
        "state",
        "temp_plate_issue_date",
        "insurance_expiry",
        "customs_clearance_date",
        "screening_deadlines",
    )
    for v in scoped(actor, Vehicle).filter(state__in=wanted).only(*fields).order_by("id"):
        label = f"{v.vin} {v.brand} {v.model}".strip()
        engine_kinds: dict[str, dict[str, Any]] = {d["kind"]: d for d in (v.screening_deadlines or [])}
        if v.state in ON_TEMP_PLATE and v.temp_plate_issue_date:
            if "temp_plate_expiry" in engine_kinds:
                due = dt.date.fromisoformat(engine_kinds["temp_plate_expiry"]["due"])
            else:
                max_days = int(law_value(KINDS["temp_plate_expiry"][1], v.temp_plate_issue_date))
                due = temp_plate_expiry(v.temp_plate_issue_date, max_days, v.insurance_expiry)
            out.append(_dl("temp_plate_expiry", due).with_subject("vehicle", v.pk, v.vin, label))
        if v.state == S.CLEARED and v.customs_clearance_date:
            months = int(law_value(KINDS["deregistration_due"][1], v.customs_clearance_date))
            due = months_after(v.customs_clearance_date, months)
            out.append(_dl("deregistration_due", due).with_subject("vehicle", v.pk, v.vin, label))
        for kind, states in SCREENING_KINDS.items():
            if v.state in states and kind in engine_kinds:
                entry = engine_kinds[kind]
                d = CaseDeadline(
                    kind,
                    dt.date.fromisoformat(entry["due"]),
                    rule=entry.get("rule", ""),
                    parameter=KINDS[kind][1],
                )
                out.append(d.with_subject("vehicle", v.pk, v.vin, label))
    return out


def open_deadlines(
    actor: Actor, as_of: dt.date | None = None, include_past_windows: bool = False
) -> list[CaseDeadline]:
    """All open deadlines of the actor's organisation, overdue first.

    An ``aftersales_window_end`` already passed is no longer a deadline (the confirmation letter is
    simply not needed any more) and is left out; every other passed date is overdue.
    """
    actor.require("view")
    day = as_of or today()
    items = _filing_deadlines(actor) + _licence_deadlines(actor) + _vehicle_deadlines(actor)
    if not include_past_windows:
        items = [
            d for d in items if not (d.kind == "aftersales_window_end" and d.due is not None and d.due < day)
        ]
    return sort_deadlines(items, day)


def deadline_json(d: CaseDeadline, day: dt.date) -> dict[str, Any]:
    return {
        "kind": d.kind,
        "due": d.due.isoformat() if d.due else None,
        "overdue": d.overdue(day),
        "days_left": d.days_left(day),
        "rule": d.rule,
        "parameter": d.parameter,
        "subject_type": d.subject_type,
        "subject_id": d.subject_id,
        "vin": d.vin,
        "label": d.label,
        "problem": d.problem,
        "provisional": d.provisional,
    }


def icalendar(actor: Actor, feed_name: str) -> bytes:
    """The organisation's deadlines as an iCalendar feed (all-day events, stable UIDs, alarms)."""
    from icalendar import Alarm, Calendar, Event

    day = today()
    cal = Calendar()
    cal.add("prodid", "-//Chuhai//Deadlines//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", feed_name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for d in open_deadlines(actor, day):
        if d.due is None:
            continue
        event = Event()
        event.add("uid", f"{d.uid}-{actor.organisation.pk}@chuhai")
        event.add("summary", f"{d.kind}: {d.label}")
        event.add("dtstart", d.due)
        event.add("dtend", d.due + dt.timedelta(days=1))
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        description = [f"kind: {d.kind}"]
        if d.rule:
            description.append(f"rule: {d.rule}")
        if d.parameter:
            description.append(f"law parameter: {d.parameter}")
        if d.problem:
            description.append(d.problem)
        event.add("description", "\n".join(description))
        event.add("categories", [d.kind])
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"{d.kind}: {d.label}")
        alarm.add("trigger", dt.timedelta(days=-7))
        event.add_component(alarm)
        cal.add_component(event)
    return bytes(cal.to_ical())
