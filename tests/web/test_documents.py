"""Documents from the case records, through the API and the pages, read back with real readers.

A demo-like licence application: three cars of an enterprise put on a licence with an export
contract, one of them registered 100 days ago whose manufacturer's confirmation letter is requested
and received, then submitted and issued. Every file is opened with openpyxl, python-docx or
pdftotext and compared with the database rows, never with literals copied from the generator.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from collections import Counter
from io import BytesIO
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.test import Client
from docx import Document

from chuhai.documents.messages import t
from chuhai.web.aftersales import services as aftersales
from chuhai.web.audit.models import AuditEvent
from chuhai.web.licences import services as licences
from chuhai.web.licences.models import LicenceLine
from chuhai.web.vehicles.models import Vehicle

from .conftest import TODAY

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BYD = "比亚迪汽车工业有限公司"


def _xlsx_sheets(data: bytes) -> dict[str, list[list[Any]]]:
    book = openpyxl.load_workbook(BytesIO(data))
    return {ws.title: [list(row) for row in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _docx_text(data: bytes) -> str:
    document = Document(BytesIO(data))
    parts = [p.text for p in document.paragraphs]
    parts += [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def _pdf_text(data: bytes, tmp_path: Path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (Debian poppler-utils) is not installed")
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True, capture_output=True)
    return re.sub("[\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", out.stdout.decode("utf-8"))


@pytest.fixture
def licence(chain: Any) -> Any:
    """A submitted and issued licence of three cars, one young with its confirmation letter received."""
    outlet = aftersales.create_outlet(
        chain.actor,
        {"country": "KZ", "city": "Almaty", "address": "Rayimbek Ave 100", "provider": "TOO KZ Service"},
    )
    cars = [
        chain.registered(),
        chain.registered(),
        chain.registered(
            brand="比亚迪",
            model="BYD7152WTA",
            manufacturer=BYD,
            registration_date=TODAY - dt.timedelta(days=100),
            factory_date=TODAY - dt.timedelta(days=130),
        ),
    ]
    application = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicles(chain.actor, application.pk, [car.pk for car in cars])
    letter = aftersales.request_letter(chain.actor, application.pk, BYD, [outlet.pk], TODAY)
    aftersales.letter_transition(
        chain.actor, letter.pk, "receive", {"received_on": TODAY, "evidence": "letter 1"}
    )
    licences.transition(chain.actor, application.pk, "submit", {"submitted_on": TODAY})
    licences.transition(
        chain.actor, application.pk, "issue", {"licence_number": "26CQ000042", "issued_on": TODAY}
    )
    application.refresh_from_db()
    return application


def _lines(licence: Any) -> list[LicenceLine]:
    return list(LicenceLine.objects.filter(licence=licence).select_related("vehicle"))


def test_document_list(licence: Any, chain: Any, make_actor: Any, api_client: Any) -> None:
    readonly = api_client(make_actor(chain.org, "readonly"))
    response = readonly.get(f"/api/licences/{licence.pk}/documents")
    assert response.status_code == 200
    items = {item["name"]: item for item in response.json()}
    for name in (
        "package.zip",
        "licence-data.xlsx",
        "checklist.xlsx",
        "customs-draft.xlsx",
        "market-statement.docx",
        "contract-ru.docx",
        "invoice-en.xlsx",
        "packing-list-ar.xlsx",
        "deregistration-checklist.xlsx",
    ):
        assert name in items, name
    # the only young car's confirmation is in hand: no letter left to request
    assert "aftersales-letters.zip" not in items
    assert items["licence-data.xlsx"]["content_type"] == XLSX
    assert items["licence-data.xlsx"]["title_zh"] == t("doc.licence_sheet", "zh")
    # Kazakhstan: Russian is the contract's default second language
    assert items["contract-ru.docx"]["default"]
    assert not items["contract-en.docx"]["default"]


def test_licence_data_sheet_lists_exactly_the_licence_vins(
    licence: Any, chain: Any, make_actor: Any, api_client: Any
) -> None:
    readonly = api_client(make_actor(chain.org, "readonly"))
    response = readonly.get(f"/api/licences/{licence.pk}/documents/licence-data.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == f'attachment; filename="licence-{licence.pk}-licence-data.xlsx"'
    sheets = _xlsx_sheets(response.content)
    lines = _lines(licence)
    vin_rows = sheets[t("lic.sheet_vins", "en")][1:]
    assert sorted(row[3] for row in vin_rows) == sorted(line.vehicle.vin for line in lines)
    assert {row[3]: row[1] for row in vin_rows} == {line.vehicle.vin: line.commodity_code for line in lines}
    annex = {row[1]: row for row in sheets[t("lic.sheet_annex", "en")][1:] if isinstance(row[0], int)}
    assert set(annex) == {line.vehicle.vin for line in lines}
    for line in lines:
        vehicle = Vehicle.objects.get(pk=line.vehicle_id)
        row = annex[vehicle.vin]
        assert row[2:4] == [vehicle.brand, vehicle.model]
        assert row[4] == vehicle.registration_date.isoformat()
        assert row[5] == vehicle.transfer_pending_export_date.isoformat()
    form = [cell for row in sheets[t("lic.sheet_form", "en")] for cell in row if cell is not None]
    assert chain.org.name in form
    assert licence.submitted_on.isoformat() in form  # the application date
    quantities = Counter(line.commodity_code for line in lines)
    for code, quantity in quantities.items():
        assert [code, quantity] in [row[:2] for row in sheets[t("lic.sheet_form", "en")]]


def test_package_opens_with_real_readers_and_matches_the_records(
    licence: Any, chain: Any, make_actor: Any, api_client: Any, tmp_path: Path
) -> None:
    readonly = api_client(make_actor(chain.org, "readonly"))
    response = readonly.get(f"/api/licences/{licence.pk}/documents/package.zip?lang2=en")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    lines = _lines(licence)
    vins = [line.vehicle.vin for line in lines]
    with zipfile.ZipFile(BytesIO(response.content)) as archive:
        names = archive.namelist()
        files = {name.split("/", 1)[1]: archive.read(name) for name in names}
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["batch"] == licence.licence_number == "26CQ000042"
    assert manifest["vehicles"] == vins
    assert manifest["second_language"] == "en"
    assert manifest["licence_quantity_per_code"] == dict(Counter(line.commodity_code for line in lines))
    assert sorted(p for p in files if p.startswith("dossiers/")) == sorted(f"dossiers/{v}.pdf" for v in vins)
    opened = Counter()
    for path, data in files.items():
        if path.endswith(".xlsx"):
            text = "\n".join(
                str(c) for rows in _xlsx_sheets(data).values() for row in rows for c in row if c is not None
            )
        elif path.endswith(".docx"):
            text = _docx_text(data)
        else:
            assert path.endswith(".pdf"), path
            text = _pdf_text(data, tmp_path)
        opened[path.rsplit(".", 1)[1]] += 1
        # every file is tied to the records: the exporter or the licence, and (but the enterprise's own
        # filing papers) the vehicles
        assert chain.org.name in text or licence.licence_number in text, path
        assert path.startswith("filing/") or any(vin in text for vin in vins), path
        if path.startswith("dossiers/"):
            assert path.split("/")[1].removesuffix(".pdf") in text
    assert opened["pdf"] == len(vins)
    assert opened["xlsx"] >= 5
    assert opened["docx"] >= 4
    contract = _docx_text(files["05_export_contract_zh-en.docx"])
    assert chain.contract.number in contract
    assert chain.contract.buyer in contract
    assert chain.contract.signed_on.isoformat() in contract
    assert "TOO KZ Service" in contract  # the outlet named in the confirmation letter
    customs = "\n".join(
        str(c)
        for rows in _xlsx_sheets(files["08_customs_declaration_draft.xlsx"]).values()
        for row in rows
        for c in row
        if c is not None
    )
    for line in lines:
        assert line.vehicle.vin in customs
        assert line.vehicle.customs_name in customs


def test_dossier_pdf_carries_the_vin_and_the_audit_trail(
    licence: Any, chain: Any, make_actor: Any, api_client: Any, tmp_path: Path
) -> None:
    readonly = api_client(make_actor(chain.org, "readonly"))
    vehicle = _lines(licence)[-1].vehicle
    response = readonly.get(f"/api/vehicles/{vehicle.pk}/dossier.pdf?lang=ru")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="dossier-{vehicle.vin}-ru.pdf"'
    text = _pdf_text(response.content, tmp_path)
    assert vehicle.vin in text
    assert vehicle.commodity_code in text
    events = AuditEvent.objects.filter(vin=vehicle.vin).values_list("transition", flat=True)
    assert events
    assert all(transition in text for transition in set(events))
    assert readonly.get(f"/api/vehicles/{vehicle.pk}/dossier.pdf?lang=xx").status_code == 422


def test_other_organisations_get_404_and_bad_names_are_refused(
    licence: Any, make_org: Any, make_actor: Any, api_client: Any
) -> None:
    stranger = api_client(make_actor(make_org(), "admin"))
    vehicle = _lines(licence)[0].vehicle
    for url in (
        f"/api/licences/{licence.pk}/documents",
        f"/api/licences/{licence.pk}/documents/package.zip",
        f"/api/vehicles/{vehicle.pk}/dossier.pdf",
    ):
        response = stranger.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"] == "not_found"
    assert stranger.get("/api/licences/999999/documents/licence-data.xlsx").status_code == 404


def test_unknown_document_and_language(licence: Any, chain: Any, api_client: Any) -> None:
    api = api_client(chain.actor)
    assert api.get(f"/api/licences/{licence.pk}/documents/secret.txt").status_code == 404
    assert api.get(f"/api/licences/{licence.pk}/documents/package.zip?lang2=zh").status_code == 422
    # no letter is missing: the letter requests answer 404 with the reason
    assert api.get(f"/api/licences/{licence.pk}/documents/aftersales-letters.zip").status_code == 404


def test_pages_serve_the_same_files(licence: Any, chain: Any, make_actor: Any, make_org: Any) -> None:
    readonly = make_actor(chain.org, "readonly")
    browser = Client()
    browser.force_login(readonly.user)
    page = browser.get(f"/app/licences/{licence.pk}/documents/licence-data.xlsx")
    assert page.status_code == 200
    assert page["Content-Type"] == XLSX
    assert page["Content-Disposition"] == f'attachment; filename="licence-{licence.pk}-licence-data.xlsx"'
    vins = {line.vehicle.vin for line in _lines(licence)}
    listed = {row[3] for row in _xlsx_sheets(page.content)[t("lic.sheet_vins", "en")][1:]}
    assert listed == vins
    vehicle = _lines(licence)[0].vehicle
    dossier = browser.get(f"/app/vehicles/{vehicle.pk}/dossier.pdf")
    assert dossier.status_code == 200
    assert dossier.content.startswith(b"%PDF")
    stranger = Client()
    stranger.force_login(make_actor(make_org(), "admin").user)
    assert stranger.get(f"/app/licences/{licence.pk}/documents/licence-data.xlsx").status_code == 404
    assert stranger.get(f"/app/vehicles/{vehicle.pk}/dossier.pdf").status_code == 404
    assert Client().get(f"/app/vehicles/{vehicle.pk}/dossier.pdf").status_code == 302  # sign in


def test_a_draft_without_destination_says_what_is_missing(chain: Any, api_client: Any) -> None:
    application = licences.create(chain.actor, {})
    car = chain.registered(destination="")
    licences.add_vehicle(chain.actor, application.pk, car.pk)
    response = api_client(chain.actor).get(f"/api/licences/{application.pk}/documents/licence-data.xlsx")
    assert response.status_code == 422
    assert "destination" in response.json()["message"]


def test_document_queries_do_not_grow_with_vehicles(licence: Any, chain: Any, api_client: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = licences.create(chain.actor, {"export_contract_id": chain.contract.pk})
    licences.add_vehicle(chain.actor, small.pk, chain.registered().pk)
    api = api_client(chain.actor)
    api.get("/api/me")  # the token's first use records last_used_at
    counts = []
    for application in (small, licence):
        with CaptureQueriesContext(connection) as queries:
            assert api.get(f"/api/licences/{application.pk}/documents/licence-data.xlsx").status_code == 200
        counts.append(len(queries))
    # three cars need no more queries than one (the one-car licence also looks the outlet up by country)
    assert counts[1] <= counts[0], counts
    assert counts[1] <= 15
