"""The stock-file reader cuts text cells to the database's column lengths (schema.TEXT_LIMITS)."""

from __future__ import annotations

from chuhai import schema
from chuhai.web.vehicles.models import Vehicle


def test_text_limits_are_the_database_columns() -> None:
    for column, limit in schema.TEXT_LIMITS.items():
        if column == "vin":  # 17 in the database; longer VINs are the engine's vin.invalid_format
            continue
        assert Vehicle._meta.get_field(column).max_length == limit, column
