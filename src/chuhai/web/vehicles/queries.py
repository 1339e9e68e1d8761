"""Read-only queries the pages need and the services do not offer, each built on the case-management
service's organisation scoping (:func:`chuhai.web.cases.context.scoped`): no query here can reach
another organisation's rows. Nothing here changes data; every change goes through a service function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from chuhai.web.aftersales.models import ConfirmationLetter, ExportContract
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.customs.models import CustomsDeclaration, DeclarationItem
from chuhai.web.licences.models import LicenceApplication, LicenceLine
from chuhai.web.vehicles.filters import VehicleFilters
from chuhai.web.vehicles.models import Vehicle


def vehicles(actor: Actor, filters: VehicleFilters) -> QuerySet[Vehicle]:
    """The organisation's vehicles narrowed by the list's filters (:class:`VehicleFilters`, shared with
    the API)."""
    return filters.apply(scoped(actor, Vehicle).order_by("id"))


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
