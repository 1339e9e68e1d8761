"""``chuhai rules``: the law catalogue in the reader's language, every language in JSON."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from chuhai.cli import main
from chuhai.engine.law import LAW_LANGUAGES, load_law


def test_json_catalogue_carries_every_language() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    described = {r["id"]: r for r in data["rules"]}["licence.validity"]
    assert set(described["description"]) == set(LAW_LANGUAGES)
    source, advance = described["sources"]
    assert (source["id"], advance["id"]) == ("licence-form-guide", "licence-bureau-2026-advance")
    assert set(source["title"]) == set(LAW_LANGUAGES)
    for param in data["parameters"]:
        assert set(param["description"]) == set(LAW_LANGUAGES), param["id"]
        for value in param["values"]:
            assert not value["note"] or set(value["note"]) == set(LAW_LANGUAGES), param["id"]


@pytest.mark.parametrize("lang", ["ru", "ar"])
def test_text_listing_in_russian_and_arabic(lang: str) -> None:
    law = load_law()
    result = CliRunner().invoke(main, ["rules", "--lang", lang], env={"COLUMNS": "2000"})
    assert result.exit_code == 0, result.output
    out = result.output
    assert law.rule("licence.validity").description[lang] in out
    assert law.parameter("licence.validity_months").description[lang] in out
    assert law.references["licence-form-guide"].title(lang) in out
    assert law.references["licence-form-guide"].title_zh in out  # the official title stays
    assert law.parameter("licence.validity_months").description["en"] not in out
