"""Addresses of the law pages (mounted under ``/app/law/`` by ``chuhai.web.urls``)."""

from django.urls import path

from chuhai.web.lawbook import views

app_name = "lawbook"

urlpatterns = [
    path("", views.law, name="law"),
    path("notice/", views.notice, name="notice"),
    path("check/", views.check, name="check"),
    path("changes/<int:change_id>/", views.change_detail, name="change"),
]
