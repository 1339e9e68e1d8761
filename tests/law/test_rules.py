"""rules.yaml: a rule's description, when it has one, is in all four languages of the app; the loader
refuses junk naming the file and the key."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chuhai.engine.law import LAW_LANGUAGES, load_law, load_law_from
from chuhai.engine.lawfile import LAW_DIR
from chuhai.errors import LawError

DESCRIBED = "licence.validity"


def test_described_rules_speak_every_language() -> None:
    described = [meta for meta in load_law().rules.values() if meta.description]
    # the rules with a description today: the check digit and the three deadline-only rules
    assert {m.id for m in described} >= {DESCRIBED, "vin.check_digit", "licence.review_period"}
    for meta in described:
        assert set(meta.description) == set(LAW_LANGUAGES), meta.id


def _law_with(tmp_path: Path, old: str, new: str) -> Path:
    target = tmp_path / "law"
    shutil.copytree(LAW_DIR, target)
    path = target / "rules.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"fixture text not found once in rules.yaml: {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return target


def _description_line(lang: str) -> str:
    """The line of ``DESCRIBED``'s description in one language, as written in rules.yaml."""
    text = (LAW_DIR / "rules.yaml").read_text(encoding="utf-8")
    block = text.split(f"\n{DESCRIBED}:\n", 1)[1].split("\n  message:", 1)[0]
    (line,) = [ln for ln in block.splitlines() if ln.startswith(f"    {lang}: ")]
    return line + "\n"


@pytest.mark.parametrize("lang", ["ru", "ar", "en"])
def test_a_description_missing_a_language_is_refused(tmp_path: Path, lang: str) -> None:
    law_dir = _law_with(tmp_path, _description_line(lang), "")
    with pytest.raises(LawError) as info:
        load_law_from(law_dir)
    message = str(info.value)
    assert "rules.yaml" in message
    assert f"{DESCRIBED}.description: missing key(s) {lang}" in message


def test_an_empty_or_foreign_description_is_refused(tmp_path: Path) -> None:
    line = _description_line("ar")
    with pytest.raises(LawError, match=rf"{DESCRIBED}\.description\.ar: expected non-empty text"):
        load_law_from(_law_with(tmp_path / "a", line, "    ar: ''\n"))
    with pytest.raises(LawError, match=rf"{DESCRIBED}\.description: unknown key\(s\) de"):
        load_law_from(_law_with(tmp_path / "b", line, line + "    de: Gültigkeit\n"))
