# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Stock-file imports run as background jobs: progress, outcome and the row-level error report.

The job row is updated *outside* the transaction that writes the vehicles, so progress is visible
while the import runs, and a worker killed mid-import leaves the job visibly unfinished (never half
the vehicles): see :mod:`chuhai.web.imports.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SCREENING = "screening", _("Screening")
    WRITING = "writing", _("Writing")
    SUCCEEDED = "succeeded", _("Succeeded")
    REJECTED = "rejected", _("Rejected: errors in the file")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="import_jobs",
        verbose_name=_("organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    as_of = models.DateField(_("as of"))
    state = models.CharField(_("state"), max_length=20, choices=JobState.choices, default=JobState.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    created_count = models.PositiveIntegerField(_("vehicles created"), default=0)
    updated_count = models.PositiveIntegerField(_("vehicles updated"), default=0)
    errors = models.JSONField(_("row-level errors"), default=list, blank=True)
    # Prohibition facts the uploader attested for every vehicle of the file whose cell is empty
    # (chuhai.schema.PROHIBITION_FACTS; recorded in the audit trail when submitted).
    attests = models.JSONField(_("facts attested for the file"), default=list, blank=True)
    # What the reader made of each column of the file: used (as which field) or not used, with the
    # field a header probably means (chuhai.io.readers.RawTable.column_summary).
    columns = models.JSONField(_("columns of the file"), default=dict, blank=True)
    message = models.TextField(_("message"), blank=True, default="")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # The lease (chuhai.web.imports.leases): which worker holds the job and until when it must renew.
    # Empty owner = nobody holds it. A holder that stopped renewing (or whose process is gone) has its
    # job retried or failed with the reason.
    lease_owner = models.CharField(_("held by"), max_length=120, blank=True, default="")
    lease_expires_at = models.DateTimeField(_("lease expires at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    size = models.PositiveBigIntegerField(_("file size (bytes)"), default=0)
    law_version = models.CharField(_("law version"), max_length=60, blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "lease_owner"], name="importjob_state_lease")]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.state})"

    @property
    def finished(self) -> bool:
        return self.state in {JobState.SUCCEEDED, JobState.REJECTED, JobState.FAILED}
