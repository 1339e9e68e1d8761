"""The documents of a licence application and the dossier of a vehicle, from the case records.

A licence application becomes a :class:`chuhai.documents.Batch`: its vehicles as their stock-file
columns with their stored screening snapshot (verdict, findings, deadlines, customs name) and the
commodity code of their licence line, the enterprise with its approved filing, the export contract
(number, date, buyer, trade term), the overseas outlet named in the licence's confirmation letters,
the submission date as application date, the clearance date of the declaration, and each vehicle's
audit trail. The same adapters as ``chuhai documents`` (:mod:`chuhai.documents.adapters`) turn rows
and results into document records, so a document shows exactly what the screen and case views
show; nothing is typed again and nothing unknown is filled in.

Reading documents needs the ``view`` capability (read-only staff may download); other
organisations' licences and vehicles are ``NotFound`` like everywhere else (:mod:`.context`).
The API and the pages both answer with :func:`http_response`.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any, cast

from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone

from chuhai.documents import (
    AuditEntry,
    Batch,
    Party,
    ServiceOutlet,
    TradeTerm,
    aftersales_request_letters_docx,
    application_package_zip,
    commercial_invoice_xlsx,
    customs_declaration_draft_xlsx,
    default_second_language,
    deregistration_checklist_xlsx,
    export_contract_docx,
    filing_application_outline_docx,
    filing_commitment_letter_docx,
    licence_checklist_docx,
    licence_checklist_xlsx,
    licence_data_sheet_xlsx,
    market_access_statement_docx,
    packing_list_xlsx,
    vehicle_dossier_pdf,
)
from chuhai.documents._common import Gaps
from chuhai.documents.adapters import exporter_info, shared_date, vehicle_record
from chuhai.documents.letters import build_aftersales_letters
from chuhai.documents.messages import TRADE_LANGS, t
from chuhai.documents.model import TRADE_TERMS, ExporterInfo, TradeTermCode, VehicleRecord
from chuhai.documents.package import safe_name
from chuhai.engine.model import Confidence, Deadline, Finding, Severity, VehicleResult, Verdict
from chuhai.errors import NotFound, ValidationError
from chuhai.web.aftersales.models import ServiceOutlet as OutletRow
from chuhai.web.audit.models import AuditEvent
from chuhai.web.cases.context import Actor, get_scoped, scoped
from chuhai.web.customs.models import CustomsDeclaration, DeclarationState
from chuhai.web.licences.models import LicenceApplication
from chuhai.web.vehicles import screening
from chuhai.web.vehicles.models import Vehicle

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
CONTENT_TYPES = {"xlsx": XLSX, "docx": DOCX, "zip": "application/zip", "pdf": "application/pdf"}
SECOND_LANGUAGES = tuple(lang for lang in TRADE_LANGS if lang != "zh")  # en, ru, ar
AFTERSALES_LETTERS = "aftersales-letters.zip"
# Snapshot keys too bulky or too technical for a dossier's audit table.
_AUDIT_SKIP = frozenset({"findings", "rules_index", "screening_deadlines", "extra", "law_version"})
_AUDIT_KEYS_SHOWN = 4
_UNSAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]")


@dataclass(frozen=True)
class DocumentFile:
    """One generated file as it is downloaded."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class LicenceDocuments:
    """A licence application as the documents see it."""

    licence: LicenceApplication
    batch: Batch
    audit: dict[str, list[AuditEntry]]


# --- from the case records --------------------------------------------------------------------------


def stored_result(vehicle: Vehicle) -> VehicleResult | None:
    """The vehicle's latest screening as stored on it (``None`` if it was never screened)."""
    if not vehicle.verdict:
        return None
    findings = tuple(
        Finding(
            rule=f["rule"],
            severity=Severity(f["severity"]),
            message_zh=f.get("message_zh", ""),
            message_en=f.get("message_en", ""),
            reference=f.get("reference", ""),
            confidence=Confidence(f["confidence"]),
            facts=dict(f.get("facts") or {}),
        )
        for f in vehicle.findings
    )
    deadlines = tuple(
        Deadline(d["kind"], dt.date.fromisoformat(d["due"]), d["rule"]) for d in vehicle.screening_deadlines
    )
    return VehicleResult(
        row=vehicle.pk,
        vin=vehicle.vin,
        verdict=Verdict(vehicle.verdict),
        commodity_code=vehicle.commodity_code or None,
        customs_name=vehicle.customs_name or None,
        findings=findings,
        deadlines=deadlines,
    )


