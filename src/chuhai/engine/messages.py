"""Rule messages in the reader's language, from the law's templates, phrases and a finding's facts.

A template field ``{name}`` is, in this order:

1. a **phrase group** of the rule (``phrases:`` in ``law/rules.yaml``): the fact ``name`` holds a
   language-neutral variant code (``"length"``, ``"china"``…) and the field becomes that variant's
   text in the language, its own ``{fields}`` filled from the same facts;
2. a **derived name** looked up in other law data from a code in the facts: ``{destination_name}``
   (the country of the fact ``destination``, ``markets.yaml`` then pycountry), ``{market_note}``
   (the note of the destination rule whose id is the fact ``market_rule``) and ``{rule_title}`` (the
   title of the rule whose id is the fact ``checked_rule``);
3. the fact itself (``None`` shows as "—").

The same resolution fills the bulk screening's Chinese and English columns in polars
(:func:`chuhai.engine.screen._render`) and any language one finding at a time
(:func:`render_message`), so the wording lives only in the law files.

>>> from chuhai.engine.law import load_law
>>> law = load_law()
>>> facts = {"vin": "LFMAP22C0N012345", "problem": "length", "length": 16}
>>> render_message(law, "vin.invalid_format", "ru", facts).split(" (")[0]
'VIN «LFMAP22C0N012345» имеет неверный формат: число символов — 16'
>>> render_message(law, "vin.invalid_format", "ar", {"vin": "", "problem": "missing", "length": None})
'رقم الهيكل «» غير سليم: رقم الهيكل مفقود (المتوقع 17 حرفًا من A–H J–N P R–Z 0–9)'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

from chuhai.engine.law import Law, RuleMeta

FIELD = re.compile(r"\{([a-z_][a-z0-9_]*)\}")
EMPTY = "—"


def _destination_name(law: Law, code: object, lang: str) -> str:
    return law.markets.country_name(code, lang)


def _market_note(law: Law, rule_id: object, lang: str) -> str:
    found = law.markets.rule(rule_id)
    if found is None:
        # A finding stored by an older law names a rule that is gone: callers fall back to the stored text.
        raise KeyError(f"unknown destination-market rule {rule_id!r}")
    return found.note[lang]


def _rule_title(law: Law, rule_id: object, lang: str) -> str:
    meta = law.rules.get(str(rule_id))
    if meta is None:
        raise KeyError(f"unknown rule {rule_id!r}")
    return meta.title.get(lang) or meta.title["en"]


# Derived field → (the fact holding its code, how to name it in a language).
DERIVED: dict[str, tuple[str, Callable[[Law, object, str], str]]] = {
    "destination_name": ("destination", _destination_name),
    "market_note": ("market_rule", _market_note),
    "rule_title": ("checked_rule", _rule_title),
}


def phrase_text(meta: RuleMeta, group: str, code: object, lang: str) -> str:
    """The text of one phrase variant; a :class:`KeyError` for a code the law does not know."""
    variants = meta.phrases[group]
    try:
        return variants[str(code)][lang]
    except KeyError:
        raise KeyError(f"{meta.id}: phrase {group!r} has no variant {code!r}") from None


def fill(law: Law, template: str, meta: RuleMeta, lang: str, facts: Mapping[str, object]) -> str:
    """Fill a template's fields in ``lang``; a :class:`KeyError` names a fact the finding lacks."""

    def field(match: re.Match[str], phrases: bool = True) -> str:
        name = match.group(1)
        if phrases and name in meta.phrases:
            text = phrase_text(meta, name, facts[name], lang)
            return FIELD.sub(lambda m: field(m, phrases=False), text)
        if name in DERIVED:
            source, lookup = DERIVED[name]
            return lookup(law, facts[source], lang)
        value = facts[name]
        return EMPTY if value is None else str(value)

    return FIELD.sub(field, template)


def render_message(law: Law, rule_id: str, lang: str, facts: Mapping[str, object]) -> str:
    """A rule's message in ``lang`` (zh, en, ru, ar) from a finding's facts.

    Phrase facts must hold their variant codes (as the engine stores them); the other facts may be
    given already formatted for the reader (the web localises dates and numbers first).
    """
    meta = law.rule(rule_id)
    return fill(law, meta.message[lang], meta, lang, facts)
