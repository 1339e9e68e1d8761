"""The exporter profile: the one exporting enterprise of a screening run (``vehicle-file.md``).

Given as YAML or JSON::

    name: 重庆某某二手车出口有限公司      # must equal owner_name on each certificate
    uscc: 91500000MA5U00000W           # unified social credit code (check character verified)
    kind: circulation                  # manufacturer | authorised_exporter | circulation | project_contractor
    used_car_filing:                   # 二手车出口企业备案; absent = not filed
      approved_on: 2026-01-15
    authorised_by: []                  # manufacturers that authorised this exporter
    project_documents: false           # optional: a project contractor's bid documents are in hand
    attests: [seized, crime_proceeds]  # optional: prohibition facts the enterprise states for every
                                       # vehicle of the file whose cell is empty

Reading is strict, like the law files (:mod:`chuhai.engine.lawfile`): an unknown key, a duplicate
key, a value of the wrong type, a bad date, an unknown ``kind`` or a USCC whose check character is
wrong raises :class:`~chuhai.errors.InputError` naming the file, the key and the value. A typo in
the profile must stop the run, not silently change every verdict (a misspelt ``used_car_filing``
would otherwise read as "not filed" and block every vehicle).

>>> profile = exporter_from_mapping(
...     {"name": "重庆某某二手车出口有限公司", "uscc": "91500000MA5U00000W", "kind": "circulation",
...      "used_car_filing": {"approved_on": "2026-01-15"}}
... )
>>> profile.kind, profile.filing_approved_on, profile.uscc_valid, profile.filed
('circulation', datetime.date(2026, 1, 15), True, True)
>>> exporter_from_mapping({"name": "X", "kind": "trader"})
Traceback (most recent call last):
chuhai.errors.InputError: <profile>: kind: expected one of manufacturer, authorised_exporter, circulation, \
project_contractor, got 'trader'
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import yaml

from chuhai import schema
from chuhai.errors import InputError
from chuhai.identifiers import uscc as uscc_code
from chuhai.identifiers.exceptions import InvalidChecksum, InvalidIdentifier

__all__ = ["KINDS", "ExporterKind", "ExporterProfile", "exporter_from_mapping", "load_exporter_profile"]

ExporterKind = Literal["manufacturer", "authorised_exporter", "circulation", "project_contractor"]
KINDS: tuple[str, ...] = get_args(ExporterKind)

_KEYS = ("name", "uscc", "kind", "used_car_filing", "authorised_by", "project_documents", "attests")
_FILING_KEYS = ("approved_on",)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_Fail = Callable[[str, str], InputError]


@dataclass(frozen=True)
class ExporterProfile:
    """One exporting enterprise.

    ``uscc`` is the compact code (upper case, no separators) or ``None`` if not given;
    ``uscc_valid`` is true only for a given code whose check character verifies (with the default
    strict reading a wrong code is an error, so it can be false only for a missing code or when
    read with ``strict_uscc=False``). ``filing_approved_on`` is the approval date of the used-car
    export filing (二手车出口企业备案), ``None`` if not filed. ``attests`` names the prohibition facts
    (:data:`chuhai.schema.PROHIBITION_FACTS`) the enterprise states for every vehicle of the file:
    not seized, not crime proceeds…, matching its certificate, documents complete — where a cell
    says nothing; a cell that states the fact wins, and findings cite the attestation as the source.
    """

    name: str
    uscc: str | None
    uscc_valid: bool
    kind: ExporterKind
    filing_approved_on: dt.date | None = None
    authorised_by: tuple[str, ...] = ()
    project_documents: bool = False
    attests: tuple[str, ...] = ()

    @property
    def filed(self) -> bool:
        """Whether the used-car export filing has been approved (the date itself is checked by rules)."""
        return self.filing_approved_on is not None


def load_exporter_profile(path: Path) -> ExporterProfile:
    """Read a profile file: JSON for ``.json`` (or content starting with ``{``), YAML otherwise."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or type(exc).__name__})") from exc
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start}); save the profile as UTF-8") from exc
    suffix = path.suffix.lower()
    if suffix == ".json" or (suffix not in (".yaml", ".yml") and text.lstrip()[:1] == "{"):
        data = _load_json(text, path)
    else:
        data = _load_yaml(text, path)
    return exporter_from_mapping(data, source=str(path))


class _ProfileLoader(yaml.SafeLoader):
    """Safe YAML with duplicate keys refused and dates left as text.

    Leaving ``2026-01-15`` as text lets :func:`exporter_from_mapping` check it like a JSON date and
    name the key in its error; PyYAML's own timestamp parsing fails on ``2026-02-30`` with a bare
    ``ValueError`` that names nothing.
    """

    yaml_implicit_resolvers = {  # noqa: RUF012 - PyYAML's own class attribute, replaced not mutated
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }


