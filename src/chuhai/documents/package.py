"""The whole application package of a batch in one ZIP, with a manifest ("one click").

Everything is generated from the same :class:`~chuhai.documents.model.Batch`, so a VIN, a date or
a name appears in every document exactly as in the records. The manifest lists each file with its
title, size and SHA-256, the licence quantity per commodity code and the checklist's state.
"""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from chuhai.documents._common import quantities_by_code
from chuhai.documents.checklist import checklist_xlsx as render_checklist_xlsx
from chuhai.documents.checklist import (
    deregistration_checklist,
    licence_checklist,
    licence_checklist_docx,
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
from chuhai.documents.messages import t
from chuhai.documents.model import AuditEntry, Batch, VehicleRecord
from chuhai.documents.trade import (
    commercial_invoice_xlsx,
    default_second_language,
    export_contract_docx,
    packing_list_xlsx,
)

MANIFEST = "manifest.json"
# Fixed entry times keep the archive's bytes a function of its content.
_ZIP_TIME = (2026, 1, 1, 0, 0, 0)
_UNSAFE = re.compile(r'[\\/:*?"<>|\s]+')


def safe_name(text: str) -> str:
    """A file-name-safe form of a name (keeps Chinese characters).

    >>> safe_name("上汽大众汽车有限公司 / SAIC")
    '上汽大众汽车有限公司_SAIC'
    """
    return _UNSAFE.sub("_", text).strip("_") or "_"


@dataclass(frozen=True)
class PackageFile:
    path: str
    title_key: str
    data: bytes


def package_files(
    batch: Batch,
    *,
    lang2: str | None = None,
    audit: Mapping[str, list[AuditEntry]] | None = None,
    include_dossiers: bool = True,
) -> list[PackageFile]:
    """Every document of the batch, in the order of the manifest."""
    lang2 = lang2 or default_second_language(batch.destination)
    files: list[PackageFile] = []

    def add(path: str, key: str, make: Callable[[], bytes]) -> None:
        files.append(PackageFile(path, key, make()))

    def dossier(vehicle: VehicleRecord) -> Callable[[], bytes]:
        entries = (audit or {}).get(vehicle.vin, [])
        return lambda: vehicle_dossier_pdf(
            vehicle, batch.exporter, entries, lang2, application_date=batch.licence_application_date
        )

    checklist = licence_checklist(batch)
    add("01_licence_checklist.xlsx", "doc.checklist_licence", lambda: render_checklist_xlsx(checklist))
    add("01_licence_checklist.docx", "doc.checklist_licence", lambda: licence_checklist_docx(batch))
    add("02_licence_application_data.xlsx", "doc.licence_sheet", lambda: licence_data_sheet_xlsx(batch))
    add("03_market_access_statement.docx", "doc.market_access", lambda: market_access_statement_docx(batch))
    for n, (manufacturer, data) in enumerate(aftersales_request_letters_docx(batch).items(), start=1):
        files.append(
            PackageFile(
                f"04_aftersales_request_{n:02d}_{safe_name(manufacturer)}.docx",
                "doc.aftersales_request",
                data,
            )
        )
    add(f"05_export_contract_zh-{lang2}.docx", "doc.contract", lambda: export_contract_docx(batch, lang2))
    add(
        f"06_commercial_invoice_zh-{lang2}.xlsx", "doc.invoice", lambda: commercial_invoice_xlsx(batch, lang2)
    )
    add(f"07_packing_list_zh-{lang2}.xlsx", "doc.packing_list", lambda: packing_list_xlsx(batch, lang2))
    add(
        "08_customs_declaration_draft.xlsx",
        "doc.customs_draft",
        lambda: customs_declaration_draft_xlsx(batch),
    )
    add(
        "09_deregistration_checklist.xlsx",
        "doc.checklist_deregistration",
        lambda: render_checklist_xlsx(deregistration_checklist(batch)),
    )
    add(
        "filing/filing_commitment_letter.docx",
        "doc.filing_commitment",
        lambda: filing_commitment_letter_docx(batch.exporter),
    )
    add(
        "filing/filing_application_outline.docx",
        "doc.filing_outline",
        lambda: filing_application_outline_docx(batch.exporter),
    )
    if include_dossiers:
        for vehicle in batch.vehicles:
            add(f"dossiers/{vehicle.vin}.pdf", "doc.dossier", dossier(vehicle))
    return files


def manifest(batch: Batch, files: list[PackageFile], lang2: str) -> dict[str, Any]:
    checklist = licence_checklist(batch)
    return {
        "batch": batch.reference,
        "exporter": {"name": batch.exporter.name, "uscc": batch.exporter.uscc},
        "destination": batch.destination,
        "second_language": lang2,
        "licence_application_date": None
        if batch.licence_application_date is None
        else batch.licence_application_date.isoformat(),
        "vehicles": [v.vin for v in batch.vehicles],
        "licence_quantity_per_code": quantities_by_code(batch.vehicles),
        "checklist": {
            "complete": checklist.complete,
            "items": [
                {"key": i.key, "status": i.status.value, "vins": list(i.vins)} for i in checklist.items
            ],
        },
        "files": [
            {
                "path": f.path,
                "title_zh": t(f.title_key, "zh"),
                "title_en": t(f.title_key, "en"),
                "bytes": len(f.data),
                "sha256": hashlib.sha256(f.data).hexdigest(),
            }
            for f in files
        ],
    }


def application_package_zip(
    batch: Batch,
    *,
    lang2: str | None = None,
    audit: Mapping[str, list[AuditEntry]] | None = None,
    include_dossiers: bool = True,
) -> bytes:
    """All of the batch's documents and ``manifest.json`` in one ZIP, under a folder named after the batch."""
    lang2 = lang2 or default_second_language(batch.destination)
    files = package_files(batch, lang2=lang2, audit=audit, include_dossiers=include_dossiers)
    root = safe_name(batch.reference)
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        info = zipfile.ZipInfo(f"{root}/{MANIFEST}", _ZIP_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED
        archive.writestr(info, json.dumps(manifest(batch, files, lang2), ensure_ascii=False, indent=2))
        for f in files:
            info = zipfile.ZipInfo(f"{root}/{f.path}", _ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, f.data)
    return buffer.getvalue()
