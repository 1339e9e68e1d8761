"""Every rule message reads entirely in the reader's language: zh, en, ru and ar.

Findings come from the engine itself (the behaviour cases plus vehicles made to reach every phrase
variant); each one is rendered again with every variant of every phrase of its rule, in every language,
by the core (:func:`chuhai.engine.messages.render_message`) and by the web (``render_finding``). Russian
and Arabic must contain no English word (a run of 4+ ASCII letters) other than data taken from the
facts (VIN, manufacturer, codes…) and an explicit list, and no ``{field}`` may be left.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from chuhai.engine import load_law, load_law_from, screen_records
from chuhai.engine.lawfile import LAW_DIR, load_yaml
from chuhai.engine.messages import render_message
from chuhai.errors import LawError
from chuhai.identifiers.vin import calc_check_digit
from chuhai.io.profile import exporter_from_mapping
from chuhai.markets import default_markets
from chuhai.web.ui.i18n import ENUM_FACTS

LANGS = ("zh", "en", "ru", "ar")
FIELD = re.compile(r"\{[a-z_][a-z0-9_]*\}")
ASCII_WORD = re.compile(r"[A-Za-z]{4,}")
SCRIPT = {"ru": re.compile(r"[А-Яа-яЁё]"), "ar": re.compile(r"[\u0600-\u06FF]")}
# Names spelt as they are in every language: the source web sites the markets.yaml notes quote, and
# the acronym of the Ministry of Industry and Information Technology (its catalogue of vehicles).
# "yyyy", "yyyymmdd": date formats are written as in the file ("YYYY-MM-DD", "YYYYMMDD"), in every language.
# "attests": the exporter profile's key, which the user types as it is (input.unverified names it).
ALLOWED_WORDS = {"carused", "atlanticexpresscorp", "kinternational", "miit", "yyyy", "yyyymmdd", "attests"}
# Facts that carry the user's data or identifiers (shown as they are, in every language).
DATA_FACTS = {
    "vin",
    "manufacturer",
    "exporter_name",
    "commodity_code",
    "check_char",
    "expected_char",
    "use_label",
    "test_standard",
    "checked_rule",
    "missing",
    "unstated",  # vehicle.scrap_condition_unstated names the vehicle-file columns not stated
    "attested",  # input.attested names the vehicle-file columns the exporter attests
    "column",  # input.invalid quotes the reader's own column heading and cell value
    "value",
}
# Enumeration codes (ENUM_FACTS): the core shows the code, the web its translated label (gettext).
# Variants the engine cannot produce today: age counted from 1 January after manufacture is only a
# rule of Pakistan's personal-import schemes, which exporters' screening skips (rules/market.py); no
# steering rule of markets.yaml has conflicting sources. They are still rendered below.
NOT_PRODUCED = {
    ("market.age_limit", "basis", "manufacture_following_year"),
    ("market.steering_side", "note", "conflicting"),
    # Kenya's age rule counts the calendar year of first registration (registration_year) since the
    # law review of 2026-12; no market counts from the registration day any more. No restriction has
    # conflicting sources.
    ("market.age_limit", "basis", "registration"),
    ("market.import_restriction", "note", "conflicting"),
}


def _vin(prefix: str, wrong: bool = True) -> str:
    """A 17-character VIN ``prefix`` + filler whose check digit is wrong (or right)."""
    body = (prefix + "0123456789ABCDEFGH")[:17]
    right = calc_check_digit(body)
    digit = right if not wrong else ("1" if right != "1" else "2")
    return body[:8] + digit + body[9:]


def _records() -> list[tuple[dict[str, Any], dict[str, Any], dt.date]]:
    """(exporter, vehicle, as-of) triples: the behaviour cases and vehicles made for the variants."""

    def text(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in record.items()}

    out = []
    for path in sorted((LAW_DIR / "cases").glob("vehicles*.yaml")):
        data = load_yaml(path)
        for case in data["cases"]:
            exporter = {**data["defaults"]["exporter"], **(case.get("exporter") or {})}
            if exporter.get("used_car_filing") is None:
                exporter.pop("used_car_filing", None)
            out.append(
                (
                    exporter,
                    text({**data["defaults"]["input"], **(case.get("input") or {})}),
                    case.get("as_of", data["defaults"]["as_of"]),
                )
            )
    defaults = load_yaml(LAW_DIR / "cases" / "vehicles.yaml")["defaults"]
    base = text(defaults["input"])
    as_of = defaults["as_of"]
    made: list[dict[str, Any]] = [
        {"vin": None},
        {"vin": "LFMAP22CXN01234"},
        {"vin": "LFMAP22CXN012345I"},
        {"vin": "LFMAP22CXN01234#5"},
        {"vin": _vin("LFMAP22C")},
        {"vin": _vin("WVWZZZ1J")},
        {"vehicle_category": "special", "use_nature": "non_operating", "size_class": None},
        {"use_nature": "driving_school", "size_class": "mini"},  # no row of the table
        {"failed_standards_after_repair": True, "inspection_lapsed_3_cycles": True},
        {
            "vehicle_category": "bus",
            "seats": None,
            "body_type": None,
            "fuel": "petrol",
            "displacement_ml": 99999,
        },
        {"transfer_pending_export_date": "2025-12-01", "registration_date": "2026-09-01"},
        {"customs_clearance_date": "2026-01-05"},
        {"customs_clearance_date": "2026-11-10"},
        {"use_nature": "taxi", "factory_date": "2010-01-01", "registration_date": "2013-01-01"},
        {"use_nature": "taxi", "factory_date": "2010-01-01", "registration_date": "2010-02-01"},
    ]
    for code in default_markets().markets:
        for steering in ("lhd", "rhd"):
            made.append(
                {
                    "destination": code,
                    "steering": steering,
                    "factory_date": "2005-01-01",
                    "registration_date": "2005-02-01",
                    "licence_application_date": "2026-03-02",
                }
            )
    out += [(defaults["exporter"], {**base, **change}, as_of) for change in made]
    return out


@pytest.fixture(scope="module")
def findings() -> list[dict[str, Any]]:
    law = load_law()
    found = []
    for exporter, record, as_of in _records():
        (result,) = screen_records([record], exporter_from_mapping(exporter), as_of, law)
        for f in result.findings:
            found.append(
                {"rule": f.rule, "facts": f.facts, "message_zh": f.message_zh, "message_en": f.message_en}
            )
    unique = {(f["rule"], json.dumps(f["facts"], sort_keys=True)): f for f in found}
    return list(unique.values())


def _variants(finding: dict[str, Any]) -> list[dict[str, Any]]:
    """The finding's facts, then once with each variant of each phrase of its rule."""
    meta = load_law().rule(finding["rule"])
    out = [dict(finding["facts"])]
    for group, variants in meta.phrases.items():
        for variant in variants:
            out.append({**finding["facts"], group: variant})
    return out


