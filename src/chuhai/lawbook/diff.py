"""What differs between two laws — usually the shipped law and the same law with a local law
directory read over it (``chuhai law diff``; the web app shows the same list before an update and
re-screens the stock after it).

Every section of the :class:`~chuhai.engine.law.Law` is compared item by item (a parameter, a rule, a
commodity code, a calendar year, a destination rule, a WMI, a declaration-element list…) and field by
field; the calendar also lists every day whose kind changes (working day, weekend, holiday, make-up
working day). Texts are compared in Chinese (the authoritative language; a translation-only change
shows as a change of the English text).

>>> from chuhai.lawbook import current
>>> law = current()
>>> diff_laws(law, law).changes
()
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from chuhai.engine.law import Law

SECTIONS = (
    "files",
    "parameters",
    "rules",
    "workflow rules",
    "references",
    "commodity codes",
    "calendar",
    "markets",
    "wmi",
    "declaration elements",
)


@dataclass(frozen=True)
class Change:
    section: str
    key: str
    kind: str  # added | removed | changed
    field: str | None = None  # for "changed": which field
    before: str | None = None
    after: str | None = None

    def text(self) -> str:
        if self.kind == "added":
            return f"+ {self.key}" + (f": {self.after}" if self.after else "")
        if self.kind == "removed":
            return f"- {self.key}" + (f": {self.before}" if self.before else "")
        return f"~ {self.key} {self.field}: {self.before} → {self.after}"


@dataclass(frozen=True)
class LawDiff:
    before: str  # law versions
    after: str
    changes: tuple[Change, ...]

    def by_section(self) -> dict[str, list[Change]]:
        out: dict[str, list[Change]] = {}
        for change in self.changes:
            out.setdefault(change.section, []).append(change)
        return out

    def lines(self) -> list[str]:
        out = [f"law {self.before} → {self.after}"]
        if not self.changes:
            out.append("no differences")
            return out
        for section, changes in self.by_section().items():
            out.append(f"{section} ({len(changes)}):")
            out.extend(f"  {c.text()}" for c in changes)
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "from": self.before,
            "to": self.after,
            "changes": [dataclasses.asdict(c) for c in self.changes],
        }


def _show(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    if isinstance(value, Mapping | list | tuple | set | frozenset):
        return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True)
    return str(value)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted(_plain(v) for v in value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _compare(
    section: str, old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]
) -> list[Change]:
    out: list[Change] = []
    for key in sorted(set(old) | set(new)):
        if key not in new:
            out.append(Change(section, key, "removed"))
        elif key not in old:
            out.append(Change(section, key, "added"))
        else:
            for name in list(dict.fromkeys([*old[key], *new[key]])):
                a, b = old[key].get(name), new[key].get(name)
                if _show(a) != _show(b):
                    out.append(Change(section, key, "changed", name, _show(a), _show(b)))
    return out


def _fields(item: Any, skip: Iterable[str] = ()) -> dict[str, Any]:
    skipped = {"path", *skip}
    return {f.name: getattr(item, f.name) for f in dataclasses.fields(item) if f.name not in skipped}


def _parameters(law: Law) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for pid, param in law.parameters.items():
        fields: dict[str, Any] = {"unit": param.unit, "description": param.description.get("zh")}
        for entry in param.values:
            shown = "(ends)" if entry.value is None else _show(entry.value)
            fields[f"from {entry.start.isoformat()}"] = (
                f"{shown} ({entry.confidence.value}; {entry.reference})"
            )
        out[pid] = fields
    return out


def _rules(law: Law) -> dict[str, dict[str, Any]]:
    out = {}
    for rule_id, meta in law.rules.items():
        out[rule_id] = {
            "severity": meta.severity,
            "in force": f"{_show(meta.in_force_from)} → {_show(meta.in_force_to)}",
            "references": meta.references,
            "confidence": meta.confidence,
            "parameters": meta.parameters,
            "deadlines": meta.deadline_kinds,
            "title": meta.title.get("zh"),
            "title (en)": meta.title.get("en"),
            "description": meta.description.get("zh"),
            "message": meta.message.get("zh"),
            "message (en)": meta.message.get("en"),
            "phrases": {g: {c: t.get("zh") for c, t in v.items()} for g, v in meta.phrases.items()},
        }
    return out


def _calendar(old: Law, new: Law) -> list[Change]:
    years_old = {y: old.calendar.year(y) for y in old.calendar.covered_years()}
    years_new = {y: new.calendar.year(y) for y in new.calendar.covered_years()}
    out: list[Change] = []
    for year in sorted(set(years_old) | set(years_new)):
        a, b = years_old.get(year), years_new.get(year)
        if a is None and b is not None:
            notice = b.notice
            out.append(
                Change("calendar", str(year), "added", after=f"{notice.title} ({notice.date.isoformat()})")
            )
            continue
        if b is None:
            out.append(Change("calendar", str(year), "removed"))
            continue
        assert a is not None
        for name in ("title", "date", "url", "reprint", "confidence"):
            va, vb = getattr(a.notice, name), getattr(b.notice, name)
            if _show(va) != _show(vb):
                out.append(Change("calendar", str(year), "changed", f"notice {name}", _show(va), _show(vb)))
        day = dt.date(year, 1, 1)
        while day.year == year:
            ka, kb = old.calendar.day_info(day).kind.value, new.calendar.day_info(day).kind.value
            if ka != kb:
                out.append(Change("calendar", str(year), "changed", day.isoformat(), ka, kb))
            day += dt.timedelta(days=1)
    return out


def _markets(law: Law) -> dict[str, dict[str, Any]]:
    out = {}
    for code, market in law.markets.markets.items():
        out[f"{code}"] = {"name_en": market.name_en, "name_zh": market.name_zh}
        for item in market.rules:
            out[f"{code} {item.id}"] = _fields(item, skip=("note",)) | {"note": item.note.get("zh")}
    return out


def _elements(law: Law) -> dict[str, dict[str, Any]]:
    data = law.declaration_elements
    out: dict[str, dict[str, Any]] = {
        f"list {name}": {
            "description": lst.description,
            "reference": lst.reference_id,
            "confidence": lst.confidence,
            "elements": [f"{e.name} ({e.value}, {e.confidence})" for e in lst.elements],
        }
        for name, lst in data.lists.items()
    }
    out["subheadings"] = dict(data.subheadings)
    out["fuels"] = dict(data.fuels)
    out["engine types"] = {k: f"{v} ({c})" for k, (v, c) in data.engine_types.items()}
    out["complete vehicle"] = {"value": _show(data.complete_vehicle)}
    return out


def _workflow(law: Law) -> dict[str, dict[str, Any]]:
    return {
        k: {"title": v.title.get("zh"), "title (en)": v.title.get("en")}
        for k, v in law.workflow_rules.items()
    }


def diff_laws(old: Law, new: Law) -> LawDiff:
    """Every difference from ``old`` to ``new``, section by section (:data:`SECTIONS` order)."""
    changes: list[Change] = []
    old_files = dict(old.files)
    for name, item in new.files.items():
        if item.local:
            kind = "changed" if name in old_files else "added"
            shown = f"{item.path}" + (" (replaces the shipped file)" if item.replaces else "")
            if kind == "added":
                changes.append(Change("files", name, "added", after=shown))
            elif old_files[name].path != item.path:
                changes.append(
                    Change("files", name, "changed", "read from", str(old_files[name].path), shown)
                )
    changes += _compare("parameters", _parameters(old), _parameters(new))
    changes += _compare("rules", _rules(old), _rules(new))
    changes += _compare("workflow rules", _workflow(old), _workflow(new))
    changes += _compare(
        "references",
        {k: _fields(v) for k, v in old.references.items()},
        {k: _fields(v) for k, v in new.references.items()},
    )
    changes += _compare(
        "commodity codes",
        {e.code: _fields(e) for e in old.commodity.entries()},
        {e.code: _fields(e) for e in new.commodity.entries()},
    )
    changes += _calendar(old, new)
    changes += _compare("markets", _markets(old), _markets(new))
    changes += _compare(
        "wmi", {k: _fields(v) for k, v in old.wmi.items()}, {k: _fields(v) for k, v in new.wmi.items()}
    )
    changes += _compare("declaration elements", _elements(old), _elements(new))
    return LawDiff(old.version, new.version, tuple(changes))
