"""API resources of the voice: compliments and complaints, feedback forms, invitations and responses, advocacy
returns."""

from rest_framework.routers import SimpleRouter

from feedback.api.views import (
    AdvocacyReturnViewSet,
    ComplaintViewSet,
    ComplimentViewSet,
    FeedbackFormViewSet,
    FeedbackInvitationViewSet,
    FeedbackResponseViewSet,
)

router = SimpleRouter()
router.register("complaints", ComplaintViewSet, basename="api-complaint")
router.register("compliments", ComplimentViewSet, basename="api-compliment")
router.register("feedback-forms", FeedbackFormViewSet, basename="api-feedback-form")
router.register("feedback-invitations", FeedbackInvitationViewSet, basename="api-feedback-invitation")
router.register("feedback-responses", FeedbackResponseViewSet, basename="api-feedback-response")
router.register("advocacy-returns", AdvocacyReturnViewSet, basename="api-advocacy-return")

urlpatterns = router.urls