def _words_allowed(facts: dict[str, Any], enums: bool) -> set[str]:
    keys = DATA_FACTS | (ENUM_FACTS if enums else set())
    words = {w.lower() for k in keys for w in ASCII_WORD.findall(str(facts.get(k) or ""))}
    return words | ALLOWED_WORDS


def _assert_in_language(text: str, lang: str, allowed: set[str], where: tuple[str, str]) -> None:
    assert text.strip(), where
    assert not FIELD.search(text), (where, text)
    if lang in SCRIPT:
        assert SCRIPT[lang].search(text), (where, text)
        english = {w for w in ASCII_WORD.findall(text) if w.lower() not in allowed}
        assert not english, (where, sorted(english), text)


def test_the_engine_produces_every_phrase_variant(findings: list[dict[str, Any]]) -> None:
    law = load_law()
    wanted = {
        (rule.id, group, variant)
        for rule in law.rules.values()
        for group, variants in rule.phrases.items()
        for variant in variants
    }
    produced = {
        (f["rule"], group, str(f["facts"].get(group)))
        for f in findings
        for group in law.rule(f["rule"]).phrases
    }
    assert produced <= wanted, produced - wanted  # every code the engine stores is worded by the law
    assert wanted - produced == NOT_PRODUCED


def test_core_renders_every_rule_in_every_language(findings: list[dict[str, Any]]) -> None:
    law = load_law()
    rules_seen = set()
    for finding in findings:
        rules_seen.add(finding["rule"])
        # The bulk path (polars) and the one-finding renderer say the same thing in zh and en.
        for lang in ("zh", "en"):
            assert finding[f"message_{lang}"].startswith(
                render_message(law, finding["rule"], lang, finding["facts"])
            )
        for facts in _variants(finding):
            for lang in LANGS:
                text = render_message(law, finding["rule"], lang, facts)
                _assert_in_language(text, lang, _words_allowed(facts, enums=True), (finding["rule"], lang))
    assert len(rules_seen) >= 25


def test_web_renders_every_rule_in_every_language(findings: list[dict[str, Any]]) -> None:
    from django.utils import translation

    from chuhai.web.ui import i18n

    for language, lang in (("zh-hans", "zh"), ("en", "en"), ("ru", "ru"), ("ar", "ar")):
        with translation.override(language):
            for finding in findings:
                for facts in _variants(finding):
                    stored = {
                        **finding,
                        "facts": facts,
                        "message_en": "STORED MESSAGE",
                        "message_zh": "STORED",
                    }
                    text = i18n.render_finding(stored)
                    assert "STORED" not in text, (language, finding["rule"], facts)
                    _assert_in_language(
                        text, lang, _words_allowed(facts, enums=False), (finding["rule"], lang)
                    )


