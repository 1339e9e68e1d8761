"""The message catalogue, the declaration-element YAML and the input records' own checks."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest

from chuhai.documents import (
    AuditEntry,
    Batch,
    ExporterInfo,
    Money,
    PaymentTerms,
    TradeTerm,
    VehicleRecord,
    messages,
)
from chuhai.documents.elements import _load, element_list
from chuhai.errors import LawError, ValidationError
from chuhai.lawbook import SHIPPED_DIR, current
from chuhai.lawbook.declaration_elements import load_declaration_elements

SRC = Path(messages.__file__).resolve().parent

# t("key", ...), bi("key"), note("key", ...), label("key"), b.pair("key", ...) ... with a literal key
_KEY_USE = re.compile(
    r"""\b(?:t|bi|note|label|pair|both|clause|head|fill)\(\s*["']([a-z_]+\.[a-z0-9_.]+)["']"""
)


def test_every_literal_key_in_the_code_is_in_the_catalogue() -> None:
    used: set[str] = set()
    for path in SRC.glob("*.py"):
        if path.name == "messages.py":
            continue
        used |= set(_KEY_USE.findall(path.read_text(encoding="utf-8")))
    assert len(used) > 100
    assert sorted(k for k in used if k not in messages.CATALOGUE) == []


def test_shared_messages_have_four_languages_and_matching_placeholders() -> None:
    for key, texts in messages._SHARED.items():
        assert set(texts) == {"zh", "en", "ru", "ar"}, key
        for lang, text in texts.items():
            assert messages.placeholders(text) <= messages.placeholders(texts["zh"]), (key, lang)
            if lang == "ru" and key.startswith("contract.c_"):
                assert re.search("[\u0400-\u04ff]", text), key
            if lang == "ar" and key.startswith("contract.c_"):
                assert re.search("[\u0600-\u06ff]", text), key


def test_enumerations_are_all_translated() -> None:
    from chuhai.engine.model import Severity, Verdict
    from chuhai.schema import COLUMNS

    for fuel in COLUMNS["fuel"].values:
        assert f"fuel.{fuel}" in messages.CATALOGUE
    for body in COLUMNS["body_type"].values:
        assert f"body.{body}" in messages.CATALOGUE
    for verdict in Verdict:
        assert f"verdict.{verdict.value}" in messages.CATALOGUE
    for severity in Severity:
        assert f"severity.{severity.value}" in messages.CATALOGUE


def test_no_silent_language_fallback() -> None:
    with pytest.raises(KeyError):
        messages.t("statement.body", "ar")
    with pytest.raises(ValidationError):
        messages.country_name("XX", "zh")


def test_element_lists_match_regulations() -> None:
    ice = [e.name for e in element_list("8703213010").elements]
    bev = [e.name for e in element_list("8703801090").elements]
    hybrid = [e.name for e in element_list("8703602300").elements]
    assert [e.name for e in element_list("8703801010").elements] == bev
    assert "排气量" in ice
    assert "功率(千瓦)" not in ice
    assert "电池容量" not in ice
    assert "功率(千瓦)" in bev
    assert "电池容量" in bev
    assert "排气量" not in bev
    # Source S in its own order and wording (law review 2026-12 F24): 13 elements, plug-in as element 5.
    assert hybrid[:3] == ["品牌类型", "出口享惠情况", "发动机类型(柴油及驱动电动机等)"]
    assert hybrid[3:5] == ["成套散件请注明", "座位数"]
    assert hybrid[5] == "是否可通过接插外部电源进行充电"
    assert hybrid[6:10] == ["厂牌", "签注名称", "排气量(毫升)", "型号"]
    assert len(hybrid) == 13
    assert "品名" not in hybrid
    assert element_list("8703706300").name == "hybrid"
    assert element_list(None, "bev").name == "bev"
    assert element_list(None, None).name == "ice"
    data = _load()
    assert all(
        e.confidence in ("secondary-source", "inferred") for lst in data.lists.values() for e in lst.elements
    )


@pytest.mark.parametrize(
    ("mutation", "message"),
    [
        (lambda s: s.replace("value: seats", "value: seat_count", 1), "value"),
        (lambda s: s.replace('"870380": bev', '"870380": bev\n  "870380": ice'), "duplicate key"),
        (lambda s: s.replace("confidence: secondary-source}", "confidence: sure}", 1), "confidence"),
        (lambda s: s.replace("complete_vehicle:", "complete_car:"), "complete"),
        (lambda s: s.replace("reference: tariff-i5", "reference: https://i5a6.com/x"), "references.yaml"),
    ],
)
def test_malformed_element_yaml_is_refused(tmp_path: Path, mutation, message: str) -> None:  # type: ignore[no-untyped-def]
    broken = tmp_path / "declaration_elements.yaml"
    shipped = (SHIPPED_DIR / "declaration_elements.yaml").read_text(encoding="utf-8")
    broken.write_text(mutation(shipped), encoding="utf-8")
    with pytest.raises(LawError, match=message) as info:
        load_declaration_elements(broken, current().references)
    assert str(broken) in str(info.value)


def test_records_refuse_bad_input() -> None:
    with pytest.raises(ValidationError):
        VehicleRecord(vin="SHORT")
    with pytest.raises(ValidationError):
        Money(1.5, "USD")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        Money(Decimal("1"), "usd")
    with pytest.raises(ValidationError):
        TradeTerm("DDP", "Almaty")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        PaymentTerms("tt_deposit")
    with pytest.raises(ValidationError):
        AuditEntry(dt.datetime(2026, 1, 1, 9, 0), "who", "what")  # naive time
    exporter = ExporterInfo("某公司", "91500000MA5U00000W")
    vehicle = VehicleRecord(vin="LGXCH6CD6T1000528")
    with pytest.raises(ValidationError, match="twice"):
        Batch("B", exporter, "KZ", (vehicle, vehicle))
    with pytest.raises(ValidationError):
        Batch("B", exporter, "Kazakhstan", (vehicle,))
    with pytest.raises(ValidationError):
        Batch("B", exporter, "KZ", ())
