"""Read-only queries the pages need and the services do not offer, each built on the case-management
service's organisation scoping (:func:`chuhai.web.services.context.scoped`): no query here can reach
another organisation's rows. Nothing here changes data; every change goes through a service function.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from chuhai.web.aftersales.models import ConfirmationLetter, ContractState, ExportContract
from chuhai.web.audit.models import AuditEvent
from chuhai.web.customs.models import CustomsDeclaration, DeclarationItem
from chuhai.web.imports.models import ImportJob
from chuhai.web.licences.models import OPEN_LICENCE_STATES, LicenceApplication, LicenceLine, LicenceState
from chuhai.web.organisations.models import Membership
from chuhai.web.services.context import Actor, scoped
from chuhai.web.vehicles.models import Vehicle, VehicleState

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


def licences(actor: Actor) -> QuerySet[LicenceApplication]:
    return (
        scoped(actor, LicenceApplication)
        .select_related("export_contract")
        .annotate(vehicle_count=Count("lines", filter=Q(lines__open=True)))
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


def active_contracts(actor: Actor) -> QuerySet[ExportContract]:
    return scoped(actor, ExportContract).filter(state=ContractState.ACTIVE).order_by("destination", "number")


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


@dataclass
class PlannedBatch:
    commodity_code: str
    destination: str
    vehicles: list[Vehicle]
    contract: ExportContract | None


def licence_plan(actor: Actor, limit: int) -> list[PlannedBatch]:
    """Group the eligible vehicles into the fewest licences (``chuhai.batching.plan_groups``: one
    commodity code and destination per licence, at most ``limit`` per code) and pair each with an
    active export contract for its destination, if there is one."""
    from chuhai.batching import plan_groups

    candidates = list(eligible_for_licence(actor))
    by_vin = {v.vin: v for v in candidates}
    contracts: dict[str, ExportContract] = {}
    for contract in active_contracts(actor).order_by("-signed_on", "-id"):
        contracts.setdefault(contract.destination, contract)
    groups = plan_groups(((v.vin, v.commodity_code, v.destination) for v in candidates), limit)
    return [
        PlannedBatch(code, destination, [by_vin[vin] for vin in vins], contracts.get(destination))
        for code, destination, vins in groups
    ]


def declarations(actor: Actor) -> QuerySet[CustomsDeclaration]:
    return (
        scoped(actor, CustomsDeclaration)
        .select_related("licence")
        .annotate(item_count=Count("items"))
        .order_by("-id")
    )


def declaration_items(actor: Actor, declaration: CustomsDeclaration) -> list[DeclarationItem]:
    return list(
        DeclarationItem.objects.filter(
            declaration__in=scoped(actor, CustomsDeclaration), declaration=declaration
        )
        .select_related("vehicle")
        .order_by("commodity_code", "id")
    )


def import_jobs(actor: Actor) -> QuerySet[ImportJob]:
    return scoped(actor, ImportJob).order_by("-id")


def imported_vehicles(actor: Actor, job: ImportJob) -> QuerySet[Vehicle]:
    """The vehicles an import wrote, found through the audit events it appended while it ran."""
    if job.started_at is None:
        return scoped(actor, Vehicle).none()
    events = scoped(actor, AuditEvent).filter(
        object_type="vehicle",
        transition__in=["vehicle.import", "vehicle.import_update"],
        created_at__gte=job.started_at,
    )
    if job.finished_at is not None:
        events = events.filter(created_at__lte=job.finished_at)
    return scoped(actor, Vehicle).filter(pk__in=events.values("object_id")).order_by("id")


def verdict_counts(qs: QuerySet[Vehicle]) -> dict[str, int]:
    rows = qs.order_by().values("verdict").annotate(n=Count("id"))
    return {row["verdict"]: row["n"] for row in rows}


def staff(actor: Actor) -> QuerySet[Membership]:
    return scoped(actor, Membership).select_related("user").order_by("user__username")
