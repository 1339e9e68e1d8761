"""Stock-file import: all or nothing per file, row-level error report, progress, and a real worker
killed with SIGKILL in the middle of the write transaction."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from chuhai.web.audit.models import AuditEvent
from chuhai.web.imports import services as imports
from chuhai.web.imports.models import ImportJob
from chuhai.web.vehicles.models import Vehicle

from .conftest import make_vin

HEADER = [
    "车辆识别代号",
    "车辆品牌",
    "车辆型号",
    "制造厂名称",
    "燃料种类",
    "排量",
    "车身形式",
    "注册登记日期",
    "使用性质",
    "检测结果",
    "目的国",
    "机动车所有人",
    "备注",
]


def stock_csv(rows: int, start: int = 1, bad_rows: dict[int, dict[str, str]] | None = None) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for n in range(start, start + rows):
        row = {
            "车辆识别代号": make_vin("LGW", n),
            "车辆品牌": "哈弗",
            "车辆型号": "H6",
            "制造厂名称": "长城汽车股份有限公司",
            "燃料种类": "汽油",
            "排量": "1497",
            "车身形式": "小客车",
            "注册登记日期": "2022-05-10",
            "使用性质": "非营运",
            "检测结果": "合格",
            "目的国": "KZ",
            "机动车所有人": "李四",
            "备注": f"row {n}",
        }
        row.update((bad_rows or {}).get(n - start + 2, {}))
        writer.writerow([row[h] for h in HEADER])
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def clerk(make_org: Any, make_actor: Any, today: dt.date) -> Any:
    return make_actor(make_org(), "clerk")


@pytest.mark.django_db
def test_import_creates_screened_vehicles_and_is_rerunnable(clerk: Any, on_commit: Any) -> None:
    with on_commit():
        job = imports.submit(clerk, "stock.csv", stock_csv(5))
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert (job.total_rows, job.processed_rows, job.created_count) == (5, 5, 5)
    vehicles = Vehicle.objects.filter(organisation=clerk.organisation)
    assert vehicles.count() == 5
    first = vehicles.order_by("id").first()
    assert first.brand == "哈弗"
    assert first.use_nature == "non_operating"
    assert first.verdict
    assert first.law_version
    assert first.extra == {"备注": "row 1"}
    assert AuditEvent.objects.filter(vin=first.vin, transition="vehicle.import").count() == 1
    # the same file again updates, never duplicates
    with on_commit():
        again = imports.submit(clerk, "stock.csv", stock_csv(5))
    again.refresh_from_db()
    assert (again.state, again.created_count, again.updated_count) == ("succeeded", 0, 5)
    assert vehicles.count() == 5


@pytest.mark.django_db
def test_bad_rows_reject_the_whole_file_with_a_report(clerk: Any, on_commit: Any, client: Any) -> None:
    data = stock_csv(4, bad_rows={3: {"注册登记日期": "2022-13-45"}, 5: {"车辆识别代号": "LGW123"}})
    with on_commit():
        job = imports.submit(clerk, "stock.csv", data)
    job.refresh_from_db()
    assert job.state == "rejected"
    assert Vehicle.objects.filter(organisation=clerk.organisation).count() == 0  # all or nothing
    rows = {(e["row"], e["column"]) for e in job.errors}
    assert (3, "注册登记日期") in rows
    assert 5 in {r for r, _ in rows}
    bad_date = next(e for e in job.errors if e["row"] == 3)
    assert bad_date["value"] == "2022-13-45"
    assert bad_date["expected_en"]

    report = imports.error_report_csv(job).decode("utf-8-sig").splitlines()
    assert report[0].startswith("row")
    assert any(line.startswith("3,") for line in report[1:])
    client.force_login(clerk.user)
    xlsx = client.get(f"/app/imports/{job.pk}/errors/?format=xlsx")
    assert xlsx.status_code == 200
    assert xlsx.content[:2] == b"PK"
    page = client.get(f"/app/imports/{job.pk}/")
    assert page.status_code == 200
    assert "2022-13-45" in page.content.decode()


@pytest.mark.django_db
def test_row_errors_of_a_workbook_name_their_sheet(clerk: Any, on_commit: Any, client: Any) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    first = book.active
    first.title = "库存1"
    second = book.create_sheet("库存2")
    for sheet, rows in ((first, stock_csv(1)), (second, stock_csv(2, start=5))):
        for line in csv.reader(io.StringIO(rows.decode("utf-8-sig"))):
            sheet.append(line)
    second["H3"] = "2022-13-45"  # the second vehicle of the second sheet: an impossible date
    buffer = io.BytesIO()
    book.save(buffer)
    with on_commit():
        job = imports.submit(clerk, "two.xlsx", buffer.getvalue())
    job.refresh_from_db()
    assert job.state == "rejected"
    assert [e["reference"] for e in job.errors] == ["库存2!3"]
    report = imports.error_report_csv(job).decode("utf-8-sig").splitlines()
    assert report[1].startswith("库存2!3,")
    client.force_login(clerk.user)
    assert "库存2!3" in client.get(f"/app/imports/{job.pk}/").content.decode()


@pytest.mark.django_db
def test_duplicate_vin_in_file_is_a_row_error(clerk: Any, on_commit: Any) -> None:
    data = stock_csv(2) + stock_csv(1).split(b"\n", 1)[1]
    with on_commit():
        job = imports.submit(clerk, "dup.csv", data)
    job.refresh_from_db()
    assert job.state == "rejected"
    assert [e["rule"] for e in job.errors] == ["input.duplicate_vin"]


@pytest.mark.django_db
def test_nul_byte_and_over_long_cell_are_row_errors_never_database_errors(clerk: Any, on_commit: Any) -> None:
    header, first, second = stock_csv(2).decode("utf-8").splitlines()[:3]
    brand = header.split(",").index("车辆品牌")
    cells = first.split(",")
    cells[brand] = "丰\x00田"
    other = second.split(",")
    other[brand] = "品" * 150
    data = "\n".join([header, ",".join(cells), ",".join(other)]).encode("utf-8")
    with on_commit():
        job = imports.submit(clerk, "nul.csv", data)
    job.refresh_from_db()
    assert job.state == "rejected"  # the rows' findings, stored (PostgreSQL refuses NUL in jsonb)
    assert [(e["row"], e["column"], e["value"][:3]) for e in job.errors] == [
        (2, "车辆品牌", "丰\u2400田"),
        (3, "车辆品牌", "品品品"),
    ]
    assert Vehicle.objects.count() == 0


@pytest.mark.django_db
def test_unreadable_file_fails_the_job(clerk: Any, on_commit: Any) -> None:
    with on_commit():
        job = imports.submit(clerk, "stock.xlsx", b"this is not a spreadsheet")
    job.refresh_from_db()
    assert job.state == "failed"
    assert job.message


@pytest.mark.django_db
def test_upload_through_api_and_page(clerk: Any, api_client: Any, on_commit: Any, client: Any) -> None:
    api = api_client(clerk)
    upload = SimpleUploadedFile("stock.csv", stock_csv(3), content_type="text/csv")
    with on_commit():
        response = api.post("/api/imports", {"file": upload})
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert api.get(f"/api/imports/{job_id}").json()["state"] == "succeeded"
    client.force_login(clerk.user)
    with on_commit():
        page = client.post("/app/imports/", {"file": SimpleUploadedFile("s.csv", stock_csv(2, start=50))})
    assert page.status_code == 302
    assert Vehicle.objects.filter(organisation=clerk.organisation).count() == 5


# --- a real consumer killed mid-import ------------------------------------------------------------


def _consumer_env(tmp_path: Path) -> dict[str, str]:
    from django.conf import settings
    from django.db import connection

    env = dict(os.environ)
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        user = db.get("USER") or "postgres"
        host = db.get("HOST") or "127.0.0.1"
        port = db.get("PORT") or 5432
        env["DATABASE_URL"] = f"postgres://{user}@{host}:{port}/{db['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{db['NAME']}"
    env["CHUHAI_DATA_DIR"] = str(settings.DATA_DIR)  # uploads: where this process stored the file
    env["CHUHAI_QUEUE_URL"] = settings.QUEUE_URL
    env["CHUHAI_HUEY_IMMEDIATE"] = "0"
    env["CHUHAI_IMPORT_ROW_DELAY"] = "0.5"
    env["PYTHONPATH"] = os.pathsep.join(
        [str(Path(__file__).resolve().parents[2] / "src"), env.get("PYTHONPATH", "")]
    )
    return env


@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_import_leaves_nothing_and_rerun_succeeds(
    make_org: Any, make_actor: Any, tmp_path: Path
) -> None:
    from huey.contrib.djhuey import HUEY

    actor = make_actor(make_org(), "clerk")
    HUEY.immediate = False  # enqueue into the real queue the worker reads
    HUEY.flush()
    try:
        with transaction.atomic():
            job = imports.submit(actor, "stock.csv", stock_csv(12))
        log = tmp_path / "worker.log"
        worker = subprocess.Popen(
            [sys.executable, "-m", "chuhai.web", "run_huey", "--workers", "1"],
            env=_consumer_env(tmp_path),
            stdout=subprocess.DEVNULL,
            stderr=log.open("wb"),
        )
        try:
            deadline = time.monotonic() + 60
            while (current := ImportJob.objects.get(pk=job.pk)).state != "writing":
                if time.monotonic() > deadline or worker.poll() is not None or current.finished:
                    worker.kill()
                    worker.wait(timeout=10)
                    errors = log.read_text(errors="replace")[-3000:]
                    pytest.fail(
                        f"worker never started writing: job {current.state} {current.message!r}\n{errors}"
                    )
                time.sleep(0.1)
            time.sleep(2.0)  # a few rows are written inside the open transaction
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        finally:
            if worker.poll() is None:
                worker.kill()
        job.refresh_from_db()
        assert job.state == "writing"  # visibly unfinished
        assert Vehicle.objects.filter(organisation=actor.organisation).count() == 0  # nothing half-written
        assert not AuditEvent.objects.filter(
            organisation=actor.organisation, transition="vehicle.import"
        ).exists()
    finally:
        HUEY.immediate = True
    # re-run (inline, immediate mode): succeeds with every row
    with transaction.atomic():
        imports.rerun(actor, job.pk)
    job.refresh_from_db()
    assert job.state == "succeeded"
    assert job.created_count == 12
    assert job.attempts == 2
    assert Vehicle.objects.filter(organisation=actor.organisation).count() == 12
