"""Team management under /users/: managers add, edit, deactivate and reactivate staff."""

from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("", views.team_list, name="list"),
    path("new/", views.team_create, name="create"),
    path("settings/", views.team_settings, name="settings"),
    path("<uuid:pk>/edit/", views.team_edit, name="edit"),
    path("<uuid:pk>/deactivate/", views.team_deactivate, name="deactivate"),
    path("<uuid:pk>/reactivate/", views.team_reactivate, name="reactivate"),
    path("<uuid:pk>/password/", views.team_set_password, name="set_password"),
]
