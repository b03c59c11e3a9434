"""Remedial action pages: raising (on the page of the record it comes from, and from other QA activity), the
action page, the workflow forms, and who is told. Role × own/other agency. The record is a case
(actions.tests.factories.CaseSource), whose reviewer raises actions as an auditor does from an audit;
audits/tests/test_actions_from_audits.py has the audit's own pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionSource, ActionStatus, RemedialAction
from actions.services import actions as services
from actions.tests.support import due_fields, due_soon, flashed, login, raise_action, raise_form
from qaf.models import Role
from qaf.tests.factories import member


def raise_url(case) -> str:
    return reverse("actions:action-raise-from", args=["case_review", case.pk])


@pytest.fixture
def action(case, reviewer, practitioner, team_manager):
    """Raised by the case's reviewer for the school's practitioner, due in three days (so due soon)."""
    return raise_action(case, by=reviewer, worker=practitioner, due_on=due_soon())


# --- raising on the page of the record -------------------------------------------------------------


def test_raise_form_shows_errors(client, case, reviewer):
    login(client, reviewer)
    response = client.post(
        raise_url(case),
        {
            "what": "",
            "why": "x",
            "priority": "low",
            **due_fields(timezone.localdate() - dt.timedelta(days=2)),
        },
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in body
    assert "Enter what needs to be done" in body
    assert "Choose who carries out the action" in body
    assert not RemedialAction.objects.exists()


def test_past_due_date_is_refused_by_the_service(client, area, case, reviewer, practitioner):
    login(client, reviewer)
    response = client.post(
        raise_url(case),
        raise_form(area.school, practitioner, due_on=timezone.localdate() - dt.timedelta(days=2)),
    )
    assert response.status_code == 200
    assert "The due date must be today or in the future" in response.content.decode()
    assert not RemedialAction.objects.exists()


# --- raising from other QA activity -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("agency_manager", 200),
        ("head_of_service", 200),
        ("other_agency_manager", 200),
        ("practitioner", 403),
        ("team_manager", 403),
        ("board_member", 403),
    ],
)
def test_who_may_open_general_raise(client, persona, status, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("actions:action-raise")).status_code == status


def test_agency_manager_raises_from_a_complaint(
    client, area, agency_manager, practitioner, other_agency_manager
):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    login(client, agency_manager)
    page = client.get(reverse("actions:action-raise")).content.decode()
    assert practitioner.display_name in page
    assert outsider.display_name not in page  # only the manager's own agency's staff are offered

    response = client.post(
        reverse("actions:action-raise"),
        raise_form(
            area.school,
            practitioner,
            due_on=timezone.localdate() + dt.timedelta(days=5),
            source=ActionSource.COMPLAINT,
            source_note="Complaint C-104",
            what="Apologise and explain the delay",
            why="Complaint upheld",
            priority="high",
        ),
    )
    action = RemedialAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:action-detail", args=[action.pk])
    assert action.source == ActionSource.COMPLAINT
    assert action.source_note == "Complaint C-104"


def test_manager_cannot_raise_for_another_agency_by_editing_the_form(client, area, agency_manager):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    login(client, agency_manager)
    response = client.post(
        reverse("actions:action-raise"),
        raise_form(area.other_school, outsider, source=ActionSource.OTHER),
    )
    assert response.status_code == 200
    assert not RemedialAction.objects.exists()


# --- the action page --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("practitioner", 200),  # the worker
        ("team_manager", 200),
        ("agency_manager", 200),
        ("head_of_service", 200),
        ("sqa_officer", 200),
        ("other_agency_manager", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
        ("sat_caseworker", 404),
    ],
)
def test_who_sees_the_action(client, action, persona, status, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("actions:action-detail", args=[action.pk])).status_code == status


def test_action_page_shows_details_history_and_the_workers_buttons(
    client, action, practitioner, django_assert_max_num_queries
):
    login(client, practitioner)
    url = reverse("actions:action-detail", args=[action.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(9):
        body = client.get(url).content.decode()
    assert "Add the speech and language advice to section B" in body
    assert "Due soon" in body
    assert "moj-timeline" in body and "Action raised" in body
    assert reverse("actions:action-start", args=[action.pk]) in body
    assert reverse("actions:action-complete", args=[action.pk]) in body
    assert reverse("actions:action-cancel", args=[action.pk]) not in body
    assert reverse("actions:action-verify", args=[action.pk]) not in body


def test_the_action_page_tags_status_and_due_date_as_the_tracker_does(client, action, practitioner):
    # One status colour and one RAG wording for an action wherever it is shown.
    login(client, practitioner)
    page = client.get(reverse("actions:action-detail", args=[action.pk])).content.decode()
    tracker = client.get(reverse("actions:my-actions")).content.decode()
    status_tag = '<strong class="govuk-tag govuk-tag--light-blue">Open</strong>'
    rag_tag = '<strong class="govuk-tag govuk-tag--orange">Due soon</strong>'
    assert status_tag in page and status_tag in tracker
    assert rag_tag in page and rag_tag in tracker


def test_team_manager_sees_cancel_not_start(client, action, team_manager):
    login(client, team_manager)
    body = client.get(reverse("actions:action-detail", args=[action.pk])).content.decode()
    assert reverse("actions:action-cancel", args=[action.pk]) in body
    assert reverse("actions:action-start", args=[action.pk]) not in body


# --- the workflow pages -----------------------------------------------------------------------------


def test_worker_starts_and_completes_then_team_manager_verifies(
    client, action, practitioner, team_manager, django_capture_on_commit_callbacks
):
    login(client, practitioner)
    assert client.post(reverse("actions:action-start", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # Started already: the start page is no longer offered.
    assert client.get(reverse("actions:action-start", args=[action.pk])).status_code == 403

    complete = reverse("actions:action-complete", args=[action.pk])
    response = client.post(complete, {"evidence": ""})
    assert response.status_code == 200
    assert "Enter what was done" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(complete, {"evidence": "Advice added"}).status_code == 302
    assert [m.to for m in mail.outbox] == [[team_manager.email]]

    # The worker may not verify their own action.
    assert client.get(reverse("actions:action-verify", args=[action.pk])).status_code == 403

    login(client, team_manager)
    assert client.post(reverse("actions:action-verify", args=[action.pk]), {"note": ""}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    assert action.verified_by == team_manager
    body = client.get(reverse("actions:action-detail", args=[action.pk])).content.decode()
    assert "Verified" in body and "Advice added" in body


# --- who is told -------------------------------------------------------------------------------------


def test_raising_names_the_worker_and_team_manager_told(
    client, area, case, reviewer, practitioner, team_manager
):
    login(client, reviewer)
    response = client.post(
        raise_url(case),
        raise_form(area.school, practitioner),
    )
    assert flashed(client, response) == [
        f"Action raised. {practitioner.display_name} and {team_manager.display_name} (team manager) "
        "have been told."
    ]


def test_completing_names_the_team_manager_asked_to_verify(
    client, action, practitioner, team_manager, django_capture_on_commit_callbacks
):
    login(client, practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:action-complete", args=[action.pk]), {"evidence": "Done"})
    assert flashed(client, response) == [
        f"Action completed. {team_manager.display_name} (team manager) has been asked to verify it."
    ]
    assert [m.to for m in mail.outbox if "verify" in m.subject] == [[team_manager.email]]


def test_without_a_team_manager_the_words_say_an_sqa_officer_verifies(
    client, area, case, reviewer, sqa_officer, django_capture_on_commit_callbacks
):
    worker = member(area.school, Role.PRACTITIONER, username="no.team")
    login(client, reviewer)
    raised = client.post(
        raise_url(case),
        raise_form(area.school, worker),
    )
    assert flashed(client, raised) == [
        f"Action raised. {worker.display_name} has been told. There is no team manager for this action: "
        "an SQA officer will verify it when it is done."
    ]
    action = RemedialAction.objects.get()

    login(client, worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("actions:action-complete", args=[action.pk]), {"evidence": "Done"})
    words = flashed(client, response)
    assert words == [
        "Action completed. There is no team manager for this action: an SQA officer will verify it. "
        f"{sqa_officer.display_name} (SQA officer) has been asked."
    ]
    assert "team manager has been asked" not in words[0]
    # The words are what the code does: the SQA officer is the one emailed, and may verify it.
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]
    login(client, sqa_officer)
    assert client.post(reverse("actions:action-verify", args=[action.pk]), {"note": ""}).status_code == 302


def test_cancelling_names_who_is_told(client, action, practitioner, team_manager, agency_manager):
    login(client, agency_manager)
    page = client.get(reverse("actions:action-cancel", args=[action.pk])).content.decode()
    assert f"{practitioner.display_name} and {team_manager.display_name} (team manager) will be told" in page
    response = client.post(reverse("actions:action-cancel", args=[action.pk]), {"reason": "Duplicate"})
    assert flashed(client, response) == [
        f"Action cancelled. {practitioner.display_name} and {team_manager.display_name} (team manager) "
        "have been told."
    ]

    # The team manager cancelling is not told of their own change.
    second = raise_action(
        by=agency_manager, agency=action.agency, worker=practitioner, source=ActionSource.OTHER
    )
    login(client, team_manager)
    response = client.post(reverse("actions:action-cancel", args=[second.pk]), {"reason": "Duplicate"})
    assert flashed(client, response) == [f"Action cancelled. {practitioner.display_name} has been told."]


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agency_manager", 302),
        ("head_of_service", 302),
        ("team_manager", 302),
        ("sqa_officer", 302),
        ("practitioner", 403),
        ("other_agency_manager", 404),
        ("board_member", 404),
    ],
)
def test_who_may_cancel(client, action, persona, status, request):
    login(client, request.getfixturevalue(persona))
    response = client.post(reverse("actions:action-cancel", args=[action.pk]), {"reason": "Duplicate"})
    assert response.status_code == status
    action.refresh_from_db()
    assert (action.status == ActionStatus.CANCELLED) == (status == 302)


def test_cancel_needs_a_reason(client, action, team_manager):
    login(client, team_manager)
    response = client.post(reverse("actions:action-cancel", args=[action.pk]), {"reason": " "})
    assert response.status_code == 200
    assert "Enter why the action is cancelled" in response.content.decode()


@pytest.mark.parametrize("persona", ["agency_manager", "head_of_service", "other_agency_manager"])
def test_managers_cannot_start_complete_or_verify(client, action, practitioner, persona, request):
    services.action_complete(action=action, by=practitioner, evidence="Done")
    login(client, request.getfixturevalue(persona))
    expected = 404 if persona == "other_agency_manager" else 403
    assert client.post(reverse("actions:action-verify", args=[action.pk])).status_code == expected
    assert (
        client.post(reverse("actions:action-complete", args=[action.pk]), {"evidence": "x"}).status_code
        == expected
    )
