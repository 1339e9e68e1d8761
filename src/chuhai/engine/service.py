"""Entry points the adapters (CLI, web, API) call: screen a file, check a licence batch, render a
stored finding's message in any of the law's languages."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from chuhai.engine.law import Law, load_law
from chuhai.engine.messages import render_message
from chuhai.engine.model import Finding
from chuhai.engine.screen import ScreeningRun, screen_parsed
from chuhai.io.parse import load_vehicle_file
from chuhai.io.profile import ExporterProfile


def screen_file(
    path: Path, exporter: ExporterProfile, as_of: dt.date, law: Law | None = None
) -> ScreeningRun:
    """Read, parse and screen a whole stock file (raises :class:`chuhai.errors.InputError` if unreadable)."""
    parsed = load_vehicle_file(Path(path))
    return screen_parsed(parsed, exporter, as_of, law)


def check_licence_batch(codes: Iterable[str | None], on: dt.date, law: Law | None = None) -> list[Finding]:
    """``licence.quantity_per_code`` for one licence application: one finding per over-full code.

    ``codes`` is the commodity code of each vehicle on the application ("一批一证": at most 20 used
    cars under one code, 2024 No. 6 via secondary summaries).
    """
    law = law or load_law()
    meta = law.rule("licence.quantity_per_code")
    if not meta.in_force(on):
        return []
    entry = law.entry("licence.max_vehicles_per_code", on)
    limit = int(entry.value)
    counts = Counter(c for c in codes if c)
    findings = []
    confidence = min(meta.confidence, entry.confidence, key=lambda c: c.rank)
    for code, count in sorted(counts.items()):
        if count > limit:
            facts: dict[str, object] = {"commodity_code": code, "count": count, "max_vehicles": limit}
            findings.append(
                Finding(
                    rule=meta.id,
                    severity=meta.severity,
                    message_zh=render_message(law, meta.id, "zh", facts),
                    message_en=render_message(law, meta.id, "en", facts),
                    reference=law.cite(meta.references),
                    confidence=confidence,
                    facts=facts,
                )
            )
    return findings
