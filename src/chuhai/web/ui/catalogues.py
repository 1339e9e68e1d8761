"""The gettext catalogues of the pages (``chuhai/locale/<lang>/LC_MESSAGES/django.po``).

Source strings are English; the catalogues are Simplified Chinese, Russian and Arabic. ``.mo`` files
are written with Babel's pure-Python writer, so neither running nor testing needs GNU gettext.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
LANGUAGES = ("zh_Hans", "ru", "ar")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


def read(lang: str) -> Catalog:
    with po_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang.replace("_Hans", ""))


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def compile_stale() -> list[Path]:
    """Write the .mo of every catalogue whose .mo is missing or older than the .po; return the paths."""
    written: list[Path] = []
    for lang in LANGUAGES:
        po = po_path(lang)
        mo = po.with_suffix(".mo")
        if not po.exists():
            continue
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        # Written beside and renamed into place: another process starting at the same moment (a test
        # worker) reads either the old file or the new one, never half of one.
        partial = mo.with_name(f"{mo.name}.{os.getpid()}.tmp")
        partial.write_bytes(mo_bytes(read(lang)))
        os.replace(partial, mo)
        written.append(mo)
    return written
