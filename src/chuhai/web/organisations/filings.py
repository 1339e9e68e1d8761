"""The enterprise filing case (二手车出口企业备案): draft → submitted → approved / rejected.

The provincial commerce department reviews a filing within ``exporter.filing_review_working_days``
working days and an approval is valid ``exporter.filing_validity_years`` (regulations.md §1g); the
service records the department's decisions, it does not take them. An approval changes what the
engine says about every vehicle of the enterprise (``exporter.not_filed`` / ``filing_expired``), so
the enterprise's open vehicles are re-screened in the same transaction.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction

from chuhai.errors import Conflict, ValidationError
from chuhai.services.statemachine import StateMachine, Transition
from chuhai.web.cases.context import Actor, get_scoped, scoped, today
from chuhai.web.cases.transitions import record, run, snapshot
from chuhai.web.organisations.models import EnterpriseFiling, FilingState, Organisation
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle, VehicleState
from chuhai.web.vehicles.services import _date

F = FilingState
log = logging.getLogger("chuhai.security")

USCC_INVALID = "exporter.uscc_invalid"

# Vehicles whose screening still matters (not yet exported or withdrawn).
OPEN_VEHICLE_STATES = [
    VehicleState.OFFERED,
    VehicleState.DEPOSIT_PAID,
    VehicleState.PURCHASED,
    VehicleState.TRANSFER_REGISTERED,
    VehicleState.IN_LICENCE,
]


def uscc_valid(filing: EnterpriseFiling, params: dict[str, Any]) -> list[str]:
    from chuhai.identifiers import uscc

    return [] if uscc.is_valid(filing.organisation.uscc or "") else [USCC_INVALID]


def submit(filing: EnterpriseFiling, params: dict[str, Any]) -> None:
    filing.submitted_on = _date(params, "submitted_on", today())


def approve(filing: EnterpriseFiling, params: dict[str, Any]) -> None:
    approved_on = _date(params, "approved_on", today())
    if filing.submitted_on and approved_on and approved_on < filing.submitted_on:
        raise ValidationError("approved_on: cannot predate the submission")
    filing.approved_on = approved_on
    if params.get("reference"):
        filing.reference = str(params["reference"])
    params["_rescreen"] = True


def reject(filing: EnterpriseFiling, params: dict[str, Any]) -> None:
    filing.rejected_on = _date(params, "rejected_on", today())
    if params.get("reason"):
        filing.notes = str(params["reason"])


MACHINE: StateMachine[EnterpriseFiling] = StateMachine(
    "filing",
    states=tuple(F.values),
    transitions=(
        Transition("submit", (F.DRAFT,), F.SUBMITTED, "comply", guards=(uscc_valid,), effect=submit),
        Transition("approve", (F.SUBMITTED,), F.APPROVED, "comply", effect=approve),
        Transition("reject", (F.SUBMITTED,), F.REJECTED, "comply", effect=reject),
    ),
)


def create(actor: Actor, data: dict[str, Any]) -> EnterpriseFiling:
    actor.require("comply")
    with transaction.atomic():
        filing = EnterpriseFiling.objects.create(
            organisation=actor.organisation,
            reference=str(data.get("reference") or ""),
            notes=str(data.get("notes") or ""),
        )
        record(actor, filing, "filing.create", {}, snapshot(filing))
    return filing


def rescreen_organisation(actor: Actor, organisation: Organisation) -> int:
    """Re-screen every open vehicle of the enterprise (one engine call), saving the snapshots."""
    vehicles = list(Vehicle.objects.filter(organisation=organisation, state__in=OPEN_VEHICLE_STATES))
    screening.rescreen(vehicles, organisation, today())
    Vehicle.objects.bulk_update(
        vehicles,
        list(screening.SCREENING_FIELDS),
        batch_size=200,
    )
    return len(vehicles)


def transition(
    actor: Actor, filing_id: int, name: str, params: dict[str, Any] | None = None
) -> EnterpriseFiling:
    params = dict(params or {})
    with transaction.atomic():
        filing = run(actor, MACHINE, EnterpriseFiling, filing_id, name, params)
        if name == "approve":
            rescreen_organisation(actor, actor.organisation)
    return filing


# The enterprise's own settings: what the API shows and an administrator may edit.
ENTERPRISE_FIELDS = (
    "name",
    "uscc",
    "enterprise_kind",
    "province",
    "city",
    "address",
    "authorised_by",
    "project_documents",
)


def update_enterprise(actor: Actor, data: dict[str, Any]) -> Organisation:
    """Enterprise settings (admin only); a USCC is validated before it is stored."""
    from chuhai.identifiers import uscc

    unknown = set(data) - set(ENTERPRISE_FIELDS)
    if unknown:
        raise ValidationError(f"{', '.join(sorted(unknown))}: not an editable enterprise field")
    with transaction.atomic():
        org = get_scoped(actor, Organisation, actor.organisation.pk, "manage", lock=True)
        before = snapshot(org)
        if "uscc" in data:
            data["uscc"] = uscc.validate(str(data["uscc"]))
            if Organisation.objects.filter(uscc=data["uscc"]).exclude(pk=org.pk).exists():
                _uscc_refused(org, data["uscc"])
        for key, value in data.items():
            setattr(org, key, value)
        try:
            with transaction.atomic():
                org.save()
        except IntegrityError:  # the same code stored at the same moment by another enterprise
            _uscc_refused(org, data.get("uscc", ""))
        record(actor, org, "enterprise.update", before, snapshot(org))
        rescreen_organisation(actor, org)
    return org


def _uscc_refused(org: Organisation, code: str) -> None:
    """Another enterprise on this service holds the code: refuse without saying which (or that one
    does: the words are those of any code that cannot be taken), and tell the platform operator."""
    log.warning("enterprise %s tried the USCC of another enterprise (%s)", org.pk, code)
    raise Conflict(USCC_UNAVAILABLE)


USCC_UNAVAILABLE = (
    "uscc: this code cannot be recorded for your enterprise; if it is yours, ask the platform operator"
)


def history(actor: Actor) -> list[EnterpriseFiling]:
    return list(scoped(actor, EnterpriseFiling).order_by("-created_at", "-id"))
