# ruff: noqa: RUF012 - Django Meta options are class data
"""One row per change of the law the web app runs on, and what it did to the stock.

A change is an imported holiday notice, or a change of the local law directory found at start-up or by
``python -m chuhai.web law_update``. The row keeps both law versions, what changed in the law, how many
open vehicles were screened again and every vehicle whose verdict changed (before → after); the audit
trail has the same event (object type ``lawchange``) and one event per vehicle that changed verdict.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class LawChangeCause(models.TextChoices):
    NOTICE = "notice", _("Holiday notice imported")
    LAW_DIRECTORY = "law_directory", _("Local law directory changed")


class LawChange(models.Model):
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    cause = models.CharField(_("cause"), max_length=20, choices=LawChangeCause.choices)
    before_version = models.CharField(_("law version before"), max_length=60)
    after_version = models.CharField(_("law version after"), max_length=60)
    # What changed in the law (chuhai.lawbook.diff.LawDiff.to_json()["changes"]), and for a notice the
    # file written and what the parser found.
    law_changes = models.JSONField(_("changes of the law"), default=list)
    target = models.CharField(_("file"), max_length=200, blank=True, default="")
    summary = models.JSONField(_("summary"), default=list)
    screened = models.PositiveIntegerField(_("vehicles screened"), default=0)
    # [{organisation_id, organisation, vehicle_id, vin, label, before, after}] for each vehicle whose
    # verdict changed.
    verdict_changes = models.JSONField(_("verdict changes"), default=list)

    class Meta:
        verbose_name = _("law change")
        verbose_name_plural = _("law changes")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.before_version} → {self.after_version}"

    @property
    def changed_count(self) -> int:
        return len(self.verdict_changes)
