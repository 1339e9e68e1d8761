"""Destination-market rules (chuhai.markets, law/markets.yaml)."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from chuhai.engine.lawfile import LAW_DIR
from chuhai.errors import LawError
from chuhai.markets import MarketRule, default_markets, load_markets, market_rules


def rules_of(country: str, kind: str) -> list[MarketRule]:
    return [r for r in market_rules(country) if r.kind == kind]


def test_kenya_accepts_right_hand_drive_only() -> None:
    (steering,) = rules_of("KE", "steering")
    assert steering.accepts == "rhd_only"
    ages = {(r.basis, r.max_years) for r in rules_of("KE", "age_limit")}
    assert ages == {("manufacture", 8), ("registration", 7)}


def test_kazakhstan_bans_right_hand_drive_from_2007() -> None:
    (steering,) = rules_of("KZ", "steering")
    assert steering.accepts == "lhd_only"
    assert not steering.applies_on(dt.date(2006, 12, 31))
    assert steering.applies_on(dt.date(2007, 1, 1))
    assert rules_of("KZ", "age_limit") == []  # none found


def test_pakistan_commercial_age_limit_window() -> None:
    (rule,) = [r for r in rules_of("PK", "age_limit") if r.scheme == "commercial"]
    assert rule.max_years == 5
    assert not rule.applies_on(dt.date(2025, 9, 30))
    assert rule.applies_on(dt.date(2025, 10, 1))
    assert rule.applies_on(dt.date(2026, 6, 30))
    assert not rule.applies_on(dt.date(2026, 7, 1))  # age limit removed after 2026-06-30
    assert rule.conflicting  # dunyanews' "over 5 years old" wording
    personal = {
        (tuple(r.categories or ()), r.max_years)
        for r in rules_of("PK", "age_limit")
        if r.scheme == "personal"
    }
    assert (("passenger",), 3) in personal
    assert all(
        r.basis == "manufacture_following_year" for r in rules_of("PK", "age_limit") if r.scheme == "personal"
    )
    assert rules_of("PK", "steering")[0].accepts == "rhd_only"


def test_bolivia_sources_conflict() -> None:
    rules = market_rules("BO")
    assert len(rules) == 3
    assert all(r.conflicting for r in rules)
    assert {r.kind for r in rules} == {"age_limit", "used_import_banned"}


def test_egypt_is_port_dependent() -> None:
    by_port = {r.ports: r.max_years for r in rules_of("EG", "age_limit")}
    assert by_port == {("Damietta", "Alexandria"): 1, ("Port Said",): 10}
    assert all("Port-dependent" in r.note_en for r in rules_of("EG", "age_limit"))


def test_rule_filters() -> None:
    heavy = [r for r in rules_of("SA", "age_limit") if r.max_years == 10]
    (rule,) = heavy
    assert rule.applies_to(category="truck", size="heavy")
    assert not rule.applies_to(category="passenger")
    assert not rule.applies_to(category="truck", size="light")
    assert rule.applies_to()  # unknown facts never exclude a rule
    (jordan,) = rules_of("JO", "age_limit")
    assert not jordan.applies_to(fuel="bev")
    assert jordan.applies_to(fuel="petrol")
    nigeria = rules_of("NG", "age_limit")[0]
    assert nigeria.max_years == 15
    assert not nigeria.inclusive
    (tajik,) = rules_of("TJ", "age_limit")
    assert tajik.min_year == 2013
    assert tajik.max_years is None


def test_no_market_rule_claims_more_than_secondary() -> None:
    for market in default_markets().markets.values():
        for rule in market.rules:
            assert rule.confidence in ("secondary-source", "inferred"), (market.code, rule)
            assert rule.sources


def test_used_import_bans() -> None:
    for country in ("ZA", "CO", "CL"):
        assert rules_of(country, "used_import_banned"), country


@pytest.mark.parametrize("code", ["FR", "", "  ", "K", "KEN", None, 7, ["KE"]])
def test_unknown_or_junk_country_has_no_rules(code: object) -> None:
    assert market_rules(code) == ()  # type: ignore[arg-type]


def test_country_code_is_case_insensitive() -> None:
    assert market_rules(" ke ") == market_rules("KE") != ()


# ---------------------------------------------------------------------------------------------------
# The loader rejects junk, naming the file and the key
# ---------------------------------------------------------------------------------------------------

GOOD = """\
markets:
  KE:
    name_en: Kenya
    rules:
      - id: ke-steering
        kind: steering
        accepts: rhd_only
        confidence: secondary-source
        sources: [market-carused-jp]
        note: {zh: 右舵, en: RHD, ru: правый руль, ar: المقود الأيمن}
      - id: ke-age
        kind: age_limit
        max_years: 8
        basis: manufacture
        from: 2025-01-01
        to: 2026-01-01
        confidence: secondary-source
        sources: [market-carused-jp]
        note: {zh: 八年, en: eight years, ru: восемь лет, ar: ثماني سنوات}
