from django.urls import path

from . import views

app_name = "imports"

urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/", views.import_create, name="create"),
    path("<uuid:pk>/", views.import_detail, name="detail"),
    path("<uuid:pk>/retry/", views.import_retry, name="retry"),
    path("<uuid:pk>/errors.csv", views.import_errors_csv, name="errors"),
]
