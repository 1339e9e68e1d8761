"""Strict reading of the law's YAML files.

Every law file goes through :func:`load_yaml`, which refuses duplicate keys and names the file
and the key in every error, and :class:`Checker`, which refuses unknown keys, missing keys and
values of the wrong type. A malformed law file must stop Chuhai loudly: a compliance tool that
silently drops a parameter gives wrong verdicts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import yaml

from chuhai.errors import LawError

LAW_DIR = Path(__file__).resolve().parent.parent / "law"

CONFIDENCE_VALUES = ("verified-in-source", "secondary-source", "inferred")


# libyaml's parser when PyYAML was built with it (several times faster: the lawbook reads every law
# file at start), else the pure-Python one; both build the same safe types.
_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _StrictLoader(_BaseLoader):  # type: ignore[misc]
    """A SafeLoader that rejects duplicate mapping keys."""


def _construct_mapping(loader: Any, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    seen: dict[Any, Any] = {}
    for key_node, _value_node in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise LawError(f"{loader.name}: duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen[key] = True
    mapping: dict[Any, Any] = loader.construct_mapping(node, deep=deep)
    return mapping


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_yaml(path: Path) -> Any:
    """Parse one YAML file strictly; any problem raises :class:`LawError` naming the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            loader = _StrictLoader(handle)
            loader.name = str(path)
            try:
                return loader.get_single_data()
            finally:
                loader.dispose()
    except LawError:
        raise
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise LawError(f"{path}: cannot be read as YAML: {exc}") from exc
    except ValueError as exc:
        # PyYAML turns an impossible date such as 2026-02-30 into a bare ValueError.
        raise LawError(f"{path}: {where_of_bad_scalar(path)}: not a valid date: {exc}") from exc


def where_of_bad_scalar(path: Path) -> str:
    """Find the key whose YAML timestamp cannot be built (e.g. ``2026-02-30``).

    PyYAML's timestamp constructor raises a bare ValueError without a key, so the file is composed
    again (node tree only) to name the offending key and line.
    """
    try:
        with path.open(encoding="utf-8") as handle:
            root = yaml.compose(handle, Loader=yaml.SafeLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return "(unknown key)"
    probe = yaml.SafeLoader("")
    try:
        stack: list[tuple[str, yaml.Node | None]] = [("", root)]
        while stack:
            where, node = stack.pop()
            if isinstance(node, yaml.MappingNode):
                for key_node, value_node in node.value:
                    key = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
                    stack.append((f"{where}.{key}" if where else str(key), value_node))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend((f"{where}[{i}]", item) for i, item in enumerate(node.value))
            elif isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:timestamp":
                try:
                    probe.construct_yaml_timestamp(node)
                except ValueError:
                    return f"{where or '(root)'} (line {node.start_mark.line + 1}, value {node.value!r})"
    finally:
        probe.dispose()
    return "(unknown key)"


class Checker:
    """Type and key checks that name the file and the dotted key path in their errors.

    >>> c = Checker(Path("law/x.yaml"))
    >>> c.keys({"a": 1}, "root", required={"a"}, optional=set())
    >>> c.keys({"a": 1, "b": 2}, "root", required={"a"}, optional=set())
    Traceback (most recent call last):
    chuhai.errors.LawError: law/x.yaml: root: unknown key(s) b (allowed: a)
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> LawError:
        return LawError(f"{self.path}: {where}: {message}")

    def mapping(self, value: Any, where: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(where, f"expected a mapping, got {type(value).__name__}")
        return value

    def sequence(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {type(value).__name__}")
        return value

    def keys(
        self, value: Mapping[str, Any], where: str, required: Iterable[str], optional: Iterable[str]
    ) -> None:
        required, optional = set(required), set(optional)
        unknown = sorted(str(k) for k in value if k not in required | optional)
        if unknown:
            allowed = ", ".join(sorted(required | optional))
            raise self.fail(where, f"unknown key(s) {', '.join(unknown)} (allowed: {allowed})")
        missing = sorted(required - set(value))
        if missing:
            raise self.fail(where, f"missing key(s) {', '.join(missing)}")

    def text(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, f"expected non-empty text, got {value!r}")
        return value

    def integer(self, value: Any, where: str) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected a whole number, got {value!r}")
        return value

    def date(self, value: Any, where: str) -> dt.date:
        """A date written as YYYY-MM-DD (YAML parses it to a date; strings are re-checked)."""
        if isinstance(value, dt.datetime):
            raise self.fail(where, f"expected a date, got a date-time {value!r}")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise self.fail(where, f"expected a date YYYY-MM-DD, got {value!r}")

    def confidence(self, value: Any, where: str) -> str:
        if value not in CONFIDENCE_VALUES:
            raise self.fail(where, f"expected one of {', '.join(CONFIDENCE_VALUES)}, got {value!r}")
        return str(value)

    def choice(self, value: Any, where: str, choices: Iterable[str]) -> str:
        options = tuple(choices)
        if value not in options:
            raise self.fail(where, f"expected one of {', '.join(options)}, got {value!r}")
        return str(value)