def _construct_mapping(loader: _ProfileLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _value in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise InputError(f"{loader.name}: duplicate key {key!r} at line {key_node.start_mark.line + 1}")
        seen.add(key)
    return loader.construct_mapping(node)


_ProfileLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_yaml(text: str, path: Path) -> Any:
    loader = _ProfileLoader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as exc:
        raise InputError(f"{path}: cannot be read as YAML: {' '.join(str(exc).split())}") from exc
    finally:
        loader.dispose()


def _load_json(text: str, path: Path) -> Any:
    def no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in pairs:
            if key in result:
                raise InputError(f"{path}: duplicate key {key!r}")
            result[key] = value
        return result

    try:
        return json.loads(text, object_pairs_hook=no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError(
            f"{path}: not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from exc


def exporter_from_mapping(
    data: Mapping[str, Any] | Any, *, source: str = "<profile>", strict_uscc: bool = True
) -> ExporterProfile:
    """Build a profile from parsed YAML/JSON or a form; errors name ``source``, the key and the value.

    With ``strict_uscc=False`` (a form that stores what the user typed and shows a warning) a USCC
    that does not verify gives ``uscc_valid=False`` instead of an error.
    """

    def fail(key: str, message: str) -> InputError:
        return InputError(f"{source}: {key}: {message}")

    if not isinstance(data, Mapping):
        raise InputError(
            f"{source}: expected a mapping of keys ({', '.join(_KEYS)}), got {type(data).__name__}"
        )
    unknown = sorted(str(k) for k in data if k not in _KEYS)
    if unknown:
        raise InputError(f"{source}: unknown key(s) {', '.join(unknown)} (allowed: {', '.join(_KEYS)})")
    missing = [k for k in ("name", "kind") if k not in data]
    if missing:
        raise InputError(f"{source}: missing key(s) {', '.join(missing)}")

    name = data["name"]
    if not isinstance(name, str) or not name.strip():
        raise fail("name", f"expected the enterprise's name as text, got {name!r}")

    kind = data["kind"]
    if kind not in KINDS:
        raise fail("kind", f"expected one of {', '.join(KINDS)}, got {kind!r}")

    code, valid = _uscc(data.get("uscc"), fail, strict_uscc)
    approved_on = _filing(data.get("used_car_filing"), fail)

    authorised = data.get("authorised_by")
    if authorised is None:
        authorised = []
    if not isinstance(authorised, list):
        raise fail("authorised_by", f"expected a list of manufacturer names, got {authorised!r}")
    for index, entry in enumerate(authorised):
        if not isinstance(entry, str) or not entry.strip():
            raise fail(f"authorised_by[{index}]", f"expected a manufacturer name as text, got {entry!r}")

    documents = data.get("project_documents", False)
    if not isinstance(documents, bool):
        raise fail("project_documents", f"expected true or false, got {documents!r}")

    attests = _attests(data.get("attests"), fail)

    return ExporterProfile(
        name=name.strip(),
        uscc=code,
        uscc_valid=valid,
        kind=kind,
        filing_approved_on=approved_on,
        authorised_by=tuple(entry.strip() for entry in authorised),
        project_documents=documents,
        attests=attests,
    )


def _attests(value: Any, fail: _Fail) -> tuple[str, ...]:
    """The attested prohibition facts, in the schema's order; an unknown name is an error."""
    if value is None:
        return ()
    allowed = tuple(schema.PROHIBITION_FACTS)
    if not isinstance(value, list):
        raise fail("attests", f"expected a list of facts ({', '.join(allowed)}), got {value!r}")
    for index, entry in enumerate(value):
        if entry not in allowed:
            raise fail(f"attests[{index}]", f"expected one of {', '.join(allowed)}, got {entry!r}")
    return tuple(name for name in allowed if name in value)


def _uscc(value: Any, fail: _Fail, strict: bool) -> tuple[str | None, bool]:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise fail("uscc", f"expected the 18-character code as text, got {value!r}")
    # An all-digit code written without quotes arrives from YAML as an integer; a USCC never
    # starts with 0, so str() restores it exactly.
    text = str(value)
    try:
        return uscc_code.validate(text), True
    except InvalidIdentifier as exc:
        if not strict:
            return uscc_code.compact(text) or text, False
        message = exc.message
        if isinstance(exc, InvalidChecksum):
            expected = uscc_code.calc_check_digit(text)
            message += f" (expected check character {expected!r})"
        raise fail("uscc", f"{message}; got {text!r}") from exc


def _filing(value: Any, fail: _Fail) -> dt.date | None:
    if value is None:
        return None
    if not isinstance(value, Mapping):
        raise fail(
            "used_car_filing", f"expected a mapping with approved_on, or nothing if not filed, got {value!r}"
        )
    unknown = sorted(str(k) for k in value if k not in _FILING_KEYS)
    if unknown:
        raise fail(
            "used_car_filing", f"unknown key(s) {', '.join(unknown)} (allowed: {', '.join(_FILING_KEYS)})"
        )
    if "approved_on" not in value:
        raise fail("used_car_filing", "missing key approved_on (remove used_car_filing if not filed)")
    approved = value["approved_on"]
    if isinstance(approved, dt.datetime):
        raise fail("used_car_filing.approved_on", f"expected a date YYYY-MM-DD, got a date-time {approved!r}")
    if isinstance(approved, dt.date):
        return approved
    if isinstance(approved, str) and _ISO_DATE.fullmatch(approved.strip()):
        try:
            return dt.date.fromisoformat(approved.strip())
        except ValueError:
            pass
    raise fail("used_car_filing.approved_on", f"expected a date YYYY-MM-DD, got {approved!r}")
