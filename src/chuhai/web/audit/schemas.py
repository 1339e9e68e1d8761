"""Request and response schemas of the audit trail in the REST API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Schema


class AuditOut(Schema):
    id: int
    created_at: dt.datetime
    actor: str
    object_type: str
    object_id: int
    vin: str
    transition: str
    before: dict[str, Any]
    after: dict[str, Any]
    law_version: str

    @staticmethod
    def resolve_actor(obj: Any) -> str:
        return str(obj.actor_label)
