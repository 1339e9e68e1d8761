"""The declaration-element lists (申报要素) of ``law/declaration_elements.yaml``, read strictly.

The lists are law data with their source (an id of ``references.yaml``) and confidence
(regulations.md §4); :mod:`chuhai.documents.elements` fills each element from a vehicle record.
Format (every key required): ``source`` (where the table was transcribed from, for maintainers),
``lists.<name>`` with ``description``, ``reference``, ``confidence`` and ``elements`` (``name``,
``value`` — one of :data:`VALUE_SOURCES` — and ``confidence``), ``subheadings`` (6-digit HS
subheading → list), ``fuels`` (vehicle-file fuel → list, used when a vehicle has no code),
``engine_types`` (fuel → value of 发动机类型 with its confidence) and ``complete_vehicle`` (the value
of 成套散件请注明 for a complete vehicle).
"""

from __future__ import annotations

from collections.abc import Container, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from chuhai.engine.lawfile import Checker, load_yaml

VALUE_SOURCES = (
    "product_name",
    "engine_type",
    "ckd",
    "seats",
    "brand",
    "trade_name",
    "displacement",
    "model",
    "china_spec",
    "original_market_version",
    "power",
    "battery",
    "plug_in",
    "supplied",
    "optional",
)


@dataclass(frozen=True)
class ElementSpec:
    name: str
    value: str
    confidence: str


@dataclass(frozen=True)
class ElementList:
    name: str
    description: str
    reference: str  # the citation shown on documents: short citation and address
    confidence: str
    elements: tuple[ElementSpec, ...]
    reference_id: str = ""


@dataclass(frozen=True)
class DeclarationElements:
    lists: dict[str, ElementList]
    subheadings: dict[str, str]
    fuels: dict[str, str]
    engine_types: dict[str, tuple[str, str]]
    complete_vehicle: tuple[str, str]


def _valued(checker: Checker, raw: Any, where: str) -> tuple[str, str]:
    entry = checker.mapping(raw, where)
    checker.keys(entry, where, required={"value", "confidence"}, optional=())
    return checker.text(entry["value"], f"{where}.value"), checker.confidence(
        entry["confidence"], f"{where}.confidence"
    )


def load_declaration_elements(
    path: Path, references: Mapping[str, Any] | Container[str]
) -> DeclarationElements:
    """Read and check the YAML; any malformation raises :class:`LawError` naming file and key.

    ``references`` are the law's references (a mapping of id → reference, whose ``cite`` and first
    URL make the printed citation) or just their ids.
    """
    checker = Checker(path)
    root = checker.mapping(load_yaml(path), "root")
    checker.keys(
        root,
        "root",
        required={"source", "lists", "subheadings", "fuels", "engine_types", "complete_vehicle"},
        optional=(),
    )
    lists: dict[str, ElementList] = {}
    for name, raw in checker.mapping(root["lists"], "lists").items():
        where = f"lists.{name}"
        entry = checker.mapping(raw, where)
        checker.keys(
            entry, where, required={"description", "reference", "confidence", "elements"}, optional=()
        )
        specs = []
        for i, element in enumerate(checker.sequence(entry["elements"], f"{where}.elements")):
            ew = f"{where}.elements[{i}]"
            element = checker.mapping(element, ew)
            checker.keys(element, ew, required={"name", "value", "confidence"}, optional=())
            specs.append(
                ElementSpec(
                    checker.text(element["name"], f"{ew}.name"),
                    checker.choice(element["value"], f"{ew}.value", VALUE_SOURCES),
                    checker.confidence(element["confidence"], f"{ew}.confidence"),
                )
            )
        reference_id = checker.text(entry["reference"], f"{where}.reference")
        if reference_id not in references:
            raise checker.fail(
                f"{where}.reference",
                f"{reference_id!r} is not an id of references.yaml (citations live there only)",
            )
        ref = references[reference_id] if isinstance(references, Mapping) else None
        cited = reference_id if ref is None else f"{ref.cite} {ref.urls[0]}"
        lists[str(name)] = ElementList(
            str(name),
            checker.text(entry["description"], f"{where}.description"),
            cited,
            checker.confidence(entry["confidence"], f"{where}.confidence"),
            tuple(specs),
            reference_id,
        )
    subheadings = {
        str(k): checker.choice(v, f"subheadings.{k}", lists)
        for k, v in checker.mapping(root["subheadings"], "subheadings").items()
    }
    for code in subheadings:
        if len(code) != 6 or not code.isdigit():
            raise checker.fail(f"subheadings.{code}", "expected a 6-digit HS subheading")
    fuels = {
        str(k): checker.choice(v, f"fuels.{k}", lists)
        for k, v in checker.mapping(root["fuels"], "fuels").items()
    }
    engine_types = {
        str(k): _valued(checker, v, f"engine_types.{k}")
        for k, v in checker.mapping(root["engine_types"], "engine_types").items()
    }
    if "ice" not in lists:
        raise checker.fail("lists", "the list 'ice' is required (the default for a vehicle without a code)")
    return DeclarationElements(
        lists,
        subheadings,
        fuels,
        engine_types,
        _valued(checker, root["complete_vehicle"], "complete_vehicle"),
    )
