"""references.yaml is well formed, has every required id, and every id cited under law/ exists in it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from chuhai.engine.law import _load_references
from chuhai.engine.lawfile import LAW_DIR, load_yaml
from chuhai.errors import LawError

REFERENCES = LAW_DIR / "references.yaml"

REQUIRED_IDS = {
    "mofcom-2024-6",
    "mofcom-2024-25",
    "mofcom-2025-648",
    "mofcom-guideline-2025-12-11",
    "mofcom-2025-54",
    "mofcom-2012-318",
    "mofcom-2025-408",
    "mofcom-gac-2025-89",
    "mofcom-guide-2025",
    "licence-form-guide",
    "order-2012-12",
    "gb-16735",
    "cfr-49-565",
    "state-council-holidays-2025",
    "state-council-holidays-2026",
    "customs-product-name",
    "wmt-8-2022",
    "wmt-9-2022",
    "mps-transfer-pending-export",
    "deregistration-2-months",
    "tariff-g-gacc-agency",
    "tariff-c-cifer",
    "tariff-i5",
    "tariff-j-jingyu100",
    "tariff-s-starexh",
    "tariff-m-mianbao",
    "tariff-e-etnet",
    "tariff-fsou-older",
    "tariff-bianmachaxun",
    "tariff-feeair",
    "market-ghanemforwarding",
    "market-atlanticexpresscorp",
    "market-carused-jp",
}


def validate_references(path: Path) -> dict[str, Any]:
    """Validate references.yaml with the engine's own strict loader; return its parsed content."""
    _load_references(path)
    return dict(load_yaml(path))


def cited_ids(law_dir: Path) -> dict[str, set[str]]:
    """Every id cited under ``reference`` (text), ``references`` or ``sources`` (lists of text), by file.

    A ``sources`` mapping (wmi.yaml's own source table) is not a list of reference ids and is skipped.
    Files are read with PyYAML's BaseLoader (every scalar a string): ids are strings anyway, and a file
    whose other values the strict loader refuses (e.g. a behaviour case feeding an impossible date)
    must still have its citations checked.
    """
    found: dict[str, set[str]] = {}

    def walk(node: Any, out: set[str]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "reference" and isinstance(value, str):
                    out.add(value)
                elif key in ("references", "sources") and isinstance(value, list):
                    out.update(v for v in value if isinstance(v, str))
                walk(value, out)
        elif isinstance(node, list):
            for value in node:
                walk(value, out)

    for path in sorted(law_dir.rglob("*.yaml")):
        if path.name == "references.yaml" and path.parent == law_dir:
            continue
        ids: set[str] = set()
        walk(yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.BaseLoader), ids)
        if ids:
            found[str(path.relative_to(law_dir))] = ids
    return found


def test_references_file_is_valid() -> None:
    validate_references(REFERENCES)


def test_required_ids_present() -> None:
    assert set(validate_references(REFERENCES)) >= REQUIRED_IDS


def test_every_cited_id_exists() -> None:
    known = set(validate_references(REFERENCES))
    cited = cited_ids(LAW_DIR)
    # The collector must see the files this task writes, or the check below proves nothing.
    assert {"commodity_codes.yaml", "markets.yaml", "parameters/aftersales/window_days.yaml"} <= set(cited)
    missing = {f: sorted(ids - known) for f, ids in cited.items() if ids - known}
    assert not missing


def test_collector_finds_an_unknown_id(tmp_path: Path) -> None:
    (tmp_path / "references.yaml").write_text("a: {}\n", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yaml").write_text(
        "reference: nope\nitems: [{sources: [also-nope]}]\nsources: {local: not an id}\n", encoding="utf-8"
    )
    assert cited_ids(tmp_path) == {"sub/x.yaml": {"nope", "also-nope"}}


def test_verified_documents_keep_their_marks() -> None:
    data = validate_references(REFERENCES)
    for ref_id in ("mofcom-2025-54", "mofcom-guideline-2025-12-11"):
        assert data[ref_id]["confidence"] == "verified-in-source", ref_id
        assert data[ref_id]["tier"] == "verbatim-reprint", ref_id
    # Law review 2026-12: their only copies are on unrelated sites (a weather and a stock-margin site;
    # a software vendor), so they are secondary however faithful the text looks.
    for ref_id in ("mofcom-2025-648", "mofcom-2012-318"):
        assert (data[ref_id]["confidence"], data[ref_id]["tier"]) == ("secondary-source", "secondary")
    # The 2024 No. 6 announcement was seen only in part and in summaries.
    assert data["mofcom-2024-6"]["confidence"] == "secondary-source"
    assert data["mofcom-2024-6"]["in_force"] == dt.date(2024, 3, 1)
    assert data["mofcom-2025-54"]["in_force"] == dt.date(2026, 1, 1)


