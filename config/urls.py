from django.contrib import admin
from django.urls import include, path

from convene.core import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("allauth.urls")),
    path("api/", include("convene.api.urls")),
    path("", include("convene.networks.urls")),
    path("", include("convene.library.urls")),
    path("", include("convene.meetings.urls")),
    path("", include("convene.decisions.urls")),
    path("", include("convene.statements.urls")),
    path("", include("convene.workplans.urls")),
    path("", include("convene.reports.urls")),
    path("", include("convene.accounts.urls")),
]
