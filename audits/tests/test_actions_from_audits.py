"""Remedial actions raised from audits (audits registers audits with actions.sources): an audit's auditors raise
them while they do it, and SQA officers; the action is about the audited child, its source the audit; the
actions show on the audit page and while doing the audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from actions import tasks
from actions.models import ActionSource, ActionStatus, RemedialAction
from actions.services import actions as services
from actions.tests.support import due_soon, kinds, login, raise_action, raise_form
from audits.services import escalations as audit_escalations
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def auditor(area):
    return member(area.school, Role.PRACTITIONER, username="school.auditor")


@pytest.fixture
def audit(area, auditor):
    child = ChildFactory(partnership=area.partnership)
    return AuditFactory(agency=area.school, child=child, assignees=[auditor])


# --- raising ----------------------------------------------------------------------------------------


def test_raise_from_audit_sets_team_manager_history_and_emails_once(
    audit, auditor, practitioner, team_manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        action = raise_action(audit, by=auditor, worker=practitioner)

    assert len(callbacks) == 1
    assert action.team == practitioner.memberships.get().team
    assert action.team_manager == team_manager
    assert action.child == audit.child
    assert action.source == ActionSource.AUDIT
    assert action.status == ActionStatus.OPEN
    assert kinds(action) == ["raised"]
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.email, team_manager.email])
    assert audit.child.case_reference not in mail.outbox[0].body

    # A second delivery of the task sends nothing more.
    assert tasks.action_notify_raised(action.pk) == 0
    assert len(mail.outbox) == 2
    assert action.events.filter(kind=services.NOTIFIED).count() == 2


def test_only_auditors_and_sqa_raise_from_an_audit(audit, practitioner, team_manager, sqa_officer):
    with pytest.raises(PermissionDenied):
        raise_action(audit, by=team_manager, worker=practitioner)
    assert raise_action(audit, by=sqa_officer, worker=practitioner).raised_by == sqa_officer


def test_no_actions_from_a_submitted_audit_by_its_auditor(audit, auditor, practitioner):
    audit.status = "submitted"
    audit.save(update_fields=["status"])
    with pytest.raises(PermissionDenied):
        raise_action(audit, by=auditor, worker=practitioner)


# --- the pages: raising from an audit, and the actions on the audit's pages -----------------------------


@pytest.fixture
def raised(audit, auditor, practitioner, team_manager):
    return raise_action(audit, by=auditor, worker=practitioner, due_on=due_soon())


def test_auditor_raises_an_action_from_the_audit(
    client, audit, auditor, practitioner, team_manager, django_capture_on_commit_callbacks
):
    url = reverse("actions:action-raise-from", args=["audit", audit.pk])
    login(client, auditor)
    page = client.get(url)
    assert page.status_code == 200
    assert practitioner.display_name in page.content.decode()

    data = raise_form(
        audit.agency,
        practitioner,
        due_on=timezone.localdate() + dt.timedelta(days=10),
        what="Record the child's views in their own words",
        why="Section A is in adult language",
        priority="medium",
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)
    action = RemedialAction.objects.get()
    # Whoever raised an action can follow it, so the auditor lands on the action's page.
    assert response.status_code == 302
    assert response["Location"] == reverse("actions:action-detail", args=[action.pk])
    assert action.source_object == audit
    assert action.worker == practitioner
    assert action.team_manager == team_manager
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.email, team_manager.email])


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
    assert client.get(reverse("actions:action-raise-from", args=["audit", audit.pk])).status_code == status


def test_audit_pages_list_actions_and_offer_raise(client, audit, auditor, raised, team_manager):
    raise_url = reverse("actions:action-raise-from", args=["audit", audit.pk])
    login(client, auditor)
    for name in ("audits:audit-detail", "audits:audit-form", "audits:audit-form-summary"):
        body = client.get(reverse(name, args=[audit.pk])).content.decode()
        assert raise_url in body, name
        # The auditor raised it for another worker, and sees it listed.
        assert reverse("actions:action-detail", args=[raised.pk]) in body, name

    login(client, team_manager)
    body = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert reverse("actions:action-detail", args=[raised.pk]) in body
    assert raise_url not in body


# --- what the action and escalation pages and the API say about the audit ------------------------------


def test_the_action_page_links_the_audit_for_those_who_may_open_it(
    client, audit, auditor, raised, practitioner
):
    audit.title = "Spring review"
    audit.save(update_fields=["title"])
    audit_url = reverse("audits:audit-detail", args=[audit.pk])
    login(client, auditor)
    body = client.get(reverse("actions:action-detail", args=[raised.pk])).content.decode()
    assert f'<a class="govuk-link" href="{audit_url}">Level 1: single-agency audit: Spring review</a>' in body
    # The worker sees the action, not the audit: the audit is named by its level only, without a link.
    login(client, practitioner)
    body = client.get(reverse("actions:action-detail", args=[raised.pk])).content.decode()
    assert audit_url not in body and "Spring review" not in body
    assert "Level 1: single-agency audit" in body


def test_the_api_names_the_audit_and_the_concern(client, audit, auditor, raised, sqa_officer):
    concern_escalation = audit_escalations.safeguarding_concern_raise(
        audit=audit, by=auditor, description="x"
    )
    audit.grade_of_record = audit.overall_grade = "inadequate"
    audit.save(update_fields=["grade_of_record", "overall_grade"])
    inadequate = audit_escalations.escalation_for_inadequate_audit(audit=audit, by=auditor)
    login(client, sqa_officer)
    assert client.get(f"/api/v1/actions/{raised.pk}/").json()["audit"] == audit.pk
    row = client.get(f"/api/v1/escalations/{concern_escalation.pk}/").json()
    assert (row["audit"], row["concern"]) == (audit.pk, concern_escalation.source_object.pk)
    row = client.get(f"/api/v1/escalations/{inadequate.pk}/").json()
    assert (row["audit"], row["concern"]) == (audit.pk, None)
