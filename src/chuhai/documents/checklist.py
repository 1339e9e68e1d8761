"""Checklists: the licence application's required materials, and deregistration after clearance.

Each item is ticked from the records or flagged, never assumed: ``ok`` (the data shows it is
there), ``missing`` (something to supply), ``blocked`` (the licence would be refused as things
stand), ``to_do`` (Chuhai generated it; a person must print, sign, seal or attach it),
``not_applicable``. The materials and their sources (regulations.md §1b, §1c, §1g, §4, §5, §6 and
the operating guide in ``shared/seeds``):

- the application data, matching the 《机动车登记证书》 (648号 一(二) [verified-in-source]);
- at most 20 vehicles per commodity code (2024 No. 6 [secondary-source]);
- an export contract with after-sales terms, Chinese text prevailing ([secondary-source]);
- registration certificates in the exporter's name (2024 No. 6; 申办指南 2025);
- third-party test reports per WM/T 8-2022 / WM/T 9-2022 ([secondary-source]);
- the sealed target-market access statement (operating guide [secondary-source]);
- the manufacturers' 《售后维修服务确认书》 where required (648号; guideline 2025-12-11 [verified-in-source]);
- every value the generated documents still show as "【待补充 / to be supplied】".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from chuhai.documents._common import (
    DEREGISTRATION_PARAMETER,
    Gap,
    Gaps,
    add_months,
    aftersales_required,
    aftersales_source,
    by_manufacturer,
    law_value,
    max_per_code,
    opt_date,
    quantities_by_code,
    stated_law_value,
)
from chuhai.documents._docx import Doc
from chuhai.documents._xlsx import Book
from chuhai.documents.messages import CATALOGUE, MISSING, bi, t
from chuhai.documents.model import Batch
from chuhai.engine.model import Confidence, Verdict

# 申办指南 2025 (regulations.md §1g, secondary-source): the filing is valid for a number of years from
# approval; the number is the law parameter, read for the application date as the engine does.
FILING_VALIDITY_PARAMETER = "exporter.filing_validity_years"
DEREGISTRATION_RULE = "deregistration_due"


class Status(StrEnum):
    OK = "ok"
    MISSING = "missing"
    BLOCKED = "blocked"
    TO_DO = "to_do"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True)
class Note:
    """One translatable line of an item's detail: a catalogue key and its parameters.

    A parameter value starting with "@" is itself a catalogue key, translated with the line.
    """

    key: str
    params: tuple[tuple[str, str], ...] = ()

    def render(self, lang: str) -> str:
        values = {k: t(v[1:], lang) if v.startswith("@") else v for k, v in self.params}
        return t(self.key, lang, **values)


def note(key: str, **params: object) -> Note:
    return Note(key, tuple((k, str(v)) for k, v in params.items()))


@dataclass(frozen=True)
class ChecklistItem:
    """One material or condition, with the vehicles it concerns and its legal source."""

    key: str
    status: Status
    notes: tuple[Note, ...] = ()
    vins: tuple[str, ...] = ()
    reference: str = ""
    confidence: Confidence = Confidence.SECONDARY

    def title(self, lang: str) -> str:
        return t(f"check.{self.key}", lang)

    def detail(self, lang: str) -> str:
        return "\n".join(n.render(lang) for n in self.notes)


@dataclass(frozen=True)
class Checklist:
    batch_reference: str
    kind: str  # "licence" or "deregistration"
    items: tuple[ChecklistItem, ...] = field(default_factory=tuple)

    @property
    def complete(self) -> bool:
        """True when nothing is missing or blocked (to-do steps such as sealing remain)."""
        return all(i.status not in (Status.MISSING, Status.BLOCKED) for i in self.items)

    def item(self, key: str) -> ChecklistItem:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)


def _worst(statuses: Iterable[Status]) -> Status:
    order = (Status.BLOCKED, Status.MISSING, Status.TO_DO, Status.OK)
    present = set(statuses)
    for status in order:
        if status in present:
            return status
    return Status.NOT_APPLICABLE


# -- gaps of the generated documents ------------------------------------------------------------------


def batch_gaps(batch: Batch) -> dict[str, list[Gap]]:
    """Every value the batch's documents print as the marker, by document (catalogue key)."""
    from chuhai.documents.customs import build_customs_data
    from chuhai.documents.letters import build_aftersales_letters, build_statement_data
    from chuhai.documents.licence import build_licence_data
    from chuhai.documents.trade import DOC_INVOICE, DOC_PACKING, build_contract, build_goods

    gaps = Gaps()
    build_licence_data(batch, gaps)
    build_statement_data(batch, gaps)
    build_aftersales_letters(batch, gaps)
    build_contract(batch, gaps, "en")
    build_goods(batch, gaps, DOC_INVOICE, "en")
    build_goods(batch, gaps, DOC_PACKING, "en")
    build_customs_data(batch, gaps)
    grouped: dict[str, list[Gap]] = {}
    for gap in gaps.unique():
        grouped.setdefault(gap.document, []).append(gap)
    return grouped


