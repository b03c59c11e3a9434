"""The audit list (filters, pagination, query counts), "my audits", the audit page, and reopen / close."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.tests.support import queries_as_rows_grow
from audits.models import (
    AuditAnswer,
    AuditAssignment,
    AuditEvent,
    AuditSectionResult,
    AuditStatus,
    Grade,
    Moderation,
    ModerationSectionGrade,
    ToolSection,
)
from audits.services import workflow
from audits.tests import test_access_audits as shared
from audits.tests.factories import AuditFactory, make_tool_version
from audits.views.audits import url_if_routed
from ehcp.tests.factories import ChildFactory
from qaf.history.services import event_record
from qaf.models import Role, Theme
from qaf.services import academic_year_create_default
from qaf.tests.factories import member

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # a Wednesday of the autumn term
TODAY = NOW.date()


# Every test runs on the same day (time-machine's mark); the clock ticks so events keep their order.
pytestmark = pytest.mark.time_machine(NOW)


# The world of one audit per access rule, shared with the access tests.
world = shared.world
health_member = shared.health_member


def _listed(response) -> set[int]:
    return {a.pk for a in response.context["page"].object_list}


# --- the list and its filters -------------------------------------------------------------------------


@pytest.fixture
def mixed(area, practitioner):
    """Audits that differ in one filterable way each."""
    p = area.partnership
    year = academic_year_create_default(partnership=p, start_year=2025)
    autumn = year.terms.get(number=1)
    theme = Theme.objects.create(partnership=p, name="Preparation for adulthood")
    version = make_tool_version(p)
    child = ChildFactory(partnership=p, agencies=[area.school])

    def audit(**kwargs):
        return AuditFactory(tool_version=version, child=child, **{"agency": area.school, **kwargs})

    rows = {
        "level2": audit(level=2, agency=area.sat, due_on=TODAY + dt.timedelta(days=3)),
        "other_agency": audit(agency=area.other_school, due_on=TODAY + dt.timedelta(days=5)),
        "graded": audit(
            status=AuditStatus.SUBMITTED, overall_grade=Grade.GOOD, due_on=TODAY - dt.timedelta(days=40)
        ),
        "in_autumn": audit(status=AuditStatus.CLOSED, due_on=autumn.starts_on + dt.timedelta(days=10)),
        "overdue": audit(status=AuditStatus.IN_PROGRESS, due_on=TODAY - dt.timedelta(days=1)),
        "themed": audit(assignees=[practitioner], due_on=TODAY + dt.timedelta(days=30)),
    }
    rows["themed"].themes.add(theme)
    return {"rows": rows, "autumn": autumn, "theme": theme}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"level2", "other_agency", "graded", "in_autumn", "overdue", "themed"}),
        ({"level": "2"}, {"level2"}),
        ({"status": "submitted"}, {"graded"}),
        ({"grade": "good"}, {"graded"}),
        ({"overdue": "on"}, {"overdue"}),
        ({"level": "1", "status": "scheduled"}, {"other_agency", "themed"}),
    ],
)
def test_list_filters(client, sqa_officer, mixed, query, expected):
    client.force_login(sqa_officer)
    response = client.get(reverse("audits:audit-list"), query)
    assert response.status_code == 200
    assert _listed(response) == {mixed["rows"][name].pk for name in expected}


def test_list_filters_by_agency_term_theme_and_auditor(client, sqa_officer, mixed, area, practitioner):
    client.force_login(sqa_officer)
    rows = mixed["rows"]
    for query, expected in (
        ({"agency": area.other_school.pk}, {rows["other_agency"].pk}),
        ({"term": mixed["autumn"].pk}, {rows["in_autumn"].pk}),
        ({"theme": mixed["theme"].pk}, {rows["themed"].pk}),
        ({"auditor": practitioner.pk}, {rows["themed"].pk}),
    ):
        response = client.get(reverse("audits:audit-list"), query)
        assert _listed(response) == expected, query
        assert response.context["active_filters"], query


def test_list_shows_tags_for_overdue_status_and_grade(client, sqa_officer, mixed):
    client.force_login(sqa_officer)
    html = client.get(reverse("audits:audit-list")).content.decode()
    assert 'govuk-tag--red">Overdue' in html
    assert 'govuk-tag--teal">Good' in html
    assert 'govuk-tag--purple">Submitted' in html
    assert mixed["rows"]["graded"].child.case_reference in html


def _bulk_audits(area, n: int, version, assignee, theme):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school])
    for i in range(n):
        audit = AuditFactory(
            agency=area.school,
            tool_version=version,
            child=child,
            due_on=TODAY + dt.timedelta(days=i - n // 2),
            assignees=[assignee],
        )
        audit.themes.add(theme)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_list_query_count_is_the_same_for_3_and_30_audits(
    client, request, area, practitioner, django_assert_max_num_queries, persona
):
    client.force_login(request.getfixturevalue(persona))
    version = make_tool_version(area.partnership)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    _bulk_audits(area, 3, version, practitioner, theme)
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=16,
        sizes=(0, 27),
        add=lambda more: _bulk_audits(area, more, version, practitioner, theme),
        fetch=lambda: client.get(reverse("audits:audit-list"), {"level": "1", "overdue": ""}),
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert counts[0] == counts[1]
    response = responses[-1]
    assert response.context["page"].paginator.count == 30
    assert len(response.context["page"].object_list) == 25


def test_my_audits_query_count_is_the_same_for_3_and_30(
    client, area, practitioner, django_assert_max_num_queries
):
    client.force_login(practitioner)
    version = make_tool_version(area.partnership)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=10,
        sizes=(3, 27),
        add=lambda n: _bulk_audits(area, n, version, practitioner, theme),
        fetch=lambda: client.get(reverse("audits:my-audits")),
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert counts[0] == counts[1]


def test_my_audits_puts_open_audits_first_soonest_due_first(client, area, practitioner):
    version = make_tool_version(area.partnership)

    def audit(status, days):
        return AuditFactory(
            agency=area.school,
            tool_version=version,
            status=status,
            due_on=TODAY + dt.timedelta(days=days),
            assignees=[practitioner],
        )

    closed_recent = audit(AuditStatus.CLOSED, -5)
    open_later = audit(AuditStatus.SCHEDULED, 20)
    closed_old = audit(AuditStatus.SUBMITTED, -50)
    open_soon = audit(AuditStatus.IN_PROGRESS, -2)
    AuditFactory(agency=area.school, tool_version=version)  # not assigned: not listed
    client.force_login(practitioner)
    response = client.get(reverse("audits:my-audits"))
    assert [a.pk for a in response.context["page"].object_list] == [
        open_soon.pk,
        open_later.pk,
        closed_recent.pk,
        closed_old.pk,
    ]


# --- the audit page --------------------------------------------------------------------------------------


def _answered_audit(area, *, assignee, sections=None, moderated=True):
    """A submitted audit with every question answered, section results, a moderation and some history."""
    version = make_tool_version(area.partnership, **({"sections": sections} if sections else {}))
    audit = AuditFactory(
        agency=area.school,
        tool_version=version,
        child=ChildFactory(partnership=area.partnership, agencies=[area.school]),
        status=AuditStatus.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=1),
        strengths="Clear outcomes in section E.",
        areas_for_development="Health advice was late.",
        computed_grade=Grade.REQUIRES_IMPROVEMENT,
        override_grade=Grade.GOOD,
        override_reason="Provision is well specified despite late advice.",
        overall_grade=Grade.GOOD,
        assignees=[assignee],
    )
    moderation = None
    if moderated:
        moderator = member(area.sqa, Role.SQA_OFFICER)
        moderation = Moderation.objects.create(
            audit=audit, moderator=moderator, overall_grade=Grade.OUTSTANDING
        )
    for section in ToolSection.objects.filter(version=version):
        AuditSectionResult.objects.create(
            audit=audit, section=section, score=Decimal("3.000"), computed_grade=Grade.GOOD, grade=Grade.GOOD
        )
        if moderation:
            ModerationSectionGrade.objects.create(
                moderation=moderation, section=section, grade=Grade.INADEQUATE
            )
        for question in section.questions.all():
            AuditAnswer.objects.create(
                audit=audit, question=question, value="3", evidence=f"Seen in {section.code}"
            )
    for action in ("scheduled", "started", "submitted"):
        event_record(subject=audit, user=assignee, kind=action)
    return audit


def test_audit_page_shows_the_audit_section_by_section(client, area, sqa_officer, practitioner):
    audit = _answered_audit(area, assignee=practitioner)
    client.force_login(sqa_officer)
    response = client.get(reverse("audits:audit-detail", args=[audit.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"{audit.tool_version.tool.name}, version 1" in html
    assert "Are needs described specifically?" in html
    assert "Good: are needs described specifically?" in html  # the guidance beside the question
    assert "Seen in B" in html
    assert "Provision is well specified despite late advice." in html
    assert "Clear outcomes in section E." in html and "Health advice was late." in html
    assert "Moderated by" in html and 'govuk-tag--red">Inadequate' in html
    assert "Audit submitted" in html and "moj-timeline" in html
    sections = response.context["sections"]
    assert [s.section.code for s in sections] == ["A", "B", "E", "F"]
    assert all(s.moderated_grade == Grade.INADEQUATE for s in sections)
    assert sections[1].questions[0].label == "Good"


def test_audit_page_keeps_showing_the_version_it_used_after_a_new_version(
    client, area, sqa_officer, practitioner
):
    audit = _answered_audit(area, assignee=practitioner, moderated=False)
    make_tool_version(
        area.partnership, tool=audit.tool_version.tool, sections=[("Z", "New section", "1", [("New?", "1")])]
    )
    client.force_login(sqa_officer)
    html = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert f"{audit.tool_version.tool.name}, version 1" in html
    assert "New section" not in html


def test_audit_page_shows_level_specific_parts(client, world, sqa_officer, health_member, board_member):
    client.force_login(sqa_officer)
    l2 = client.get(reverse("audits:audit-detail", args=[world.l2.pk])).content.decode()
    assert "Draft or final plan peer-reviewed by a caseworker" in l2 and "Draft plan" in l2
    l3 = client.get(reverse("audits:audit-detail", args=[world.l3.pk])).content.decode()
    assert "Multi-agency panel" in l3 and health_member.display_name in l3
    l4 = client.get(reverse("audits:audit-detail", args=[world.l4.pk])).content.decode()
    assert board_member.display_name in l4 and "Not recorded" in l4


def test_audit_page_offers_actions_by_access(client, area, sqa_officer, practitioner, agency_manager):
    audit = AuditFactory(
        agency=area.school, tool_version=make_tool_version(area.partnership), assignees=[practitioner]
    )
    client.force_login(practitioner)
    actions = client.get(reverse("audits:audit-detail", args=[audit.pk])).context["actions"]
    assert actions["form"] == url_if_routed("audits:audit-form", audit.pk)
    assert not any(actions[name] for name in ("reopen", "close", "panel", "case_review", "moderate"))
    client.force_login(agency_manager)  # sees it, is not assigned
    assert client.get(reverse("audits:audit-detail", args=[audit.pk])).context["actions"]["form"] is None
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    client.force_login(sqa_officer)
    actions = client.get(reverse("audits:audit-detail", args=[audit.pk])).context["actions"]
    assert actions["reopen"] == reverse("audits:audit-reopen", args=[audit.pk])
    assert actions["close"] == reverse("audits:audit-close", args=[audit.pk])
    assert actions["moderate"] == url_if_routed("audits:audit-moderate", audit.pk)
    assert actions["form"] is None


def test_reaudit_link_only_when_there_is_a_reaudit(client, area, sqa_officer):
    version = make_tool_version(area.partnership)
    first = AuditFactory(agency=area.school, tool_version=version)
    lone = AuditFactory(agency=area.school, tool_version=version)
    again = AuditFactory(agency=area.school, tool_version=version, reaudit_of=first)
    client.force_login(sqa_officer)
    compare = url_if_routed("audits:audit-compare", first.pk)
    assert client.get(reverse("audits:audit-detail", args=[first.pk])).context["compare_url"] == compare
    assert client.get(reverse("audits:audit-detail", args=[again.pk])).context[
        "compare_url"
    ] == url_if_routed("audits:audit-compare", again.pk)
    assert client.get(reverse("audits:audit-detail", args=[lone.pk])).context["compare_url"] is None


def test_audit_page_query_count_does_not_grow(
    client, area, sqa_officer, practitioner, django_assert_max_num_queries
):
    many_sections = [
        (code, f"Section {code}", "1", [(f"Question {code}{i}?", "1") for i in range(6)])
        for code in "ABCDEFGHIJK"
    ]
    small = _answered_audit(area, assignee=practitioner)
    large = _answered_audit(area, assignee=practitioner, sections=many_sections)
    for _ in range(20):
        event_record(subject=large, user=sqa_officer, kind="answered")
    for _ in range(5):
        AuditFactory(
            agency=area.school, tool_version=large.tool_version, reaudit_of=large, assignees=[sqa_officer]
        )
    AuditAssignment.objects.create(audit=large, user=sqa_officer)
    client.force_login(sqa_officer)
    # One request first, so that process-wide caches (content types) are warm whatever ran before.
    client.get(reverse("audits:audit-detail", args=[small.pk]))
    counts = []
    for audit in (small, large):
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("audits:audit-detail", args=[audit.pk])).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1], counts


# --- reopen and close ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(area, practitioner):
    audit = AuditFactory(
        agency=area.school,
        tool_version=make_tool_version(area.partnership),
        status=AuditStatus.SUBMITTED,
        submitted_at=timezone.now(),
        assignees=[practitioner],
    )
    event_record(subject=audit, user=practitioner, kind="submitted")
    return audit


def test_sqa_officer_reopens_with_a_reason_and_the_history_is_kept(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    response = client.post(
        reverse("audits:audit-reopen", args=[submitted.pk]), {"reason": "Section F unanswered"}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.IN_PROGRESS
    assert submitted.submitted_at is None
    events = list(AuditEvent.objects.filter(audit=submitted).values_list("kind", "details"))
    assert events == [
        ("submitted", {}),
        ("reopened", {"reason": "Section F unanswered", "previous_status": "submitted"}),
    ]
    page = client.get(reverse("audits:audit-detail", args=[submitted.pk])).content.decode()
    assert "Audit reopened" in page and "Reason: Section F unanswered" in page


def test_reopen_without_a_reason_is_an_error_and_changes_nothing(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    response = client.post(reverse("audits:audit-reopen", args=[submitted.pk]), {"reason": "  "})
    assert response.status_code == 200
    assert response.context["form"].errors == {"reason": ["Enter the reason for reopening the audit"]}
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED
    assert not AuditEvent.objects.filter(audit=submitted, kind="reopened").exists()


@pytest.mark.parametrize("persona", ["practitioner", "agency_manager"])
def test_only_sqa_officers_reopen(client, request, submitted, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("audits:audit-reopen", args=[submitted.pk]), {"reason": "Please"})
    assert response.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED


def test_reopen_service_rules(submitted, sqa_officer, agency_manager, outsider_sqa):
    with pytest.raises(ValidationError) as error:
        workflow.audit_reopen(audit=submitted, by=sqa_officer, reason="")
    assert "reason" in error.value.message_dict
    for user in (agency_manager, outsider_sqa):
        with pytest.raises(PermissionDenied):
            workflow.audit_reopen(audit=submitted, by=user, reason="Because")
    workflow.audit_reopen(audit=submitted, by=sqa_officer, reason="Because")
    assert submitted.status == AuditStatus.IN_PROGRESS
    with pytest.raises(ValidationError):  # already open
        workflow.audit_reopen(audit=submitted, by=sqa_officer, reason="Again")


def test_sqa_officer_closes_a_submitted_audit_and_can_reopen_it(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-close", args=[submitted.pk])).status_code == 200
    assert client.post(reverse("audits:audit-close", args=[submitted.pk])).status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.CLOSED and submitted.closed_at is not None
    workflow.audit_reopen(audit=submitted, by=sqa_officer, reason="New evidence")
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.IN_PROGRESS and submitted.closed_at is None
    assert list(AuditEvent.objects.filter(audit=submitted).values_list("kind", flat=True)) == [
        "submitted",
        "closed",
        "reopened",
    ]


def test_close_service_refuses_open_audits_and_other_people(area, sqa_officer, practitioner, submitted):
    open_audit = AuditFactory(
        agency=area.school, tool_version=submitted.tool_version, status=AuditStatus.IN_PROGRESS
    )
    with pytest.raises(ValidationError):
        workflow.audit_close(audit=open_audit, by=sqa_officer)
    with pytest.raises(PermissionDenied):
        workflow.audit_close(audit=submitted, by=practitioner)
    assert not AuditEvent.objects.filter(kind="closed").exists()
