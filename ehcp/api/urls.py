"""API routes for children, needs assessments, plans and annual reviews, included under /api/v1/."""

from rest_framework.routers import SimpleRouter

from ehcp.api import views

router = SimpleRouter()
router.register("children", views.ChildViewSet, basename="api-child")
router.register("assessments", views.AssessmentViewSet, basename="api-assessment")
router.register("plans", views.PlanViewSet, basename="api-plan")
router.register("reviews", views.ReviewViewSet, basename="api-review")

urlpatterns = router.urls
