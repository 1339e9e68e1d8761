"""Bilingual trade documents of a batch: export contract (DOCX), commercial invoice and packing list (XLSX).

Chinese plus one of English, Russian or Arabic. The contract carries the after-sales clause the
licence needs (an export contract "with after-sales service terms", a Chinese translation of a
foreign contract, the Chinese text prevailing: regulations.md §4 [secondary-source]) phrased from
商贸函〔2025〕648号 and the MOFCOM guideline of 2025-12-11 [verified-in-source]. Arabic paragraphs
and cells are marked right-to-left.
"""

from __future__ import annotations

from dataclasses import dataclass

from babel.languages import get_official_languages

from chuhai.documents._common import (
    BODY_ZH,
    Gaps,
    batch_total,
    country,
    fmt_amount,
    litres,
    opt_date,
    opt_int,
    product_name,
    vehicle_price,
)
from chuhai.documents._docx import CellText, Doc
from chuhai.documents._xlsx import Book
from chuhai.documents.messages import MISSING, RTL_LANGS, TRADE_LANGS, language_name, t
from chuhai.documents.model import Batch, PaymentTerms, VehicleRecord
from chuhai.errors import ValidationError

DOC_CONTRACT = "doc.contract"
DOC_INVOICE = "doc.invoice"
DOC_PACKING = "doc.packing_list"


def default_second_language(destination: str) -> str:
    """The contract's second language for a destination: Russian or Arabic where that is an
    official language of the country (CLDR data via Babel), English otherwise.

    >>> default_second_language("KZ"), default_second_language("AE"), default_second_language("NG")
    ('ru', 'ar', 'en')
    """
    official = get_official_languages(destination, de_facto=True)
    for lang in ("ru", "ar"):
        if lang in official:
            return lang
    return "en"


def _check_lang(lang2: str) -> None:
    if lang2 not in TRADE_LANGS or lang2 == "zh":
        raise ValidationError(f"the second contract language must be one of en, ru, ar; got {lang2!r}")


def payment_text(terms: PaymentTerms | None, lang: str) -> str | None:
    if terms is None:
        return None
    text = t(f"pay.{terms.method}", lang, percent=terms.deposit_percent or 0)
    return f"{text} {terms.note}" if terms.note else text


def goods_description(vehicle: VehicleRecord, lang: str) -> str | None:
    """The line description: the customs product name in Chinese, a composed text in other languages."""
    if lang == "zh":
        return product_name(vehicle)
    if vehicle.brand is None or vehicle.model is None:
        return None
    if vehicle.displacement_ml is not None:
        engine = t("goods.litres", lang, litres=litres(vehicle.displacement_ml))
    elif vehicle.fuel == "bev":
        engine = t("fuel.bev", lang)
    else:
        return None
    body = t(f"body.{vehicle.body_type}", lang) if vehicle.body_type in BODY_ZH else t("body.other", lang)
    return t("goods.line", lang, brand=vehicle.brand, model=vehicle.model, engine=engine, body=body)


@dataclass(frozen=True)
class GoodsRow:
    vin: str
    description_zh: str
    description_2: str
    brand: str
    model: str
    commodity_code: str
    registration_date: str
    test_report: str
    unit_price: str
    kerb_mass: str


def build_goods(batch: Batch, gaps: Gaps, document: str, lang2: str) -> list[GoodsRow]:
    """The goods lines of the contract, the invoice or the packing list; each document fills (and so
    reports as gaps) only the columns it prints: test reports in the contract, prices in the contract
    and invoice, kerb masses in the packing list."""

    def fill(value: str | None, label_key: str, vin: str) -> str:
        return gaps.fill(value, document=document, label=label_key, vin=vin)

    rows = []
    for v in batch.vehicles:
        report = price = mass = ""
        if document == DOC_CONTRACT:
            report = fill(
                None if v.test_report is None else v.test_report.number, "doc.test_report_number", v.vin
            )
        if document in (DOC_CONTRACT, DOC_INVOICE):
            money = vehicle_price(batch, v)
            price = fill(None if money is None else fmt_amount(money.amount), "goods.unit_price", v.vin)
        if document == DOC_PACKING:
            mass = fill(opt_int(v.kerb_mass_kg), "goods.kerb_mass", v.vin)
        rows.append(
            GoodsRow(
                v.vin,
                fill(goods_description(v, "zh"), "goods.product_name", v.vin),
                fill(goods_description(v, lang2), "goods.description_foreign", v.vin),
                fill(v.brand, "lic.brand", v.vin),
                fill(v.model, "lic.model", v.vin),
                fill(v.commodity_code, "lic.commodity_code", v.vin),
                fill(opt_date(v.registration_date), "lic.registration_date", v.vin),
                report,
                price,
                mass,
            )
        )
    return rows


