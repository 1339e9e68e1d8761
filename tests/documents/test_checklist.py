"""The licence and deregistration checklists: every item ticked from the data or flagged."""

from __future__ import annotations

import dataclasses
import datetime as dt

from chuhai.documents import (
    MISSING,
    AftersalesConfirmation,
    Batch,
    Status,
    TestReport,
    deregistration_checklist,
    deregistration_checklist_xlsx,
    licence_checklist,
    licence_checklist_docx,
    licence_checklist_xlsx,
)
from chuhai.documents._common import aftersales_required, quantities_by_code
from chuhai.engine.model import Deadline, Verdict

from .conftest import BYD_MAKER, BYD_NEW, FORD_1, TESLA_NEW, docx_text, xlsx_rows


def _replace_vehicle(batch: Batch, vin: str, **changes: object) -> Batch:
    vehicles = tuple(dataclasses.replace(v, **changes) if v.vin == vin else v for v in batch.vehicles)  # type: ignore[arg-type]
    return dataclasses.replace(batch, vehicles=vehicles)


def test_fixture_checklist_states(batch: Batch) -> None:
    checklist = licence_checklist(batch)
    status = {i.key: i.status for i in checklist.items}
    assert status["exporter_filing"] == Status.OK
    assert status["application_data"] == Status.MISSING  # BYD_NEW has no transfer-pending-export date
    assert checklist.item("application_data").vins == (BYD_NEW,)
    assert status["quantity_per_code"] == Status.OK
    assert status["contract"] == Status.TO_DO
    assert status["certificates"] == Status.TO_DO
    assert status["test_reports"] == Status.OK
    assert status["market_access"] == Status.TO_DO
    assert status["aftersales"] == Status.MISSING
    assert checklist.item("aftersales").vins == (BYD_NEW,)
    assert BYD_MAKER in checklist.item("aftersales").detail("zh")
    assert TESLA_NEW in checklist.item("aftersales").detail("en")  # held, listed as such
    assert status["screening"] == Status.TO_DO
    assert not checklist.complete
    # gaps shown in the documents are listed: kerb mass (packing list), 品牌类型 and licence number (customs)
    assert status["gaps.doc.packing_list"] == Status.MISSING
    assert checklist.item("gaps.doc.packing_list").vins == (BYD_NEW,)
    customs = checklist.item("gaps.doc.customs_draft")
    assert TESLA_NEW in customs.vins
    assert "品牌类型" in customs.detail("zh")
    assert "许可证号" in customs.detail("zh")
    assert "Licence No." in customs.detail("en")


def test_complete_once_the_data_is_supplied(batch: Batch) -> None:
    fixed = _replace_vehicle(
        batch,
        BYD_NEW,
        transfer_pending_export_date=dt.date(2026, 3, 4),
        kerb_mass_kg=1890,
        aftersales_confirmation=AftersalesConfirmation(True, "BYD-ASC-7"),
        verdict=Verdict.ELIGIBLE,
        findings=(),
    )
    fixed = _replace_vehicle(
        fixed, TESLA_NEW, declaration_values={"品牌类型": "境外品牌（其他）", "出口享惠情况": "不享惠"}
    )
    fixed = dataclasses.replace(fixed, licence_number="26-CQ-000123")
    checklist = licence_checklist(fixed)
    assert checklist.complete, [
        (i.key, i.status, i.detail("en"))
        for i in checklist.items
        if i.status in (Status.MISSING, Status.BLOCKED)
    ]
    assert checklist.item("aftersales").status == Status.OK


def test_wrong_owner_failed_test_and_overfull_code_block(batch: Batch) -> None:
    bad = _replace_vehicle(batch, FORD_1, owner_name="某某个人")
    assert licence_checklist(bad).item("certificates").status == Status.BLOCKED
    failed = TestReport("X-1", "某检测机构", dt.date(2026, 3, 1), "WM/T 8-2022", "fail")
    bad = _replace_vehicle(batch, FORD_1, test_report=failed)
    assert licence_checklist(bad).item("test_reports").status == Status.BLOCKED
    bad = _replace_vehicle(batch, FORD_1, test_report=None)
    item = licence_checklist(bad).item("test_reports")
    assert item.status == Status.MISSING
    assert item.vins == (FORD_1,)
    many = tuple(dataclasses.replace(batch.vehicles[0], vin=f"LVSHFFAL0JF2{n:05d}") for n in range(21))
    item = licence_checklist(dataclasses.replace(batch, vehicles=many)).item("quantity_per_code")
    assert item.status == Status.BLOCKED
    assert len(item.vins) == 21
    blocked = _replace_vehicle(batch, FORD_1, verdict=Verdict.BLOCKED)
    assert licence_checklist(blocked).item("screening").status == Status.BLOCKED


