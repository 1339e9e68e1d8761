"""The customs-declaration case: draft → filed → cleared (or cancelled).

A declaration covers one issued licence; its items are filled from the vehicles: the product name
"旧+品牌+排气量+车型" is the engine's ``customs_name`` and the declaration elements (申报要素) come from
the vehicle's facts (regulations.md §4). Filing requires the licence to be valid on the filing date
and the declared quantity per code to equal the licensed quantity ("一批一证", 2024 No. 6). Clearance
moves every vehicle to "cleared" (starting its deregistration clock) and marks the licence used.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db import transaction

from chuhai.errors import TransitionRefused, ValidationError
from chuhai.identifiers import customs_declaration
from chuhai.services.statemachine import StateMachine, Transition
from chuhai.web.cases.context import Actor, get_scoped, today
from chuhai.web.cases.transitions import apply_internal, record, run, snapshot
from chuhai.web.customs.models import CustomsDeclaration, DeclarationItem, DeclarationState
from chuhai.web.licences import services as licence_service
from chuhai.web.licences.models import LicenceApplication, LicenceState
from chuhai.web.licences.services import EXPIRED, QUANTITY_MISMATCH
from chuhai.web.vehicles import services as vehicle_service
from chuhai.web.vehicles.models import Vehicle
from chuhai.web.vehicles.services import _date, _past_date

D = DeclarationState
LICENCE_NOT_ISSUED = "licence.not_issued"
CUSTOMS_NAME_MISSING = "customs.product_name_missing"

# 发动机类型 in the declaration elements (regulations.md §4: 柴油、半柴油、汽油…, 电动 for BEVs).
ENGINE_TYPE = {
    "petrol": "汽油",
    "diesel": "柴油",
    "hev_petrol": "汽油混合动力",
    "hev_diesel": "柴油混合动力",
    "phev_petrol": "插电式混合动力(汽油)",
    "phev_diesel": "插电式混合动力(柴油)",
    "bev": "电动",
}


def declaration_elements(vehicle: Vehicle) -> dict[str, Any]:
    """The 申报要素 Chuhai can fill from the vehicle file (regulations.md §4, secondary-source lists).

    Elements the vehicle file does not hold (品牌类型, 出口享惠情况, GTIN, CAS, 电池容量) are left empty
    for the declarant; "是否中规车" is "是" because the car carries a Chinese registration certificate.
    """
    elements: dict[str, Any] = {
        "品名": vehicle.customs_name,
        "品牌类型": "",
        "出口享惠情况": "",
        "发动机类型": ENGINE_TYPE.get(vehicle.fuel, ""),
        "成套散件": "否",
        "座位数": vehicle.seats,
        "厂家品牌": vehicle.brand,
        "厂家备案的品牌或款式名称": vehicle.model,
        "型号": vehicle.model,
        "是否中规车": "是",
        "车辆识别代号": vehicle.vin,
    }
    if vehicle.fuel == "bev":
        elements["功率(千瓦)"] = str(vehicle.power_kw) if vehicle.power_kw is not None else ""
        elements["电池容量"] = ""
    else:
        elements["排气量"] = f"{vehicle.displacement_ml}ml" if vehicle.displacement_ml else ""
    if vehicle.fuel in {"hev_petrol", "hev_diesel", "phev_petrol", "phev_diesel"}:
        elements["是否可通过接插外部电源进行充电"] = "是" if vehicle.fuel.startswith("phev") else "否"
    return elements


# --- guards -------------------------------------------------------------------------------------


def licence_valid(declaration: CustomsDeclaration, params: dict[str, Any]) -> list[str]:
    licence = declaration.licence
    if licence.state != LicenceState.ISSUED:
        return [LICENCE_NOT_ISSUED]
    on = _date(params, "filed_on", today())
    return (
        [EXPIRED] if licence.valid_until is not None and on is not None and on > licence.valid_until else []
    )


def quantity_matches(declaration: CustomsDeclaration, params: dict[str, Any]) -> list[str]:
    licensed = Counter(declaration.licence.lines.filter(open=True).values_list("commodity_code", flat=True))
    declared = Counter(declaration.items.values_list("commodity_code", flat=True))
    return [] if licensed == declared else [QUANTITY_MISMATCH]


# --- effects ------------------------------------------------------------------------------------


def _item_vehicles(declaration: CustomsDeclaration) -> list[Vehicle]:
    return [item.vehicle for item in declaration.items.select_related("vehicle").order_by("id")]


def _declaration_number(value: Any) -> str:
    """The 18-digit export declaration number (``chuhai.identifiers.customs_declaration``), or "" if
    none is given yet."""
    text = "" if value is None else str(value).strip()
    return customs_declaration.validate_export(text) if text else ""


def file(declaration: CustomsDeclaration, params: dict[str, Any]) -> None:
    declaration.filed_on = _date(params, "filed_on", today())
    if params.get("declaration_number"):
        declaration.declaration_number = _declaration_number(params["declaration_number"])
    if params.get("port"):
        declaration.port = str(params["port"])
    for vehicle in _item_vehicles(declaration):
        apply_internal(params["actor"], vehicle_service.MACHINE, vehicle, "declare", {})


def clear(declaration: CustomsDeclaration, params: dict[str, Any]) -> None:
    clearance = _past_date(params, "clearance_date")
    if clearance is None:
        raise ValidationError("clearance_date: required")
    if declaration.filed_on and clearance < declaration.filed_on:
        raise ValidationError("clearance_date: cannot predate the filing")
    declaration.clearance_date = clearance
    declaration.state = D.CLEARED  # the licence's "used" guard reads it
    declaration.save()
    for vehicle in _item_vehicles(declaration):
        apply_internal(
            params["actor"], vehicle_service.MACHINE, vehicle, "clear", {"clearance_date": clearance}
        )
    licence = LicenceApplication.objects.select_for_update().get(pk=declaration.licence_id)
    apply_internal(params["actor"], licence_service.MACHINE, licence, "use", {"closed_on": clearance})


def cancel(declaration: CustomsDeclaration, params: dict[str, Any]) -> None:
    if declaration.state == D.FILED:
        for vehicle in _item_vehicles(declaration):
            apply_internal(params["actor"], vehicle_service.MACHINE, vehicle, "declaration_cancelled", {})


MACHINE: StateMachine[CustomsDeclaration] = StateMachine(
    "declaration",
    states=tuple(D.values),
    transitions=(
        Transition(
            "file",
            (D.DRAFT,),
            D.FILED,
            "comply",
            guards=(licence_valid, quantity_matches),
            effect=file,
            required_params=("declaration_number",),
        ),
        Transition(
            "clear", (D.FILED,), D.CLEARED, "comply", effect=clear, required_params=("clearance_date",)
        ),
        Transition("cancel", (D.DRAFT, D.FILED), D.CANCELLED, "comply", effect=cancel),
    ),
)


def transition(
    actor: Actor, declaration_id: int, name: str, params: dict[str, Any] | None = None
) -> CustomsDeclaration:
    return run(actor, MACHINE, CustomsDeclaration, declaration_id, name, params)


def create(actor: Actor, licence_id: int, data: dict[str, Any] | None = None) -> CustomsDeclaration:
    """Draft the declaration of an issued licence with one item per licensed vehicle."""
    data = data or {}
    with transaction.atomic():
        licence = get_scoped(actor, LicenceApplication, licence_id, "comply", lock=True)
        if licence.state != LicenceState.ISSUED:
            raise TransitionRefused("a declaration needs an issued licence", (LICENCE_NOT_ISSUED,))
        lines = list(
            licence.lines.select_related("vehicle").filter(open=True).order_by("commodity_code", "slot")
        )
        missing = [line.vehicle.vin for line in lines if not line.vehicle.customs_name]
        if missing:
            raise TransitionRefused(
                f"no customs product name for {', '.join(missing)}", (CUSTOMS_NAME_MISSING,)
            )
        declaration = CustomsDeclaration.objects.create(
            organisation=actor.organisation,
            licence=licence,
            port=str(data.get("port") or ""),
            declaration_number=_declaration_number(data.get("declaration_number")),
        )
        DeclarationItem.objects.bulk_create(
            DeclarationItem(
                declaration=declaration,
                vehicle=line.vehicle,
                commodity_code=line.commodity_code,
                product_name=line.vehicle.customs_name,
                elements=declaration_elements(line.vehicle),
            )
            for line in lines
        )
        record(actor, declaration, "declaration.create", {}, snapshot(declaration))
    return declaration


def update(actor: Actor, declaration_id: int, data: dict[str, Any]) -> CustomsDeclaration:
    with transaction.atomic():
        declaration = get_scoped(actor, CustomsDeclaration, declaration_id, "comply", lock=True)
        if declaration.state != D.DRAFT:
            raise TransitionRefused("only a draft declaration can be edited", ("customs.not_draft",))
        before = snapshot(declaration)
        if data.get("declaration_number") is not None:
            declaration.declaration_number = _declaration_number(data["declaration_number"])
        if data.get("port") is not None:
            declaration.port = str(data["port"])
        declaration.save()
        record(actor, declaration, "declaration.update", before, snapshot(declaration))
    return declaration


def delete(actor: Actor, declaration_id: int) -> None:
    with transaction.atomic():
        declaration = get_scoped(actor, CustomsDeclaration, declaration_id, "comply", lock=True)
        if declaration.state != D.DRAFT:
            raise TransitionRefused("only a draft declaration can be deleted", ("customs.not_draft",))
        record(actor, declaration, "declaration.delete", snapshot(declaration), {"deleted": True})
        declaration.delete()
