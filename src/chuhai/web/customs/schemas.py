"""Request and response schemas of the customs area in the REST API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class DeclarationOut(Schema):
    id: int
    licence_id: int
    state: str
    declaration_number: str
    port: str
    filed_on: dt.date | None
    clearance_date: dt.date | None


class DeclarationItemOut(Schema):
    vehicle_id: int
    commodity_code: str
    product_name: str
    elements: dict[str, Any]


class DeclarationIn(Schema):
    licence_id: int | None = None
    declaration_number: str | None = None
    port: str | None = None
