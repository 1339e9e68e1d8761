"""Request and response schemas of the stock-file imports in the REST API."""

from __future__ import annotations

from ninja import Schema


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
    created_at: str | None
    finished_at: str | None
