"""URL configuration: the pages (portal), the REST API under /api/, and the platform admin site."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chuhai.web.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/law/", include("chuhai.web.lawbook.urls")),
    path("app/", include("chuhai.web.ui.urls")),
    # The web app lives under /app/; the portal keeps the feeds, uploads and document downloads.
    path("", RedirectView.as_view(pattern_name="ui:dashboard", permanent=False), name="home"),
    path("", include("chuhai.web.portal.urls")),
]
