"""The organisation pages (part of the ``ui`` namespace, mounted under ``/app/``)."""

from django.urls import path

from chuhai.web.organisations import views

urlpatterns = [
    path("enterprise/", views.enterprise, name="enterprise"),
    path("enterprise/<str:action>/", views.enterprise_action, name="enterprise_action"),
    path("users/", views.user_list, name="users"),
    path("users/<int:user_id>/<str:action>/", views.user_action, name="user_action"),
]
