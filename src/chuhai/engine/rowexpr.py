"""The rules' polars expressions evaluated for one row in plain Python (the one-vehicle path).

A rule is written once, as polars expressions (:mod:`chuhai.rules.base`). For a million vehicles
polars evaluates them column-wise; for one vehicle the fixed cost of a polars query (planning,
threads, a one-row frame per step) is a thousand times the work itself. This module *compiles the
very same expression objects* into Python closures over a row (a ``dict`` of column → value): it
reads the expression tree polars serialises (``Expr.meta.serialize(format="json")``) and maps each
node to the Python operation with polars' semantics (null propagation, Kleene logic for ``&``/``|``,
a null predicate choosing ``otherwise``, month-end clamping of ``offset_by``…). There is no second
copy of any rule: a node this module does not know raises :class:`Unsupported`, and the engine then
screens with polars. ``tests/test_fast_path.py`` checks that both paths give identical results.
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import json
import math
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

import polars as pl

Row = Mapping[str, Any]
Fn = Callable[[Row], Any]

_EPOCH = dt.date(1970, 1, 1)


class Unsupported(Exception):
    # A signal caught by the engine (it then screens with polars), not an error users see.
    """An expression node the row evaluator does not implement (the engine falls back to polars)."""


def compile_expr(expr: pl.Expr) -> Fn:
    """A function of one row computing ``expr`` (its alias is dropped)."""
    try:
        tree = json.loads(expr.meta.serialize(format="json"))
    except Exception as exc:  # e.g. a Python function inside (map_batches) cannot be serialised
        raise Unsupported(f"cannot serialise expression: {exc}") from None
    return _node(tree)


# ---------------------------------------------------------------------------------------------
# Literals


def _series(payload: list[int]) -> list[Any]:
    frame = pl.read_ipc_stream(io.BytesIO(bytes(payload)))
    return frame.to_series().to_list()


def _scalar(value: Mapping[str, Any]) -> Any:
    ((kind, payload),) = value.items()
    if kind == "Null":
        return None
    if kind in ("String", "Boolean", "Int64", "Int32", "Int8", "Int16", "UInt32", "UInt64", "Float64"):
        return payload
    if kind == "Date":
        return _EPOCH + dt.timedelta(days=payload)
    if kind == "Decimal":
        digits, _precision, scale = payload
        return Decimal(digits).scaleb(-scale)
    if kind in ("List", "Series"):
        return _series(payload)
    raise Unsupported(f"literal {kind}")


def _literal(node: Mapping[str, Any]) -> Any:
    ((kind, payload),) = node.items()
    if kind == "Scalar":
        return _scalar(payload)
    if kind == "Dyn":
        ((_, value),) = payload.items()
        return value
    if kind == "Series":
        return _series(payload)
    raise Unsupported(f"literal {kind}")


# ---------------------------------------------------------------------------------------------
# Nodes


class _Const:
    """A value that does not depend on the row (folded when the plan is compiled)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __call__(self, row: Row) -> Any:
        return self.value


def _const(value: Any) -> Fn:
    return _Const(value)


def _uses_columns(tree: Any) -> bool:
    if isinstance(tree, dict):
        return "Column" in tree or any(_uses_columns(v) for v in tree.values())
    if isinstance(tree, list):
        return any(_uses_columns(v) for v in tree)
    return False


def _node(tree: Any) -> Fn:
    fn = _build(tree)
    if isinstance(fn, _Const) or _uses_columns(tree):
        return fn
    try:  # no column in the subtree: the same value for every row, computed once
        return _Const(fn({}))
    except Unsupported:
        return fn


def _build(tree: Any) -> Fn:
    ((kind, body),) = tree.items()
    if kind == "Column":
        name = body
        return lambda row: row[name]
    if kind == "Literal":
        return _const(_literal(body))
    if kind == "Alias":
        return _node(body[0])
    if kind == "Ternary":
        pred, yes, no = _node(body["predicate"]), _node(body["truthy"]), _node(body["falsy"])
        return lambda row: yes(row) if pred(row) is True else no(row)
    if kind == "BinaryExpr":
        return _binary(body["op"], _node(body["left"]), _node(body["right"]))
    if kind == "Cast":
        return _cast(_node(body["expr"]), body["dtype"], body["options"] == "Strict")
    if kind == "Function":
        return _function(body["function"], body["input"])
    raise Unsupported(f"node {kind}")


