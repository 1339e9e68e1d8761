"""The pages: sign-in/out, dashboard, deadlines and their iCalendar feed, stock-file imports, and the
document downloads the case pages link to."""

from django.urls import path

from chuhai.web.portal import documents, views

app_name = "portal"

urlpatterns = [
    path("portal/", views.dashboard, name="dashboard"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("deadlines/", views.deadline_list, name="deadlines"),
    path("deadlines/feed/rotate/", views.rotate_feed, name="rotate_feed"),
    path("deadlines/feed/<str:token>.ics", views.deadline_feed, name="deadline_feed"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import_detail"),
    path("imports/<int:job_id>/errors/", views.import_errors, name="import_errors"),
    path("imports/<int:job_id>/rerun/", views.import_rerun, name="import_rerun"),
    path(
        "documents/licences/<int:licence_id>/<str:document>",
        documents.licence_document,
        name="licence_document",
    ),
    path(
        "documents/vehicles/<int:vehicle_id>/dossier.pdf", documents.vehicle_dossier, name="vehicle_dossier"
    ),
]
