"""Read-only queries of the licence pages, built on the organisation scoping
(:func:`chuhai.web.cases.context.scoped`): no query here can reach another organisation's rows.
"""

from __future__ import annotations

from django.db.models import Count, QuerySet

from chuhai.web.aftersales.models import ConfirmationLetter
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.licences.models import OPEN_LICENCE_STATES, LicenceApplication, LicenceLine, LicenceState
from chuhai.web.vehicles.models import Vehicle, VehicleState


def licences(actor: Actor) -> QuerySet[LicenceApplication]:
    return (
        scoped(actor, LicenceApplication)
        .select_related("export_contract")
        # Every line: a used or lapsed licence still lists the vehicles it was for.
        .annotate(vehicle_count=Count("lines"))
        .order_by("-id")
    )


def licences_in_review(actor: Actor) -> QuerySet[LicenceApplication]:
    return licences(actor).filter(state=LicenceState.SUBMITTED)


def draft_licences(actor: Actor) -> QuerySet[LicenceApplication]:
    return licences(actor).filter(state=LicenceState.DRAFT)


def licence_lines(actor: Actor, licence: LicenceApplication) -> list[LicenceLine]:
    return list(
        LicenceLine.objects.filter(licence__in=scoped(actor, LicenceApplication), licence=licence)
        .select_related("vehicle")
        .order_by("-open", "commodity_code", "slot")
    )


def licence_letters(actor: Actor, licence: LicenceApplication) -> list[ConfirmationLetter]:
    return list(scoped(actor, ConfirmationLetter).filter(licence=licence).order_by("manufacturer"))


def eligible_for_licence(actor: Actor) -> QuerySet[Vehicle]:
    """Vehicles that can go on a new licence now: registered "转让待出口", eligible, on no open licence."""
    on_open = LicenceLine.objects.filter(open=True, licence__state__in=OPEN_LICENCE_STATES).values(
        "vehicle_id"
    )
    return (
        scoped(actor, Vehicle)
        .filter(state=VehicleState.TRANSFER_REGISTERED, verdict="eligible")
        .exclude(commodity_code="")
        .exclude(destination="")
        .exclude(pk__in=on_open)
        .order_by("id")
    )