"""


@pytest.fixture
def law_dir(tmp_path: Path) -> Path:
    shutil.copy(LAW_DIR / "references.yaml", tmp_path / "references.yaml")
    return tmp_path


def test_loader_accepts_the_good_example(law_dir: Path) -> None:
    (law_dir / "markets.yaml").write_text(GOOD, encoding="utf-8")
    table = load_markets(law_dir)
    assert [r.kind for r in table.rules("KE")] == ["steering", "age_limit"]


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD.replace("  KE:", "  XX:"), "markets.XX"),
        (GOOD.replace("  KE:", "  ke:"), "markets.ke"),
        (GOOD.replace("name_en: Kenya", "name: Kenya"), "markets.KE"),
        (GOOD.replace("kind: steering", "kind: colour"), "markets.KE.rules[0].kind"),
        (GOOD.replace("accepts: rhd_only", "accepts: both"), "markets.KE.rules[0].accepts"),
        (GOOD.replace("        accepts: rhd_only\n", "        max_years: 3\n"), "markets.KE.rules[0]"),
        (GOOD.replace("max_years: 8", "max_years: 8\n        min_year: 2013"), "markets.KE.rules[1]"),
        (GOOD.replace("max_years: 8", "max_years: -1"), "markets.KE.rules[1].max_years"),
        (GOOD.replace("basis: manufacture", "basis: vibes"), "markets.KE.rules[1].basis"),
        (GOOD.replace("to: 2026-01-01", "to: 2024-01-01"), "markets.KE.rules[1].to"),
        (GOOD.replace("from: 2025-01-01", "since: 2025-01-01\n        from: 2025-01-01"), "rules[1].since"),
        (GOOD.replace("[market-carused-jp]", "[no-such-site]", 1), "markets.KE.rules[0].sources[0]"),
        (GOOD.replace("confidence: secondary-source", "confidence: gospel", 1), "rules[0].confidence"),
        (GOOD.replace("{zh: 右舵, en: RHD,", "{zh: 右舵,"), "markets.KE.rules[0].note"),
        (GOOD.replace(", ar: المقود الأيمن}", "}"), "markets.KE.rules[0].note"),
        (GOOD.replace("ru: правый руль", "ru: ''"), "markets.KE.rules[0].note.ru"),
        (GOOD.replace("      - id: ke-steering\n        kind", "      - kind"), "markets.KE.rules[0]"),
        (GOOD.replace("id: ke-age", "id: ke-steering"), "markets.KE.rules[1].id"),
        (GOOD.replace("id: ke-age", "id: KE age"), "markets.KE.rules[1].id"),
        (
            GOOD.replace("basis: manufacture", "basis: manufacture\n        categories: [boat]"),
            "categories[0]",
        ),
        (GOOD.replace("accepts: rhd_only", "accepts: rhd_only\n        conflicting: maybe"), "conflicting"),
        (GOOD + "extra: 1\n", "(top level)"),
        ("markets:\n  KE:\n    name_en: Kenya\n    rules: []\n", "markets.KE.rules"),
    ],
)
def test_loader_rejects_junk(law_dir: Path, text: str, key: str) -> None:
    path = law_dir / "markets.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawError) as info:
        load_markets(law_dir)
    assert str(path) in str(info.value)
    assert key in str(info.value)


@pytest.mark.parametrize(
    "content", [b"", b"- KE\n", b"markets: {KE: {name_en: a, name_en: b}}\n", b"\x80\x81"]
)
def test_loader_rejects_malformed_files(law_dir: Path, content: bytes) -> None:
    path = law_dir / "markets.yaml"
    path.write_bytes(content)
    with pytest.raises(LawError, match=re.escape(str(path))):
        load_markets(law_dir)
