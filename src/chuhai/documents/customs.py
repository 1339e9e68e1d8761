"""The customs declaration draft (报关单草稿) of a batch, as XLSX.

Product names follow "旧+车辆品牌+排气量+车型" and the VIN is declared truthfully (regulations.md
§4 [secondary-source]); the declaration elements come from ``declaration_elements.yaml``. The
quantity declared under each code must equal the licence quantity (一批一证, 2024 No. 6
[secondary-source]), so both are computed from the same vehicles and shown side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chuhai.documents._common import (
    Gaps,
    country,
    fmt_amount,
    product_name,
    quantities_by_code,
    vehicle_price,
)
from chuhai.documents._xlsx import Book
from chuhai.documents.elements import Element, declaration_elements, element_list, list_by_name
from chuhai.documents.messages import MISSING, bi, t
from chuhai.documents.model import Batch

DOCUMENT = "doc.customs_draft"
# Elements joined by "|" in list order, as the single-window form takes them: [inferred] format.
ELEMENT_SEPARATOR = "|"


@dataclass(frozen=True)
class CustomsVehicle:
    item: int
    vin: str
    commodity_code: str
    name: str
    elements: tuple[Element, ...]
    unit_price: str
    list_name: str  # the element list used (ice, bev, hybrid)


@dataclass(frozen=True)
class CustomsLine:
    item: int
    commodity_code: str
    name: str
    elements: str
    quantity: int
    unit_price: str
    total: str
    vins: tuple[str, ...]


@dataclass(frozen=True)
class CustomsData:
    header: tuple[tuple[str, str], ...]
    lines: tuple[CustomsLine, ...]
    vehicles: tuple[CustomsVehicle, ...]
    licence_quantities: dict[str, int]
    declared_quantities: dict[str, int]
    lists_used: tuple[str, ...]


def build_customs_data(batch: Batch, gaps: Gaps) -> CustomsData:
    def fill(value: str | None, label_key: str, vin: str | None = None) -> str:
        return gaps.fill(value, document=DOCUMENT, label=label_key, vin=vin)

    buyer = batch.buyer
    header = (
        (bi("cus.consignor"), f"{batch.exporter.name} ({batch.exporter.uscc})"),
        (bi("cus.consignee"), fill(None if buyer is None else buyer.name, "cus.consignee")),
        (bi("lic.contract_number"), fill(batch.contract_number, "lic.contract_number")),
        (bi("cus.licence_number"), fill(batch.licence_number, "cus.licence_number")),
        (bi("cus.destination"), fill(country(batch.destination, "zh"), "cus.destination")),
        (
            bi("goods.trade_term"),
            fill(None if batch.trade_term is None else batch.trade_term.code, "goods.trade_term"),
        ),
        (bi("goods.currency"), batch.currency),
    )
    # One item line per identical (code, name, elements, unit price): quantities add up per line.
    groups: dict[tuple[str, str, str, str], list[tuple[str, tuple[Element, ...], str]]] = {}
    lists_used: dict[str, None] = {}
    for vehicle in batch.vehicles:
        code = fill(vehicle.commodity_code, "lic.commodity_code", vehicle.vin)
        name = fill(product_name(vehicle), "goods.product_name", vehicle.vin)
        elements = tuple(declaration_elements(vehicle, gaps))
        list_name = element_list(vehicle.commodity_code, vehicle.fuel).name
        lists_used.setdefault(list_name, None)
        price = vehicle_price(batch, vehicle)
        unit = fill(None if price is None else fmt_amount(price.amount), "goods.unit_price", vehicle.vin)
        joined = ELEMENT_SEPARATOR.join(e.value for e in elements)
        groups.setdefault((code, name, joined, unit), []).append((vehicle.vin, elements, list_name))

    lines: list[CustomsLine] = []
    vehicles: list[CustomsVehicle] = []
    for item, ((code, name, joined, unit), members) in enumerate(groups.items(), start=1):
        quantity = len(members)
        total = MISSING if unit == MISSING else fmt_amount(Decimal(unit) * quantity)
        lines.append(
            CustomsLine(item, code, name, joined, quantity, unit, total, tuple(m[0] for m in members))
        )
        vehicles.extend(
            CustomsVehicle(item, vin, code, name, elements, unit, list_name)
            for vin, elements, list_name in members
        )
    declared: dict[str, int] = {}
    for line in lines:
        declared[line.commodity_code] = declared.get(line.commodity_code, 0) + line.quantity
    return CustomsData(
        header,
        tuple(lines),
        tuple(vehicles),
        quantities_by_code(batch.vehicles),
        dict(sorted(declared.items())),
        tuple(lists_used),
    )


def customs_declaration_draft_xlsx(batch: Batch) -> bytes:
    """Header, item lines, per-vehicle declaration elements and the licence/customs quantity check."""
    data = build_customs_data(batch, Gaps())
    book = Book()

    draft = book.sheet(t("cus.sheet_draft", "en"))
    draft.title(f"{t(DOCUMENT, 'zh')} {t(DOCUMENT, 'en')}")
    for label, value in data.header:
        draft.pair(label, value)
    draft.blank()
    draft.write_row(
        [
            bi("cus.item"),
            bi("lic.commodity_code"),
            bi("goods.product_name"),
            bi("cus.elements"),
            bi("lic.quantity"),
            bi("lic.unit"),
            bi("goods.unit_price"),
            bi("cus.total_price"),
            bi("goods.currency"),
        ],
        header=True,
    )
    for line in data.lines:
        draft.write_row(
            [
                line.item,
                line.commodity_code,
                line.name,
                line.elements,
                line.quantity,
                t("common.unit_vehicle", "zh"),
                line.unit_price,
                line.total,
                batch.currency,
            ]
        )
    draft.blank()
    draft.write_row([t("cus.format_note", "zh")])
    draft.write_row([t("cus.format_note", "en")])

    # One block per element list (ICE, BEV, hybrid), each with its own columns in list order.
    detail = book.sheet(t("cus.sheet_elements", "en"))
    for list_name in data.lists_used:
        spec = list_by_name(list_name)
        members = [v for v in data.vehicles if v.list_name == list_name]
        detail.write_row(
            [
                t(
                    "cus.list_source",
                    "zh",
                    description=spec.description,
                    reference=spec.reference,
                    confidence=spec.confidence,
                )
            ]
        )
        detail.write_row(
            [
                bi("cus.item"),
                bi("lic.vin"),
                bi("lic.commodity_code"),
                bi("goods.product_name"),
                *[e.name for e in spec.elements],
            ],
            header=True,
        )
        for vehicle in members:
            detail.write_row(
                [
                    vehicle.item,
                    vehicle.vin,
                    vehicle.commodity_code,
                    vehicle.name,
                    *[e.value for e in vehicle.elements],
                ]
            )
        inferred = [e.name for e in spec.elements if e.confidence == "inferred"]
        inferred += [
            e.name
            for v in members
            for e in v.elements
            if e.confidence == "inferred" and e.name not in inferred
        ]
        if inferred:
            detail.write_row([t("cus.inferred_elements", "zh", names="、".join(dict.fromkeys(inferred)))])
        detail.blank()

    check = book.sheet(t("cus.sheet_quantities", "en"))
    check.write_row(
        [
            bi("lic.commodity_code"),
            bi("cus.licence_quantity"),
            bi("cus.declared_quantity"),
            bi("cus.consistent"),
        ],
        header=True,
    )
    for code in sorted(set(data.licence_quantities) | set(data.declared_quantities)):
        licensed = data.licence_quantities.get(code, 0)
        declared = data.declared_quantities.get(code, 0)
        check.write_row(
            [code, licensed, declared, t("common.yes" if licensed == declared else "common.no", "zh")]
        )
    check.blank()
    check.write_row([t("cus.quantity_note", "zh")])
    return book.close()
