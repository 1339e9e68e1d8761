"""``GET /api/law``: the law in force and how long its working-day calendar lasts, for API clients that
show deadlines (a deadline past the calendar comes back with ``provisional: true`` and the reason).

Every API response also carries ``X-Chuhai-Law-Version`` and, from 60 days before the calendar data
ends, ``X-Chuhai-Calendar-Warning`` (:mod:`chuhai.web.lawbook.middleware`).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from chuhai.web.api.routing import ERRORS, endpoint, request_actor
from chuhai.web.lawbook import services
from chuhai.web.lawbook.models import LawChange

router = Router(tags=["law"])


class LocalFileOut(Schema):
    name: str
    replaces_shipped: bool


class CalendarOut(Schema):
    covered_years: list[int]
    ends: str
    days_left: int
    state: str  # ok | ending (60 days or fewer left) | ended
    warning: dict[str, str] | None  # zh, en, ru, ar; null while the data lasts


class LawChangeOut(Schema):
    id: int
    created_at: str
    cause: str
    before_version: str
    after_version: str
    screened: int
    verdict_changes: list[dict[str, Any]]  # the caller's vehicles whose verdict changed


class LawOut(Schema):
    version: str
    release: str
    local_files: list[LocalFileOut]
    calendar: CalendarOut
    changes: list[LawChangeOut]


LANGS = ("zh", "en", "ru", "ar")


@endpoint(router, "GET", "/law", response={200: LawOut, **ERRORS}, capability="view")
def get_law(request: HttpRequest) -> Any:
    """The law version, the local law directory's files, the calendar's end (and its warning in four
    languages from 60 days before), and the latest changes of the law with the caller's vehicles whose
    verdict they changed."""
    actor = request_actor(request)
    status = services.law_status()
    horizon = status.horizon
    warning = None
    if horizon.state != "ok":
        warning = {lang: horizon.message(lang) or "" for lang in LANGS}
    changes = []
    for change in LawChange.objects.all()[:10]:
        mine = [r for r in change.verdict_changes if r["organisation_id"] == actor.organisation.pk]
        changes.append(
            {
                "id": change.pk,
                "created_at": change.created_at.isoformat(),
                "cause": change.cause,
                "before_version": change.before_version,
                "after_version": change.after_version,
                "screened": change.screened,
                "verdict_changes": [
                    {k: r[k] for k in ("vehicle_id", "vin", "before", "after")} for r in mine
                ],
            }
        )
    return {
        "version": status.version,
        "release": status.release,
        "local_files": [{"name": f.name, "replaces_shipped": f.replaces} for f in status.local_files],
        "calendar": {
            "covered_years": list(status.covered_years),
            "ends": status.calendar_ends.isoformat(),
            "days_left": horizon.days_left,
            "state": horizon.state,
            "warning": warning,
        },
        "changes": changes,
    }
