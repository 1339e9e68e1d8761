"""Rule ids the case-management service refuses transitions with, beyond the engine's catalogue.

The engine's rules (``vehicle.encumbered``, ``exporter.filing_expired`` …) carry their titles in the
law data (zh/en/ru/ar). The ids below belong to the case workflow itself (state, documents, batch
bookkeeping); their titles are translatable strings here. :func:`explain` gives every rule id of a
refusal a title in the active language, for the API error body and the pages.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chuhai.errors import LawError

WORKFLOW_RULES: dict[str, Any] = {
    "state.transition_not_allowed": _("This step is not possible in the case's current state."),
    "state.in_use": _("The record is in use and cannot be deleted."),
    "input.missing_parameter": _("A required value for this step is missing."),
    "registration.export_bound_no_resale": _(
        "A vehicle registered 'transfer pending export' can never be resold or transferred domestically."
    ),
    "registration.deregistration_before_clearance": _("Deregistration cannot precede customs clearance."),
    "aftersales.export_contract_missing": _("A valid export contract with after-sales terms is required."),
    "aftersales.no_vehicles_of_manufacturer": _(
        "No vehicle of this manufacturer is on the licence application."
    ),
    "exporter.uscc_invalid": _("The enterprise's unified social credit code is not valid."),
    "licence.no_vehicles": _("The licence application lists no vehicle."),
    "licence.not_draft": _("Only a draft licence application can be changed."),
    "licence.not_issued": _("The licence has not been issued."),
    "licence.closed": _("The licence application is closed."),
    "licence.expired": _("The licence has expired."),
    "licence.declared_quantity_mismatch": _(
        "The quantity declared to customs must equal the quantity licensed under each commodity code."
    ),
    "classification.code_unknown": _("The vehicle has no commodity code."),
    "customs.product_name_missing": _("The customs product name of a vehicle is missing."),
    "customs.not_draft": _("Only a draft declaration can be changed."),
    "input.duplicate_vin": _("The VIN appears more than once in the file."),
    "staff.last_administrator": _(
        "An organisation keeps at least one active administrator: make another member administrator first."
    ),
    "vehicle.facts_fixed_by_licence": _(
        "A vehicle's registration facts can be corrected only until it goes on a licence application: "
        "take it off a draft application first."
    ),
    "aftersales.contract_fixed_by_licence": _(
        "The number, buyer, destination and signing date of a contract named on a submitted licence "
        "application are fixed: re-sign the contract instead."
    ),
}


def title(rule_id: str) -> str:
    """The rule's title in the active language (workflow rules here, engine rules from the law)."""
    if rule_id in WORKFLOW_RULES:
        return str(WORKFLOW_RULES[rule_id])
    from chuhai.web.services.screening import law

    try:
        titles = law().rule(rule_id).title
    except LawError:  # an id the law does not know is shown as itself
        return rule_id
    language = (get_language() or "zh-hans").split("-")[0]
    return str(titles.get(language) or titles.get("en") or rule_id)


def explain(rule_ids: list[str] | tuple[str, ...]) -> list[dict[str, str]]:
    return [{"rule": r, "title": title(r)} for r in rule_ids]
