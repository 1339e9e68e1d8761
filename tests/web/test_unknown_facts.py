"""Not known is never "no" in the web import and the API (issue 9, item 1): empty prohibition facts
are stored as unknown, the uploader may attest facts for the file (audited, cited by the findings),
and the import page and its report name the columns that were not used."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import openpyxl
import pytest

from chuhai import schema
from chuhai.web.audit.models import AuditEvent
from chuhai.web.imports import services as imports
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY, make_vin, vehicle_facts

pytestmark = pytest.mark.django_db

HEADER = ["车辆识别代号", "车辆品牌", "车辆型号", "燃料种类", "排量", "车身形式", "注册登记日期", "使用性质",
          "检测结果", "目的国", "机动车所有人", "转让登记待出口日期", "规格", "经修理仍不符合标准",
          "逾期未检验", "是否被查封扣押过"]  # fmt: skip


def _csv(org: Any, rows: int = 2, **cells: str) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([*HEADER, *cells])
    for n in range(1, rows + 1):
        writer.writerow(
            [make_vin("LGW", n), "哈弗", "H6", "汽油", "1497", "小轿车", "2022-05-10", "非营运", "合格", "KZ",
             org.name, (TODAY - dt.timedelta(days=3)).isoformat(), "小型", "否", "否", "否", *cells.values()]
        )  # fmt: skip
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def clerk(make_org: Any, make_actor: Any, today: dt.date) -> Any:
    return make_actor(make_org(), "clerk")


def test_an_import_stores_unknown_facts_as_unknown_not_no(clerk: Any, on_commit: Any) -> None:
    with on_commit():
        job = imports.submit(clerk, "stock.csv", _csv(clerk.organisation))
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    for vehicle in Vehicle.objects.filter(organisation=clerk.organisation):
        for fact in schema.PROHIBITION_FACTS:
            assert getattr(vehicle, fact) in (None, ""), fact
        assert vehicle.verdict != "eligible"
        (finding,) = [f for f in vehicle.findings if f["rule"] == "input.unverified"]
        assert (
            "seized" in finding["facts"]["missing"]
        )  # the 是否被查封扣押过 column was not read: not "not seized"


def test_the_uploader_attests_facts_for_the_file_audited_and_cited(clerk: Any, on_commit: Any) -> None:
    facts = list(schema.PROHIBITION_FACTS)
    with on_commit():
        job = imports.submit(clerk, "stock.csv", _csv(clerk.organisation, 单元格="x"), attests=facts)
    job.refresh_from_db()
    assert job.state == "succeeded", job.message
    assert job.attests == facts
    (event,) = AuditEvent.objects.filter(transition="import.attest", object_id=job.pk)
    assert event.actor == clerk.user
    assert event.after["attests"] == facts
    vehicle = Vehicle.objects.filter(organisation=clerk.organisation).order_by("id").first()
    assert vehicle.seized is None  # stored as unknown, attested: the source is the attestation
    assert vehicle.attested_facts == facts
    assert vehicle.verdict == "eligible", [f["rule"] for f in vehicle.findings]
    (cited,) = [f for f in vehicle.findings if f["rule"] == "input.attested"]
    assert cited["facts"]["exporter_name"] == clerk.organisation.name
    # a later screening (any correction) still reads the attestation
    corrected = vehicle_service.correct_facts(clerk, vehicle.pk, {"odometer_km": "1000"})
    assert "input.attested" in corrected.rules
    assert "input.unverified" not in corrected.rules


def test_an_unknown_attested_fact_is_refused(clerk: Any) -> None:
    from chuhai.errors import ValidationError

    with pytest.raises(ValidationError, match="attests: sized"):
        imports.submit(clerk, "stock.csv", b"vin\n", attests=["sized"])


def test_the_import_page_and_report_name_the_columns_not_used(
    clerk: Any, on_commit: Any, client: Any
) -> None:
    with on_commit():
        job = imports.submit(clerk, "stock.csv", _csv(clerk.organisation))
    job.refresh_from_db()
    not_used = {c["header"]: c for c in job.columns["not_used"]}
    assert not_used["是否被查封扣押过"]["probably"] == "seized"
    client.force_login(clerk.user)
    page = client.get(f"/app/imports/{job.pk}/").content.decode()
    assert 'id="columns-not-used"' in page
    assert "是否被查封扣押过" in page.split('id="columns-not-used"')[1]
    assert "(seized)" in page.split('id="columns-not-used"')[1]
    columns = client.get(f"/app/imports/{job.pk}/errors/?format=columns").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(columns)))
    seized = next(r for r in rows if r[1] == "是否被查封扣押过")
    assert seized[2] == ""  # not read as anything
    assert seized[4] == "seized"  # probably means
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/app/imports/{job.pk}/errors/?format=xlsx").content)
    )
    assert "columns" in book.sheetnames


def test_the_upload_form_offers_every_fact_to_attest(clerk: Any, client: Any) -> None:
    client.force_login(clerk.user)
    page = client.get("/app/imports/").content.decode()
    for fact in schema.PROHIBITION_FACTS:
        assert f'name="attests" value="{fact}"' in page


def test_the_api_reads_an_omitted_fact_as_unknown(make_org: Any, make_actor: Any, api_client: Any) -> None:
    org = make_org()
    api = api_client(make_actor(org, "compliance"))
    facts = vehicle_facts(org, 40, owner_name=org.name)
    stated = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in facts.items()}
    omitted = {k: v for k, v in stated.items() if k not in ("seized", "documents_complete")}
    body = api.post(
        "/api/screen/vehicle",
        {"vehicle": omitted, "as_of": TODAY.isoformat()},
        content_type="application/json",
    ).json()
    (finding,) = [f for f in body["findings"] if f["rule"] == "input.unverified"]
    assert finding["facts"]["missing"] == "seized, documents_complete"
    assert body["verdict"] != "eligible"
    full = api.post(
        "/api/screen/vehicle",
        {"vehicle": stated, "as_of": TODAY.isoformat()},
        content_type="application/json",
    ).json()
    assert "input.unverified" not in full["rules"]


def test_the_api_import_takes_an_attestation(
    make_org: Any, make_actor: Any, api_client: Any, on_commit: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    org = make_org()
    actor = make_actor(org, "clerk")
    api = api_client(actor)
    upload = SimpleUploadedFile("stock.csv", _csv(org), content_type="text/csv")
    with on_commit():
        response = api.post("/api/imports", {"file": upload, "attests": ["seized", "crime_proceeds"]})
    assert response.status_code == 202, response.content
    body = api.get(f"/api/imports/{response.json()['id']}").json()
    assert body["attests"] == ["seized", "crime_proceeds"]
    assert body["state"] == "succeeded"
    assert any(c["header"] == "是否被查封扣押过" for c in body["columns"]["not_used"])


def test_the_api_shows_an_unknown_fact_as_null(make_org: Any, make_actor: Any, api_client: Any) -> None:
    org = make_org()
    api = api_client(make_actor(org, "compliance"))
    facts = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in vehicle_facts(org, 41).items()}
    del facts["seized"]
    created = api.post("/api/vehicles", facts, content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["seized"] is None
    assert body["crime_proceeds"] is False
    assert body["attested_facts"] == []
    assert "input.unverified" in body["rules"]
