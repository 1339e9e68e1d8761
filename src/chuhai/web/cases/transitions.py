"""Running a transition: lock, check, apply, save and audit, in one database transaction.

:func:`run` is the only way a case changes state from the outside (API, pages, demo loader);
:func:`apply_internal` is used by a transition's effect to move related cases (e.g. issuing a licence
moves its vehicles to "licensed") inside the same transaction, with their own audit events.
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models, transaction

from chuhai.errors import PermissionDenied
from chuhai.services.statemachine import StateMachine
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, M, get_scoped
from chuhai.web.vehicles.screening import law_version

# Fields left out of audit snapshots: bookkeeping that changes on every save.
_SKIP_FIELDS = {"updated_at", "screened_at"}


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def snapshot(obj: models.Model) -> dict[str, Any]:
    """The concrete field values of a row, JSON-safe (foreign keys as ids)."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if field.name in _SKIP_FIELDS:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only what changed (the state always included), so the trail stays readable. Keys of either side
    count: a deletion (``after`` = ``{"deleted": True}``) keeps the whole row it removed in ``before``."""
    keys = [k for k in {**before, **after} if before.get(k) != after.get(k)]
    if "state" in after and "state" not in keys:
        keys.insert(0, "state")
    return {k: before.get(k) for k in keys}, {k: after.get(k) for k in keys}


def record(
    actor: Actor,
    obj: models.Model,
    transition: str,
    before: dict[str, Any],
    after: dict[str, Any],
    vin: str = "",
) -> AuditEvent:
    """Append one audit event (inside the caller's transaction)."""
    old, new = diff(before, after)
    return AuditEvent.objects.create(
        organisation=actor.organisation,
        actor=actor.user,
        actor_label=actor.label,
        object_type=obj._meta.model_name or "",
        object_id=obj.pk,
        vin=vin or str(getattr(obj, "vin", "") or ""),
        transition=transition,
        before=old,
        after=new,
        law_version=law_version(),
    )


def _prepare(actor: Actor, params: dict[str, Any] | None) -> dict[str, Any]:
    prepared = dict(params or {})
    prepared["actor"] = actor
    return prepared


def apply_internal(
    actor: Actor, machine: StateMachine[Any], obj: models.Model, name: str, params: dict[str, Any]
) -> None:
    """Run a transition of a related case from inside another transition's effect (already locked)."""
    transition = machine.check(obj, name, params)
    before = snapshot(obj)
    transition.effect(obj, params)
    setattr(obj, machine.state_attr, transition.target)
    obj.save()
    record(actor, obj, f"{machine.name}.{name}", before, snapshot(obj))


def run(
    actor: Actor,
    machine: StateMachine[Any],
    model: type[M],
    pk: Any,
    name: str,
    params: dict[str, Any] | None = None,
) -> M:
    """Lock the row of the actor's organisation, check the transition, apply it, save and audit it."""
    transition = machine.get(name)
    if transition.permission == "system":
        raise PermissionDenied(f"{machine.name}: {name!r} happens only as part of another transition")
    actor.require(transition.permission)
    prepared = _prepare(actor, params)
    with transaction.atomic():
        obj = get_scoped(actor, model, pk, transition.permission, lock=True)
        machine.check(obj, name, prepared)
        before = snapshot(obj)
        transition.effect(obj, prepared)
        setattr(obj, machine.state_attr, transition.target)
        obj.save()
        record(actor, obj, f"{machine.name}.{name}", before, snapshot(obj))
    return obj
