"""Typing the cells of a stock file: text in, typed polars columns and a list of problems out.

One parser for every input: files (:func:`parse_vehicles` on a :class:`~chuhai.io.readers.RawTable`)
and single vehicles or API payloads (:func:`parse_records`, which builds the same text table
first). Everything is polars expressions over whole columns, no per-row Python: columns that
repeat a few spellings (enumerations, booleans, countries, dates) are parsed once per distinct
value and mapped back; integers, decimals and VINs take a fast path for their common form and
only the leftover cells go through the full parser. A million-row file is typed in about the
time polars takes to read it.

The rules (``shared/spec/vehicle-file.md``):

* An empty cell means "not known": the column's default from :mod:`chuhai.schema` applies, or
  null where there is none. The prohibition facts (:data:`chuhai.schema.PROHIBITION_FACTS`) have
  none: an empty ``seized`` stays null, and the engine reports it as ``input.unverified``.
* A non-empty cell that cannot be read is null in the typed frame *and* a row in ``problems``
  naming the row, the header as the user wrote it, the raw value and what was expected (in
  Chinese, English, Russian and Arabic). Defaults never replace an unreadable cell: an unreadable
  ``seized`` must not silently become ``false``. The engine turns each problem into an
  ``input.invalid`` finding and the row's verdict into ``invalid``; every other row is unaffected.
* No row is dropped or reordered: ``frame`` has exactly the rows of the input, in order.

How cells are read, per kind of column:

* **text**: as is (the reader strips text cells). ``vin`` is normalised: NFKC (full-width
  letters and digits become ASCII), every blank removed (also the full-width space and zero-width
  characters), upper case. It is not validated here; the engine's ``vin.*`` rules do that.
* **enum**, **boolean**, **country**: the cell is normalised exactly as
  :func:`chuhai.schema.normalise_token` normalises the synonyms (polars 2.1 does have NFKC, as
  ``str.normalize("NFKC")``; then lower case, all whitespace and zero-width characters removed)
  and looked up in the synonym table, so ``非营运``,
  ``Non_Operating`` and ``ＮＯＮ＿ＯＰＥＲＡＴＩＮＧ`` all read as ``non_operating``. Booleans accept
  :data:`chuhai.schema.BOOL_TRUE` / :data:`~chuhai.schema.BOOL_FALSE`. Countries accept ISO 3166
  alpha-2 and alpha-3 codes in any case and the English and Chinese country names that
  pycountry and Babel (CLDR) know (``俄罗斯``, ``Kazakhstan``); the typed value is the upper-case
  alpha-2 code.
* **integer** (Int64): digits, optionally with thousands commas (``2,000``) and a zero fraction
  (``2000.0``, as spreadsheets export whole numbers). ``2.5``, ``abc``, ``-1``, ``1e3`` are
  unreadable.
* **decimal** (``power_kw``): ``Decimal(18, 3)``, exact, not a float (principle 13 of the style
  guide). Digits with an optional fraction and thousands commas; more than three decimals are
  rounded to 0.001 kW (half to even, polars' decimal cast). Negative numbers and exponents are
  unreadable.
* **date** (``pl.Date``): ``YYYY-MM-DD``, ``YYYY/MM/DD``, ``YYYY.MM.DD``, ``YYYYMMDD`` and
  ``YYYY年MM月DD日`` (or ``号``), with or without leading zeros (``2026年3月5日``), optionally followed
  by a time of day (``2026-03-05 00:00:00``, ``2023/5/6 下午 2:30:00``, ``2:30 PM``), which is
  ignored. Impossible dates (``2026-02-30``) and years outside 1900-2199 are unreadable. Excel date
  cells, and *number* cells under a date header (Excel serial day numbers, 1900 or 1904 system),
  arrive as ``YYYY-MM-DD`` from the reader; serial numbers typed as text are not dates.
* **displacement** (``displacement_ml``): whole millilitres (``1998``, ``1,598``, ``1598cc``) or
  litres with a decimal point or a unit (``2.0``, ``2.0L``, ``1.5T``, ``2.0升``), converted exactly;
  a bare small number (``2``) is ambiguous and unreadable unless the header names the unit
  (``排量（L）``).
* **power** (``power_kw``): kW with or without ``kW``/``千瓦``; metric horsepower (``PS``, ``马力``, or
  a ``功率（马力）`` header) converted exactly (1 PS = 0.73549875 kW); ``hp`` refused.

>>> parsed = parse_records([{"vin": "lvs hg", "燃料种类": "纯电动", "seats": "5", "seized": "maybe"}])
>>> parsed.frame.select("row", "vin", "fuel", "seats", "seized", "steering").rows()
[(1, 'LVSHG', 'bev', 5, None, 'lhd')]
>>> parsed.problems.select("row", "column", "value").rows()
[(1, 'seized', 'maybe')]
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import polars as pl
import pycountry
from babel import Locale

from chuhai import schema
from chuhai.io.readers import (
    DEFAULT_LIMITS,
    EXPECTED_COLUMNS,
    PROBLEM_SCHEMA,
    RawTable,
    ReadLimits,
    raw_table_from_records,
    read_vehicle_bytes,
    read_vehicle_file,
)

__all__ = [
    "DUPLICATE_VIN_ROWS",
    "EXTRA_PREFIX",
    "ParsedTable",
    "country_lookup",
    "load_vehicle_bytes",
    "load_vehicle_file",
    "parse_records",
    "parse_vehicles",
    "typed_schema",
]

EXTRA_PREFIX = "extra:"
"""Pass-through (unknown) columns appear in the typed frame as ``extra:<header>``."""

POWER_DTYPE = pl.Decimal(18, 3)

_DTYPES: dict[str, pl.DataType] = {
    "text": pl.String(),
    "enum": pl.String(),
    "country": pl.String(),
    "integer": pl.Int64(),
    "decimal": POWER_DTYPE,
    "date": pl.Date(),
    "boolean": pl.Boolean(),
}

# ASCII digits only ([0-9], not \d, which in Rust's regex also matches Arabic-Indic and other digits
# that the integer cast would then refuse); NFKC has already turned full-width digits into ASCII.
_INTEGER = r"^\+?(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.0*)?$"
_DECIMAL = r"^\+?(?:(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+)$"
# Year, then month and day with one consistent separator, then an optional time of day.
_DATE = (
    r"^((?:19|2[01])[0-9]{2})\s*(?:-\s*([0-9]{1,2})\s*-\s*([0-9]{1,2})|/\s*([0-9]{1,2})\s*/\s*([0-9]{1,2})"
    r"|\.\s*([0-9]{1,2})\s*\.\s*([0-9]{1,2})|年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*[日号]?"
    r"|(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01]))"
    r"(?:(?:\s+|T)(?:上午|下午|[AaPp][Mm])?\s*(?:[01]?[0-9]|2[0-3])(?:[:：][0-5][0-9]){1,2}(?:\.[0-9]+)?"
    r"(?:\s*(?:[AaPp][Mm]))?)?$"
)
# Blanks a pasted value may carry inside it: whitespace (incl. U+3000) and the zero-width
# characters (ZWSP, ZWNJ, ZWJ, word joiner, BOM) that copying from web pages and WPS leaves behind.
_INVISIBLE = r"[\s\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]+"


def typed_schema() -> dict[str, pl.DataType]:
    """The dtype of every canonical column in the typed frame, in schema order (after ``row``).

    >>> typed_schema()["factory_date"], typed_schema()["seized"], typed_schema()["power_kw"]
    (Date, Boolean, Decimal(precision=18, scale=3))
    """
    return {"row": pl.Int64(), **{c.name: _DTYPES[c.kind] for c in schema.COLUMN_LIST}}


@dataclass(frozen=True)
class ParsedTable:
    """The typed vehicles and the cells that could not be read.

    ``frame``: ``row`` (Int64) first, then every canonical column of :data:`chuhai.schema.COLUMNS`
    in schema order with its type (:func:`typed_schema`), then the pass-through columns as text,
    named ``extra:<header>``, and last :data:`DUPLICATE_VIN_ROWS` (the rows of a repeated VIN).
    ``problems``: one row per unreadable cell, columns ``row``,
    ``column`` (the header as the user wrote it), ``value`` (the raw cell), ``expected_en``,
    ``expected_zh``, ``expected_ru``, ``expected_ar`` (what the cell should hold, by language),
    ordered by row and then by column position. ``invalid_rows``: the sorted,
    distinct row numbers that have at least one problem.
    """

    frame: pl.DataFrame
    problems: pl.DataFrame
    raw: RawTable
    invalid_rows: pl.Series

    def invalid_row_set(self) -> frozenset[int]:
        """The row numbers with problems, for membership tests in Python."""
        return frozenset(self.invalid_rows.to_list())

    def is_invalid(self) -> pl.Expr:
        """An expression, true for rows with problems (use on ``frame`` or on a result frame)."""
        return pl.col("row").is_in(self.invalid_rows.implode())


# --------------------------------------------------------------------------------------------
# Lookup tables


def _token(cell: pl.Expr) -> pl.Expr:
    """The vectorised twin of :func:`chuhai.schema.normalise_token` (NFKC, lower case, no blanks)."""
    return cell.str.normalize("NFKC").str.to_lowercase().str.replace_all(_INVISIBLE, "")


@cache
def _bool_lookup() -> dict[str, bool]:
    table = {schema.normalise_token(v): True for v in schema.BOOL_TRUE}
    table.update({schema.normalise_token(v): False for v in schema.BOOL_FALSE})
    return table


@cache
def country_lookup() -> dict[str, str]:
    """Normalised spelling → ISO 3166 alpha-2 code: codes first, then English and Chinese names.

    >>> table = country_lookup()
    >>> table["ru"], table["rus"], table["俄罗斯"], table["kazakhstan"], table["阿拉伯联合酋长国"]
    ('RU', 'RU', 'RU', 'KZ', 'AE')
    """
    table: dict[str, str] = {}

    def add(spelling: str | None, code: str) -> None:
        if spelling:
            table.setdefault(schema.normalise_token(spelling), code)

    countries = list(pycountry.countries)
    codes = {c.alpha_2 for c in countries}
    for country in countries:
        add(country.alpha_2, country.alpha_2)
    for country in countries:
        add(country.alpha_3, country.alpha_2)
    for country in countries:
        for attribute in ("common_name", "name", "official_name"):
            add(getattr(country, attribute, None), country.alpha_2)
    for locale in ("en", "zh", "zh_Hant"):
        for code, name in Locale.parse(locale).territories.items():
            if code in codes:
                add(name, code)
    try:
        chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
    except OSError:  # pycountry built without its translations: the CLDR names above suffice
        return table
    for country in countries:
        for attribute in ("common_name", "name", "official_name"):
            english = getattr(country, attribute, None)
            if english:
                add(chinese.gettext(english), country.alpha_2)
    return table


# --------------------------------------------------------------------------------------------
# Per-kind expressions: each returns the typed value, null for an empty OR unreadable cell.


def _lookup(cell: pl.Expr, table: Mapping[str, object], dtype: pl.DataType) -> pl.Expr:
    return _token(cell).replace_strict(
        list(table.keys()), list(table.values()), default=None, return_dtype=dtype
    )


def _integer(cell: pl.Expr) -> pl.Expr:
    text = cell.str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
    digits = text.str.replace_all(",", "", literal=True).str.replace(r"\.0*$", "")
    return pl.when(text.str.contains(_INTEGER)).then(digits.cast(pl.Int64, strict=False))


def _decimal(cell: pl.Expr) -> pl.Expr:
    text = cell.str.normalize("NFKC").str.replace_all(_INVISIBLE, "")
    number = text.str.replace_all(",", "", literal=True)
    return pl.when(text.str.contains(_DECIMAL)).then(number.cast(POWER_DTYPE, strict=False))


def _date(cell: pl.Expr) -> pl.Expr:
    parts = (
        cell.str.normalize("NFKC")
        .str.replace_all(r"[\u200b\u200c\u200d\u200e\u200f\u2060\ufeff]+", "")
        .str.extract_groups(_DATE)
    )
    month = pl.coalesce(*(parts.struct.field(str(i)) for i in (2, 4, 6, 8, 10)))
    day = pl.coalesce(*(parts.struct.field(str(i)) for i in (3, 5, 7, 9, 11)))
    iso = pl.concat_str(parts.struct.field("1"), month.str.zfill(2), day.str.zfill(2), separator="-")
    # chrono rejects impossible dates (2026-02-30) with a null under strict=False.
    return _year_range(iso.str.to_date("%Y-%m-%d", strict=False))


_FIRST_DAY, _LAST_DAY = dt.date(1900, 1, 1), dt.date(2199, 12, 31)


def _year_range(date: pl.Expr) -> pl.Expr:
    """Years 1900-2199 only: a typo such as 0226 or 20266 is unreadable, not a date in antiquity
    (and Python's ``datetime.date`` cannot even hold year 0 or negative years)."""
    return pl.when(date.is_between(_FIRST_DAY, _LAST_DAY)).then(date)


def _vin(cell: pl.Expr) -> pl.Expr:
    compact = cell.str.normalize("NFKC").str.replace_all(_INVISIBLE, "").str.to_uppercase()
    return pl.when(compact.str.len_bytes() > 0).then(compact)


# Displacement as clerks write it. Millilitres: a whole number (1998, 1,598, 1998.0) optionally
# with ml/毫升/cc. Litres: a number with a decimal point and at most two digits before it (2.0, 1.5),
# or any number followed by L/升 or T (turbo: 1.5T), converted exactly (1.5 L = 1500 ml; what was
# written is what is known: 1.5 stands for 1,450-1,549 ml, so the commodity code's band follows the
# nominal litres). A bare whole number below 50 (2) is neither a plausible ml value nor marked as
# litres: ambiguous, unreadable. A header unit (排量（L）, 排量（ml）) decides bare numbers.
_NUMBER = r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)"
_ML = rf"^({_NUMBER})(?:\.0*)?(ml|毫升|cc)?$"
_LITRES = r"^([0-9]{1,2}(?:\.[0-9]{1,3})?)(l|升|公升|t|lt|tl|t\.|l\.)?$"
_MIN_ML = 50