def _vehicle_record(vehicle: Vehicle, commodity_code: str | None = None) -> VehicleRecord:
    return vehicle_record(
        screening.vehicle_record(vehicle), stored_result(vehicle), commodity_code=commodity_code
    )


def _exporter(organisation: Any) -> ExporterInfo:
    return exporter_info(screening.exporter_profile(organisation), address=organisation.address)


def _change_text(change: dict[str, Any]) -> str | None:
    """A short "key=value" summary of an audit snapshot (the state first); the full event stays in the
    audit trail."""
    keys = [k for k in change if k not in _AUDIT_SKIP]
    keys.sort(key=lambda k: k != "state")
    if not keys:
        return None
    shown = "; ".join(f"{k}={change[k]}" for k in keys[:_AUDIT_KEYS_SHOWN])
    more = len(keys) - _AUDIT_KEYS_SHOWN
    return f"{shown}; … (+{more})" if more > 0 else shown


def audit_entries(actor: Actor, vehicles: list[Vehicle]) -> dict[str, list[AuditEntry]]:
    """Each vehicle's audit events (by VIN or as the vehicle object), oldest first, in one query."""
    by_id = {v.pk: v.vin for v in vehicles}
    vins = [vin for vin in by_id.values() if vin]  # events of no vehicle carry vin ""
    events = (
        scoped(actor, AuditEvent)
        .filter(Q(vin__in=vins) | Q(object_type="vehicle", object_id__in=list(by_id)))
        .order_by("created_at", "id")
    )
    out: dict[str, list[AuditEntry]] = {vin: [] for vin in by_id.values()}
    for event in events:
        vin = event.vin or (by_id.get(event.object_id) if event.object_type == "vehicle" else None)
        if vin in out:
            out[vin].append(
                AuditEntry(
                    when=timezone.localtime(event.created_at),  # China time, as the case views show it
                    who=event.actor_label,
                    what=event.transition,
                    before=_change_text(event.before),
                    after=_change_text(event.after),
                )
            )
    return out


def _outlet(actor: Actor, licence: LicenceApplication, destination: str) -> ServiceOutlet | None:
    """The outlet named in the licence's confirmation letters, else the enterprise's only outlet in the
    destination; with several candidates and none named, the documents ask for it."""
    outlets = scoped(actor, OutletRow)
    named = outlets.filter(letters__licence=licence).distinct().order_by("id")
    candidates = list(named[:1]) or list(outlets.filter(country=destination).order_by("id")[:2])
    if len(candidates) != 1:
        return None
    row = candidates[0]
    place = ", ".join(p for p in (row.address, row.city) if p)
    name = f"{row.provider} ({row.city})" if row.city else row.provider
    return ServiceOutlet(name=name, address=place, provider=row.provider)


