# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Export licence applications ("一批一证") and their lines, one slot per vehicle per commodity code.

The per-code limit is a database invariant: a line's ``slot`` is unique per (licence, commodity
code) and must lie between 1 and the law's ``licence.max_vehicles_per_code`` (20 under 2024 No. 6,
regulations.md §2). A vehicle may sit on at most one *open* licence (draft, submitted or issued):
``open`` is kept on the line so that a conditional unique constraint can hold it.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

# The number of vehicles one used-car licence may list under one commodity code. The law keeps it as
# parameter ``licence.max_vehicles_per_code`` (2024 No. 6, via bramblepropertysearch.com summary,
# secondary-source); a constraint cannot read the law at migration time, so the value is encoded here
# and tests/web/test_constraints.py asserts it equals the law's current value.
MAX_SLOTS_PER_CODE = 20


class LicenceState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    ISSUED = "issued", _("Issued")
    REJECTED = "rejected", _("Rejected")
    USED = "used", _("Used")
    LAPSED = "lapsed", _("Lapsed")


OPEN_LICENCE_STATES = frozenset({LicenceState.DRAFT, LicenceState.SUBMITTED, LicenceState.ISSUED})


class LicenceApplication(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="licences",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=LicenceState.choices, default=LicenceState.DRAFT
    )
    destination = models.CharField(_("destination"), max_length=2, blank=True, default="")
    export_contract = models.ForeignKey(
        "aftersales.ExportContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="licences",
        verbose_name=_("export contract"),
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    licence_number = models.CharField(_("licence number"), max_length=40, blank=True, default="")
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licence application")
        verbose_name_plural = _("licence applications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="issued")
                | (models.Q(issued_on__isnull=False) & ~models.Q(licence_number="")),
                name="licence_issued_has_number_and_date",
            ),
            # One destination per licence: it is printed on the licence, so none leaves the draft without.
            models.CheckConstraint(
                condition=models.Q(state="draft") | ~models.Q(destination=""),
                name="licence_destination_after_draft",
            ),
        ]

    def __str__(self) -> str:
        return self.licence_number or f"#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_LICENCE_STATES


class LicenceLine(models.Model):
    licence = models.ForeignKey(LicenceApplication, on_delete=models.CASCADE, related_name="lines")
    vehicle = models.ForeignKey("vehicles.Vehicle", on_delete=models.PROTECT, related_name="licence_lines")
    commodity_code = models.CharField(_("commodity code"), max_length=10)
    slot = models.PositiveSmallIntegerField(_("slot"))
    open = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("licence line")
        verbose_name_plural = _("licence lines")
        ordering = ["commodity_code", "slot"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "commodity_code", "slot"], name="licence_line_slot_unique"
            ),
            # 20 = law parameter licence.max_vehicles_per_code (see MAX_SLOTS_PER_CODE).
            models.CheckConstraint(
                condition=models.Q(slot__gte=1) & models.Q(slot__lte=MAX_SLOTS_PER_CODE),
                name="licence_line_slot_within_max_per_code",
            ),
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=models.Q(open=True),
                name="licence_line_one_open_licence_per_vehicle",
            ),
            models.UniqueConstraint(
                fields=["licence", "vehicle"], name="licence_line_vehicle_once_per_licence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence} {self.commodity_code}/{self.slot}"
