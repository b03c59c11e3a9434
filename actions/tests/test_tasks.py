"""The background jobs of actions and escalations: named after this app's one tasks module, and every job that
sends email retries with the one send policy (qaf.tasks), GOV.UK Notify's errors included."""

from __future__ import annotations

import smtplib

import pytest

from actions import tasks
from qaf.celery import app
from qaf.notify import NotifyError
from qaf.tasks import MAX_RETRIES, backoff, is_temporary

SENDING = [
    tasks.action_notify_raised,
    tasks.action_notify_event,
    tasks.actions_send_reminders,
    tasks.team_manager_weekly_digest,
    tasks.escalation_notify,
    tasks.escalations_chase,
]


@pytest.mark.parametrize("task", SENDING, ids=lambda task: task.name)
def test_every_sending_job_retries_mail_and_notify_errors_with_backoff(task):
    assert task.is_temporary is is_temporary
    assert task.is_temporary(NotifyError("Notify could not be reached")) and task.is_temporary(
        smtplib.SMTPServerDisconnected("gone")
    )
    assert task.max_retries == MAX_RETRIES == 5 and backoff(0) < backoff(1) < backoff(4)


def test_the_jobs_are_named_after_the_actions_tasks_module():
    names = {task.name for task in SENDING}
    assert all(name.startswith("actions.tasks.") for name in names)
    assert names <= set(app.tasks)
