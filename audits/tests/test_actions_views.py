"""Remedial action pages: raising (from an audit and from other QA activity), the action page, the workflow
forms, and the actions shown on the audit page and while doing the audit. Role × own/other agency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from audits.models import ActionSource, ActionStatus, RemedialAction
from audits.services import actions as services
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def auditor(area):
    return member(area.school, Role.PRACTITIONER, username="school.auditor")


@pytest.fixture
def audit(area, auditor):
    return AuditFactory(
        agency=area.school, child=ChildFactory(partnership=area.partnership), assignees=[auditor]
    )


@pytest.fixture
def action(audit, auditor, practitioner, team_manager):
    return services.action_raise(
        by=auditor,
        agency=audit.agency,
        worker=practitioner,
        what="Add the speech and language advice to section B",
        why="Health advice missing",
        due_on=timezone.localdate() + dt.timedelta(days=3),
        priority="high",
        audit=audit,
    )


def due_fields(day: dt.date) -> dict:
    return {"due_on_0": day.day, "due_on_1": day.month, "due_on_2": day.year}


def login(client, user):
    client.force_login(user)
    return client


def flashed(client, response) -> list[str]:
    """The messages shown on the page the POST redirects to (which reads them, so none is left over)."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    return [str(message) for message in get_messages(page.wsgi_request)]


# --- raising from an audit --------------------------------------------------------------------------


def test_auditor_raises_an_action_from_the_audit(
    client, audit, auditor, practitioner, team_manager, django_capture_on_commit_callbacks
):
    url = reverse("audits:action-raise-for-audit", args=[audit.pk])
    login(client, auditor)
    page = client.get(url)
    assert page.status_code == 200
    assert practitioner.display_name in page.content.decode()

    data = {
        "worker": f"{audit.agency_id}-{practitioner.pk}",
        "what": "Record the child's views in their own words",
        "why": "Section A is in adult language",
        "priority": "medium",
        **due_fields(timezone.localdate() + dt.timedelta(days=10)),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    action = RemedialAction.objects.get()
    # Whoever raised an action can follow it, so the auditor lands on the action's page.
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:action-detail", args=[action.pk])
    assert action.audit == audit
    assert action.worker == practitioner
    assert action.team_manager == team_manager
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.email, team_manager.email])


def test_raise_form_shows_errors(client, audit, auditor):
    login(client, auditor)
    response = client.post(
        reverse("audits:action-raise-for-audit", args=[audit.pk]),
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


def test_past_due_date_is_refused_by_the_service(client, audit, auditor, practitioner):
    login(client, auditor)
    response = client.post(
        reverse("audits:action-raise-for-audit", args=[audit.pk]),
        {
            "worker": f"{audit.agency_id}-{practitioner.pk}",
            "what": "x",
            "why": "y",
            "priority": "low",
            **due_fields(timezone.localdate() - dt.timedelta(days=2)),
        },
    )
    assert response.status_code == 200
    assert "The due date must be today or in the future" in response.content.decode()
    assert not RemedialAction.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("auditor", 200),
        ("sqa_officer", 200),
        ("team_manager", 403),  # sees the school's Level 1 audit, but does not do it
        ("agency_manager", 403),
        ("practitioner", 404),  # not assigned: cannot see the audit
        ("other_agency_manager", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
    ],
)
def test_who_may_open_raise_for_audit(client, audit, persona, status, request):
    login(client, request.getfixturevalue(persona))
    assert client.get(reverse("audits:action-raise-for-audit", args=[audit.pk])).status_code == status


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
    assert client.get(reverse("audits:action-raise")).status_code == status


def test_agency_manager_raises_from_a_complaint(
    client, area, agency_manager, practitioner, other_agency_manager
):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    login(client, agency_manager)
    page = client.get(reverse("audits:action-raise")).content.decode()
    assert practitioner.display_name in page
    assert outsider.display_name not in page  # only the manager's own agency's staff are offered

    response = client.post(
        reverse("audits:action-raise"),
        {
            "source": ActionSource.COMPLAINT,
            "source_note": "Complaint C-104",
            "worker": f"{area.school.pk}-{practitioner.pk}",
            "what": "Apologise and explain the delay",
            "why": "Complaint upheld",
            "priority": "high",
            **due_fields(timezone.localdate() + dt.timedelta(days=5)),
        },
    )
    action = RemedialAction.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:action-detail", args=[action.pk])
    assert action.source == ActionSource.COMPLAINT
    assert action.source_note == "Complaint C-104"


