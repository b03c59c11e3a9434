"""Periodic jobs for remedial actions (scheduled by celery beat, see CELERY_BEAT_SCHEDULE in qaf/settings.py).

Thin: each calls one service in audits/services/reminders.py, which makes running twice harmless (at most one
reminder per action per day, one digest per team manager per week), so retries after a mail error are safe.
"""

from __future__ import annotations

import smtplib

from celery import shared_task

from audits.services import reminders

__all__ = ["actions_send_reminders", "team_manager_weekly_digest"]

_RETRY = {
    "autoretry_for": (smtplib.SMTPException, ConnectionError, TimeoutError),
    "retry_backoff": True,
    "max_retries": 5,
}


@shared_task(name="audits.tasks_reminders.actions_send_reminders", **_RETRY)
def actions_send_reminders() -> int:
    """Today's due-soon and overdue reminders. Returns how many emails were sent."""
    return reminders.actions_send_reminders()


@shared_task(name="audits.tasks_reminders.team_manager_weekly_digest", **_RETRY)
def team_manager_weekly_digest() -> int:
    """This week's digest to each team manager with open actions. Returns how many emails were sent."""
    return reminders.team_manager_weekly_digest()
