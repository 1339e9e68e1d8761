"""Translated labels for codes the services speak in: transitions, audit events, deadline kinds,
severities, confidence marks and the forms of each transition's parameters.

Kept apart from the views so that the catalogue test can import every label without a request.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

TRANSITIONS: dict[str, Any] = {
    # vehicle
    "pay_deposit": _("Record deposit"),
    "purchase": _("Record purchase"),
    "register_transfer": _("Register transfer pending export"),
    "resign_contract": _("Re-sign export contract"),
    "withdraw": _("Withdraw"),
    "deregister": _("Record deregistration"),
    "add_to_licence": _("Put on licence application"),
    "remove_from_licence": _("Take off licence application"),
    "licence_issued": _("Licence issued"),
    "licence_closed": _("Licence closed"),
    "declare": _("Declared to customs"),
    "declaration_cancelled": _("Declaration cancelled"),
    "clear": _("Record customs clearance"),
    # licence
    "submit": _("Submit"),
    "issue": _("Record issue"),
    "reject": _("Record rejection"),
    "use": _("Record use"),
    "lapse": _("Record lapse"),
    # declaration
    "file": _("File declaration"),
    "cancel": _("Cancel"),
    # filing
    "approve": _("Record approval"),
    # letter
    "receive": _("Record receipt"),
}

# Audit events that are not "<machine>.<transition>".
EVENTS: dict[str, Any] = {
    "vehicle.create": _("Vehicle entered"),
    "vehicle.update": _("Vehicle facts corrected"),
    "vehicle.correct_facts": _("Registration facts corrected and re-screened"),
    "vehicle.delete": _("Vehicle deleted"),
    "vehicle.import": _("Imported from a stock file"),
    "vehicle.import_update": _("Updated from a stock file"),
    "vehicle.licence_submitted": _("Screened for licence submission"),
    "vehicle.aftersales_confirmation_received": _("After-sales confirmation received"),
    "vehicle.law_rescreen": _("Screened again after a change of the law"),
    "law.rescreen": _("Stock screened again after a change of the law"),
    "law.notice": _("Holiday notice imported"),
    "law.law_directory": _("Local law directory changed"),
    "demo.load": _("Demo data loaded"),
    "licence.create": _("Licence application drafted"),
    "licence.update": _("Licence application edited"),
    "licence.delete": _("Licence application deleted"),
    "licence.add_vehicle": _("Vehicle put on licence application"),
    "licence.remove_vehicle": _("Vehicle taken off licence application"),
    "declaration.create": _("Customs declaration drafted"),
    "declaration.update": _("Customs declaration edited"),
    "declaration.delete": _("Customs declaration deleted"),
    "letter.request": _("After-sales confirmation requested"),
    "filing.create": _("Filing drafted"),
    "enterprise.update": _("Enterprise details changed"),
    "staff.create": _("Staff account created"),
    "staff.role": _("Role changed"),
    "staff.deactivate": _("Account deactivated"),
    "staff.reactivate": _("Account reactivated"),
    "staff.password": _("Password set by an administrator"),
    "outlet.create": _("Service outlet added"),
    "outlet.delete": _("Service outlet deleted"),
    "contract.create": _("Export contract added"),
    "contract.update": _("Export contract changed"),
    "contract.superseded": _("Export contract re-signed"),
    "contract.delete": _("Export contract deleted"),
}


def event_label(code: str) -> str:
    if code in EVENTS:
        return str(EVENTS[code])
    name = code.split(".", 1)[-1]
    return str(TRANSITIONS.get(name, code))


DEADLINE_KINDS: dict[str, Any] = {
    "filing_review_due": _("Filing review due"),
    "filing_expiry": _("Filing expires"),
    "licence_review_due": _("Licence review due"),
    "licence_expiry": _("Licence expires"),
    "temp_plate_expiry": _("Temporary plate expires"),
    "deregistration_due": _("Deregistration due"),
    "scrap_export_cutoff": _("Last day for export before scrapping limit"),
    "aftersales_window_end": _("After-sales confirmation window ends"),
}

SEVERITIES: dict[str, Any] = {
    "invalid": _("invalid input"),
    "block": _("blocks export"),
    "action": _("action required"),
    "advice": _("advice"),
}

CONFIDENCE: dict[str, Any] = {
    "verified-in-source": _("verified in source"),
    "secondary-source": _("secondary source"),
    "inferred": _("inferred"),
}

# How close the copy of a source is to the official text (law/references.yaml `tier`).
TIERS: dict[str, Any] = {
    "official-text": _("official text"),
    "verbatim-reprint": _("verbatim reprint"),
    "secondary": _("secondary"),
    "inferred": _("inferred"),
}

UNITS: dict[str, Any] = {
    "days": _("days"),
    "working_days": _("working days"),
    "months": _("months"),
    "years": _("years"),
    "count": _("count"),
    "code": _("code"),
    "flag": _("flag"),
    "table": _("table"),
}

# Parameters each transition's form asks for: (name, label, input type, required).
FormField = tuple[str, Any, str, bool]
VEHICLE_FORMS: dict[str, list[FormField]] = {
    "pay_deposit": [("deposit_amount", _("Deposit (CNY)"), "number", True)],
    "purchase": [
        ("purchase_price", _("Purchase price (CNY)"), "number", False),
        ("purchased_on", _("Purchased on"), "date", False),
    ],
    "register_transfer": [
        ("transfer_pending_export_date", _("Transfer pending export registered on"), "date", True),
        ("temp_plate_number", _("Temporary plate number"), "text", True),
        ("insurance_expiry", _("Compulsory insurance expiry"), "date", False),
    ],
    "resign_contract": [("contract_id", _("New export contract"), "contract", True)],
    "withdraw": [
        ("withdrawn_on", _("Withdrawn on"), "date", False),
        ("reason", _("Reason"), "text", False),
    ],
    "deregister": [("deregistered_on", _("Deregistered on"), "date", True)],
}
LICENCE_FORMS: dict[str, list[FormField]] = {
    "submit": [("submitted_on", _("Submitted on"), "date", False)],
    "issue": [
        ("licence_number", _("Licence number"), "text", True),
        ("issued_on", _("Issued on"), "date", False),
        ("valid_from", _("Takes effect on (licence issued for next year)"), "date", False),
    ],
    "reject": [("rejected_on", _("Rejected on"), "date", False), ("reason", _("Reason"), "text", False)],
    "lapse": [("closed_on", _("Lapsed on"), "date", False)],
}
DECLARATION_FORMS: dict[str, list[FormField]] = {
    "file": [
        ("declaration_number", _("Declaration number"), "text", True),
        ("filed_on", _("Filed on"), "date", False),
        ("port", _("Port of exit"), "text", False),
    ],
    "clear": [("clearance_date", _("Clearance date"), "date", True)],
    "cancel": [],
}
FILING_FORMS: dict[str, list[FormField]] = {
    "submit": [("submitted_on", _("Submitted on"), "date", False)],
    "approve": [
        ("approved_on", _("Approved on"), "date", False),
        ("reference", _("Reference number"), "text", False),
    ],
    "reject": [("rejected_on", _("Rejected on"), "date", False), ("reason", _("Reason"), "text", False)],
}