def test_manager_cannot_raise_for_another_agency_by_editing_the_form(client, area, agency_manager):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    login(client, agency_manager)
    response = client.post(
        reverse("audits:action-raise"),
        {
            "source": ActionSource.OTHER,
            "worker": f"{area.other_school.pk}-{outsider.pk}",
            "what": "x",
            "why": "y",
            "priority": "low",
            **due_fields(timezone.localdate()),
        },
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
    assert client.get(reverse("audits:action-detail", args=[action.pk])).status_code == status


def test_action_page_shows_details_history_and_the_workers_buttons(
    client, action, practitioner, django_assert_max_num_queries
):
    login(client, practitioner)
    url = reverse("audits:action-detail", args=[action.pk])
    client.get(url)  # warm the session
    with django_assert_max_num_queries(9):
        body = client.get(url).content.decode()
    assert "Add the speech and language advice to section B" in body
    assert "Due soon" in body
    assert "moj-timeline" in body and "Action raised" in body
    assert reverse("audits:action-start", args=[action.pk]) in body
    assert reverse("audits:action-complete", args=[action.pk]) in body
    assert reverse("audits:action-cancel", args=[action.pk]) not in body
    assert reverse("audits:action-verify", args=[action.pk]) not in body


def test_team_manager_sees_cancel_not_start(client, action, team_manager):
    login(client, team_manager)
    body = client.get(reverse("audits:action-detail", args=[action.pk])).content.decode()
    assert reverse("audits:action-cancel", args=[action.pk]) in body
    assert reverse("audits:action-start", args=[action.pk]) not in body


# --- the workflow pages -----------------------------------------------------------------------------


def test_worker_starts_and_completes_then_team_manager_verifies(
    client, action, practitioner, team_manager, django_capture_on_commit_callbacks
):
    login(client, practitioner)
    assert client.post(reverse("audits:action-start", args=[action.pk])).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    # Started already: the start page is no longer offered.
    assert client.get(reverse("audits:action-start", args=[action.pk])).status_code == 403

    complete = reverse("audits:action-complete", args=[action.pk])
    response = client.post(complete, {"evidence": ""})
    assert response.status_code == 200
    assert "Enter what was done" in response.content.decode()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(complete, {"evidence": "Advice added"}).status_code == 302
    assert [m.to for m in mail.outbox] == [[team_manager.email]]

    # The worker may not verify their own action.
    assert client.get(reverse("audits:action-verify", args=[action.pk])).status_code == 403

    login(client, team_manager)
    assert client.post(reverse("audits:action-verify", args=[action.pk]), {"note": ""}).status_code == 302
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    assert action.verified_by == team_manager
    body = client.get(reverse("audits:action-detail", args=[action.pk])).content.decode()
    assert "Verified" in body and "Advice added" in body


# --- who is told -------------------------------------------------------------------------------------


def test_raising_names_the_worker_and_team_manager_told(client, audit, auditor, practitioner, team_manager):
    login(client, auditor)
    response = client.post(
        reverse("audits:action-raise-for-audit", args=[audit.pk]),
        {
            "worker": f"{audit.agency_id}-{practitioner.pk}",
            "what": "x",
            "why": "y",
            "priority": "low",
            **due_fields(timezone.localdate()),
        },
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
        response = client.post(reverse("audits:action-complete", args=[action.pk]), {"evidence": "Done"})
    assert flashed(client, response) == [
        f"Action completed. {team_manager.display_name} (team manager) has been asked to verify it."
    ]
    assert [m.to for m in mail.outbox if "verify" in m.subject] == [[team_manager.email]]


def test_without_a_team_manager_the_words_say_an_sqa_officer_verifies(
    client, area, audit, auditor, sqa_officer, django_capture_on_commit_callbacks
):
    worker = member(area.school, Role.PRACTITIONER, username="no.team")
    login(client, auditor)
    raised = client.post(
        reverse("audits:action-raise-for-audit", args=[audit.pk]),
        {
            "worker": f"{audit.agency_id}-{worker.pk}",
            "what": "x",
            "why": "y",
            "priority": "low",
            **due_fields(timezone.localdate()),
        },
    )
    assert flashed(client, raised) == [
        f"Action raised. {worker.display_name} has been told. There is no team manager for this action: "
        "an SQA officer will verify it when it is done."
    ]
    action = RemedialAction.objects.get()

    login(client, worker)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("audits:action-complete", args=[action.pk]), {"evidence": "Done"})
    words = flashed(client, response)
    assert words == [
        "Action completed. There is no team manager for this action: an SQA officer will verify it. "
        f"{sqa_officer.display_name} (SQA officer) has been asked."
    ]
    assert "team manager has been asked" not in words[0]
    # The words are what the code does: the SQA officer is the one emailed, and may verify it.
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]
    login(client, sqa_officer)
    assert client.post(reverse("audits:action-verify", args=[action.pk]), {"note": ""}).status_code == 302


