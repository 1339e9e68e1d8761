"""Editable DOCX templates that the enterprise prints, signs and seals.

- the statement that the batch's vehicles meet the destination's market-access standards
  (licence material per the operating guide in ``shared/seeds``; 商贸函〔2019〕165号 [secondary-source]);
- one letter per manufacturer asking for the 《售后维修服务确认书》 (商贸函〔2025〕648号 一(一) and the
  MOFCOM guideline of 2025-12-11 [verified-in-source]: destination, every VIN, overseas outlet, one
  letter per manufacturer, only the manufacturer named in MIIT's catalogue may issue it);
- the commitment letter and the outline of the used-car export filing application (2024 No. 6;
  申办指南 2025 [secondary-source]).

All prose comes from the message catalogue; all data from the records.
"""

from __future__ import annotations

from dataclasses import dataclass

from chuhai.documents._common import (
    AFTERSALES_PARAMETER,
    Gaps,
    aftersales_required,
    by_manufacturer,
    country,
    opt_date,
    stated_law_value,
)
from chuhai.documents._docx import Doc
from chuhai.documents.messages import MISSING, t
from chuhai.documents.model import Batch, ExporterInfo, VehicleRecord

DOC_STATEMENT = "doc.market_access"
DOC_AFTERSALES = "doc.aftersales_request"
DOC_COMMITMENT = "doc.filing_commitment"
DOC_OUTLINE = "doc.filing_outline"

SIGN_LINE = "____________"


def _signature(doc: Doc, exporter: ExporterInfo) -> None:
    doc.para("")
    doc.para(t("letter.seal", "zh", name=exporter.name))
    doc.para(t("letter.legal_rep", "zh", name=exporter.legal_representative or SIGN_LINE))
    doc.para(t("letter.date_line", "zh"))


def _sources(doc: Doc, key: str) -> None:
    doc.para("")
    doc.para(t(key, "zh"), size=8)


# -- market-access statement --------------------------------------------------------------------


@dataclass(frozen=True)
class StatementData:
    destination: str
    rows: tuple[tuple[str, ...], ...]


def build_statement_data(batch: Batch, gaps: Gaps) -> StatementData:
    def fill(value: str | None, label_key: str, vin: str | None = None) -> str:
        return gaps.fill(value, document=DOC_STATEMENT, label=label_key, vin=vin)

    rows = []
    for i, v in enumerate(batch.vehicles, start=1):
        report = v.test_report
        rows.append(
            (
                str(i),
                v.vin,
                fill(v.brand, "lic.brand", v.vin),
                fill(v.model, "lic.model", v.vin),
                fill(opt_date(v.registration_date), "lic.registration_date", v.vin),
                fill(None if report is None else report.number, "doc.test_report_number", v.vin),
                fill(None if report is None else report.standard, "doc.test_standard", v.vin),
                fill(
                    None if report is None else t(f"result.{report.result}", "zh"),
                    "dossier.test_result",
                    v.vin,
                ),
            )
        )
    return StatementData(fill(country(batch.destination, "zh"), "lic.destination"), tuple(rows))


def market_access_statement_docx(batch: Batch) -> bytes:
    """The sealed statement that the vehicles meet the destination market's access standards."""
    data = build_statement_data(batch, Gaps())
    exporter = batch.exporter
    doc = Doc(t(DOC_STATEMENT, "zh"))
    doc.heading(t(DOC_STATEMENT, "zh"))
    doc.para(t("statement.addressee", "zh"))
    doc.para(
        t(
            "statement.body",
            "zh",
            exporter=exporter.name,
            uscc=exporter.uscc,
            count=len(batch.vehicles),
            destination=data.destination,
            batch=batch.reference,
        )
    )
    for key in (
        "statement.point_market",
        "statement.point_test",
        "statement.point_certificate",
        "statement.point_owner",
    ):
        doc.para(t(key, "zh", destination=data.destination, exporter=exporter.name))
    doc.table(
        [
            t("common.seq", "zh"),
            t("lic.vin", "zh"),
            t("lic.brand", "zh"),
            t("lic.model", "zh"),
            t("lic.registration_date", "zh"),
            t("doc.test_report_number", "zh"),
            t("doc.test_standard", "zh"),
            t("dossier.test_result", "zh"),
        ],
        data.rows,
    )
    doc.para(t("statement.liability", "zh"))
    _signature(doc, exporter)
    _sources(doc, "statement.sources")
    return doc.bytes()


# -- after-sales confirmation requests ----------------------------------------------------------


@dataclass(frozen=True)
class AftersalesLetterData:
    manufacturer: str
    destination: str
    application_date: str
    outlet: tuple[str, str, str]
    rows: tuple[tuple[str, ...], ...]
    required_count: int