def _displacement(cell: pl.Expr, unit: str | None) -> pl.Expr:
    text = _token(cell)
    ml = text.str.extract_groups(_ML)
    millilitres = ml.struct.field("1").str.replace_all(",", "", literal=True).cast(pl.Int64, strict=False)
    ml_unit = ml.struct.field("2")
    litre = text.str.extract_groups(_LITRES)
    litre_unit = litre.struct.field("2")
    has_point = text.str.contains(".", literal=True)
    litres = (litre.struct.field("1").cast(pl.Decimal(10, 3), strict=False) * 1000).cast(
        pl.Int64, strict=False
    )
    if unit == "litre":
        as_litres = litre.struct.field("1").is_not_null() & (
            litre_unit.is_null() | ~litre_unit.str.starts_with("m")
        )
        return pl.when(as_litres & ml_unit.is_null()).then(litres)
    as_ml = millilitres.is_not_null() & ((millilitres >= _MIN_ML) | (millilitres == 0))
    if unit == "ml":
        return pl.when(as_ml).then(millilitres)
    as_litres = litre.struct.field("1").is_not_null() & (litre_unit.is_not_null() | has_point)
    return (
        pl.when(as_ml & ~(has_point & as_litres & (millilitres < _MIN_ML)))
        .then(millilitres)
        .when(as_litres)
        .then(litres)
    )