# -- contract ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ContractData:
    parties: tuple[tuple[str, str, str], ...]  # label key, value (zh), value (lang2)
    clauses: tuple[tuple[str, str], ...]  # zh, lang2
    goods: tuple[GoodsRow, ...]
    total: str


def build_contract(batch: Batch, gaps: Gaps, lang2: str) -> ContractData:
    _check_lang(lang2)

    def fill(value: str | None, label_key: str) -> str:
        return gaps.fill(value, document=DOC_CONTRACT, label=label_key)

    exporter, buyer, term, outlet = batch.exporter, batch.buyer, batch.trade_term, batch.service_outlet
    goods = build_goods(batch, gaps, DOC_CONTRACT, lang2)
    total_value = batch_total(batch)
    total = fill(None if total_value is None else fmt_amount(total_value), "contract.total")
    number = fill(batch.contract_number, "lic.contract_number")
    signed = fill(opt_date(batch.contract_date), "contract.date")
    buyer_name = fill(None if buyer is None else buyer.name, "contract.buyer")
    buyer_address = fill(None if buyer is None else buyer.address, "contract.buyer_address")
    buyer_country_code = None if buyer is None else buyer.country
    term_code = fill(None if term is None else term.code, "goods.trade_term")
    term_place = fill(None if term is None else term.place, "contract.term_place")
    delivery = fill(opt_date(batch.delivery_by), "contract.delivery_by")
    dispute = fill(batch.dispute_resolution, "contract.dispute")
    outlet_name = fill(None if outlet is None else outlet.name, "doc.outlet_name")
    outlet_address = fill(None if outlet is None else outlet.address, "doc.outlet_address")
    outlet_provider = fill(None if outlet is None else outlet.provider, "doc.outlet_provider")
    pay = {lang: fill(payment_text(batch.payment_terms, lang), "contract.payment") for lang in ("zh", lang2)}
    dest = {lang: fill(country(batch.destination, lang), "lic.destination") for lang in ("zh", lang2)}
    buyer_country = {
        lang: fill(country(buyer_country_code, lang), "contract.buyer_country") for lang in ("zh", lang2)
    }

    def party(label_key: str, value: str, value2: str | None = None) -> tuple[str, str, str]:
        return (label_key, value, value if value2 is None else value2)

    parties = (
        party("contract.number", number),
        party("contract.date", signed),
        party("contract.seller", exporter.name),
        party("party.uscc", exporter.uscc),
        party("party.address", fill(exporter.address, "contract.seller_address")),
        party("contract.buyer", buyer_name),
        party("party.address", buyer_address),
        party("contract.country", buyer_country["zh"], buyer_country[lang2]),
    )

    def clause(key: str, **params: object) -> tuple[str, str]:
        zh = t(key, "zh", **{k: (v["zh"] if isinstance(v, dict) else v) for k, v in params.items()})
        other = t(key, lang2, **{k: (v[lang2] if isinstance(v, dict) else v) for k, v in params.items()})
        return zh, other

    language = {"zh": language_name(lang2, "zh"), lang2: language_name(lang2, lang2)}
    clauses = (
        clause("contract.c_goods"),
        clause(
            "contract.c_quantity",
            count=len(batch.vehicles),
            total=total,
            currency=batch.currency,
            term=term_code,
            place=term_place,
        ),
        clause("contract.c_term", term=term_code, place=term_place),
        clause("contract.c_payment", payment=pay),
        clause("contract.c_delivery", date=delivery, destination=dest),
        clause("contract.c_quality"),
        clause(
            "contract.c_aftersales",
            destination=dest,
            outlet=outlet_name,
            address=outlet_address,
            provider=outlet_provider,
        ),
        clause("contract.c_documents"),
        clause("contract.c_language", language=language),
        clause("contract.c_dispute", dispute=dispute),
    )
    return ContractData(parties, clauses, tuple(goods), total)


