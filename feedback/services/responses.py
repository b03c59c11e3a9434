"""Taking a response: from an invitation's single-use link or from the partnership's general form.

Every rule a respondent's answers must meet is checked here, whatever the page did first: each value must be one
of the question's options, free text is capped at FREE_TEXT_MAX_LENGTH, required questions must be answered.
A response is written once: a repeated submit carrying the same submission key returns the first response, and an
invitation accepts one response (a database constraint backs both).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import (
    FREE_TEXT_MAX_LENGTH,
    Audience,
    FeedbackAnswer,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    QuestionKind,
    ResponseSource,
)
from qaf.models import Agency, Partnership
from qaf.terms import term_for_day


class InvitationUnusable(Exception):
    """The invitation cannot take a response; `reason` is "used", "expired" or "withdrawn"."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def invitation_state(invitation: FeedbackInvitation, now: dt.datetime | None = None) -> str:
    """The link's state: "open", or why it no longer works: "used", "withdrawn", "expired" (checked in that order)."""
    if invitation.responded_at is not None:
        return "used"
    if invitation.withdrawn_at is not None:
        return "withdrawn"
    if invitation.is_expired(now):
        return "expired"
    return "open"


# An answer checked: (the value to keep, or None when unanswered; the error, or None).
_Checked = tuple[Any, str | None]


def _several_checked(question: FeedbackQuestion, raw: str | Iterable[str] | None) -> _Checked:
    """A "choose several" answer: a list of the question's option values, each once."""
    values = [raw] if isinstance(raw, str) else list(raw or [])
    values = [v for v in values if v]
    if any(question.option(v) is None for v in values):
        return None, "Choose from the options given"
    if not values and question.required:
        return None, f"Select at least one answer to: {question.text}"
    return (list(dict.fromkeys(values)) if values else None), None


def _text_checked(question: FeedbackQuestion, raw: object) -> _Checked:
    """A free-text answer, stripped, at most FREE_TEXT_MAX_LENGTH characters."""
    value = raw.strip() if isinstance(raw, str) else ""
    if len(value) > FREE_TEXT_MAX_LENGTH:
        return None, f"Your answer must be {FREE_TEXT_MAX_LENGTH} characters or fewer"
    if not value and question.required:
        return None, f"Enter an answer to: {question.text}"
    return value or None, None


def _choice_checked(question: FeedbackQuestion, raw: object) -> _Checked:
    """A one-choice answer (rating, yes/no, choose one): one of the question's option values."""
    value = raw if isinstance(raw, str) else ""
    if not value:
        return None, (f"Select an answer to: {question.text}" if question.required else None)
    if question.option(value) is None:
        return None, "Choose from the options given"
    return value, None