def _gap_notes(gaps: list[Gap]) -> tuple[Note, ...]:
    by_label: dict[str, list[str]] = {}
    for gap in gaps:
        by_label.setdefault(gap.label, []).append(gap.vin or "")
    notes = []
    for label, vins in by_label.items():
        listed = ", ".join(v for v in vins if v)
        # A catalogue key is translated with the line ("@"); an element name is printed as is.
        notes.append(
            note("check.gap_line", label=f"@{label}" if label in CATALOGUE else label, vins=listed or "—")
        )
    return tuple(notes)


# -- the licence checklist ---------------------------------------------------------------------------


def licence_checklist(batch: Batch) -> Checklist:
    """The pre-submission checklist of the licence application for ``batch``."""
    items = [
        _exporter_filing(batch),
        _application_data(batch),
        _quantity_per_code(batch),
        _contract(batch),
        _certificates(batch),
        _test_reports(batch),
        _market_access(batch),
        _aftersales(batch),
        _screening(batch),
    ]
    # The application data and the contract have their own items above; every other document's
    # gaps get one item each, the customs draft (needed after the licence) last.
    gaps = batch_gaps(batch)
    covered = {"doc.licence_sheet", "doc.contract"}
    documents = [d for d in gaps if d not in covered and d != "doc.customs_draft"]
    for document in documents + (["doc.customs_draft"] if "doc.customs_draft" in gaps else []):
        items.append(
            ChecklistItem(
                f"gaps.{document}",
                Status.MISSING,
                (note("check.gap_intro", document=f"@{document}"), *_gap_notes(gaps[document])),
                tuple(dict.fromkeys(g.vin for g in gaps[document] if g.vin)),
                "—",
                Confidence.VERIFIED,
            )
        )
    return Checklist(batch.reference, "licence", tuple(items))


def _exporter_filing(batch: Batch) -> ChecklistItem:
    exporter, ref = batch.exporter, "2024年第6号公告; 二手车出口有关事项申办指南(2025年修订)"
    if exporter.kind == "project_contractor":
        # Project contractors need no filing but apply with their bid documents
        # (rule-catalog.md, exporter.not_filed).
        return ChecklistItem("exporter_filing", Status.TO_DO, (note("check.filing_project"),), (), ref)
    if exporter.filing_approved_on is None:
        return ChecklistItem("exporter_filing", Status.BLOCKED, (note("check.filing_none"),), (), ref)
    application = batch.licence_application_date
    validity = stated_law_value(FILING_VALIDITY_PARAMETER, application)
    # Same reading as the engine's exporter.filing_expired: the filing lapses on its anniversary, so
    # the last valid day is the day before.
    expiry = add_months(exporter.filing_approved_on, 12 * validity.value) - dt.timedelta(days=1)
    if application is None:
        return ChecklistItem(
            "exporter_filing",
            Status.MISSING,
            (note("check.filing_until", until=expiry.isoformat()), note("check.no_application_date")),
            (),
            ref,
        )
    if application > expiry:
        return ChecklistItem(
            "exporter_filing",
            Status.BLOCKED,
            (note("check.filing_expired", until=expiry.isoformat(), date=application.isoformat()),),
            (),
            ref,
        )
    return ChecklistItem(
        "exporter_filing", Status.OK, (note("check.filing_until", until=expiry.isoformat()),), (), ref
    )


