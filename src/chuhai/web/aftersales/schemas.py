# ruff: noqa: RUF012 - schema defaults are class data
"""Request and response schemas of the after-sales area (contracts, outlets, letters) in the REST API."""

from __future__ import annotations

import datetime as dt

from ninja import Schema


class ContractOut(Schema):
    id: int
    number: str
    buyer: str
    destination: str
    signed_on: dt.date
    trade_term: str
    aftersales_terms: str
    state: str
    replaces_id: int | None


class ContractIn(Schema):
    number: str | None = None
    buyer: str | None = None
    destination: str | None = None
    signed_on: dt.date | None = None
    trade_term: str | None = None
    aftersales_terms: str | None = None
    replaces_id: int | None = None
    state: str | None = None


class OutletOut(Schema):
    id: int
    country: str
    city: str
    address: str
    provider: str
    manufacturer: str


class OutletIn(Schema):
    country: str
    city: str = ""
    address: str
    provider: str
    manufacturer: str = ""


class LetterOut(Schema):
    id: int
    licence_id: int
    manufacturer: str
    destination: str
    vins: list[str]
    state: str
    requested_on: dt.date
    received_on: dt.date | None
    received_by_id: int | None = None
    evidence: str = ""


class LetterIn(Schema):
    licence_id: int
    manufacturer: str
    outlet_ids: list[int] = []
    requested_on: dt.date | None = None
