"""The project URLconf: pages, the API under /api/v1/, its schema and docs, admin and health."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from qaf import health

api_v1 = [
    path("", include("qaf.api.urls")),
    path("", include("ehcp.api.urls")),
    path("", include("audits.api.urls")),
    path("", include("feedback.api.urls")),
]

urlpatterns = [
    path("", include("reporting.urls")),
    path("accounts/", include("qaf.urls_accounts")),
    path("children/", include("ehcp.urls")),
    path("audits/", include("audits.urls")),
    path("feedback/", include("feedback.urls")),
    path("f/", include("feedback.urls_public")),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("admin/", admin.site.urls),
    path("healthz", health.healthz, name="healthz"),
]

handler404 = "qaf.views.not_found"
handler403 = "qaf.views.forbidden"
handler500 = "qaf.views.server_error"
