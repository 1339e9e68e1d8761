"""The licence data sheet and the customs draft, read back with openpyxl and checked against the records."""

from __future__ import annotations

import dataclasses
from collections import Counter

from chuhai.documents import MISSING, Batch, customs_declaration_draft_xlsx, licence_data_sheet_xlsx
from chuhai.documents.elements import list_by_name

from .conftest import ALL_VINS, BYD_NEW, TESLA_NEW, xlsx_cells, xlsx_rows


def _table(rows: list[list[object]], header_start: str) -> list[list[object]]:
    """The rows after the header row whose first cell starts with ``header_start``, up to a blank row."""
    out: list[list[object]] = []
    inside = False
    for row in rows:
        first = "" if row[0] is None else str(row[0])
        if inside:
            if all(v is None for v in row):
                break
            out.append(row)
        elif first.startswith(header_start):
            inside = True
    return out


def test_licence_sheet_fields_in_form_order(batch: Batch) -> None:
    rows = xlsx_rows(licence_data_sheet_xlsx(batch))["Application"]
    labels = [str(r[0]).split("\n")[0] for r in rows if r[0] is not None and r[1] is not None][:5]
    assert labels == ["出口商", "出口商统一社会信用代码", "发货人", "目的国（地区）", "合同号"]
    header = {str(r[0]).split("\n")[0]: r[1] for r in rows if r[0] is not None}
    assert header["出口商"] == batch.exporter.name
    assert header["发货人"] == batch.exporter.name  # consignor = the export enterprise
    assert header["出口商统一社会信用代码"] == batch.exporter.uscc
    assert header["出口许可证申请日期"] == "2026-03-16"


def test_licence_lines_status_spec_and_quantities(batch: Batch) -> None:
    rows = xlsx_rows(licence_data_sheet_xlsx(batch))["Application"]
    lines = _table(rows, "序号")
    expected = Counter((v.commodity_code, f"{v.brand}{v.model}") for v in batch.vehicles)
    assert {(r[1], r[3]): r[5] for r in lines} == dict(expected)
    assert {r[2] for r in lines} == {"旧"}
    per_code = {r[0]: r[1] for r in _table(rows, "商品编码")}
    assert per_code == dict(Counter(v.commodity_code for v in batch.vehicles))


def test_every_vin_once_in_vin_list_and_annex_with_dates_to_the_character(batch: Batch) -> None:
    sheets = xlsx_rows(licence_data_sheet_xlsx(batch))
    vin_list = [r[3] for r in sheets["VIN list"][1:]]
    assert sorted(vin_list) == sorted(ALL_VINS)
    annex = {r[1]: r for r in sheets["Annex"][1:] if r[1] in ALL_VINS}
    assert set(annex) == set(ALL_VINS)
    for vehicle in batch.vehicles:
        row = annex[vehicle.vin]
        assert row[2] == vehicle.brand
        assert row[3] == vehicle.model
        assert row[4] == vehicle.registration_date.isoformat()  # type: ignore[union-attr]
        expected = vehicle.transfer_pending_export_date
        assert row[5] == (MISSING if expected is None else expected.isoformat())
    # the BYD without a transfer-pending-export date is flagged, not filled
    assert annex[BYD_NEW][5] == MISSING


def test_over_twenty_per_code_is_flagged(batch: Batch) -> None:
    template = batch.vehicles[0]
    many = tuple(dataclasses.replace(template, vin=f"LVSHFFAL0JF1{n:05d}") for n in range(21))
    big = dataclasses.replace(batch, vehicles=many)
    cells = xlsx_cells(licence_data_sheet_xlsx(big), "Application")
    assert any("20辆" in c for c in cells)


def test_customs_quantities_equal_licence_quantities(batch: Batch) -> None:
    licence = xlsx_rows(licence_data_sheet_xlsx(batch))["Application"]
    licence_qty = {r[0]: r[1] for r in _table(licence, "商品编码")}
    draft = xlsx_rows(customs_declaration_draft_xlsx(batch))
    declared: Counter[str] = Counter()
    for row in _table(draft["Draft"], "项号"):
        declared[str(row[1])] += int(row[4])  # type: ignore[call-overload]
    assert dict(declared) == licence_qty
    check = {r[0]: (r[1], r[2], r[3]) for r in draft["Quantities"][1:] if r[1] is not None}
    assert check == {code: (n, n, "是") for code, n in licence_qty.items()}


