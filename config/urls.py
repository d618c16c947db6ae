from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from dashboard.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("accounts.urls")),
    path("customers/", include("customers.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]

admin.site.site_header = "Customer Management System"
admin.site.site_title = "CMS admin"

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
