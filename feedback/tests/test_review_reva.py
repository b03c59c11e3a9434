"""Review (reva): the invitation and public feedback pages under bad input and other methods, query counts of the
CSV and the handouts, links of a partnership whose slug has capitals, and the low-rating alert's edge."""

from __future__ import annotations

import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.urls import reverse

from ehcp.tests.factories import ChildFactory
from feedback import tokens
from feedback.models import Audience, Delivery, FeedbackInvitation, FeedbackResponse, QuestionKind
from feedback.services.forms import feedback_forms_seed_defaults
from feedback.services.responses import response_submit
from feedback.tests.factories import (
    FeedbackFormVersionFactory,
    FeedbackInvitationFactory,
    FeedbackQuestionFactory,
)
from qaf import notify
from qaf.models import Role
from qaf.tests.factories import member

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"


@pytest.fixture
def forms(area):
    feedback_forms_seed_defaults(partnership=area.partnership)


@pytest.fixture
def invitation(area, forms):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school], case_reference="EHC-1")
    return FeedbackInvitationFactory(agency=area.school, child=child, contact="parent@example.com")


# --- Bad input never gives a 500 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path, status",
    [
        ("?page=abc", 200),
        (f"?page={HUGE}", 200),
        (f"?agency={HUGE}&form={HUGE}&term={HUGE}", 200),
        ("?agency=abc&form=x&term=-1&status=zzz", 200),
        ("?meeting_from_0=31&meeting_from_1=2&meeting_from_2=2026", 200),
        ("?meeting_from_0=1&meeting_from_1=1&meeting_from_2=0001", 200),
        (f"export.csv?agency={HUGE}", 200),
        (f"new/?review={HUGE}", 404),
        ("new/?review=abc", 404),
        (f"handouts/?ids={HUGE}", 404),
        ("handouts/?ids=-1,,", 404),
        (f"handouts/?batch={HUGE}", 404),
        ("handouts/?batch=abc", 404),
        (f"{HUGE}/", 404),
    ],
)
def test_odd_query_strings_get_a_page_not_a_500(client, agency_manager, invitation, path, status):
    client.force_login(agency_manager)
    assert client.get(f"/feedback/invitations/{path}").status_code == status


def test_bad_dates_in_the_filters_are_shown_as_errors(client, agency_manager, invitation):
    client.force_login(agency_manager)
    response = client.get(
        reverse("feedback:invitation-list"),
        {"meeting_from_0": "31", "meeting_from_1": "2", "meeting_from_2": "2026", "status": "waiting"},
    )
    assert "must be a real date" in response.content.decode()
    # The other filters still apply, and what was typed is kept.
    assert response.context["form"]["meeting_from"].value() == ["31", "2", "2026"]
    assert [row["invitation"] for row in response.context["rows"]] == [invitation]


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


# --- Query counts ------------------------------------------------------------------------------------------------


def test_csv_query_count_is_the_same_for_3_and_30(
    client, area, sqa_officer, forms, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    url = reverse("feedback:invitation-list-csv")
    for _ in range(3):
        FeedbackInvitationFactory(agency=area.school)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(10) as small:
        assert len(b"".join(client.get(url).streaming_content).splitlines()) == 4
    for _ in range(27):
        FeedbackInvitationFactory(agency=area.other_school, audience=Audience.PROFESSIONAL)
    with django_assert_max_num_queries(10) as large:
        assert len(b"".join(client.get(url).streaming_content).splitlines()) == 31
    assert len(small.captured_queries) == len(large.captured_queries)


def test_handouts_query_count_is_the_same_for_3_and_30(
    client, area, agency_manager, forms, django_assert_max_num_queries
):
    client.force_login(agency_manager)

    def make(n: int) -> str:
        rows = [
            FeedbackInvitationFactory(agency=area.school, delivery=Delivery.HANDOUT, contact="", sent_at=None)
            for _ in range(n)
        ]
        return ",".join(str(row.pk) for row in rows)

    url = reverse("feedback:invitation-handouts")
    few = make(3)
    client.get(url, {"ids": few})
    with django_assert_max_num_queries(12) as small:
        assert len(client.get(url, {"ids": few}).context["rows"]) == 3
    many = make(30)
    with django_assert_max_num_queries(12) as large:
        assert len(client.get(url, {"ids": many}).context["rows"]) == 30
    assert len(small.captured_queries) == len(large.captured_queries)


# --- Links and alerts --------------------------------------------------------------------------------------------


def test_a_partnership_slug_with_capitals_still_makes_working_links(client, area, forms):
    # A SlugField takes capitals when an admin types the slug; the links must still work.
    area.partnership.slug = "North-Area"
    area.partnership.save(update_fields=["slug"])
    invitation = FeedbackInvitationFactory(agency=area.school)
    token = tokens.invitation_token(invitation)
    assert token.startswith("North-Area.")
    assert tokens.invitation_for_token(token) == invitation
    response = client.get(reverse("feedback_public:form", args=[token]))
    assert response.status_code == 200
    assert "This link is not recognised" not in response.content.decode()


def test_an_answer_that_does_not_count_never_raises_the_low_rating_alert(
    area, django_capture_on_commit_callbacks
):
    member(area.school, Role.AGENCY_MANAGER, username="school.boss")
    version = FeedbackFormVersionFactory(form__partnership=area.partnership)
    FeedbackQuestionFactory(
        version=version,
        code="sure",
        kind=QuestionKind.YES_NO,
        options=[
            {"value": "yes", "label": "Yes", "score": 1},
            {"value": "no", "label": "No", "score": 0},
            {"value": "not_sure", "label": "Not sure", "score": None},
        ],
    )
    FeedbackQuestionFactory(
        version=version,
        code="advice",
        options=[
            {"value": "well", "label": "Well", "score": 2},
            {"value": "badly", "label": "Badly", "score": 1},
            {"value": "none", "label": "I gave no advice", "score": None},
        ],
    )
    with django_capture_on_commit_callbacks(execute=True):
        for key, answers in [
            ("a", {"sure": "not_sure", "advice": "none"}),
            ("b", {"sure": "no", "advice": "well"}),
        ]:
            response_submit(
                version=version,
                answers=answers,
                submission_key=key,
                partnership=area.partnership,
                agency=area.school,
            )
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(
            version=version,
            answers={"sure": "yes", "advice": "badly"},
            submission_key="c",
            partnership=area.partnership,
            agency=area.school,
        )
    assert len(mail.outbox) == 1
    assert FeedbackInvitation.objects.count() == 0


@pytest.mark.parametrize(
    "error",
    [smtplib.SMTPException("down"), notify.NotifyError("Notify could not be reached: timed out")],
)
def test_the_low_rating_alert_is_retried_when_mail_or_notify_is_down(
    area, error, django_capture_on_commit_callbacks
):
    member(area.sat, Role.AGENCY_MANAGER, username="sat.boss")
    invitation = FeedbackInvitationFactory(agency=area.sat)
    with mock.patch("django.core.mail.send_mail", side_effect=error):
        with pytest.raises(Retry):
            with django_capture_on_commit_callbacks(execute=True):
                response_submit(
                    version=invitation.version,
                    invitation=invitation,
                    answers={
                        "meeting_overall": "very_poor",
                        "listened": "completely",
                        "papers_in_time": "yes",
                        "child_views": "well",
                        "next_steps": "no",
                    },
                    submission_key="low",
                )
    assert FeedbackResponse.objects.get().alerted_at is None
