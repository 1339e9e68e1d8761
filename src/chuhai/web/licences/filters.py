"""The one definition of the licence list's filters, used by the list page (``/app/licences/``) and the
API (``GET /api/licences``): ``state`` takes one state or a comma list."""

from __future__ import annotations

from collections.abc import Mapping

from django.db.models import Q
from ninja import FilterSchema
from pydantic import Field


class LicenceFilters(FilterSchema):
    state: str | None = Field(None, description="a licence state, or several separated by commas")

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> LicenceFilters:
        return cls.model_validate({name: query.get(name, "").strip() or None for name in cls.model_fields})

    def filter_state(self, value: str | None) -> Q:
        states = [v.strip() for v in (value or "").split(",") if v.strip()]
        return Q(state__in=states) if states else Q()