# Power: kW (千瓦) as written; metric horsepower (PS, 马力 — the 公制马力 of Chinese specification
# sheets) converted exactly: 1 PS = 75 kgf·m/s = 735.49875 W (kgf = 9.80665 N by definition,
# CGPM 1901; DIN 66036), rounded to 0.001 kW. "hp"/"bhp" are refused: mechanical (745.7 W) and
# metric horsepower cannot be told apart.
_POWER = r"^(\+?(?:(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]*)?|\.[0-9]+))(kw|千瓦|ps|马力|匹马力)?$"
_PS_IN_KW = "0.73549875"


def _power(cell: pl.Expr, unit: str | None) -> pl.Expr:
    parts = _token(cell).str.extract_groups(_POWER)
    number = (
        parts.struct.field("1").str.replace_all(",", "", literal=True).cast(pl.Decimal(18, 3), strict=False)
    )
    written = parts.struct.field("2")
    metric_hp = written.is_in(["ps", "马力", "匹马力"]) | (written.is_null() & pl.lit(unit == "ps"))
    converted = (number * pl.lit(_PS_IN_KW).cast(pl.Decimal(18, 8))).cast(POWER_DTYPE)
    return pl.when(metric_hp).then(converted).otherwise(number.cast(POWER_DTYPE))


