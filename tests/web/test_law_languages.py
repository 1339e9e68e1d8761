"""The law's own texts and the input-error texts in the reader's language: the rule library in Russian and
Arabic (reference titles beside the official Chinese one, parameter descriptions, rule descriptions),
``input.invalid`` findings and the import error report without English for ru/ar readers."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.utils import translation
from django.utils.html import escape

from chuhai import schema
from chuhai.engine import load_law, screen_records
from chuhai.io.profile import ExporterProfile
from chuhai.web.imports import services as imports
from chuhai.web.ui import i18n
from chuhai.web.vehicles.screening import findings_json

from .conftest import make_vin
from .test_imports import stock_csv

LAW = load_law()
RULE = "vehicle.aftersales_confirmation_required"  # cites mofcom-2025-648, uses aftersales.window_days
OTHER = {"ru": "ar", "ar": "ru"}


@pytest.fixture
def reader(make_org: Any, make_actor: Any, client: Any, today: dt.date) -> Any:
    """A signed-in client reading a given language."""
    actor = make_actor(make_org(), "clerk")

    def read(language: str) -> Any:
        client.force_login(actor.user)
        client.cookies["django_language"] = language
        return client

    read.actor = actor  # type: ignore[attr-defined]
    return read


def _page(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return str(response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_rule_page_shows_reference_titles_and_parameters_in_the_readers_language(
    reader: Any, lang: str
) -> None:
    page = _page(reader(lang), f"/app/rules/{RULE}/")
    ref = LAW.references["mofcom-2025-648"]
    param = LAW.parameter("aftersales.window_days")
    assert escape(ref.title(lang)) in page
    # the official Chinese title stays visible, marked as Chinese
    assert f'<small lang="zh">{escape(ref.title_zh)}</small>' in page
    assert escape(param.description[lang]) in page
    assert escape(param.values[0].note[lang]) in page
    for other in ("en", OTHER[lang]):
        assert escape(ref.title(other)) not in page
        assert escape(param.description[other]) not in page


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_rule_library_lists_parameters_gaps_and_descriptions_in_the_readers_language(
    reader: Any, lang: str
) -> None:
    client = reader(lang)
    page = _page(client, "/app/rules/")
    for param in LAW.parameters.values():
        assert escape(param.description[lang]) in page, param.id
        assert escape(param.description["en"]) not in page, param.id
        for gap in param.gaps:
            assert escape(gap[lang]) in page, param.id
    # the citations carry the reference title in the reader's language
    assert f'title="{escape(LAW.references["mofcom-2024-6"].title(lang))}"' in page
    described = LAW.rule("licence.validity").description
    detail = _page(client, "/app/rules/licence.validity/")
    assert escape(described[lang]) in detail
    assert escape(described["en"]) not in detail


@pytest.mark.django_db
def test_a_chinese_reader_sees_only_the_official_title(reader: Any) -> None:
    page = _page(reader("zh-hans"), f"/app/rules/{RULE}/")
    ref = LAW.references["mofcom-2025-648"]
    assert f'<span lang="zh">{escape(ref.title_zh)}</span>' in page
    assert escape(ref.title_en) not in page
    assert escape(LAW.parameter("aftersales.window_days").description["zh"]) in page


def _invalid_findings() -> list[dict[str, Any]]:
    records = [
        {
            "vin": make_vin("LGW", 1),
            "seats": "five",
            "factory_date": "2024-02-30",
            "destination": "Mars",
            "fuel": "氢能",
            "seized": "maybe",
        }
    ]
    exporter = ExporterProfile(
        name="测试出口有限公司",
        uscc="",
        uscc_valid=False,
        kind="circulation",
        filing_approved_on=dt.date(2026, 3, 1),
        authorised_by=(),
        project_documents=False,
    )
    (result,) = screen_records(records, exporter, dt.date(2026, 6, 1))
    found = [f for f in findings_json(result) if f["rule"] == "input.invalid"]
    assert len(found) == 5
    return found


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_input_invalid_findings_say_what_was_expected_in_the_readers_language(lang: str) -> None:
    findings = _invalid_findings()
    with translation.override(lang):
        for finding in findings:
            facts = finding["facts"]
            text = i18n.render_finding(finding)
            assert facts[f"expected_{lang}"] in text, text
            # no English: neither the expectation nor the stored English message
            assert facts["expected_en"] not in text, text
            assert text != finding["message_en"]
            for word in ("expected", "one of", "a date as", "a whole number", "country code", " or "):
                assert word not in text, (word, text)


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_import_errors_page_and_report_in_the_readers_language(
    reader: Any, on_commit: Any, lang: str
) -> None:
    data = stock_csv(3, bad_rows={3: {"注册登记日期": "2022-13-45"}, 4: {"车辆识别代号": "LGW123"}})
    with on_commit():
        job = imports.submit(reader.actor, "stock.csv", data)
    job.refresh_from_db()
    assert job.state == "rejected"
    bad_date = next(e for e in job.errors if e["row"] == 3)
    assert bad_date["expected_ru"] == schema.EXPECTED["date"]["ru"]
    assert bad_date["expected_ar"] == schema.EXPECTED["date"]["ar"]
    bad_vin = next(e for e in job.errors if e["row"] == 4)
    assert bad_vin["rule"] == "vin.invalid_format"
    for language in ("ru", "ar"):  # rendered from the law's own ru/ar template, not the English message
        assert bad_vin[f"expected_{language}"].startswith(
            LAW.rule("vin.invalid_format").message[language][:3]
        )
        assert bad_vin[f"expected_{language}"] != bad_vin["expected_en"]

    client = reader(lang)
    page = _page(client, f"/app/imports/{job.pk}/")
    assert escape(bad_date[f"expected_{lang}"]) in page
    assert escape(bad_vin[f"expected_{lang}"]) in page
    assert escape(bad_date["expected_en"]) not in page
    assert escape(bad_date["expected_zh"]) not in page

    for url in (f"/app/imports/{job.pk}/errors/",):
        response = client.get(url)
        assert response.status_code == 200, url
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        column = len(rows[0]) - 2  # the reader's column comes just before the rule
        assert rows[0][column] == {"ru": "ожидается (по-русски)", "ar": "المتوقع (بالعربية)"}[lang]
        by_row = {int(r[0]): r for r in rows[1:]}
        assert by_row[3][column] == bad_date[f"expected_{lang}"]
        assert by_row[3][3] == bad_date["expected_en"]  # English and Chinese are always in the report
        assert by_row[3][4] == bad_date["expected_zh"]


def test_error_report_keeps_english_and_chinese_only_for_their_readers() -> None:
    class Job:
        def __init__(self) -> None:
            self.errors = [imports._error(2, "排量", "x", schema.expected_texts("millilitres"))]

    for lang in ("zh", "en"):
        header = imports.error_report_csv(Job(), lang).decode("utf-8-sig").splitlines()[0]  # type: ignore[arg-type]
        assert header.split(",") == [
            "row 行",
            "column 列",
            "value 值",
            "expected 期望",
            "期望（中文）",
            "rule 规则",
        ]
    line = imports.error_report_csv(Job(), "ar").decode("utf-8-sig").splitlines()[1]  # type: ignore[arg-type]
    assert "عدد صحيح من المليلترات" in line  # the Arabic text of the reader (not the English)


def test_an_error_stored_before_russian_and_arabic_reads_in_english() -> None:
    old = {"row": 2, "column": "排量", "value": "x", "expected_en": "a whole number", "expected_zh": "整数"}
    assert imports.expected_text(old, "ru") == "a whole number"
    assert imports.expected_text(old, "zh") == "整数"
    new = imports._error(2, "排量", "x", schema.expected_texts("whole_number"))
    assert imports.expected_text(new, "ar") == "عدد صحيح"
