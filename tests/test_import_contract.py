"""The import contract: the core (``src/chuhai`` outside ``web/``) never imports Django or ``chuhai.web``.

Checked twice: statically (every ``import`` statement of every core module, also those inside
functions), and dynamically (importing every core module in a fresh interpreter loads neither).

One exception, named here: the CLI's ``chuhai serve`` and ``chuhai worker`` start the web layer, so
``chuhai/cli.py`` imports ``chuhai.web.runner`` inside those two commands (never at module level:
the dynamic check imports ``chuhai.cli`` too).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import chuhai

CORE = Path(chuhai.__file__).parent
FORBIDDEN = ("django", "ninja", "huey", "chuhai.web")
ALLOWED = {
    ("chuhai/cli.py", "chuhai.web.runner"),
    ("chuhai/cli.py", "chuhai.web.runner.serve"),
    ("chuhai/cli.py", "chuhai.web.runner.worker"),
}


def _core_modules() -> list[Path]:
    return sorted(p for p in CORE.rglob("*.py") if "web" not in p.relative_to(CORE).parts[:1])


def _module_name(path: Path) -> str:
    parts = ("chuhai", *path.relative_to(CORE).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _forbidden(name: str) -> bool:
    return any(name == f or name.startswith(f + ".") for f in FORBIDDEN)


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found: list[tuple[int, str]] = []
    inside = path.is_relative_to(CORE)
    module_name = _module_name(path) if inside else path.stem
    package = module_name if path.name == "__init__.py" else module_name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the module's package
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            found.append((node.lineno, module))
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path: Path) -> None:
    sample = CORE / "rules" / "__init__.py"
    assert _module_name(sample) == "chuhai.rules"
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from django.db import models\n    import chuhai.web.urls\n")
    assert [name for _line, name in _imports(probe) if _forbidden(name)] == [
        "django.db",
        "django.db.models",
        "chuhai.web.urls",
    ]


def test_core_modules_never_import_django_or_the_web_layer() -> None:
    offenders = [
        f"{path.relative_to(CORE.parent)}:{line}: {name}"
        for path in _core_modules()
        for line, name in _imports(path)
        if _forbidden(name) and (str(path.relative_to(CORE.parent)), name) not in ALLOWED
    ]
    assert len(_core_modules()) > 30
    assert offenders == []


@pytest.mark.slow
def test_importing_the_whole_core_loads_no_web_framework() -> None:
    modules = [_module_name(p) for p in _core_modules()]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN[:3]!r} "
        "or m == 'chuhai.web' or m.startswith('chuhai.web.')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