def _typed(column: schema.Column, cell: pl.Expr, unit: str | None = None) -> pl.Expr:
    if column.name == "vin":
        return _vin(cell)
    if column.name == "displacement_ml":
        return _displacement(cell, unit)
    if column.name == "power_kw":
        return _power(cell, unit)
    match column.kind:
        case "text":
            return cell
        case "enum":
            return _lookup(cell, column.synonyms, pl.String())
        case "boolean":
            return _lookup(cell, _bool_lookup(), pl.Boolean())
        case "country":
            return _lookup(cell, country_lookup(), pl.String())
        case "integer":
            return _integer(cell)
        case "decimal":
            return _decimal(cell)
        case "date":
            return _date(cell)
    raise AssertionError(f"unknown column kind {column.kind!r}")  # pragma: no cover - schema is fixed


# --------------------------------------------------------------------------------------------
# Fast paths for the columns that do not repeat (integers such as the odometer, decimals, the
# VIN): the common, already-clean form, cheap enough for every cell. A cell the fast path does not
# read is a "leftover" and goes through the full parser above (on the leftovers only); a cell
# neither reads is unreadable.


def _fast(column: schema.Column, cell: pl.Expr, unit: str | None = None) -> pl.Expr:
    if column.name == "vin":
        return pl.when(cell.str.contains(r"^[0-9A-Z]+$")).then(cell)
    if column.name == "displacement_ml":
        # Plain millilitres only; anything else (litres, a bare 2, a header unit) takes the full parser.
        value = cell.cast(pl.Int64, strict=False)
        return pl.when(((value >= _MIN_ML) | (value == 0)) & pl.lit(unit is None)).then(value)
    if column.name == "power_kw" and unit == "ps":
        return pl.lit(None, dtype=POWER_DTYPE)
    match column.kind:
        case "text":
            return cell
        case "integer":
            # Rust's integer parse: digits with an optional "+", as the full parser also accepts.
            value = cell.cast(pl.Int64, strict=False)
            return pl.when(value >= 0).then(value)
        case "decimal":
            return pl.when(cell.str.contains(r"^[0-9]{1,15}(?:\.[0-9]{1,3})?$")).then(
                cell.cast(POWER_DTYPE, strict=False)
            )
    raise AssertionError(f"no fast path for {column.kind!r} columns")  # pragma: no cover