def test_web_falls_back_to_the_stored_message_for_old_facts() -> None:
    """A finding stored before phrases existed (English free text in its facts) shows its stored text."""
    from django.utils import translation

    from chuhai.web.ui import i18n

    old = {
        "rule": "vin.invalid_format",
        "facts": {"vin": "ABC", "problem_zh": "长度为 3 位", "problem_en": "3 characters long"},
        "message_zh": "车辆识别代号“ABC”不符合格式：长度为 3 位",
        "message_en": 'VIN "ABC" is malformed: 3 characters long',
    }
    with translation.override("ru"):
        assert i18n.render_finding(old) == old["message_en"]
    unknown = {**old, "facts": {"vin": "ABC", "problem": "a_variant_of_a_future_law", "length": 3}}
    with translation.override("ar"):
        assert i18n.render_finding(unknown) == old["message_en"]


# --- the loader -----------------------------------------------------------------------------------


def _law_with(tmp_path: Path, old: str, new: str) -> Path:
    law_dir = tmp_path / "law"
    shutil.copytree(LAW_DIR, law_dir, ignore=shutil.ignore_patterns("cases"))
    path = law_dir / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    path.write_text(text.replace(old, new), encoding="utf-8")
    return law_dir


REGION_OTHER = 'other: {zh: "非中国制造车辆'


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        # a variant without its Arabic text
        (
            ', ar: "مركبة مصنوعة في الصين: خانة التحقق إلزامية"}',
            "}",
            r"vin\.check_digit\.phrases\.region\.china: missing key\(s\) ar",
        ),
        # placeholders that differ between languages
        (
            'ru: "число символов — {length}"',
            'ru: "число символов — {vin}"',
            r"problem\.length\.ru: placeholders \['vin'\] differ from zh \['length'\]",
        ),
        # a phrase group the message does not name (misspelt on one side)
        (
            "    region:\n",
            "    regoin:\n",
            r"vin\.check_digit\.phrases\.regoin: the zh message does not name",
        ),
        # a template naming a phrase that does not exist in one language only
        (
            '({region})"\n  phrases',
            '({regoin})"\n  phrases',
            r"vin\.check_digit\.message\.ar: names other facts",
        ),
        # an empty text in some languages only
        ('ru: "VIN не указан"', 'ru: ""', r"problem\.missing: empty in ru only"),
        # a phrase naming another phrase
        ('en: "{length} characters long"', 'en: "{problem} long"', r"problem\.length\.en: placeholders"),
        # an unknown key in a variant
        (
            ', ar: "مركبة مصنوعة في الصين: خانة التحقق إلزامية"}',
            ', ar: "مركبة مصنوعة في الصين: خانة التحقق إلزامية", fr: "fabriqué en Chine"}',
            r"region\.china: unknown key\(s\) fr",
        ),
    ],
)
def test_loader_rejects_bad_phrases(tmp_path: Path, old: str, new: str, error: str) -> None:
    law_dir = _law_with(tmp_path, old, new)
    with pytest.raises(LawError, match=error) as info:
        load_law_from(law_dir)
    assert "rules.yaml" in str(info.value)


def test_a_phrase_group_no_message_names_is_refused(tmp_path: Path) -> None:
    law_dir = _law_with(
        tmp_path,
        "    region:\n      china:",
        '    tone:\n      calm: {zh: "平静", en: "calm", ru: "тихо", ar: "هادئ"}\n    region:\n      china:',
    )
    with pytest.raises(LawError, match=r"vin\.check_digit\.phrases\.tone: the zh message does not name"):
        load_law_from(law_dir)


def test_an_unknown_variant_code_is_an_error_not_silence() -> None:
    law = load_law()
    facts = {"vin": "LFMAP22C1N0123456", "check_char": "1", "expected_char": "X", "region": "mars"}
    with pytest.raises(KeyError, match="mars"):
        render_message(law, "vin.check_digit", "ru", facts)


def test_every_market_note_is_in_four_languages() -> None:
    for market in default_markets().markets.values():
        for item in market.rules:
            assert set(item.note) == set(LANGS), item.id
            for lang in ("ru", "ar"):
                assert SCRIPT[lang].search(item.note[lang]), (item.id, lang)
                english = {w for w in ASCII_WORD.findall(item.note[lang]) if w.lower() not in ALLOWED_WORDS}
                assert not english, (item.id, lang, english)
