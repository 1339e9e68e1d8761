# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""The append-only audit trail: one row per state change, never updated or deleted.

Regulators may ask for the full history of any VIN; every transition therefore writes an
:class:`AuditEvent` in the same transaction as the change (who, when, before, after, law version).
The model and its manager refuse updates and deletes; on PostgreSQL a trigger (migration 0002)
refuses them even for raw SQL.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from chuhai.errors import PermissionDenied


class AppendOnlyError(PermissionDenied):
    code = "audit_append_only"


class AuditQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only")


class AuditEvent(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, related_name="audit_events"
    )
    # PROTECT: an actor with history is deactivated, never deleted (SET_NULL would rewrite events).
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    object_type = models.CharField(_("object type"), max_length=40)
    object_id = models.BigIntegerField(_("object id"))
    vin = models.CharField(_("VIN"), max_length=17, blank=True, default="", db_index=True)
    transition = models.CharField(_("transition"), max_length=60)
    before = models.JSONField(_("before"), default=dict)
    after = models.JSONField(_("after"), default=dict)
    law_version = models.CharField(_("law version"), max_length=60, blank=True, default="")
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.object_type}#{self.object_id} {self.transition}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only")
