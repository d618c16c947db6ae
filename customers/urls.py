from django.urls import path

from . import views

app_name = "customers"

urlpatterns = [
    path("", views.customer_list, name="list"),
    path("new/", views.customer_create, name="create"),
    path("export.csv", views.customer_export_csv, name="export_csv"),
    path("export.xlsx", views.customer_export_xlsx, name="export_xlsx"),
    path("assign/", views.customer_bulk_assign, name="bulk_assign"),
    path("status/", views.customer_bulk_status, name="bulk_status"),
    path("distribute/", views.customer_distribute, name="distribute"),
    path("reassign/", views.customer_reassign_all, name="reassign_all"),
    path("<uuid:pk>/", views.customer_detail, name="detail"),
    path("<uuid:pk>/edit/", views.customer_edit, name="edit"),
    path("<uuid:pk>/status/", views.customer_change_status, name="change_status"),
    path("<uuid:pk>/call/", views.customer_record_call, name="record_call"),
    path("<uuid:pk>/assign/", views.customer_assign, name="assign"),
]
