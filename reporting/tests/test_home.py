"""Each role's home page shows figures computed from the data, and the board never sees a child."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp.tests.factories import ChildFactory, NeedsAssessmentFactory


@pytest.fixture
def figures_data(area):
    """Three school children (one review overdue) and one other-school child (review overdue);
    two final plans in the last year, one of them within 20 weeks."""
    today = timezone.localdate()
    p = area.partnership
    overdue = today - dt.timedelta(days=10)
    later = today + dt.timedelta(days=200)
    a, b, _, _ = [
        ChildFactory(
            partnership=p,
            case_reference=reference,
            primary_need=need,
            agencies=[agency],
            next_review_due_on=due,
        )
        for reference, need, agency, due in [
            ("H-1", "ASD", area.school, overdue),
            ("H-2", "ASD", area.school, later),
            ("H-3", "SEMH", area.school, later),
            ("H-4", "SLCN", area.other_school, overdue),
        ]
    ]
    start = today - dt.timedelta(weeks=30)
    # H-1's final plan came 19 weeks after the request (within 20), H-2's after 25.
    for child, weeks_to_plan in ((a, 19), (b, 25)):
        NeedsAssessmentFactory(
            child=child,
            requested_on=start,
            decision_on=start + dt.timedelta(weeks=5),
            final_plan_issued_on=start + dt.timedelta(weeks=weeks_to_plan),
        )


def test_sqa_home_shows_partnership_figures(client, sqa_officer, figures_data):
    client.force_login(sqa_officer)
    response = client.get(reverse("home"))
    figures = response.context["view"].figures
    assert response.context["view"].kind == "sqa"
    assert figures.children == 4
    assert figures.reviews_overdue == 2
    assert (figures.finals_within_20_weeks, figures.finals_last_year) == (1, 2)
    assert figures.percent_within_20_weeks == 50.0
    assert figures.need_mix[0][:3] == ("ASD", "Autistic spectrum disorder", 2)
    assert "50.0%" in response.content.decode()


def test_agency_manager_home_counts_only_their_agency(client, agency_manager, figures_data):
    client.force_login(agency_manager)
    view = client.get(reverse("home")).context["view"]
    assert view.kind == "agency"
    assert view.figures.children == 3
    assert view.figures.reviews_overdue == 1


def test_board_home_has_aggregates_and_no_child(client, board_member, figures_data):
    client.force_login(board_member)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert response.context["view"].kind == "board"
    assert response.context["view"].figures.children == 4
    assert "H-1" not in body and "H-4" not in body
    assert reverse("ehcp:child-list") not in body


def test_sat_home_shows_caseload(client, sat_caseworker, area):
    ChildFactory(partnership=area.partnership, caseworker=sat_caseworker)
    ChildFactory(partnership=area.partnership, caseworker=sat_caseworker, plan_ended_on=dt.date(2025, 1, 1))
    client.force_login(sat_caseworker)
    view = client.get(reverse("home")).context["view"]
    assert view.kind == "sat"
    assert view.my_caseload == 1


def test_admin_home_counts_what_they_administer(client, partnership_admin, area, other_area):
    client.force_login(partnership_admin)
    view = client.get(reverse("home")).context["view"]
    assert view.kind == "admin"
    assert view.admin_counts["agencies"] == 6  # area's agencies only, not other_area's
    assert view.admin_counts["themes"] == 0


def test_home_query_count_is_fixed(client, sqa_officer, figures_data, django_assert_max_num_queries):
    client.force_login(sqa_officer)
    with django_assert_max_num_queries(18):
        assert client.get(reverse("home")).status_code == 200


def test_anonymous_home_redirects_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_home_counts_the_audits_the_user_may_see(client, agency_manager, practitioner, area):
    from audits.models import AuditStatus
    from audits.tests.factories import AuditFactory, make_tool_version

    version = make_tool_version(area.partnership)
    today = timezone.localdate()
    AuditFactory(
        agency=area.school,
        tool_version=version,
        assignees=[practitioner],
        due_on=today - dt.timedelta(days=3),
    )
    AuditFactory(agency=area.school, tool_version=version, assignees=[practitioner])
    AuditFactory(
        agency=area.school,
        tool_version=version,
        status=AuditStatus.SUBMITTED,
        submitted_at=timezone.now(),
        overall_grade="good",
        assignees=[practitioner],
    )
    AuditFactory(agency=area.other_school, tool_version=version)  # not the manager's
    client.force_login(agency_manager)
    figures = client.get(reverse("home")).context["view"].audits
    assert (figures.open, figures.overdue, figures.submitted_last_year, figures.awaiting_moderation) == (
        2,
        1,
        1,
        1,
    )
    assert dict((g, n) for g, _label, n in figures.grades)["good"] == 1
    client.force_login(practitioner)
    assert client.get(reverse("home")).context["view"].audits.mine_open == 2


def test_board_home_links_to_the_aggregate_evidence_pages(client, board_member):
    client.force_login(board_member)
    body = client.get(reverse("home")).content.decode()
    for name in (
        "audits:moderation",
        "actions:action-themes",
        "actions:workforce-development",
        "feedback:analysis",
    ):
        assert reverse(name) in body
        assert client.get(reverse(name)).status_code == 200, name


@pytest.mark.parametrize(
    "persona", ["sqa_officer", "sat_caseworker", "agency_manager", "board_member", "partnership_admin"]
)
def test_home_query_count_does_not_grow_with_the_data(
    client, request, area, figures_data, django_assert_max_num_queries, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    with django_assert_max_num_queries(18) as small:
        assert client.get(reverse("home")).status_code == 200
    for i in range(20):
        child = ChildFactory(partnership=area.partnership, agencies=[area.school, area.other_school])
        NeedsAssessmentFactory(child=child, requested_on=timezone.localdate() - dt.timedelta(weeks=i + 1))
    with django_assert_max_num_queries(18) as large:
        assert client.get(reverse("home")).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_home_voice_figures_follow_the_feedback_scope(agency_manager, board_member, sqa_officer, area):
    from feedback.tests.factories import ComplaintFactory, FeedbackInvitationFactory
    from reporting.selectors import voice_figures

    today = timezone.localdate()
    answered = FeedbackInvitationFactory(agency=area.school, meeting_on=today, responded_at=timezone.now())
    FeedbackInvitationFactory(agency=area.school, meeting_on=today)
    FeedbackInvitationFactory(agency=area.school, meeting_on=today, withdrawn_at=timezone.now())
    FeedbackInvitationFactory(agency=area.health, meeting_on=today)
    ComplaintFactory(agency=area.school, received_on=today - dt.timedelta(days=60))  # overdue
    ComplaintFactory(agency=area.health, received_on=today)
    assert answered.responded_at is not None

    mine = voice_figures(agency_manager, None)
    assert (mine.invited, mine.responses, mine.response_rate) == (2, 1, 50)
    assert (mine.open_complaints, mine.overdue_complaints) == (1, 1)
    for user in (sqa_officer, board_member):
        everyone = voice_figures(user, None)
        assert (everyone.invited, everyone.responses, everyone.response_rate) == (3, 1, 33)
        assert (everyone.open_complaints, everyone.overdue_complaints) == (2, 1)


def test_awaiting_moderation_links_to_the_queue_and_agrees_with_it(
    client, area, other_area, sqa_officer, agency_manager, practitioner, board_member
):
    from audits.models import AuditStatus
    from audits.tests.factories import AuditFactory, make_tool_version

    version = make_tool_version(area.partnership)
    for agency, level in ((area.school, 1), (area.sat, 2), (area.sqa, 3)):
        AuditFactory(
            agency=agency,
            level=level,
            tool_version=version,
            status=AuditStatus.SUBMITTED,
            submitted_at=timezone.now(),
            assignees=[sqa_officer] if level == 3 else [practitioner],
        )
    AuditFactory(agency=area.school, tool_version=version, status=AuditStatus.MODERATED)
    AuditFactory(agency=other_area.school, status=AuditStatus.SUBMITTED, submitted_at=timezone.now())
    queue_url = reverse("audits:moderation-queue")

    client.force_login(sqa_officer)
    home = client.get(reverse("home"))
    in_queue = client.get(queue_url).context["page"].paginator.count

    figure = home.context["view"].audits.awaiting_moderation
    assert figure == in_queue == 3
    assert f'<a class="govuk-link" href="{queue_url}">3 awaiting moderation</a>' in home.content.decode()
    for user in (agency_manager, board_member):
        client.force_login(user)
        body = client.get(reverse("home")).content.decode()
        assert "awaiting moderation" in body and queue_url not in body
