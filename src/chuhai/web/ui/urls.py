"""Addresses of the web interface (mounted under ``/app/`` by ``chuhai.web.urls``).

The shell (sign-in, language, dashboard, deadlines and their calendar feed, the rule library) is
here; each area app lists its own pages in its ``urls.py``, all in the one ``ui`` namespace.
"""

from django.urls import path

from chuhai.web.aftersales import urls as aftersales
from chuhai.web.customs import urls as customs
from chuhai.web.imports import urls as imports
from chuhai.web.lawbook import urls as lawbook
from chuhai.web.licences import urls as licences
from chuhai.web.organisations import urls as organisations
from chuhai.web.ui import views
from chuhai.web.vehicles import urls as vehicles

app_name = "ui"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("language/", views.set_language, name="language"),
    *vehicles.urlpatterns,
    *imports.urlpatterns,
    *licences.urlpatterns,
    *customs.urlpatterns,
    path("deadlines/", views.deadline_calendar, name="deadlines"),
    path("deadlines/feed/", views.feed_rotate, name="feed_rotate"),
    path("deadlines/feed/<str:token>.ics", views.deadline_feed, name="deadline_feed"),
    *organisations.urlpatterns,
    *aftersales.urlpatterns,
    path("rules/", views.rule_list, name="rules"),
    path("rules/<str:rule_id>/", views.rule_detail, name="rule"),
    *lawbook.urlpatterns,
    path("assets/<str:name>", views.asset, name="asset"),
]
