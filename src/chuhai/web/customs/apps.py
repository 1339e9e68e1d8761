from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CustomsConfig(AppConfig):
    name = "chuhai.web.customs"
    label = "customs"
    verbose_name = _("Customs")
    default_auto_field = "django.db.models.BigAutoField"
