"""Background jobs of remedial actions and case escalations. Thin: take ids, load, call a service; safe to run
twice (the services record each email sent, each reminder and each chase, so a retry or a second delivery sends
nothing twice). Sending jobs share qaf.tasks' retry policy.

This module loads the services; the services queue these jobs on commit through an import inside the function
that queues them, so loading either module never needs the other (tests/test_import_graph.py). The periodic jobs are scheduled by celery beat (CELERY_BEAT_SCHEDULE in qaf/settings.py).
"""

from __future__ import annotations

from actions.models import ActionEvent, Escalation, RemedialAction
from actions.services import actions as action_services
from actions.services import escalations as escalation_services
from actions.services import reminders
from qaf.tasks import send_task


@send_task
def action_notify_raised(action_id: int) -> int:
    """Email the worker and team manager about a newly raised action. Returns how many emails were sent."""
    action = RemedialAction.objects.filter(pk=action_id).first()
    if action is None:
        return 0
    return action_services.action_notify_raised(action=action)


@send_task
def action_notify_event(event_id: int) -> int:
    """Email the people a change to an action concerns (completed, verified, cancelled)."""
    event = ActionEvent.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    return action_services.action_event_notify(event=event)


@send_task
def actions_send_reminders() -> int:
    """Today's due-soon and overdue reminders (daily). Returns how many emails were sent."""
    return reminders.actions_send_reminders()


@send_task
def team_manager_weekly_digest() -> int:
    """This week's digest to each team manager with open actions (weekly). Returns how many emails were sent."""
    return reminders.team_manager_weekly_digest()


@send_task
def escalation_notify(escalation_id: int) -> bool:
    """Email the head of service (or the SQA officers) about a new escalation. Sends nothing when it was
    already notified or no longer exists; a failed send records nothing and is retried with backoff."""
    escalation = Escalation.objects.filter(pk=escalation_id).first()
    if escalation is None:
        return False
    return escalation_services.escalation_notify(escalation=escalation)


@send_task
def escalations_chase() -> dict[str, int]:
    """Chase overdue escalations and raise them to the SQA lead (each step once; every 30 minutes). Each
    escalation is handled on its own, so one failed email does not stop the rest."""
    return escalation_services.escalations_chase()