def _and(a: Any, b: Any) -> Any:
    if a is False or b is False:
        return False
    if a is None or b is None:
        return None
    return True


def _or(a: Any, b: Any) -> Any:
    if a is True or b is True:
        return True
    if a is None or b is None:
        return None
    return False


def _minus(a: Any, b: Any) -> Any:
    return a - b


def _true_divide(a: Any, b: Any) -> Any:
    if isinstance(a, dt.timedelta):
        raise Unsupported("duration division")
    return a / b if b != 0 else (math.nan if a == 0 else math.copysign(math.inf, a))


_OPS: dict[str, Callable[[Any, Any], Any]] = {
    "Eq": lambda a, b: a == b,
    "NotEq": lambda a, b: a != b,
    "Lt": lambda a, b: a < b,
    "LtEq": lambda a, b: a <= b,
    "Gt": lambda a, b: a > b,
    "GtEq": lambda a, b: a >= b,
    "Plus": lambda a, b: a + b,
    "Minus": _minus,
    "Multiply": lambda a, b: a * b,
    "TrueDivide": _true_divide,
}


def _binary(op: str, left: Fn, right: Fn) -> Fn:
    # Expressions are pure, so evaluation stops as soon as the Kleene result is known.
    if op == "And":
        for one, other in ((left, right), (right, left)):
            if isinstance(one, _Const):
                if one.value is False:
                    return _Const(False)
                if one.value is True:
                    return other  # Kleene: True & x is x

        def both(row: Row) -> Any:
            a = left(row)
            if a is False:
                return False
            b = right(row)
            if b is False:
                return False
            return None if a is None or b is None else True

        return both
    if op == "Or":
        for one, other in ((left, right), (right, left)):
            if isinstance(one, _Const):
                if one.value is True:
                    return _Const(True)
                if one.value is False:
                    return other  # Kleene: False | x is x

        def either(row: Row) -> Any:
            a = left(row)
            if a is True:
                return True
            b = right(row)
            if b is True:
                return True
            return None if a is None or b is None else False

        return either
    fn = _OPS.get(op)
    if fn is None:
        raise Unsupported(f"operator {op}")
    if isinstance(right, _Const):
        constant = right.value
        if constant is None:
            return _Const(None)

        def with_constant(row: Row) -> Any:
            a = left(row)
            return None if a is None else fn(a, constant)

        return with_constant

    def apply(row: Row) -> Any:
        a = left(row)
        if a is None:
            return None
        b = right(row)
        if b is None:
            return None
        return fn(a, b)

    return apply


# Rust's integer parse (what polars' non-strict cast from text does): an optional sign, ASCII digits.
_RUST_INT = re.compile(r"[+-]?[0-9]+\Z")
_RUST_DECIMAL = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\Z")
_INT64 = (-(2**63), 2**63 - 1)