def _window_text(vehicle: VehicleRecord, batch: Batch) -> tuple[str, str]:
    """Days from registration to the application date, and whether the letter is needed."""
    required = aftersales_required(vehicle, batch.licence_application_date)
    days = (
        str((batch.licence_application_date - vehicle.registration_date).days)
        if batch.licence_application_date is not None and vehicle.registration_date is not None
        else MISSING
    )
    answer = {True: t("common.yes", "zh"), False: t("common.no", "zh"), None: t("common.unknown", "zh")}[
        required
    ]
    return days, answer


def build_aftersales_letters(
    batch: Batch, gaps: Gaps, *, only_required: bool = True
) -> list[AftersalesLetterData]:
    """One letter per manufacturer; with ``only_required`` only manufacturers of at least one vehicle
    that needs a confirmation it does not hold yet (or whose need cannot be told yet)."""

    def fill(value: str | None, label_key: str, vin: str | None = None) -> str:
        return gaps.fill(value, document=DOC_AFTERSALES, label=label_key, vin=vin)

    letters = []
    for manufacturer, vehicles in by_manufacturer(batch.vehicles).items():
        needs = [aftersales_required(v, batch.licence_application_date) for v in vehicles]
        open_needs = [
            need
            for need, v in zip(needs, vehicles, strict=True)
            if need is not False and not v.aftersales_confirmation.held
        ]
        if only_required and not open_needs:
            continue
        if manufacturer == MISSING:
            for v in vehicles:
                gaps.fill(None, document=DOC_AFTERSALES, label="doc.manufacturer", vin=v.vin)
        outlet = batch.service_outlet
        rows = []
        for i, v in enumerate(vehicles, start=1):
            days, answer = _window_text(v, batch)
            rows.append(
                (
                    str(i),
                    v.vin,
                    fill(v.brand, "lic.brand", v.vin),
                    fill(v.model, "lic.model", v.vin),
                    fill(opt_date(v.registration_date), "lic.registration_date", v.vin),
                    days,
                    answer,
                )
            )
        letters.append(
            AftersalesLetterData(
                manufacturer,
                fill(country(batch.destination, "zh"), "lic.destination"),
                fill(opt_date(batch.licence_application_date), "lic.application_date"),
                (
                    fill(None if outlet is None else outlet.name, "doc.outlet_name"),
                    fill(None if outlet is None else outlet.address, "doc.outlet_address"),
                    fill(None if outlet is None else outlet.provider, "doc.outlet_provider"),
                ),
                tuple(rows),
                sum(1 for need in needs if need),
            )
        )
    return letters


def aftersales_request_letters_docx(batch: Batch, *, only_required: bool = True) -> dict[str, bytes]:
    """manufacturer name → DOCX of the letter asking it for the 《售后维修服务确认书》.

    Each letter lists every VIN of that manufacturer in the batch (the guideline asks for "every
    vehicle's VIN") and marks which fall inside the 180-day window.
    """
    exporter = batch.exporter
    result: dict[str, bytes] = {}
    for letter in build_aftersales_letters(batch, Gaps(), only_required=only_required):
        doc = Doc(t(DOC_AFTERSALES, "zh"))
        doc.heading(t(DOC_AFTERSALES, "zh"))
        doc.para(t("aftersales.addressee", "zh", manufacturer=letter.manufacturer))
        doc.para(
            t(
                "aftersales.intro",
                "zh",
                exporter=exporter.name,
                uscc=exporter.uscc,
                destination=letter.destination,
                count=len(letter.rows),
                application_date=letter.application_date,
            )
        )
        window = stated_law_value(AFTERSALES_PARAMETER, batch.licence_application_date)
        doc.para(t("aftersales.rule", "zh", days=window.value, start=window.start.isoformat()))
        doc.para(t("aftersales.issuer", "zh"))
        doc.para(t("aftersales.request", "zh"))
        doc.para(t("aftersales.item_destination", "zh", destination=letter.destination))
        doc.para(
            t(
                "aftersales.item_vehicles",
                "zh",
                law_on=batch.licence_application_date,
                count=len(letter.rows),
                required=letter.required_count,
            )
        )
        doc.table(
            [
                t("common.seq", "zh"),
                t("lic.vin", "zh"),
                t("lic.brand", "zh"),
                t("lic.model", "zh"),
                t("lic.registration_date", "zh"),
                t("aftersales.days", "zh"),
                t("aftersales.needed", "zh"),
            ],
            letter.rows,
        )
        name, address, provider = letter.outlet
        doc.para(t("aftersales.item_outlet", "zh", name=name, address=address, provider=provider))
        doc.para(t("aftersales.seal_request", "zh"))
        contact = exporter.contact
        doc.para(
            t(
                "letter.contact",
                "zh",
                name=contact.name if contact else SIGN_LINE,
                phone=(contact.phone if contact and contact.phone else SIGN_LINE),
            )
        )
        doc.para(t("letter.closing", "zh"))
        _signature(doc, exporter)
        _sources(doc, "aftersales.sources")
        key = letter.manufacturer
        suffix = 2
        while key in result:  # only the marker can repeat; keep every letter
            key = f"{letter.manufacturer} ({suffix})"
            suffix += 1
        result[key] = doc.bytes()
    return result


