from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LawbookConfig(AppConfig):
    name = "chuhai.web.lawbook"
    label = "lawbook"
    verbose_name = _("Law updates")
    default_auto_field = "django.db.models.BigAutoField"