def _application_data(batch: Batch) -> ChecklistItem:
    from chuhai.documents.licence import DOCUMENT, build_licence_data

    gaps = Gaps()
    build_licence_data(batch, gaps)
    own = [g for g in gaps.unique() if g.document == DOCUMENT]
    ref = "商贸函〔2025〕648号 一(二)"
    if own:
        return ChecklistItem(
            "application_data",
            Status.MISSING,
            _gap_notes(own),
            tuple(dict.fromkeys(g.vin for g in own if g.vin)),
            ref,
            Confidence.VERIFIED,
        )
    return ChecklistItem(
        "application_data", Status.OK, (note("check.application_data_ok"),), (), ref, Confidence.VERIFIED
    )


def _quantity_per_code(batch: Batch) -> ChecklistItem:
    quantities = quantities_by_code(batch.vehicles)
    limit = max_per_code(batch.licence_application_date)
    over = {code: n for code, n in quantities.items() if limit is not None and n > limit and code != MISSING}
    notes = tuple(note("check.code_quantity", code=code, quantity=n) for code, n in quantities.items())
    if over:
        vins = tuple(v.vin for v in batch.vehicles if v.commodity_code in over)
        return ChecklistItem(
            "quantity_per_code",
            Status.BLOCKED,
            (*notes, note("check.over_limit", limit=limit)),
            vins,
            "2024年第6号公告",
        )
    return ChecklistItem("quantity_per_code", Status.OK, notes, (), "2024年第6号公告")


def _contract(batch: Batch) -> ChecklistItem:
    from chuhai.documents.trade import DOC_CONTRACT, build_contract

    gaps = Gaps()
    build_contract(batch, gaps, "en")
    own = [g for g in gaps.unique() if g.document == DOC_CONTRACT]
    ref = "2024年第6号公告; 商贸函〔2025〕648号"
    if own:
        return ChecklistItem(
            "contract",
            Status.MISSING,
            (note("check.contract_gaps"), *_gap_notes(own)),
            tuple(dict.fromkeys(g.vin for g in own if g.vin)),
            ref,
        )
    return ChecklistItem("contract", Status.TO_DO, (note("check.contract_sign"),), (), ref)


def _certificates(batch: Batch) -> ChecklistItem:
    missing = [v.vin for v in batch.vehicles if v.owner_name is None]
    wrong = [
        v.vin for v in batch.vehicles if v.owner_name is not None and v.owner_name != batch.exporter.name
    ]
    ref = "2024年第6号公告; 申办指南2025 (谁出口谁申领)"
    notes = []
    if wrong:
        notes.append(note("check.owner_wrong", exporter=batch.exporter.name, vins=", ".join(wrong)))
    if missing:
        notes.append(note("check.owner_unknown", vins=", ".join(missing)))
    if wrong:
        return ChecklistItem("certificates", Status.BLOCKED, tuple(notes), tuple(wrong + missing), ref)
    if missing:
        return ChecklistItem("certificates", Status.MISSING, tuple(notes), tuple(missing), ref)
    return ChecklistItem("certificates", Status.TO_DO, (note("check.certificates_attach"),), (), ref)


def _test_reports(batch: Batch) -> ChecklistItem:
    missing, failed, wrong = [], [], []
    for v in batch.vehicles:
        report = v.test_report
        if report is None:
            missing.append(v.vin)
            continue
        if report.result == "fail":
            failed.append(v.vin)
        # WM/T 8-2022 for used passenger cars, WM/T 9-2022 for commercial vehicles and trailers (§5).
        expected = "WM/T 8-2022" if v.category == "passenger" else "WM/T 9-2022"
        if report.standard != expected:
            wrong.append(v.vin)
    ref = "2024年第6号公告; WM/T 8-2022; WM/T 9-2022"
    notes = []
    if failed:
        notes.append(note("check.test_failed", vins=", ".join(failed)))
    if missing:
        notes.append(note("check.test_missing", vins=", ".join(missing)))
    if wrong:
        notes.append(note("check.test_standard", vins=", ".join(wrong)))
    if failed:
        return ChecklistItem(
            "test_reports", Status.BLOCKED, tuple(notes), tuple(failed + missing + wrong), ref
        )
    if missing or wrong:
        return ChecklistItem("test_reports", Status.MISSING, tuple(notes), tuple(missing + wrong), ref)
    return ChecklistItem(
        "test_reports", Status.OK, (note("check.tests_ok", count=len(batch.vehicles)),), (), ref
    )


