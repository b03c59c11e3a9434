"""Factories for complaints and compliments."""

from __future__ import annotations

import datetime as dt
import uuid

import factory
from django.utils import timezone

from ehcp.timeliness import add_working_days
from feedback.models import (
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Audience,
    Complaint,
    ComplaintCategory,
    ComplaintStage,
    Compliment,
    ComplimentFrom,
    Delivery,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    MeetingKind,
    QuestionKind,
    ResponseSource,
    default_rating_options,
)
from feedback.services.forms import feedback_form_create, feedback_forms_seed_defaults
from feedback.services.invitations import invitations_create
from qaf.models import AgencyKind, Partnership
from qaf.tests.factories import AgencyFactory, PartnershipFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    received_on = dt.date(2026, 11, 2)
    category = ComplaintCategory.EHC_PLANS
    stage = ComplaintStage.STAGE_1
    summary = "The plan was issued late and section F is vague."
    response_due_on = factory.LazyAttribute(lambda c: add_working_days(c.received_on, 20))


class ComplimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compliment

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    received_on = dt.date(2026, 11, 2)
    about = "The annual review meeting"
    from_whom = ComplimentFrom.PARENT_CARER
    summary = "Thank you for listening to us."


# --- Voice -------------------------------------------------------------------------------------------------------


class FeedbackFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackForm

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Feedback form {n}")
    audience = Audience.PARENT_CARER


class FeedbackFormVersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackFormVersion

    form = factory.SubFactory(FeedbackFormFactory)
    number = 1
    status = FormVersionStatus.APPROVED
    title = "Tell us about the meeting"
    intro = "It takes about two minutes."
    thank_you = "Thank you."


class FeedbackQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackQuestion

    version = factory.SubFactory(FeedbackFormVersionFactory)
    code = factory.Sequence(lambda n: f"q{n}")
    page = 1
    order = factory.Sequence(int)
    kind = QuestionKind.RATING
    text = factory.Sequence(lambda n: f"Question {n}?")
    options = factory.LazyFunction(default_rating_options)


def default_form(partnership: Partnership, audience: str = Audience.PARENT_CARER) -> FeedbackFormVersion:
    """The approved version of the partnership's default form for an audience (seeding the defaults if needed)."""
    feedback_forms_seed_defaults(partnership=partnership)
    return FeedbackFormVersion.objects.get(
        form__partnership=partnership, form__audience=audience, status=FormVersionStatus.APPROVED
    )


def drafted_form(partnership: Partnership, user=None, **details) -> FeedbackFormVersion:
    """Version 1, a draft, of a new form made as the SQA officer's pages make one (`feedback_form_create`): the
    parent-carer form "After a review", titled "Tell us about the review", unless `details` say otherwise."""
    details = {
        "name": "After a review",
        "audience": Audience.PARENT_CARER,
        "title": "Tell us about the review",
        **details,
    }
    return feedback_form_create(partnership=partnership, user=user, **details).versions.get()


class FeedbackInvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackInvitation

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    version = factory.LazyAttribute(lambda i: default_form(i.partnership, i.audience))
    audience = Audience.PARENT_CARER
    meeting_kind = MeetingKind.ANNUAL_REVIEW
    meeting_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    delivery = Delivery.EMAIL
    contact = "parent@example.com"
    created_at = factory.LazyFunction(timezone.now)
    expires_at = factory.LazyAttribute(lambda i: i.created_at + dt.timedelta(days=30))
    sent_at = factory.LazyAttribute(lambda i: i.created_at)


# The day of the meeting the invitations made by `invited` ask about.
MEETING_ON = dt.date(2026, 3, 2)


def invited(user, agency, recipients, **changes) -> list[FeedbackInvitation]:
    """The invitations `user` makes on `agency`'s behalf through `invitations_create`, one for each of
    `recipients`, after the annual review held on MEETING_ON unless `changes` say otherwise."""
    details = {"meeting_kind": MeetingKind.ANNUAL_REVIEW, "meeting_on": MEETING_ON, **changes}
    return invitations_create(by=user, agency=agency, recipients=recipients, **details)


class FeedbackResponseFactory(factory.django.DjangoModelFactory):
    """A response without answers; add them with FeedbackAnswerFactory or use services.responses.response_submit."""

    class Meta:
        model = FeedbackResponse

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    version = factory.LazyAttribute(lambda r: default_form(r.partnership, r.audience))
    source = ResponseSource.INVITATION
    audience = Audience.PARENT_CARER
    meeting_kind = MeetingKind.ANNUAL_REVIEW
    meeting_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    submission_key = factory.LazyFunction(lambda: uuid.uuid4().hex)


class FeedbackAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackAnswer

    response = factory.SubFactory(FeedbackResponseFactory)
    question = factory.LazyAttribute(lambda a: a.response.version.questions.first())
    values = factory.LazyFunction(lambda: ["good"])
    score = 3


class AdvocacyReturnFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdvocacyReturn

    agency = factory.SubFactory(AgencyFactory, kind=AgencyKind.ADVOCACY)
    partnership = factory.SelfAttribute("agency.partnership")
    year = 2026
    quarter = 3
    status = AdvocacyReturnStatus.DRAFT


# --- Responses, analysis and the board summary ---------------------------------------------------------------------


def response_with_answers(
    *,
    version: FeedbackFormVersion,
    answers: dict,
    agency=None,
    partnership: Partnership | None = None,
    **fields,
) -> FeedbackResponse:
    """A response to `version` with answers keyed by question code: an option value (or a list of them) for
    choice questions, text for free text. Scores come from the question's options, as response_submit does."""
    partnership = partnership or version.form.partnership
    fields.setdefault("audience", version.form.audience)
    response = FeedbackResponseFactory(partnership=partnership, agency=agency, version=version, **fields)
    for code, value in answers.items():
        question = version.questions.get(code=code)
        if question.kind == QuestionKind.FREE_TEXT:
            FeedbackAnswer.objects.create(response=response, question=question, text=value)
            continue
        values = value if isinstance(value, list) else [value]
        score = question.score_for(values[0]) if question.is_scored else None
        FeedbackAnswer.objects.create(response=response, question=question, values=values, score=score)
    return response


def stored_answers(response: FeedbackResponse) -> dict[str, tuple[list[str], str, int | None]]:
    """What was stored of each answer of `response`, by question code: (option values, text, score)."""
    return {a.question.code: (a.values, a.text, a.score) for a in response.answers.select_related("question")}