def test_filing_expiry_and_missing_filing(batch: Batch) -> None:
    # As the engine (exporter.filing_expired): the filing lapses on its anniversary.
    anniversary = dataclasses.replace(batch, licence_application_date=dt.date(2026, 9, 1))
    assert licence_checklist(anniversary).item("exporter_filing").status == Status.BLOCKED
    day_before = dataclasses.replace(batch, licence_application_date=dt.date(2026, 8, 31))
    assert licence_checklist(day_before).item("exporter_filing").status == Status.OK
    unfiled = dataclasses.replace(
        batch, exporter=dataclasses.replace(batch.exporter, filing_approved_on=None)
    )
    assert licence_checklist(unfiled).item("exporter_filing").status == Status.BLOCKED


def test_aftersales_window_is_180_days_inclusive(batch: Batch) -> None:
    vehicle = dataclasses.replace(batch.vehicles[0], findings=())
    application = dt.date(2026, 3, 16)
    on_day_180 = dataclasses.replace(vehicle, registration_date=application - dt.timedelta(days=180))
    on_day_181 = dataclasses.replace(vehicle, registration_date=application - dt.timedelta(days=181))
    assert aftersales_required(on_day_180, application) is True
    assert aftersales_required(on_day_181, application) is False
    # the rule applies from 2026-01-01 only
    assert aftersales_required(on_day_180, dt.date(2025, 12, 31)) is False
    assert aftersales_required(dataclasses.replace(vehicle, registration_date=None), application) is None
    assert aftersales_required(vehicle, None) is None


def test_quantities_count_vehicles_without_code(batch: Batch) -> None:
    no_code = _replace_vehicle(batch, FORD_1, commodity_code=None)
    quantities = quantities_by_code(no_code.vehicles)
    assert quantities[MISSING] == 1
    assert sum(quantities.values()) == 6


def test_checklist_renders(batch: Batch) -> None:
    checklist = licence_checklist(batch)
    rows = xlsx_rows(licence_checklist_xlsx(batch))["Checklist"]
    items = [r for r in rows if isinstance(r[0], int)]
    assert len(items) == len(checklist.items)
    aftersales = next(r for r in items if str(r[1]).startswith("生产企业出具的《售后维修服务确认书》"))
    assert "缺失" in str(aftersales[2])
    assert BYD_NEW in str(aftersales[5])
    text = docx_text(licence_checklist_docx(batch))
    assert batch.reference in text
    assert "售后维修服务确认书" in text


def test_deregistration_checklist(batch: Batch) -> None:
    pending = deregistration_checklist(batch)
    assert all(i.status == Status.MISSING for i in pending.items)  # no clearance date yet
    cleared = dataclasses.replace(batch, clearance_date=dt.date(2026, 4, 30))
    checklist = deregistration_checklist(cleared)
    assert [i.vins[0] for i in checklist.items] == [v.vin for v in batch.vehicles]
    assert all(i.status == Status.TO_DO for i in checklist.items)
    assert "2026-06-30" in checklist.items[0].detail("zh")  # 2 calendar months after 2026-04-30
    assert "出口货物报关单" in checklist.items[0].detail("zh")
    # the engine's deadline wins when the record has one
    engine = _replace_vehicle(
        cleared, FORD_1, deadlines=(Deadline("deregistration_due", dt.date(2026, 6, 29), "x"),)
    )
    assert "2026-06-29" in deregistration_checklist(engine).items[0].detail("en")
    rows = xlsx_rows(deregistration_checklist_xlsx(cleared))["Checklist"]
    assert sum(1 for r in rows if isinstance(r[0], int)) == 6


def test_result_without_report_details_is_flagged_where_printed(batch: Batch) -> None:
    """A file-only pass (no report number yet) passes the test item but the number is a gap."""
    from chuhai.documents import market_access_statement_docx

    from .conftest import docx_tables

    bare = TestReport(None, None, None, "WM/T 8-2022", "pass")
    partial = _replace_vehicle(batch, FORD_1, test_report=bare)
    checklist = licence_checklist(partial)
    assert checklist.item("test_reports").status == Status.OK
    item = checklist.item("gaps.doc.market_access")
    assert item.vins == (FORD_1,)
    assert "检测报告编号" in item.detail("zh")
    row = docx_tables(market_access_statement_docx(partial))[0][1]
    assert row[1] == FORD_1
    assert row[5] == MISSING