def _slow(column: schema.Column, cells: pl.Series, unit: str | None = None) -> pl.Series:
    """The full parser on the leftover cells; on their distinct values when they repeat."""
    dtype = _DTYPES[column.kind]
    distinct = cells.drop_nulls().unique()
    if len(distinct) * 2 > len(cells):
        return pl.DataFrame({"v": cells}).select(_typed(column, pl.col("v"), unit).cast(dtype)).to_series()
    parsed = pl.DataFrame({"v": distinct}).select(_typed(column, pl.col("v"), unit).cast(dtype)).to_series()
    return cells.replace_strict(distinct, parsed, default=None, return_dtype=dtype)


# --------------------------------------------------------------------------------------------
# Entry points


# Kinds whose cells repeat a few spellings (enumerations, booleans, countries, dates): they are
# parsed once per distinct value with the full parser and mapped back with one hash lookup.
_BY_DISTINCT = frozenset({"enum", "boolean", "country", "date"})


def parse_vehicles(raw: RawTable) -> ParsedTable:
    """Type every canonical column of ``raw`` and collect the unreadable cells.

    Enumeration, boolean, country and date columns are parsed per distinct value (a million-row
    file has a few thousand distinct dates at most) and mapped back; integer, decimal and VIN
    columns take a fast path for their common form, and only the cells it leaves over go through
    the full parser. Both are whole-column polars operations, run for all columns in parallel.
    """
    source = raw.frame
    present = [c for c in schema.COLUMN_LIST if c.name in source.columns]

    # Distinct values of the repeating columns, stripped (cells read with strip_typed=False may be
    # padded; a padded or blank cell is stripped in the raw frame too, blank becoming null).
    by_distinct = [c for c in present if c.kind in _BY_DISTINCT]
    lookups: dict[str, tuple[pl.Series, pl.Series]] = {}
    stripped_columns: list[pl.Series] = []
    if by_distinct:
        distinct = source.select(pl.col(c.name).drop_nulls().unique().implode() for c in by_distinct)
        for column in by_distinct:
            values = distinct.get_column(column.name).explode().drop_nulls()
            clean = values.str.strip_chars()
            if not clean.equals(values, check_names=False):
                cells = source.get_column(column.name).str.strip_chars()
                stripped_columns.append(
                    pl.select(pl.lit(cells).replace("", None)).to_series().alias(column.name)
                )
                clean = clean.filter(clean.str.len_bytes() > 0).unique()
            typed_values = pl.DataFrame({"v": clean}).select(
                _typed(column, pl.col("v")).cast(_DTYPES[column.kind])
            )
            lookups[column.name] = (clean, typed_values.to_series())
    if stripped_columns:
        source = source.with_columns(stripped_columns)

    outputs: list[pl.Expr] = [pl.col("row")]
    for column in schema.COLUMN_LIST:
        dtype = _DTYPES[column.kind]
        if column.name not in source.columns:
            outputs.append(pl.lit(column.default, dtype=dtype).alias(column.name))
            continue
        cell = pl.col(column.name)
        if column.name in lookups:
            keys, parsed = lookups[column.name]
            if len(keys):
                typed = cell.replace_strict(keys, parsed, default=None, return_dtype=dtype)
            else:
                typed = pl.lit(None, dtype=dtype)
        else:
            typed = _fast(column, cell, raw.units.get(column.name)).cast(dtype)
        outputs.append(_defaulted(column, cell, typed).alias(column.name))
    extras = [c for c in source.columns if c != "row" and c not in schema.COLUMNS]
    outputs.extend(pl.col(c).alias(EXTRA_PREFIX + c) for c in extras)
    done = source.lazy().select(outputs).collect()

    # Integer, decimal and VIN cells the fast path left over: the full parser on those cells only,
    # written back in place; padded cells are stripped in the raw frame as above.
    repaired: list[pl.Series] = []
    for column in present:
        if column.name in lookups or (column.kind == "text" and column.name != "vin"):
            continue
        cells = source.get_column(column.name)
        leftover = cells.is_not_null() & done.get_column(column.name).is_null()
        if not leftover.any():
            continue
        where = leftover.arg_true()
        picked = cells.gather(where)
        stripped = pl.select(pl.lit(picked).str.strip_chars().replace("", None)).to_series()
        if not stripped.equals(picked, check_names=False, null_equal=True):
            stripped_columns.append(cells.scatter(where, stripped))
        unit = raw.units.get(column.name)
        final = pl.select(
            _defaulted(column, pl.lit(stripped), pl.lit(_slow(column, stripped, unit)))
        ).to_series()
        repaired.append(done.get_column(column.name).scatter(where, final))
    if repaired:
        done = done.with_columns(repaired)
    if stripped_columns:
        source = source.with_columns(stripped_columns)
        raw = dataclasses.replace(raw, frame=source)

    done, conflicts = _implied_facts(raw, done)
    done = _with_duplicate_vins(done)
    problems = _problems(raw, done, conflicts)
    invalid = problems.get_column("row").unique().sort()
    return ParsedTable(frame=done, problems=problems, raw=raw, invalid_rows=invalid)


