"""A realistic licence batch and real readers for the generated files.

The batch: a Chongqing circulation enterprise exports 6 used cars to Kazakhstan, from three
manufacturers (Changan Ford petrol sedans, Tesla Shanghai BEVs, BYD plug-in hybrids). Licence
application on 2026-03-16. One Tesla (registered 2025-12-20, 86 days) is inside the 180-day window
and its confirmation is held; one BYD (registered 2026-01-05, 70 days) is inside and has none; the
others are older. The BYD inside the window has no transfer-pending-export date yet and no kerb
mass, and one Tesla lacks the 品牌类型 declaration value: the documents must flag these, not fill them.
VINs carry valid check digits (GB 16735 Annex A).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from chuhai.documents.model import (
    AftersalesConfirmation,
    AuditEntry,
    Batch,
    Contact,
    ExporterInfo,
    Money,
    Party,
    PaymentTerms,
    ServiceOutlet,
    TestReport,
    TradeTerm,
    VehicleRecord,
)
from chuhai.engine.model import Confidence, Deadline, Finding, Severity, Verdict

W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
EXPORTER_NAME = "重庆渝新欧二手车出口有限公司"
CN_TZ = dt.timezone(dt.timedelta(hours=8))

FORD_1 = "LVSHFFAL4JF100231"
FORD_2 = "LVSHFFAL8JF100457"
TESLA_NEW = "LRW3E7EB7RC000815"
TESLA_OLD = "LRW3E7EBXPC912044"
BYD_NEW = "LGXCH6CD6T1000528"
BYD_OLD = "LGXCH6CD8T1000661"
ALL_VINS = (FORD_1, FORD_2, TESLA_NEW, TESLA_OLD, BYD_NEW, BYD_OLD)

FORD_MAKER = "长安福特汽车有限公司"
TESLA_MAKER = "特斯拉（上海）有限公司"
BYD_MAKER = "比亚迪汽车工业有限公司"

DECLARED = {"品牌类型": "境外品牌（其他）", "出口享惠情况": "不享惠"}


def _report(number: str, date: dt.date) -> TestReport:
    return TestReport(
        number=number, body="重庆市机动车检测有限公司", date=date, standard="WM/T 8-2022", result="pass"
    )


def _finding(rule: str, severity: Severity, zh: str, en: str) -> Finding:
    return Finding(
        rule=rule,
        severity=severity,
        message_zh=zh,
        message_en=en,
        reference="商贸函〔2025〕648号",
        confidence=Confidence.VERIFIED,
    )


def make_vehicles() -> tuple[VehicleRecord, ...]:
    ford = {
        "brand": "福特",
        "model": "CAF7100B6",
        "manufacturer": FORD_MAKER,
        "fuel": "petrol",
        "body_type": "sedan",
        "displacement_ml": 999,
        "power_kw": Decimal("92"),
        "seats": 5,
        "owner_name": EXPORTER_NAME,
        "commodity_code": "8703213010",
        "customs_name": "旧福特1.0L小轿车",
        "trade_name": "福克斯",
        "kerb_mass_kg": 1275,
        "verdict": Verdict.ELIGIBLE,
        "declaration_values": DECLARED,
    }
    tesla = {
        "brand": "特斯拉",
        "model": "TSL7000BEVAR0",
        "manufacturer": TESLA_MAKER,
        "fuel": "bev",
        "body_type": "sedan",
        "power_kw": Decimal("194"),
        "battery_kwh": Decimal("60"),
        "seats": 5,
        "owner_name": EXPORTER_NAME,
        "commodity_code": "8703801010",
        "customs_name": "旧特斯拉纯电动小轿车",
        "trade_name": "Model 3",
        "kerb_mass_kg": 1760,
        "verdict": Verdict.ELIGIBLE,
    }
    byd = {
        "brand": "比亚迪",
        "model": "BYD6480STHEV3",
        "manufacturer": BYD_MAKER,
        "fuel": "phev_petrol",
        "body_type": "other",
        "displacement_ml": 1498,
        "power_kw": Decimal("81"),
        "battery_kwh": Decimal("18.3"),
        "seats": 5,
        "owner_name": EXPORTER_NAME,
        "commodity_code": "8703602900",
        "customs_name": "旧比亚迪1.5L其他",
        "trade_name": "宋PLUS DM-i",
        "declaration_values": DECLARED,
    }
    return (
        VehicleRecord(
            vin=FORD_1,
            registration_date=dt.date(2019, 3, 8),
            transfer_pending_export_date=dt.date(2026, 3, 2),
            factory_date=dt.date(2018, 11, 20),
            test_report=_report("CQJC-2026-03-0101", dt.date(2026, 3, 5)),
            price=Money(Decimal("6800.00"), "USD"),
            **ford,
        ),
        VehicleRecord(
            vin=FORD_2,
            registration_date=dt.date(2019, 4, 22),
            transfer_pending_export_date=dt.date(2026, 3, 2),
            factory_date=dt.date(2019, 1, 9),
            test_report=_report("CQJC-2026-03-0102", dt.date(2026, 3, 5)),
            price=Money(Decimal("7150.50"), "USD"),
            **ford,
        ),
        VehicleRecord(
            vin=TESLA_NEW,
            registration_date=dt.date(2025, 12, 20),
            transfer_pending_export_date=dt.date(2026, 3, 3),
            factory_date=dt.date(2025, 11, 28),
            test_report=_report("CQJC-2026-03-0103", dt.date(2026, 3, 6)),
            aftersales_confirmation=AftersalesConfirmation(held=True, letter_ref="TSLSH-ASC-2026-0042"),
            price=Money(Decimal("24500.00"), "USD"),
            declaration_values={"出口享惠情况": "不享惠"},  # 品牌类型 deliberately not supplied
            deadlines=(
                Deadline(
                    "aftersales_window_end", dt.date(2026, 6, 18), "vehicle.aftersales_confirmation_required"
                ),
            ),
            **tesla,
        ),
        VehicleRecord(
            vin=TESLA_OLD,
            registration_date=dt.date(2023, 4, 10),
            transfer_pending_export_date=dt.date(2026, 3, 3),
            factory_date=dt.date(2023, 3, 1),
            test_report=_report("CQJC-2026-03-0104", dt.date(2026, 3, 6)),
            price=Money(Decimal("15900.00"), "USD"),
            declaration_values=DECLARED,
            **tesla,
        ),
        VehicleRecord(
            vin=BYD_NEW,
            registration_date=dt.date(2026, 1, 5),
            transfer_pending_export_date=None,
            factory_date=dt.date(2025, 12, 12),
            test_report=_report("CQJC-2026-03-0105", dt.date(2026, 3, 9)),
            price=Money(Decimal("13200.00"), "USD"),
            verdict=Verdict.ACTION_REQUIRED,
            findings=(
                _finding(
                    "vehicle.aftersales_confirmation_required",
                    Severity.ACTION,
                    "注册70天，须生产企业出具《售后维修服务确认书》",
                    "Registered 70 days ago: manufacturer's confirmation needed",
                ),
                _finding(
                    "registration.transfer_pending_export_missing",
                    Severity.ACTION,
                    "尚未办理“转让待出口”登记",
                    "No transfer-pending-export registration yet",
                ),
            ),
            deadlines=(
                Deadline(
                    "aftersales_window_end", dt.date(2026, 7, 4), "vehicle.aftersales_confirmation_required"
                ),
            ),
            **{**byd, "kerb_mass_kg": None},
        ),
        VehicleRecord(
            vin=BYD_OLD,
            registration_date=dt.date(2025, 6, 1),
            transfer_pending_export_date=dt.date(2026, 3, 4),
            factory_date=dt.date(2025, 5, 10),
            test_report=_report("CQJC-2026-03-0106", dt.date(2026, 3, 9)),
            price=Money(Decimal("11800.00"), "USD"),
            verdict=Verdict.ELIGIBLE,
            kerb_mass_kg=1910,
            **byd,
        ),
    )


def make_exporter() -> ExporterInfo:
    return ExporterInfo(
        name=EXPORTER_NAME,
        uscc="91500000MA5U00000W",
        address="重庆市巴南区龙洲大道2899号1-1",
        contact=Contact("王晓敏", "023-62852688", "export@example.cn"),
        kind="circulation",
        filing_approved_on=dt.date(2025, 9, 1),
        legal_representative="李建国",
        customs_code="5001960ABC",
        display_site_address="重庆市巴南区界石镇二手车交易市场A区",
        appraiser_count=3,
    )


def make_batch() -> Batch:
    return Batch(
        reference="CQ-KZ-2026-007",
        exporter=make_exporter(),
        destination="KZ",
        vehicles=make_vehicles(),
        buyer=Party("ТОО «Восток Авто Импорт»", "Казахстан, г. Алматы, ул. Рыскулова, 92", "KZ"),
        trade_term=TradeTerm("EXW", "重庆市巴南区"),
        payment_terms=PaymentTerms("tt_deposit", deposit_percent=30),
        currency="USD",
        service_outlet=ServiceOutlet(
            "Восток Авто Сервис", "Казахстан, г. Алматы, ул. Рыскулова, 92/1", "ТОО «Восток Авто Импорт»"
        ),
        licence_application_date=dt.date(2026, 3, 16),
        contract_number="YXO-KZ-20260310",
        contract_date=dt.date(2026, 3, 10),
        invoice_date=dt.date(2026, 3, 12),
        delivery_by=dt.date(2026, 5, 31),
        dispute_resolution="提交中国国际经济贸易仲裁委员会仲裁",
    )


def make_audit() -> dict[str, list[AuditEntry]]:
    return {
        BYD_NEW: [
            AuditEntry(
                dt.datetime(2026, 3, 9, 10, 15, tzinfo=CN_TZ),
                "王晓敏",
                "检测报告录入",
                None,
                "CQJC-2026-03-0105",
            ),
            AuditEntry(
                dt.datetime(2026, 3, 11, 16, 40, tzinfo=CN_TZ),
                "李建国",
                "verdict",
                "eligible",
                "action_required",
            ),
        ]
    }


@pytest.fixture
def batch() -> Batch:
    return make_batch()


@pytest.fixture
def audit() -> dict[str, list[AuditEntry]]:
    return make_audit()


# -- readers ---------------------------------------------------------------------------------------


def xlsx_rows(data: bytes) -> dict[str, list[list[object]]]:
    """Every sheet as rows of cell values (openpyxl, the real reader)."""
    book = openpyxl.load_workbook(BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def xlsx_cells(data: bytes, sheet: str) -> list[str]:
    return [str(v) for row in xlsx_rows(data)[sheet] for v in row if v is not None]


def docx_text(data: bytes) -> str:
    """All paragraph and table text of a DOCX (python-docx)."""
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


def docx_tables(data: bytes) -> list[list[list[str]]]:
    document = Document(BytesIO(data))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in document.tables]


_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def pdf_text(data: bytes, tmp_path: Path) -> str:
    """The text of a PDF as poppler's pdftotext extracts it, bidi control characters removed."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return _BIDI_CONTROLS.sub("", out.stdout.decode("utf-8"))


def zip_names(data: bytes) -> list[str]:
    with zipfile.ZipFile(BytesIO(data)) as archive:
        return archive.namelist()
