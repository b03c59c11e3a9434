"""Reminders: the daily due-soon and overdue reminder (at most once per action per day) and the team managers'
weekly digest (at most once per manager per ISO week), run by celery beat."""

from __future__ import annotations

import datetime as dt
import smtplib
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.core import mail

from actions import tasks
from actions.models import ActionEvent, ActionStatus
from actions.services import reminders
from actions.tests.factories import make_action
from qaf.models import Role
from qaf.tests.factories import member

MONDAY = dt.datetime(2026, 3, 9, 7, 0, tzinfo=dt.UTC)
TODAY = MONDAY.date()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def mail_server_down():
    """Inside it, every reminder or digest email fails to send as when the mail server is down."""
    return mock.patch(
        "actions.services.reminders.EmailMessage.send", side_effect=smtplib.SMTPException("down")
    )


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False) as traveller:
        yield traveller


@pytest.fixture
def actions(frozen, area, practitioner, team_manager):
    team = {"team": area.school_team, "team_manager": team_manager}
    return {
        "overdue": make_action(
            agency=area.school, worker=practitioner, due_on=days(-2), what="Overdue", **team
        ),
        "today": make_action(agency=area.school, worker=practitioner, due_on=days(0), what="Today", **team),
        "soon": make_action(agency=area.school, worker=practitioner, due_on=days(3), what="Soon", **team),
        "later": make_action(agency=area.school, worker=practitioner, due_on=days(4), what="Later", **team),
        "completed": make_action(
            agency=area.school,
            worker=practitioner,
            due_on=days(-2),
            status=ActionStatus.COMPLETED,
            what="Completed",
            **team,
        ),
        "cancelled": make_action(
            agency=area.school,
            worker=practitioner,
            due_on=days(1),
            status=ActionStatus.CANCELLED,
            what="Cancelled",
            **team,
        ),
    }


def reminded(actions) -> set[str]:
    ids = set(ActionEvent.objects.filter(kind="reminded").values_list("action_id", flat=True))
    return {name for name, action in actions.items() if action.pk in ids}


def test_reminds_open_actions_due_within_three_days_or_overdue(actions, practitioner, team_manager):
    assert reminders.actions_send_reminders() == 3
    assert reminded(actions) == {"overdue", "today", "soon"}
    assert len(mail.outbox) == 3
    by_subject = {m.subject: m for m in mail.outbox}
    overdue = next(m for s, m in by_subject.items() if s.startswith("Overdue action (2 days)"))
    assert overdue.to == [practitioner.email]
    assert overdue.cc == [team_manager.email]  # the team manager is copied in on overdue actions only
    assert "Overdue" in overdue.body and "7 March 2026" in overdue.body
    due_soon = next(m for s, m in by_subject.items() if s.startswith("Action due on 12 March 2026"))
    assert due_soon.to == [practitioner.email]
    assert due_soon.cc == []
    for action in actions.values():
        action.refresh_from_db()
    assert actions["overdue"].last_reminded_on == TODAY
    assert actions["later"].last_reminded_on is None
    event = ActionEvent.objects.get(action=actions["overdue"], kind="reminded")
    assert event.details == {
        "on": "2026-03-09",
        "overdue": True,
        "to": [practitioner.email],
        "cc": [team_manager.email],
    }


def test_reminders_are_idempotent_per_day_and_resume_the_next_day(frozen, actions):
    assert reminders.actions_send_reminders() == 3
    assert reminders.actions_send_reminders() == 0
    assert len(mail.outbox) == 3
    frozen.shift(dt.timedelta(days=1))  # Tuesday: "later" is now due within three days
    assert reminders.actions_send_reminders() == 4
    assert len(mail.outbox) == 7
    assert reminders.actions_send_reminders() == 0
    assert ActionEvent.objects.filter(kind="reminded", action=actions["overdue"]).count() == 2


def test_a_second_delivery_of_the_task_the_same_day_sends_nothing(actions):
    assert tasks.actions_send_reminders.delay().get() == 3
    assert tasks.actions_send_reminders.delay().get() == 0
    assert len(mail.outbox) == 3


def test_a_failed_send_records_nothing_so_the_retry_sends_it(actions):
    with mail_server_down(), pytest.raises(smtplib.SMTPException):
        reminders.actions_send_reminders()
    assert reminded(actions) == set()
    assert reminders.actions_send_reminders() == 3


