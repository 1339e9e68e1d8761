"""The rules engine: load the law, screen vehicles as of a date, explain every verdict.

Attributes are loaded lazily so that light modules (identifiers, the calendar) can read law files
through :mod:`chuhai.engine.lawfile` without importing polars pipelines.

>>> from chuhai.engine import load_law
>>> law = load_law()
>>> law.version.startswith(law.release)
True
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "Law": "chuhai.engine.law",
    "load_law": "chuhai.engine.law",
    "load_law_from": "chuhai.engine.law",
    "Confidence": "chuhai.engine.model",
    "Deadline": "chuhai.engine.model",
    "Finding": "chuhai.engine.model",
    "Severity": "chuhai.engine.model",
    "VehicleResult": "chuhai.engine.model",
    "Verdict": "chuhai.engine.model",
    "verdict_of": "chuhai.engine.model",
    "Evaluation": "chuhai.engine.screen",
    "Plan": "chuhai.engine.screen",
    "ScreeningRun": "chuhai.engine.screen",
    "compile_plan": "chuhai.engine.screen",
    "evaluate": "chuhai.engine.screen",
    "screen_parsed": "chuhai.engine.screen",
    "screen_records": "chuhai.engine.screen",
    "check_licence_batch": "chuhai.engine.service",
    "screen_file": "chuhai.engine.service",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'chuhai.engine' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
