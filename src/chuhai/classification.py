"""Customs commodity codes (税则号列 + 附加码) of vehicles, and the customs product name of a used car.

The codes are law data: ``law/commodity_codes.yaml``, transcribed from ``shared/domain/regulations.md``
§3 with each code's source and confidence. Only a few current 10-digit codes of heading 8703 appear
in the sources; the rest are built from the observed digit pattern and carry ``status: inferred`` and a
``derivation``, so the engine can tell the user to check them (``classification.unverified_code``).
Where no source gives the digits (e.g. diesel ≤1 L vehicles) the table has no entry and
:func:`classify` returns ``None``: a compliance tool must not make up a tariff line.

The loader is strict because a wrong table silently gives wrong declarations: unknown or missing keys,
duplicate codes, malformed codes, values outside :mod:`chuhai.schema`, source ids missing from
``references.yaml`` and two entries that could both match the same vehicle all raise
:class:`~chuhai.errors.LawError` naming the file and the key.

>>> classify("passenger", "bev", None, "sedan", 5, condition="used").code   # 旧…具有VIN码 (46Axy)
'8703801010'
>>> classify("passenger", "bev", None, "sedan", 5, condition="new").code    # 2025 No. 54: new BEV
'8703801090'
>>> classify("passenger", "bev", None, "sedan", 5) is None   # new or used decides the code
True
>>> entry = classify("passenger", "petrol", 2494, "sedan", 5)
>>> entry.code, entry.status
('8703235110', 'inferred')
>>> classify("passenger", "diesel", 900, "offroad_4wd", 5) is None   # digits not in any source
True
>>> customs_product_name("丰田", 2494, "sedan", "petrol")
'旧丰田2.5L小轿车'
>>> customs_product_name("特斯拉", None, "sedan", "bev")
'旧特斯拉小轿车'
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Container, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from chuhai import schema
from chuhai.engine.lawfile import LAW_DIR, Checker, load_yaml

COMMODITY_FILE = "commodity_codes.yaml"
REFERENCES_FILE = "references.yaml"
PRODUCT_NAME_FILE = Path("parameters") / "customs" / "product_name_pattern.yaml"

CATEGORIES: tuple[str, ...] = schema.COLUMNS["vehicle_category"].values
FUELS: tuple[str, ...] = schema.COLUMNS["fuel"].values
BODIES: tuple[str, ...] = schema.COLUMNS["body_type"].values
CONDITIONS: tuple[str, ...] = schema.COLUMNS["condition"].values
STATUSES = ("seen", "inferred")

# ASCII digits only: \d would also accept full-width and other Unicode digits.
_CODE_RE = re.compile(r"[0-9]{10}")

_ENTRY_REQUIRED = (
    "code",
    "description_zh",
    "description_en",
    "match",
    "ckd",
    "status",
    "confidence",
    "sources",
)
_ENTRY_OPTIONAL = ("supervision", "licence_from", "derivation", "note")
_MATCH_REQUIRED = ("category", "fuel", "body", "displacement_ml")
_MATCH_OPTIONAL = ("seats_min", "seats_max", "condition")

Interval = tuple[int | None, int | None]


@dataclass(frozen=True)
class Match:
    """Which vehicles a code covers. ``None`` in ``bodies`` / ``displacement_ml`` means "any"."""

    categories: tuple[str, ...]
    fuels: tuple[str, ...]
    bodies: tuple[str, ...] | None
    # (over, upto): over < displacement <= upto in millilitres; None bound = open.
    displacement_ml: Interval | None
    seats_min: int | None = None
    seats_max: int | None = None
    # None: the code does not depend on new/used; else the ``condition`` values it covers (870380
    # splits 10 = 旧 used, 90 = other: law review C12).
    conditions: tuple[str, ...] | None = None

    def accepts(
        self,
        category: object,
        fuel: object,
        displacement_ml: object,
        body_type: object,
        seats: object,
        condition: object = None,
    ) -> bool:
        """True if a vehicle with these facts falls under the code. Junk inputs simply do not match."""
        if category not in self.categories or fuel not in self.fuels:
            return False
        if self.conditions is not None and condition not in self.conditions:
            return False
        if self.bodies is not None and body_type not in self.bodies:
            return False
        if self.displacement_ml is not None:
            if not _is_count(displacement_ml):
                return False
            over, upto = self.displacement_ml
            if over is not None and not displacement_ml > over:  # type: ignore[operator]
                return False
            if upto is not None and not displacement_ml <= upto:  # type: ignore[operator]
                return False
        if self.seats_min is not None or self.seats_max is not None:
            if not _is_count(seats):
                return False
            if self.seats_min is not None and seats < self.seats_min:  # type: ignore[operator]
                return False
            if self.seats_max is not None and seats > self.seats_max:  # type: ignore[operator]
                return False
        return True

    def overlap(self, other: Match) -> str | None:
        """Describe a vehicle both matches would accept, or ``None`` if they are disjoint."""
        categories = [c for c in self.categories if c in other.categories]
        fuels = [f for f in self.fuels if f in other.fuels]
        if self.bodies is None:
            bodies = list(other.bodies) if other.bodies is not None else ["any"]
        else:
            bodies = [b for b in self.bodies if other.bodies is None or b in other.bodies]
        if not (categories and fuels and bodies):
            return None
        if (
            self.conditions is not None
            and other.conditions is not None
            and not set(self.conditions) & set(other.conditions)
        ):
            return None
        if not _intervals_overlap(self.displacement_ml, other.displacement_ml):
            return None
        lo = _max_opt(self.seats_min, other.seats_min)
        hi = _min_opt(self.seats_max, other.seats_max)
        if lo is not None and hi is not None and lo > hi:
            return None
        return f"category {categories[0]}, fuel {fuels[0]}, body {bodies[0]}"


@dataclass(frozen=True)
class CommodityEntry:
    """One 10-digit code of the table, with its provenance."""

    code: str
    description_zh: str
    description_en: str
    match: Match | None  # None: reference-only, never returned by classify()
    ckd: bool
    status: str  # "seen" | "inferred"
    confidence: str
    sources: tuple[str, ...]
    supervision: str | None = None
    licence_from: dt.date | None = None
    derivation: str | None = None
    note: str | None = None

    @property
    def derived(self) -> bool:
        """The code was constructed, not seen in a source: the user must check it before declaring."""
        return self.status == "inferred"

    @property
    def licence_condition(self) -> bool | None:
        """Whether the source shows supervision condition 4 (出口许可证); ``None`` if none is recorded.

        regulations.md §4: "4 = 出口许可证"; that condition 4 on a code means the code is in the licence
        catalogue is [inferred] (the 2026 catalogue annex was not found).
        """
        return None if self.supervision is None else "4" in self.supervision


@dataclass(frozen=True)
class CommodityTable:
    """The validated table. :meth:`classify` is pure; build it with :func:`load_commodity_table`."""

    path: Path
    codes: tuple[CommodityEntry, ...]
    gaps: tuple[tuple[str, str], ...]  # (zh, en): what the sources do not give
    _index: Mapping[tuple[str, str, bool], tuple[CommodityEntry, ...]] = field(
        default_factory=dict, repr=False, compare=False
    )

    def entries(self) -> tuple[CommodityEntry, ...]:
        """Every entry in file order, including CKD kits and reference-only codes."""
        return self.codes

    def by_code(self, code: str) -> CommodityEntry | None:
        return next((e for e in self.codes if e.code == code), None)

    def classify(
        self,
        category: str | None,
        fuel: str | None,
        displacement_ml: int | None,
        body_type: str | None,
        seats: int | None = None,
        *,
        condition: str | None = None,
        ckd: bool = False,
    ) -> CommodityEntry | None:
        """The code of a complete vehicle (or of a CKD kit with ``ckd=True``), or ``None`` if unknown.

        ``condition`` is the vehicle file's ``used`` / ``new``; codes that depend on it (870380) never
        match a vehicle whose condition is unknown. At most one entry can match: the loader refuses
        overlapping matches.
        """
        if not isinstance(category, str) or not isinstance(fuel, str):
            return None
        for entry in self._index.get((category, fuel, bool(ckd)), ()):
            assert entry.match is not None
            if entry.match.accepts(category, fuel, displacement_ml, body_type, seats, condition):
                return entry
        return None

    def depends_on_condition(self, category: str | None, fuel: str | None, *, ckd: bool = False) -> bool:
        """Whether some code for this category and fuel is split by new/used (then it must be known)."""
        return any(
            e.match is not None and e.match.conditions is not None
            for e in self._index.get((str(category), str(fuel), bool(ckd)), ())
        )

    def match_rows(self) -> list[dict[str, Any]]:
        """The classifiable entries exploded to one row per category × fuel × body (``body`` None = any).

        For a vectorised (polars) join: a vehicle matches a row when category, fuel and body agree
        (or the row's body is None), ``disp_over < displacement_ml <= disp_upto`` where the row has
        ``disp_constrained`` (None bound = open), ``seats_min <= seats <= seats_max`` where set, and
        the vehicle's condition is in ``conditions`` where that is not None.
        """
        rows: list[dict[str, Any]] = []
        for entry in self.codes:
            m = entry.match
            if m is None:
                continue
            over, upto = m.displacement_ml if m.displacement_ml is not None else (None, None)
            for category in m.categories:
                for fuel in m.fuels:
                    for body in m.bodies if m.bodies is not None else (None,):
                        rows.append(
                            {
                                "code": entry.code,
                                "ckd": entry.ckd,
                                "category": category,
                                "fuel": fuel,
                                "body": body,
                                "disp_constrained": m.displacement_ml is not None,
                                "disp_over": over,
                                "disp_upto": upto,
                                "seats_min": m.seats_min,
                                "seats_max": m.seats_max,
                                "conditions": None if m.conditions is None else list(m.conditions),
                                "status": entry.status,
                                "confidence": entry.confidence,
                            }
                        )
        return rows


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def reference_ids(law_dir: Path | None = None) -> frozenset[str]:
    """The ids defined in ``references.yaml`` (only the keys; the engine's loader checks the rest)."""
    path = (law_dir or LAW_DIR) / REFERENCES_FILE
    data = Checker(path).mapping(load_yaml(path), "(top level)")
    return frozenset(str(k) for k in data)


def load_commodity_table(
    law_dir: Path | None = None, *, path: Path | None = None, references: Container[str] | None = None
) -> CommodityTable:
    """Read and validate ``commodity_codes.yaml`` of ``law_dir`` (default: the packaged law), or the
    file ``path`` checked against the reference ids ``references`` (how the lawbook reads it)."""
    base = law_dir or LAW_DIR
    path = path or base / COMMODITY_FILE
    check = Checker(path)
    known_refs = reference_ids(base) if references is None else references
    data = check.mapping(load_yaml(path), "(top level)")
    check.keys(data, "(top level)", required={"codes"}, optional={"gaps"})
    gaps = tuple(
        _bilingual(check, g, f"gaps[{i}]") for i, g in enumerate(check.sequence(data.get("gaps", []), "gaps"))
    )
    raw_codes = check.sequence(data["codes"], "codes")
    if not raw_codes:
        raise check.fail("codes", "expected at least one code")
    entries: list[CommodityEntry] = []
    where_of: dict[str, str] = {}
    for i, raw in enumerate(raw_codes):
        where = f"codes[{i}]"
        entry = _entry(check, raw, where, known_refs)
        if entry.code in where_of:
            raise check.fail(
                f"{where}.code", f"duplicate code {entry.code} (first at {where_of[entry.code]})"
            )
        where_of[entry.code] = where
        entries.append(entry)
    _check_overlaps(check, entries)
    index: dict[tuple[str, str, bool], list[CommodityEntry]] = {}
    for entry in entries:
        if entry.match is None:
            continue
        for category in entry.match.categories:
            for fuel in entry.match.fuels:
                index.setdefault((category, fuel, entry.ckd), []).append(entry)
    return CommodityTable(
        path=path, codes=tuple(entries), gaps=gaps, _index={k: tuple(v) for k, v in index.items()}
    )


def _entry(check: Checker, raw: Any, where: str, known_refs: Container[str]) -> CommodityEntry:
    item = check.mapping(raw, where)
    check.keys(item, where, required=_ENTRY_REQUIRED, optional=_ENTRY_OPTIONAL)
    code = item["code"]
    if not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise check.fail(f"{where}.code", f"expected 10 ASCII digits as a quoted string, got {code!r}")
    ckd = item["ckd"]
    if not isinstance(ckd, bool):
        raise check.fail(f"{where}.ckd", f"expected true or false, got {ckd!r}")
    if ckd and not code.endswith("90"):
        # regulations.md §3a: …90 = 成套散件 (CKD kit).
        raise check.fail(f"{where}.ckd", f"a CKD kit code ends in 90, got {code}")
    status = check.choice(item["status"], f"{where}.status", STATUSES)
    confidence = check.confidence(item["confidence"], f"{where}.confidence")
    derivation = _opt_text(check, item, "derivation", where)
    if status == "inferred":
        if derivation is None:
            raise check.fail(f"{where}.derivation", "an inferred code must say how it was derived")
        if confidence != "inferred":
            raise check.fail(
                f"{where}.confidence", f"an inferred code has confidence inferred, got {confidence}"
            )
    sources = check.sequence(item["sources"], f"{where}.sources")
    if not sources:
        raise check.fail(f"{where}.sources", "expected at least one source id")
    for j, source in enumerate(sources):
        check.text(source, f"{where}.sources[{j}]")
        if source not in known_refs:
            raise check.fail(
                f"{where}.sources[{j}]", f"unknown reference id {source!r} (not in {REFERENCES_FILE})"
            )
    licence_from = item.get("licence_from")
    return CommodityEntry(
        code=code,
        description_zh=check.text(item["description_zh"], f"{where}.description_zh"),
        description_en=check.text(item["description_en"], f"{where}.description_en"),
        match=None if item["match"] is None else _match(check, item["match"], f"{where}.match"),
        ckd=ckd,
        status=status,
        confidence=confidence,
        sources=tuple(sources),
        supervision=_opt_text(check, item, "supervision", where),
        licence_from=None if licence_from is None else check.date(licence_from, f"{where}.licence_from"),
        derivation=derivation,
        note=_opt_text(check, item, "note", where),
    )


def _match(check: Checker, raw: Any, where: str) -> Match:
    item = check.mapping(raw, where)
    check.keys(item, where, required=_MATCH_REQUIRED, optional=_MATCH_OPTIONAL)
    categories = _choices(check, item["category"], f"{where}.category", CATEGORIES)
    fuels = _choices(check, item["fuel"], f"{where}.fuel", FUELS)
    bodies = None if item["body"] == "any" else _choices(check, item["body"], f"{where}.body", BODIES)
    displacement = _interval(check, item["displacement_ml"], f"{where}.displacement_ml")
    seats_min = _opt_count(check, item.get("seats_min"), f"{where}.seats_min")
    seats_max = _opt_count(check, item.get("seats_max"), f"{where}.seats_max")
    if seats_min is not None and seats_max is not None and seats_min > seats_max:
        raise check.fail(f"{where}.seats_min", f"seats_min {seats_min} is above seats_max {seats_max}")
    conditions = (
        None
        if item.get("condition") is None
        else _choices(check, item["condition"], f"{where}.condition", CONDITIONS)
    )
    return Match(
        tuple(categories),
        tuple(fuels),
        None if bodies is None else tuple(bodies),
        displacement,
        seats_min,
        seats_max,
        None if conditions is None else tuple(conditions),
    )


def _choices(check: Checker, raw: Any, where: str, allowed: tuple[str, ...]) -> list[str]:
    values = check.sequence(raw, where)
    if not values:
        raise check.fail(where, "expected a non-empty list")
    out = [check.choice(v, f"{where}[{i}]", allowed) for i, v in enumerate(values)]
    if len(set(out)) != len(out):
        raise check.fail(where, f"duplicate values in {out}")
    return out


def _interval(check: Checker, raw: Any, where: str) -> Interval | None:
    if raw is None:
        return None
    bounds = check.sequence(raw, where)
    if len(bounds) != 2:
        raise check.fail(where, f"expected [over, upto] in millilitres, got {raw!r}")
    over = _opt_count(check, bounds[0], f"{where}[0]", minimum=0)
    upto = _opt_count(check, bounds[1], f"{where}[1]", minimum=0)
    if over is None and upto is None:
        raise check.fail(
            where, "both bounds open: write null for a code that does not depend on displacement"
        )
    if over is not None and upto is not None and not over < upto:
        raise check.fail(where, f"expected over < upto, got [{over}, {upto}]")
    return (over, upto)


def _opt_count(check: Checker, raw: Any, where: str, minimum: int = 1) -> int | None:
    if raw is None:
        return None
    value = check.integer(raw, where)
    if value < minimum:
        raise check.fail(where, f"expected a whole number of at least {minimum}, got {value}")
    return value


def _opt_text(check: Checker, item: Mapping[str, Any], key: str, where: str) -> str | None:
    return None if item.get(key) is None else check.text(item[key], f"{where}.{key}")


def _bilingual(check: Checker, raw: Any, where: str) -> tuple[str, str]:
    item = check.mapping(raw, where)
    check.keys(item, where, required={"zh", "en"}, optional=set())
    return check.text(item["zh"], f"{where}.zh"), check.text(item["en"], f"{where}.en")


def _check_overlaps(check: Checker, entries: list[CommodityEntry]) -> None:
    """Refuse two entries (complete vehicles, or CKD kits) that could both match one vehicle."""
    for i, a in enumerate(entries):
        if a.match is None:
            continue
        for j in range(i + 1, len(entries)):
            b = entries[j]
            if b.match is None or a.ckd != b.ckd:
                continue
            common = a.match.overlap(b.match)
            if common is not None:
                raise check.fail(
                    f"codes[{j}].match", f"code {b.code} overlaps code {a.code} (codes[{i}]) for {common}"
                )


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _max_opt(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def _min_opt(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else min(a, b)


def _intervals_overlap(a: Interval | None, b: Interval | None) -> bool:
    """Whether (a_over, a_upto] and (b_over, b_upto] share an integer; None = unconstrained/open."""
    if a is None or b is None:
        return True
    lo = _max_opt(a[0], b[0])
    hi = _min_opt(a[1], b[1])
    return lo is None or hi is None or lo < hi


# --------------------------------------------------------------------------------------------------
# The packaged table
# --------------------------------------------------------------------------------------------------


def default_table() -> CommodityTable:
    """The table of the law in force (:func:`chuhai.lawbook.current`)."""
    from chuhai.lawbook import current

    return current().commodity


def classify(
    category: str | None,
    fuel: str | None,
    displacement_ml: int | None,
    body_type: str | None,
    seats: int | None = None,
    *,
    condition: str | None = None,
) -> CommodityEntry | None:
    """The complete-vehicle code for these facts from the packaged table, or ``None`` if unknown.

    >>> classify("passenger", "petrol", 1500, "sedan").code   # 1<排量≤1.5升 includes 1500 ml
    '8703223010'
    >>> classify("passenger", "petrol", 1501, "sedan").code
    '8703234110'
    >>> classify("bus", "diesel", None, None, 35).code
    '8702109100'
    """
    return default_table().classify(category, fuel, displacement_ml, body_type, seats, condition=condition)


def entries() -> tuple[CommodityEntry, ...]:
    """Every entry of the packaged table (for the vectorised engine)."""
    return default_table().entries()


# --------------------------------------------------------------------------------------------------
# Customs product name: "旧+车辆品牌+排气量+车型" (regulations.md §4; Tianjin Customs Q&A, secondary)
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProductNamePattern:
    """One dated value of ``parameters/customs/product_name_pattern.yaml``."""

    effective: dt.date
    body_names: Mapping[str, str] | None  # None: the parameter ended on this date


def load_product_name_pattern(
    law_dir: Path | None = None, *, path: Path | None = None
) -> tuple[ProductNamePattern, ...]:
    """Read the body-type names of the product-name parameter, oldest first.

    Only what :func:`customs_product_name` needs is read here; the engine's parameter loader validates
    the whole file format.
    """
    path = path or (law_dir or LAW_DIR) / PRODUCT_NAME_FILE
    check = Checker(path)
    data = check.mapping(load_yaml(path), "(top level)")
    values = check.mapping(data.get("values"), "values")
    out: list[ProductNamePattern] = []
    for key, raw in values.items():
        where = f"values.{key}"
        effective = check.date(key, where)
        if raw is None:
            out.append(ProductNamePattern(effective, None))
            continue
        value = check.mapping(check.mapping(raw, where).get("value"), f"{where}.value")
        names = check.mapping(value.get("body_names"), f"{where}.value.body_names")
        for body, name in names.items():
            check.choice(body, f"{where}.value.body_names", BODIES)
            check.text(name, f"{where}.value.body_names.{body}")
        out.append(ProductNamePattern(effective, dict(names)))
    if not out:
        raise check.fail("values", "expected at least one dated value")
    return tuple(sorted(out, key=lambda p: p.effective))


def customs_product_name(
    brand: str | None,
    displacement_ml: int | None,
    body_type: str | None,
    fuel: str | None,
    *,
    as_of: dt.date | None = None,
    law_dir: Path | None = None,
    patterns: Sequence[ProductNamePattern] | None = None,
) -> str | None:
    """The 商品名称 of a used car on the export declaration, e.g. ``旧丰田2.5L小轿车``; ``None`` if unknown.

    Displacement is written in litres with one decimal, rounded half up, and "L" (the seed brief's
    example "old Toyota 2.5L sedan"; [inferred] formatting). A pure-electric car has no displacement,
    so that part is left out ([inferred]: the sources give only the combustion pattern). ``as_of``
    picks the dated value of the parameter (default: the newest).

    >>> customs_product_name("丰田", 1998, "offroad_4wd", "diesel")
    '旧丰田2.0L越野车'
    >>> customs_product_name("丰田", 2450, "wagon", "petrol")   # half up
    '旧丰田2.5L小客车'
    >>> customs_product_name("", 2494, "sedan", "petrol") is None
    True
    >>> customs_product_name("丰田", 2494, None, "petrol") is None
    True
    """
    if not isinstance(brand, str) or not brand.strip() or not isinstance(body_type, str):
        return None
    if patterns is None and law_dir is not None:
        patterns = load_product_name_pattern(law_dir)
    elif patterns is None:
        from chuhai.lawbook import current

        patterns = current().product_names
    in_force = [p for p in patterns if as_of is None or p.effective <= as_of]
    if not in_force or in_force[-1].body_names is None:
        return None
    body_name = in_force[-1].body_names.get(body_type)
    if body_name is None:
        return None
    if fuel == "bev":
        return f"旧{brand.strip()}{body_name}"
    if not _is_count(displacement_ml) or displacement_ml == 0:
        return None
    assert isinstance(displacement_ml, int)
    litres = (Decimal(displacement_ml) / 1000).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if litres == 0:
        return None
    return f"旧{brand.strip()}{litres}L{body_name}"
