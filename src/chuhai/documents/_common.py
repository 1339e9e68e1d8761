"""Shared pieces of the document generators: the missing-value marker, formatting, batch arithmetic.

Every value a document prints goes through :meth:`Gaps.fill`: a known value is printed as is, an
unknown one becomes the visible marker ``【待补充 / to be supplied】`` *and* is recorded, so that
the licence checklist lists exactly the gaps the documents show. Builders (pure functions that
return rows of text) are separate from renderers (XLSX, DOCX, PDF), so the checklist can run every
builder without writing a file.

>>> import datetime as dt
>>> fmt_date(dt.date(2026, 3, 5))
'2026-03-05'
>>> litres(1498), litres(2487), litres(1998)
('1.5', '2.5', '2.0')
>>> add_months(dt.date(2025, 12, 31), 2)
datetime.date(2026, 2, 28)
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from chuhai.documents.messages import CATALOGUE, MISSING, country_name, t
from chuhai.documents.model import Batch, Money, VehicleRecord
from chuhai.engine.law import Law, load_law
from chuhai.engine.model import Confidence
from chuhai.errors import LawError, ValidationError

# The legal numbers come from the law files (chuhai/law/parameters), never from here: the documents
# and the engine must agree to the day. 商贸函〔2025〕648号 一(一) [verified-in-source]: an application
# made ``aftersales.window_days`` days or fewer after the registration date (the last day included,
# "不满180天(含180天)") needs the manufacturer's 《售后维修服务确认书》, from the date that value takes
# effect; the MOFCOM guideline of 2025-12-11 counts to the licence application date.
AFTERSALES_PARAMETER = "aftersales.window_days"
AFTERSALES_RULE_ID = "vehicle.aftersales_confirmation_required"
# 2024 No. 6 "一批一证" (regulations.md §2, secondary-source): vehicles per commodity code on one licence.
MAX_PER_CODE_PARAMETER = "licence.max_vehicles_per_code"
# Deregistration within N months after export clearance (regulations.md §6, secondary-source).
DEREGISTRATION_PARAMETER = "registration.deregistration_months"


def law() -> Law:
    """The law the documents are written under (the lawbook's law in force)."""
    return load_law()


@dataclass(frozen=True)
class LawValue:
    """One legal number as a document uses it: the value, the date it took effect and its source."""

    parameter: str
    value: int
    start: dt.date
    reference: str  # the citation shown to users
    confidence: Confidence


def law_value(parameter_id: str, on: dt.date | None) -> LawValue | None:
    """The parameter's value in force on ``on`` (``None`` before it exists or after it ended).

    A document without a date yet (a draft batch has no application date) gets the value last
    published, so that it still states the rule it will be judged by.

    >>> window = law_value("aftersales.window_days", dt.date(2026, 3, 16))
    >>> window.value, window.start.isoformat(), window.confidence.value
    (180, '2026-01-01', 'verified-in-source')
    >>> law_value("aftersales.window_days", dt.date(2025, 12, 31)) is None
    True
    """
    law = load_law()
    parameter = law.parameter(parameter_id)
    if on is None:
        last = parameter.values[-1]  # sorted by start; a parameter has at least one entry
        entry = last if last.value is not None else None  # a null last entry: the rule has ended
    else:
        entry = parameter.at(on)
    if entry is None:
        return None
    return LawValue(
        parameter_id, int(entry.value), entry.start, law.references[entry.reference].cite, entry.confidence
    )


def stated_law_value(parameter_id: str, on: dt.date | None) -> LawValue:
    """The value a document states as the rule: the one in force on ``on``, else the last published.

    Used where a text quotes the rule itself (a letter citing the window, a filing's validity), which
    must name a number even for a date the rule does not cover yet. A :class:`LawError` if the
    parameter has ended and has no value to state.
    """
    found = law_value(parameter_id, on) or law_value(parameter_id, None)
    if found is None:
        raise LawError(f"law parameter {parameter_id!r} has ended: there is no value to state")
    return found


def aftersales_window(on: dt.date | None) -> LawValue | None:
    """The window of 648号 in force on the application date (the last published one if unknown)."""
    return law_value(AFTERSALES_PARAMETER, on)


def aftersales_source() -> tuple[str, Confidence]:
    """The citation and confidence of the after-sales rule, as the engine's rule catalogue gives them."""
    law = load_law()
    rule = law.rule(AFTERSALES_RULE_ID)
    return law.cite(rule.references), rule.confidence


def max_per_code(on: dt.date | None) -> int | None:
    """The most vehicles one licence may list under one commodity code, ``None`` before the rule."""
    found = law_value(MAX_PER_CODE_PARAMETER, on)
    return None if found is None else found.value


# Customs product name "旧+车辆品牌+排气量+车型" (regulations.md §4, secondary-source); body-type
# words as in shared/spec/vehicle-file.md.
BODY_ZH = {"sedan": "小轿车", "offroad_4wd": "越野车", "wagon": "小客车", "other": "其他"}


def fmt_date(value: dt.date) -> str:
    """Dates are printed ISO-style everywhere, so they match across documents to the character."""
    return value.isoformat()


def fmt_amount(value: Decimal) -> str:
    """An exact amount with two decimals and no float on the way.

    >>> fmt_amount(Decimal("12500"))
    '12500.00'
    """
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def fmt_decimal(value: Decimal) -> str:
    """A quantity without trailing zeros.

    >>> fmt_decimal(Decimal("150.0")), fmt_decimal(Decimal("60.5"))
    ('150', '60.5')
    """
    text = format(value.normalize(), "f")
    return text


def litres(displacement_ml: int) -> str:
    """Displacement in litres with one decimal, half up (the rounding is [inferred]; the engine's
    customs name, when given, takes precedence)."""
    return str((Decimal(displacement_ml) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def add_months(start: dt.date, months: int) -> dt.date:
    """``start`` plus whole calendar months, clamped to the month's last day ([inferred] reading of
    "2 months"; rule-catalog.md ``deregistration_due`` = 2 calendar months after clearance)."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Gap:
    """A value a document needs and the records do not hold."""

    document: str  # message key of the document title
    label: str  # message key of the field's label, or the label itself (declaration element names)
    vin: str | None = None

    def label_in(self, lang: str) -> str:
        return t(self.label, lang) if self.label in CATALOGUE else self.label


@dataclass
class Gaps:
    """Collects gaps while builders fill documents; one instance per document build."""

    items: list[Gap] = field(default_factory=list)

    def fill(self, value: str | None, *, document: str, label: str, vin: str | None = None) -> str:
        """``value`` if known, else the marker (and the gap is recorded)."""
        if value is None or not str(value).strip():
            self.items.append(Gap(document, label, vin))
            return MISSING
        return value

    def unique(self) -> list[Gap]:
        seen: dict[Gap, None] = {}
        for gap in self.items:
            seen.setdefault(gap, None)
        return list(seen)


def opt_date(value: dt.date | None) -> str | None:
    return None if value is None else fmt_date(value)


def opt_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def product_name(vehicle: VehicleRecord) -> str | None:
    """The customs product name: the engine's if it gave one, else "旧+品牌+排量+车型" composed from
    the certificate data. No name is composed without a displacement (BEVs: the engine's wording)."""
    if vehicle.customs_name:
        return vehicle.customs_name
    if vehicle.brand is None or vehicle.displacement_ml is None or vehicle.body_type not in BODY_ZH:
        return None
    return f"旧{vehicle.brand}{litres(vehicle.displacement_ml)}L{BODY_ZH[vehicle.body_type]}"


def quantities_by_code(vehicles: Iterable[VehicleRecord]) -> dict[str, int]:
    """The licence quantity per commodity code: the number of vehicles under it (一批一证).

    Vehicles without a code are counted under the marker, so no vehicle ever drops out of a total.
    """
    counts = Counter(v.commodity_code or MISSING for v in vehicles)
    return dict(sorted(counts.items()))


def aftersales_required(vehicle: VehicleRecord, application_date: dt.date | None) -> bool | None:
    """Whether the vehicle needs the manufacturer's 《售后维修服务确认书》; ``None`` if it cannot be told.

    The engine's finding decides when present; otherwise the window of 648号 in force on the batch's
    licence application date (law parameter ``aftersales.window_days``) is applied to the
    certificate's registration date, counting both ways as the engine does.
    """
    if any(f.rule == AFTERSALES_RULE_ID for f in vehicle.findings):
        return True
    if application_date is None or vehicle.registration_date is None:
        return None
    window = aftersales_window(application_date)
    if window is None:  # no window in force on that date: the rule does not apply
        return False
    return 0 <= (application_date - vehicle.registration_date).days <= window.value


def by_manufacturer(vehicles: Iterable[VehicleRecord]) -> dict[str, list[VehicleRecord]]:
    """Vehicles grouped by manufacturer name, in first-seen order (one confirmation letter each)."""
    groups: dict[str, list[VehicleRecord]] = {}
    for vehicle in vehicles:
        groups.setdefault(vehicle.manufacturer or MISSING, []).append(vehicle)
    return groups


def vehicle_price(batch: Batch, vehicle: VehicleRecord) -> Money | None:
    """The vehicle's price, refused if it is in another currency than the batch (no conversion)."""
    if vehicle.price is None:
        return None
    if vehicle.price.currency != batch.currency:
        raise ValidationError(
            f"vehicle {vehicle.vin} is priced in {vehicle.price.currency}, batch {batch.reference} in "
            f"{batch.currency}; Chuhai never converts currencies"
        )
    return vehicle.price


def batch_total(batch: Batch) -> Decimal | None:
    """The contract total, or ``None`` while any vehicle has no price."""
    prices = [vehicle_price(batch, v) for v in batch.vehicles]
    if any(p is None for p in prices):
        return None
    return sum((p.amount for p in prices if p is not None), Decimal(0))


def country(code: str | None, lang: str) -> str | None:
    """A country name in ``lang`` followed by its code, e.g. "哈萨克斯坦 (KZ)"."""
    if code is None:
        return None
    return f"{country_name(code, lang)} ({code})"


def yes_no(value: bool, lang: str) -> str:
    return t("common.yes" if value else "common.no", lang)
