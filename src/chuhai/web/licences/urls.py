"""The export-licence pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.licences import views

urlpatterns = [
    path("licences/", views.licence_list, name="licences"),
    path("licences/plan/", views.licence_plan, name="licence_plan"),
    path("licences/<int:licence_id>/", views.licence_detail, name="licence"),
    path(
        "licences/<int:licence_id>/documents/<str:document>",
        views.licence_document,
        name="licence_document",
    ),
    path("licences/<int:licence_id>/<str:action>/", views.licence_action, name="licence_action"),
]
