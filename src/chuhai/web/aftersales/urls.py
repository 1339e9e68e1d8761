"""The after-sales pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.aftersales import views

urlpatterns = [
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/outlets/", views.outlet_create, name="outlet_create"),
    path("contracts/outlets/<int:outlet_id>/delete/", views.outlet_delete, name="outlet_delete"),
    path("contracts/<int:contract_id>/<str:action>/", views.contract_action, name="contract_action"),
]
