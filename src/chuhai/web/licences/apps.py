from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicencesConfig(AppConfig):
    name = "chuhai.web.licences"
    label = "licences"
    verbose_name = _("Export licences")
    default_auto_field = "django.db.models.BigAutoField"
