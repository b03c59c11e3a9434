"""Scheduling audits from a planned activity: what is created, what is refused, and the assignment emails."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError

from audits import tasks
from audits.models import Audit, AuditAssignment, AuditEvent, AuditStatus, AuditToolVersion, ToolVersionStatus
from audits.selectors import plans as plan_selectors
from audits.services import plans as plan_services
from audits.services import sampling, scheduling
from audits.tests import test_plans_support as support
from audits.tests.factories import make_tool_version
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, PlanFactory
from qaf.models import Role, Term, Theme
from qaf.tests.factories import member

DUE = support.TODAY + dt.timedelta(days=28)


pytestmark = support.FROZEN


@pytest.fixture
def plan(area, sqa_officer):
    return support.plan_for(support.years(area.partnership)[2025], sqa_officer)


@pytest.fixture
def l1(plan, area, sqa_officer):
    """A Level 1 activity of the school, themed, whose tool has an approved v1, an approved v2 and a draft v3."""
    tool = support.tool(area.partnership, levels=[1])
    make_tool_version(area.partnership, tool=tool, status=ToolVersionStatus.APPROVED)
    make_tool_version(area.partnership, tool=tool, status=ToolVersionStatus.DRAFT)
    theme = Theme.objects.create(partnership=area.partnership, name="Preparation for adulthood")
    return support.activity(plan, sqa_officer, level=1, lead_agency=area.school, tool=tool, theme=theme)


@pytest.fixture
def kids(area):
    return [
        ChildFactory(partnership=area.partnership, case_reference=f"SCH-{i}", agencies=[area.school])
        for i in range(3)
    ]


def test_one_audit_per_child_with_the_current_approved_version(l1, kids, area, practitioner, agency_manager):
    audits = scheduling.audit_schedule(
        activity=l1, children=kids[:2], assignees=[practitioner], due_on=DUE, by=agency_manager
    )

    current = AuditToolVersion.objects.get(tool=l1.tool, number=2)
    assert len(audits) == 2
    for audit, child in zip(audits, kids[:2], strict=True):
        audit.refresh_from_db()
        assert audit.child == child and audit.activity == l1
        assert audit.tool_version == current
        assert (audit.level, audit.kind, audit.agency, audit.status) == (
            1,
            "case_audit",
            area.school,
            "scheduled",
        )
        assert audit.due_on == DUE and audit.scheduled_by == agency_manager
        assert list(audit.themes.all()) == [l1.theme]
        assert [a.user for a in audit.assignments.all()] == [practitioner]
        assert audit.assignments.get().assigned_by == agency_manager
        event = audit.events.get(kind="scheduled")
        assert event.user == agency_manager and event.details["assignees"] == [practitioner.pk]


def test_a_new_tool_version_leaves_scheduled_audits_on_theirs(l1, kids, practitioner, agency_manager):
    (audit,) = scheduling.audit_schedule(
        activity=l1, children=kids[:1], assignees=[practitioner], due_on=DUE, by=agency_manager
    )
    make_tool_version(l1.tool.partnership, tool=l1.tool, status=ToolVersionStatus.APPROVED, number=4)

    (later,) = scheduling.audit_schedule(
        activity=l1, children=kids[1:2], assignees=[practitioner], due_on=DUE, by=agency_manager
    )

    audit.refresh_from_db()
    assert audit.tool_version.number == 2 and later.tool_version.number == 4


def test_the_same_child_cannot_be_scheduled_twice_on_an_activity(l1, kids, practitioner, agency_manager):
    scheduling.audit_schedule(
        activity=l1, children=kids[:1], assignees=[practitioner], due_on=DUE, by=agency_manager
    )

    with pytest.raises(ValidationError) as excinfo:
        scheduling.audit_schedule(
            activity=l1, children=kids[:2], assignees=[practitioner], due_on=DUE, by=agency_manager
        )

    assert excinfo.value.message_dict["children"] == [
        "Already scheduled on this activity: SCH-0. Choose other cases"
    ]
    assert Audit.objects.filter(activity=l1).count() == 1  # nothing of the second call was kept


def test_refused_without_an_approved_tool_version(plan, area, kids, sqa_officer, practitioner):
    draft_only = support.tool(area.partnership, levels=[1], approved=False)
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, tool=draft_only)
    no_tool = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)

    for each in (activity, no_tool):
        with pytest.raises(ValidationError) as excinfo:
            scheduling.audit_schedule(
                activity=each, children=kids[:1], assignees=[practitioner], due_on=DUE, by=sqa_officer
            )
        assert "tool" in excinfo.value.message_dict
    assert not Audit.objects.exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"due_on": support.TODAY - dt.timedelta(days=1)}, "due_on"),
        ({"due_on": None}, "due_on"),
        ({"children": []}, "children"),
        ({"assignees": []}, "assignees"),
        ({"level2_form": "peer_review"}, "level2_form"),
    ],
)
def test_inputs_are_checked(l1, kids, practitioner, sqa_officer, change, field):
    arguments = {"children": kids[:1], "assignees": [practitioner], "due_on": DUE, **change}

    with pytest.raises(ValidationError) as excinfo:
        scheduling.audit_schedule(activity=l1, by=sqa_officer, **arguments)

    assert field in excinfo.value.message_dict


def test_due_today_is_accepted(l1, kids, practitioner, sqa_officer):
    (audit,) = scheduling.audit_schedule(
        activity=l1, children=kids[:1], assignees=[practitioner], due_on=support.TODAY, by=sqa_officer
    )

    assert audit.due_on == support.TODAY


def test_auditors_must_work_in_the_lead_agency(l1, kids, area, sqa_officer, board_member):
    elsewhere = member(area.other_school, Role.PRACTITIONER)
    board_at_school = member(area.school, Role.BOARD_MEMBER)

    for outsider in (elsewhere, board_at_school, board_member):
        with pytest.raises(ValidationError) as excinfo:
            scheduling.audit_schedule(
                activity=l1, children=kids[:1], assignees=[outsider], due_on=DUE, by=sqa_officer
            )
        assert "assignees" in excinfo.value.message_dict


def test_children_of_another_partnership_are_refused(l1, other_area, practitioner, sqa_officer):
    foreign = ChildFactory(partnership=other_area.partnership)

    with pytest.raises(ValidationError) as excinfo:
        scheduling.audit_schedule(
            activity=l1, children=[foreign], assignees=[practitioner], due_on=DUE, by=sqa_officer
        )

    assert "children" in excinfo.value.message_dict


def test_level_2_needs_its_form_and_stage_and_links_the_plan(plan, area, sqa_officer, sat_caseworker):
    tool = support.tool(area.partnership, levels=[2])
    activity = support.activity(plan, sqa_officer, level=2, lead_agency=area.sat, tool=tool)
    child = ChildFactory(partnership=area.partnership)
    PlanFactory(child=child, kind="draft", issued_on=dt.date(2025, 8, 1))
    draft = PlanFactory(child=child, kind="draft", issued_on=dt.date(2025, 9, 1))
    PlanFactory(child=child, kind="final", issued_on=dt.date(2024, 9, 1))

    with pytest.raises(ValidationError) as excinfo:
        scheduling.audit_schedule(
            activity=activity, children=[child], assignees=[sat_caseworker], due_on=DUE, by=sqa_officer
        )
    (audit,) = scheduling.audit_schedule(
        activity=activity,
        children=[child],
        assignees=[sat_caseworker],
        due_on=DUE,
        by=sqa_officer,
        level2_form="peer_review",
        plan_stage="draft",
    )

    assert {"level2_form", "plan_stage"} <= set(excinfo.value.message_dict)
    assert (audit.level2_form, audit.plan_stage, audit.plan, audit.agency) == (
        "peer_review",
        "draft",
        draft,
        area.sat,
    )


def test_level_3_audits_from_a_sample_point_at_their_items(plan, area, sqa_officer):
    tool = support.tool(area.partnership, levels=[3])
    activity = support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, tool=tool)
    child = ChildFactory(partnership=area.partnership)
    final = PlanFactory(child=child, issued_on=dt.date(2024, 11, 1))
    review = AnnualReviewFactory(child=child, due_on=dt.date(2025, 9, 1), meeting_on=dt.date(2025, 9, 2))
    sample = sampling.level3_sample_propose(
        partnership=area.partnership, half_term=activity.half_term, activity=activity, seed=1, by=sqa_officer
    )

    (audit,) = scheduling.audit_schedule(
        activity=activity,
        children=[child],
        assignees=[sqa_officer],
        due_on=DUE,
        by=sqa_officer,
        sample=sample,
    )

    assert audit.sample_item == sample.items.get() and audit.plan == final and audit.review == review


# --- assignment emails -----------------------------------------------------------------------------------


def test_assignees_are_emailed_after_commit(
    l1, kids, area, practitioner, agency_manager, django_capture_on_commit_callbacks
):
    second = member(area.school, Role.PRACTITIONER, username="second.auditor")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        audits = scheduling.audit_schedule(
            activity=l1, children=kids[:2], assignees=[practitioner, second], due_on=DUE, by=agency_manager
        )
        assert mail.outbox == []  # nothing is sent before the transaction commits

    assert len(callbacks) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.email] * 2 + [second.email] * 2)
    body = mail.outbox[0].body
    assert "29 October 2025" in body and area.school.name in body
    assert all(any(f"/audits/{a.pk}/" in m.body for m in mail.outbox) for a in audits)
    assert not any(
        k.case_reference in m.body or k.case_reference in m.subject for k in kids for m in mail.outbox
    )
    assert AuditEvent.objects.filter(kind=scheduling.NOTIFIED).count() == 4


def test_the_email_task_is_safe_to_run_twice(
    l1, kids, practitioner, agency_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        scheduling.audit_schedule(
            activity=l1, children=kids[:1], assignees=[practitioner], due_on=DUE, by=agency_manager
        )
    ids = list(AuditAssignment.objects.values_list("pk", flat=True))

    first = tasks.audit_assignment_notify(ids)
    second = tasks.audit_assignment_notify(ids)

    assert (first, second) == (1, 0)
    assert len(mail.outbox) == 1


def test_no_email_for_a_closed_audit_or_a_user_without_address(l1, kids, area, practitioner, agency_manager):
    practitioner.email = ""
    practitioner.save(update_fields=["email"])
    other = member(area.school, Role.PRACTITIONER)
    (audit,) = scheduling.audit_schedule(
        activity=l1, children=kids[:1], assignees=[practitioner, other], due_on=DUE, by=agency_manager
    )
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED)

    sent = tasks.audit_assignment_notify(list(audit.assignments.values_list("pk", flat=True)))

    assert sent == 0 and mail.outbox == []


# --- warnings to confirm: beyond the plan, after the half term --------------------------------------------


@pytest.fixture
def three(plan, area, sqa_officer):
    """A Level 1 activity of the school planned for 3 audits in half term 1 (1 September to 31 October 2025)."""
    tool = support.tool(area.partnership, levels=[1])
    return support.activity(plan, sqa_officer, level=1, lead_agency=area.school, tool=tool, planned_count=3)


@pytest.fixture
def eight(area):
    return [
        ChildFactory(partnership=area.partnership, case_reference=f"SCH-{i}", agencies=[area.school])
        for i in range(8)
    ]


def schedule(activity, children, by, **kwargs):
    return scheduling.audit_schedule(
        activity=activity, children=children, assignees=[by], due_on=DUE, by=by, **kwargs
    )


def test_scheduling_up_to_the_planned_number_needs_no_confirmation(three, eight, practitioner):
    assert len(schedule(three, eight[:2], practitioner)) == 2
    assert len(schedule(three, eight[2:3], practitioner)) == 1


def test_scheduling_beyond_the_plan_is_refused_until_confirmed(three, eight, practitioner):
    schedule(three, eight[:3], practitioner)

    with pytest.raises(ValidationError) as excinfo:
        schedule(three, eight[3:8], practitioner)

    assert excinfo.value.message_dict == {
        "confirm": [
            "This activity is planned for 3 audits; 3 are scheduled already and you are scheduling 5 more: "
            "8 in all."
        ]
    }
    assert Audit.objects.filter(activity=three).count() == 3

    audits = schedule(three, eight[3:8], practitioner, confirmed=True)

    assert len(audits) == 5 and Audit.objects.filter(activity=three).count() == 8
    event = audits[0].events.get(kind="scheduled")
    assert event.details["confirmed_warnings"] == excinfo.value.message_dict["confirm"]


def test_beyond_the_plan_from_nothing_scheduled(three, eight, practitioner):
    with pytest.raises(ValidationError) as excinfo:
        schedule(three, eight[:4], practitioner)

    assert excinfo.value.messages == ["This activity is planned for 3 audits and you are scheduling 4."]


def test_other_errors_come_before_the_warnings(three, eight, practitioner):
    """The answers are checked first: a warning is only asked about once nothing else is wrong."""
    with pytest.raises(ValidationError) as excinfo:
        scheduling.audit_schedule(
            activity=three, children=eight, assignees=[], due_on=DUE, by=practitioner, confirmed=True
        )

    assert set(excinfo.value.message_dict) == {"assignees"} and not Audit.objects.exists()


@pytest.mark.parametrize(
    ("now", "warned"),
    [
        (dt.datetime(2025, 10, 31, 23, 30, tzinfo=dt.UTC), False),  # the last day: not ended
        (dt.datetime(2025, 11, 1, 9, 0, tzinfo=dt.UTC), True),
    ],
)
def test_scheduling_into_a_half_term_that_has_ended_needs_confirmation(
    three, eight, practitioner, now, warned
):
    with time_machine.travel(now, tick=False):
        due = dt.date(2025, 11, 20)
        arguments = {"activity": three, "children": eight[:1], "assignees": [practitioner], "due_on": due}
        if warned:
            with pytest.raises(ValidationError) as excinfo:
                scheduling.audit_schedule(by=practitioner, **arguments)
            assert excinfo.value.message_dict == {
                "confirm": ["Autumn 1 (half term 1) ended on 31 October 2025."]
            }
            assert not Audit.objects.exists()
            scheduling.audit_schedule(by=practitioner, confirmed=True, **arguments)
        else:
            scheduling.audit_schedule(by=practitioner, **arguments)

    assert Audit.objects.filter(activity=three).count() == 1


def test_both_warnings_are_given_together(three, eight, practitioner):
    with time_machine.travel(dt.datetime(2026, 2, 20, 9, 0, tzinfo=dt.UTC), tick=False):
        with pytest.raises(ValidationError) as excinfo:
            scheduling.audit_schedule(
                activity=three,
                children=eight[:4],
                assignees=[practitioner],
                due_on=dt.date(2026, 3, 1),
                by=practitioner,
            )

    assert excinfo.value.messages == [
        "This activity is planned for 3 audits and you are scheduling 4.",
        "Autumn 1 (half term 1) ended on 31 October 2025.",
    ]


def test_a_whole_term_activity_warns_when_the_term_has_ended(plan, area, sqa_officer, eight, practitioner):
    tool = support.tool(area.partnership, levels=[1])
    spring = Term.objects.get(academic_year=plan.academic_year, number=2)
    activity = plan_services.planned_activity_add(
        plan=plan,
        by=sqa_officer,
        level=1,
        kind="case_audit",
        lead_agency=area.school,
        tool=tool,
        term=spring,
        planned_count=5,
    )

    warnings = {
        day: plan_selectors.schedule_warnings(activity, adding=1, today=day)
        for day in (dt.date(2026, 3, 31), dt.date(2026, 4, 1))
    }

    assert warnings == {
        dt.date(2026, 3, 31): [],
        dt.date(2026, 4, 1): ["The spring term ended on 31 March 2026."],
    }


def test_spring_halves_are_named_by_their_term(plan, area, sqa_officer):
    tool = support.tool(area.partnership, levels=[1])
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, tool=tool, half=3)

    assert plan_selectors.schedule_warnings(activity, adding=0, today=dt.date(2026, 2, 15)) == [
        "Spring 1 (half term 3) ended on 14 February 2026."
    ]
    assert plan_selectors.schedule_warnings(activity, adding=0, today=dt.date(2026, 2, 14)) == []
