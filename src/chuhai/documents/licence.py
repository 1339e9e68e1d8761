"""The export licence application data sheet (XLSX) for copy-in on the MOFCOM platform.

Field order follows the form fields named in regulations.md §4 (出口商, 发货人, 商品编码,
商品状态 "旧", 规格、等级 = brand + model, 数量, VIN码) [secondary-source]; the annex carries each
vehicle's 注册登记日期 and 转让登记待出口日期 (商贸函〔2025〕648号 一(二) [verified-in-source]).
The complete official form layout is not in the domain files, so fields Chuhai holds beyond
those (destination, contract number, application date) follow them under their own labels.
"""

from __future__ import annotations

from dataclasses import dataclass

from chuhai.documents._common import Gaps, country, max_per_code, opt_date, quantities_by_code
from chuhai.documents._xlsx import Book
from chuhai.documents.messages import MISSING, bi, t
from chuhai.documents.model import Batch

DOCUMENT = "doc.licence_sheet"
# regulations.md §4: "商品状态" = "旧" for used cars [secondary-source].
COMMODITY_STATUS = "旧"


@dataclass(frozen=True)
class LicenceLine:
    """One item line of the application: vehicles of one code and one specification."""

    commodity_code: str
    specification: str
    quantity: int
    vins: tuple[str, ...]


@dataclass(frozen=True)
class LicenceData:
    header: tuple[tuple[str, str], ...]
    lines: tuple[LicenceLine, ...]
    quantities: dict[str, int]  # per commodity code: the licence quantity
    annex: tuple[
        tuple[str, str, str, str, str], ...
    ]  # vin, brand, model, registration, transfer-pending-export


def build_licence_data(batch: Batch, gaps: Gaps) -> LicenceData:
    """The sheet's content as text; unknown values become markers recorded in ``gaps``."""

    def fill(value: str | None, label_key: str, vin: str | None = None) -> str:
        return gaps.fill(value, document=DOCUMENT, label=label_key, vin=vin)

    exporter = batch.exporter
    header = (
        (bi("lic.exporter"), exporter.name),
        (bi("lic.exporter_uscc"), exporter.uscc),
        (bi("lic.consignor"), batch.consignor),
        (bi("lic.destination"), fill(country(batch.destination, "zh"), "lic.destination")),
        (bi("lic.contract_number"), fill(batch.contract_number, "lic.contract_number")),
        (bi("lic.application_date"), fill(opt_date(batch.licence_application_date), "lic.application_date")),
        (bi("lic.batch"), batch.reference),
    )
    grouped: dict[tuple[str, str], list[str]] = {}
    annex = []
    for vehicle in batch.vehicles:
        code = fill(vehicle.commodity_code, "lic.commodity_code", vehicle.vin)
        spec = fill(vehicle.specification, "lic.specification", vehicle.vin)
        grouped.setdefault((code, spec), []).append(vehicle.vin)
        annex.append(
            (
                vehicle.vin,
                fill(vehicle.brand, "lic.brand", vehicle.vin),
                fill(vehicle.model, "lic.model", vehicle.vin),
                fill(opt_date(vehicle.registration_date), "lic.registration_date", vehicle.vin),
                fill(opt_date(vehicle.transfer_pending_export_date), "lic.transfer_date", vehicle.vin),
            )
        )
    lines = tuple(
        LicenceLine(code, spec, len(vins), tuple(vins)) for (code, spec), vins in sorted(grouped.items())
    )
    return LicenceData(header, lines, quantities_by_code(batch.vehicles), tuple(annex))


def licence_data_sheet_xlsx(batch: Batch) -> bytes:
    """The licence application data sheet with its VIN list and the 648号 annex, as XLSX bytes."""
    data = build_licence_data(batch, Gaps())
    book = Book()

    form = book.sheet(t("lic.sheet_form", "en"))
    form.title(f"{t(DOCUMENT, 'zh')} {t(DOCUMENT, 'en')}")
    for label, value in data.header:
        form.pair(label, value)
    form.blank()
    form.write_row(
        [
            bi("common.seq"),
            bi("lic.commodity_code"),
            bi("lic.commodity_status"),
            bi("lic.specification"),
            bi("lic.unit"),
            bi("lic.quantity"),
        ],
        header=True,
    )
    for i, line in enumerate(data.lines, start=1):
        form.write_row(
            [
                i,
                line.commodity_code,
                COMMODITY_STATUS,
                line.specification,
                t("common.unit_vehicle", "zh"),
                line.quantity,
            ]
        )
    form.blank()
    form.write_row([bi("lic.commodity_code"), bi("lic.code_total"), bi("common.note")], header=True)
    limit = max_per_code(batch.licence_application_date)  # 2024 No. 6, from the law files
    for code, quantity in data.quantities.items():
        note = t("lic.over_limit", "zh", limit=limit) if limit is not None and quantity > limit else ""
        if code == MISSING:
            note = t("lic.code_missing", "zh")
        form.write_row([code, quantity, note])
    form.blank()
    form.write_row([t("lic.source_note", "zh")])
    form.write_row([t("lic.source_note", "en")])

    vins = book.sheet(t("lic.sheet_vins", "en"))
    vins.write_row(
        [bi("common.seq"), bi("lic.commodity_code"), bi("lic.specification"), bi("lic.vin")], header=True
    )
    n = 0
    for line in data.lines:
        for vin in line.vins:
            n += 1
            vins.write_row([n, line.commodity_code, line.specification, vin])

    annex = book.sheet(t("lic.sheet_annex", "en"))
    annex.write_row(
        [
            bi("common.seq"),
            bi("lic.vin"),
            bi("lic.brand"),
            bi("lic.model"),
            bi("lic.registration_date"),
            bi("lic.transfer_date"),
        ],
        header=True,
    )
    for i, row in enumerate(data.annex, start=1):
        annex.write_row([i, *row])
    annex.blank()
    annex.write_row([t("lic.annex_note", "zh")])
    return book.close()
