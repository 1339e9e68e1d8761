from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "chuhai.web.imports"
    label = "imports"
    verbose_name = _("Stock-file imports")
    default_auto_field = "django.db.models.BigAutoField"
