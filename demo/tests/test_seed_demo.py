"""`manage.py seed_demo`: the demo partnership, its sign-ins, and children shaped like England's figures."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.contrib.auth import authenticate
from django.core.management import CommandError
from django.utils import timezone

from actions.models import ActionEvent, Escalation, RemedialAction
from audits.models import Audit, AuditPlan
from demo.management.commands import seed_demo as seed_demo_command
from demo.management.commands.seed_demo import demo_delete
from demo.partnership import DEMO_PARTNERSHIP_NAME, SCALES
from demo.tests.demo_days import ORDINARY_DAY, london
from demo.tests.seeding import seed
from ehcp import services as ehcp_services
from ehcp import timeliness
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from ehcp.tests.factories import ChildFactory
from ehcp.timeliness import is_working_day
from feedback.models import (
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Complaint,
    Compliment,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackInvitation,
    FeedbackResponse,
)
from feedback.tests.factories import (
    AdvocacyReturnFactory,
    ComplaintFactory,
    ComplimentFactory,
    FeedbackAnswerFactory,
    FeedbackInvitationFactory,
)
from qaf.models import AgencyKind, Membership, Partnership, Role, User
from qaf.tests.factories import PartnershipFactory, UserFactory

pytestmark = pytest.mark.usefixtures("debug_on")


def demo_children():
    return Child.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)


def snapshot() -> list[tuple]:
    """What makes two demo caseloads the same: each child's identity, need and key dates."""
    return list(
        demo_children()
        .order_by("case_reference")
        .values_list(
            "case_reference",
            "initials",
            "date_of_birth",
            "primary_need",
            "setting_type",
            "looked_after",
            "child_in_need",
            "caseworker__username",
            "plan_ended_on",
            "next_review_due_on",
            "assessments__requested_on",
            "assessments__decision_on",
            "assessments__final_plan_issued_on",
        )
    )


EXPECTED_SIGN_INS = {
    "sqa": (Role.SQA_OFFICER, AgencyKind.SQA),
    "admin": (Role.PARTNERSHIP_ADMIN, AgencyKind.SQA),
    "edu.manager": (Role.AGENCY_MANAGER, AgencyKind.EDUCATION),
    "health.manager": (Role.AGENCY_MANAGER, AgencyKind.HEALTH),
    "care.manager": (Role.AGENCY_MANAGER, AgencyKind.SOCIAL_CARE),
    "sat.manager": (Role.AGENCY_MANAGER, AgencyKind.SAT),
    "auditor": (Role.PRACTITIONER, AgencyKind.EDUCATION),
    "hos.education": (Role.HEAD_OF_SERVICE, AgencyKind.EDUCATION),
    "board": (Role.BOARD_MEMBER, None),
}


def voice_counts() -> tuple[int, ...]:
    return tuple(
        model.objects.filter(**{lookup: DEMO_PARTNERSHIP_NAME}).count()
        for model, lookup in (
            (FeedbackInvitation, "partnership__name"),
            (FeedbackResponse, "partnership__name"),
            (FeedbackAnswer, "response__partnership__name"),
            (Complaint, "partnership__name"),
            (AdvocacyReturn, "partnership__name"),
        )
    )


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_same_seed_gives_the_same_children_and_another_seed_different_ones(db):
    seed(seed=7)
    first = snapshot()
    first_voice = voice_counts()
    seed(seed=7, reset=True)
    again = snapshot()
    # The reset removed the voice too: the same seed gives the same rows, not twice as many.
    assert voice_counts() == first_voice
    assert all(first_voice)
    assert FeedbackInvitation.objects.count() == first_voice[0]
    seed(seed=8, reset=True)
    other = snapshot()

    assert len(first) == SCALES["demo"].children
    assert again == first
    assert other != first
    assert Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).count() == 1


