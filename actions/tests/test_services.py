"""Remedial action services: raising, the workflow, who may do each step, history and the emails. Actions
raised from a record come from a case (actions.tests.factories.CaseSource), raised by its reviewer as an auditor
raises them from an audit (audits/tests/test_actions_from_audits.py has the audit's own rules)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from actions import access, tasks
from actions.models import ActionEvent, ActionSource, ActionStatus, RemedialAction
from actions.services import actions as services
from actions.tests.support import kinds, raise_action
from qaf.models import Role, Theme
from qaf.tests.factories import member


@pytest.fixture
def action(case, reviewer, practitioner, team_manager):
    return raise_action(case, by=reviewer, worker=practitioner)


# --- raising ----------------------------------------------------------------------------------------


def test_nothing_is_sent_before_commit(case, reviewer, practitioner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        raise_action(case, by=reviewer, worker=practitioner)
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_retry_after_a_failed_email_sends_only_the_missing_one(
    case, reviewer, practitioner, team_manager, monkeypatch
):
    action = raise_action(case, by=reviewer, worker=practitioner)
    real_send = services.send_mail
    calls = {"n": 0}

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise ConnectionError("mail server went away")
        return real_send(**kwargs)

    monkeypatch.setattr(services, "send_mail", flaky)
    with pytest.raises(ConnectionError):
        services.action_notify_raised(action=action)
    assert len(mail.outbox) == 1

    monkeypatch.setattr(services, "send_mail", real_send)
    assert services.action_notify_raised(action=action) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([practitioner.email, team_manager.email])


def test_worker_without_a_team_has_no_team_manager(area, case, reviewer):
    worker = member(area.school, Role.PRACTITIONER, username="no.team")
    action = raise_action(case, by=reviewer, worker=worker)
    assert action.team is None
    assert action.team_manager is None


def test_raise_validation(area, other_area, case, reviewer, agency_manager, other_agency_manager):
    foreign_theme = Theme.objects.create(partnership=other_area.partnership, name="Elsewhere theme")
    with pytest.raises(ValidationError) as exc:
        raise_action(
            case,
            by=reviewer,
            worker=other_agency_manager,
            what=" ",
            why="",
            due_on=timezone.localdate() - dt.timedelta(days=1),
            priority="urgent",
            theme_ids=[foreign_theme.pk],
        )
    errors = exc.value.message_dict
    assert set(errors) == {"worker", "what", "why", "due_on", "priority", "themes"}
    assert "Oakfield School" in errors["worker"][0]
    assert not RemedialAction.objects.exists()


def test_board_member_is_not_a_worker(area, case, reviewer, board_member):
    with pytest.raises(ValidationError) as exc:
        raise_action(case, by=reviewer, worker=board_member)
    assert "worker" in exc.value.message_dict


def test_raise_from_other_activity_by_own_agency_manager(area, agency_manager, practitioner, team_manager):
    action = services.action_raise(
        by=agency_manager,
        agency=area.school,
        worker=practitioner,
        what="Review transport complaint learning with the team",
        why="Three complaints about late transport",
        due_on=timezone.localdate(),
        priority="medium",
        source=ActionSource.COMPLAINT,
        source_note="Complaints Q2",
    )
    assert action.source_object is None
    assert action.source == ActionSource.COMPLAINT
    assert action.source_note == "Complaints Q2"
    assert action.team_manager == team_manager


def test_raise_from_other_activity_rules(area, other_agency_manager, practitioner, sqa_officer):
    base = {
        "worker": practitioner,
        "what": "x",
        "why": "y",
        "due_on": timezone.localdate(),
        "priority": "low",
        "source": ActionSource.DIP_SAMPLE,
    }
    with pytest.raises(PermissionDenied):
        services.action_raise(by=practitioner, agency=area.school, **base)
    with pytest.raises(ValidationError) as exc:
        services.action_raise(by=other_agency_manager, agency=area.school, **base)
    assert "agency" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.action_raise(by=sqa_officer, agency=area.school, **{**base, "source": ActionSource.AUDIT})
    assert "source" in exc.value.message_dict
    assert services.action_raise(by=sqa_officer, agency=area.school, **base).source == ActionSource.DIP_SAMPLE


def test_sqa_of_another_partnership_cannot_raise(area, outsider_sqa, practitioner):
    with pytest.raises(ValidationError) as exc:
        raise_action(by=outsider_sqa, agency=area.school, worker=practitioner, source=ActionSource.OTHER)
    assert "agency" in exc.value.message_dict


# --- the workflow -----------------------------------------------------------------------------------


def test_worker_starts_and_completes_and_team_manager_is_asked_to_verify(
    action, practitioner, team_manager, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    services.action_start(action=action, by=practitioner)
    assert action.status == ActionStatus.IN_PROGRESS
    with pytest.raises(ValidationError):
        services.action_start(action=action, by=practitioner)
    with pytest.raises(ValidationError) as exc:
        services.action_complete(action=action, by=practitioner, evidence="  ")
    assert "evidence" in exc.value.message_dict

    with django_capture_on_commit_callbacks(execute=True):
        services.action_complete(action=action, by=practitioner, evidence="Advice added on 3 March")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert action.completed_at is not None
    assert [m.to for m in mail.outbox] == [[team_manager.email]]
    assert "verify" in mail.outbox[0].subject
    assert "There is no team manager" not in mail.outbox[0].body
    event = action.events.get(kind="completed")
    assert event.details == {"evidence": "Advice added on 3 March"}
    assert tasks.action_notify_event(event.pk) == 0
    assert len(mail.outbox) == 1
    assert kinds(action) == ["raised", "started", "completed"]


def test_completed_without_team_manager_asks_the_sqa_officers(
    area, case, reviewer, sqa_officer, django_capture_on_commit_callbacks
):
    # The reviewer who raised it may not verify it, so the SQA officers are asked instead.
    worker = member(area.school, Role.PRACTITIONER, username="no.team")
    action = raise_action(case, by=reviewer, worker=worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_complete(action=action, by=worker, evidence="Done")
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]
    assert "verify" in mail.outbox[0].subject
    assert (
        "There is no team manager for this action, so you are asked as an SQA officer." in mail.outbox[0].body
    )
    assert services.action_verifiers(action) == [sqa_officer]
    assert access.actions.can(sqa_officer, "verify", action)
    assert not access.actions.can(reviewer, "verify", action)


def test_completed_without_team_manager_asks_the_sqa_officer_who_raised_it(
    area, case_source, case, sqa_officer, django_capture_on_commit_callbacks
):
    member(area.sqa, Role.SQA_OFFICER, username="sqa.two")
    worker = member(area.school, Role.PRACTITIONER, username="no.team")
    action = raise_action(case, by=sqa_officer, worker=worker)
    with django_capture_on_commit_callbacks(execute=True):
        services.action_complete(action=action, by=worker, evidence="Done")
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]


def test_verifiers_are_the_team_manager_when_there_is_one(action, team_manager, sqa_officer):
    assert services.action_verifiers(action) == [team_manager]


@pytest.mark.parametrize(
    "persona", ["team_manager", "agency_manager", "head_of_service", "other_agency_manager", "board_member"]
)
def test_only_the_worker_starts_and_completes(action, persona, request):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        services.action_start(action=action, by=user)
    with pytest.raises(PermissionDenied):
        services.action_complete(action=action, by=user, evidence="Done")
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("team_manager", True),
        ("sqa_officer", True),
        ("practitioner", False),  # the worker never verifies their own action
        ("agency_manager", False),
        ("head_of_service", False),
        ("other_agency_manager", False),
        ("board_member", False),
        ("outsider_sqa", False),
    ],
)
def test_who_verifies(action, practitioner, persona, allowed, request, django_capture_on_commit_callbacks):
    services.action_complete(action=action, by=practitioner, evidence="Done")
    user = request.getfixturevalue(persona)
    mail.outbox.clear()
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.action_verify(action=action, by=user)
        action.refresh_from_db()
        assert action.status == ActionStatus.COMPLETED
        return
    with django_capture_on_commit_callbacks(execute=True):
        services.action_verify(action=action, by=user, note="Checked the plan")
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    assert action.verified_by == user
    assert [m.to for m in mail.outbox] == [[practitioner.email]]
    assert action.events.get(kind="verified").details == {"note": "Checked the plan"}


def test_an_open_action_cannot_be_verified(action, team_manager):
    with pytest.raises(PermissionDenied):
        services.action_verify(action=action, by=team_manager)


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("team_manager", True),
        ("agency_manager", True),
        ("head_of_service", True),
        ("sqa_officer", True),
        ("practitioner", False),
        ("other_agency_manager", False),
        ("board_member", False),
        ("outsider_sqa", False),
    ],
)
def test_who_cancels(
    action, practitioner, team_manager, persona, allowed, request, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    mail.outbox.clear()
    if not allowed:
        with pytest.raises(PermissionDenied):
            services.action_cancel(action=action, by=user, reason="Duplicate")
        action.refresh_from_db()
        assert action.status == ActionStatus.OPEN
        return
    with pytest.raises(ValidationError) as exc:
        services.action_cancel(action=action, by=user, reason=" ")
    assert "reason" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.action_cancel(action=action, by=user, reason="Duplicate of another action")
    action.refresh_from_db()
    assert action.status == ActionStatus.CANCELLED
    assert action.cancel_reason == "Duplicate of another action"
    expected = {practitioner.email, team_manager.email} - {user.email}
    assert {m.to[0] for m in mail.outbox} == expected
    # A cancelled action is finished: nobody can work on it or cancel it again.
    with pytest.raises(PermissionDenied):
        services.action_start(action=action, by=practitioner)
    with pytest.raises(PermissionDenied):
        services.action_cancel(action=action, by=user, reason="Again")


def test_full_history(action, practitioner, team_manager):
    services.action_start(action=action, by=practitioner)
    services.action_complete(action=action, by=practitioner, evidence="Done")
    services.action_verify(action=action, by=team_manager)
    events = list(ActionEvent.objects.filter(action=action).exclude(kind=services.NOTIFIED))
    assert [(e.kind, e.user) for e in events] == [
        ("raised", action.raised_by),
        ("started", practitioner),
        ("completed", practitioner),
        ("verified", team_manager),
    ]
    assert events[0].details["worker"] == practitioner.display_name
    assert events[0].details["team_manager"] == team_manager.display_name
