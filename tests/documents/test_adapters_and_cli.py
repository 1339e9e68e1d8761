"""The adapter from screening records to document records, and ``chuhai documents`` on a stock file.

The CLI runs on a generated stock file (chuhai.synthetic) with the demo exporter; its packages are
opened with real readers and compared with the licence plan of ``chuhai plan`` and the file's rows.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections import Counter
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from click.testing import CliRunner

from chuhai.cli import main
from chuhai.documents import MISSING
from chuhai.documents.adapters import exporter_info, shared_date, vehicle_record
from chuhai.documents.messages import t
from chuhai.engine import screen_records
from chuhai.errors import ValidationError
from chuhai.io.parse import parse_records
from chuhai.io.profile import exporter_from_mapping, load_exporter_profile
from chuhai.synthetic import stock_frame

from .conftest import docx_text, pdf_text, xlsx_rows

ROOT = Path(__file__).resolve().parents[2]
DEMO_EXPORTER = ROOT / "demo" / "exporter.yaml"
AS_OF = dt.date(2026, 11, 20)


# -- the adapter --------------------------------------------------------------------------------------


def _row(**overrides: object) -> dict[str, object]:
    row: dict[str, object] = {
        "vin": "LSVAB2BR7NN012345",
        "brand": "大众",
        "model": "SVW7152",
        "manufacturer": "上汽大众汽车有限公司",
        "vehicle_category": "passenger",
        "body_type": "sedan",
        "fuel": "petrol",
        "displacement_ml": 1498,
        "power_kw": Decimal("83.5"),
        "seats": 5,
        "use_nature": "non_operating",
        "factory_date": dt.date(2021, 4, 1),
        "registration_date": dt.date(2021, 6, 18),
        "transfer_pending_export_date": dt.date(2026, 11, 10),
        "owner_name": "重庆渝新二手车出口有限公司",
        "test_result": "pass",
        "aftersales_confirmation": False,
        "destination": "KZ",
    }
    row.update(overrides)
    return row


def test_vehicle_record_carries_the_row_and_the_screening() -> None:
    profile = load_exporter_profile(DEMO_EXPORTER)
    row = _row()
    result = screen_records([row], profile, AS_OF)[0]
    parsed_row = parse_records([row]).frame.row(0, named=True)  # as a stock file reads it
    record = vehicle_record(parsed_row, result)
    assert record.vin == row["vin"]
    assert (record.brand, record.model, record.manufacturer) == (
        row["brand"],
        row["model"],
        row["manufacturer"],
    )
    assert record.registration_date == row["registration_date"]
    assert record.transfer_pending_export_date == row["transfer_pending_export_date"]
    assert record.power_kw == Decimal("83.5")
    assert isinstance(record.power_kw, Decimal)
    assert record.displacement_ml == 1498
    assert record.verdict == result.verdict
    assert record.commodity_code == result.commodity_code
    assert record.commodity_code
    assert record.customs_name == result.customs_name
    assert record.findings == result.findings
    assert record.deadlines == result.deadlines
    assert record.test_report is not None
    assert record.test_report.result == "pass"
    assert record.test_report.standard == "WM/T 8-2022"
    assert record.test_report.number is None  # the file has no report number: never made up
    assert not record.aftersales_confirmation.held
    # a licence line fixes the code
    assert vehicle_record(parsed_row, result, commodity_code="8703229090").commodity_code == "8703229090"


def test_vehicle_record_leaves_the_unknown_unknown() -> None:
    record = vehicle_record({"vin": "LSVAB2BR7NN012345", "test_result": "missing", "brand": " "}, None)
    assert record.brand is None
    assert record.registration_date is None
    assert record.verdict is None
    assert record.test_report is None
    assert record.findings == ()
    truck = vehicle_record(
        {"vin": "LSVAB2BR7NN012345", "vehicle_category": "truck", "test_result": "fail"}, None
    )
    assert truck.test_report is not None
    assert truck.test_report.standard == "WM/T 9-2022"
    special = vehicle_record(
        {"vin": "LSVAB2BR7NN012345", "vehicle_category": "special", "test_result": "pass"}, None
    )
    assert special.test_report is None  # no standard is assumed for it


@pytest.mark.parametrize(
    ("column", "value"),
    [("power_kw", 83.5), ("seats", "five"), ("registration_date", "18.06.2021"), ("displacement_ml", "1.5")],
)
def test_vehicle_record_refuses_what_it_cannot_read(column: str, value: object) -> None:
    with pytest.raises(ValidationError, match=column):
        vehicle_record({"vin": "LSVAB2BR7NN012345", column: value}, None)


def test_exporter_info_and_shared_date() -> None:
    profile = load_exporter_profile(DEMO_EXPORTER)
    info = exporter_info(profile, address="重庆市巴南区")
    assert (info.name, info.uscc, info.kind) == (profile.name, profile.uscc, profile.kind)
    assert info.filing_approved_on == profile.filing_approved_on
    assert info.address == "重庆市巴南区"
    bare = exporter_from_mapping({"name": "某公司", "kind": "circulation"}, source="test")
    assert exporter_info(bare).uscc == MISSING
    day = dt.date(2026, 3, 16)
    assert shared_date([day, day]) == day
    assert shared_date([day, day + dt.timedelta(days=1)]) is None
    assert shared_date([None, None]) is None


# -- chuhai documents -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory) -> Path:
    owner = load_exporter_profile(DEMO_EXPORTER).name
    path = tmp_path_factory.mktemp("stock") / "stock.csv"
    stock_frame(40, AS_OF, owner, seed=7).write_csv(path)
    return path


@pytest.fixture(scope="module")
def run(stock: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any], str]:
    out = tmp_path_factory.mktemp("packages")
    runner = CliRunner()
    common = [str(stock), "--exporter", str(DEMO_EXPORTER), "--as-of", AS_OF.isoformat()]
    planned = runner.invoke(main, ["plan", *common, "--format", "json"])
    assert planned.exit_code == 0, planned.output
    result = runner.invoke(
        main,
        [
            "documents",
            *common,
            "--output",
            str(out),
            "--buyer",
            "TOO Almaty Auto",
            "--trade-term",
            "FOB",
            "--place",
            "Qingdao",
            "--contract-number",
            "CQ-EXP-2026-001",
        ],
    )
    assert result.exit_code == 0, result.output + result.stderr
    return out, json.loads(planned.stdout), result.stdout


def _package(path: Path) -> tuple[dict[str, object], dict[str, bytes]]:
    with zipfile.ZipFile(path) as archive:
        files = {name.split("/", 1)[1]: archive.read(name) for name in archive.namelist()}
    return json.loads(files.pop("manifest.json")), files


def test_one_package_per_planned_licence(run: tuple[Path, dict[str, Any], str]) -> None:
    out, plan, printed = run
    licences = plan["licences"]
    assert isinstance(licences, list)
    assert licences
    expected = [
        f"licence-{i:02d}-{lic['commodity_code']}-{lic['destination']}.zip"
        for i, lic in enumerate(licences, 1)
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name, lic in zip(expected, licences, strict=True):
        assert name in printed
        manifest, _files = _package(out / name)
        assert manifest["vehicles"] == lic["vehicles"]
        assert manifest["destination"] == lic["destination"]
        assert manifest["licence_quantity_per_code"] == {lic["commodity_code"]: len(lic["vehicles"])}
        assert manifest["licence_application_date"] == AS_OF.isoformat()


def test_packages_open_with_real_readers_and_match_the_file(
    run: tuple[Path, dict[str, Any], str], stock: Path, tmp_path: Path
) -> None:
    out, plan, _ = run
    rows = {r["vin"]: r for r in pl.read_csv(stock, infer_schema=False).iter_rows(named=True)}
    exporter = load_exporter_profile(DEMO_EXPORTER)
    opened: Counter[str] = Counter()
    for i, lic in enumerate(plan["licences"], 1):
        manifest, files = _package(out / f"licence-{i:02d}-{lic['commodity_code']}-{lic['destination']}.zip")
        vins = lic["vehicles"]
        for path, data in files.items():
            kind = path.rsplit(".", 1)[1]
            opened[kind] += 1
            if kind == "xlsx":
                assert xlsx_rows(data)
            elif kind == "docx":
                assert docx_text(data)
            else:
                assert kind == "pdf", path
                text = pdf_text(data, tmp_path)
                vin = path.split("/")[1].removesuffix(".pdf")
                assert vin in vins
                assert vin in text
                assert exporter.name in text
        sheet = xlsx_rows(files["02_licence_application_data.xlsx"])
        listed = [row[3] for row in sheet[t("lic.sheet_vins", "en")][1:]]
        assert listed == vins
        annex = [row for row in sheet[t("lic.sheet_annex", "en")][1:] if isinstance(row[0], int)]
        assert [row[1] for row in annex] == vins
        for row in annex:
            source = rows[row[1]]
            assert (row[2], row[3]) == (source["brand"], source["model"])
            assert row[4] == source["registration_date"]
            assert row[5] == (source["transfer_pending_export_date"] or MISSING)
        contract = docx_text(files[f"05_export_contract_zh-{manifest['second_language']}.docx"])
        assert "TOO Almaty Auto" in contract
        assert "CQ-EXP-2026-001" in contract
        assert "Qingdao" in contract
        assert exporter.name in contract
        assert exporter.uscc in contract
        assert sorted(p for p in files if p.startswith("dossiers/")) == sorted(
            f"dossiers/{v}.pdf" for v in vins
        )
    assert opened["pdf"] == sum(len(lic["vehicles"]) for lic in plan["licences"])
    assert opened["xlsx"]
    assert opened["docx"]


def test_unreadable_input_exits_with_one_line(tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(
        main,
        [
            "documents",
            str(tmp_path / "nope.csv"),
            "--exporter",
            str(DEMO_EXPORTER),
            "--output",
            str(tmp_path),
        ],
    )
    assert missing.exit_code == 2
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "nope.csv" in missing.stderr
    assert list(tmp_path.iterdir()) == []
    lone_place = runner.invoke(
        main, ["documents", str(tmp_path / "x.csv"), "--exporter", str(DEMO_EXPORTER), "--place", "Qingdao"]
    )
    assert lone_place.exit_code == 2
    assert "--trade-term" in lone_place.stderr
