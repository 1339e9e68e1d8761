"""URL configuration: the web app under /app/, the REST API under /api/, and the platform admin site.

The addresses of the retired portal pages (before the web app moved under /app/) redirect to their
pages in the app; the calendar feed is still served at its old address, because calendar apps that
subscribed to it do not all follow redirects.
"""

from typing import Any

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chuhai.web.api.api import api
from chuhai.web.observability import healthz, readyz
from chuhai.web.security import admin_login
from chuhai.web.ui import views as ui_views


def _moved(name: str) -> Any:
    return RedirectView.as_view(pattern_name=name, permanent=True, query_string=True)


urlpatterns = [
    # Probes for load balancers and orchestrators (plain HTTP allowed: SECURE_REDIRECT_EXEMPT).
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    path("api/", api.urls),
    # The admin's sign-in throttled like the app's (chuhai.web.security), before the admin's own URL.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/", include("chuhai.web.ui.urls")),
    path("", RedirectView.as_view(pattern_name="ui:dashboard", permanent=False), name="home"),
    # Old addresses of the retired portal.
    path("deadlines/feed/<str:token>.ics", ui_views.deadline_feed, name="legacy_deadline_feed"),
    path("portal/", _moved("ui:dashboard")),
    path("login/", _moved("ui:login")),
    path("deadlines/", _moved("ui:deadlines")),
    path("imports/", _moved("ui:imports")),
    path("imports/<int:job_id>/", _moved("ui:import")),
    path("imports/<int:job_id>/errors/", _moved("ui:import_errors")),
    path("documents/licences/<int:licence_id>/<str:document>", _moved("ui:licence_document")),
    path("documents/vehicles/<int:vehicle_id>/dossier.pdf", _moved("ui:vehicle_dossier")),
]
