"""Reminders for remedial actions: the daily due-soon and overdue reminder, and the team managers' weekly digest.

Both run from celery beat (qaf/settings.py CELERY_BEAT_SCHEDULE) through actions/tasks.py, and both
are safe to run again: a reminder goes at most once per action per day (RemedialAction.last_reminded_on,
written in the same transaction as the ActionEvent "reminded"), a digest at most once per team manager per
ISO week (a cache key added before sending; with several worker processes set CACHE_URL so they share it).
Emails name the action, its agency and due date, never the child.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionStatus, RemedialAction
from qaf.access import managed_team_ids
from qaf.history.services import event_record
from qaf.models import Role, User

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# An open action due within this many days (or overdue) gets a daily reminder.
DUE_SOON_DAYS = 3
REMINDED = "reminded"
# A digest key lives a little over a week, so the next week's run is never blocked by it.
DIGEST_KEY_SECONDS = 8 * 24 * 60 * 60


def _absolute(name: str, *args: object) -> str:
    """The full URL of a page."""
    return f"{settings.SITE_URL}{reverse(name, args=args)}"


def _reminder_due(today: dt.date) -> Q:
    return Q(status__in=OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=DUE_SOON_DAYS))


def actions_send_reminders(*, today: dt.date | None = None) -> int:
    """Send today's reminder for every open action due within 3 days or overdue: to the worker, with the team
    manager copied in when overdue. An action already reminded today is skipped, so running this twice in a
    day sends nothing more; the next day sends again. Each action is its own transaction, so a failure part
    way leaves the reminders already sent recorded. Returns how many emails were sent."""
    today = today or timezone.localdate()
    pending = (
        RemedialAction.objects.filter(_reminder_due(today))
        .exclude(last_reminded_on=today)
        .order_by("due_on", "pk")
        .values_list("pk", flat=True)
    )
    return sum(action_remind(action_id=pk, today=today) for pk in list(pending))


@transaction.atomic
def action_remind(*, action_id: int, today: dt.date) -> bool:
    """Remind the worker (and, when overdue, the team manager) of one action, at most once on `today`.

    The action row is locked so two runs at once cannot both send; the email goes inside the transaction, so
    if sending raises nothing is recorded and a retry sends it. Returns whether an email was sent now."""
    action = (
        RemedialAction.objects.select_for_update(of=("self",))
        .select_related("agency", "worker", "team_manager")
        .filter(pk=action_id)
        .filter(_reminder_due(today))
        .first()
    )
    if action is None or action.last_reminded_on == today:
        return False
    overdue = action.due_on < today
    to = [action.worker.email] if action.worker.email and action.worker.is_active else []
    cc = []
    manager = action.team_manager
    if overdue and manager and manager.email and manager.is_active and manager.email not in to:
        cc.append(manager.email)
    if not to:
        # No address for the worker: the team manager (overdue only) is told directly.
        to, cc = cc, []
    if not to:
        return False
    if overdue:
        days = (today - action.due_on).days
        subject = f"Overdue action ({days} day{'s' if days != 1 else ''}): {action.agency.name}"
        opening = f"This remedial action was due on {action.due_on:%-d %B %Y} and is not yet completed."
    else:
        subject = f"Action due on {action.due_on:%-d %B %Y}: {action.agency.name}"
        opening = f"This remedial action is due on {action.due_on:%-d %B %Y}."
    body = "\n\n".join(
        [
            f"Dear {action.worker.display_name},",
            opening,
            f"What: {action.what}",
            f"Priority: {action.get_priority_display()}",
            "When it is done, record what you did (the evidence) on the action page, so that your team "
            "manager can verify it:",
            _absolute("actions:action-detail", action.pk),
            "Your actions: " + _absolute("actions:my-actions"),
        ]
    )
    EmailMessage(subject=subject, body=body, to=to, cc=cc).send()
    action.last_reminded_on = today
    action.save(update_fields=["last_reminded_on"])
    event_record(
        subject=action, user=None, kind=REMINDED, on=today.isoformat(), overdue=overdue, to=to, cc=cc
    )
    return True


def _digest_key(user_id: int, today: dt.date) -> str:
    year, week, _ = today.isocalendar()
    return f"qaf:actions:digest:{user_id}:{year}-W{week:02d}"


def team_manager_weekly_digest(*, today: dt.date | None = None) -> int:
    """Email each team manager one list of their teams' open actions, overdue ones first, and skip managers
    with none. At most one digest per manager per ISO week: a cache key is added before sending (and removed
    again if sending fails, so a retry sends it). Returns how many emails were sent."""
    today = today or timezone.localdate()
    managers = User.objects.filter(
        is_active=True, memberships__role=Role.TEAM_MANAGER, memberships__team__isnull=False
    ).distinct()
    teams_of = {manager.pk: managed_team_ids(manager) for manager in managers}
    all_teams = {t for teams in teams_of.values() for t in teams}
    actions = list(
        RemedialAction.objects.filter(status__in=OPEN_STATUSES)
        .filter(Q(team_id__in=all_teams) | Q(team_manager__isnull=False))
        .select_related("agency", "worker")
        .order_by("due_on", "pk")
    )
    by_manager: dict[int, list[RemedialAction]] = {}
    for action in actions:
        told = {m for m, teams in teams_of.items() if action.team_id in teams}
        if action.team_manager_id:
            told.add(action.team_manager_id)
        for manager_id in told:
            by_manager.setdefault(manager_id, []).append(action)
    sent = 0
    users = User.objects.in_bulk(list(by_manager))
    for manager_id, mine in sorted(by_manager.items()):
        manager = users.get(manager_id)
        if manager is None or not manager.email or not manager.is_active:
            continue
        key = _digest_key(manager_id, today)
        if not cache.add(key, today.isoformat(), DIGEST_KEY_SECONDS):
            continue
        try:
            _send_digest(manager, mine, today)
        except Exception:
            cache.delete(key)
            raise
        sent += 1
    return sent


def _send_digest(manager: User, actions: list[RemedialAction], today: dt.date) -> None:
    overdue = [a for a in actions if a.due_on < today]
    upcoming = [a for a in actions if a.due_on >= today]

    def line(action: RemedialAction) -> str:
        return (
            f"- Due {action.due_on:%-d %b %Y}, {action.get_priority_display().lower()} priority, "
            f"{action.worker.display_name} ({action.agency.name}): {action.what[:120]}"
        )

    parts = [
        f"Dear {manager.display_name},",
        f"Your team has {len(actions)} open remedial action{'s' if len(actions) != 1 else ''}, "
        f"{len(overdue)} overdue.",
    ]
    if overdue:
        parts.append("Overdue:\n" + "\n".join(line(a) for a in overdue))
    if upcoming:
        parts.append("Open:\n" + "\n".join(line(a) for a in upcoming))
    parts.append("Your team's actions: " + _absolute("actions:team-actions"))
    EmailMessage(
        subject=f"Your team's actions this week: {len(actions)} open, {len(overdue)} overdue",
        body="\n\n".join(parts),
        to=[manager.email],
    ).send()
