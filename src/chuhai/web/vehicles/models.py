# ruff: noqa: RUF012 - Django Meta options, migration operations and schema defaults are class data
"""A vehicle in an enterprise's stock: the vehicle-file columns, its case state and its latest screening.

The columns mirror ``chuhai.schema`` (``shared/spec/vehicle-file.md``) one to one, so a vehicle can be
screened by the engine exactly as a row of a stock file (a test asserts that every schema column is a
field here). The screening snapshot (verdict, findings, commodity code, deadlines, law version and
as-of date) is refreshed by :mod:`chuhai.web.vehicles.screening` whenever the vehicle changes.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from chuhai import schema


class VehicleState(models.TextChoices):
    OFFERED = "offered", _("Offered by seller")
    DEPOSIT_PAID = "deposit_paid", _("Deposit paid")
    PURCHASED = "purchased", _("Purchased")
    TRANSFER_REGISTERED = "transfer_registered", _("Transfer pending export registered")
    IN_LICENCE = "in_licence", _("In licence application")
    LICENSED = "licensed", _("Licensed")
    DECLARED = "declared", _("Declared to customs")
    CLEARED = "cleared", _("Cleared")
    DEREGISTERED = "deregistered", _("Deregistered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# States in which the car carries the "转让待出口" mark: it can never be sold domestically again
# (regulations.md §6; seed guide §2(1)).
EXPORT_BOUND_STATES = frozenset(
    {
        VehicleState.TRANSFER_REGISTERED,
        VehicleState.IN_LICENCE,
        VehicleState.LICENSED,
        VehicleState.DECLARED,
        VehicleState.CLEARED,
        VehicleState.DEREGISTERED,
    }
)


class Verdict(models.TextChoices):
    INVALID = "invalid", _("Invalid input")
    BLOCKED = "blocked", _("Blocked")
    ACTION_REQUIRED = "action_required", _("Action required")
    ELIGIBLE = "eligible", _("Eligible")


def _choices_of(column: str) -> list[tuple[str, str]]:
    """The values of an enumerated column of the vehicle file (chuhai.schema), as model choices."""
    return [(v, v) for v in schema.COLUMNS[column].values]


class Vehicle(models.Model):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.CASCADE,
        related_name="vehicles",
        verbose_name=_("organisation"),
    )
    state = models.CharField(
        _("state"), max_length=30, choices=VehicleState.choices, default=VehicleState.PURCHASED
    )

    # --- the vehicle-file columns (chuhai.schema) ---
    vin = models.CharField(_("VIN"), max_length=17)
    brand = models.CharField(_("brand"), max_length=100, blank=True, default="")
    model = models.CharField(_("model"), max_length=100, blank=True, default="")
    manufacturer = models.CharField(_("manufacturer"), max_length=200, blank=True, default="")
    vehicle_category = models.CharField(
        _("vehicle category"),
        max_length=20,
        default="passenger",
        choices=_choices_of("vehicle_category"),
    )
    body_type = models.CharField(
        _("body type"),
        max_length=20,
        blank=True,
        default="",
        choices=_choices_of("body_type"),
    )
    fuel = models.CharField(
        _("fuel"),
        max_length=20,
        blank=True,
        default="",
        choices=_choices_of("fuel"),
    )
    displacement_ml = models.PositiveIntegerField(_("displacement (ml)"), null=True, blank=True)
    power_kw = models.DecimalField(_("power (kW)"), max_digits=8, decimal_places=2, null=True, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), null=True, blank=True)
    size_class = models.CharField(
        _("size class"),
        max_length=10,
        blank=True,
        default="",
        choices=_choices_of("size_class"),
    )
    use_nature = models.CharField(
        _("use nature"),
        max_length=20,
        blank=True,
        default="",
        choices=_choices_of("use_nature"),
    )
    steering = models.CharField(_("steering"), max_length=3, default="lhd", choices=_choices_of("steering"))
    condition = models.CharField(
        _("condition"), max_length=4, default="used", choices=_choices_of("condition")
    )
    factory_date = models.DateField(_("factory date"), null=True, blank=True)
    registration_date = models.DateField(_("registration date"), null=True, blank=True)
    transfer_pending_export_date = models.DateField(_("transfer pending export date"), null=True, blank=True)
    temp_plate_issue_date = models.DateField(_("temporary plate issued on"), null=True, blank=True)
    insurance_expiry = models.DateField(_("compulsory insurance expiry"), null=True, blank=True)
    owner_name = models.CharField(_("registered owner"), max_length=200, blank=True, default="")
    odometer_km = models.PositiveIntegerField(_("odometer (km)"), null=True, blank=True)
    # The prohibition facts (chuhai.schema.PROHIBITION_FACTS): null (or "" for encumbrance) is "not
    # known", never "no" — the engine reports input.unverified until they are stated or attested.
    encumbrance = models.CharField(
        _("encumbrance"),
        max_length=20,
        blank=True,
        default="",
        choices=_choices_of("encumbrance"),
    )
    seized = models.BooleanField(_("seized"), null=True, blank=True)
    crime_proceeds = models.BooleanField(_("crime proceeds"), null=True, blank=True)
    smuggled_or_assembled = models.BooleanField(_("smuggled or assembled"), null=True, blank=True)
    unresolved_violations = models.BooleanField(_("unresolved violations"), null=True, blank=True)
    modified_unproven = models.BooleanField(_("modification unproven"), null=True, blank=True)
    registration_matches = models.BooleanField(_("matches registration certificate"), null=True, blank=True)
    documents_complete = models.BooleanField(_("documents complete"), null=True, blank=True)
    # Prohibition facts the file left empty and the enterprise attested for the whole file at import
    # (chuhai.io.profile ExporterProfile.attests): the engine reads them as attested and cites it.
    attested_facts = models.JSONField(_("facts attested for the import file"), default=list, blank=True)
    test_result = models.CharField(
        _("test result"), max_length=10, default="missing", choices=_choices_of("test_result")
    )
    aftersales_confirmation = models.BooleanField(_("after-sales confirmation in hand"), default=False)
    destination = models.CharField(_("destination"), max_length=2, blank=True, default="")
    licence_application_date = models.DateField(_("licence application date"), null=True, blank=True)
    customs_clearance_date = models.DateField(_("customs clearance date"), null=True, blank=True)
    trailer_kind = models.CharField(
        _("trailer kind"), max_length=24, blank=True, default="", choices=_choices_of("trailer_kind")
    )
    former_use_nature = models.CharField(
        _("former use nature"),
        max_length=20,
        blank=True,
        default="",
        choices=_choices_of("former_use_nature"),
    )
    special_cargo_function = models.BooleanField(
        _("special vehicle with cargo function"), null=True, blank=True
    )
    failed_standards_after_repair = models.BooleanField(
        _("fails safety or emission standards after repair"), null=True, blank=True
    )
    inspection_lapsed_3_cycles = models.BooleanField(
        _("no inspection mark for 3 cycles"), null=True, blank=True
    )
    extra = models.JSONField(_("other columns"), default=dict, blank=True)

    # --- the case ---
    seller = models.ForeignKey(
        "organisations.Seller",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("seller"),
    )
    export_contract = models.ForeignKey(
        "aftersales.ExportContract",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vehicles",
        verbose_name=_("export contract"),
    )
    offered_price = models.DecimalField(
        _("offered price (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    deposit_amount = models.DecimalField(
        _("deposit (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    purchase_price = models.DecimalField(
        _("purchase price (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    purchased_on = models.DateField(_("purchased on"), null=True, blank=True)
    temp_plate_number = models.CharField(_("temporary plate number"), max_length=20, blank=True, default="")
    deregistered_on = models.DateField(_("deregistered on"), null=True, blank=True)
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, default="")

    # --- the latest screening (engine output) ---
    verdict = models.CharField(_("verdict"), max_length=20, choices=Verdict.choices, blank=True, default="")
    findings = models.JSONField(_("findings"), default=list, blank=True)
    # ",rule.a,rule.b," so that "has rule X" is a portable LIKE filter on SQLite and PostgreSQL.
    rules_index = models.CharField(max_length=1000, blank=True, default="", editable=False)
    commodity_code = models.CharField(_("commodity code"), max_length=10, blank=True, default="")
    customs_name = models.CharField(_("customs product name"), max_length=200, blank=True, default="")
    screening_deadlines = models.JSONField(_("screening deadlines"), default=list, blank=True)
    law_version = models.CharField(_("law version"), max_length=60, blank=True, default="")
    screened_as_of = models.DateField(_("screened as of"), null=True, blank=True)
    screened_at = models.DateTimeField(_("screened at"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("vehicle")
        verbose_name_plural = _("vehicles")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "vin"], name="vehicle_vin_unique_per_org"),
        ]
        indexes = [
            models.Index(fields=["organisation", "state"], name="vehicle_org_state_idx"),
            models.Index(fields=["organisation", "verdict"], name="vehicle_org_verdict_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.vin} {self.brand} {self.model}".strip()

    @property
    def rules(self) -> list[str]:
        return [r for r in self.rules_index.split(",") if r]
