# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""After-sales: export contracts with after-sales terms, overseas service outlets, and the
manufacturers' 《售后维修服务确认书》 (one letter per licence per manufacturer, listing every VIN;
商贸函〔2025〕648号 and the MOFCOM guideline of 2025-12-11, regulations.md §1b–1c).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ContractState(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded (re-signed)")
    CANCELLED = "cancelled", _("Cancelled")


class ExportContract(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="contracts",
        verbose_name=_("organisation"),
    )
    number = models.CharField(_("contract number"), max_length=60)
    buyer = models.CharField(_("buyer"), max_length=200)
    destination = models.CharField(_("destination"), max_length=2)
    signed_on = models.DateField(_("signed on"))
    trade_term = models.CharField(_("trade term"), max_length=10, blank=True, default="")
    aftersales_terms = models.TextField(_("after-sales terms"), blank=True, default="")
    state = models.CharField(
        _("state"), max_length=20, choices=ContractState.choices, default=ContractState.ACTIVE
    )
    replaces = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
        verbose_name=_("replaces"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("export contract")
        verbose_name_plural = _("export contracts")
        ordering = ["-signed_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "number"], name="contract_number_unique_per_org"),
        ]

    def __str__(self) -> str:
        return self.number


class ServiceOutlet(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="outlets",
        verbose_name=_("organisation"),
    )
    country = models.CharField(_("country"), max_length=2)
    city = models.CharField(_("city"), max_length=100, blank=True, default="")
    address = models.CharField(_("address"), max_length=300)
    provider = models.CharField(_("service provider"), max_length=200)
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("overseas service outlet")
        verbose_name_plural = _("overseas service outlets")
        ordering = ["country", "id"]

    def __str__(self) -> str:
        return f"{self.provider} ({self.country})"


class LetterState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    RECEIVED = "received", _("Received")


class ConfirmationLetter(models.Model):
    """A manufacturer's 《售后维修服务确认书》 for one licence: destination, every VIN, the outlets."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name=_("organisation"),
    )
    licence = models.ForeignKey(
        "licences.LicenceApplication",
        on_delete=models.CASCADE,
        related_name="letters",
        verbose_name=_("licence"),
    )
    manufacturer = models.CharField(_("manufacturer"), max_length=200)
    destination = models.CharField(_("destination"), max_length=2, blank=True, default="")
    vins = models.JSONField(_("VINs"), default=list)
    outlets = models.ManyToManyField(
        ServiceOutlet, blank=True, related_name="letters", verbose_name=_("outlets")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=LetterState.choices, default=LetterState.REQUESTED
    )
    requested_on = models.DateField(_("requested on"))
    received_on = models.DateField(_("received on"), null=True, blank=True)
    # Who recorded the letter as received, and what proves it (the letter's number, the scan's name).
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("received by"),
    )
    evidence = models.CharField(_("evidence"), max_length=300, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("after-sales confirmation letter")
        verbose_name_plural = _("after-sales confirmation letters")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence", "manufacturer"], name="letter_one_per_licence_manufacturer"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.manufacturer} / {self.licence}"
