"""The PDF dossier (read back with pdftotext, rendered with pdftoppm) and the one-click package."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from chuhai.documents import AuditEntry, Batch, VehicleRecord, application_package_zip, vehicle_dossier_pdf
from chuhai.documents.dossier import dossier_data
from chuhai.documents.package import package_files

from .conftest import ALL_VINS, BYD_MAKER, BYD_NEW, EXPORTER_NAME, docx_text, pdf_text, xlsx_rows


def _byd(batch: Batch) -> VehicleRecord:
    return next(v for v in batch.vehicles if v.vin == BYD_NEW)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("zh", ["车辆档案", "Vehicle dossier", "发现及依据", "Findings and sources"]),
        (
            "ru",
            [
                "Досье транспортного средства",
                "Замечания и источники",
                "Журнал изменений",
                "Требуются действия",
            ],
        ),
        ("ar", ["ملف المركبة", "الملاحظات والمصادر", "سجل التدقيق", "نتيجة الفحص"]),
    ],
)
def test_dossier_text_comes_back_out(
    batch: Batch, audit: dict[str, list[AuditEntry]], tmp_path: Path, lang: str, expected: list[str]
) -> None:
    vehicle = _byd(batch)
    pdf = vehicle_dossier_pdf(
        vehicle, batch.exporter, audit[BYD_NEW], lang, application_date=batch.licence_application_date
    )
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    for phrase in expected:
        assert phrase in text, phrase
    assert text.count(BYD_NEW) >= 2  # title and identity table (and the footer)
    for value in (
        EXPORTER_NAME,
        "BYD6480STHEV3",
        BYD_MAKER,
        "2026-01-05",
        "8703602900",
        "CQJC-2026-03-0105",
        "vehicle.aftersales_confirmation_required",
        "registration.transfer_pending_export_missing",
        "2026-07-04",
        "王晓敏",
        "检测报告录入",
        "action_required",
        "商贸函〔2025〕648号",
    ):
        # table cells wrap long values: compare without the line breaks pdftotext keeps
        assert value in text or value in "".join(text.split()), value
    # the missing transfer-pending-export date (pdftotext may reorder the brackets around it in RTL pages)
    assert "待补充 / to be supplied" in text


def test_dossier_arabic_cells_are_rtl_in_the_data(batch: Batch) -> None:
    data = dossier_data(_byd(batch), batch.exporter, [], "ar")
    identity = data["sections"][1]["rows"]
    assert identity[0]["label"]["o"]["d"] == "rtl"  # Arabic label
    assert identity[0]["value"]["d"] == "ltr"  # the VIN stays left-to-right
    assert data["title"]["o"] == {"t": "ملف المركبة", "d": "rtl"}


def test_dossier_renders_to_png(batch: Batch, audit: dict[str, list[AuditEntry]], tmp_path: Path) -> None:
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (Debian poppler-utils) is not installed")
    pdf = tmp_path / "dossier.pdf"
    pdf.write_bytes(vehicle_dossier_pdf(_byd(batch), batch.exporter, audit[BYD_NEW], "ar"))
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True
    )
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    assert pages[0].read_bytes().startswith(b"\x89PNG")
    assert pages[0].stat().st_size > 20_000


def test_record_text_cannot_inject_markup(batch: Batch, tmp_path: Path) -> None:
    """Values reach Typst as JSON strings, so markup characters print literally."""
    import dataclasses

    tricky = dataclasses.replace(
        _byd(batch), model='#panic("x") *bold* $x$ <l> @ref', findings=(), deadlines=()
    )
    text = pdf_text(vehicle_dossier_pdf(tricky, batch.exporter, [], "en"), tmp_path)
    assert '#panic("x") *bold* $x$ <l> @ref' in text


def test_application_package(batch: Batch, audit: dict[str, list[AuditEntry]], tmp_path: Path) -> None:
    data = application_package_zip(batch, audit=audit)
    with zipfile.ZipFile(BytesIO(data)) as archive:
        names = archive.namelist()
        root = "CQ-KZ-2026-007/"
        assert all(n.startswith(root) for n in names)
        manifest = json.loads(archive.read(root + "manifest.json"))
        listed = {f["path"] for f in manifest["files"]}
        assert {n[len(root) :] for n in names} == listed | {"manifest.json"}
        for entry in manifest["files"]:
            content = archive.read(root + entry["path"])
            assert hashlib.sha256(content).hexdigest() == entry["sha256"]
            assert len(content) == entry["bytes"]
        # every kind of document is there, contract in Chinese + Russian for Kazakhstan
        for expected in (
            "01_licence_checklist.xlsx",
            "02_licence_application_data.xlsx",
            "03_market_access_statement.docx",
            "05_export_contract_zh-ru.docx",
            "06_commercial_invoice_zh-ru.xlsx",
            "07_packing_list_zh-ru.xlsx",
            "08_customs_declaration_draft.xlsx",
            "09_deregistration_checklist.xlsx",
            "filing/filing_commitment_letter.docx",
            "filing/filing_application_outline.docx",
        ):
            assert expected in listed, expected
        letters = [p for p in listed if p.startswith("04_aftersales_request_")]
        assert letters == [f"04_aftersales_request_01_{BYD_MAKER}.docx"]
        assert sorted(p for p in listed if p.startswith("dossiers/")) == sorted(
            f"dossiers/{v}.pdf" for v in ALL_VINS
        )
        # the files open with real readers and carry the same records
        contract = docx_text(archive.read(root + "05_export_contract_zh-ru.docx"))
        assert all(v in contract for v in ALL_VINS)
        assert "Статья 7" in contract
        annex = xlsx_rows(archive.read(root + "02_licence_application_data.xlsx"))["Annex"]
        assert sorted(r[1] for r in annex[1:] if r[1] in ALL_VINS) == sorted(ALL_VINS)
        dossier = pdf_text(archive.read(root + f"dossiers/{BYD_NEW}.pdf"), tmp_path)
        assert "王晓敏" in dossier
        assert "Досье" in dossier
    assert manifest["licence_quantity_per_code"] == {"8703213010": 2, "8703602900": 2, "8703801010": 2}
    assert manifest["checklist"]["complete"] is False
    assert manifest["second_language"] == "ru"


def test_package_without_dossiers_is_deterministic(batch: Batch) -> None:
    files = package_files(batch, include_dossiers=False)
    assert not any(f.path.startswith("dossiers/") for f in files)
    xlsx = [f for f in files if f.path.endswith(".xlsx")]
    again = {f.path: f.data for f in package_files(batch, include_dossiers=False)}
    assert all(again[f.path] == f.data for f in xlsx)  # workbooks are a function of the records
