"""From the records the screening uses to the records the documents use: one adapter for every caller.

A vehicle reaches the documents as a row of the vehicle file (``shared/spec/vehicle-file.md``: the
canonical column names with typed values, as a parsed stock-file row or a stored vehicle gives them)
plus the engine's :class:`~chuhai.engine.model.VehicleResult` for it; the enterprise as its
:class:`~chuhai.io.profile.ExporterProfile`. The CLI (``chuhai documents``) and the web service
(:mod:`chuhai.web.cases.documents`) both go through here, so a VIN, a date or a name reaches every
document exactly as it was read, and the screening's verdict, commodity code and customs name are the
ones the screen and case views show. Nothing is guessed: an empty cell stays ``None`` and the
documents print ``【待补充 / to be supplied】`` for it.

>>> import datetime as dt
>>> row = {"vin": "LVSHCAMB1CE054249", "brand": "福特", "model": "CAF7160A", "fuel": "petrol",
...        "registration_date": dt.date(2019, 3, 8), "test_result": "pass", "power_kw": 92}
>>> record = vehicle_record(row, None)
>>> record.specification, record.power_kw, record.test_report.standard, record.test_report.number
('福特CAF7160A', Decimal('92'), 'WM/T 8-2022', None)
>>> shared_date([dt.date(2026, 3, 16), dt.date(2026, 3, 16)]), shared_date([dt.date(2026, 3, 16), None])
(datetime.date(2026, 3, 16), None)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from chuhai.documents.messages import MISSING
from chuhai.documents.model import (
    AftersalesConfirmation,
    Contact,
    ExporterInfo,
    Money,
    TestReport,
    TestStandard,
    VehicleRecord,
)
from chuhai.engine.model import VehicleResult
from chuhai.errors import ValidationError
from chuhai.io.profile import ExporterProfile

# WM/T 8-2022 covers used passenger cars, WM/T 9-2022 used commercial vehicles and trailers
# (regulations.md §5, secondary-source). The other categories of the vehicle file (three-wheeled,
# low-speed trucks, special vehicles) fall under neither as far as the domain files say: no
# standard is assumed for them, so their test report is left to be supplied.
_STANDARD_BY_CATEGORY: dict[str, TestStandard] = {
    "passenger": "WM/T 8-2022",
    "bus": "WM/T 9-2022",
    "truck": "WM/T 9-2022",
    "trailer": "WM/T 9-2022",
}


def _text(row: Mapping[str, Any], column: str) -> str | None:
    value = row.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _int(row: Mapping[str, Any], column: str) -> int | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        raise ValidationError(f"{column}: expected a whole number, got {value!r}")
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{column}: expected a whole number, got {value!r}") from None
    if number != number.to_integral_value():
        raise ValidationError(f"{column}: expected a whole number, got {value!r}")
    return int(number)


def _decimal(row: Mapping[str, Any], column: str) -> Decimal | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str):
        # a float would already have lost exactness: refuse it rather than round it silently
        raise ValidationError(f"{column}: expected an exact number, got {value!r}")
    try:
        return Decimal(str(value).strip())
    except InvalidOperation:
        raise ValidationError(f"{column}: expected a number, got {value!r}") from None


def _date(row: Mapping[str, Any], column: str) -> dt.date | None:
    value = row.get(column)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValidationError(f"{column}: expected a date YYYY-MM-DD, got {value!r}") from None


def recorded_test_report(row: Mapping[str, Any]) -> TestReport | None:
    """The test report as far as the vehicle file knows it: its result and the standard its category
    is tested to; number, body and date are ``None`` until the report itself is recorded."""
    outcome = _text(row, "test_result")
    standard = _STANDARD_BY_CATEGORY.get(_text(row, "vehicle_category") or "passenger")
    if standard is None:
        return None
    result: Literal["pass", "fail"]
    if outcome == "pass":
        result = "pass"
    elif outcome == "fail":
        result = "fail"
    else:  # "missing" or empty: no report yet
        return None
    return TestReport(number=None, body=None, date=None, standard=standard, result=result)


def vehicle_record(
    row: Mapping[str, Any],
    result: VehicleResult | None,
    *,
    commodity_code: str | None = None,
    aftersales_letter_ref: str | None = None,
    price: Money | None = None,
) -> VehicleRecord:
    """One vehicle for the documents: certificate data from ``row``, screening from ``result``.

    ``row`` maps vehicle-file column names to typed values (``datetime.date``, ``int``,
    ``Decimal``, ``bool``, text); ``result`` is the engine's latest result for it (``None`` if it was
    never screened: no verdict, no findings). ``commodity_code`` overrides the result's code where
    the code is fixed elsewhere (the line of a licence application). A value that cannot be read is a
    :class:`ValidationError` naming the column.
    """
    vin = (result.vin if result is not None and result.vin else None) or _text(row, "vin") or ""
    return VehicleRecord(
        vin=vin.upper(),
        brand=_text(row, "brand"),
        model=_text(row, "model"),
        manufacturer=_text(row, "manufacturer"),
        fuel=_text(row, "fuel"),
        body_type=_text(row, "body_type"),
        category=_text(row, "vehicle_category") or "passenger",
        displacement_ml=_int(row, "displacement_ml"),
        power_kw=_decimal(row, "power_kw"),
        seats=_int(row, "seats"),
        registration_date=_date(row, "registration_date"),
        transfer_pending_export_date=_date(row, "transfer_pending_export_date"),
        factory_date=_date(row, "factory_date"),
        owner_name=_text(row, "owner_name"),
        commodity_code=commodity_code or (result.commodity_code if result is not None else None),
        customs_name=result.customs_name if result is not None else None,
        test_report=recorded_test_report(row),
        aftersales_confirmation=AftersalesConfirmation(
            held=row.get("aftersales_confirmation") is True, letter_ref=aftersales_letter_ref
        ),
        price=price,
        verdict=result.verdict if result is not None else None,
        findings=result.findings if result is not None else (),
        deadlines=result.deadlines if result is not None else (),
    )


def exporter_info(
    profile: ExporterProfile,
    *,
    address: str | None = None,
    contact: Contact | None = None,
    legal_representative: str | None = None,
    customs_code: str | None = None,
) -> ExporterInfo:
    """The exporting enterprise for the documents, from the profile the screening used.

    The profile has no address, contact or customs code; callers that hold them pass them. A profile
    without a USCC prints the marker in its place (the code is never made up).
    """
    return ExporterInfo(
        name=profile.name,
        uscc=profile.uscc or MISSING,
        address=address or None,
        contact=contact,
        kind=profile.kind,
        filing_approved_on=profile.filing_approved_on,
        legal_representative=legal_representative or None,
        customs_code=customs_code or None,
    )


def shared_date(values: Iterable[dt.date | None]) -> dt.date | None:
    """The date every value agrees on, else ``None``: one batch has one application (or clearance)
    date, and when its vehicles disagree the documents show the gap instead of picking one."""
    found = set(values)
    if len(found) == 1:
        return found.pop()
    return None


__all__ = ["exporter_info", "recorded_test_report", "shared_date", "vehicle_record"]
