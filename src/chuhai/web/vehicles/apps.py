from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VehiclesConfig(AppConfig):
    name = "chuhai.web.vehicles"
    label = "vehicles"
    verbose_name = _("Vehicles")
    default_auto_field = "django.db.models.BigAutoField"
