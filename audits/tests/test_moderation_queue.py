"""The queue of audits awaiting moderation: who may use it, what it lists and in what order, its filters and
pages, the "Moderate" links, and that `moderatable` agrees with `can_moderate`."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from audits import access
from audits.models import Audit, AuditStatus
from audits.tests.factories import make_tool_version
from audits.tests.test_moderation import GOOD, RI, graded_audit
from qaf.models import Role
from qaf.tests.factories import member

NOW = dt.datetime(2025, 11, 20, 12, 0, tzinfo=dt.UTC)
URL = "audits:moderation-queue"


pytestmark = pytest.mark.time_machine(NOW, tick=False)  # every test runs at NOW, on a clock that stands still


@pytest.fixture
def queue(area, practitioner, sqa_officer, other_area):
    """Submitted audits at three levels and two agencies, the SQA officer's own among them, and audits that
    are not awaiting moderation (in progress, moderated, closed, another partnership's)."""
    version = make_tool_version(area.partnership)
    audits = {
        "school-l1": graded_audit(
            agency=area.school,
            overall=GOOD,
            tool_version=version,
            submitted_on=dt.date(2025, 11, 10),
            assignees=[practitioner],
        ),
        "sat-l2": graded_audit(
            agency=area.sat, level=2, overall=RI, tool_version=version, submitted_on=dt.date(2025, 10, 1)
        ),
        "own-l3": graded_audit(
            agency=area.sqa,
            level=3,
            overall=GOOD,
            tool_version=version,
            submitted_on=dt.date(2025, 11, 1),
            assignees=[sqa_officer],
        ),
        "other-school-l1": graded_audit(
            agency=area.other_school, overall=GOOD, tool_version=version, submitted_on=dt.date(2025, 11, 19)
        ),
    }
    for status in (AuditStatus.IN_PROGRESS, AuditStatus.MODERATED, AuditStatus.CLOSED):
        graded_audit(agency=area.school, overall=GOOD, tool_version=version, status=status)
    graded_audit(agency=other_area.school, overall=GOOD)
    return audits


def listed(response) -> list[int]:
    return [row.audit.pk for row in response.context["rows"]]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("practitioner", 403),
        ("agency_manager", 403),
        ("sat_caseworker", 403),
        ("head_of_service", 403),
        ("board_member", 403),
        ("partnership_admin", 403),
    ],
)
def test_only_those_who_moderate_may_use_the_queue(client, request, queue, persona, status):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse(URL)).status_code == status


def test_anonymous_users_are_sent_to_sign_in(client, db):
    response = client.get(reverse(URL))

    assert response.status_code == 302 and "/accounts/" in response["Location"]


def test_the_queue_lists_submitted_audits_oldest_first_with_what_the_moderator_needs(
    client, queue, sqa_officer, practitioner
):
    client.force_login(sqa_officer)

    response = client.get(reverse(URL))

    assert listed(response) == [
        queue["sat-l2"].pk,
        queue["own-l3"].pk,
        queue["school-l1"].pk,
        queue["other-school-l1"].pk,
    ]
    days = {row.audit.pk: (row.submitted_on, row.days_waiting) for row in response.context["rows"]}
    assert days[queue["sat-l2"].pk] == (dt.date(2025, 10, 1), 50)
    assert days[queue["other-school-l1"].pk] == (dt.date(2025, 11, 19), 1)
    html = response.content.decode()
    assert '<strong class="qaf-queue-count">4</strong>' in html
    assert practitioner.display_name in html and "1 Oct 2025" in html
    assert '<strong class="govuk-tag govuk-tag--orange">Requires improvement</strong>' in html


def test_a_moderate_link_only_where_the_user_may_moderate(client, queue, sqa_officer):
    client.force_login(sqa_officer)

    html = client.get(reverse(URL)).content.decode()

    for key in ("school-l1", "sat-l2", "other-school-l1"):
        assert reverse("audits:audit-moderate", args=[queue[key].pk]) in html
    assert reverse("audits:audit-moderate", args=[queue["own-l3"].pk]) not in html  # they completed it
    assert reverse("audits:audit-detail", args=[queue["own-l3"].pk]) in html


def test_moderatable_agrees_with_can_moderate(queue, request, area):
    audits = list(Audit.objects.all())
    for persona in ("sqa_officer", "practitioner", "agency_manager", "board_member", "outsider_sqa"):
        user = request.getfixturevalue(persona)
        allowed = set(access.audits.moderatable(user).values_list("pk", flat=True))
        assert allowed == {a.pk for a in audits if access.audits.can(user, "moderate", a)}, persona


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({"level": "1"}, ["school-l1", "other-school-l1"]),
        ({"level": "2"}, ["sat-l2"]),
        ({"agency": "school"}, ["school-l1"]),
        ({"level": "3", "agency": "school"}, []),
    ],
)
def test_filters_by_level_and_agency(client, area, queue, sqa_officer, filters, expected):
    client.force_login(sqa_officer)
    data = {k: getattr(area, v).pk if k == "agency" else v for k, v in filters.items()}

    response = client.get(reverse(URL), data)

    assert listed(response) == [queue[key].pk for key in expected]
    if not expected:
        assert "No audit awaiting moderation matches these filters." in response.content.decode()


def test_the_queue_is_paginated(client, area, sqa_officer):
    version = make_tool_version(area.partnership)
    for i in range(27):
        graded_audit(
            agency=area.school, overall=GOOD, tool_version=version, submitted_on=dt.date(2025, 10, 1 + i)
        )
    client.force_login(sqa_officer)

    first, second = client.get(reverse(URL)), client.get(reverse(URL), {"page": "2"})

    assert len(first.context["rows"]) == 25 and len(second.context["rows"]) == 2
    assert first.context["rows"][0].submitted_on == dt.date(2025, 10, 1)
    assert second.context["rows"][-1].submitted_on == dt.date(2025, 10, 27)


def test_the_query_count_does_not_grow_with_the_queue(
    client, area, sqa_officer, practitioner, django_assert_max_num_queries
):
    version = make_tool_version(area.partnership)
    client.force_login(sqa_officer)
    second = member(area.school, Role.PRACTITIONER, username="second.auditor")

    def count() -> int:
        with django_assert_max_num_queries(14) as captured:
            assert client.get(reverse(URL)).status_code == 200
        return len(captured.captured_queries)

    graded_audit(agency=area.school, overall=GOOD, tool_version=version, assignees=[practitioner])
    few = count()
    for i in range(20):
        graded_audit(
            agency=area.sat if i % 2 else area.school,
            level=2 if i % 2 else 1,
            overall=GOOD,
            tool_version=version,
            assignees=[practitioner, second],
        )
    many = count()

    assert few == many


def test_the_moderation_pages_link_to_each_other_for_the_sqa_officer_only(
    client, queue, sqa_officer, board_member
):
    client.force_login(sqa_officer)
    agreement = client.get(reverse("audits:moderation")).content.decode()
    queue_page = client.get(reverse(URL)).content.decode()
    client.force_login(board_member)
    board_agreement = client.get(reverse("audits:moderation")).content.decode()

    assert f'href="{reverse(URL)}">Awaiting moderation</a>' in agreement
    assert (
        f'href="{reverse("audits:moderation")}">Agreement between auditors and moderators</a>' in queue_page
    )
    assert 'aria-current="page" href="/audits/moderation/queue/"' in queue_page
    assert reverse(URL) not in board_agreement