def licence_documents(actor: Actor, licence_id: int) -> LicenceDocuments:
    """The licence application as a document batch, with its vehicles' audit trails."""
    licence = get_scoped(actor, LicenceApplication, licence_id)
    lines = list(licence.lines.select_related("vehicle").order_by("commodity_code", "slot", "id"))
    if not lines:
        raise ValidationError(f"licence application {licence.pk} lists no vehicles yet")
    vehicles = [line.vehicle for line in lines]
    contract = licence.export_contract
    destination = (
        licence.destination
        or (contract.destination if contract is not None else "")
        or _shared_text(v.destination for v in vehicles)
    )
    if not destination:
        raise ValidationError(
            f"licence application {licence.pk} has no destination country: set it on the licence or on "
            "its export contract"
        )
    declaration = (
        scoped(actor, CustomsDeclaration)
        .filter(licence=licence)
        .exclude(state=DeclarationState.CANCELLED)
        .order_by("-id")
        .first()
    )
    clearance = declaration.clearance_date if declaration is not None else None
    batch = Batch(
        reference=licence.licence_number or f"LIC-{licence.pk:06d}",
        exporter=_exporter(licence.organisation),
        destination=destination,
        vehicles=tuple(_vehicle_record(line.vehicle, line.commodity_code) for line in lines),
        buyer=Party(contract.buyer) if contract is not None and contract.buyer else None,
        # The contract holds the Incoterms rule only; its named place is left to be supplied.
        trade_term=(
            TradeTerm(cast(TradeTermCode, contract.trade_term))
            if contract is not None and contract.trade_term in TRADE_TERMS
            else None
        ),
        service_outlet=_outlet(actor, licence, destination),
        licence_number=licence.licence_number or None,
        licence_application_date=licence.submitted_on
        or shared_date(v.licence_application_date for v in vehicles),
        clearance_date=clearance or shared_date(v.customs_clearance_date for v in vehicles),
        contract_number=contract.number if contract is not None else None,
        contract_date=contract.signed_on if contract is not None else None,
    )
    return LicenceDocuments(licence, batch, audit_entries(actor, vehicles))


def _shared_text(values: Any) -> str:
    """The text every value agrees on, else "" (a destination shared by all vehicles)."""
    found = set(values)
    return str(found.pop()) if len(found) == 1 else ""


# --- the catalogue of a licence's documents ------------------------------------------------------------


@dataclass(frozen=True)
class _Spec:
    name: str
    title_key: str
    language: str | None
    make: Callable[[LicenceDocuments, str | None], bytes]


def _letters_zip(docs: LicenceDocuments, lang2: str | None) -> bytes:
    letters = aftersales_request_letters_docx(docs.batch)
    if not letters:
        raise NotFound(
            f"no vehicle of licence application {docs.licence.pk} needs a manufacturer's "
            "after-sales confirmation that is not in hand"
        )
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, (manufacturer, data) in enumerate(letters.items(), start=1):
            archive.writestr(
                zipfile.ZipInfo(f"{n:02d}_{safe_name(manufacturer)}.docx", (2026, 1, 1, 0, 0, 0)), data
            )
    return buffer.getvalue()


def _bilingual(render: Callable[[Batch, str], bytes], lang: str) -> Callable[[LicenceDocuments, Any], bytes]:
    """A trade document in Chinese and ``lang`` (the language is part of its name)."""
    return lambda docs, _lang2: render(docs.batch, lang)


def _specs() -> list[_Spec]:
    specs = [
        _Spec(
            "package.zip",
            "doc.package",
            None,
            lambda d, lang2: application_package_zip(d.batch, lang2=lang2, audit=d.audit),
        ),
        _Spec("licence-data.xlsx", "doc.licence_sheet", None, lambda d, _: licence_data_sheet_xlsx(d.batch)),
        _Spec("checklist.xlsx", "doc.checklist_licence", None, lambda d, _: licence_checklist_xlsx(d.batch)),
        _Spec("checklist.docx", "doc.checklist_licence", None, lambda d, _: licence_checklist_docx(d.batch)),
        _Spec(
            "customs-draft.xlsx",
            "doc.customs_draft",
            None,
            lambda d, _: customs_declaration_draft_xlsx(d.batch),
        ),
        _Spec(
            "market-statement.docx",
            "doc.market_access",
            None,
            lambda d, _: market_access_statement_docx(d.batch),
        ),
        _Spec(AFTERSALES_LETTERS, "doc.aftersales_request", None, _letters_zip),
    ]
    for lang in SECOND_LANGUAGES:
        specs += [
            _Spec(f"contract-{lang}.docx", "doc.contract", lang, _bilingual(export_contract_docx, lang)),
            _Spec(f"invoice-{lang}.xlsx", "doc.invoice", lang, _bilingual(commercial_invoice_xlsx, lang)),
            _Spec(f"packing-list-{lang}.xlsx", "doc.packing_list", lang, _bilingual(packing_list_xlsx, lang)),
        ]
    specs += [
        _Spec(
            "deregistration-checklist.xlsx",
            "doc.checklist_deregistration",
            None,
            lambda d, _: deregistration_checklist_xlsx(d.batch),
        ),
        _Spec(
            "filing-commitment.docx",
            "doc.filing_commitment",
            None,
            lambda d, _: filing_commitment_letter_docx(d.batch.exporter),
        ),
        _Spec(
            "filing-outline.docx",
            "doc.filing_outline",
            None,
            lambda d, _: filing_application_outline_docx(d.batch.exporter),
        ),
    ]
    return specs


