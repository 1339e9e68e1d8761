"""The vehicle pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.vehicles import views

urlpatterns = [
    path("vehicles/", views.vehicle_list, name="vehicles"),
    path("vehicles/bulk/", views.vehicle_bulk, name="vehicle_bulk"),
    path("vehicles/<int:vehicle_id>/", views.vehicle_detail, name="vehicle"),
    path("vehicles/<int:vehicle_id>/dossier.pdf", views.vehicle_dossier, name="vehicle_dossier"),
    path("vehicles/<int:vehicle_id>/facts/", views.vehicle_correct, name="vehicle_correct"),
    path("vehicles/<int:vehicle_id>/<str:name>/", views.vehicle_transition, name="vehicle_transition"),
]
