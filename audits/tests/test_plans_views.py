"""The plan pages: who reads and who changes them, the SQA officer's journey, and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import AuditPlan, AuditPlanStatus, AuditStatus
from audits.tests import test_plans_support as support
from audits.tests.factories import AuditFactory

NOT_SQA = ["sat_caseworker", "agency_manager", "other_agency_manager", "practitioner", "board_member"]


pytestmark = support.FROZEN


@pytest.fixture
def years(area):
    return support.years(area.partnership)


@pytest.fixture
def plan(years, area, sqa_officer):
    plan = support.plan_for(years[2025], sqa_officer)
    tool = support.tool(area.partnership, levels=[1])
    activity = support.activity(
        plan, sqa_officer, level=1, lead_agency=area.school, tool=tool, title="Advice audit"
    )
    support.audit_of_a_child(activity, case_reference="SECRET-REF-1", status=AuditStatus.SUBMITTED)
    return plan


def login(client, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    return user


@pytest.mark.parametrize("persona", support.PLAN_READERS)
def test_everyone_in_the_partnership_reads_the_plan(client, request, plan, persona):
    login(client, request, persona)

    listed = client.get(reverse("audits:plan-list"))
    page = client.get(reverse("audits:plan-detail", args=[plan.pk]))

    assert listed.status_code == 200 and plan in list(listed.context["plans"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Advice audit" in html
    assert "SECRET-REF-1" not in html  # counts only, never a child


def test_board_member_sees_the_counts(client, plan, board_member):
    client.force_login(board_member)

    page = client.get(reverse("audits:plan-detail", args=[plan.pk]))

    (activity,) = [a for g in page.context["progress"].groups for a in g.activities]
    assert (activity.planned_count, activity.scheduled, activity.done) == (6, 1, 1)
    assert not activity.can_schedule and not page.context["can_manage"]
    assert reverse("audits:activity-schedule", args=[activity.pk]) not in page.content.decode()


def test_another_partnership_neither_lists_nor_opens_the_plan(client, plan, outsider_sqa):
    client.force_login(outsider_sqa)

    assert plan not in list(client.get(reverse("audits:plan-list")).context["plans"])
    assert client.get(reverse("audits:plan-detail", args=[plan.pk])).status_code == 404
    activity = plan.activities.get()
    for name in ("activity-edit", "activity-remove", "activity-schedule", "activity-sample"):
        assert client.get(reverse(f"audits:{name}", args=[activity.pk])).status_code == 404


@pytest.mark.parametrize("persona", NOT_SQA)
def test_only_the_sqa_officer_changes_the_plan(client, request, plan, persona):
    login(client, request, persona)
    activity = plan.activities.get()

    pages = [
        reverse("audits:plan-create"),
        reverse("audits:activity-create", args=[plan.pk]),
        reverse("audits:activity-edit", args=[activity.pk]),
        reverse("audits:activity-remove", args=[activity.pk]),
        reverse("audits:plan-reopen", args=[plan.pk]),
    ]
    assert [client.get(url).status_code for url in pages] == [403] * len(pages)
    assert client.post(reverse("audits:plan-approve", args=[plan.pk])).status_code == 403
    assert client.post(reverse("audits:activity-remove", args=[activity.pk])).status_code == 403
    plan.refresh_from_db()
    assert plan.status == AuditPlanStatus.DRAFT and plan.activities.count() == 1


def test_sqa_officer_builds_approves_and_reopens_a_plan(client, years, area, sqa_officer):
    client.force_login(sqa_officer)
    tool = support.tool(area.partnership, levels=[3], name="Multi-agency audit")

    created = client.post(reverse("audits:plan-create"), {"academic_year": years[2024].pk, "title": ""})
    plan = AuditPlan.objects.get(academic_year=years[2024])
    assert created.status_code == 302 and created.url == reverse("audits:plan-detail", args=[plan.pk])

    half = support.half_term(years[2024], 2)
    added = client.post(
        reverse("audits:activity-create", args=[plan.pk]),
        {
            "level": "3",
            "kind": "case_audit",
            "title": "Multi-agency audit, half term 2",
            "when": f"h{half.pk}",
            "lead_agency": area.sqa.pk,
            "tool": tool.pk,
            "planned_count": "6",
        },
    )
    assert added.status_code == 302
    activity = plan.activities.get()
    assert (activity.half_term, activity.term, activity.planned_count) == (half, half.term, 6)

    page = client.get(reverse("audits:plan-detail", args=[plan.pk]))
    assert "Multi-agency audit, half term 2" in page.content.decode()
    assert reverse("audits:activity-schedule", args=[activity.pk]) in page.content.decode()

    assert client.post(reverse("audits:plan-approve", args=[plan.pk])).status_code == 302
    plan.refresh_from_db()
    assert plan.status == AuditPlanStatus.APPROVED
    locked = client.post(reverse("audits:activity-edit", args=[activity.pk]), {"planned_count": "7"})
    assert locked.status_code == 200 and locked.context["form"].errors

    no_reason = client.post(reverse("audits:plan-reopen", args=[plan.pk]), {"reason": ""})
    assert no_reason.status_code == 200 and "reason" in no_reason.context["form"].errors
    reopened = client.post(reverse("audits:plan-reopen", args=[plan.pk]), {"reason": "Add a themed audit"})
    assert reopened.status_code == 302
    plan.refresh_from_db()
    assert plan.status == AuditPlanStatus.DRAFT
    assert "Add a themed audit" in client.get(reverse("audits:plan-detail", args=[plan.pk])).content.decode()


def test_activity_form_shows_the_services_errors_on_its_fields(client, years, area, sqa_officer):
    client.force_login(sqa_officer)
    plan = support.plan_for(years[2025], sqa_officer)
    tool = support.tool(area.partnership, levels=[1, 2], name="Plan audit")

    response = client.post(
        reverse("audits:activity-create", args=[plan.pk]),
        {
            "level": "3",
            "kind": "case_audit",
            "when": f"h{support.half_term(years[2025], 1).pk}",
            "lead_agency": area.sqa.pk,
            "tool": tool.pk,
            "planned_count": "6",
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["tool"] == [
        "Plan audit does not serve level 3 audits; choose a tool that does"
    ]
    assert "There is a problem" in response.content.decode()
    assert not plan.activities.exists()


def test_half_terms_offered_are_the_plans_own(client, years, sqa_officer):
    client.force_login(sqa_officer)
    plan = support.plan_for(years[2025], sqa_officer)
    other_year_half = support.half_term(years[2024], 1)

    form = client.get(reverse("audits:activity-create", args=[plan.pk])).context["form"]

    values = [value for value, _ in form.fields["when"].choices if value]
    assert len(values) == 9  # six half terms and three whole terms
    assert f"h{other_year_half.pk}" not in values


def test_remove_page_removes_an_unscheduled_activity(client, years, area, sqa_officer):
    client.force_login(sqa_officer)
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=2, lead_agency=area.sat)

    assert client.get(reverse("audits:activity-remove", args=[activity.pk])).status_code == 200
    assert client.post(reverse("audits:activity-remove", args=[activity.pk])).status_code == 302
    assert not plan.activities.exists()


# --- query counts -------------------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _grow(plan, area, sqa_officer):
    for half in range(1, 7):
        for level, agency in ((1, area.school), (3, area.sqa)):
            activity = support.activity(plan, sqa_officer, level=level, lead_agency=agency, half=half)
            for status in (AuditStatus.SCHEDULED, AuditStatus.CLOSED):
                AuditFactory(agency=agency, activity=activity, status=status, due_on=dt.date(2025, 9, 1))


@pytest.mark.parametrize("persona", ["sqa_officer", "board_member"])
def test_plan_page_query_count_does_not_grow(client, request, plan, area, sqa_officer, persona):
    login(client, request, persona)
    url = reverse("audits:plan-detail", args=[plan.pk])
    few = _queries(client, url)

    _grow(plan, area, sqa_officer)

    assert _queries(client, url) == few
    assert few <= 12, few


def test_plan_list_query_count_does_not_grow(client, plan, years, area, sqa_officer):
    client.force_login(sqa_officer)
    url = reverse("audits:plan-list")
    few = _queries(client, url)

    _grow(plan, area, sqa_officer)
    _grow(support.plan_for(years[2024], sqa_officer), area, sqa_officer)
    support.plan_for(years[2023], sqa_officer)

    assert _queries(client, url) == few
    assert few <= 8, few