def test_a_seed_that_runs_past_midnight_describes_the_moment_it_began(db):
    """The command dates everything from the moment it starts; the clock passing midnight while it seeds (here
    into a new academic year) changes nothing, though the services it calls check dates against the clock."""
    began = london(2027, 8, 31, 23, 59, 59)
    clock = SimpleNamespace(now=lambda: began, localdate=timezone.localdate)
    with (
        time_machine.travel(began + dt.timedelta(minutes=2), tick=True),
        mock.patch.object(seed_demo_command, "timezone", clock),
    ):
        seed()

    plan = AuditPlan.objects.get(partnership__name=DEMO_PARTNERSHIP_NAME)
    assert plan.academic_year.start_year == 2026
    audits = Audit.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)
    assert audits.exclude(submitted_at=None).exists()
    for field in ("created_at", "started_at", "submitted_at", "moderated_at", "closed_at"):
        assert not audits.filter(**{f"{field}__gt": began}).exists(), field
    actions = RemedialAction.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)
    assert actions.exists()
    for field in ("raised_at", "completed_at", "verified_at"):
        assert not actions.filter(**{f"{field}__gt": began}).exists(), field
    assert not ActionEvent.objects.filter(action__in=actions, at__gt=began).exists()
    escalations = Escalation.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)
    assert escalations.filter(acknowledge_by__lt=began).exists()
    for field in ("raised_at", "acknowledged_at", "resolved_at", "chased_at", "raised_to_sqa_at"):
        assert not escalations.filter(**{f"{field}__gt": began}).exists(), field
    assert not Plan.objects.filter(child__in=demo_children(), issued_on__gt=began.date()).exists()
    assert not FeedbackResponse.objects.filter(
        partnership__name=DEMO_PARTNERSHIP_NAME, submitted_at__gt=began
    ).exists()


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_refuses_when_debug_is_off_unless_forced(db, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        seed()
    assert not Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).exists()

    seed(force=True)
    assert Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).exists()


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_if_empty_leaves_an_existing_demo_untouched(db):
    seed(seed=1)
    partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP_NAME)
    before = snapshot()

    output = seed(seed=2, if_empty=True)

    assert Partnership.objects.get(name=DEMO_PARTNERSHIP_NAME).pk == partnership.pk
    assert snapshot() == before
    assert "edu.manager" in output and "demo-password" in output


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_an_existing_demo_is_refused_without_reset(db):
    seed()

    with pytest.raises(CommandError, match="--reset"):
        seed()


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_a_demo_username_taken_elsewhere_is_refused_and_nothing_is_left_behind(db):
    UserFactory(username="auditor", partnership=PartnershipFactory(name="Real Local Area"))

    with pytest.raises(CommandError, match="auditor"):
        seed()
    assert not Partnership.objects.filter(name=DEMO_PARTNERSHIP_NAME).exists()
    assert User.objects.filter(username="sqa").count() == 0


