"""The law the web app runs on, and changing it without a release (issue 10, items 7 and 8).

* :func:`law_status` — the law version, the local law directory's files and how long the working-day
  calendar lasts (:func:`chuhai.workdays.calendar_horizon`): the dashboard warns and ``GET /api/law``
  answers from it.
* :func:`deadline_reason` — why a deadline is provisional, in the reader's language (deadlines past the
  calendar are counted on weekends only and flagged, never refused: :mod:`chuhai.services.deadlines`).
* :func:`preview_notice` / :func:`import_notice` — the site administrator pastes a State Council holiday
  notice, sees what the parser found and applies it: the calendar file is written into the local law
  directory (``CHUHAI_DATA_DIR/law``), the law version changes, the stock is screened again.
* :func:`rescreen_stock` — every open vehicle of every enterprise screened with the law now in force;
  the vehicles whose verdict changes are listed on a :class:`~chuhai.web.lawbook.models.LawChange` and
  audited with both law versions. :func:`detect_change` does the same when the local law directory
  changed behind the app's back (start-up, ``python -m chuhai.web law_update``, the law page).

The calendar is global (one law for every enterprise): only the site administrator (Django staff, the
platform operator) changes it; enterprise roles read it.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chuhai import lawbook, workdays
from chuhai.errors import InputError, PermissionDenied
from chuhai.lawbook import diff as law_diff
from chuhai.lawbook import notice as notices
from chuhai.services.deadlines import CaseDeadline
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import today
from chuhai.web.lawbook.models import LawChange, LawChangeCause
from chuhai.web.organisations.filings import OPEN_VEHICLE_STATES
from chuhai.web.organisations.models import Organisation, OrgKind
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle, Verdict

WARN_DAYS = workdays.HORIZON_WARNING_DAYS


# --- who may change the law ----------------------------------------------------------------------


def is_site_admin(user: Any) -> bool:
    """The site administrator: an active Django staff user (the platform operator who runs the site).
    An enterprise's own administrator role manages its enterprise, not the law every enterprise
    shares."""
    return bool(
        user is not None and user.is_authenticated and user.is_active and (user.is_staff or user.is_superuser)
    )


def require_site_admin(user: Any) -> None:
    if not is_site_admin(user):
        raise PermissionDenied(
            "only the site administrator (staff) changes the law: it is shared by every enterprise"
        )


def home_page(user: Any) -> str:
    """Where signing in leads: the law page for a site administrator who belongs to no enterprise (the
    enterprise pages are not theirs), else the dashboard."""
    from chuhai.web.organisations.models import Membership

    if is_site_admin(user):
        membership = Membership.objects.filter(user=user).select_related("organisation").first()
        if membership is None or membership.organisation.is_platform:
            return "ui:law"
    return "ui:dashboard"


def _label(user: Any) -> str:
    return user.get_username() if user is not None else "system"


# --- status ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LocalFile:
    name: str
    path: str
    replaces: bool  # a shipped file of the same name is read no more


@dataclass(frozen=True)
class LawStatus:
    version: str
    release: str
    local_dir: str | None
    local_files: tuple[LocalFile, ...]
    covered_years: tuple[int, ...]
    horizon: workdays.CalendarHorizon

    @property
    def calendar_ends(self) -> dt.date:
        return self.horizon.last_day

    @property
    def calendar_state(self) -> str:
        return self.horizon.state


def law_status(day: dt.date | None = None) -> LawStatus:
    law = lawbook.current()
    day = day or today()
    local = tuple(
        LocalFile(name, str(item.path), bool(item.replaces))
        for name, item in sorted(law.files.items())
        if item.local
    )
    return LawStatus(
        version=str(law.version),
        release=str(law.release),
        local_dir=str(law.local_dir) if law.local_dir is not None else None,
        local_files=local,
        covered_years=tuple(law.calendar.covered_years()),
        horizon=workdays.calendar_horizon(day, law.calendar),
    )


def horizon_message(horizon: workdays.CalendarHorizon, site_admin: bool = False) -> str | None:
    """The calendar warning in the active language (``None`` while more than 60 days are left)."""
    if horizon.state == "ok":
        return None
    values = {
        "last": horizon.last_day.isoformat(),
        "days": horizon.days_left,
        "next": horizon.last_day.year + 1,
        "warn": WARN_DAYS,
    }
    if horizon.state == "ending":
        text = _(
            "The working-day calendar ends on %(last)s (%(days)s days left). Working-day deadlines after "
            "it are provisional (counted on weekends only) until the State Council's %(next)s holiday "
            "notice is imported."
        )
    else:
        text = _(
            "The working-day calendar ended on %(last)s. Working-day deadlines after it are provisional "
            "(counted on weekends only) until the State Council's %(next)s holiday notice is imported."
        )
    who = (
        _("Paste the notice on the Law page once it is published.")
        if site_admin
        else _("The site administrator imports it once it is published.")
    )
    return f"{text % values} {who}"


# --- provisional deadlines ---------------------------------------------------------------------------


def provisional_years(deadline: CaseDeadline) -> tuple[int, ...]:
    """The years a provisional deadline was counted in without a holiday notice."""
    if not deadline.provisional or deadline.due is None or deadline.problem_year is None:
        return ()
    covered = set(lawbook.current().calendar.covered_years())
    years = tuple(y for y in range(deadline.problem_year, deadline.due.year + 1) if y not in covered)
    return years or (deadline.problem_year,)


def deadline_reason(deadline: CaseDeadline, lang: str) -> str | None:
    """Why a deadline has no date or only a provisional one, in ``lang`` (zh, en, ru, ar)."""
    if deadline.provisional:
        return workdays.Provisional(provisional_years(deadline)).reason(lang)
    return deadline.problem


# --- notices -------------------------------------------------------------------------------------------


def _local_dir() -> Path:
    target = lawbook.local_dir()
    if target is None:  # the settings always name one (CHUHAI_DATA_DIR/law); a bare process may not
        raise InputError("no local law directory: set CHUHAI_DATA_DIR or CHUHAI_LAW_DIR")
    return target


def preview_notice(
    user: Any,
    text: str,
    *,
    url: str,
    reprint: str | None = None,
    confidence: str | None = None,
    signed: dt.date | None = None,
) -> notices.NoticePreview:
    """What the notice's text gives (nothing written); an unreadable text raises ``NoticeUnreadable``
    naming the sentence."""
    require_site_admin(user)
    url = url.strip()
    if not url:
        raise InputError("url: the notice's official address (www.gov.cn) is its cited source")
    parsed = notices.parse_notice(text)
    return notices.preview_notice(
        parsed,
        lawbook.current(),
        url=url,
        reprint=(reprint or "").strip() or None,
        confidence=confidence or None,
        date=signed,
    )


def import_notice(
    user: Any,
    text: str,
    *,
    url: str,
    reprint: str | None = None,
    confidence: str | None = None,
    signed: dt.date | None = None,
    replace: bool = False,
) -> LawChange | None:
    """Write the notice's calendar file into the local law directory, then screen the stock again;
    ``None`` when the file was already there as written (the law version stays the same)."""
    preview = preview_notice(user, text, url=url, reprint=reprint, confidence=confidence, signed=signed)
    before = lawbook.current()
    path = notices.apply_notice(preview, _local_dir(), replace=replace)
    after = lawbook.current()
    if after.version == before.version:
        return None
    return rescreen_stock(
        user,
        LawChangeCause.NOTICE,
        before.version,
        law_changes=list(law_diff.diff_laws(before, after).to_json()["changes"]),
        target=str(path),
        summary=preview.lines(),
    )


# --- what a law change does to the stock ------------------------------------------------------------


def _open_vehicles(organisation: Organisation) -> list[Vehicle]:
    return list(
        Vehicle.objects.filter(organisation=organisation, state__in=OPEN_VEHICLE_STATES).order_by("id")
    )


def rescreen_stock(
    user: Any,
    cause: str,
    before_version: str,
    *,
    law_changes: list[dict[str, Any]] | None = None,
    target: str = "",
    summary: list[str] | None = None,
) -> LawChange:
    """Screen every open vehicle of every enterprise with the law now in force (as of today), save the
    screenings, and record the change: a :class:`LawChange` with the vehicles whose verdict changed, an
    audit event for the change, one per enterprise and one per vehicle whose verdict changed — each
    with both law versions."""
    after_version = screening.law_version()
    day = today()
    label = _label(user)
    with transaction.atomic():
        change = LawChange.objects.create(
            actor=user,
            actor_label=label,
            cause=cause,
            before_version=before_version,
            after_version=after_version,
            law_changes=law_changes or [],
            target=target,
            summary=summary or [],
        )
        rows: list[dict[str, Any]] = []
        events: list[AuditEvent] = []
        screened = 0
        for organisation in Organisation.objects.exclude(kind=OrgKind.PLATFORM).order_by("id"):
            vehicles = _open_vehicles(organisation)
            if not vehicles:
                continue
            old = {v.pk: (v.verdict, v.law_version) for v in vehicles}
            screening.rescreen(vehicles, organisation, day)
            # One UPDATE per vehicle: measured 8x faster than bulk_update's CASE expressions over the
            # screening's JSON fields (142 demo vehicles: 0.05 s against 0.38 s on SQLite).
            for v in vehicles:
                Vehicle.objects.filter(pk=v.pk).update(
                    **{f: getattr(v, f) for f in screening.SCREENING_FIELDS}
                )
            screened += len(vehicles)
            changed = [v for v in vehicles if v.verdict != old[v.pk][0]]
            for v in changed:
                rows.append(
                    {
                        "organisation_id": organisation.pk,
                        "organisation": organisation.name,
                        "vehicle_id": v.pk,
                        "vin": v.vin,
                        "label": f"{v.brand} {v.model}".strip(),
                        "before": old[v.pk][0],
                        "after": v.verdict,
                    }
                )
                events.append(
                    AuditEvent(
                        organisation=organisation,
                        actor=user,
                        actor_label=label,
                        object_type="vehicle",
                        object_id=v.pk,
                        vin=v.vin,
                        transition="vehicle.law_rescreen",
                        before={"verdict": old[v.pk][0], "law_version": old[v.pk][1]},
                        after={"verdict": v.verdict, "law_version": after_version},
                        law_version=after_version,
                    )
                )
            before_counts = Counter(verdict for verdict, _v in old.values())
            after_counts = Counter(v.verdict for v in vehicles)
            events.append(
                AuditEvent(
                    organisation=organisation,
                    actor=user,
                    actor_label=label,
                    object_type="lawchange",
                    object_id=change.pk,
                    transition="law.rescreen",
                    before={"law_version": before_version, "verdicts": dict(before_counts)},
                    after={
                        "law_version": after_version,
                        "verdicts": dict(after_counts),
                        "screened": len(vehicles),
                        "verdict_changes": len(changed),
                    },
                    law_version=after_version,
                )
            )
        change.screened = screened
        change.verdict_changes = rows
        change.save(update_fields=["screened", "verdict_changes"])
        events.append(
            AuditEvent(
                organisation=None,
                actor=user,
                actor_label=label,
                object_type="lawchange",
                object_id=change.pk,
                transition=f"law.{cause}",
                before={"law_version": before_version},
                after={
                    "law_version": after_version,
                    "file": target,
                    "screened": screened,
                    "verdict_changes": len(rows),
                },
                law_version=after_version,
            )
        )
        AuditEvent.objects.bulk_create(events, batch_size=500)
    return change


def stale_versions() -> Counter[str]:
    """The law versions open vehicles were last screened with, other than the one in force."""
    current = screening.law_version()
    rows = (
        Vehicle.objects.filter(state__in=OPEN_VEHICLE_STATES)
        .exclude(law_version__in=["", current])
        .values_list("law_version", flat=True)
    )
    return Counter(rows)


def detect_change(user: Any = None) -> LawChange | None:
    """If open vehicles were screened with another law than the one in force (the local law directory
    or the release changed), screen the stock again and record it; else ``None``.

    The law they were screened with is no longer on disk, so the change record lists what the local
    law directory changes against the shipped law (``chuhai law diff``) instead.
    """
    lawbook.refresh()
    stale = stale_versions()
    if not stale:
        return None
    before, _count = stale.most_common(1)[0]
    summary = [f"screened with {version}: {count} open vehicle(s)" for version, count in stale.most_common()]
    summary.append("the changes listed are those of the local law directory against the shipped law")
    return rescreen_stock(
        user,
        LawChangeCause.LAW_DIRECTORY,
        before,
        law_changes=list(shipped_diff().to_json()["changes"]),
        summary=summary,
    )


def shipped_diff() -> law_diff.LawDiff:
    """What the local law directory changes against the shipped law (``chuhai law diff``)."""
    current = lawbook.current()
    return law_diff.diff_laws(lawbook.load(None), current)


def changes_for(user: Any, organisation: Organisation | None) -> list[LawChange]:
    """The latest 50 changes of the law. A change is global (it re-screens every enterprise), so every
    reader sees every change; what an enterprise sees of its vehicles is :func:`verdict_rows`."""
    if not is_site_admin(user) and organisation is None:
        raise PermissionDenied("this account belongs to no organisation")
    return list(LawChange.objects.all()[:50])


def verdict_rows(change: LawChange, user: Any, organisation: Organisation | None) -> list[dict[str, Any]]:
    """The vehicles whose verdict the change moved, limited to the reader's enterprise (all of them
    for the site administrator), with the verdicts' labels."""
    labels = dict(Verdict.choices)
    rows = change.verdict_changes
    if not is_site_admin(user):
        if organisation is None:
            raise PermissionDenied("this account belongs to no organisation")
        rows = [r for r in rows if r["organisation_id"] == organisation.pk]
    return [
        {
            **r,
            "before_label": labels.get(r["before"], r["before"]),
            "after_label": labels.get(r["after"], r["after"]),
        }
        for r in rows
    ]
