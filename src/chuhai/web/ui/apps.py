"""The server-rendered web interface (pages in Chinese, English, Russian and Arabic)."""

from __future__ import annotations

import logging

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

log = logging.getLogger("chuhai.web.ui")


class UiConfig(AppConfig):
    name = "chuhai.web.ui"
    label = "ui"
    verbose_name = _("Web interface")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        """Compile any message catalogue whose .mo is missing or older than its .po.

        The compiled catalogues are committed, so this normally does nothing; it spares a developer
        who edited a .po from needing GNU gettext (Babel's pure-Python writer is used instead).
        """
        from chuhai.web.ui.catalogues import compile_stale

        try:
            for path in compile_stale():
                log.info("compiled message catalogue %s", path)
        except OSError as exc:  # a read-only install keeps the committed .mo files
            log.warning("cannot compile message catalogues: %s", exc)
