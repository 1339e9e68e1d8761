"""The one definition of the vehicle list's filters, used by the list page (``/app/vehicles/``) and the
API (``GET /api/vehicles``) alike, so both answer the same question the same way.

Every filter is optional and they combine: ``state`` and ``verdict`` take one value or a comma list,
``rule`` keeps vehicles with a finding of that rule id, ``vin`` matches part of a VIN, ``age_min`` and
``age_max`` are whole years since first registration ("registration age") as of today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db.models import Q, QuerySet
from ninja import FilterSchema
from pydantic import Field, ValidationError

from chuhai.web.cases.context import today
from chuhai.web.vehicles.models import Vehicle


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _values(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


class VehicleFilters(FilterSchema):
    state: str | None = Field(None, description="a vehicle state, or several separated by commas")
    verdict: str | None = Field(None, description="a verdict, or several separated by commas")
    rule: str | None = Field(None, description="has a finding with this rule id")
    destination: str | None = Field(None, description="destination country (ISO 3166 alpha-2)")
    brand: str | None = None
    vin: str | None = Field(None, description="part of the VIN")
    age_min: int | None = Field(
        None, ge=0, le=200, description="registered at least this many whole years ago"
    )
    age_max: int | None = Field(
        None, ge=0, le=200, description="registered at most this many whole years ago"
    )

    @classmethod
    def from_query(cls, query: Mapping[str, str]) -> VehicleFilters:
        """The filters of a list page's query string; a value the filter cannot use (an age that is not
        a whole number) is left out rather than refusing the page."""
        values = {name: query.get(name, "").strip() or None for name in cls.model_fields}
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            bad = {str(error["loc"][0]) for error in exc.errors() if error.get("loc")}
            return cls.model_validate({k: v for k, v in values.items() if k not in bad})

    def filter_state(self, value: str | None) -> Q:
        return Q(state__in=_values(value)) if value else Q()

    def filter_verdict(self, value: str | None) -> Q:
        return Q(verdict__in=_values(value)) if value else Q()

    def filter_rule(self, value: str | None) -> Q:
        return Q(rules_index__contains=f",{value.strip()},") if value and value.strip() else Q()

    def filter_destination(self, value: str | None) -> Q:
        return Q(destination=value.strip().upper()) if value and value.strip() else Q()

    def filter_brand(self, value: str | None) -> Q:
        return Q(brand=value.strip()) if value and value.strip() else Q()

    def filter_vin(self, value: str | None) -> Q:
        return Q(vin__icontains=value.strip()) if value and value.strip() else Q()

    def filter_age_min(self, value: int | None) -> Q:
        return Q() if value is None else Q(registration_date__lte=_years_before(today(), value))

    def filter_age_max(self, value: int | None) -> Q:
        # younger than age_max + 1 full years
        return Q() if value is None else Q(registration_date__gt=_years_before(today(), value + 1))

    def apply(self, queryset: QuerySet[Vehicle]) -> QuerySet[Vehicle]:
        return self.filter(queryset)
