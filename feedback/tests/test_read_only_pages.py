"""Pages that only show refuse a POST (and other methods they do not take) with a 405 and change nothing: the
staff pages of complaints, compliments, invitations, responses, the analysis, the board summary and advocacy
returns, and the public form's pages, which stay private to caches."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ehcp.tests.factories import ChildFactory
from feedback import tokens
from feedback.models import FeedbackResponse
from feedback.tests.factories import FeedbackInvitationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(area, forms):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school], case_reference="EHC-1")
    return FeedbackInvitationFactory(agency=area.school, child=child, contact="parent@example.com")


@pytest.mark.parametrize(
    "name",
    [
        "feedback:complaint-list",
        "feedback:compliment-list",
        "feedback:analysis",
        "feedback:response-list",
        "feedback:response-list-csv",
        "feedback:feedback-analysis",
        "feedback:feedback-analysis-csv",
        "feedback:board-summary",
        "feedback:advocacy-list",
        "feedback:advocacy-list-csv",
    ],
)
def test_a_post_to_a_read_only_page_is_refused(client, sqa_officer, name):
    client.force_login(sqa_officer)

    assert client.post(reverse(name), {}).status_code == 405
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize(
    "name, args",
    [
        ("invitation-list", []),
        ("invitation-list-csv", []),
        ("invitation-handouts", []),
        ("invitation-detail", ["pk"]),
        ("invitation-handout", ["pk"]),
    ],
)
def test_a_post_to_a_page_that_only_shows_is_refused(client, agency_manager, invitation, name, args):
    client.force_login(agency_manager)
    url = reverse(f"feedback:{name}", args=[invitation.pk for _ in args])
    assert client.post(url, {"withdraw": "yes"}).status_code == 405
    query = f"?ids={invitation.pk}" if name == "invitation-handouts" else ""
    assert client.get(url + query).status_code == 200
    invitation.refresh_from_db()
    assert invitation.withdrawn_at is None and invitation.contact == "parent@example.com"


def test_the_public_pages_that_only_show_refuse_a_post(client, invitation, area):
    token = tokens.invitation_token(invitation)
    slug = area.partnership.slug
    for url in [
        reverse("feedback_public:index"),
        reverse("feedback_public:form", args=[token]),
        reverse("feedback_public:form-done", args=[token]),
        reverse("feedback_public:general-done", args=[slug]),
    ]:
        response = client.post(url, {"meeting_overall": "good"})
        assert response.status_code == 405, url
        assert "no-store" in response["Cache-Control"]  # still private
    for url in [
        reverse("feedback_public:form-page", args=[token, 1]),
        reverse("feedback_public:form-check", args=[token]),
        reverse("feedback_public:general", args=[slug]),
    ]:
        assert client.put(url).status_code == 405, url
    assert not FeedbackResponse.objects.exists()
