"""The demo's voice (demo/voice.py): deterministic for a seed and a day, shaped like the field (response
rates, mostly positive answers, a third of free text tagged), naming no one, sending nothing, and removed by the
demo's reset."""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from demo import children as demo_children
from demo import partnership as demo_partnership
from demo import voice as demo_voice
from demo.management.commands.seed_demo import demo_delete
from demo.tests.demo_days import DEMO_MOMENT_IDS, DEMO_MOMENTS, ORDINARY_DAY, seeded_on
from demo.voice import MEDIATION_FORM
from ehcp.timeliness import is_working_day
from feedback.models import (
    DEFAULT_KINDS,
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Audience,
    Complaint,
    ComplaintEvent,
    ComplaintStage,
    Compliment,
    Delivery,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackFormDefault,
    FeedbackInvitation,
    FeedbackResponse,
    MeetingKind,
    QuestionKind,
    ResponseSource,
)
from feedback.services.complaints import partnership_feedback_delete
from feedback.services.responses import answers_validate
from qaf.models import Agency, AgencyKind, Partnership

CHILDREN = 400


def build_area(today: dt.date, children: int = CHILDREN) -> Partnership:
    """The demo partnership with its children and reviews, without the (slower) audits."""
    area = demo_partnership.area_seed(scale=demo_partnership.SCALES["demo"], today=today)
    demo_children.children_seed(area=area, count=children, rng=random.Random(1), today=today)
    return area.partnership


def seed(
    partnership: Partnership, today: dt.date, seed: int = 2025, children: int = CHILDREN
) -> dict[str, int]:
    return demo_voice.seed_feedback(partnership=partnership, seed=seed, today=today, children=children)


def snapshot(partnership: Partnership) -> dict[str, list]:
    """What makes two seeds of the voice the same, without primary keys or creation times."""
    invitations = FeedbackInvitation.objects.filter(partnership=partnership)
    answers = FeedbackAnswer.objects.filter(response__partnership=partnership)
    return {
        "invitations": sorted(
            invitations.values_list(
                "child__case_reference", "audience", "delivery", "meeting_on", "agency__name", "contact"
            ).distinct()
        ),
        "answered": sorted(
            invitations.exclude(responded_at=None).values_list(
                "child__case_reference", "audience", "responded_at"
            )
        ),
        "answers": sorted(
            (
                a.response.invitation.child.case_reference if a.response.invitation_id else "general",
                a.response.audience,
                a.question.code,
                tuple(a.values),
                a.text,
                a.score,
                tuple(sorted(t.slug for t in a.themes.all())),
            )
            for a in answers.select_related("response__invitation__child", "question").prefetch_related(
                "themes"
            )
        ),
        "complaints": sorted(
            Complaint.objects.filter(partnership=partnership).values_list(
                "agency__name", "received_on", "category", "stage", "outcome", "summary", "responded_on"
            )
        ),
        "compliments": sorted(
            Compliment.objects.filter(partnership=partnership).values_list(
                "agency__name", "received_on", "about"
            )
        ),
        "advocacy": sorted(
            AdvocacyReturn.objects.filter(partnership=partnership).values_list(
                "year",
                "quarter",
                "status",
                "activities__activity_type",
                "activities__level",
                "activities__count",
            )
        ),
    }


@pytest.mark.django_db
@time_machine.travel(ORDINARY_DAY, tick=True)
def test_the_same_seed_gives_the_same_voice_and_another_seed_a_different_one():
    today = timezone.localdate()
    partnership = build_area(today, children=150)
    first_counts = seed(partnership, today, seed=7, children=150)
    first = snapshot(partnership)

    partnership_feedback_delete(partnership=partnership)
    again_counts = seed(partnership, today, seed=7, children=150)
    again = snapshot(partnership)
    partnership_feedback_delete(partnership=partnership)
    seed(partnership, today, seed=8, children=150)
    other = snapshot(partnership)

    assert first_counts == again_counts
    assert first == again
    assert first["answers"] and first["invitations"] and first["complaints"]
    assert other["answers"] != first["answers"]
    assert other["invitations"] != first["invitations"]


@pytest.fixture(scope="class", params=DEMO_MOMENTS, ids=DEMO_MOMENT_IDS)
def seeded_voice(request, django_db_setup, django_db_blocker):
    """One demo area with its voice, shared by a class of read-only tests at each of the demo days and rolled
    back afterwards."""
    with seeded_on(request.param, django_db_blocker) as today:
        mail.outbox = []
        partnership = build_area(today)
        with transaction.atomic():
            request.cls.counts = seed(partnership, today)
        request.cls.partnership = partnership
        request.cls.today = today
        yield


