"""Document packages of a licence batch: the papers officials and partners use, from the records.

Framework-free and pure: every generator takes the frozen records of :mod:`chuhai.documents.model`
and returns bytes (XLSX, DOCX, PDF, ZIP). The web views, the REST API and the CLI fill those
records from the same data the screening uses, so no VIN, date or name is ever typed twice; an
unknown value is printed as ``【待补充 / to be supplied】`` and listed by the licence checklist.
"""

from __future__ import annotations

from chuhai.documents.checklist import (
    Checklist,
    ChecklistItem,
    Status,
    checklist_docx,
    checklist_xlsx,
    deregistration_checklist,
    deregistration_checklist_docx,
    deregistration_checklist_xlsx,
    licence_checklist,
    licence_checklist_docx,
    licence_checklist_xlsx,
)
from chuhai.documents.customs import customs_declaration_draft_xlsx
from chuhai.documents.dossier import vehicle_dossier_pdf
from chuhai.documents.letters import (
    aftersales_request_letters_docx,
    filing_application_outline_docx,
    filing_commitment_letter_docx,
    market_access_statement_docx,
)
from chuhai.documents.licence import licence_data_sheet_xlsx
from chuhai.documents.messages import MISSING
from chuhai.documents.model import (
    AftersalesConfirmation,
    AuditEntry,
    Batch,
    Contact,
    ExporterInfo,
    Money,
    Party,
    PaymentTerms,
    ServiceOutlet,
    TestReport,
    TradeTerm,
    VehicleRecord,
)
from chuhai.documents.package import application_package_zip
from chuhai.documents.trade import (
    commercial_invoice_xlsx,
    default_second_language,
    export_contract_docx,
    packing_list_xlsx,
)

__all__ = [
    "MISSING",
    "AftersalesConfirmation",
    "AuditEntry",
    "Batch",
    "Checklist",
    "ChecklistItem",
    "Contact",
    "ExporterInfo",
    "Money",
    "Party",
    "PaymentTerms",
    "ServiceOutlet",
    "Status",
    "TestReport",
    "TradeTerm",
    "VehicleRecord",
    "aftersales_request_letters_docx",
    "application_package_zip",
    "checklist_docx",
    "checklist_xlsx",
    "commercial_invoice_xlsx",
    "customs_declaration_draft_xlsx",
    "default_second_language",
    "deregistration_checklist",
    "deregistration_checklist_docx",
    "deregistration_checklist_xlsx",
    "export_contract_docx",
    "filing_application_outline_docx",
    "filing_commitment_letter_docx",
    "licence_checklist",
    "licence_checklist_docx",
    "licence_checklist_xlsx",
    "licence_data_sheet_xlsx",
    "market_access_statement_docx",
    "packing_list_xlsx",
    "vehicle_dossier_pdf",
]
