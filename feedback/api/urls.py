"""API resources of compliments and complaints."""

from rest_framework.routers import SimpleRouter

from feedback.api.views import ComplaintViewSet, ComplimentViewSet

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaint")
router.register("compliments", ComplimentViewSet, basename="api-compliment")

urlpatterns = router.urls
