"""Law fields in the law's texts: legal numbers and citations are written once, in the data.

A text people read (a rule's title or description, a workflow rule's title, a document's fixed
wording) never repeats a number of a parameter or a citation by hand; it names them, and the lawbook
fills them in:

``{group.name}``
    the value of the parameter ``group.name`` (whole numbers and codes only) as stated on a date: the
    value in force on that date, else the last one published (a text about the rule must still name
    a number for a date before the rule);
``{since:group.name}``
    the date (ISO) on which that stated value took effect;
``{ref:reference-id}``
    the short citation of a reference of ``references.yaml`` (its ``short``, else its document
    number, else its Chinese title);
``{title:reference-id}``, ``{issued:reference-id}``
    its title in the text's language (Chinese: the official title) and its date of issue (ISO);
``{confidence:reference-id}``
    that reference's confidence mark in the text's language (Chinese and English).

Fact fields of rule messages (``{vin}``, ``{window_days}``) have no dot and no prefix and are left
alone. An unknown parameter or reference is a :class:`~chuhai.errors.LawError` naming where it was
written.

>>> from chuhai.lawbook import current
>>> law = current()
>>> fill_law_fields("at most {licence.max_vehicles_per_code} per code ({ref:mofcom-2024-6})",
...                 "en", law.references, law.parameters, dt.date(2026, 12, 1))
'at most 20 per code (2024年第6号公告)'
>>> fill_law_fields("自{since:aftersales.window_days}起", "zh", law.references, law.parameters,
...                 dt.date(2026, 12, 1))
'自2026-01-01起'
>>> sorted(law_fields("{row} {ref:mofcom-2024-6} {aftersales.window_days}"))
[('parameter', 'aftersales.window_days'), ('ref', 'mofcom-2024-6')]
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from chuhai.errors import LawError

if TYPE_CHECKING:
    from chuhai.engine.law import Parameter, ParameterValue, Reference

LAW_FIELD = re.compile(
    r"\{(?:(?P<kind>ref|title|issued|since|confidence):(?P<id>[a-z0-9][a-z0-9._-]*)"
    r"|(?P<parameter>[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+))\}"
)
# Units whose value reads as a number or a code inside a sentence.
_TEXT_UNITS = ("days", "working_days", "months", "years", "count", "code")


def law_fields(text: str) -> set[tuple[str, str]]:
    """The law fields of a text as (kind, id): kind ``parameter``, ``since``, ``ref``, ``title``,
    ``issued`` or ``confidence``."""
    out: set[tuple[str, str]] = set()
    for match in LAW_FIELD.finditer(text):
        if match.group("parameter"):
            out.add(("parameter", match.group("parameter")))
        else:
            out.add((match.group("kind"), match.group("id")))
    return out


def has_law_fields(text: str) -> bool:
    return "{" in text and LAW_FIELD.search(text) is not None


def stated_entry(parameter: Parameter, on: dt.date) -> ParameterValue | None:
    """The value entry in force on ``on``, else the last one published (``None`` if it has ended)."""
    found = parameter.at(on)
    if found is not None:
        return found
    last = parameter.values[-1] if parameter.values else None
    return last if last is not None and last.value is not None else None


def fill_law_fields(
    text: str,
    lang: str,
    references: Mapping[str, Reference],
    parameters: Mapping[str, Parameter],
    on: dt.date,
    where: str = "text",
) -> str:
    """``text`` with every law field replaced (see the module docstring); fact fields stay."""
    if "{" not in text:
        return text

    def replace(match: re.Match[str]) -> str:
        kind = "parameter" if match.group("parameter") else match.group("kind")
        key = match.group("parameter") or match.group("id")
        if kind in ("ref", "title", "issued", "confidence"):
            ref = references.get(key)
            if ref is None:
                raise LawError(f"{where}: {{{kind}:{key}}} names no reference of references.yaml")
            if kind == "ref":
                return ref.cite
            if kind == "title":
                return ref.title(lang)
            if kind == "issued":
                if ref.issued is None:
                    raise LawError(f"{where}: {{issued:{key}}}: the reference has no issue date")
                return ref.issued.isoformat()
            label: Any = getattr(ref.confidence, f"label_{lang}", None)
            if not isinstance(label, str):
                raise LawError(f"{where}: no confidence label in language {lang!r} for {{confidence:{key}}}")
            return label
        parameter = parameters.get(key)
        if parameter is None:
            raise LawError(f"{where}: {match.group(0)} names no law parameter")
        if parameter.unit not in _TEXT_UNITS:
            raise LawError(f"{where}: {match.group(0)} is a {parameter.unit} parameter, not a number or code")
        entry = stated_entry(parameter, on)
        if entry is None:
            raise LawError(f"{where}: {match.group(0)} has ended: there is no value to state")
        return entry.start.isoformat() if kind == "since" else str(entry.value)

    return LAW_FIELD.sub(replace, text)
