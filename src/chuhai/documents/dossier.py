"""The PDF dossier of one vehicle: identity, verdict with findings and sources, documents held, audit.

Rendered with Typst (libraries.md §1.6: correct CJK, Cyrillic and Arabic shaping and bidi in the
project's test) from ``templates/dossier.typ`` with the fonts shipped in ``fonts/`` (Noto Sans,
Noto Naskh Arabic: OFL-1.1; WenQuanYi Micro Hei: Apache-2.0 or GPL-3 with font exception), never
the machine's own fonts, so the output is the same everywhere. The data travels as JSON and is
inserted as plain text: nothing in a record can inject Typst markup.

Every label is printed in Chinese and in the dossier's language (English for ``lang="zh"``).
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chuhai.documents._common import (
    BODY_ZH,
    Gaps,
    aftersales_required,
    fmt_decimal,
    opt_date,
    opt_int,
    product_name,
)
from chuhai.documents.messages import CATALOGUE, MISSING, RTL_LANGS, TRADE_LANGS, t
from chuhai.documents.model import AuditEntry, ExporterInfo, VehicleRecord
from chuhai.engine.model import Confidence
from chuhai.errors import ValidationError

if TYPE_CHECKING:
    import typst

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
TEMPLATE = HERE / "templates" / "dossier.typ"
DOCUMENT = "doc.dossier"


@cache
def _fonts() -> typst.Fonts:
    """The shipped fonts only (no system or embedded fonts), loaded once per process."""
    import typst  # imported here so the other generators work where the Typst wheel is not installed

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(FONTS_DIR)])


def _direction(text: str) -> str:
    """ "rtl" for text whose first strong character is right-to-left (Arabic), else "ltr"."""
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return "ltr"


def _t(text: str) -> dict[str, str]:
    return {"t": text, "d": _direction(text)}


class _Builder:
    def __init__(self, lang: str, gaps: Gaps, vin: str) -> None:
        self.lang = lang
        self.other = "en" if lang == "zh" else lang
        self.gaps = gaps
        self.vin = vin

    def label(self, key: str, **params: object) -> dict[str, Any]:
        return {"zh": t(key, "zh", **params), "o": _t(t(key, self.other, **params))}

    def value(self, value: str | None, key: str) -> dict[str, str]:
        return _t(self.gaps.fill(value, document=DOCUMENT, label=key, vin=self.vin))

    def pair(self, key: str, value: str | None) -> dict[str, Any]:
        return {"label": self.label(key), "value": self.value(value, key)}

    def both(self, key: str, **params: object) -> str:
        """A value word in Chinese and the second language, e.g. "是 / Yes"."""
        return f"{t(key, 'zh', **params)} / {t(key, self.other, **params)}"


def _section(
    title: dict[str, Any],
    rows: list[Any],
    *,
    kind: str = "pairs",
    header: list[Any] | None = None,
    columns: list[int] | None = None,
    note: str | None = None,
) -> dict[str, Any]:
    return {
        "title": title,
        "kind": kind,
        "rows": rows,
        "header": header or [],
        "columns": columns or [],
        "note": None if note is None else _t(note),
    }


def dossier_data(
    vehicle: VehicleRecord,
    exporter: ExporterInfo,
    audit: list[AuditEntry],
    lang: str = "en",
    *,
    application_date: dt.date | None = None,
) -> dict[str, Any]:
    """The JSON-ready content of the dossier (also useful for an HTML view of the same record)."""
    if lang not in TRADE_LANGS:
        raise ValidationError(f"dossier language must be one of {', '.join(TRADE_LANGS)}, got {lang!r}")
    b = _Builder(lang, Gaps(), vehicle.vin)
    v = vehicle
    fuel = None if v.fuel is None else b.both(f"fuel.{v.fuel}")
    body = None if v.body_type not in BODY_ZH else b.both(f"body.{v.body_type}")
    identity = [
        b.pair("lic.vin", v.vin),
        b.pair("lic.brand", v.brand),
        b.pair("lic.model", v.model),
        b.pair("doc.manufacturer", v.manufacturer),
        b.pair("dossier.fuel", fuel),
        b.pair("dossier.body", body),
        b.pair("dossier.displacement", None if v.displacement_ml is None else f"{v.displacement_ml} ml")
        if v.fuel != "bev"
        else b.pair(
            "dossier.battery", None if v.battery_kwh is None else f"{fmt_decimal(v.battery_kwh)} kWh"
        ),
        b.pair("dossier.power", None if v.power_kw is None else f"{fmt_decimal(v.power_kw)} kW"),
        b.pair("dossier.seats", opt_int(v.seats)),
        b.pair("dossier.factory_date", opt_date(v.factory_date)),
        b.pair("lic.registration_date", opt_date(v.registration_date)),
        b.pair("lic.transfer_date", opt_date(v.transfer_pending_export_date)),
        b.pair("dossier.owner", v.owner_name),
        b.pair("lic.commodity_code", v.commodity_code),
        b.pair("goods.product_name", product_name(v)),
        b.pair("dossier.china_spec", b.both("common.yes" if v.china_spec else "common.no")),
    ]
    exporter_rows = [b.pair("contract.seller", exporter.name), b.pair("party.uscc", exporter.uscc)]

    verdict = (
        b.both(f"verdict.{v.verdict.value}") if v.verdict is not None else b.both("verdict.not_screened")
    )
    findings: list[Any] = []
    for f in v.findings:
        confidence = Confidence(f.confidence)
        # The rule id gets a full-width row: ids such as registration.transfer_pending_export_missing
        # have no break opportunity and would overflow a narrow column.
        findings.append({"span": _t(f.rule)})
        findings.append(
            [
                _t(b.both(f"severity.{f.severity.value}")),
                _t(f.message_zh),
                _t(f.message_en),
                _t(f.reference),
                _t(f"{confidence.label_zh} / {confidence.label_en}"),
            ]
        )
    deadlines = [
        [
            _t(b.both(f"deadline.{d.kind}") if f"deadline.{d.kind}" in CATALOGUE else d.kind),
            _t(d.due.isoformat()),
            _t(d.rule),
        ]
        for d in v.deadlines
    ]

    owner_ok = (
        None
        if v.owner_name is None
        else b.both("common.yes" if v.owner_name == exporter.name else "common.no")
    )
    report = v.test_report
    needed = aftersales_required(v, application_date)
    documents = [
        b.pair("dossier.owner_matches", owner_ok),
        b.pair("doc.test_report_number", None if report is None else report.number),
        b.pair("dossier.test_body", None if report is None else report.body),
        b.pair("dossier.test_date", None if report is None else opt_date(report.date)),
        b.pair("doc.test_standard", None if report is None else report.standard),
        b.pair("dossier.test_result", None if report is None else b.both(f"result.{report.result}")),
        b.pair(
            "dossier.aftersales_needed",
            b.both({True: "common.yes", False: "common.no", None: "common.unknown"}[needed]),
        ),
        b.pair(
            "dossier.aftersales_held", b.both("common.yes" if v.aftersales_confirmation.held else "common.no")
        ),
        b.pair("dossier.aftersales_ref", v.aftersales_confirmation.letter_ref or "—"),
    ]
    audit_rows = [
        [
            _t(e.when.isoformat(timespec="minutes")),
            _t(e.who),
            _t(e.what),
            _t(e.before or "—"),
            _t(e.after or "—"),
        ]
        for e in sorted(audit, key=lambda e: e.when)
    ]
    sections = [
        _section(b.label("dossier.s_exporter"), exporter_rows),
        _section(b.label("dossier.s_identity"), identity),
        _section(b.label("dossier.s_verdict"), [{"label": b.label("dossier.verdict"), "value": _t(verdict)}]),
        _section(
            b.label("dossier.s_findings"),
            findings or [[_t("—")] * 5],
            kind="table",
            header=[
                b.label(k)
                for k in (
                    "dossier.severity",
                    "dossier.message_zh",
                    "dossier.message_en",
                    "dossier.reference",
                    "dossier.confidence",
                )
            ],
            columns=[2, 5, 5, 3, 2],
            note=t("dossier.findings_note", "zh"),
        ),
        _section(
            b.label("dossier.s_deadlines"),
            deadlines or [[_t("—")] * 3],
            kind="table",
            header=[b.label(k) for k in ("dossier.deadline", "dossier.due", "dossier.rule")],
            columns=[3, 2, 3],
        ),
        _section(b.label("dossier.s_documents"), documents),
        _section(
            b.label("dossier.s_audit"),
            audit_rows or [[_t("—")] * 5],
            kind="table",
            header=[
                b.label(k)
                for k in ("dossier.when", "dossier.who", "dossier.what", "dossier.before", "dossier.after")
            ],
            columns=[3, 2, 3, 3, 3],
        ),
    ]
    return {
        "lang": lang,
        "vin": v.vin,
        "title": b.label(DOCUMENT),
        "footer": _t(f"Chuhai · {exporter.name} · {v.vin}"),
        "sections": sections,
        "missing": MISSING,
        "rtl": lang in RTL_LANGS,
    }


def vehicle_dossier_pdf(
    vehicle: VehicleRecord,
    exporter: ExporterInfo,
    audit: list[AuditEntry],
    lang: str = "en",
    *,
    application_date: dt.date | None = None,
) -> bytes:
    """The dossier as PDF bytes (A4), labels in Chinese and ``lang``."""
    import typst

    data = dossier_data(vehicle, exporter, audit, lang, application_date=application_date)
    pdf = typst.compile(
        str(TEMPLATE),
        font_paths=_fonts(),
        ignore_system_fonts=True,
        sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
    )
    return bytes(pdf)
