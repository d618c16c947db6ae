from django.contrib import admin
from django.urls import include, path

from dashboard.views import home
from health.views import healthz

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("customers/", include("customers.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("imports/", include("imports.urls")),
    path("users/", include("accounts.team_urls")),
    path("admin/", admin.site.urls),
    path("healthz/", healthz, name="healthz"),
]

admin.site.site_header = "Customer Management System"
admin.site.site_title = "CMS admin"
