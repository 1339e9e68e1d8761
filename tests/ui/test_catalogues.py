"""Every string of the pages is translated into Simplified Chinese, Russian and Arabic, and every rule of
the law speaks all four languages with the same facts.

The catalogue test extracts the messages itself (Django's ``templatize`` for templates, Babel's Python
extractor for code), so a string added to a template without a translation fails here, not in front of
a Russian-speaking buyer.
"""

from __future__ import annotations

import datetime as dt
import gettext
import io
import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.extract import extract_python
from django.utils.translation.template import templatize

from chuhai.web.ui import catalogues

WEB = Path(catalogues.__file__).resolve().parents[1]
KEYWORDS: dict[str, Any] = {
    "gettext": None,
    "gettext_lazy": None,
    "_": None,
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}
PLACEHOLDER = re.compile(r"%\(\w+\)s")
FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


def _sources() -> list[Path]:
    files = [p for p in WEB.rglob("*.py") if "migrations" not in p.parts and "__pycache__" not in p.parts]
    return files + list(WEB.rglob("templates/**/*.html"))


def used_messages() -> set[tuple[str | None, str]]:
    """(context, msgid) of every translatable string in the web package's code and templates."""
    found: set[tuple[str | None, str]] = set()
    for path in _sources():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".html":
            text = templatize(text, origin=str(path))
        for _line, _func, message, _comments in extract_python(io.BytesIO(text.encode()), KEYWORDS, [], {}):
            if isinstance(message, tuple):
                if len(message) == 3 and message[2] is None:  # ngettext: (singular, plural, None)
                    found.add((None, message[0]))
                elif len(message) == 2:  # pgettext: (context, msgid)
                    found.add((message[0], message[1]))
                else:  # npgettext: (context, singular, plural)
                    found.add((message[0], message[1]))
            elif message:
                found.add((None, message))
    return found


@pytest.fixture(scope="module")
def used() -> set[tuple[str | None, str]]:
    messages = used_messages()
    assert len(messages) > 400, "the extractor found too few messages: is it reading the templates?"
    return messages


@pytest.mark.parametrize("lang", catalogues.LANGUAGES)
def test_every_used_message_is_translated(lang: str, used: set[tuple[str | None, str]]) -> None:
    catalog = catalogues.read(lang)
    translated = {}
    for message in catalog:
        if not message.id:
            continue
        msgid = message.id[0] if isinstance(message.id, tuple) else message.id
        translated[(message.context, msgid)] = message
    missing = sorted(str(key) for key in used if key not in translated)
    assert not missing, f"{lang}: not in the catalogue (run makemessages and translate): {missing}"
    for key in used:
        message = translated[key]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: empty translation of {key}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy translation of {key}"


@pytest.mark.parametrize("lang", catalogues.LANGUAGES)
def test_catalogue_is_complete_and_consistent(lang: str) -> None:
    """No empty or fuzzy entry anywhere in the .po; placeholders survive translation."""
    catalog = catalogues.read(lang)
    assert len(catalog) > 400
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(s.strip() for s in strings), f"{lang}: empty msgstr for {ids[0]!r}"
        assert "fuzzy" not in message.flags, f"{lang}: fuzzy entry {ids[0]!r}"
        wanted = set(PLACEHOLDER.findall(ids[-1])) | set(PLACEHOLDER.findall(ids[0]))
        for text in strings:
            assert set(PLACEHOLDER.findall(text)) <= wanted, f"{lang}: unknown placeholder in {text!r}"
            if not isinstance(message.id, tuple):
                assert set(PLACEHOLDER.findall(text)) == wanted, f"{lang}: placeholder lost in {text!r}"


@pytest.mark.parametrize("lang", catalogues.LANGUAGES)
def test_compiled_catalogue_matches_po(lang: str) -> None:
    """The committed .mo says what the .po says (recompile after editing a .po)."""
    po = catalogues.po_path(lang)
    committed = gettext.GNUTranslations(io.BytesIO(po.with_suffix(".mo").read_bytes()))
    fresh = gettext.GNUTranslations(io.BytesIO(catalogues.mo_bytes(catalogues.read(lang))))
    assert committed._catalog == fresh._catalog  # type: ignore[attr-defined]


def test_missing_translation_is_detected(tmp_path: Path) -> None:
    """The extractor sees a new template string (so the test above can fail)."""
    page = "{% load i18n %}<p>{% translate 'A sentence nobody translated' %}</p>"
    messages = list(extract_python(io.BytesIO(templatize(page).encode()), KEYWORDS, [], {}))
    assert [m[2] for m in messages] == ["A sentence nobody translated"]


# --- the law's rule messages -------------------------------------------------------------------------

LAW_LANGUAGES = ("zh", "en", "ru", "ar")


def _normalised(template: str) -> set[str]:
    """Template fields with the language suffix dropped: {category_zh} and {category} are one fact."""
    return {re.sub(r"_(zh|en|ru|ar)$", "", name) for name in FIELD.findall(template)}


def test_every_rule_speaks_four_languages_with_the_same_facts() -> None:
    from chuhai.engine import load_law

    law = load_law()
    assert law.rules
    for rule in law.rules.values():
        for lang in LAW_LANGUAGES:
            assert rule.title.get(lang, "").strip(), f"{rule.id}: title has no {lang}"
            assert rule.message.get(lang, "").strip(), f"{rule.id}: message has no {lang}"
        reference = _normalised(rule.message["zh"])
        for lang in ("en", "ru", "ar"):
            assert _normalised(rule.message[lang]) == reference, f"{rule.id}: {lang} uses other facts than zh"
        # ru and ar read the language-neutral or English variant of a fact, never the Chinese one
        for lang in ("ru", "ar"):
            assert not any(f.endswith("_zh") for f in FIELD.findall(rule.message[lang])), rule.id


def test_stored_findings_render_in_every_language() -> None:
    """Screen synthetic stock; every finding renders in each language from its stored facts."""
    from django.utils import translation

    from chuhai.engine import screen_records
    from chuhai.io.profile import ExporterProfile
    from chuhai.synthetic import stock_frame
    from chuhai.web.ui import i18n
    from chuhai.web.vehicles.screening import findings_json

    as_of = dt.date(2026, 11, 20)
    frame = stock_frame(120, as_of, "重庆测试出口有限公司")
    records = frame.to_dicts()
    exporter = ExporterProfile(
        name="重庆测试出口有限公司",
        uscc="",
        uscc_valid=False,
        kind="circulation",
        filing_approved_on=dt.date(2026, 3, 1),
        authorised_by=(),
        project_documents=False,
    )
    results = list(screen_records(records, exporter, as_of))
    findings = [f for result in results for f in findings_json(result)]
    assert len({f["rule"] for f in findings}) >= 5
    for language in ("zh-hans", "en", "ru", "ar"):
        with translation.override(language):
            for finding in findings:
                text = i18n.render_finding(finding)
                assert text, (language, finding["rule"], text)
                assert not FIELD.search(text), (language, finding["rule"], text)
                if language in ("ru", "ar"):
                    assert text != finding["message_en"], (language, finding["rule"])
