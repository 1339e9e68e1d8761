"""Per-user settings of the web interface: the language each person reads the pages in."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserPreference(models.Model):
    """Kept beside the user (not on the case-management models): only the pages need it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="ui_preference",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10)  # one of settings.LANGUAGES

    class Meta:
        verbose_name = _("user preference")
        verbose_name_plural = _("user preferences")

    def __str__(self) -> str:
        return f"{self.user} ({self.language})"
