"""The spellings of the vehicle file's enumerated values, as data: ``schema_data/values.yaml``.

Each spelling maps to a canonical value of its column (:mod:`chuhai.schema`) and names its source
(GA 802 for the certificate's vehicle types and use natures, the customs body types, Chuhai's own
table of everyday spellings…) with that source's confidence. A certificate value may state a second
fact (``implies``): 小型轿车 is a passenger car, a sedan and small; 出租转非 is non-operating and
formerly a taxi. Spellings that do not say which value they mean (``ambiguous``: 汽油/电, a hybrid
that may or may not charge from the grid) are refused with the reason, never guessed.

Reading is strict, like the law files: an unknown key, a duplicate key, a source that is not
listed, a confidence mark that is not one of the three, or a spelling listed twice raises
:class:`~chuhai.errors.InputError` naming the file and the key. Values are checked against the
schema's columns by :mod:`chuhai.schema`, which reads this module (it imports nothing of Chuhai's
but the error types).

>>> table = load_values()
>>> spelling = table.spelling("vehicle_category", "小型轿车")
>>> spelling.value, dict(spelling.implies), spelling.source
('passenger', {'body_type': 'sedan', 'size_class': 'small'}, 'ga-802')
>>> table.sources["ga-802"].confidence
'inferred'
>>> table.ambiguous["fuel"]["汽油/电"].candidates
('hev_petrol', 'phev_petrol')
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from chuhai.errors import InputError

VALUES_FILE = Path(__file__).resolve().parent / "schema_data" / "values.yaml"
CONFIDENCE_VALUES = ("verified-in-source", "secondary-source", "inferred")
LANGUAGES = ("zh", "en", "ru", "ar")


@dataclass(frozen=True)
class Source:
    id: str
    title: str
    note: str
    confidence: str


@dataclass(frozen=True)
class Spelling:
    """One accepted spelling of a column's value, as written in the file (not normalised)."""

    column: str
    text: str
    value: str
    source: str
    implies: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Ambiguous:
    """A spelling that could mean several values: refused, ``why`` says what to write instead."""

    column: str
    text: str
    candidates: tuple[str, ...]
    why: Mapping[str, str]


@dataclass(frozen=True)
class ValueTable:
    sources: Mapping[str, Source]
    spellings: Mapping[str, tuple[Spelling, ...]]  # column → its spellings, in file order
    ambiguous: Mapping[str, Mapping[str, Ambiguous]]  # column → spelling → entry

    def spelling(self, column: str, text: str) -> Spelling:
        """The entry of ``text`` (exactly as listed) in ``column``; KeyError if not listed."""
        for entry in self.spellings.get(column, ()):
            if entry.text == text:
                return entry
        raise KeyError((column, text))


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """Safe YAML that refuses duplicate keys (a spelling listed twice must not silently win)."""


def _mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise InputError(
                f"{VALUES_FILE.name}: duplicate key {key!r} at line {key_node.start_mark.line + 1}"
            )
        seen.add(key)
    result: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _mapping)


def _keys(where: str, data: Any, required: tuple[str, ...], optional: tuple[str, ...] = ()) -> None:
    if not isinstance(data, Mapping):
        raise InputError(f"{VALUES_FILE.name}: {where}: expected a mapping, got {data!r}")
    unknown = sorted(str(k) for k in data if k not in required + optional)
    missing = [k for k in required if k not in data]
    if unknown or missing:
        raise InputError(f"{VALUES_FILE.name}: {where}: unknown keys {unknown}, missing keys {missing}")


@cache
def load_values(path: Path = VALUES_FILE) -> ValueTable:
    """Read and check the value table (once per path)."""
    text = path.read_text(encoding="utf-8")
    loader = _Loader(text)
    try:
        data = loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InputError(f"{path.name}: cannot be read as YAML: {' '.join(str(exc).split())}") from exc
    finally:
        loader.dispose()
    _keys("top level", data, ("sources", "columns", "ambiguous"))
    sources: dict[str, Source] = {}
    for sid, entry in data["sources"].items():
        _keys(f"sources.{sid}", entry, ("title", "note", "confidence"))
        if entry["confidence"] not in CONFIDENCE_VALUES:
            raise InputError(f"{path.name}: sources.{sid}.confidence: expected one of {CONFIDENCE_VALUES}")
        sources[sid] = Source(sid, str(entry["title"]), str(entry["note"]), entry["confidence"])
    spellings: dict[str, tuple[Spelling, ...]] = {}
    for column, groups in data["columns"].items():
        entries: list[Spelling] = []
        listed: set[str] = set()
        for index, group in enumerate(groups):
            where = f"columns.{column}[{index}]"
            _keys(where, group, ("source", "spellings"))
            if group["source"] not in sources:
                raise InputError(f"{path.name}: {where}.source: {group['source']!r} is not in sources")
            for spelt, target in group["spellings"].items():
                spelt = str(spelt)
                if spelt in listed:
                    raise InputError(f"{path.name}: columns.{column}: {spelt!r} is listed twice")
                listed.add(spelt)
                implies: dict[str, str] = {}
                if isinstance(target, Mapping):
                    _keys(f"{where}.{spelt}", target, ("value", "implies"))
                    implies = {str(k): str(v) for k, v in target["implies"].items()}
                    target = target["value"]
                entries.append(Spelling(column, spelt, str(target), group["source"], implies))
        spellings[column] = tuple(entries)
    ambiguous: dict[str, dict[str, Ambiguous]] = {}
    for column, table in data["ambiguous"].items():
        for spelt, entry in table.items():
            _keys(f"ambiguous.{column}.{spelt}", entry, ("candidates", "why"))
            _keys(f"ambiguous.{column}.{spelt}.why", entry["why"], LANGUAGES)
            ambiguous.setdefault(column, {})[str(spelt)] = Ambiguous(
                column, str(spelt), tuple(entry["candidates"]), dict(entry["why"])
            )
    return ValueTable(sources, spellings, ambiguous)