def _implied_facts(raw: RawTable, done: pl.DataFrame) -> tuple[pl.DataFrame, list[pl.DataFrame]]:
    """Fill what a compound certificate value states (:attr:`chuhai.schema.Column.implies`).

    小型轿车 in the category column also states body ``sedan`` and size ``small``; 出租转非 in the use
    column states a former use ``taxi``. The implied value fills the other column only where its
    cell is empty (or the column absent); a cell that says something else is a problem of that cell
    (expected: the implied value, naming the cell that implies it). Returns the frame and the
    conflicts as problem rows.
    """
    source = raw.frame
    fills: dict[str, pl.Expr] = {}
    conflicts: list[pl.DataFrame] = []
    for column in schema.COLUMN_LIST:
        if not column.implies or column.name not in source.columns:
            continue
        cells = source.get_column(column.name).drop_nulls().unique()
        tokens = {cell: schema.normalise_token(cell) for cell in cells.to_list()}
        targets = sorted({t for implied in column.implies.values() for t in implied})
        for target in targets:
            mapping = {
                cell: column.implies[token][target]
                for cell, token in tokens.items()
                if target in column.implies.get(token, {})
            }
            if not mapping:
                continue
            implied = pl.col(column.name).replace_strict(
                list(mapping), list(mapping.values()), default=None, return_dtype=pl.String
            )
            stated = pl.col(target) if target in source.columns else pl.lit(None, dtype=pl.String)
            base = fills.get(target, done.get_column(target))
            fills[target] = pl.when(stated.is_null() & implied.is_not_null()).then(implied).otherwise(base)
            if target not in source.columns:
                continue
            typed = done.get_column(target)
            clash = source.with_columns(typed.alias("__typed"), implied.alias("__implied")).filter(
                pl.col(target).is_not_null()
                & pl.col("__typed").is_not_null()
                & pl.col("__implied").is_not_null()
                & (pl.col("__typed") != pl.col("__implied"))
            )
            if clash.height:
                conflicts.append(_conflict_rows(raw, clash, column.name, target))
    if fills:
        done = done.with_columns(source.select(expr.alias(name) for name, expr in fills.items()))
    return done, conflicts


