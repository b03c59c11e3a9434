"""API resources of remedial actions and case escalations: actions, escalations."""

from rest_framework.routers import SimpleRouter

from actions.api import views

router = SimpleRouter()
views.register(router)

urlpatterns = router.urls
