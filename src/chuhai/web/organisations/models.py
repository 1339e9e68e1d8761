# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""Organisations, their staff and roles, individual sellers, API and calendar-feed tokens.

Every enterprise-owned row in Chuhai points at an :class:`Organisation`; a user belongs to exactly
one organisation through :class:`Membership`. Individuals cannot export (seed guide §3): a
:class:`Seller` is a person who offers a car to an enterprise and has no login.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgKind(models.TextChoices):
    PLATFORM = "platform", _("Platform operator")
    ENTERPRISE = "enterprise", _("Exporting enterprise")


class EnterpriseKind(models.TextChoices):
    """The exporter kinds of ``shared/spec/vehicle-file.md`` (exporter profile)."""

    MANUFACTURER = "manufacturer", _("Production enterprise")
    AUTHORISED_EXPORTER = "authorised_exporter", _("Authorised exporter")
    CIRCULATION = "circulation", _("Circulation enterprise")
    PROJECT_CONTRACTOR = "project_contractor", _("Project contractor")


class Organisation(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=OrgKind.choices, default=OrgKind.ENTERPRISE)
    name = models.CharField(_("name"), max_length=200)
    uscc = models.CharField(_("unified social credit code"), max_length=18, blank=True, default="")
    enterprise_kind = models.CharField(
        _("enterprise kind"), max_length=30, choices=EnterpriseKind.choices, blank=True, default=""
    )
    province = models.CharField(_("province"), max_length=50, blank=True, default="")
    city = models.CharField(_("city"), max_length=50, blank=True, default="")
    address = models.CharField(_("address"), max_length=300, blank=True, default="")
    authorised_by = models.JSONField(_("authorising manufacturers"), default=list, blank=True)
    project_documents = models.BooleanField(_("project bid documents on file"), default=False)
    feed_token_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["uscc"], condition=~models.Q(uscc=""), name="organisation_uscc_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(kind="platform") | ~models.Q(enterprise_kind=""),
                name="organisation_enterprise_has_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_platform(self) -> bool:
        return self.kind == OrgKind.PLATFORM


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COMPLIANCE = "compliance", _("Compliance officer")
    CLERK = "clerk", _("Clerk")
    READONLY = "readonly", _("Read-only")


class Membership(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("user")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organisation")
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.READONLY)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.role})"


class Seller(models.Model):
    """An individual who offers a car to the enterprise (seed guide §3: individuals cannot export)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sellers")
    name = models.CharField(_("name"), max_length=100)
    phone = models.CharField(_("phone"), max_length=40, blank=True, default="")
    id_number_last4 = models.CharField(_("ID number (last 4)"), max_length=4, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("individual seller")
        verbose_name_plural = _("individual sellers")

    def __str__(self) -> str:
        return self.name


def hash_token(raw: str) -> str:
    """Tokens are stored as SHA-256 digests: a database leak must not hand out working credentials."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"


class LoginFailure(models.Model):
    """One failed sign-in; recent rows per username or address throttle further attempts."""

    username = models.CharField(max_length=150, db_index=True)
    address = models.CharField(max_length=64, db_index=True)
    at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("failed sign-in")
        verbose_name_plural = _("failed sign-ins")


class FilingState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class EnterpriseFiling(models.Model):
    """One 二手车出口企业备案 application and its outcome (regulations.md §1g).

    The provincial commerce department reviews within a number of working days and an approval is
    valid for a number of years (law parameters ``exporter.filing_review_working_days`` and
    ``exporter.filing_validity_years``); a new filing restarts the year. The history of an
    enterprise's filings is the set of these rows plus their audit events.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="filings")
    state = models.CharField(
        _("state"), max_length=20, choices=FilingState.choices, default=FilingState.DRAFT
    )
    submitted_on = models.DateField(_("submitted on"), null=True, blank=True)
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    rejected_on = models.DateField(_("rejected on"), null=True, blank=True)
    reference = models.CharField(_("reference number"), max_length=100, blank=True, default="")
    notes = models.TextField(_("notes"), blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("enterprise filing")
        verbose_name_plural = _("enterprise filings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(approved_on__isnull=False),
                name="filing_approved_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} filing #{self.pk} ({self.state})"
