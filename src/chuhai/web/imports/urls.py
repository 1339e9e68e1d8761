"""The stock-file import pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.imports import views

urlpatterns = [
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import"),
    path("imports/<int:job_id>/status/", views.import_status, name="import_status"),
    path("imports/<int:job_id>/errors/", views.import_errors, name="import_errors"),
    path("imports/<int:job_id>/rerun/", views.import_rerun, name="import_rerun"),
]
