"""The scheduling and sample pages: who may use them (role × own/other agency) and what they do."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import Audit, Sample
from audits.services import scheduling
from audits.tests import test_plans_support as support
from ehcp.models import Child
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, PlanFactory

pytestmark = support.FROZEN


@pytest.fixture
def plan(area, sqa_officer):
    return support.plan_for(support.years(area.partnership)[2025], sqa_officer)


@pytest.fixture
def activities(plan, area, sqa_officer) -> dict:
    """Level 1 of the school, Level 1 of the other school, Level 3 led by the SQA service, all with tools."""
    l1_tool = support.tool(area.partnership, levels=[1])
    l3_tool = support.tool(area.partnership, levels=[3])
    return {
        "l1_school": support.activity(plan, sqa_officer, level=1, lead_agency=area.school, tool=l1_tool),
        "l1_other_school": support.activity(
            plan, sqa_officer, level=1, lead_agency=area.other_school, tool=l1_tool
        ),
        "l3": support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, tool=l3_tool),
    }


# persona -> expected status of the schedule page for each activity
MATRIX = {
    "sqa_officer": {"l1_school": 200, "l1_other_school": 200, "l3": 200},
    "agency_manager": {"l1_school": 200, "l1_other_school": 403, "l3": 403},
    "other_agency_manager": {"l1_school": 403, "l1_other_school": 200, "l3": 403},
    "practitioner": {"l1_school": 403, "l1_other_school": 403, "l3": 403},
    "sat_caseworker": {"l1_school": 403, "l1_other_school": 403, "l3": 403},
    "board_member": {"l1_school": 404, "l1_other_school": 404, "l3": 404},
    "partnership_admin": {"l1_school": 404, "l1_other_school": 404, "l3": 404},
    "outsider_sqa": {"l1_school": 404, "l1_other_school": 404, "l3": 404},
}


@pytest.mark.parametrize("persona", sorted(MATRIX))
@pytest.mark.parametrize("page", ["activity-schedule", "activity-sample"])
def test_who_may_schedule_and_sample(client, request, activities, persona, page):
    client.force_login(request.getfixturevalue(persona))

    got = {
        name: client.get(reverse(f"audits:{page}", args=[a.pk])).status_code for name, a in activities.items()
    }

    assert got == MATRIX[persona]


@pytest.mark.parametrize("persona", ["agency_manager", "practitioner", "board_member"])
def test_refused_posts_create_nothing(client, request, activities, area, persona):
    client.force_login(request.getfixturevalue(persona))
    child = ChildFactory(partnership=area.partnership, agencies=[area.other_school])

    response = client.post(
        reverse("audits:activity-schedule", args=[activities["l1_other_school"].pk]),
        {"children": [child.pk], "due_on_0": "1", "due_on_1": "12", "due_on_2": "2025"},
    )

    assert response.status_code in (403, 404)
    assert not Audit.objects.exists()


def test_agency_manager_schedules_level1_audits_and_auditors_are_emailed(
    client, activities, area, agency_manager, practitioner, django_capture_on_commit_callbacks
):
    client.force_login(agency_manager)
    kids = [
        ChildFactory(partnership=area.partnership, case_reference=f"SCH-{i}", agencies=[area.school])
        for i in range(2)
    ]
    activity = activities["l1_school"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("audits:activity-schedule", args=[activity.pk]),
            {
                "children": [kids[0].pk],
                "case_references": "sch-1",  # typed, in any case
                "assignees": [practitioner.pk],
                "due_on_0": "14",
                "due_on_1": "11",
                "due_on_2": "2025",
            },
        )

    assert response.status_code == 302 and response.url == reverse(
        "audits:plan-detail", args=[activity.plan_id]
    )
    audits = Audit.objects.filter(activity=activity)
    assert {a.child.case_reference for a in audits} == {"SCH-0", "SCH-1"}
    assert all(a.agency == area.school and a.due_on == dt.date(2025, 11, 14) for a in audits)
    assert [m.to for m in mail.outbox] == [[practitioner.email]] * 2
    shown = client.get(response.url)
    assert [str(m) for m in get_messages(shown.wsgi_request)] == [
        f"2 audits scheduled. {practitioner.display_name} has been emailed."
    ]


def test_scheduling_names_an_auditor_who_cannot_be_emailed(
    client, activities, area, agency_manager, practitioner
):
    practitioner.email = ""
    practitioner.save(update_fields=["email"])
    client.force_login(agency_manager)
    child = ChildFactory(partnership=area.partnership, case_reference="SCH-9", agencies=[area.school])
    response = client.post(
        reverse("audits:activity-schedule", args=[activities["l1_school"].pk]),
        {
            "children": [child.pk],
            "assignees": [practitioner.pk],
            "due_on_0": "14",
            "due_on_1": "11",
            "due_on_2": "2025",
        },
    )
    shown = client.get(response.url)
    assert [str(m) for m in get_messages(shown.wsgi_request)] == [
        f"1 audit scheduled. {practitioner.display_name} has no email address in QAF: tell them yourself."
    ]


def test_cases_the_user_cannot_see_are_not_found(client, activities, area, agency_manager, practitioner):
    client.force_login(agency_manager)
    hidden = ChildFactory(partnership=area.partnership, case_reference="ELM-1", agencies=[area.other_school])

    response = client.post(
        reverse("audits:activity-schedule", args=[activities["l1_school"].pk]),
        {
            "children": [hidden.pk],
            "case_references": "ELM-1",
            "assignees": [practitioner.pk],
            "due_on_0": "14",
            "due_on_1": "11",
            "due_on_2": "2025",
        },
    )

    form = response.context["form"]
    assert response.status_code == 200
    assert form.errors["case_references"] == ["No case found with the reference ELM-1"]
    assert "children" in form.errors
    assert not Audit.objects.exists()


def test_schedule_page_shows_errors_for_past_dates_and_duplicates(client, activities, area, sqa_officer):
    client.force_login(sqa_officer)
    activity = activities["l3"]
    kid = ChildFactory(partnership=area.partnership, case_reference="L3-1")
    url = reverse("audits:activity-schedule", args=[activity.pk])
    fields = {"case_references": "L3-1", "assignees": [sqa_officer.pk], "due_on_1": "11", "due_on_2": "2025"}

    past = client.post(url, {**fields, "due_on_0": "1", "due_on_1": "9"})
    client.post(url, {**fields, "due_on_0": "20"})
    again = client.post(url, {**fields, "due_on_0": "21"})

    assert past.context["form"].errors["due_on"] == ["The due date must be today or in the future"]
    assert again.context["form"].errors["children"] == [
        "Already scheduled on this activity: L3-1. Choose other cases"
    ]
    assert Audit.objects.filter(activity=activity, child=kid).count() == 1


def test_search_offers_visible_cases_only(client, activities, area, agency_manager):
    client.force_login(agency_manager)
    ChildFactory(partnership=area.partnership, case_reference="FIND-SCH", agencies=[area.school])
    ChildFactory(partnership=area.partnership, case_reference="FIND-ELM", agencies=[area.other_school])

    response = client.get(
        reverse("audits:activity-schedule", args=[activities["l1_school"].pk]), {"q": "find"}
    )

    assert [c.case_reference for c in response.context["found"]] == ["FIND-SCH"]
    assert "FIND-ELM" not in response.content.decode()


# --- warnings to confirm ----------------------------------------------------------------------------------


def _over_plan(area, plan, sqa_officer, practitioner):
    """An activity planned for 3 with 3 scheduled already, and the answers scheduling 5 more."""
    tool = support.tool(area.partnership, levels=[1])
    activity = support.activity(
        plan, sqa_officer, level=1, lead_agency=area.school, tool=tool, planned_count=3
    )
    kids = [
        ChildFactory(partnership=area.partnership, case_reference=f"SCH-{i}", agencies=[area.school])
        for i in range(8)
    ]
    scheduling.audit_schedule(
        activity=activity,
        children=kids[:3],
        assignees=[practitioner],
        due_on=dt.date(2025, 11, 1),
        by=sqa_officer,
    )
    answers = {
        "children": [k.pk for k in kids[3:6]],
        "case_references": "SCH-6 sch-7",
        "assignees": [practitioner.pk],
        "due_on_0": "14",
        "due_on_1": "11",
        "due_on_2": "2025",
    }
    return activity, answers


def test_scheduling_beyond_the_plan_warns_keeps_the_answers_and_schedules_once_confirmed(
    client, plan, area, sqa_officer, practitioner
):
    client.force_login(sqa_officer)
    activity, answers = _over_plan(area, plan, sqa_officer, practitioner)
    url = reverse("audits:activity-schedule", args=[activity.pk])

    warned = client.post(url, answers)

    page = warned.content.decode()
    message = "This activity is planned for 3 audits; 3 are scheduled already and you are scheduling 5 more: 8 in all."
    assert warned.status_code == 200 and message in page
    assert "govuk-warning-text" in page and "Nothing has been scheduled" in page
    assert not warned.context["form"].errors and "<title>Error" not in page
    assert Audit.objects.filter(activity=activity).count() == 3
    # nothing typed is lost: the case references, the due date and the auditor are as they were sent
    assert "SCH-6 sch-7</textarea>" in page
    assert 'name="due_on_0" type="text" inputmode="numeric" value="14"' in page
    assert f'name="assignees" type="checkbox" value="{practitioner.pk}" checked' in page
    for kid in Child.objects.filter(case_reference__in=["SCH-3", "SCH-4", "SCH-5"]):
        assert f'name="children" type="checkbox" value="{kid.pk}" checked' in page
    token = warned.context["confirm_token"]
    assert f'name="confirm" type="checkbox" value="{token}"' in page

    confirmed = client.post(url, {**answers, "confirm": token})

    assert confirmed.status_code == 302
    assert Audit.objects.filter(activity=activity).count() == 8


def test_a_confirmation_of_other_warnings_does_not_count(client, plan, area, sqa_officer, practitioner):
    """Ticking "Schedule anyway" for 5 more does not confirm 6 more, nor does a made-up confirmation."""
    client.force_login(sqa_officer)
    activity, answers = _over_plan(area, plan, sqa_officer, practitioner)
    url = reverse("audits:activity-schedule", args=[activity.pk])
    token = client.post(url, answers).context["confirm_token"]
    more = {**answers, "case_references": "SCH-6 SCH-7 SCH-2"}
    Audit.objects.filter(activity=activity, child__case_reference="SCH-2").delete()

    for data in ({**more, "confirm": token}, {**answers, "confirm": "yes"}):
        response = client.post(url, data)
        assert response.status_code == 200 and response.context["to_confirm"]

    assert Audit.objects.filter(activity=activity).count() == 2


@pytest.mark.parametrize(("today", "warned"), [(dt.date(2025, 10, 31), False), (dt.date(2025, 11, 3), True)])
def test_the_page_warns_when_the_half_term_has_ended(
    client, activities, area, sqa_officer, practitioner, today, warned
):
    activity = activities["l1_school"]
    kid = ChildFactory(partnership=area.partnership, case_reference="SCH-1", agencies=[area.school])
    url = reverse("audits:activity-schedule", args=[activity.pk])
    answers = {
        "children": [kid.pk],
        "assignees": [practitioner.pk],
        "due_on_0": "28",
        "due_on_1": "11",
        "due_on_2": "2025",
    }

    with time_machine.travel(dt.datetime.combine(today, dt.time(12), tzinfo=dt.UTC), tick=False):
        client.force_login(sqa_officer)
        page = client.get(url).content.decode()
        posted = client.post(url, answers)

    ended = "Autumn 1 (half term 1) ended on 31 October 2025."
    assert (ended in page) is warned
    if warned:
        assert posted.status_code == 200 and ended in posted.content.decode()
        assert not Audit.objects.exists()
    else:
        assert posted.status_code == 302 and Audit.objects.count() == 1


# --- sampling pages ---------------------------------------------------------------------------------------


def _eligible(area, n):
    for i in range(n):
        kid = ChildFactory(partnership=area.partnership, case_reference=f"L3-{i:02d}")
        PlanFactory(child=kid, issued_on=dt.date(2024, 11, 1))
        AnnualReviewFactory(child=kid, due_on=dt.date(2025, 9, 1), meeting_on=dt.date(2025, 9, 10))


def test_sqa_officer_draws_swaps_and_schedules_a_level3_sample(client, activities, area, sqa_officer):
    client.force_login(sqa_officer)
    _eligible(area, 10)
    activity = activities["l3"]
    sample_url = reverse("audits:activity-sample", args=[activity.pk])

    drawn = client.post(sample_url, {"half_term": activity.half_term_id, "size": "6", "seed": "42"})
    sample = Sample.objects.get(activity=activity)
    page = client.get(sample_url)

    assert drawn.status_code == 302 and sample.seed == 42
    html = page.content.decode()
    assert "42" in html and sample.rule in html
    assert all(item.child.case_reference in html for item in sample.items.all())

    item = sample.items.get(position=2)
    swap_url = reverse("audits:sample-item-swap", args=[item.pk])
    assert client.post(swap_url, {"reason": ""}).context["form"].errors["reason"]
    assert client.post(swap_url, {"reason": "Child in hospital this half term"}).status_code == 302
    item.refresh_from_db()
    assert item.swapped_out and item.swap_reason == "Child in hospital this half term"
    assert "Child in hospital this half term" in client.get(sample_url).content.decode()

    schedule = client.get(reverse("audits:activity-schedule", args=[activity.pk]), {"sample": sample.pk})
    ticked = {int(v) for v in schedule.context["form"]["children"].value()}
    current = set(sample.items.filter(swapped_out=False).values_list("child_id", flat=True))
    assert ticked == current and item.child_id not in ticked

    response = client.post(
        reverse("audits:activity-schedule", args=[activity.pk]),
        {
            "children": sorted(current),
            "sample": sample.pk,
            "assignees": [sqa_officer.pk],
            "due_on_0": "5",
            "due_on_1": "12",
            "due_on_2": "2025",
        },
    )
    assert response.status_code == 302
    audits = Audit.objects.filter(activity=activity)
    assert audits.count() == 6 and all(a.sample_item.sample_id == sample.pk for a in audits)


def _period(start: dt.date, end: dt.date) -> dict[str, str]:
    return {
        "period_start_0": str(start.day),
        "period_start_1": str(start.month),
        "period_start_2": str(start.year),
        "period_end_0": str(end.day),
        "period_end_1": str(end.month),
        "period_end_2": str(end.year),
    }


def test_level1_sample_page_draws_by_quota(client, activities, area, agency_manager):
    client.force_login(agency_manager)
    for i in range(5):
        kid = ChildFactory(partnership=area.partnership, case_reference=f"SCH-{i}", agencies=[area.school])
        PlanFactory(child=kid, kind="draft" if i % 2 else "final", issued_on=dt.date(2025, 7, 1))
    ChildFactory(partnership=area.partnership, case_reference="SCH-NO-PLAN", agencies=[area.school])
    activity = activities["l1_school"]
    url = reverse("audits:activity-sample", args=[activity.pk])

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "quota": "5",
            "seed": "",
            "stage": "final",
            **_period(dt.date(2025, 6, 1), dt.date(2025, 8, 31)),
        },
    )

    sample = Sample.objects.get(activity=activity)
    assert response.status_code == 302 and sample.created_by == agency_manager
    assert sorted(i.child.case_reference for i in sample.items.all()) == ["SCH-0", "SCH-2", "SCH-4"]
    assert sample.parameters["stage"] == "final"
    # the form offers the default period: the half term before the activity's and the holiday after it
    for name, value in (("start_0", 1), ("start_1", 6), ("start_2", 2025), ("end_0", 31), ("end_1", 8)):
        assert f'name="period_{name}" type="text" inputmode="numeric" value="{value}"' in page


def test_level1_sample_page_keeps_the_answers_when_the_period_is_wrong(client, activities, agency_manager):
    client.force_login(agency_manager)
    activity = activities["l1_school"]

    response = client.post(
        reverse("audits:activity-sample", args=[activity.pk]),
        {"quota": "4", "seed": "", "stage": "draft", **_period(dt.date(2025, 8, 31), dt.date(2025, 6, 1))},
    )

    page = response.content.decode()
    assert response.status_code == 200 and not Sample.objects.exists()
    assert "The period must end on or after the day it starts" in page
    assert 'value="4"' in page and 'value="draft" checked' in page


def test_swap_page_follows_the_activitys_rules(
    client, activities, area, sqa_officer, agency_manager, board_member
):
    _eligible(area, 3)
    client.force_login(sqa_officer)
    client.post(
        reverse("audits:activity-sample", args=[activities["l3"].pk]),
        {"half_term": activities["l3"].half_term_id, "size": "2", "seed": "1"},
    )
    item = Sample.objects.get().items.first()
    url = reverse("audits:sample-item-swap", args=[item.pk])

    client.force_login(agency_manager)
    assert client.post(url, {"reason": "no"}).status_code == 403
    client.force_login(board_member)
    assert client.get(url).status_code == 404
    item.refresh_from_db()
    assert not item.swapped_out


# --- query counts -------------------------------------------------------------------------------------------


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(queries)


def test_sample_and_schedule_pages_query_count_does_not_grow_with_the_sample(
    client, activities, area, sqa_officer
):
    """The pages list every case of the sample (and tick them on the schedule page): 2 cases or 12, with a
    swap among them, cost the same queries."""
    client.force_login(sqa_officer)
    _eligible(area, 14)
    activity = activities["l3"]
    sample_url = reverse("audits:activity-sample", args=[activity.pk])
    schedule_url = reverse("audits:activity-schedule", args=[activity.pk])

    def draw(size: int) -> Sample:
        client.post(sample_url, {"half_term": activity.half_term_id, "size": str(size), "seed": "7"})
        return Sample.objects.filter(activity=activity).latest("created_at", "pk")

    small = draw(2)
    few = (_queries(client, sample_url), _queries(client, schedule_url, {"sample": small.pk}))

    large = draw(12)
    swapped = client.post(
        reverse("audits:sample-item-swap", args=[large.items.first().pk]), {"reason": "Moved away"}
    )
    assert swapped.status_code == 302
    assert large.items.count() == 13  # the swap added its replacement
    many = (_queries(client, sample_url), _queries(client, schedule_url, {"sample": large.pk}))

    assert many == few
    assert few[0] <= 12 and few[1] <= 15, few
