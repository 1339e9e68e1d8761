"""Loading the law: every file of the effective layout, validated, into one :class:`Law`.

Loading is cached per pair (shipped directory, local directory): the web app and the bulk engine ask
for the law constantly, and the cached :class:`Law` is immutable. Writing into a local directory
(:func:`chuhai.lawbook.apply_notice`) drops its cache entry, so the next :func:`current` reads the
new file; another process sees it after :func:`refresh` (or its next start).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import threading
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from chuhai.engine.lawfile import Checker
from chuhai.errors import LawError
from chuhai.lawbook.layout import (
    LOCAL_DIR_ENV,
    SHIPPED_DIR,
    VERSION_FILE,
    LawFile,
    effective_files,
    kind_of,
    parameter_id,
)

if TYPE_CHECKING:
    from chuhai.engine.law import Law

_CHINA = dt.timezone(dt.timedelta(hours=8))
_cache: dict[tuple[Path, Path | None], Law] = {}
_lock = threading.RLock()
_configured: Path | None = None
# The last answer of current(), for the hot path (the engine and the web ask constantly).
_fast: tuple[tuple[Path | None, str], dt.date, Law] | None = None


def china_today() -> dt.date:
    """Today's date in China Standard Time: the law's days are Chinese legal days."""
    return dt.datetime.now(_CHINA).date()


def configure(local_dir: Path | str | None) -> None:
    """Read ``local_dir`` over the shipped law in this process from now on (``None``: back to
    ``CHUHAI_LAW_DIR``, or no local directory when it is unset)."""
    global _configured, _fast
    _configured = None if local_dir is None else Path(local_dir)
    _fast = None


def local_dir() -> Path | None:
    """The local law directory in effect: the configured one, else ``$CHUHAI_LAW_DIR``, else none."""
    if _configured is not None:
        return _configured
    value = os.environ.get(LOCAL_DIR_ENV, "").strip()
    return Path(value) if value else None


def _key(shipped: Path, local: Path | None) -> tuple[Path, Path | None]:
    return shipped.resolve(), None if local is None else local.resolve()


def load(local: Path | str | None = None, *, shipped: Path = SHIPPED_DIR) -> Law:
    """The law of ``shipped`` with ``local`` read over it (see :mod:`chuhai.lawbook.layout`), cached."""
    local_path = None if local is None else Path(local)
    key = _key(shipped, local_path)
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = compose(effective_files(shipped, local_path), shipped, local_path)
            _cache[key] = found
    return found


def current() -> Law:
    """The law in force for this process: the shipped law with :func:`local_dir` read over it.

    Titles and descriptions state parameter values for the day the law was loaded; if a stated value
    changes on a later day, the law is read again on that day.
    """
    global _fast
    setting = (_configured, os.environ.get(LOCAL_DIR_ENV, ""))
    today = china_today()
    fast = _fast
    if fast is not None and fast[0] == setting and fast[1] == today:
        return fast[2]
    law = load(local_dir())
    if law.texts_on != today and law.texts_differ(today):
        forget(law.local_dir)
        law = load(local_dir())
    _fast = (setting, today, law)
    return law


def forget(local: Path | str | None = None, *, everything: bool = False) -> None:
    """Drop the cached law of ``local`` (or every cached law), e.g. after writing a local file."""
    global _fast
    with _lock:
        _fast = None
        if everything:
            _cache.clear()
            return
        target = None if local is None else Path(local).resolve()
        for key in [k for k in _cache if k[1] == target]:
            del _cache[key]


def forget_local_dirs() -> None:
    """Drop every cached law read with a local directory (the shipped law stays cached)."""
    global _fast
    with _lock:
        _fast = None
        for key in [k for k in _cache if k[1] is not None]:
            del _cache[key]


def refresh() -> Law:
    """:func:`current`, read again if any effective file changed on disk since it was loaded (for a
    process that another one may write the local directory for)."""
    law = current()
    try:
        now = effective_files(law.directory, law.local_dir)
    except LawError:
        forget(law.local_dir)
        raise
    if {n: _stamp(f.path) for n, f in now.items()} != dict(law.stamps):
        forget(law.local_dir)
        law = current()
    return law


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_mtime_ns, stat.st_size


def load_tree(directory: Path) -> Law:
    """A whole law directory on its own (no local directory, not cached): tests and tools."""
    return compose(effective_files(directory, None), directory, None)


def digest(files: Mapping[str, LawFile]) -> str:
    """sha256 over every effective file, by layout name and bytes (where it was read from is not part
    of it: the same law read from two places has one version)."""
    sha = hashlib.sha256()
    for name, item in sorted(files.items()):
        sha.update(name.encode())
        sha.update(b"\0")
        sha.update(item.path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()


def compose(
    files: Mapping[str, LawFile], shipped: Path, local: Path | None, on: dt.date | None = None
) -> Law:
    """Validate every file and build the :class:`Law` (any problem: :class:`LawError` naming it)."""
    from chuhai import classification, markets, workdays
    from chuhai.engine.law import (
        Law,
        Parameter,
        TextContext,
        _load_parameter,
        _load_references,
        _load_rules,
        _localised,
        check_verified_sources,
    )
    from chuhai.identifiers import vin
    from chuhai.lawbook.declaration_elements import load_declaration_elements
    from chuhai.lawbook.workflow import load_workflow_rules

    texts_on = on or china_today()
    version_file = shipped / VERSION_FILE
    try:
        release = version_file.read_text(encoding="utf-8").strip()
    except OSError as exc:
        raise LawError(f"{version_file}: cannot be read: {exc}") from exc
    if not release:
        raise LawError(f"{version_file}: empty")

    def path(name: str) -> Path:
        return files[name].path

    references = _load_references(path("references.yaml"))
    parameters: dict[str, Parameter] = {}
    for name in files:
        if kind_of(name) == "parameter":
            pid = parameter_id(name)
            parameters[pid] = _load_parameter(path(name), pid, references, texts_on)
    texts = TextContext(references, parameters, texts_on)
    rules = _load_rules(path("rules.yaml"), references, parameters, texts)
    check_verified_sources(
        references,
        parameters,
        rules,
        {parameter_id(name): path(name) for name in files if kind_of(name) == "parameter"},
        path("rules.yaml"),
    )

    def localised(check: Checker, value: object, where: str) -> dict[str, str]:
        return _localised(check, value, where, texts=texts)

    workflow = load_workflow_rules(path("workflow_rules.yaml"), references, rules, localised)
    years = {}
    for name in files:
        if kind_of(name) == "calendar":
            year = workdays.load_year_file(path(name))
            years[year.year] = year
    if not years:
        raise LawError(f"{shipped}: no calendar files (calendar/cn-YYYY.yaml)")
    product_file = "parameters/customs/product_name_pattern.yaml"
    return Law(
        directory=shipped,
        release=release,
        digest=digest(files),
        references=references,
        parameters=parameters,
        rules=rules,
        calendar=workdays.WorkdayCalendar(years),
        commodity=classification.load_commodity_table(
            path=path("commodity_codes.yaml"), references=references
        ),
        product_names=(
            classification.load_product_name_pattern(path=path(product_file)) if product_file in files else ()
        ),
        markets=markets.load_markets(path=path("markets.yaml"), references=references),
        wmi=vin.load_wmi_table(path("wmi.yaml")),
        declaration_elements=load_declaration_elements(path("declaration_elements.yaml"), references),
        workflow_rules=workflow,
        files=dict(files),
        local_dir=local,
        texts_on=texts_on,
        text_parameters=frozenset(texts.named),
        stamps={name: _stamp(item.path) for name, item in files.items()},
    )
