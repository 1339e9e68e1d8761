"""Read-only queries the pages need and the services do not offer, each built on the case-management
service's organisation scoping (:func:`chuhai.web.cases.context.scoped`): no query here can reach
another organisation's rows. Nothing here changes data; every change goes through a service function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from chuhai.web.aftersales.models import ConfirmationLetter, ExportContract
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.customs.models import CustomsDeclaration, DeclarationItem
from chuhai.web.licences.models import LicenceApplication, LicenceLine
from chuhai.web.vehicles.models import Vehicle

VEHICLE_FILTERS = ("state", "verdict", "rule", "destination", "brand", "vin", "age_min", "age_max")


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def vehicles(actor: Actor, filters: dict[str, str], day: dt.date) -> QuerySet[Vehicle]:
    """The organisation's vehicles narrowed by the list page's filters (all optional, combined).

    ``age_min``/``age_max`` are whole years since first registration ("registration age").
    """
    qs = scoped(actor, Vehicle).order_by("id")
    if filters.get("state"):
        qs = qs.filter(state=filters["state"])
    if filters.get("verdict"):
        qs = qs.filter(verdict=filters["verdict"])
    if filters.get("rule"):
        qs = qs.filter(rules_index__contains=f",{filters['rule']},")
    if filters.get("destination"):
        qs = qs.filter(destination=filters["destination"].upper())
    if filters.get("brand"):
        qs = qs.filter(brand=filters["brand"])
    if filters.get("vin"):
        qs = qs.filter(vin__icontains=filters["vin"].strip())
    if str(filters.get("age_min") or "").isdigit():
        qs = qs.filter(registration_date__lte=_years_before(day, int(filters["age_min"])))
    if str(filters.get("age_max") or "").isdigit():
        # younger than age_max + 1 full years
        qs = qs.filter(registration_date__gt=_years_before(day, int(filters["age_max"]) + 1))
    return qs


def counts(actor: Actor, field_name: str) -> dict[str, int]:
    rows = scoped(actor, Vehicle).order_by().values(field_name).annotate(n=Count("id"))
    return {row[field_name]: row["n"] for row in rows}


def filter_choices(actor: Actor) -> dict[str, list[str]]:
    """Brands, destinations and rule ids present in the organisation's stock (for the filter menus)."""
    qs = scoped(actor, Vehicle)
    brands = sorted({b for b in qs.values_list("brand", flat=True).distinct() if b})
    destinations = sorted({d for d in qs.values_list("destination", flat=True).distinct() if d})
    rules: set[str] = set()
    for index in qs.exclude(rules_index="").values_list("rules_index", flat=True).distinct():
        rules.update(r for r in index.split(",") if r)
    return {"brands": brands, "destinations": destinations, "rules": sorted(rules)}


def vehicle_history(actor: Actor, vehicle: Vehicle) -> QuerySet[AuditEvent]:
    """Every audit event about the car: its own transitions and events that name its VIN."""
    return (
        scoped(actor, AuditEvent)
        .filter(Q(vin=vehicle.vin) | Q(object_type="vehicle", object_id=vehicle.pk))
        .order_by("created_at", "id")
    )


@dataclass
class VehicleDocuments:
    contract: ExportContract | None
    licence_lines: list[LicenceLine] = field(default_factory=list)
    declaration_items: list[DeclarationItem] = field(default_factory=list)
    letters: list[ConfirmationLetter] = field(default_factory=list)


def vehicle_documents(actor: Actor, vehicle: Vehicle) -> VehicleDocuments:
    """The papers of one car's case: its contract, licences, declarations and after-sales letters."""
    licences = scoped(actor, LicenceApplication)
    lines = list(
        LicenceLine.objects.filter(vehicle=vehicle, licence__in=licences)
        .select_related("licence")
        .order_by("id")
    )
    items = list(
        DeclarationItem.objects.filter(vehicle=vehicle, declaration__in=scoped(actor, CustomsDeclaration))
        .select_related("declaration")
        .order_by("id")
    )
    letter_qs = scoped(actor, ConfirmationLetter).filter(licence_id__in=[line.licence_id for line in lines])
    letters = [letter for letter in letter_qs.order_by("id") if vehicle.vin in (letter.vins or [])]
    contract = (
        scoped(actor, ExportContract).filter(pk=vehicle.export_contract_id).first()
        if vehicle.export_contract_id
        else None
    )
    return VehicleDocuments(contract, lines, items, letters)


def verdict_counts(qs: QuerySet[Vehicle]) -> dict[str, int]:
    rows = qs.order_by().values("verdict").annotate(n=Count("id"))
    return {row["verdict"]: row["n"] for row in rows}
