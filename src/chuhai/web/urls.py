"""URL configuration: the pages (portal), the REST API under /api/, and the platform admin site."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chuhai.web.api.api import api
from chuhai.web.security import admin_login

urlpatterns = [
    path("api/", api.urls),
    # The admin's sign-in throttled like the app's (chuhai.web.security), before the admin's own URL.
    path("admin/login/", admin_login),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("app/", include("chuhai.web.ui.urls")),
    # The web app lives under /app/; the portal keeps the feeds, uploads and document downloads.
    path("", RedirectView.as_view(pattern_name="ui:dashboard", permanent=False), name="home"),
    path("", include("chuhai.web.portal.urls")),
]
