"""Which files make up the law, and how a local law directory is read over the shipped one.

The shipped law is ``src/chuhai/law/`` (data only). A **local law directory** (``--law-dir DIR`` on
the command line, ``CHUHAI_LAW_DIR`` in the environment, ``CHUHAI_DATA_DIR/law`` in the web app) has
the same layout and is read over it, **file by file**:

* a local file at the same relative path as a shipped one **replaces** it entirely (nothing inside a
  file is merged: a local ``rules.yaml`` must hold every rule, a local parameter file every dated
  value of that parameter);
* a local file with a new name **adds** to the law (a calendar year ``calendar/cn-2027.yaml``, a new
  parameter ``parameters/<group>/<name>.yaml``);
* nothing is removed by leaving it out: a parameter is ended with a ``null`` value in its replacing
  file, a rule by its ``in_force.to``.

The result is validated as one law exactly like the shipped one (a local ``references.yaml`` must
still define every id the shipped files cite), and every effective file is folded into the version
hash. Allowed names (anything else, and ``.yml``, is refused with the file named; files and
directories whose name starts with ``.`` are ignored):

``references.yaml``, ``rules.yaml``, ``workflow_rules.yaml``, ``commodity_codes.yaml``,
``markets.yaml``, ``wmi.yaml``, ``declaration_elements.yaml``,
``parameters/<group>/<name>.yaml`` and ``calendar/cn-YYYY.yaml``. The shipped directory also holds
``VERSION`` (the release; a local directory cannot change it) and ``cases/`` (behaviour cases, which
are tests, not law, and are never read from a local directory).

>>> sorted(effective_files(SHIPPED_DIR))[:3]
['calendar/cn-2025.yaml', 'calendar/cn-2026.yaml', 'commodity_codes.yaml']
>>> kind_of("calendar/cn-2027.yaml"), kind_of("parameters/licence/validity_months.yaml")
('calendar', 'parameter')
>>> kind_of("notes.txt") is None
True
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from chuhai.errors import LawError

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "law"
LOCAL_DIR_ENV = "CHUHAI_LAW_DIR"
VERSION_FILE = "VERSION"
CASES_DIR = "cases"

SINGLE_FILES: tuple[str, ...] = (
    "references.yaml",
    "rules.yaml",
    "workflow_rules.yaml",
    "commodity_codes.yaml",
    "markets.yaml",
    "wmi.yaml",
    "declaration_elements.yaml",
)
_PARAMETER = re.compile(r"parameters/[a-z0-9_]+/[a-z0-9_]+\.yaml")
_CALENDAR = re.compile(r"calendar/cn-(\d{4})\.yaml")
ALLOWED = (
    ", ".join(SINGLE_FILES) + ", parameters/<group>/<name>.yaml (lower-case letters, digits, _) "
    "and calendar/cn-YYYY.yaml"
)


@dataclass(frozen=True)
class LawFile:
    """One file of the effective law: its name in the layout, where it is read from, and whether it
    comes from the shipped law or a local directory (``replaces``: the shipped file it stands for)."""

    name: str
    path: Path
    origin: str  # "shipped" | "local"
    replaces: Path | None = None

    @property
    def local(self) -> bool:
        return self.origin == "local"


def kind_of(name: str) -> str | None:
    """``single``, ``parameter`` or ``calendar`` for a name of the layout, else ``None``."""
    if name in SINGLE_FILES:
        return "single"
    if _PARAMETER.fullmatch(name):
        return "parameter"
    if _CALENDAR.fullmatch(name):
        return "calendar"
    return None


def calendar_name(year: int) -> str:
    """The layout name of a year's calendar file, e.g. ``calendar/cn-2027.yaml``."""
    return f"calendar/cn-{year}.yaml"


def parameter_id(name: str) -> str:
    """``parameters/licence/validity_months.yaml`` → ``licence.validity_months``."""
    return ".".join(Path(name).relative_to("parameters").with_suffix("").parts)


def _scan(directory: Path, *, local: bool) -> dict[str, Path]:
    found: dict[str, Path] = {}
    for path in sorted(directory.rglob("*")):
        rel = path.relative_to(directory)
        if any(part.startswith(".") for part in rel.parts) or path.is_dir():
            continue
        name = rel.as_posix()
        if not local and (name == VERSION_FILE or rel.parts[0] == CASES_DIR):
            continue
        if local and name == VERSION_FILE:
            raise LawError(f"{path}: a local law directory cannot change the release (VERSION); remove it")
        if kind_of(name) is None:
            where = "local law directory" if local else "law directory"
            raise LawError(f"{path}: not a file of the {where} layout (allowed: {ALLOWED})")
        found[name] = path
    return found


def effective_files(shipped: Path = SHIPPED_DIR, local: Path | None = None) -> Mapping[str, LawFile]:
    """Every file of the law read over ``shipped`` from ``local`` (see the module docstring), by name.

    A ``local`` directory that does not exist yet adds nothing (the web app's data directory starts
    without one); a ``local`` that is a file is an error.
    """
    if not shipped.is_dir():
        raise LawError(f"{shipped}: law directory not found")
    files = {name: LawFile(name, path, "shipped") for name, path in _scan(shipped, local=False).items()}
    missing = [name for name in SINGLE_FILES if name not in files]
    if missing:
        raise LawError(f"{shipped}: law directory lacks {', '.join(missing)}")
    if local is not None and local.exists() and local.resolve() != shipped.resolve():
        if not local.is_dir():
            raise LawError(f"{local}: the local law directory is not a directory")
        for name, path in _scan(local, local=True).items():
            shipped_file = files.get(name)
            files[name] = LawFile(name, path, "local", shipped_file.path if shipped_file else None)
    return dict(sorted(files.items()))