SPECS: dict[str, _Spec] = {spec.name: spec for spec in _specs()}


def _content_type(name: str) -> str:
    return CONTENT_TYPES[name.rsplit(".", 1)[-1]]


def available(actor: Actor, licence_id: int) -> list[dict[str, Any]]:
    """The documents a licence application has, in package order; the confirmation-letter requests only
    when a vehicle needs a letter not yet in hand. The contract's default second language (by
    destination) is marked."""
    docs = licence_documents(actor, licence_id)
    default_lang = default_second_language(docs.batch.destination)
    letters_needed = bool(build_aftersales_letters(docs.batch, Gaps()))
    return [
        {
            "name": spec.name,
            "title_zh": t(spec.title_key, "zh"),
            "title_en": t(spec.title_key, "en"),
            "content_type": _content_type(spec.name),
            "language": spec.language,
            "default": spec.language in (None, default_lang),
        }
        for spec in SPECS.values()
        if spec.name != AFTERSALES_LETTERS or letters_needed
    ]


def _check_second_language(lang2: str | None) -> None:
    if lang2 is not None and lang2 not in SECOND_LANGUAGES:
        raise ValidationError(f"lang2: expected one of {', '.join(SECOND_LANGUAGES)}, got {lang2!r}")


def licence_document(actor: Actor, licence_id: int, name: str, lang2: str | None = None) -> DocumentFile:
    """One document of a licence application by its name (see :data:`SPECS`); ``lang2`` chooses the
    second language of the package (default: by destination)."""
    spec = SPECS.get(name)
    if spec is None:
        raise NotFound(f"no document {name!r}; the documents are: {', '.join(SPECS)}")
    _check_second_language(lang2)
    docs = licence_documents(actor, licence_id)
    data = spec.make(docs, lang2 or None)
    return DocumentFile(f"licence-{docs.licence.pk}-{name}", _content_type(name), data)


def vehicle_dossier(actor: Actor, vehicle_id: int, lang: str = "zh") -> DocumentFile:
    """A vehicle's PDF dossier, labels in Chinese and ``lang`` (English for ``zh``)."""
    if lang not in TRADE_LANGS:
        raise ValidationError(f"lang: expected one of {', '.join(TRADE_LANGS)}, got {lang!r}")
    vehicle = get_scoped(actor, Vehicle, vehicle_id)
    line = vehicle.licence_lines.select_related("licence").order_by("-open", "-id").first()
    record = _vehicle_record(vehicle, line.commodity_code if line is not None else None)
    audit = audit_entries(actor, [vehicle])[vehicle.vin]
    application = vehicle.licence_application_date or (
        line.licence.submitted_on if line is not None else None
    )
    data = vehicle_dossier_pdf(
        record, _exporter(vehicle.organisation), audit, lang, application_date=application
    )
    return DocumentFile(f"dossier-{vehicle.vin}-{lang}.pdf", "application/pdf", data)


def http_response(document: DocumentFile) -> HttpResponse:
    """The download as both adapters (API and pages) answer it."""
    response = HttpResponse(document.data, content_type=document.content_type)
    filename = _UNSAFE_FILENAME.sub("_", document.filename)  # a stored VIN is data, not header syntax
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Content-Length"] = str(len(document.data))
    response["X-Content-Type-Options"] = "nosniff"
    return response