def test_customs_product_names_and_prices(batch: Batch) -> None:
    lines = _table(xlsx_rows(customs_declaration_draft_xlsx(batch))["Draft"], "项号")
    names = {str(r[2]) for r in lines}
    assert names == {v.customs_name for v in batch.vehicles}
    assert all(str(n).startswith("旧") for n in names)
    total = sum(float(str(r[7])) for r in lines)
    assert round(total, 2) == 79350.50


def _element_blocks(batch: Batch) -> dict[str, dict[str, dict[str, object]]]:
    """list description → VIN → {element name: value}."""
    rows = xlsx_rows(customs_declaration_draft_xlsx(batch))["Elements"]
    blocks: dict[str, dict[str, dict[str, object]]] = {}
    current = header = None
    for row in rows:
        first = "" if row[0] is None else str(row[0])
        if first.startswith("申报要素清单"):
            current, header = first, None
            blocks[current] = {}
        elif first.startswith("项号"):
            header = [str(h).split("\n")[0] for h in row]
        elif current and header and row[1] in ALL_VINS:
            blocks[current][str(row[1])] = {h: v for h, v in zip(header, row, strict=True) if h != "None"}
    return blocks


def test_declaration_elements_per_code(batch: Batch) -> None:
    blocks = _element_blocks(batch)
    by_vin = {vin: values for block in blocks.values() for vin, values in block.items()}
    assert sorted(by_vin) == sorted(ALL_VINS)  # every VIN exactly once
    vehicles = {v.vin: v for v in batch.vehicles}
    for vin, values in by_vin.items():
        v = vehicles[vin]
        if v.fuel == "bev":
            assert values["功率(千瓦)"] == f"{v.power_kw}千瓦"
            assert values["电池容量"] == f"{v.battery_kwh}千瓦时"
            assert "排气量" not in values
            assert values["发动机类型"] == "电动"
        elif v.fuel == "phev_petrol":
            # Source S's hybrid list (law review 2026-12 F24): 排气量(毫升), no 是否中规车.
            assert values["排气量(毫升)"] == f"{v.displacement_ml}ml"
            assert values["是否可通过接插外部电源进行充电"] == "是"
            assert "是否中规车" not in values
        else:
            assert values["排气量"] == f"{v.displacement_ml}ml"
            assert "功率(千瓦)" not in values
            assert "是否可通过接插外部电源进行充电" not in values
        if v.fuel == "petrol":
            assert values["发动机类型"] == "汽油"
        assert values["座位数"] == f"{v.seats}座"
        assert values["型号"] == v.model
        if v.fuel != "phev_petrol":
            assert values["是否中规车"] == "是"
    # the Tesla without a 品牌类型 value shows the marker
    assert by_vin[TESLA_NEW]["品牌类型"] == MISSING
    # columns follow the YAML list order
    for description, block in blocks.items():
        list_name = (
            "bev"
            if "驱动电动机" in description and "内燃" not in description
            else ("hybrid" if "同时装有" in description else "ice")
        )
        names = [e.name for e in list_by_name(list_name).elements]
        for values in block.values():
            assert list(values)[4:] == names


def test_missing_data_never_invented() -> None:
    """A batch that holds nothing but VINs still renders, and every unknown is a marker."""
    from chuhai.documents import ExporterInfo, VehicleRecord

    bare = Batch(
        reference="EMPTY-1",
        exporter=ExporterInfo(name="某公司", uscc="91500000MA5U00000W"),
        destination="AE",
        vehicles=(VehicleRecord(vin="LGXCH6CD6T1000528"),),
    )
    annex = xlsx_rows(licence_data_sheet_xlsx(bare))["Annex"]
    assert annex[1][1:] == ["LGXCH6CD6T1000528", MISSING, MISSING, MISSING, MISSING]
    draft = xlsx_cells(customs_declaration_draft_xlsx(bare), "Draft")
    assert MISSING in draft
    assert "LGXCH6CD6T1000528" in xlsx_cells(customs_declaration_draft_xlsx(bare), "Elements")
