# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Customs declarations (报关单): one per licence batch, one item per vehicle.

The product name and declaration elements (申报要素) are filled from the vehicle and its screening
(``customs_name`` comes from the engine: "旧+品牌+排气量+车型", regulations.md §4). The clearance date
starts each vehicle's deregistration clock (``registration.deregistration_months``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclarationState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    FILED = "filed", _("Filed")
    CLEARED = "cleared", _("Cleared")
    CANCELLED = "cancelled", _("Cancelled")


class CustomsDeclaration(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="declarations",
        verbose_name=_("organisation"),
    )
    licence = models.ForeignKey(
        "licences.LicenceApplication",
        on_delete=models.PROTECT,
        related_name="declarations",
        verbose_name=_("licence"),
    )
    state = models.CharField(
        _("state"), max_length=20, choices=DeclarationState.choices, default=DeclarationState.DRAFT
    )
    declaration_number = models.CharField(_("declaration number"), max_length=40, blank=True, default="")
    port = models.CharField(_("port of exit"), max_length=100, blank=True, default="")
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    clearance_date = models.DateField(_("clearance date"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("customs declaration")
        verbose_name_plural = _("customs declarations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence"],
                condition=~models.Q(state="cancelled"),
                name="declaration_one_active_per_licence",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="cleared") | models.Q(clearance_date__isnull=False),
                name="declaration_cleared_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.declaration_number or f"#{self.pk}"


class DeclarationItem(models.Model):
    declaration = models.ForeignKey(CustomsDeclaration, on_delete=models.CASCADE, related_name="items")
    vehicle = models.ForeignKey(
        "vehicles.Vehicle", on_delete=models.PROTECT, related_name="declaration_items"
    )
    commodity_code = models.CharField(_("commodity code"), max_length=10)
    product_name = models.CharField(_("product name"), max_length=200)
    elements = models.JSONField(_("declaration elements"), default=dict)

    class Meta:
        verbose_name = _("declaration item")
        verbose_name_plural = _("declaration items")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["declaration", "vehicle"], name="declaration_item_vehicle_once"),
        ]

    def __str__(self) -> str:
        return f"{self.declaration} {self.vehicle_id}"