def export_contract_docx(batch: Batch, lang2: str = "en") -> bytes:
    """The bilingual export contract skeleton: parties, clauses side by side, goods schedule, signatures."""
    data = build_contract(batch, Gaps(), lang2)
    doc = Doc(t(DOC_CONTRACT, "zh"))
    doc.heading(t(DOC_CONTRACT, "zh"))
    doc.heading(t(DOC_CONTRACT, lang2), lang2, size=14)
    party_rows: list[list[CellText]] = [
        [((t(key, "zh"), "zh"), (t(key, lang2), lang2)), zh, other] for key, zh, other in data.parties
    ]
    doc.table(
        ["", t("contract.text_zh", "zh"), t("contract.text_foreign", lang2)], party_rows, ["zh", "zh", lang2]
    )
    doc.para("")
    doc.table(
        [t("contract.text_zh", "zh"), t("contract.text_foreign", lang2)],
        [list(c) for c in data.clauses],
        ["zh", lang2],
    )
    doc.para("")
    doc.para(t("contract.schedule", "zh"), bold=True)
    doc.para(t("contract.schedule", lang2), lang2, bold=True)

    def head(key: str) -> CellText:
        return ((t(key, "zh"), "zh"), (t(key, lang2), lang2))

    header = [
        head(k)
        for k in (
            "common.seq",
            "lic.vin",
            "goods.description",
            "lic.brand",
            "lic.model",
            "lic.commodity_code",
            "lic.registration_date",
            "doc.test_report_number",
            "goods.unit_price",
        )
    ]
    rows: list[list[CellText]] = []
    for i, g in enumerate(data.goods, start=1):
        rows.append(
            [
                str(i),
                g.vin,
                ((g.description_zh, "zh"), (g.description_2, lang2)),
                g.brand,
                g.model,
                g.commodity_code,
                g.registration_date,
                g.test_report,
                g.unit_price,
            ]
        )
    rows.append(
        [
            "",
            "",
            ((t("contract.total", "zh"), "zh"), (t("contract.total", lang2), lang2)),
            "",
            "",
            "",
            "",
            "",
            f"{data.total} {batch.currency}",
        ]
    )
    doc.table(header, rows)
    doc.para("")
    doc.table(
        [t("contract.sign_seller", "zh"), t("contract.sign_buyer", "zh")],
        [
            [t("contract.sign_seller", lang2), t("contract.sign_buyer", lang2)],
            [
                f"{batch.exporter.name}\n{t('letter.date_line', 'zh')}",
                f"{data.parties[5][1]}\n{t('letter.date_line', 'zh')}",
            ],
        ],
        [lang2, lang2] if lang2 in RTL_LANGS else None,
    )
    return doc.bytes()


# -- invoice and packing list -------------------------------------------------------------------------


def _header_block(batch: Batch, gaps: Gaps, document: str, lang2: str) -> list[tuple[str, str, bool]]:
    def fill(value: str | None, label_key: str) -> str:
        return gaps.fill(value, document=document, label=label_key)

    def label(key: str) -> str:
        return f"{t(key, 'zh')} / {t(key, lang2)}"

    rtl = lang2 in RTL_LANGS
    buyer, term = batch.buyer, batch.trade_term
    term_text = None if term is None else f"{term.code} {fill(term.place, 'contract.term_place')}"
    return [
        (label("invoice.number"), batch.reference, False),
        (label("invoice.date"), fill(opt_date(batch.invoice_date), "invoice.date"), False),
        (label("contract.number"), fill(batch.contract_number, "lic.contract_number"), False),
        (label("contract.seller"), batch.exporter.name, False),
        (label("party.address"), fill(batch.exporter.address, "contract.seller_address"), False),
        (label("contract.buyer"), fill(None if buyer is None else buyer.name, "contract.buyer"), False),
        (
            label("party.address"),
            fill(None if buyer is None else buyer.address, "contract.buyer_address"),
            False,
        ),
        (label("invoice.origin"), f"{country('CN', 'zh')} / {country('CN', lang2)}", False),
        (label("lic.destination"), fill(country(batch.destination, "zh"), "lic.destination"), False),
        (label("lic.destination"), fill(country(batch.destination, lang2), "lic.destination"), rtl),
        (label("goods.trade_term"), fill(term_text, "goods.trade_term"), False),
        (label("contract.payment"), fill(payment_text(batch.payment_terms, "zh"), "contract.payment"), False),
        (label("contract.payment"), fill(payment_text(batch.payment_terms, lang2), "contract.payment"), rtl),
    ]