@pytest.mark.usefixtures("seeded_voice", "db")
class TestSeededVoice:
    partnership: Partnership
    counts: dict[str, int]
    today: dt.date

    def invitations(self):
        return FeedbackInvitation.objects.filter(partnership=self.partnership)

    def test_the_five_default_forms_and_about_300_invitations_tied_to_the_years_reviews(self):
        # The five default forms and the partnership's own form for mediation meetings.
        assert FeedbackForm.objects.filter(partnership=self.partnership).count() == 6
        invitations = self.invitations().select_related("review")
        assert 220 <= invitations.count() <= 400
        assert self.counts["feedback invitations"] == invitations.count()
        today = self.today
        for invitation in invitations:
            assert invitation.review is not None
            assert invitation.review.meeting_on == invitation.meeting_on
            assert invitation.review.child_id == invitation.child_id
            assert (today - invitation.meeting_on).days <= 366 and invitation.meeting_on < today
            assert invitation.version.form.audience == invitation.audience
            assert invitation.term_id is not None

    def test_every_audience_and_meeting_has_a_default_and_reviews_never_get_the_mediation_form(self):
        defaults = {
            (row.audience, row.meeting_kind): row.form.name
            for row in FeedbackFormDefault.objects.filter(partnership=self.partnership).select_related("form")
        }
        assert set(defaults) == {
            (audience, kind) for audience, kinds in DEFAULT_KINDS.items() for kind in kinds
        }
        assert (
            defaults[(Audience.PARENT_CARER, MeetingKind.ANNUAL_REVIEW)] == "Parent or carer: after a meeting"
        )
        mediation = FeedbackForm.objects.get(partnership=self.partnership, name=MEDIATION_FORM["name"])
        assert mediation.meeting_kinds == [MeetingKind.OTHER] and not mediation.defaults.exists()
        assert mediation.versions.get().title == "Tell us about the mediation meeting"
        assert not self.invitations().filter(version__form=mediation).exists()
        codes = list(self.invitations().values_list("short_code", flat=True))
        assert len(set(codes)) == len(codes) and all(len(code) == 8 for code in codes)

    def test_response_rates_are_realistic_and_far_above_the_fields_without_handouts(self):
        def rate(deliveries) -> float:
            rows = self.invitations().filter(delivery__in=deliveries)
            return rows.exclude(responded_at=None).count() / rows.count()

        assert 0.17 <= rate([Delivery.HANDOUT]) <= 0.33
        assert 0.01 <= rate([Delivery.EMAIL, Delivery.SMS]) <= 0.10
        overall = rate(list(Delivery.values))
        assert 0.08 <= overall <= 0.25
        answered = self.invitations().exclude(responded_at=None)
        assert FeedbackResponse.objects.filter(invitation__in=answered).count() == answered.count()
        assert not answered.exclude(contact="").exists()  # contacts go once answered

    def test_answers_keep_the_forms_rules_and_are_mostly_positive(self):
        responses = FeedbackResponse.objects.filter(partnership=self.partnership).prefetch_related(
            "answers__question", "version__questions"
        )
        assert responses.filter(source=ResponseSource.GENERAL).exists()
        for response in responses:
            data = {
                a.question.code: a.text
                if a.question.kind == QuestionKind.FREE_TEXT
                else a.values
                if a.question.kind == QuestionKind.CHOOSE_SEVERAL
                else a.values[0]
                for a in response.answers.all()
            }
            _, errors = answers_validate(questions=response.version.questions.all(), data=data)
            assert errors == {}, (response.pk, errors)
            for answer in response.answers.all():
                if answer.question.is_scored and answer.values:
                    assert answer.score == answer.question.score_for(answer.values[0])
        overall = FeedbackAnswer.objects.filter(
            response__partnership=self.partnership, question__code="meeting_overall"
        )
        good = overall.filter(score__gte=3).count() / overall.count()
        assert 0.6 <= good < 1
        assert overall.filter(score=1).exists()

    def test_a_third_of_free_text_is_tagged_by_the_sqa_officer(self):
        free = FeedbackAnswer.objects.filter(
            response__partnership=self.partnership, question__kind=QuestionKind.FREE_TEXT
        ).exclude(text="")
        tagged = free.exclude(tagged_at=None)
        assert free.count() >= 30
        assert 0.2 <= tagged.count() / free.count() <= 0.5
        assert set(tagged.values_list("tagged_by__username", flat=True)) == {"sqa"}
        assert not tagged.filter(themes=None).exists()
        assert not free.filter(tagged_at=None).exclude(themes=None).exists()

    def test_no_free_text_names_anyone(self):
        names = {first for _, first, _, _, _ in demo_partnership.STAFF} | set(demo_partnership.FIRST_NAMES)
        names |= {last for _, _, last, _, _ in demo_partnership.STAFF}
        word = re.compile(r"[A-Z][a-z']+")
        texts = list(
            FeedbackAnswer.objects.filter(response__partnership=self.partnership)
            .exclude(text="")
            .values_list("text", flat=True)
        )
        for row in Complaint.objects.filter(partnership=self.partnership):
            texts += [row.summary, row.learning, row.remedy, row.lgsco_outcome]
        for row in Compliment.objects.filter(partnership=self.partnership):
            texts += [row.about, row.summary]
        for row in AdvocacyReturn.objects.filter(partnership=self.partnership):
            texts += [row.outcomes, row.feedback, row.challenges, row.learning]
        assert len(texts) > 100
        for text in texts:
            assert not set(word.findall(text)) & names, text
            assert not re.search(r"\b(Mr|Mrs|Ms|Miss|Dr)\.? [A-Z]", text), text

    def test_a_year_of_complaints_and_compliments_per_agency_with_two_ombudsman_enquiries(self):
        agencies = Agency.objects.filter(
            partnership=self.partnership, kind__in=[AgencyKind.SAT, AgencyKind.HEALTH]
        )
        for agency in agencies:
            assert 5 <= Complaint.objects.filter(agency=agency).count() <= 11
            assert 11 <= Compliment.objects.filter(agency=agency).count() <= 19
        complaints = Complaint.objects.filter(partnership=self.partnership)
        assert complaints.filter(stage=ComplaintStage.LGSCO).count() == 2
        assert complaints.exclude(lgsco_reference="").count() == 2
        responded = complaints.exclude(responded_on=None)
        assert 0.5 <= responded.count() / complaints.count() < 1
        assert responded.exclude(outcome="").count() == responded.count()
        assert not responded.filter(responded_on__lt=F("received_on")).exists()
        assert all(is_working_day(day) for day in responded.values_list("responded_on", flat=True))
        assert (
            ComplaintEvent.objects.filter(complaint__in=complaints, kind="logged").count()
            == complaints.count()
        )
        assert complaints.exclude(learning="").exists() and complaints.exclude(themes=None).exists()

    def test_four_submitted_advocacy_returns_and_a_draft(self):
        sendiass = Agency.objects.get(partnership=self.partnership, kind=AgencyKind.ADVOCACY)
        returns = AdvocacyReturn.objects.filter(agency=sendiass).order_by("-year", "-quarter")
        assert [r.status for r in returns] == [AdvocacyReturnStatus.DRAFT] + [
            AdvocacyReturnStatus.SUBMITTED
        ] * 4
        assert all(r.total_activity > 100 for r in returns)
        assert all(r.submitted_by is not None for r in returns[1:])
        assert all(is_working_day(timezone.localdate(r.submitted_at)) for r in returns[1:])
        assert returns[0].period[1] < self.today  # the last quarter that ended

    def test_the_demo_sends_nothing(self):
        assert mail.outbox == []
        waiting = self.invitations().exclude(delivery=Delivery.HANDOUT).filter(responded_at=None)
        assert all(
            "demo.qaf.invalid" in c or c.startswith("+447700900")
            for c in waiting.values_list("contact", flat=True)
            if c
        )


@pytest.mark.django_db
@time_machine.travel(ORDINARY_DAY, tick=True)
def test_the_demo_reset_removes_every_row_of_the_voice(django_capture_on_commit_callbacks):
    today = timezone.localdate()
    partnership = build_area(today, children=120)
    with django_capture_on_commit_callbacks() as queued:
        seed(partnership, today, children=120)
    assert queued == []  # nothing queued: no email, no text message

    demo_delete(partnership)

    assert not Partnership.objects.filter(pk=partnership.pk).exists()
    for model in (
        FeedbackForm,
        FeedbackInvitation,
        FeedbackResponse,
        FeedbackAnswer,
        AdvocacyReturn,
        Complaint,
    ):
        assert not model.objects.exists(), model
