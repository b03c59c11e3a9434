"""The annual audit plan's rules (services) and its progress counts (selectors)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from audits.models import AuditPlanStatus, AuditStatus
from audits.selectors import plans as selectors
from audits.services import plans as services
from audits.tests import test_plans_support as support
from audits.tests.factories import AuditFactory
from qaf.models import Term

pytestmark = support.FROZEN


@pytest.fixture
def years(area):
    return support.years(area.partnership)


@pytest.fixture
def plan(years, sqa_officer):
    return support.plan_for(years[2025], sqa_officer)


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- creating a plan -----------------------------------------------------------------------------------


def test_plan_is_created_as_a_draft_with_a_default_title_and_history(plan, sqa_officer):
    assert plan.status == AuditPlanStatus.DRAFT
    assert plan.title == "Annual audit plan 2025/26"
    assert plan.created_by == sqa_officer
    assert [e.get_change_message() for e in selectors.plan_history(plan)] == ["Plan created"]


def test_one_plan_per_academic_year(plan, years, sqa_officer):
    with pytest.raises(ValidationError) as excinfo:
        support.plan_for(years[2025], sqa_officer)

    assert "already an audit plan for 2025/26" in _errors(excinfo)["academic_year"][0]
    assert support.plan_for(years[2024], sqa_officer).academic_year == years[2024]


def test_academic_year_of_another_partnership_is_refused(area, other_area, sqa_officer):
    elsewhere = support.years(other_area.partnership)[2025]

    with pytest.raises(ValidationError) as excinfo:
        services.audit_plan_create(partnership=area.partnership, academic_year=elsewhere, by=sqa_officer)

    assert "academic_year" in _errors(excinfo)


# --- activities --------------------------------------------------------------------------------------


def test_activity_planned_by_half_term_takes_its_term(plan, area, sqa_officer):
    tool = support.tool(area.partnership, levels=[3])

    activity = support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, tool=tool, half=4)

    assert activity.half_term.number == 4
    assert activity.term == activity.half_term.term and activity.term.name == "spring"


def test_half_term_of_another_year_is_refused(plan, years, area, sqa_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.planned_activity_add(
            plan=plan,
            by=sqa_officer,
            level=1,
            kind="case_audit",
            lead_agency=area.school,
            half_term=support.half_term(years[2024], 2),
        )

    assert "2025/26" in _errors(excinfo)["half_term"][0]
    assert not plan.activities.exists()


def test_term_of_another_year_is_refused(plan, years, area, sqa_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.planned_activity_add(
            plan=plan,
            by=sqa_officer,
            kind="themed_audit",
            lead_agency=area.sqa,
            term=Term.objects.get(academic_year=years[2024], number=1),
        )

    assert "term" in _errors(excinfo)


def test_a_term_or_half_term_is_required(plan, area, sqa_officer):
    with pytest.raises(ValidationError) as excinfo:
        services.planned_activity_add(plan=plan, by=sqa_officer, kind="case_audit", lead_agency=area.sqa)

    assert "half_term" in _errors(excinfo)


def test_whole_term_activity_is_accepted(plan, years, area, sqa_officer):
    term = Term.objects.get(academic_year=years[2025], number=2)

    activity = services.planned_activity_add(
        plan=plan, by=sqa_officer, kind="observation", lead_agency=area.sqa, term=term
    )

    assert activity.term == term and activity.half_term is None and activity.level is None


def test_tool_that_does_not_serve_the_level_is_refused(plan, area, sqa_officer):
    plan_tool = support.tool(area.partnership, levels=[1, 2], name="Plan audit")

    with pytest.raises(ValidationError) as excinfo:
        support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, tool=plan_tool)

    assert _errors(excinfo)["tool"] == ["Plan audit does not serve level 3 audits; choose a tool that does"]
    assert (
        support.activity(plan, sqa_officer, level=2, lead_agency=area.sat, tool=plan_tool).tool == plan_tool
    )


def test_tool_and_agency_of_another_partnership_are_refused(plan, area, other_area, sqa_officer):
    foreign_tool = support.tool(other_area.partnership, levels=[1])

    with pytest.raises(ValidationError) as excinfo:
        support.activity(plan, sqa_officer, level=1, lead_agency=other_area.school, tool=foreign_tool)

    assert {"tool", "lead_agency"} <= set(_errors(excinfo))


@pytest.mark.parametrize(("level", "count", "field"), [(5, 1, "level"), (1, 0, "planned_count")])
def test_level_and_count_are_checked(plan, area, sqa_officer, level, count, field):
    with pytest.raises(ValidationError) as excinfo:
        support.activity(plan, sqa_officer, level=level, lead_agency=area.school, planned_count=count)

    assert field in _errors(excinfo)


def test_update_rechecks_the_rules_and_records_history(plan, area, sqa_officer):
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)

    services.planned_activity_update(
        activity=activity, by=sqa_officer, planned_count=10, half_term=None, term=activity.term
    )
    activity.refresh_from_db()
    with pytest.raises(ValidationError):
        services.planned_activity_update(activity=activity, by=sqa_officer, planned_count=0)

    assert activity.planned_count == 10 and activity.half_term is None
    assert any("Activity changed" in e.get_change_message() for e in selectors.plan_history(plan))


def test_level_cannot_change_and_activity_cannot_go_once_audits_are_scheduled(plan, area, sqa_officer):
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)
    AuditFactory(agency=area.school, activity=activity)

    with pytest.raises(ValidationError) as changed:
        services.planned_activity_update(activity=activity, by=sqa_officer, level=2)
    with pytest.raises(ValidationError) as removed:
        services.planned_activity_remove(activity=activity, by=sqa_officer)

    assert "level" in _errors(changed)
    assert "1 audit has been scheduled" in removed.value.messages[0]
    assert plan.activities.count() == 1


def test_remove_deletes_an_unscheduled_activity(plan, area, sqa_officer):
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)

    services.planned_activity_remove(activity=activity, by=sqa_officer)

    assert not plan.activities.exists()


# --- approval --------------------------------------------------------------------------------------------


def test_an_empty_plan_cannot_be_approved(plan, sqa_officer):
    with pytest.raises(ValidationError):
        services.audit_plan_approve(plan=plan, by=sqa_officer)

    plan.refresh_from_db()
    assert plan.status == AuditPlanStatus.DRAFT


def test_approval_locks_the_plan(plan, area, sqa_officer):
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)

    approved = services.audit_plan_approve(plan=plan, by=sqa_officer)

    assert approved.status == AuditPlanStatus.APPROVED and approved.approved_by == sqa_officer
    for attempt in (
        lambda: support.activity(plan, sqa_officer, level=1, lead_agency=area.school),
        lambda: services.planned_activity_update(activity=activity, by=sqa_officer, planned_count=3),
        lambda: services.planned_activity_remove(activity=activity, by=sqa_officer),
        lambda: services.audit_plan_approve(plan=plan, by=sqa_officer),
    ):
        with pytest.raises(ValidationError):
            attempt()
    activity.refresh_from_db()
    assert activity.planned_count == 6 and plan.activities.count() == 1


def test_reopen_needs_a_reason_keeps_it_and_unlocks(plan, area, sqa_officer):
    support.activity(plan, sqa_officer, level=1, lead_agency=area.school)
    services.audit_plan_approve(plan=plan, by=sqa_officer)

    with pytest.raises(ValidationError) as excinfo:
        services.audit_plan_reopen(plan=plan, by=sqa_officer, reason="  ")
    reopened = services.audit_plan_reopen(plan=plan, by=sqa_officer, reason="Add a PfA themed audit")
    support.activity(plan, sqa_officer, level=2, lead_agency=area.sat)

    assert "reason" in _errors(excinfo)
    assert reopened.status == AuditPlanStatus.DRAFT and reopened.approved_at is None
    history = [e.get_change_message() for e in selectors.plan_history(plan)]
    assert "Plan reopened for changes: Add a PfA themed audit" in history
    assert history.index("Plan approved") < history.index("Plan reopened for changes: Add a PfA themed audit")
    with pytest.raises(ValidationError):
        services.audit_plan_reopen(plan=plan, by=sqa_officer, reason="again")


# --- progress ------------------------------------------------------------------------------------------


def _audits(activity, agency, statuses_and_due):
    for status, due in statuses_and_due:
        AuditFactory(agency=agency, activity=activity, status=status, due_on=due)


def test_progress_counts_planned_scheduled_done_and_late(plan, area, sqa_officer):
    today = support.TODAY
    past, future = today - dt.timedelta(days=1), today + dt.timedelta(days=10)
    l1 = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, half=1, planned_count=6)
    l3 = support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, half=1, planned_count=6)
    l2 = support.activity(plan, sqa_officer, level=2, lead_agency=area.sat, half=3, planned_count=4)
    _audits(
        l1,
        area.school,
        [
            (AuditStatus.SUBMITTED, past),
            (AuditStatus.CLOSED, past),
            (AuditStatus.MODERATED, future),
            (AuditStatus.SCHEDULED, past),  # late
            (AuditStatus.IN_PROGRESS, past),  # late
            (AuditStatus.IN_PROGRESS, today),  # due today: not late
        ],
    )
    _audits(l2, area.sat, [(AuditStatus.SCHEDULED, future)])
    AuditFactory(agency=area.school, due_on=past)  # not from the plan

    progress = selectors.plan_progress(plan, today=today)

    rows = {
        a.pk: (a.planned_count, a.scheduled, a.done, a.late) for g in progress.groups for a in g.activities
    }
    assert rows == {l1.pk: (6, 6, 3, 2), l3.pk: (6, 0, 0, 0), l2.pk: (4, 1, 0, 0)}
    labels = [g.label for g in progress.groups]
    assert labels[:3] == ["Half term 1 (autumn)", "Half term 2 (autumn)", "Half term 3 (spring)"]
    first, second, third = progress.groups[:3]
    assert (first.totals.planned, first.totals.scheduled, first.totals.done, first.totals.late) == (
        12,
        6,
        3,
        2,
    )
    assert second.activities == [] and second.totals.planned == 0
    assert third.totals.scheduled == 1
    assert (
        progress.totals.planned,
        progress.totals.scheduled,
        progress.totals.done,
        progress.totals.late,
    ) == (
        16,
        7,
        3,
        2,
    )


def test_whole_term_activities_follow_their_terms_half_terms(plan, years, area, sqa_officer):
    services.planned_activity_add(
        plan=plan,
        by=sqa_officer,
        kind="observation",
        lead_agency=area.sqa,
        term=Term.objects.get(academic_year=years[2025], number=1),
    )

    labels = [g.label for g in selectors.plan_progress(plan, today=support.TODAY).groups]

    assert labels[:4] == [
        "Half term 1 (autumn)",
        "Half term 2 (autumn)",
        "Across the autumn term",
        "Half term 3 (spring)",
    ]


def test_progress_query_count_is_fixed_as_activities_and_audits_grow(plan, area, sqa_officer):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            selectors.plan_progress(plan, today=support.TODAY)
        return len(queries)

    first = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)
    AuditFactory(agency=area.school, activity=first)
    few = count()
    for half in range(1, 7):
        extra = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, half=half)
        for _ in range(3):
            AuditFactory(agency=area.school, activity=extra, status=AuditStatus.SUBMITTED)

    assert few == count() == 2


def test_plan_list_totals(plan, years, area, sqa_officer):
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, planned_count=5)
    support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, planned_count=6)
    AuditFactory(agency=area.school, activity=activity, status=AuditStatus.CLOSED)
    AuditFactory(agency=area.school, activity=activity, due_on=support.TODAY - dt.timedelta(days=3))
    empty = support.plan_for(years[2024], sqa_officer)

    plans = {p.pk: p for p in selectors.plans_for_list(sqa_officer, today=support.TODAY)}

    mine = plans[plan.pk]
    assert (mine.activity_count, mine.planned, mine.scheduled, mine.done, mine.late) == (2, 11, 2, 1, 1)
    assert (plans[empty.pk].activity_count, plans[empty.pk].planned, plans[empty.pk].scheduled) == (0, 0, 0)