def test_no_email_to_a_worker_without_an_address_but_the_manager_still_hears_of_overdue(
    actions, practitioner, team_manager
):
    practitioner.email = ""
    practitioner.save(update_fields=["email"])
    assert reminders.actions_send_reminders() == 1
    assert mail.outbox[0].to == [team_manager.email]
    assert reminded(actions) == {"overdue"}


def test_the_email_does_not_name_the_child(frozen, area, practitioner):
    from ehcp.tests.factories import ChildFactory

    child = ChildFactory(partnership=area.partnership, case_reference="EHC-SECRET", initials="ZQ")
    make_action(agency=area.school, worker=practitioner, due_on=days(1), child=child)
    reminders.actions_send_reminders()
    assert "EHC-SECRET" not in mail.outbox[0].body and "ZQ" not in mail.outbox[0].body


# --- weekly digest -------------------------------------------------------------------------------


def test_digest_goes_once_to_each_team_manager_with_open_actions(actions, area, team_manager):
    idle_manager = member(area.school, Role.TEAM_MANAGER, username="idle.manager", team=None)
    other_team_manager = member(area.other_school, Role.TEAM_MANAGER, username="other.tm")
    assert idle_manager and other_team_manager
    assert reminders.team_manager_weekly_digest() == 1
    (digest,) = mail.outbox
    assert digest.to == [team_manager.email]
    assert digest.subject == "Your team's actions this week: 4 open, 1 overdue"
    assert "Overdue:\n- Due 7 Mar 2026" in digest.body
    for name in ("Overdue", "Today", "Soon", "Later"):
        assert name in digest.body
    assert "Completed" not in digest.body and "Cancelled" not in digest.body


def test_digest_is_idempotent_per_iso_week(frozen, actions):
    assert reminders.team_manager_weekly_digest() == 1
    assert reminders.team_manager_weekly_digest() == 0
    frozen.shift(dt.timedelta(days=6))  # Sunday, still the same ISO week
    assert reminders.team_manager_weekly_digest() == 0
    frozen.shift(dt.timedelta(days=1))  # the next Monday
    assert reminders.team_manager_weekly_digest() == 1
    assert len(mail.outbox) == 2


def test_digest_retry_after_a_failed_send_sends_it(actions):
    with mail_server_down(), pytest.raises(smtplib.SMTPException):
        reminders.team_manager_weekly_digest()
    assert tasks.team_manager_weekly_digest.delay().get() == 1
    assert len(mail.outbox) == 1


def test_digest_skips_managers_whose_team_has_nothing_open(frozen, area, practitioner, team_manager):
    make_action(
        agency=area.school,
        worker=practitioner,
        due_on=days(-2),
        team=area.school_team,
        team_manager=team_manager,
        status=ActionStatus.VERIFIED,
    )
    assert reminders.team_manager_weekly_digest() == 0
    assert mail.outbox == []


def test_digest_reaches_the_team_manager_of_the_team_even_if_not_recorded_on_the_action(
    frozen, area, practitioner, team_manager
):
    make_action(agency=area.school, worker=practitioner, due_on=days(5), team=area.school_team)
    assert reminders.team_manager_weekly_digest() == 1
    assert mail.outbox[0].to == [team_manager.email]


# --- schedule ------------------------------------------------------------------------------------


def test_beat_schedule_runs_reminders_daily_digest_weekly_and_chasing_every_half_hour():
    schedule = settings.CELERY_BEAT_SCHEDULE
    by_task = {entry["task"]: entry["schedule"] for entry in schedule.values()}
    daily = by_task["actions.tasks.actions_send_reminders"]
    weekly = by_task["actions.tasks.team_manager_weekly_digest"]
    chase = by_task["actions.tasks.escalations_chase"]
    assert (daily.hour, daily.minute, len(daily.day_of_week)) == ({7}, {0}, 7)
    assert (weekly.hour, weekly.minute, weekly.day_of_week) == ({7}, {30}, {1})
    assert chase.minute == set(range(0, 60, 30)) and len(chase.hour) == 24


def test_scheduled_reminder_tasks_are_registered():
    from qaf.celery import app

    assert "actions.tasks.actions_send_reminders" in app.tasks
    assert "actions.tasks.team_manager_weekly_digest" in app.tasks