def _to_string(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        raise Unsupported("float to string")
    return str(value)


def _to_int(value: Any) -> int | None:
    if isinstance(value, str):
        if not _RUST_INT.match(value):
            return None
        number = int(value)
    elif isinstance(value, bool):
        number = int(value)
    elif isinstance(value, int):
        number = value
    elif isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return None
        number = int(value)
    else:
        raise Unsupported(f"cast {type(value).__name__} to integer")
    return number if _INT64[0] <= number <= _INT64[1] else None


def _decimal_caster(precision: int, scale: int) -> Callable[[Any], Decimal | None]:
    quantum = Decimal(1).scaleb(-scale)
    limit = Decimal(10) ** (precision - scale)

    def cast(value: Any) -> Decimal | None:
        if isinstance(value, Decimal):
            value = str(value)
        if not isinstance(value, str):
            raise Unsupported(f"cast {type(value).__name__} to decimal")
        if not _RUST_DECIMAL.match(value):
            return None
        try:
            number = Decimal(value).quantize(quantum, rounding=ROUND_HALF_EVEN)
        except InvalidOperation:
            return None
        return number if abs(number) < limit else None

    return cast


def _caster(dtype: Any) -> Callable[[Any], Any]:
    if isinstance(dtype, Mapping) and "Literal" in dtype:
        dtype = dtype["Literal"]
    if dtype == "String":
        return _to_string
    if dtype == "Int64":
        return _to_int
    if dtype == "Boolean":
        return lambda value: value if isinstance(value, bool) else _unsupported_cast(value, "Boolean")
    if dtype == "Date":
        return _to_date
    if isinstance(dtype, Mapping) and "Decimal" in dtype:
        precision, scale = dtype["Decimal"]
        return _decimal_caster(precision, scale)
    raise Unsupported(f"cast to {dtype}")


def _to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    raise Unsupported(f"cast {type(value).__name__} to Date")


def _unsupported_cast(value: Any, dtype: str) -> Any:
    raise Unsupported(f"cast {type(value).__name__} to {dtype}")


def _cast(inner: Fn, dtype: Any, strict: bool) -> Fn:
    convert = _caster(dtype)

    def apply(row: Row) -> Any:
        value = inner(row)
        if value is None:
            return None
        out = convert(value)
        if out is None and strict:
            raise Unsupported("strict cast failed")  # polars raises: let it say so
        return out

    return apply


# ---------------------------------------------------------------------------------------------
# Functions


def _function(function: Any, inputs: list[Any]) -> Fn:
    options: Any
    if isinstance(function, str):
        name, options = function, None
    else:
        ((name, options),) = function.items()
    if name in ("StringExpr", "TemporalExpr", "Boolean", "StructExpr"):
        if isinstance(options, str):
            sub, sub_options = options, None
        else:
            ((sub, sub_options),) = options.items()
        return _NAMESPACES[name](sub, sub_options, inputs)
    args = [_node(i) for i in inputs]
    if name == "FillNull":
        value, fill = args
        if isinstance(fill, _Const):
            filler = fill.value

            def fill_constant(row: Row) -> Any:
                found = value(row)
                return filler if found is None else found

            return fill_constant

        def fill_null(row: Row) -> Any:
            found = value(row)
            return fill(row) if found is None else found

        return fill_null
    if name == "Coalesce":

        def coalesce(row: Row) -> Any:
            for arg in args:
                found = arg(row)
                if found is not None:
                    return found
            return None

        return coalesce
    if name == "Floor":
        (value,) = args
        return lambda row: None if (v := value(row)) is None else float(math.floor(v))
    if name == "MinHorizontal":

        def min_horizontal(row: Row) -> Any:
            found = [v for arg in args if (v := arg(row)) is not None]
            return min(found) if found else None

        return min_horizontal
    if name == "ReplaceStrict":
        return _replace_strict(inputs)
    if name == "AsStruct":
        names = [_output_name(i) for i in inputs]
        return lambda row: {n: a(row) for n, a in zip(names, args, strict=True)}
    raise Unsupported(f"function {name}")


def _output_name(tree: Any) -> str:
    if "Alias" in tree:
        return str(tree["Alias"][1])
    if "Column" in tree:
        return str(tree["Column"])
    raise Unsupported("unnamed struct field")


def _literal_value(tree: Any) -> Any:
    if "Literal" not in tree:
        raise Unsupported("non-literal argument")
    return _literal(tree["Literal"])


def _replace_strict(inputs: list[Any]) -> Fn:
    value = _node(inputs[0])
    old, new = _literal_value(inputs[1]), _literal_value(inputs[2])
    if not isinstance(old, list):
        old = [old]
    if not isinstance(new, list):
        new = [new] * len(old)
    if len(new) == 1 and len(old) > 1:
        new = new * len(old)
    mapping = dict(zip(old, new, strict=True))
    if None in mapping:
        raise Unsupported("replace_strict of null")
    default = _node(inputs[3]) if len(inputs) > 3 else None

    def replace(row: Row) -> Any:
        found = value(row)
        if found is None:
            return None
        if found in mapping:
            return mapping[found]
        if default is None:
            raise Unsupported("replace_strict without default: polars raises")
        return default(row)

    return replace


def _unary(inner: Fn, fn: Callable[[Any], Any]) -> Fn:
    return lambda row: None if (v := inner(row)) is None else fn(v)


# Rust's regex ``$`` is the end of the text; Python's also matches before a final newline.
def _python_pattern(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _strings(sub: str, options: Any, inputs: list[Any]) -> Fn:
    value = _node(inputs[0])
    if sub == "Normalize":
        form = options["form"]
        return _unary(value, lambda s: unicodedata.normalize(form, s))
    if sub == "Lowercase":
        return _unary(value, str.lower)
    if sub == "Uppercase":
        return _unary(value, str.upper)
    if sub == "LenChars":
        return _unary(value, len)
    if sub == "LenBytes":
        return _unary(value, lambda s: len(s.encode()))
    if sub == "Contains":
        pattern = _literal_value(inputs[1])
        if pattern is None:
            raise Unsupported("null pattern")
        if options["literal"]:
            return _unary(value, lambda s: pattern in s)
        compiled = _python_pattern(pattern)
        return _unary(value, lambda s: compiled.search(s) is not None)
    if sub == "Replace":
        pattern, replacement = _literal_value(inputs[1]), _literal_value(inputs[2])
        count = 0 if options["n"] == -1 else options["n"]
        if options["literal"]:
            return _unary(value, lambda s: s.replace(pattern, replacement, count or -1))
        if "$" in replacement or "\\" in replacement:
            raise Unsupported("regex replacement with groups")
        compiled = _python_pattern(pattern)
        return _unary(value, lambda s: compiled.sub(replacement, s, count=count))
    if sub == "ReplaceMany":
        patterns, replacements = _literal_value(inputs[1]), _literal_value(inputs[2])
        if any(len(p) != 1 for p in patterns):
            raise Unsupported("replace_many of multi-character patterns")
        table = str.maketrans(dict(zip(patterns, replacements, strict=True)))
        return _unary(value, lambda s: s.translate(table))
    if sub == "Slice":
        offset, length = _literal_value(inputs[1]), _literal_value(inputs[2])
        if offset is None or offset < 0 or length is None:
            raise Unsupported("slice from the end")
        return _unary(value, lambda s: s[offset : offset + length])
    if sub == "ZFill":
        width = _literal_value(inputs[1])
        return _unary(value, lambda s: _zfill(s, width))
    if sub == "ConcatHorizontal":
        return _concat([_node(i) for i in inputs], options["delimiter"], options["ignore_nulls"])
    if sub == "ExtractGroups":
        compiled = _python_pattern(options["pat"])
        names = [f["name"] for f in options["dtype"]["Struct"]]

        def extract(row: Row) -> Any:
            text = value(row)
            match = None if text is None else compiled.search(text)
            if match is None:
                return None
            return dict(zip(names, match.groups(), strict=True))

        return extract
    if sub == "Strptime":
        dtype, strptime = options
        if dtype != {"Literal": "Date"} or strptime["format"] != "%Y-%m-%d" or strptime["strict"]:
            raise Unsupported(f"strptime {options}")
        return _unary(value, _iso_date)
    if sub == "Format":
        pieces = options["format"]
        slots = options["insertions"]
        args = [_node(i) for i in inputs]
        return lambda row: _format(pieces, slots, [a(row) for a in args])
    raise Unsupported(f"str.{sub}")


def _zfill(text: str, width: int) -> str:
    if text[:1] in "+-" and text:
        return text[0] + text[1:].rjust(width - 1, "0")
    return text.rjust(width, "0")


def _format(pieces: str, slots: list[int], values: list[Any]) -> str | None:
    if any(v is None for v in values):
        return None
    out, position = [], 0
    for slot, value in zip(slots, values, strict=True):
        out.append(pieces[position:slot])
        out.append(_to_string(value))
        position = slot
    out.append(pieces[position:])
    return "".join(out)


def _concat(args: list[Fn], delimiter: str, ignore_nulls: bool) -> Fn:
    def concat(row: Row) -> Any:
        values = [a(row) for a in args]
        if ignore_nulls:
            kept = [_to_string(v) for v in values if v is not None]
            return delimiter.join(kept) if kept else None
        if any(v is None for v in values):
            return None
        return delimiter.join(_to_string(v) for v in values)

    return concat


_ISO = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})\Z")


