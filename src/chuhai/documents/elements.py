"""Declaration elements (申报要素) per commodity code, from the law's ``declaration_elements.yaml``.

The lists are law data with their source and confidence (regulations.md §4), read by
:mod:`chuhai.lawbook.declaration_elements`; this module fills each element from the vehicle record.
An element Chuhai cannot fill is a gap (the marker is printed and the checklist lists it) unless the
list marks it ``optional``.

>>> [e.name for e in element_list("8703801090").elements][:3]
['品牌类型', '出口享惠情况', '发动机类型']
>>> element_list("8703602300").name
'hybrid'
"""

from __future__ import annotations

from dataclasses import dataclass

from chuhai.documents._common import Gaps, fmt_decimal, product_name
from chuhai.documents.messages import t
from chuhai.documents.model import VehicleRecord
from chuhai.engine.law import load_law
from chuhai.errors import LawError
from chuhai.lawbook.declaration_elements import (
    VALUE_SOURCES,
    DeclarationElements,
    ElementList,
    ElementSpec,
)

__all__ = [
    "VALUE_SOURCES",
    "Element",
    "ElementList",
    "ElementSpec",
    "declaration_elements",
    "element_list",
    "list_by_name",
]

DOCUMENT = "doc.customs_draft"


@dataclass(frozen=True)
class Element:
    """One filled declaration element."""

    name: str
    value: str
    confidence: str


def _load() -> DeclarationElements:
    """The lists of the law in force (``law/declaration_elements.yaml``, read by the lawbook)."""
    return load_law().declaration_elements


def element_list(commodity_code: str | None, fuel: str | None = None) -> ElementList:
    """The element list for a code (by its 6-digit subheading), else for the fuel, else the ICE list."""
    data = _load()
    if commodity_code and commodity_code[:6] in data.subheadings:
        return data.lists[data.subheadings[commodity_code[:6]]]
    if fuel in data.fuels:
        return data.lists[data.fuels[fuel]]
    return data.lists["ice"]


def list_by_name(name: str) -> ElementList:
    """One of the lists (``ice``, ``bev``, ``hybrid``)."""
    return _load().lists[name]


def declaration_elements(vehicle: VehicleRecord, gaps: Gaps) -> list[Element]:
    """Fill every element of the vehicle's list; unknown values become gaps (never guessed)."""
    data = _load()
    yes, no = t("common.yes", "zh"), t("common.no", "zh")
    spec_list = element_list(vehicle.commodity_code, vehicle.fuel)
    filled: list[Element] = []
    for spec in spec_list.elements:
        value: str | None
        confidence = spec.confidence
        supplied = vehicle.declaration_values.get(spec.name)
        if spec.value == "optional":
            filled.append(Element(spec.name, supplied or "", confidence))
            continue
        if spec.value == "supplied":
            value = supplied
        elif supplied is not None:
            value = supplied  # the exporter's own value wins over a derived one
        elif spec.value == "product_name":
            value = product_name(vehicle)
        elif spec.value == "engine_type":
            engine = data.engine_types.get(vehicle.fuel or "")
            value = None if engine is None else engine[0]
            if engine is not None and engine[1] == "inferred":
                confidence = "inferred"
        elif spec.value == "ckd":
            value, confidence = data.complete_vehicle
        elif spec.value == "seats":
            value = None if vehicle.seats is None else f"{vehicle.seats}座"
        elif spec.value == "brand":
            value = vehicle.brand
        elif spec.value == "trade_name":
            value = vehicle.trade_name
        elif spec.value == "displacement":
            value = None if vehicle.displacement_ml is None else f"{vehicle.displacement_ml}ml"
        elif spec.value == "model":
            value = vehicle.model
        elif spec.value == "china_spec":
            value = yes if vehicle.china_spec else no
        elif spec.value == "original_market_version":
            # Only a non-China-spec vehicle has an original market version to state.
            value = (
                t("common.not_applicable", "zh") if vehicle.china_spec else vehicle.original_market_version
            )
        elif spec.value == "power":
            value = None if vehicle.power_kw is None else f"{fmt_decimal(vehicle.power_kw)}千瓦"
        elif spec.value == "battery":
            value = None if vehicle.battery_kwh is None else f"{fmt_decimal(vehicle.battery_kwh)}千瓦时"
        elif spec.value == "plug_in":
            value = None if vehicle.fuel is None else (yes if vehicle.fuel.startswith("phev") else no)
        else:  # pragma: no cover - VALUE_SOURCES is checked when the YAML is read
            raise LawError(f"declaration_elements.yaml: unknown value source {spec.value!r}")
        filled.append(
            Element(
                spec.name, gaps.fill(value, document=DOCUMENT, label=spec.name, vin=vehicle.vin), confidence
            )
        )
    return filled
