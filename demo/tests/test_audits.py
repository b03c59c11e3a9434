"""`manage.py seed_demo` also seeds this academic year's audit programme: an approved plan, and audits at every
level in every state, seen by the demo sign-ins the access rules allow."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from audits import access
from audits.models import (
    Audit,
    AuditAssignment,
    AuditEvent,
    AuditPlan,
    AuditPlanStatus,
    AuditStatus,
    AuditTool,
    Moderation,
    Sample,
    SampleItem,
)
from audits.models.grades import GRADE_RANK
from demo.partnership import DEMO_PARTNERSHIP_NAME
from demo.tests.demo_days import ORDINARY_DAY
from demo.tests.seeding import seed, user
from ehcp import access as ehcp_access
from ehcp.timeliness import is_working_day
from qaf import calendar
from qaf.models import Membership

OPEN = (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS)
DONE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)


pytestmark = pytest.mark.usefixtures("debug_on")


def demo_audits():
    return Audit.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)


def snapshot() -> list[tuple]:
    return sorted(demo_audits().values_list("level", "child__case_reference", "status", "overall_grade"))


class SeededAuditChecks:
    today: dt.date
    output: str

    def test_an_approved_plan_for_this_year_has_activities_in_every_half_term(self):
        today = self.today
        plan = AuditPlan.objects.get(
            partnership__name=DEMO_PARTNERSHIP_NAME,
            academic_year__start_year=calendar.academic_year_start(today),
        )
        assert plan.status == AuditPlanStatus.APPROVED
        assert plan.approved_by == user("sqa")
        assert plan.title == f"Annual audit plan {plan.academic_year}"
        half_terms = set(plan.activities.exclude(half_term=None).values_list("half_term__number", flat=True))
        assert half_terms == {1, 2, 3, 4, 5, 6}
        # One Level 4 case review each term, planned for the term as a whole.
        assert plan.activities.filter(level=4, half_term=None).count() == 3
        assert set(demo_audits().values_list("activity__plan", flat=True)) == {plan.pk}
        assert "57 planned activities" in self.output

    def test_audits_at_every_level_in_every_state_with_a_spread_of_grades(self):
        today = self.today
        audits = demo_audits()
        assert set(audits.values_list("level", flat=True)) == {1, 2, 3, 4}
        statuses = set(audits.values_list("status", flat=True))
        assert {AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED} <= statuses
        assert AuditStatus.MODERATED in statuses
        assert audits.filter(status__in=OPEN, due_on__lt=today).exists()
        grades = set(audits.exclude(overall_grade="").values_list("overall_grade", flat=True))
        assert len(grades) >= 3
        # Half terms still to come are only scheduled; done audits have findings and a grade.
        later = audits.filter(activity__half_term__starts_on__gt=today)
        assert not later.exclude(status=AuditStatus.SCHEDULED).exists()
        done = audits.filter(status__in=DONE)
        assert done.count() >= 5
        assert not done.filter(strengths="").exists()
        assert not done.filter(overall_grade="").exists()
        assert not done.filter(submitted_at=None).exists()

    def test_moderators_mostly_agree_and_keep_both_grades(self):
        moderations = list(
            Moderation.objects.filter(audit__in=demo_audits()).select_related("audit", "moderator")
        )
        assert moderations
        assert all(m.moderator.username in ("sqa", "tom.bennett") for m in moderations)
        assert all(m.created_at >= m.audit.submitted_at for m in moderations)
        agreeing = sum(m.overall_grade == m.audit.overall_grade for m in moderations)
        assert agreeing / len(moderations) >= 0.5
        # Nobody moderates an audit they did themselves.
        for moderation in moderations:
            assert not moderation.audit.assignments.filter(user=moderation.moderator).exists()

    def test_the_demo_auditor_has_audits_and_managers_see_their_levels(self):
        auditor = user("auditor")
        assigned = set(AuditAssignment.objects.filter(user=auditor).values_list("audit_id", flat=True))
        assert len(assigned) >= 2
        assert set(access.audits.visible(auditor).values_list("pk", flat=True)) == assigned
        school = Membership.objects.get(user=auditor).agency
        edu_manager = access.audits.visible(user("edu.manager")).filter(level=1, agency=school)
        assert assigned <= set(edu_manager.values_list("pk", flat=True))
        sat_manager = access.audits.visible(user("sat.manager"))
        assert sat_manager.filter(level=2).count() == demo_audits().filter(level=2).count() > 0

    def test_level3_panels_come_from_several_agencies_and_see_their_audits_and_children(self):
        level3 = demo_audits().filter(level=3).select_related("child")
        assert level3.count() >= 6
        for audit in level3:
            members = list(audit.panel_members.select_related("user", "agency"))
            assert len({m.agency_id for m in members}) >= 2, audit
            for member in members:
                assert access.audits.visible(member.user).filter(pk=audit.pk).exists()
                assert ehcp_access.children.visible(member.user).filter(pk=audit.child_id).exists()
        panellists = {m.user.username for a in level3 for m in a.panel_members.select_related("user")}
        assert {"health.manager", "care.manager"} <= panellists

    def test_level3_cases_are_drawn_by_the_rule_with_one_swap_recorded(self):
        level3 = demo_audits().filter(level=3)
        assert not level3.filter(sample_item=None).exists()
        samples = list(Sample.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME, level=3))
        assert samples
        for sample in samples:
            assert "final EHC plan issued in" in sample.rule and f"Seed {sample.seed}." in sample.rule
            drawn = set(sample.items.filter(swapped_out=False).values_list("child_id", flat=True))
            assert set(level3.filter(sample_item__sample=sample).values_list("child_id", flat=True)) == drawn
        assert len({s.seed for s in samples}) == len(samples)
        swapped = SampleItem.objects.get(sample__in=samples, swapped_out=True)
        assert swapped.swap_reason and swapped.replaced_by
        assert not level3.filter(child=swapped.child, sample_item__sample=swapped.sample).exists()

    def test_level4_reviews_are_seen_by_the_board_member_and_level1_audits_are_not(self):
        board = user("board")
        level4 = demo_audits().filter(level=4)
        assert level4.count() == 3
        seen = access.audits.visible(board)
        assert set(seen.filter(level=4)) == set(level4)
        assert not seen.filter(level=1).exists()
        for audit in level4:
            assert audit.case_review.lead_board_member == board
            assert set(audit.assignments.values_list("user__username", flat=True)) == {"board", "sqa"}

    def test_a_reaudit_of_an_earlier_audit_shows_better_grades(self):
        reaudits = demo_audits().exclude(reaudit_of=None).select_related("reaudit_of")
        assert reaudits.count() >= 1
        for audit in reaudits:
            earlier = audit.reaudit_of
            assert earlier.child_id == audit.child_id
            assert earlier.submitted_at < audit.submitted_at
            assert GRADE_RANK[audit.overall_grade] > GRADE_RANK[earlier.overall_grade]

    def test_history_is_dated_in_order_and_never_after_now(self):
        now = timezone.now()
        audits = demo_audits()
        assert not AuditEvent.objects.filter(audit__in=audits, at__gt=now).exists()
        for audit in audits.filter(status__in=DONE):
            assert audit.created_at <= audit.started_at <= audit.submitted_at <= now
            assert audit.moderated_at is None or audit.submitted_at <= audit.moderated_at <= now
        # Assignment emails count as sent when the audit was scheduled: nothing is left to send.
        # (The lead board member of a Level 4 review is assigned by the case review set-up, not emailed.)
        expected = AuditAssignment.objects.filter(audit__in=audits).exclude(
            audit__level=4, user__username="board"
        )
        assert (
            AuditEvent.objects.filter(audit__in=audits, kind="assignment_notified").count()
            == expected.count()
        )
        # The tools were approved, and the samples drawn, before the audits using them were scheduled; and the
        # year's plan was approved before that.
        plan = AuditPlan.objects.get(partnership__name=DEMO_PARTNERSHIP_NAME)
        assert plan.created_at < plan.approved_at
        for audit in audits.select_related("tool_version", "sample_item__sample"):
            assert plan.approved_at < audit.created_at, audit
            assert audit.tool_version.approved_at < audit.created_at, audit
            if audit.sample_item_id:
                assert audit.sample_item.sample.created_at < audit.created_at, audit

    def test_the_audit_work_is_done_on_working_days(self):
        plan = AuditPlan.objects.get(partnership__name=DEMO_PARTNERSHIP_NAME)
        stamps = [plan.created_at, plan.approved_at]
        for audit in demo_audits():
            stamps += [
                audit.created_at,
                audit.started_at,
                audit.submitted_at,
                audit.moderated_at,
                audit.closed_at,
            ]
        stamps += Moderation.objects.filter(audit__in=demo_audits()).values_list("created_at", flat=True)
        days = {timezone.localdate(stamp) for stamp in stamps if stamp is not None}
        assert [day for day in sorted(days) if not is_working_day(day)] == []
        assert len(days) > 5


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_reset_deletes_the_audits_and_seeds_the_same_ones_again_for_the_same_seed(db):
    seed(seed=11)
    first = snapshot()
    seed(seed=11, reset=True)

    assert snapshot() == first
    assert len(first) > 50
    assert AuditPlan.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME).count() == 1
    # Nothing of the first seed is left behind.
    assert Audit.objects.count() == len(first)
    assert (
        AuditTool.objects.count() == AuditTool.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME).count()
    )