GOOD = """\
x-1:
  title_zh: 标题
  title_en: Title
  title_ru: Заголовок
  title_ar: عنوان
  urls: [https://example.org/a]
  confidence: inferred
  tier: inferred
"""


def test_validator_accepts_the_good_example(tmp_path: Path) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert validate_references(path)["x-1"]["title_ar"] == "عنوان"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        (GOOD + "  extra: 1\n", "x-1"),
        (GOOD.replace("urls: [https://example.org/a]", "urls: []"), "x-1.urls"),
        (GOOD.replace("https://example.org/a", "example.org/a"), "x-1.urls[0]"),
        (GOOD.replace("confidence: inferred", "confidence: sure"), "x-1.confidence"),
        (GOOD + "  issued: 2026-02-30x\n", "x-1.issued"),
        (GOOD + "  issued: 2026-02-01\n  in_force: 2026-01-01\n", "x-1.in_force"),
        (GOOD.replace("x-1:", "X_1:"), "X_1"),
        (GOOD.replace("  title_en: Title\n", ""), "x-1"),
        # every title a reader sees is in all four languages of the app
        (GOOD.replace("  title_ru: Заголовок\n", ""), "x-1: missing key(s) title_ru"),
        (GOOD.replace("  title_ar: عنوان\n", ""), "x-1: missing key(s) title_ar"),
        (GOOD.replace("title_ar: عنوان", "title_ar: ''"), "x-1.title_ar"),
        (GOOD.replace("title_ru: Заголовок", "title_ru: [Заголовок]"), "x-1.title_ru"),
        (GOOD + "  title_de: Titel\n", "x-1: unknown key(s) title_de"),
        # sources in tiers (law review 2026-12)
        (GOOD.replace("  tier: inferred\n", ""), "x-1: missing key(s) tier"),
        (GOOD.replace("tier: inferred", "tier: primary"), "x-1.tier"),
        (
            GOOD.replace("confidence: inferred", "confidence: verified-in-source").replace(
                "tier: inferred", "tier: secondary"
            ),
            "x-1.confidence",
        ),
    ],
)
def test_validator_rejects_junk(tmp_path: Path, text: str, key: str) -> None:
    path = tmp_path / "references.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(LawError) as info:
        validate_references(path)
    assert str(path) in str(info.value)
    assert key in str(info.value)


# Hosts of the stored copies that have nothing to do with the subject (law review 2026-12: a weather
# site, a stock-margin site, a property site, a massage parlour, bare IP addresses …).
UNRELATED_HOSTS = (
    "jiaozhoutianqi.cn",
    "hrbjydc.com",
    "bramblepropertysearch.com",
    "happyfeetrelaxingnaples.com",
    "catchandreleasenews.com",
    "wxjdsoft.com",
    "duodown.com",
    "198.12.123.165",
    "122.224.56.14",
)


def test_no_reference_on_an_unrelated_site_is_above_secondary() -> None:
    data = validate_references(REFERENCES)
    for ref_id, ref in data.items():
        assert ref["tier"] in ("official-text", "verbatim-reprint", "secondary", "inferred"), ref_id
        official = [u for u in ref["urls"] if not any(h in u for h in UNRELATED_HOSTS)]
        if ref["tier"] in ("official-text", "verbatim-reprint"):
            assert official, ref_id
        if ref["tier"] == "official-text":
            assert any(".gov.cn/" in u for u in ref["urls"]), ref_id


def test_findings_and_the_catalogue_show_the_tier() -> None:
    """Every finding's citation carries the tier of each source; so do the rule library's sources."""
    from chuhai.engine import load_law
    from chuhai.explain import law_catalogue

    law = load_law()
    assert (
        law.cite(["mofcom-2024-6", "mofcom-2025-54"])
        == "2024年第6号公告 [secondary]；2025年第54号公告 [verbatim-reprint]"
    )
    rule = {r["id"]: r for r in law_catalogue(law)["rules"]}["exporter.new_vehicle_not_authorised"]
    assert {s["id"]: s["tier"] for s in rule["sources"]}["mofcom-2025-54"] == "verbatim-reprint"


def test_a_verified_value_on_a_secondary_source_is_refused(tmp_path: Path) -> None:
    from chuhai import lawbook

    local = tmp_path / "law"
    (local / "parameters" / "scrapping").mkdir(parents=True)
    shipped = LAW_DIR / "parameters" / "scrapping" / "export_ban_years_before_limit.yaml"
    text = shipped.read_text(encoding="utf-8").replace(
        "confidence: secondary-source", "confidence: verified-in-source"
    )
    (local / "parameters" / "scrapping" / "export_ban_years_before_limit.yaml").write_text(
        text, encoding="utf-8"
    )
    with pytest.raises(LawError, match="tier secondary"):
        lawbook.load(local)
