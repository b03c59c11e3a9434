"""Every voice list and report page answers odd query strings with a page, never a server error."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.tests.factories import (
    AdvocacyReturnFactory,
    ComplaintFactory,
    ComplimentFactory,
    FeedbackInvitationFactory,
    FeedbackResponseFactory,
)

PAGES = [
    "feedback:hub",
    "feedback:complaint-list",
    "feedback:compliment-list",
    "feedback:analysis",
    "feedback:response-list",
    "feedback:response-list-csv",
    "feedback:feedback-analysis",
    "feedback:feedback-analysis-csv",
    "feedback:board-summary",
    "feedback:invitation-list",
    "feedback:invitation-list-csv",
    "feedback:invitation-create",
    "feedback:invitation-bulk",
    "feedback:invitation-handouts",
    "feedback:advocacy-list",
    "feedback:advocacy-list-csv",
    "feedback:advocacy-create",
    "feedback:form-list",
    "feedback:form-list-csv",
]

ODD = [
    {"page": "abc"},
    {"page": "-1"},
    {"page": "99999999999999999999"},
    {"agency": "abc", "term": "1.5", "form": "x", "theme": "'"},
    {"agency": "99999999999999999999", "term": "99999999999999999999"},
    {"year": "0", "quarter": "9", "half": "2026-H7"},
    {"year": "99999", "half": "abcd"},
    {"meeting_from-day": "31", "meeting_from-month": "2", "meeting_from-year": "2026"},
    {"meeting_from-day": "1", "meeting_from-month": "1", "meeting_from-year": "1"},
    {"review": "abc", "ids": "1,x,,99999999999999999999", "batch": "soon"},
    {"status": "<script>", "source": "nonsense", "audience": "\x00"},
]


@pytest.fixture
def voice_rows(area):
    FeedbackInvitationFactory(agency=area.school)
    FeedbackResponseFactory(agency=area.school)
    ComplaintFactory(agency=area.school)
    ComplimentFactory(agency=area.school)
    AdvocacyReturnFactory(agency__partnership=area.partnership)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager", "board_member"])
def test_odd_query_strings_never_give_a_server_error(client, request, voice_rows, persona):
    client.force_login(request.getfixturevalue(persona))
    for name in PAGES:
        for params in ODD:
            response = client.get(reverse(name), params)
            assert response.status_code < 500, (name, params, response.status_code)