def test_cancelling_names_who_is_told(client, action, practitioner, team_manager, agency_manager):
    login(client, agency_manager)
    page = client.get(reverse("audits:action-cancel", args=[action.pk])).content.decode()
    assert f"{practitioner.display_name} and {team_manager.display_name} (team manager) will be told" in page
    response = client.post(reverse("audits:action-cancel", args=[action.pk]), {"reason": "Duplicate"})
    assert flashed(client, response) == [
        f"Action cancelled. {practitioner.display_name} and {team_manager.display_name} (team manager) "
        "have been told."
    ]

    # The team manager cancelling is not told of their own change.
    second = services.action_raise(
        by=agency_manager,
        agency=action.agency,
        worker=practitioner,
        what="x",
        why="y",
        due_on=timezone.localdate(),
        priority="low",
        source=ActionSource.OTHER,
    )
    login(client, team_manager)
    response = client.post(reverse("audits:action-cancel", args=[second.pk]), {"reason": "Duplicate"})
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
    response = client.post(reverse("audits:action-cancel", args=[action.pk]), {"reason": "Duplicate"})
    assert response.status_code == status
    action.refresh_from_db()
    assert (action.status == ActionStatus.CANCELLED) == (status == 302)


def test_cancel_needs_a_reason(client, action, team_manager):
    login(client, team_manager)
    response = client.post(reverse("audits:action-cancel", args=[action.pk]), {"reason": " "})
    assert response.status_code == 200
    assert "Enter why the action is cancelled" in response.content.decode()


@pytest.mark.parametrize("persona", ["agency_manager", "head_of_service", "other_agency_manager"])
def test_managers_cannot_start_complete_or_verify(client, action, practitioner, persona, request):
    services.action_complete(action=action, by=practitioner, evidence="Done")
    login(client, request.getfixturevalue(persona))
    expected = 404 if persona == "other_agency_manager" else 403
    assert client.post(reverse("audits:action-verify", args=[action.pk])).status_code == expected
    assert (
        client.post(reverse("audits:action-complete", args=[action.pk]), {"evidence": "x"}).status_code
        == expected
    )


# --- on the audit page and while doing the audit ----------------------------------------------------


def test_audit_pages_list_actions_and_offer_raise(client, audit, auditor, action, team_manager):
    raise_url = reverse("audits:action-raise-for-audit", args=[audit.pk])
    login(client, auditor)
    for name in ("audits:audit-detail", "audits:audit-form", "audits:audit-form-summary"):
        body = client.get(reverse(name, args=[audit.pk])).content.decode()
        assert raise_url in body, name
        # The auditor raised it for another worker, and sees it listed.
        assert reverse("audits:action-detail", args=[action.pk]) in body, name

    login(client, team_manager)
    body = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert reverse("audits:action-detail", args=[action.pk]) in body
    assert raise_url not in body