def answers_validate(
    *, questions: Iterable[FeedbackQuestion], data: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Check answers for some questions. `data` maps question code to a string (one choice or text) or a list
    of strings (several choices). Returns (cleaned, errors), both keyed by question code; cleaned values are a
    string for single choices and text, a list for several. Unanswered optional questions are left out."""
    cleaned: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question in questions:
        if question.kind == QuestionKind.CHOOSE_SEVERAL:
            value, error = _several_checked(question, data.get(question.code))
        elif question.kind == QuestionKind.FREE_TEXT:
            value, error = _text_checked(question, data.get(question.code))
        else:
            value, error = _choice_checked(question, data.get(question.code))
        if error is not None:
            errors[question.code] = error
        elif value is not None:
            cleaned[question.code] = value
    return cleaned, errors


def _answer_rows(
    response: FeedbackResponse, questions: list[FeedbackQuestion], cleaned: Mapping[str, Any]
) -> list[FeedbackAnswer]:
    rows: list[FeedbackAnswer] = []
    for question in questions:
        if question.code not in cleaned:
            continue
        value = cleaned[question.code]
        if question.kind == QuestionKind.FREE_TEXT:
            rows.append(FeedbackAnswer(response=response, question=question, text=value))
        else:
            values = value if isinstance(value, list) else [value]
            score = question.score_for(values[0]) if question.is_scored else None
            rows.append(FeedbackAnswer(response=response, question=question, values=values, score=score))
    return rows


def _existing(submission_key: str) -> FeedbackResponse | None:
    return FeedbackResponse.objects.filter(submission_key=submission_key).first()


@dataclass(frozen=True)
class _Submission:
    """Where a response comes from: the form version answered, the page's submission key, and the invitation
    it answers or, for a general-form response, the partnership and the agency it is about."""

    version: FeedbackFormVersion
    submission_key: str
    invitation: FeedbackInvitation | None
    partnership: Partnership | None
    agency: Agency | None

    def partnership_id(self) -> int:
        """The partnership the response belongs to, after checking the key, form and agency
        (ValidationError)."""
        version, invitation, partnership = self.version, self.invitation, self.partnership
        if not self.submission_key or len(self.submission_key) > 64:
            raise ValidationError({"submission_key": "The form has expired. Start again."})
        if invitation is not None:
            if invitation.version_id != version.pk:
                raise ValidationError({"version": "This form does not belong to the invitation."})
            return invitation.partnership_id
        if partnership is None:
            raise ValueError("A general response needs its partnership")
        if version.form.partnership_id != partnership.pk or version.status != FormVersionStatus.APPROVED:
            raise ValidationError({"version": "This form is not open for responses."})
        if self.agency is not None and self.agency.partnership_id != partnership.pk:
            raise ValidationError({"agency": "Choose a service from the list"})
        return partnership.pk

    def response_fields(self, partnership_id: int) -> dict[str, Any]:
        """The fields of the new response: from its invitation, or a general-form response's."""
        fields: dict[str, Any] = {
            "partnership_id": partnership_id,
            "version": self.version,
            "submission_key": self.submission_key,
            "submitted_at": timezone.now(),
        }
        invitation = self.invitation
        if invitation is not None:
            fields.update(
                invitation=invitation,
                source=ResponseSource.INVITATION,
                audience=invitation.audience,
                agency_id=invitation.agency_id,
                meeting_kind=invitation.meeting_kind,
                meeting_on=invitation.meeting_on,
                term_id=invitation.term_id
                or getattr(term_for_day(partnership_id, invitation.meeting_on), "pk", None),
            )
        else:
            fields.update(
                source=ResponseSource.GENERAL,
                audience=self.version.form.audience or Audience.PUBLIC,
                agency=self.agency,
                term=term_for_day(partnership_id, timezone.localdate()),
            )
        return fields


def response_submit(
    *,
    version: FeedbackFormVersion,
    answers: Mapping[str, Any],
    submission_key: str,
    invitation: FeedbackInvitation | None = None,
    partnership: Partnership | None = None,
    agency: Agency | None = None,
) -> tuple[FeedbackResponse, bool]:
    """Record a response. With `invitation`, it answers that invitation (whose version must be `version`);
    without one it is a general-form response for `partnership`, optionally about `agency`.

    Returns (response, created). A submit whose key was already used returns the first response with
    created=False. Raises InvitationUnusable when the invitation was used (by another submit), withdrawn or has
    expired, and ValidationError (keyed by question code) when the answers break a rule. Queues the low-rating
    alert on commit; a failure to send it never loses the response.
    """
    submission = _Submission(version, submission_key, invitation, partnership, agency)
    partnership_id = submission.partnership_id()
    questions = list(version.questions.all())
    cleaned, errors = answers_validate(questions=questions, data=answers)
    if errors:
        raise ValidationError(errors)

    with transaction.atomic():
        if invitation is not None:
            invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
            existing = _existing(submission_key)
            if existing is not None:
                return existing, False
            state = invitation_state(invitation)
            if state != "open":
                raise InvitationUnusable(state)
        elif (existing := _existing(submission_key)) is not None:
            return existing, False

        # The invitation as locked above.
        fields = replace(submission, invitation=invitation).response_fields(partnership_id)
        try:
            with transaction.atomic():
                response = FeedbackResponse.objects.create(**fields)
        except IntegrityError:
            # A concurrent submit with the same key (or for the same invitation) got there first.
            existing = _existing(submission_key)
            if existing is not None:
                return existing, False
            raise InvitationUnusable("used") from None
        _response_complete(response, invitation=invitation, questions=questions, cleaned=cleaned)
    return response, True


def _response_complete(
    response: FeedbackResponse,
    *,
    invitation: FeedbackInvitation | None,
    questions: list[FeedbackQuestion],
    cleaned: Mapping[str, Any],
) -> None:
    """Write a new response's answers, mark its invitation answered, and queue the low-rating alert."""
    FeedbackAnswer.objects.bulk_create(_answer_rows(response, questions, cleaned))
    if invitation is not None:
        invitation.responded_at = response.submitted_at
        invitation.contact = ""  # no longer needed: no reminder will be sent
        invitation.save(update_fields=["responded_at", "contact"])
    if response.agency_id and any(_is_lowest(q, cleaned.get(q.code)) for q in questions):
        from feedback import tasks

        transaction.on_commit(lambda: tasks.response_alert.delay(response.pk))


def _lowest(question: FeedbackQuestion) -> int | None:
    scores = [o["score"] for o in question.options if o.get("score") is not None]
    return min(scores) if scores and question.kind == QuestionKind.RATING else None


def _is_lowest(question: FeedbackQuestion, value: object) -> bool:
    """Is `value` the lowest score of a rating question? An answer that deliberately does not count (score
    None, like "Not sure") never is, nor is any answer to a question with no lowest score (yes/no)."""
    lowest = _lowest(question)
    return lowest is not None and isinstance(value, str) and question.score_for(value) == lowest


def response_alert_send(*, response: FeedbackResponse) -> bool:
    """Tell the managers and heads of service of the response's agency that someone gave the lowest rating, with
    the meeting it came from and a link to the response (which holds no personal data). Sends once: returns
    False when already sent or when there is no one to tell. A mail error propagates (the task retries) and
    records nothing; the response itself is never touched beyond `alerted_at`."""
    from django.conf import settings
    from django.core.mail import send_mail
    from django.urls import reverse

    from qaf.models import Membership, Role

    with transaction.atomic():
        response = FeedbackResponse.objects.select_for_update().get(pk=response.pk)
        if response.alerted_at is not None or response.agency_id is None:
            return False
        recipients = sorted(
            set(
                Membership.objects.filter(
                    agency_id=response.agency_id,
                    role__in=[Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE],
                    user__is_active=True,
                )
                .exclude(user__email="")
                .values_list("user__email", flat=True)
            )
        )
        if not recipients:
            return False
        meeting = response.get_meeting_kind_display() or "general feedback"
        when = f" on {response.meeting_on:%-d %B %Y}" if response.meeting_on else ""
        link = settings.SITE_URL.rstrip("/") + reverse("feedback:response-detail", args=[response.pk])
        send_mail(
            subject="Feedback: the lowest rating was given",
            message=(
                f"{response.get_audience_display()} gave the lowest rating to at least one question about "
                f"the {meeting.lower()}{when}.\n\nRead the response: {link}\n"
            ),
            from_email=None,
            recipient_list=recipients,
        )
        response.alerted_at = timezone.now()
        response.save(update_fields=["alerted_at"])
    return True
