"""Fixtures shared by the test packages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from chuhai import lawbook


@pytest.fixture
def fresh_lawbook(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No local law directory (neither configured nor in CHUHAI_LAW_DIR) during the test, and none of
    the laws it read with one left in the lawbook's cache afterwards."""
    monkeypatch.delenv("CHUHAI_LAW_DIR", raising=False)
    lawbook.configure(None)
    yield
    lawbook.configure(None)
    lawbook.forget_local_dirs()