def _iso_date(text: str) -> dt.date | None:
    match = _ISO.match(text)
    if match is None:
        raise Unsupported(f"date text {text!r}")
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


_OFFSET = re.compile(r"(-?)([0-9]+)(mo|y|d)\Z")


@lru_cache(maxsize=256)
def _offset(spec: str) -> tuple[int, str]:
    match = _OFFSET.match(spec)
    if match is None:
        raise Unsupported(f"offset {spec!r}")
    sign, number, unit = match.groups()
    return (-1 if sign else 1) * int(number), unit


def offset_by(day: dt.date, spec: str) -> dt.date:
    """polars' ``dt.offset_by`` on a date: calendar months and years clamp to the month's end."""
    amount, unit = _offset(spec)
    if unit == "d":
        return day + dt.timedelta(days=amount)
    months = amount * (12 if unit == "y" else 1)
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise Unsupported("date out of range")
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _temporal(sub: str, options: Any, inputs: list[Any]) -> Fn:
    value = _node(inputs[0])
    if sub == "OffsetBy":
        spec = _node(inputs[1])

        def offset(row: Row) -> Any:
            day = value(row)
            if day is None:
                return None
            by = spec(row)
            return None if by is None else offset_by(day, by)

        return offset
    if sub == "ToString":
        pattern = options
        if pattern != "%Y-%m-%d":
            raise Unsupported(f"strftime {pattern}")
        return _unary(value, lambda d: d.isoformat())
    if sub == "TotalDays":
        if options["fractional"]:
            raise Unsupported("fractional days")
        return _unary(value, lambda delta: delta.days)
    if sub == "Year":
        return _unary(value, lambda d: d.year)
    if sub == "DatetimeFunction":
        args = [_node(i) for i in inputs[:3]]
        rest = [_literal_value(i) for i in inputs[3:7]]
        if any(rest) or options.get("time_unit") not in (None, "Microseconds"):
            raise Unsupported("datetime with a time")

        def make(row: Row) -> Any:
            parts = [a(row) for a in args]
            if any(p is None for p in parts):
                return None
            try:
                return dt.date(*parts)
            except ValueError:
                raise Unsupported("invalid date: polars raises") from None

        return make
    raise Unsupported(f"dt.{sub}")


