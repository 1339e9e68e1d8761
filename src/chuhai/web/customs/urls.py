"""The customs-declaration pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.customs import views

urlpatterns = [
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<int:declaration_id>/", views.declaration_detail, name="declaration"),
    path(
        "declarations/<int:declaration_id>/<str:action>/", views.declaration_action, name="declaration_action"
    ),
]