def _conflict_rows(raw: RawTable, clash: pl.DataFrame, implying: str, target: str) -> pl.DataFrame:
    fields = {
        "column": pl.lit(raw.header_of(implying)),
        "value": pl.col(implying),
        "implied": pl.col("__implied"),
    }
    return clash.select(
        pl.col("row"),
        pl.lit(raw.header_of(target), dtype=pl.String).alias("column"),
        pl.col(target).alias("value"),
        *(
            _worded(schema.EXPECTED["implied"][lang], fields).alias(name)
            for name, lang in _EXPECTED_LANG.items()
        ),
        pl.lit(raw.frame.columns.index(target)).alias("__position"),
    )


_EXPECTED_LANG = {name: name.removeprefix("expected_") for name in EXPECTED_COLUMNS}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")


def _worded(template: str, fields: Mapping[str, pl.Expr]) -> pl.Expr:
    """``template`` with its ``{field}`` placeholders filled per row from ``fields``."""
    pieces: list[pl.Expr] = []
    position = 0
    for match in _PLACEHOLDER.finditer(template):
        pieces.append(pl.lit(template[position : match.start()]))
        pieces.append(fields[match.group(1)])
        position = match.end()
    pieces.append(pl.lit(template[position:]))
    return pl.concat_str(pieces)


DUPLICATE_VIN_ROWS = "_vin_rows"
"""Last column of the typed frame: for a VIN that is on more than one row of the file, every row it
is on ("2, 5, 9"); null for a VIN that appears once. A fact about the whole file, so computed here
and not per screening chunk: the engine's ``input.duplicate_vin`` reads it."""


def _with_duplicate_vins(done: pl.DataFrame) -> pl.DataFrame:
    vin = pl.col("vin")
    repeated = done.select(vin.is_not_null() & vin.is_duplicated()).to_series()
    if not repeated.any():
        return done.with_columns(pl.lit(None, dtype=pl.String).alias(DUPLICATE_VIN_ROWS))
    rows = (
        done.filter(repeated)
        .group_by("vin", maintain_order=True)
        .agg(pl.col("row").sort().cast(pl.String).str.join(", ").alias(DUPLICATE_VIN_ROWS))
    )
    return done.join(rows, on="vin", how="left", maintain_order="left")