def _booleans(sub: str, options: Any, inputs: list[Any]) -> Fn:
    if sub == "IsIn":
        value = _node(inputs[0])
        members = _literal_value(inputs[1])
        if options["nulls_equal"]:
            raise Unsupported("is_in with nulls_equal")
        pool = frozenset(m for m in (members if isinstance(members, list) else [members]) if m is not None)
        return _unary(value, lambda v: v in pool)
    args = [_node(i) for i in inputs]
    if sub == "IsNull":
        (value,) = args
        return lambda row: value(row) is None
    if sub == "IsNotNull":
        (value,) = args
        return lambda row: value(row) is not None
    if sub == "Not":
        (value,) = args
        return _unary(value, lambda v: not v)
    if sub == "AnyHorizontal":

        def any_horizontal(row: Row) -> Any:
            result: Any = False
            for arg in args:
                result = _or(result, arg(row))
                if result is True:
                    return True
            return result

        return any_horizontal
    if sub == "AllHorizontal":

        def all_horizontal(row: Row) -> Any:
            result: Any = True
            for arg in args:
                result = _and(result, arg(row))
                if result is False:
                    return False
            return result

        return all_horizontal
    if sub == "IsBetween":
        if options["closed"] != "Both":
            raise Unsupported(f"is_between {options}")
        value, low, high = args

        def between(row: Row) -> Any:
            v, lo, hi = value(row), low(row), high(row)
            if v is None or lo is None or hi is None:
                return None
            return bool(lo <= v <= hi)

        return between
    raise Unsupported(f"boolean {sub}")


def _structs(sub: str, options: Any, inputs: list[Any]) -> Fn:
    value = _node(inputs[0])
    if sub == "FieldByName":
        name = options
        return lambda row: None if (v := value(row)) is None else v.get(name)
    if sub == "JsonEncode":
        return _unary(value, _json)
    raise Unsupported(f"struct.{sub}")


def _json(struct: Mapping[str, Any]) -> str:
    def plain(v: Any) -> Any:
        if isinstance(v, dt.date):
            return v.isoformat()
        if isinstance(v, Decimal):
            raise Unsupported("decimal in JSON")
        if isinstance(v, float) and not math.isfinite(v):
            raise Unsupported("non-finite float in JSON")
        return v

    return json.dumps({k: plain(v) for k, v in struct.items()}, ensure_ascii=False, separators=(",", ":"))


_NAMESPACES: dict[str, Callable[[str, Any, list[Any]], Fn]] = {
    "StringExpr": _strings,
    "TemporalExpr": _temporal,
    "Boolean": _booleans,
    "StructExpr": _structs,
}