def _market_access(batch: Batch) -> ChecklistItem:
    return ChecklistItem(
        "market_access",
        Status.TO_DO,
        (note("check.statement_seal"),),
        (),
        "二手车出口业务操作指南; 商贸函〔2019〕165号",
    )


def _aftersales(batch: Batch) -> ChecklistItem:
    application = batch.licence_application_date
    reference, confidence = aftersales_source()
    needed, unknown, held = [], [], []
    for v in batch.vehicles:
        required = aftersales_required(v, application)
        if required is None:
            unknown.append(v.vin)
        elif required and v.aftersales_confirmation.held:
            held.append(v.vin)
        elif required:
            needed.append(v)
    if not needed and not unknown and not held:
        return ChecklistItem(
            "aftersales",
            Status.NOT_APPLICABLE,
            (note("check.aftersales_none"),),
            (),
            reference,
            confidence,
        )
    notes = []
    for manufacturer, vehicles in by_manufacturer(needed).items():
        notes.append(
            note(
                "check.aftersales_request", manufacturer=manufacturer, vins=", ".join(v.vin for v in vehicles)
            )
        )
    if unknown:
        notes.append(note("check.aftersales_unknown", vins=", ".join(unknown)))
    if held:
        notes.append(note("check.aftersales_held", vins=", ".join(held)))
    status = Status.MISSING if needed or unknown else Status.OK
    return ChecklistItem(
        "aftersales",
        status,
        tuple(notes),
        tuple([v.vin for v in needed] + unknown),
        reference,
        confidence,
    )


def _screening(batch: Batch) -> ChecklistItem:
    statuses, notes, vins = [], [], []
    for v in batch.vehicles:
        if v.verdict is None:
            statuses.append(Status.MISSING)
            notes.append(note("check.not_screened", vin=v.vin))
            vins.append(v.vin)
        elif v.verdict in (Verdict.BLOCKED, Verdict.INVALID):
            statuses.append(Status.BLOCKED)
            rules = ", ".join(f.rule for f in v.findings if f.severity.value in ("block", "invalid"))
            notes.append(note("check.vehicle_blocked", vin=v.vin, rules=rules or "—"))
            vins.append(v.vin)
        elif v.verdict == Verdict.ACTION_REQUIRED:
            statuses.append(Status.TO_DO)
            rules = ", ".join(f.rule for f in v.findings if f.severity.value == "action")
            notes.append(note("check.vehicle_action", vin=v.vin, rules=rules or "—"))
            vins.append(v.vin)
        else:
            statuses.append(Status.OK)
    status = _worst(statuses)
    if status == Status.OK:
        notes.append(note("check.all_eligible", count=len(batch.vehicles)))
    return ChecklistItem("screening", status, tuple(notes), tuple(vins), "rule-catalog", Confidence.VERIFIED)


# -- deregistration -------------------------------------------------------------------------------------


