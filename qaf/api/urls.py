"""API routes of the partnership core, included under /api/v1/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from qaf.api import views

router = SimpleRouter()
router.register("agencies", views.AgencyViewSet, basename="api-agency")

urlpatterns = [
    path("auth/token/", views.TokenView.as_view(), name="api-auth-token"),
    *router.urls,
]
