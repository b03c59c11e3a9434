"""The audit-plans API: scoping by persona, response shape with progress, writes by the SQA officer only,
and a list whose query count does not grow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from audits.models import AuditPlanStatus, AuditStatus
from audits.tests import test_plans_support as support
from audits.tests.factories import AuditFactory

LIST = "/api/v1/audit-plans/"


def detail(pk: int, action: str = "") -> str:
    return f"{LIST}{pk}/{action + '/' if action else ''}"


pytestmark = support.FROZEN


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def years(area):
    return support.years(area.partnership)


@pytest.fixture
def plan(years, area, sqa_officer):
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school, planned_count=4, half=2)
    support.audit_of_a_child(activity, case_reference="HIDDEN-REF", status=AuditStatus.CLOSED)
    AuditFactory(agency=area.school, activity=activity, due_on=dt.date(2025, 9, 20))
    return plan


@pytest.fixture
def elsewhere_plan(other_area, outsider_sqa):
    return support.plan_for(support.years(other_area.partnership)[2025], outsider_sqa)


@pytest.mark.parametrize("persona", support.PLAN_READERS)
def test_partnership_members_list_and_open_their_plans_only(api, request, plan, elsewhere_plan, persona):
    api.force_authenticate(request.getfixturevalue(persona))

    listed = api.get(LIST)

    assert listed.status_code == 200
    assert [row["id"] for row in listed.json()["results"]] == [plan.pk]
    assert api.get(detail(plan.pk)).status_code == 200
    assert api.get(detail(elsewhere_plan.pk)).status_code == 404
    assert "HIDDEN-REF" not in listed.content.decode()


def test_outsider_sees_only_their_own(api, plan, elsewhere_plan, outsider_sqa):
    api.force_authenticate(outsider_sqa)

    assert [row["id"] for row in api.get(LIST).json()["results"]] == [elsewhere_plan.pk]
    assert api.get(detail(plan.pk)).status_code == 404


def test_anonymous_callers_are_refused(api, plan):
    assert api.get(LIST).status_code in (401, 403)


def test_plan_shape_with_activities_and_progress(api, plan, area, board_member):
    api.force_authenticate(board_member)

    body = api.get(detail(plan.pk)).json()

    assert body["academic_year_label"] == "2025/26" and body["status"] == "draft"
    (activity,) = body["activities"]
    assert activity["level"] == 1 and activity["lead_agency"] == area.school.pk
    assert activity["half_term_number"] == 2
    assert (activity["planned_count"], activity["scheduled"], activity["done"], activity["late"]) == (
        4,
        2,
        1,
        1,
    )
    assert body["totals"] == {"planned": 4, "scheduled": 2, "done": 1, "late": 1}


def test_filters_by_year_and_status(api, plan, years, sqa_officer):
    api.force_authenticate(sqa_officer)
    older = support.plan_for(years[2024], sqa_officer)

    assert [r["id"] for r in api.get(LIST, {"year": 2024}).json()["results"]] == [older.pk]
    assert {r["id"] for r in api.get(LIST, {"status": "draft"}).json()["results"]} == {plan.pk, older.pk}
    assert api.get(LIST, {"status": "approved"}).json()["count"] == 0


# --- writes -------------------------------------------------------------------------------------------------


def test_sqa_officer_creates_fills_approves_and_reopens_a_plan(api, years, area, sqa_officer):
    api.force_authenticate(sqa_officer)
    tool = support.tool(area.partnership, levels=[3])

    created = api.post(LIST, {"academic_year": years[2024].pk}, format="json")
    pk = created.json()["id"]
    added = api.post(
        detail(pk, "activities"),
        {
            "level": 3,
            "kind": "case_audit",
            "half_term": support.half_term(years[2024], 3).pk,
            "lead_agency": area.sqa.pk,
            "tool": tool.pk,
            "planned_count": 6,
        },
        format="json",
    )
    activity_id = added.json()["activities"][0]["id"]
    changed = api.patch(detail(pk, f"activities/{activity_id}"), {"planned_count": 7}, format="json")
    approved = api.post(detail(pk, "approve"))
    locked = api.patch(detail(pk, f"activities/{activity_id}"), {"planned_count": 8}, format="json")
    no_reason = api.post(detail(pk, "reopen"), {}, format="json")
    reopened = api.post(detail(pk, "reopen"), {"reason": "Add a dip sample"}, format="json")
    removed = api.delete(detail(pk, f"activities/{activity_id}"))

    assert created.status_code == 201 and created.json()["title"] == "Annual audit plan 2024/25"
    assert added.status_code == 201 and added.json()["totals"]["planned"] == 6
    assert changed.status_code == 200 and changed.json()["activities"][0]["planned_count"] == 7
    assert approved.status_code == 200 and approved.json()["status"] == AuditPlanStatus.APPROVED
    assert locked.status_code == 400 and "approved" in locked.json()["non_field_errors"][0]
    assert no_reason.status_code == 400 and "reason" in no_reason.json()
    assert reopened.status_code == 200 and reopened.json()["status"] == AuditPlanStatus.DRAFT
    assert removed.status_code == 204
    assert api.get(detail(pk)).json()["activities"] == []


def test_service_rules_come_back_as_field_errors(api, plan, years, area, sqa_officer):
    api.force_authenticate(sqa_officer)
    wrong_tool = support.tool(area.partnership, levels=[1, 2])

    response = api.post(
        detail(plan.pk, "activities"),
        {
            "level": 3,
            "kind": "case_audit",
            "half_term": support.half_term(years[2024], 1).pk,
            "lead_agency": area.sqa.pk,
            "tool": wrong_tool.pk,
        },
        format="json",
    )
    duplicate = api.post(LIST, {"academic_year": years[2025].pk}, format="json")

    assert response.status_code == 400
    assert {"half_term", "tool"} <= set(response.json())
    assert duplicate.status_code == 400 and "academic_year" in duplicate.json()


def test_ids_of_another_partnership_do_not_exist(api, plan, other_area, sqa_officer):
    api.force_authenticate(sqa_officer)
    foreign_year = support.years(other_area.partnership)[2025]

    response = api.post(LIST, {"academic_year": foreign_year.pk}, format="json")
    activity = api.post(
        detail(plan.pk, "activities"),
        {
            "kind": "case_audit",
            "half_term": support.half_term(foreign_year, 1).pk,
            "lead_agency": other_area.school.pk,
        },
        format="json",
    )

    assert response.status_code == 400 and "academic_year" in response.json()
    assert activity.status_code == 400 and {"half_term", "lead_agency"} <= set(activity.json())


@pytest.mark.parametrize("persona", ["agency_manager", "sat_caseworker", "board_member", "partnership_admin"])
def test_only_the_sqa_officer_writes(api, request, plan, years, area, persona):
    api.force_authenticate(request.getfixturevalue(persona))
    activity_id = plan.activities.get().pk

    responses = [
        api.post(LIST, {"academic_year": years[2024].pk}, format="json"),
        api.post(detail(plan.pk, "approve")),
        api.post(detail(plan.pk, "reopen"), {"reason": "x"}, format="json"),
        api.post(detail(plan.pk, "activities"), {"kind": "case_audit"}, format="json"),
        api.patch(detail(plan.pk, f"activities/{activity_id}"), {"planned_count": 1}, format="json"),
        api.delete(detail(plan.pk, f"activities/{activity_id}")),
    ]

    assert [r.status_code for r in responses] == [403] * 6
    plan.refresh_from_db()
    assert plan.status == AuditPlanStatus.DRAFT and plan.activities.get().planned_count == 4


def test_writes_to_another_partnerships_plan_are_404(api, elsewhere_plan, sqa_officer):
    api.force_authenticate(sqa_officer)

    assert api.post(detail(elsewhere_plan.pk, "approve")).status_code == 404
    assert api.delete(detail(elsewhere_plan.pk, "activities/1")).status_code == 404


def test_activity_of_another_plan_is_404(api, plan, years, area, sqa_officer):
    api.force_authenticate(sqa_officer)
    other = support.plan_for(years[2024], sqa_officer)

    response = api.patch(
        detail(other.pk, f"activities/{plan.activities.get().pk}"), {"planned_count": 1}, format="json"
    )

    assert response.status_code == 404


# --- query count ---------------------------------------------------------------------------------------------


def _queries(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(LIST)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["sqa_officer", "board_member"])
def test_list_query_count_does_not_grow(
    api, request, plan, years, area, sqa_officer, persona, django_assert_max_num_queries
):
    api.force_authenticate(request.getfixturevalue(persona))
    few = _queries(api)

    for year in (years[2024], years[2023]):
        extra = support.plan_for(year, sqa_officer)
        for half in range(1, 7):
            activity = support.activity(extra, sqa_officer, level=1, lead_agency=area.school, half=half)
            AuditFactory(agency=area.school, activity=activity, status=AuditStatus.SUBMITTED)

    with django_assert_max_num_queries(few):
        response = api.get(LIST)
    assert response.json()["count"] == 3
    assert sum(len(p["activities"]) for p in response.json()["results"]) == 13
    assert few <= 5
