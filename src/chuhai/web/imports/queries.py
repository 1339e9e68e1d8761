"""Read-only queries of the import pages, built on the organisation scoping."""

from __future__ import annotations

from django.db.models import QuerySet

from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, scoped
from chuhai.web.imports.models import ImportJob
from chuhai.web.vehicles.models import Vehicle


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
