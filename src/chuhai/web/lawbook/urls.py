"""The law pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.lawbook import views

urlpatterns = [
    path("law/", views.law, name="law"),
    path("law/notice/", views.notice, name="law_notice"),
    path("law/check/", views.check, name="law_check"),
    path("law/changes/<int:change_id>/", views.change_detail, name="law_change"),
]
