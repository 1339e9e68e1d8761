"""Addresses of the web interface (mounted under ``/app/`` by ``chuhai.web.urls``)."""

from django.urls import path

from chuhai.web.ui import views

app_name = "ui"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("language/", views.set_language, name="language"),
    path("vehicles/", views.vehicle_list, name="vehicles"),
    path("vehicles/bulk/", views.vehicle_bulk, name="vehicle_bulk"),
    path("vehicles/<int:vehicle_id>/", views.vehicle_detail, name="vehicle"),
    path("vehicles/<int:vehicle_id>/facts/", views.vehicle_correct, name="vehicle_correct"),
    path("vehicles/<int:vehicle_id>/<str:name>/", views.vehicle_transition, name="vehicle_transition"),
    path("imports/", views.import_list, name="imports"),
    path("imports/<int:job_id>/", views.import_detail, name="import"),
    path("imports/<int:job_id>/status/", views.import_status, name="import_status"),
    path("imports/<int:job_id>/errors/", views.import_errors, name="import_errors"),
    path("licences/", views.licence_list, name="licences"),
    path("licences/plan/", views.licence_plan, name="licence_plan"),
    path("licences/<int:licence_id>/", views.licence_detail, name="licence"),
    path("licences/<int:licence_id>/<str:action>/", views.licence_action, name="licence_action"),
    path("declarations/", views.declaration_list, name="declarations"),
    path("declarations/<int:declaration_id>/", views.declaration_detail, name="declaration"),
    path(
        "declarations/<int:declaration_id>/<str:action>/", views.declaration_action, name="declaration_action"
    ),
    path("deadlines/", views.deadline_calendar, name="deadlines"),
    path("deadlines/feed/", views.feed_rotate, name="feed_rotate"),
    path("enterprise/", views.enterprise, name="enterprise"),
    path("enterprise/<str:action>/", views.enterprise_action, name="enterprise_action"),
    path("contracts/", views.contract_list, name="contracts"),
    path("contracts/outlets/", views.outlet_create, name="outlet_create"),
    path("contracts/outlets/<int:outlet_id>/delete/", views.outlet_delete, name="outlet_delete"),
    path("contracts/<int:contract_id>/<str:action>/", views.contract_action, name="contract_action"),
    path("users/", views.user_list, name="users"),
    path("users/<int:user_id>/<str:action>/", views.user_action, name="user_action"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<str:rule_id>/", views.rule_detail, name="rule"),
    path("assets/<str:name>", views.asset, name="asset"),
]
