"""The `audits` API resource: scoped exactly like the pages, read-only, with answers and grades, filters,
and a query count that does not grow with the number of audits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from actions.tests.support import queries_as_rows_grow
from audits.models import AuditAnswer, AuditSectionResult, AuditStatus, Grade, Moderation, ToolSection
from audits.services.case_review import case_review_update
from audits.tests import test_access_audits as shared
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.models import Theme
from qaf.services import academic_year_create_default

LIST = "/api/v1/audits/"
VISIBLE = shared.VISIBLE
EVERY = shared.EVERY
world = shared.world
health_member = shared.health_member


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_list_shows_exactly_the_audits_the_persona_may_see(api, request, world, persona):
    api.force_login(request.getfixturevalue(persona))
    response = api.get(LIST)
    assert response.status_code == 200
    assert shared.names_of(world, ids(response)) == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_retrieve_is_404_for_audits_the_persona_may_not_see(api, request, world, persona):
    api.force_login(request.getfixturevalue(persona))
    statuses = {name: api.get(detail(getattr(world, name).pk)).status_code for name in EVERY}
    assert statuses == {name: 200 if name in VISIBLE[persona] else 404 for name in EVERY}


def test_panel_member_loses_the_audit_in_the_api_when_removed(api, world, health_member, sqa_officer):
    from audits.services.panel import panel_member_remove

    api.force_login(health_member)
    assert api.get(detail(world.l3.pk)).status_code == 200
    panel_member_remove(audit=world.l3, user=health_member, by=sqa_officer)
    assert api.get(detail(world.l3.pk)).status_code == 404
    assert api.get(f"/api/v1/children/{world.l3.child_id}/").status_code == 404
    assert api.get(LIST).json()["count"] == 0


def test_unauthenticated_callers_are_refused(api, world):
    assert api.get(LIST).status_code == 401


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_resource_is_read_only(api, world, sqa_officer, method):
    api.force_login(sqa_officer)
    url = LIST if method == "post" else detail(world.l1_school.pk)
    assert getattr(api, method)(url, {}, format="json").status_code == 405


def test_record_shape_with_answers_grades_moderations_panel_and_case_review(
    api, area, world, sqa_officer, board_member, health_member
):
    audit = world.l1_school
    section = ToolSection.objects.filter(version=audit.tool_version, code="B").get()
    question = section.questions.order_by("order").first()
    AuditAnswer.objects.create(audit=audit, question=question, value="na", evidence="No needs recorded")
    AuditSectionResult.objects.create(
        audit=audit,
        section=section,
        score=Decimal("2.250"),
        computed_grade=Grade.REQUIRES_IMPROVEMENT,
        override_grade=Grade.GOOD,
        override_reason="Strong evidence",
        grade=Grade.GOOD,
    )
    Moderation.objects.create(
        audit=audit, moderator=sqa_officer, overall_grade=Grade.INADEQUATE, notes="Weak"
    )
    api.force_login(sqa_officer)
    body = api.get(detail(audit.pk)).json()
    assert body["level"] == 1 and body["status"] == "scheduled"
    assert body["tool_version"] == audit.tool_version_id and body["tool_version_number"] == 1
    assert body["tool_name"] == audit.tool_version.tool.name
    assert body["agency"] == area.school.pk and body["child_case_reference"] == "SCH-1"
    assert body["answers"] == [
        {
            "question": question.pk,
            "section": section.pk,
            "value": "na",
            "evidence": "No needs recorded",
            "updated_at": body["answers"][0]["updated_at"],
        }
    ]
    assert body["section_results"][0] | {"score": None} == {
        "section": section.pk,
        "code": "B",
        "title": section.title,
        "score": None,
        "computed_grade": "requires_improvement",
        "override_grade": "good",
        "override_reason": "Strong evidence",
        "grade": "good",
    }
    assert Decimal(body["section_results"][0]["score"]) == Decimal("2.25")
    assert [m["overall_grade"] for m in body["moderations"]] == ["inadequate"]
    assert body["case_review"] is None

    l3 = api.get(detail(world.l3.pk)).json()
    assert [(m["id"], m["agency"]) for m in l3["panel_members"]] == [(health_member.pk, area.health.pk)]
    case_review_update(
        record=world.l4.case_review,
        by=board_member,
        consent_given_by="Parent",
        consent_given_on=timezone.localdate(),
        consent_how="Email",
    )
    l4 = api.get(detail(world.l4.pk)).json()
    assert l4["case_review"]["lead_board_member"] == board_member.pk
    assert l4["case_review"]["has_consent"] is True
    assert {a["id"] for a in l4["assignees"]} == {board_member.pk, sqa_officer.pk}


# --- filters -------------------------------------------------------------------------------------------------


def test_filters_match_the_page(api, area, world, sqa_officer, practitioner):
    today = timezone.localdate()
    year = academic_year_create_default(partnership=area.partnership, start_year=2025)
    autumn = year.terms.get(number=1)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    world.l1_other.themes.add(theme)
    world.l2.status = AuditStatus.SUBMITTED
    world.l2.overall_grade = world.l2.grade_of_record = Grade.GOOD
    world.l2.save()
    world.l1_school.due_on = autumn.starts_on + dt.timedelta(days=3)
    world.l1_school.save()
    world.l3.due_on = today - dt.timedelta(days=1)
    world.l3.save()
    api.force_login(sqa_officer)
    cases = [
        ({"level": 1}, {"l1_school", "l1_school_mine", "l1_other"}),
        ({"level": 4}, {"l4"}),
        ({"agency": area.other_school.pk}, {"l1_other"}),
        ({"status": "submitted"}, {"l2"}),
        ({"grade": "good"}, {"l2"}),
        ({"term": autumn.pk}, {"l1_school"}),
        ({"theme": theme.pk}, {"l1_other"}),
        ({"auditor": practitioner.pk}, {"l1_school_mine"}),
        ({"overdue": "true"}, {"l3"} | ({"l1_school"} if world.l1_school.due_on < today else set())),
        ({"child": world.children.l4.pk}, {"l4"}),
    ]
    for query, expected in cases:
        response = api.get(LIST, query)
        assert response.status_code == 200, query
        assert shared.names_of(world, ids(response)) == expected, query


def test_unknown_choice_in_a_filter_is_400(api, world, sqa_officer):
    api.force_login(sqa_officer)
    assert api.get(LIST, {"status": "lost"}).status_code == 400
    assert api.get(LIST, {"level": 7}).status_code == 400


def test_filters_never_widen_an_agency_managers_scope(api, world, area, agency_manager):
    api.force_login(agency_manager)
    for query in ({"level": 2}, {"agency": area.other_school.pk}, {"child": world.children.l4.pk}):
        assert api.get(LIST, query).json()["count"] == 0, query


# --- query counts --------------------------------------------------------------------------------------------


def _audits(area, n: int, version, assignee, theme):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school])
    sections = list(ToolSection.objects.filter(version=version).prefetch_related("questions"))
    for _ in range(n):
        audit = AuditFactory(agency=area.school, tool_version=version, child=child, assignees=[assignee])
        audit.themes.add(theme)
        for section in sections:
            AuditSectionResult.objects.create(audit=audit, section=section, grade=Grade.GOOD)
            for question in section.questions.all():
                AuditAnswer.objects.create(audit=audit, question=question, value="3")
        Moderation.objects.create(audit=audit, moderator=assignee, overall_grade=Grade.GOOD)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_list_query_count_is_the_same_for_3_and_30_audits(
    api, request, area, practitioner, django_assert_max_num_queries, persona
):
    api.force_login(request.getfixturevalue(persona))
    version = make_tool_version(area.partnership)
    theme = Theme.objects.create(partnership=area.partnership, name="Preparation for adulthood")
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=16,
        sizes=(3, 27),
        add=lambda n: _audits(area, n, version, practitioner, theme),
        fetch=lambda: api.get(LIST, {"level": 1}),
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert counts[0] == counts[1]
    response = responses[-1]
    assert response.json()["count"] == 30
    assert all(len(row["answers"]) == 5 for row in response.json()["results"])