class SeededDemoChecks:
    """Read-only checks of one demo seeded with the default seed."""

    today: dt.date
    output: str

    def test_demo_sign_ins_have_their_roles_and_sign_in_with_the_demo_password(self):
        partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP_NAME)
        assert len(partnership.council_list) == 2
        for username, (role, kind) in EXPECTED_SIGN_INS.items():
            user = authenticate(username=username, password="demo-password")
            assert user is not None, username
            assert user.partnership == partnership
            memberships = list(Membership.objects.filter(user=user).select_related("agency"))
            assert [m.role for m in memberships] == [role], username
            if kind:
                assert memberships[0].agency.kind == kind, username
            assert username in self.output
        agency_of = {
            m.user.username: m.agency_id
            for m in Membership.objects.filter(
                user__username__in=["edu.manager", "auditor", "hos.education"]
            ).select_related("user")
        }
        assert len(set(agency_of.values())) == 1
        assert authenticate(username="sqa", password="wrong-password") is None

    def test_admin_is_staff_with_admin_permissions_but_not_superuser(self):
        admin = User.objects.get(username="admin")
        assert admin.is_staff and not admin.is_superuser
        assert admin.has_perm("qaf.change_agency")
        assert admin.has_perm("qaf.add_membership")
        assert not admin.has_perm("qaf.delete_agency")
        assert not admin.has_perm("qaf.add_partnership")
        assert not User.objects.get(username="sqa").is_staff

    def test_every_agency_kind_and_several_staff_per_kind(self):
        partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP_NAME)
        kinds = set(partnership.agencies.values_list("kind", flat=True))
        assert kinds >= {k for k in AgencyKind.values if k != AgencyKind.OTHER}
        sat_caseworkers = Membership.objects.filter(
            agency__partnership=partnership, agency__kind=AgencyKind.SAT, role=Role.PRACTITIONER
        )
        assert sat_caseworkers.count() >= 6
        assert Membership.objects.filter(agency__partnership=partnership, role=Role.BOARD_MEMBER).count() >= 3
        assert (
            Membership.objects.filter(
                agency__partnership=partnership,
                role=Role.HEAD_OF_SERVICE,
                agency__kind__in=[AgencyKind.HEALTH, AgencyKind.SOCIAL_CARE],
            ).count()
            >= 2
        )

    def test_primary_need_mix_is_close_to_england(self):
        children = demo_children()
        total = children.count()
        for need, share in [
            ("ASD", 31.5),
            ("SLCN", 21.3),
            ("SEMH", 20.7),
            ("MLD", 10.6),
            ("SLD", 3.9),
            ("PD", 3.9),
        ]:
            actual = 100 * children.filter(primary_need=need).count() / total
            assert abs(actual - share) < 2, (need, actual)
        assert children.filter(primary_need__in=["SPLD", "PMLD", "HI", "VI", "OTH"]).count() > 0

    def test_about_half_of_new_plans_are_issued_within_20_weeks(self):
        issued = NeedsAssessment.objects.filter(child__in=demo_children()).exclude(final_plan_issued_on=None)
        weeks = [(a.final_plan_issued_on - a.requested_on).days / 7 for a in issued]
        on_time = sum(1 for w in weeks if w <= 20) / len(weeks)
        assert 0.35 <= on_time <= 0.60
        # Late plans sometimes carry a recorded exception; on-time ones never need one.
        assert issued.exclude(exception="").exists()

    def test_every_child_has_an_assessment_and_a_few_are_still_being_assessed(self):
        children = demo_children()
        assert NeedsAssessment.objects.filter(child__in=children).count() == children.count()
        in_assessment = children.exclude(plans__kind=PlanKind.FINAL).filter(
            assessments__will_assess__isnull=False
        )
        assert 0 < in_assessment.count() < 0.2 * children.count()
        ceased = children.exclude(plan_ended_on=None)
        assert 0 < ceased.count() < 0.15 * children.count()
        assert not ceased.filter(plan_end_reason="").exists()

    def test_some_reviews_are_overdue(self):
        today = self.today
        with_plans = demo_children().filter(plan_ended_on=None).exclude(next_review_due_on=None)
        overdue = with_plans.filter(next_review_due_on__lt=today)
        assert 0.08 <= overdue.count() / with_plans.count() <= 0.25
        assert (
            AnnualReview.objects.filter(child__in=overdue, meeting_on=None, due_on__lt=today).count()
            == overdue.count()
        )
        amended = AnnualReview.objects.filter(child__in=demo_children(), decision="amend").exclude(
            amended_plan_issued_on=None
        )
        assert amended.exists()
        assert Plan.objects.filter(review__in=amended, kind=PlanKind.FINAL).count() == amended.count()

    def test_next_review_due_on_is_what_the_service_computes(self):
        sample = list(demo_children().order_by("case_reference")[::10])
        seeded = {child.pk: child.next_review_due_on for child in sample}
        for child in sample:
            ehcp_services.child_refresh_review_due(child=child)
        refreshed = dict(Child.objects.filter(pk__in=seeded).values_list("pk", "next_review_due_on"))
        assert refreshed == seeded
        assert any(seeded.values())

    def test_no_date_is_in_the_future_except_scheduled_reviews(self):
        today = self.today
        children = demo_children()
        assert not Plan.objects.filter(child__in=children, issued_on__gt=today).exists()
        assert not AnnualReview.objects.filter(child__in=children, meeting_on__gt=today).exists()
        assert not NeedsAssessment.objects.filter(child__in=children, decision_on__gt=today).exists()
        assert not children.filter(date_of_birth__gt=today).exists()

    def test_decisions_plans_and_review_meetings_are_on_working_days(self):
        children = demo_children()
        days = set(Plan.objects.filter(child__in=children).values_list("issued_on", flat=True))
        days |= set(NeedsAssessment.objects.filter(child__in=children).values_list("decision_on", flat=True))
        for row in AnnualReview.objects.filter(child__in=children).values_list(
            "meeting_on", "decision_on", "amended_plan_issued_on"
        ):
            days |= set(row)
        days.discard(None)
        assert [day for day in sorted(days) if not is_working_day(day)] == []
        assert len(days) > 100

    def test_the_voice_is_seeded_for_the_advocacy_service_and_the_agencies(self):
        partnership = Partnership.objects.get(name=DEMO_PARTNERSHIP_NAME)
        assert FeedbackInvitation.objects.filter(partnership=partnership).count() >= 200
        assert FeedbackResponse.objects.filter(partnership=partnership).exists()
        assert Complaint.objects.filter(partnership=partnership, agency__kind=AgencyKind.SAT).exists()
        returns = AdvocacyReturn.objects.filter(partnership=partnership, agency__kind=AgencyKind.ADVOCACY)
        assert returns.filter(status=AdvocacyReturnStatus.SUBMITTED).count() == 4
        assert returns.filter(status=AdvocacyReturnStatus.DRAFT).count() == 1
        assert "feedback invitations" in self.output and "advocacy returns" in self.output

    def test_setting_type_fits_the_age(self):
        # On the day the demo was seeded (the clock may have passed into the next academic year since).
        for child in demo_children():
            year_group = timeliness.year_group(child.date_of_birth, self.today)
            if child.setting_type == "EY":
                assert year_group < 0, child
            if child.setting_type in ("FE", "SPI", "APP", "NIE"):
                assert year_group >= 12, child
            if child.setting_type in ("MS", "SS", "RP", "ISS", "AP"):
                assert 0 <= year_group <= 13, child
            assert 0 <= child.age_on(self.today) <= 25


def test_reset_deletes_a_demo_whose_agencies_have_complaints_and_compliments(area):
    # Complaints, compliments, feedback and advocacy returns protect their agency (and answers their questions,
    # invitations and responses their form versions): a reset after anyone used them must still succeed.
    ComplaintFactory(agency=area.school, child=ChildFactory(partnership=area.partnership))
    ComplimentFactory(agency=area.school)
    invitation = FeedbackInvitationFactory(
        agency=area.school, child=ChildFactory(partnership=area.partnership)
    )
    FeedbackAnswerFactory(response__agency=area.school, response__invitation=invitation)
    AdvocacyReturnFactory(agency__partnership=area.partnership)

    demo_delete(area.partnership)

    assert not Partnership.objects.filter(pk=area.partnership.pk).exists()
    assert not Complaint.objects.exists() and not Compliment.objects.exists()
    for model in (FeedbackForm, FeedbackInvitation, FeedbackResponse, FeedbackAnswer, AdvocacyReturn):
        assert not model.objects.exists(), model
