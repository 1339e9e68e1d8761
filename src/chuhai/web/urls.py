"""URL configuration: the pages (portal), the REST API under /api/, and the platform admin site."""

from django.contrib import admin
from django.urls import include, path

from chuhai.web.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("chuhai.web.portal.urls")),
]
