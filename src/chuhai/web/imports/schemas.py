"""Request and response schemas of the stock-file imports in the REST API."""

from __future__ import annotations

from typing import Any

from ninja import Field, Schema


class ImportJobOut(Schema):
    id: int
    file: str
    state: str
    as_of: str
    total_rows: int
    processed_rows: int
    created: int
    updated: int
    error_count: int
    message: str
    attempts: int
    law_version: str
    attests: list[str] = Field(default_factory=list)
    """Prohibition facts attested for every vehicle of the file whose cell is empty."""
    columns: dict[str, Any] = Field(default_factory=dict)
    """What the reader made of each column: ``used`` (header → field), ``not_used`` (with the field a
    header probably means), ``vin`` (the VIN column used and other candidates)."""
    created_at: str | None
    finished_at: str | None
