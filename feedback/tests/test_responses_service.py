"""The response service and the invitation token: the rules every public submission goes through, links of a
partnership whose slug has capitals, and the low-rating alert (once, only for answers that count, retried when
mail or Notify is down)."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from celery.exceptions import Retry
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from feedback import tokens
from feedback.models import (
    FREE_TEXT_MAX_LENGTH,
    Audience,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    QuestionKind,
    ResponseSource,
)
from feedback.services import responses
from feedback.services.responses import InvitationUnusable, response_submit
from feedback.tests.factories import (
    FeedbackFormVersionFactory,
    FeedbackInvitationFactory,
    FeedbackQuestionFactory,
    FeedbackResponseFactory,
    default_form,
    stored_answers,
)
from qaf import notify
from qaf.models import Role
from qaf.tests.factories import member

PARENT_ANSWERS = {
    "meeting_overall": "good",
    "listened": "completely",
    "papers_in_time": "yes",
    "child_views": "well",
    "next_steps": "no",
    "do_better": "Send the papers earlier.",
}


@pytest.fixture
def invitation(area):
    return FeedbackInvitationFactory(agency=area.sat)


# --- tokens ---------------------------------------------------------------------------------------------------


def test_token_round_trip_finds_the_invitation(invitation):
    token = tokens.invitation_token(invitation)
    assert tokens.invitation_for_token(token) == invitation
    assert tokens.invitation_token(invitation) == token  # stable, so a handout can be reprinted


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
        lambda t: t.replace(".", "-", 1),  # shape broken
        lambda t: "",
        lambda t: "x" * 5000,
        lambda t: t + "/../..",
        lambda t: "<script>." + t.split(".", 1)[1],
    ],
)
def test_a_forged_or_malformed_token_finds_nothing(invitation, mangle):
    assert tokens.invitation_for_token(mangle(tokens.invitation_token(invitation))) is None


def test_another_partnerships_slug_fails_the_signature_and_the_lookup(invitation, other_area):
    token = tokens.invitation_token(invitation)
    slug, public_id, signature = token.split(".")
    other_slug = other_area.sat.partnership.slug
    assert tokens.invitation_for_token(f"{other_slug}.{public_id}.{signature}") is None
    # Even correctly signed (which needs SECRET_KEY), the lookup stays inside the named partnership.
    resigned = tokens._signer().sign(f"{other_slug}.{public_id}")
    assert tokens.token_parse(resigned) is not None
    assert tokens.invitation_for_token(resigned) is None


def test_public_ids_are_random_and_long(area):
    ids = {FeedbackInvitationFactory(agency=area.sat).public_id for _ in range(20)}
    assert len(ids) == 20
    assert all(len(public_id) >= 22 for public_id in ids)


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


# --- answers --------------------------------------------------------------------------------------------------


def test_submit_stores_answers_with_scores_and_closes_the_invitation(invitation):
    response, created = response_submit(
        version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="k1"
    )
    assert created
    invitation.refresh_from_db()
    assert invitation.responded_at == response.submitted_at
    assert invitation.contact == ""  # erased once answered
    assert response.source == ResponseSource.INVITATION
    assert (response.agency, response.audience, response.meeting_on) == (
        invitation.agency,
        Audience.PARENT_CARER,
        invitation.meeting_on,
    )
    stored = stored_answers(response)
    assert stored == {
        "meeting_overall": (["good"], "", 3),
        "listened": (["completely"], "", 3),
        "papers_in_time": (["yes"], "", 1),
        "child_views": (["well"], "", 3),
        "next_steps": (["no"], "", 0),
        "do_better": ([], "Send the papers earlier.", None),
    }


def test_unanswered_required_questions_and_unknown_options_are_refused(invitation):
    answers = {**PARENT_ANSWERS, "listened": "", "meeting_overall": "superb"}
    with pytest.raises(ValidationError) as error:
        response_submit(
            version=invitation.version, invitation=invitation, answers=answers, submission_key="k"
        )
    assert set(error.value.message_dict) == {"listened", "meeting_overall"}
    assert not FeedbackResponse.objects.exists()


def test_oversize_text_is_refused_not_cut(invitation):
    answers = {**PARENT_ANSWERS, "do_better": "x" * (FREE_TEXT_MAX_LENGTH + 1)}
    with pytest.raises(ValidationError) as error:
        response_submit(
            version=invitation.version, invitation=invitation, answers=answers, submission_key="k"
        )
    assert "do_better" in error.value.message_dict
    assert not FeedbackResponse.objects.exists()
    answers["do_better"] = "x" * FREE_TEXT_MAX_LENGTH
    response, _ = response_submit(
        version=invitation.version, invitation=invitation, answers=answers, submission_key="k"
    )
    assert len(response.answers.get(question__code="do_better").text) == FREE_TEXT_MAX_LENGTH


def test_choose_several_keeps_each_value_once_and_refuses_strangers(area):
    version = default_form(area.sat.partnership, Audience.STAFF)
    invitation = FeedbackInvitationFactory(agency=area.sat, audience=Audience.STAFF, version=version)
    base = {"outcomes_confidence": "very", "provision_confidence": "not", "qa_helps": "yes"}
    with pytest.raises(ValidationError):
        response_submit(
            version=version,
            invitation=invitation,
            answers={**base, "training": ["pfa", "juggling"]},
            submission_key="a",
        )
    response, _ = response_submit(
        version=version,
        invitation=invitation,
        answers={**base, "training": ["pfa", "views", "pfa"]},
        submission_key="b",
    )
    assert response.answers.get(question__code="training").values == ["pfa", "views"]


def test_script_text_is_stored_verbatim(invitation):
    script = "<script>alert('x')</script>"
    response, _ = response_submit(
        version=invitation.version,
        invitation=invitation,
        answers={**PARENT_ANSWERS, "do_better": script},
        submission_key="k",
    )
    assert response.answers.get(question__code="do_better").text == script


# --- single use -------------------------------------------------------------------------------------------------


def test_the_same_submit_twice_makes_one_response(invitation):
    first, created = response_submit(
        version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="same"
    )
    again, created_again = response_submit(
        version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="same"
    )
    assert (created, created_again) == (True, False)
    assert again == first
    assert FeedbackResponse.objects.count() == 1
    assert FeedbackAnswer.objects.count() == 6


def test_a_used_invitation_refuses_another_submit(invitation):
    response_submit(
        version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="1"
    )
    with pytest.raises(InvitationUnusable) as error:
        response_submit(
            version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="2"
        )
    assert error.value.reason == "used"
    assert FeedbackResponse.objects.count() == 1


def test_an_expired_or_withdrawn_invitation_refuses(area):
    expired = FeedbackInvitationFactory(agency=area.sat)
    withdrawn = FeedbackInvitationFactory(agency=area.sat, withdrawn_at=timezone.now())
    with time_machine.travel(expired.expires_at + dt.timedelta(seconds=1)):
        with pytest.raises(InvitationUnusable) as error:
            response_submit(
                version=expired.version, invitation=expired, answers=PARENT_ANSWERS, submission_key="e"
            )
    assert error.value.reason == "expired"
    with pytest.raises(InvitationUnusable) as error:
        response_submit(
            version=withdrawn.version, invitation=withdrawn, answers=PARENT_ANSWERS, submission_key="w"
        )
    assert error.value.reason == "withdrawn"
    assert not FeedbackResponse.objects.exists()


def test_the_database_allows_one_response_per_invitation(invitation):
    FeedbackResponseFactory(agency=invitation.agency, invitation=invitation)
    with pytest.raises(IntegrityError):
        FeedbackResponseFactory(agency=invitation.agency, invitation=invitation)


def test_the_version_must_be_the_invitations(invitation, area):
    other = default_form(area.sat.partnership, Audience.PROFESSIONAL)
    with pytest.raises(ValidationError):
        response_submit(version=other, invitation=invitation, answers={}, submission_key="k")


# --- general form ---------------------------------------------------------------------------------------------


def test_a_general_response_belongs_to_the_partnership_and_an_agency_of_it(area, other_area):
    partnership = area.sat.partnership
    version = default_form(partnership, Audience.PUBLIC)
    answers = {"who": "parent_carer", "experience": "poor", "tell_us": "Hard to reach anyone."}
    with pytest.raises(ValidationError):
        response_submit(
            version=version,
            partnership=partnership,
            agency=other_area.sat,
            answers=answers,
            submission_key="g",
        )
    response, created = response_submit(
        version=version, partnership=partnership, agency=area.sat, answers=answers, submission_key="g"
    )
    assert created and response.source == ResponseSource.GENERAL and response.agency == area.sat
    assert response.invitation is None
    with pytest.raises(ValidationError):  # another partnership's form
        response_submit(
            version=version, partnership=other_area.sat.partnership, answers=answers, submission_key="h"
        )


# --- the low-rating alert ---------------------------------------------------------------------------------------


def test_a_lowest_rating_alerts_the_agency_managers_once(invitation, django_capture_on_commit_callbacks):
    manager = member(invitation.agency, Role.AGENCY_MANAGER, username="sat.boss")
    with django_capture_on_commit_callbacks(execute=True):
        response, _ = response_submit(
            version=invitation.version,
            invitation=invitation,
            answers={**PARENT_ANSWERS, "meeting_overall": "very_poor"},
            submission_key="low",
        )
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert f"/feedback/responses/{response.pk}/" in mail.outbox[0].body
    assert invitation.child is None or invitation.child.case_reference not in mail.outbox[0].body
    assert responses.response_alert_send(response=response) is False  # once
    assert len(mail.outbox) == 1


def test_a_failed_alert_loses_no_response(invitation, django_capture_on_commit_callbacks):
    member(invitation.agency, Role.AGENCY_MANAGER, username="sat.boss")
    with mock.patch("django.core.mail.send_mail", side_effect=smtplib.SMTPException("down")):
        # In-process Celery re-raises the mail error when the on-commit callback runs: after the commit.
        with pytest.raises((smtplib.SMTPException, Retry)):
            with django_capture_on_commit_callbacks(execute=True):
                response_submit(
                    version=invitation.version,
                    invitation=invitation,
                    answers={**PARENT_ANSWERS, "meeting_overall": "very_poor"},
                    submission_key="low",
                )
    response = FeedbackResponse.objects.get()
    assert response.answers.count() == 6
    assert response.alerted_at is None
    invitation.refresh_from_db()
    assert invitation.responded_at is not None


def test_no_alert_without_a_lowest_rating(invitation, django_capture_on_commit_callbacks):
    member(invitation.agency, Role.AGENCY_MANAGER, username="sat.boss")
    with django_capture_on_commit_callbacks(execute=True):
        response_submit(
            version=invitation.version, invitation=invitation, answers=PARENT_ANSWERS, submission_key="ok"
        )
    assert mail.outbox == []


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