def commercial_invoice_xlsx(batch: Batch, lang2: str = "en") -> bytes:
    """The commercial invoice: one line per vehicle (VIN), exact amounts, total."""
    _check_lang(lang2)
    gaps = Gaps()
    header = _header_block(batch, gaps, DOC_INVOICE, lang2)
    goods = build_goods(batch, gaps, DOC_INVOICE, lang2)
    total = batch_total(batch)
    book = Book()
    sheet = book.sheet("Invoice")
    sheet.title(f"{t(DOC_INVOICE, 'zh')} {t(DOC_INVOICE, lang2)}")
    for caption, value, rtl in header:
        sheet.pair(caption, value, rtl=rtl)
    sheet.blank()

    def label(key: str) -> str:
        return f"{t(key, 'zh')} / {t(key, lang2)}"

    sheet.write_row(
        [
            label(k)
            for k in (
                "common.seq",
                "lic.vin",
                "goods.description",
                "goods.description_foreign",
                "lic.model",
                "lic.commodity_code",
                "lic.quantity",
                "lic.unit",
                "goods.unit_price",
                "invoice.amount",
                "goods.currency",
            )
        ],
        header=True,
    )
    rtl_cols = (3, 7) if lang2 in RTL_LANGS else ()
    unit = f"{t('common.unit_vehicle', 'zh')} / {t('common.unit_vehicle', lang2)}"
    for i, g in enumerate(goods, start=1):
        sheet.write_row(
            [
                i,
                g.vin,
                g.description_zh,
                g.description_2,
                g.model,
                g.commodity_code,
                1,
                unit,
                g.unit_price,
                g.unit_price,
                batch.currency,
            ],
            rtl=rtl_cols,
        )
    sheet.write_row(
        [
            label("contract.total"),
            "",
            "",
            "",
            "",
            "",
            len(goods),
            "",
            "",
            MISSING if total is None else fmt_amount(total),
            batch.currency,
        ]
    )
    return book.close()


def packing_list_xlsx(batch: Batch, lang2: str = "en") -> bytes:
    """The packing list: one line per vehicle with its kerb mass (整备质量) from the certificate."""
    _check_lang(lang2)
    gaps = Gaps()
    header = _header_block(batch, gaps, DOC_PACKING, lang2)
    goods = build_goods(batch, gaps, DOC_PACKING, lang2)
    book = Book()
    sheet = book.sheet("Packing list")
    sheet.title(f"{t(DOC_PACKING, 'zh')} {t(DOC_PACKING, lang2)}")
    for caption, value, rtl in header:
        sheet.pair(caption, value, rtl=rtl)
    sheet.blank()

    def label(key: str) -> str:
        return f"{t(key, 'zh')} / {t(key, lang2)}"

    sheet.write_row(
        [
            label(k)
            for k in (
                "common.seq",
                "lic.vin",
                "goods.description",
                "goods.description_foreign",
                "lic.model",
                "lic.quantity",
                "lic.unit",
                "goods.kerb_mass",
            )
        ],
        header=True,
    )
    rtl_cols = (3, 6) if lang2 in RTL_LANGS else ()
    unit = f"{t('common.unit_vehicle', 'zh')} / {t('common.unit_vehicle', lang2)}"
    for i, g in enumerate(goods, start=1):
        sheet.write_row(
            [i, g.vin, g.description_zh, g.description_2, g.model, 1, unit, g.kerb_mass], rtl=rtl_cols
        )
    masses = [v.kerb_mass_kg for v in batch.vehicles]
    total_mass = MISSING if any(m is None for m in masses) else str(sum(m for m in masses if m is not None))
    sheet.write_row([label("contract.total"), "", "", "", "", len(goods), "", total_mass])
    return book.close()