# -- filing: commitment letter and application outline -------------------------------------------

COMMITMENT_POINTS = (
    "commitment.truthful",
    "commitment.legal_person",
    "commitment.self_apply",
    "commitment.prohibited",
    "commitment.testing",
    "commitment.aftersales",
    "commitment.deregistration",
    "commitment.credit",
)


def filing_commitment_letter_docx(exporter: ExporterInfo) -> bytes:
    """The commitment letter (承诺书) of the used-car export filing application."""
    doc = Doc(t(DOC_COMMITMENT, "zh"))
    doc.heading(t(DOC_COMMITMENT, "zh"))
    doc.para(t("commitment.addressee", "zh"))
    doc.para(
        t(
            "commitment.intro",
            "zh",
            name=exporter.name,
            uscc=exporter.uscc,
            kind=t(f"kind.{exporter.kind}", "zh"),
        )
    )
    for number, key in enumerate(COMMITMENT_POINTS, start=1):
        doc.para(f"{t(f'common.ordinal.{number}', 'zh')}{t(key, 'zh')}")
    doc.para(t("commitment.closing", "zh"))
    _signature(doc, exporter)
    _sources(doc, "commitment.sources")
    return doc.bytes()


def build_outline_rows(exporter: ExporterInfo, gaps: Gaps) -> list[tuple[str, str]]:
    def fill(value: str | None, label_key: str) -> str:
        return gaps.fill(value, document=DOC_OUTLINE, label=label_key)

    contact = exporter.contact
    rows = [
        (t("outline.name", "zh"), exporter.name),
        (t("party.uscc", "zh"), exporter.uscc),
        (t("outline.kind", "zh"), t(f"kind.{exporter.kind}", "zh")),
        (t("party.address", "zh"), fill(exporter.address, "party.address")),
        (t("outline.legal_rep", "zh"), fill(exporter.legal_representative, "outline.legal_rep")),
        (t("outline.contact", "zh"), fill(None if contact is None else contact.name, "outline.contact")),
        (t("outline.phone", "zh"), fill(None if contact is None else contact.phone, "outline.phone")),
        (t("outline.customs_code", "zh"), fill(exporter.customs_code, "outline.customs_code")),
    ]
    if exporter.kind == "circulation":
        # 2024 No. 6 (regulations.md §1g, secondary-source): a fixed office and a display and sales
        # site, and at least 3 used-car appraisal professionals.
        rows.append(
            (t("outline.display_site", "zh"), fill(exporter.display_site_address, "outline.display_site"))
        )
        appraisers = fill(
            None if exporter.appraiser_count is None else str(exporter.appraiser_count), "outline.appraisers"
        )
        if exporter.appraiser_count is not None and exporter.appraiser_count < 3:
            appraisers = f"{appraisers} {t('outline.appraisers_short', 'zh')}"
        rows.append((t("outline.appraisers", "zh"), appraisers))
    if exporter.filing_approved_on is not None:
        rows.append((t("outline.previous_filing", "zh"), exporter.filing_approved_on.isoformat()))
    return rows


def filing_application_outline_docx(exporter: ExporterInfo) -> bytes:
    """The outline of the filing application: enterprise situation, development plan, implementation plan."""
    doc = Doc(t(DOC_OUTLINE, "zh"))
    doc.heading(t(DOC_OUTLINE, "zh"))
    doc.para(t("outline.intro", "zh"))
    doc.para(t("outline.section_situation", "zh"), bold=True)
    doc.table([t("outline.field", "zh"), t("outline.value", "zh")], build_outline_rows(exporter, Gaps()))
    doc.para(t("outline.situation_prose", "zh"))
    doc.para(t("outline.section_plan", "zh"), bold=True)
    doc.para(t("outline.plan_prose", "zh"))
    doc.para(t("outline.section_implementation", "zh"), bold=True)
    doc.para(t("outline.implementation_prose", "zh"))
    doc.para(t("outline.section_materials", "zh"), bold=True)
    materials = [
        "outline.mat_licence",
        "outline.mat_customs_code",
        "outline.mat_commitment",
        "outline.mat_audit",
    ]
    if exporter.kind == "circulation":
        materials += ["outline.mat_site", "outline.mat_appraisers"]
    for number, key in enumerate(materials, start=1):
        doc.para(f"{number}. {t(key, 'zh')}")
    _signature(doc, exporter)
    _sources(doc, "outline.sources")
    return doc.bytes()