def _defaulted(column: schema.Column, cell: pl.Expr, value: pl.Expr) -> pl.Expr:
    """The column's default for an EMPTY cell only: an unreadable ``seized`` must not become false."""
    if column.default is None:
        return value
    default = pl.lit(column.default, dtype=_DTYPES[column.kind])
    return pl.when(cell.is_null()).then(default).otherwise(value)


def _problems(raw: RawTable, done: pl.DataFrame, conflicts: list[pl.DataFrame] | None = None) -> pl.DataFrame:
    """One row per unreadable cell, ordered by row, then column position, reader damage first.

    A cell is unreadable if it is not empty in the raw frame (after stripping) and null in the
    typed frame: defaults fill only empty cells, so nothing else can leave a typed cell null.
    """
    source = raw.frame
    checked = [c for c in schema.COLUMN_LIST if c.name in source.columns and c.kind != "text"]
    masks = {
        c.name: source.get_column(c.name).is_not_null() & done.get_column(c.name).is_null() for c in checked
    }
    order = {name: i for i, name in enumerate(source.columns)}
    parts: list[pl.DataFrame] = [raw.cell_problems.with_columns(pl.lit(-1).alias("__position"))]
    for name, mask in masks.items():
        if not mask.any():
            continue
        spec = schema.COLUMNS[name]
        parts.append(
            source.filter(mask).select(
                pl.col("row"),
                pl.lit(raw.header_of(name), dtype=pl.String).alias("column"),
                pl.col(name).alias("value"),
                *(_expected(spec, lang).alias(column) for column, lang in _EXPECTED_LANG.items()),
                pl.lit(order[name]).alias("__position"),
            )
        )
    if len(parts) > 1 and raw.cell_problems.height:
        # A cell the reader already reported (an Excel error value, a VIN turned into a number) is
        # reported once, with the reader's explanation.
        reported = raw.cell_problems.select("row", "column").unique()
        parts[1:] = [part.join(reported, on=["row", "column"], how="anti") for part in parts[1:]]
    parts.extend(conflicts or ())
    combined = pl.concat(parts, how="vertical_relaxed")
    ordered = combined.sort("row", "__position", maintain_order=True).drop("__position")
    return ordered.cast(PROBLEM_SCHEMA)  # type: ignore[arg-type]


def _expected(spec: schema.Column, lang: str) -> pl.Expr:
    """What the cell should hold: the column's text, or for an ambiguous spelling (汽油/电) why it
    is refused and what to write instead."""
    text = pl.lit(spec.expected[lang], dtype=pl.String)
    if not spec.ambiguous:
        return text
    reasons = {key: why[lang] for key, why in spec.ambiguous.items()}
    return _token(pl.col(spec.name)).replace_strict(
        list(reasons), list(reasons.values()), default=text, return_dtype=pl.String
    )


def parse_records(records: Iterable[Mapping[str, object]], *, first_row: int = 1) -> ParsedTable:
    """Parse vehicles given as dictionaries (a web form, the REST API) with the same parser.

    Keys are canonical names or any header alias (``车辆识别代号``); values may be text, dates,
    numbers, booleans, ``Decimal`` or ``None``. Record *n* (0-based) is row ``first_row + n``.
    """
    return parse_vehicles(raw_table_from_records(records, first_row=first_row))


def load_vehicle_file(
    path: Path, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> ParsedTable:
    """Read and parse a stock file: the screening pipeline's fast path.

    The same as ``parse_vehicles(read_vehicle_file(path, sheet))`` except that typed cells are not
    stripped by the reader but by the parser, only where needed; ``ParsedTable.raw`` then holds
    stripped cells everywhere.
    """
    return parse_vehicles(read_vehicle_file(path, sheet, strip_typed=False, limits=limits))


def load_vehicle_bytes(
    data: bytes, filename: str, sheet: str | None = None, limits: ReadLimits = DEFAULT_LIMITS
) -> ParsedTable:
    """:func:`load_vehicle_file` for an upload (the web and the REST API)."""
    return parse_vehicles(read_vehicle_bytes(data, filename, sheet, strip_typed=False, limits=limits))