def deregistration_checklist(batch: Batch) -> Checklist:
    """After clearance: each vehicle's deregistration (注销登记) with its due date and documents.

    The due date is the engine's ``deregistration_due`` deadline when the record has one, else
    clearance + the months of law parameter ``registration.deregistration_months`` in force on the
    clearance date (regulations.md §6 [secondary-source]; month-end clamping [inferred]).
    """
    ref = "2024年第6号公告; regulations.md §6"
    items = []
    for v in batch.vehicles:
        due = next((d.due for d in v.deadlines if d.kind == DEREGISTRATION_RULE), None)
        months = law_value(DEREGISTRATION_PARAMETER, batch.clearance_date) if batch.clearance_date else None
        if due is None and batch.clearance_date is not None and months is not None:
            due = add_months(batch.clearance_date, months.value)
        notes = [
            note(
                "check.dereg_vehicle",
                brand=v.brand or MISSING,
                model=v.model or MISSING,
                registration=opt_date(v.registration_date) or MISSING,
            )
        ]
        if due is None:
            notes.append(note("check.dereg_no_clearance"))
            items.append(ChecklistItem(f"dereg.{v.vin}", Status.MISSING, tuple(notes), (v.vin,), ref))
            continue
        notes += [
            note("check.dereg_due", clearance=opt_date(batch.clearance_date) or MISSING, due=due.isoformat()),
            note("check.dereg_documents"),
        ]
        items.append(ChecklistItem(f"dereg.{v.vin}", Status.TO_DO, tuple(notes), (v.vin,), ref))
    return Checklist(batch.reference, "deregistration", tuple(items))


# -- rendering --------------------------------------------------------------------------------------------


def _title(checklist: Checklist, lang: str) -> str:
    return t(f"doc.checklist_{checklist.kind}", lang)


def _item_title(item: ChecklistItem, lang: str) -> str:
    if item.key.startswith("gaps."):
        return t("check.gaps", lang, document=t(item.key[5:], lang))
    if item.key.startswith("dereg."):
        return t("check.dereg", lang, vin=item.key[6:])
    return item.title(lang)


def checklist_xlsx(checklist: Checklist) -> bytes:
    """The checklist as a bilingual (Chinese / English) worksheet."""
    book = Book()
    sheet = book.sheet("Checklist")
    sheet.title(f"{_title(checklist, 'zh')} {_title(checklist, 'en')} — {checklist.batch_reference}")
    sheet.pair(bi("check.complete"), t("common.yes" if checklist.complete else "common.no", "zh"))
    sheet.blank()
    sheet.write_row(
        [
            bi("common.seq"),
            bi("check.item"),
            bi("check.status"),
            bi("check.detail_zh"),
            bi("check.detail_en"),
            bi("lic.vin"),
            bi("check.source"),
            bi("dossier.confidence"),
        ],
        header=True,
    )
    for i, item in enumerate(checklist.items, start=1):
        sheet.write_row(
            [
                i,
                f"{_item_title(item, 'zh')}\n{_item_title(item, 'en')}",
                f"{t(f'status.{item.status.value}', 'zh')} / {t(f'status.{item.status.value}', 'en')}",
                item.detail("zh"),
                item.detail("en"),
                "\n".join(item.vins),
                item.reference,
                item.confidence.value,
            ]
        )
    return book.close()


def checklist_docx(checklist: Checklist) -> bytes:
    """The checklist as a printable table (Chinese, with English status words)."""
    doc = Doc(_title(checklist, "zh"))
    doc.heading(_title(checklist, "zh"))
    doc.para(f"{t('lic.batch', 'zh')}: {checklist.batch_reference}")
    doc.para(f"{t('check.complete', 'zh')}: {t('common.yes' if checklist.complete else 'common.no', 'zh')}")
    rows = [
        [
            str(i),
            _item_title(item, "zh"),
            f"{t(f'status.{item.status.value}', 'zh')} ({item.status.value})",
            item.detail("zh"),
            item.reference,
        ]
        for i, item in enumerate(checklist.items, start=1)
    ]
    doc.table(
        [
            t("common.seq", "zh"),
            t("check.item", "zh"),
            t("check.status", "zh"),
            t("check.detail_zh", "zh"),
            t("check.source", "zh"),
        ],
        rows,
    )
    return doc.bytes()


def licence_checklist_xlsx(batch: Batch) -> bytes:
    return checklist_xlsx(licence_checklist(batch))


def licence_checklist_docx(batch: Batch) -> bytes:
    return checklist_docx(licence_checklist(batch))


def deregistration_checklist_xlsx(batch: Batch) -> bytes:
    return checklist_xlsx(deregistration_checklist(batch))


def deregistration_checklist_docx(batch: Batch) -> bytes:
    return checklist_docx(deregistration_checklist(batch))
