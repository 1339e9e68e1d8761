"""The documents take their legal numbers from the law files, not from their own code.

A copy of the law with a different after-sales window (and start) and per-code limit must change
what the documents decide and print; the shipped law must give the numbers the engine uses.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

import pytest

from chuhai.documents import _common, aftersales_request_letters_docx, licence_checklist
from chuhai.documents._common import aftersales_required, aftersales_window, max_per_code
from chuhai.documents.model import Batch
from chuhai.engine.law import load_law, load_law_from
from chuhai.engine.lawfile import LAW_DIR

from .conftest import BYD_NEW, docx_text


def _edited_law(tmp_path: Path, window: tuple[str, int], limit: int) -> Path:
    law_dir = tmp_path / "law"
    shutil.copytree(LAW_DIR, law_dir)
    path = law_dir / "parameters" / "aftersales" / "window_days.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  2026-01-01:\n    value: 180\n", f"  {window[0]}:\n    value: {window[1]}\n")
    path.write_text(text, encoding="utf-8")
    path = law_dir / "parameters" / "licence" / "max_vehicles_per_code.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("value: 20\n", f"value: {limit}\n"), encoding="utf-8"
    )
    return law_dir


def test_shipped_law_gives_the_engines_numbers() -> None:
    law = load_law()
    window = aftersales_window(dt.date(2026, 3, 16))
    assert window is not None
    entry = law.entry("aftersales.window_days", dt.date(2026, 3, 16))
    assert (window.value, window.start, window.confidence) == (entry.value, entry.start, entry.confidence)
    assert aftersales_window(entry.start - dt.timedelta(days=1)) is None  # not in force before its start
    assert max_per_code(dt.date(2026, 3, 16)) == law.value(
        "licence.max_vehicles_per_code", dt.date(2026, 3, 16)
    )


def test_documents_follow_an_edited_law(
    batch: Batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vehicle = next(v for v in batch.vehicles if v.vin == BYD_NEW)
    plain = dataclasses.replace(vehicle, findings=())  # let the window decide, not the engine's finding
    application = batch.licence_application_date
    assert application is not None
    days = (application - vehicle.registration_date).days if vehicle.registration_date else None
    assert days == 70
    assert aftersales_required(plain, application) is True

    edited = load_law_from(_edited_law(tmp_path, ("2026-01-01", 60), limit=3))
    monkeypatch.setattr(_common, "load_law", lambda: edited)
    assert aftersales_required(plain, application) is False  # 70 days > 60
    assert aftersales_required(dataclasses.replace(plain, registration_date=application), application) is True
    letters = aftersales_request_letters_docx(batch)
    assert letters
    assert all("不满60天" in docx_text(data) for data in letters.values())
    # 6 vehicles, at most 2 per code in the batch: within a limit of 3 ...
    assert licence_checklist(batch).item("quantity_per_code").status == "ok"
    strict = load_law_from(_edited_law(tmp_path / "b", ("2026-01-01", 60), limit=1))
    monkeypatch.setattr(_common, "load_law", lambda: strict)
    # ... and over a limit of 1
    assert licence_checklist(batch).item("quantity_per_code").status == "blocked"


def test_the_window_starts_when_the_law_says(
    batch: Batch, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vehicle = dataclasses.replace(next(v for v in batch.vehicles if v.vin == BYD_NEW), findings=())
    application = batch.licence_application_date
    assert application is not None
    later = load_law_from(_edited_law(tmp_path, ("2026-06-01", 180), limit=20))
    monkeypatch.setattr(_common, "load_law", lambda: later)
    assert aftersales_required(vehicle, application) is False  # 2026-03-16 is before the window's start
    assert aftersales_required(vehicle, dt.date(2026, 6, 1)) is True
    text = "".join(docx_text(d) for d in aftersales_request_letters_docx(batch).values())
    assert "自2026-06-01起" in text
