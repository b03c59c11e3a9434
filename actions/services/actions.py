"""Remedial actions: raising one, working it through open → in progress → completed → verified (or cancelled),
and telling the people concerned.

Every write records an ActionEvent (the action's history) in the same transaction and queues its emails with
`transaction.on_commit`, so nothing is sent for a change that rolled back. `action_event_notify` sends the
emails for one event, once per recipient: the "notified" events are the record that makes the Celery tasks
(actions.tasks) safe to run twice.

The record an action is raised from (an audit, a dip sample, a complaint ...) is checked through
actions.sources: who may raise from it, and the child, agency and partnership it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TypedDict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions import access, sources
from actions.models import ActionEvent, ActionPriority, ActionSource, ActionStatus, RemedialAction
from actions.services import escalations
from ehcp.models import Child
from qaf.access import WORKING_ROLES
from qaf.calendar import due_on_errors
from qaf.history.models import HistoryEvent
from qaf.history.services import event_record
from qaf.models import Agency, Membership, Role, Team, Theme, User

NOTIFIED = "notified"
# Which events send email, and to whom: "worker", "team_manager", or "verifiers" (action_verifiers: the
# team manager or, with none, an SQA officer, so a completed action always reaches someone who can verify it).
RECIPIENTS: dict[str, tuple[str, ...]] = {
    "raised": ("worker", "team_manager"),
    "completed": ("verifiers",),
    "verified": ("worker",),
    "cancelled": ("worker", "team_manager"),
}
SUBJECTS = {
    "raised": "Remedial action due by {due}",
    "completed": "Remedial action completed: please verify it",
    "verified": "Remedial action verified",
    "cancelled": "Remedial action cancelled",
}


def working_staff(agency: Agency) -> models.QuerySet[Membership]:
    """The memberships of active people in a working role in `agency` (who may carry out an action)."""
    return Membership.objects.filter(
        agency=agency,
        role__in=WORKING_ROLES,
        user__is_active=True,
        user__partnership_id=agency.partnership_id,
    )


def action_verifiers(action: RemedialAction) -> list[User]:
    """Who is asked to verify the action once it is completed (access.actions.can(user, "verify") lets each of them):
    its team manager; with none (or one who has left), whoever raised it if they are an SQA officer of the
    partnership, else every active SQA officer of the partnership. Never the worker."""
    manager = action.team_manager
    if manager is not None and manager.is_active:
        return [manager]
    raiser = action.raised_by
    if (
        raiser is not None
        and raiser.is_active
        and raiser.pk != action.worker_id
        and access.actions.can(raiser, "oversee", action)
    ):
        return [raiser]
    return list(escalations.sqa_officers(action.partnership_id).exclude(pk=action.worker_id))


def _team_and_manager(agency: Agency, worker: User) -> tuple[Team | None, User | None]:
    membership = (
        Membership.objects.filter(user=worker, agency=agency, team__isnull=False)
        .select_related("team")
        .order_by("pk")
        .first()
    )
    if membership is None:
        return None, None
    manager = (
        User.objects.filter(
            is_active=True,
            memberships__team=membership.team,
            memberships__role=Role.TEAM_MANAGER,
        )
        .exclude(pk=worker.pk)
        .order_by("first_name", "last_name", "username")
        .first()
    )
    return membership.team, manager


class _RaiseInput(TypedDict):
    """What `action_raise` checks and creates the action from, besides the worker and due date (which the
    check returns, present)."""

    by: User
    agency: Agency
    what: str
    why: str
    priority: str
    child: Child | None
    source: str
    source_object: models.Model | None
    theme_ids: list[int]


def _source_errors(
    *,
    kind: sources.Source | None,
    source: str,
    source_object: models.Model | None,
    child: Child | None,
    partnership_id: int,
    theme_ids: list[int],
) -> dict[str, str]:
    """What is wrong with an action's source, child and themes (none of them errors: an empty dict)."""
    errors: dict[str, str] = {}
    raised_during = kind is not None and kind.may_raise is not None
    noun = kind.noun if kind is not None else ""
    if source_object is not None and kind is None:
        errors["source"] = "Choose where the action comes from"
    elif raised_during and kind is not None:
        if source != kind.recorded_as:
            errors["source"] = f"An action raised from an {noun} has the {noun} as its source"
    elif source not in ActionSource.values or source == ActionSource.AUDIT:
        errors["source"] = "Choose where the action comes from"
    if child is not None and child.partnership_id != partnership_id:
        errors["child"] = "Choose a case of your partnership"
    source_child = kind.child_of(source_object) if kind is not None and source_object is not None else None
    if child is not None and source_child is not None and child.pk != source_child.pk:
        errors["child"] = f"The action must be about the child of the {noun}"
    if (
        kind is not None
        and source_object is not None
        and kind.partnership_of(source_object) != partnership_id
    ):
        errors["source"] = f"The {noun} belongs to another partnership"
    if theme_ids:
        found = Theme.objects.filter(partnership_id=partnership_id, is_active=True, pk__in=theme_ids).count()
        if found != len(set(theme_ids)):
            errors["themes"] = "Choose themes of your partnership"
    return errors


def _agency_errors(by: User, agency: Agency, raised_during: bool) -> dict[str, str]:
    """What is wrong with the agency the action is raised in: it must be an active one of `by`'s partnership
    and, unless a source record's own rule let `by` raise it, one `by` may raise actions in."""
    if by.partnership_id != agency.partnership_id or not agency.is_active:
        return {"agency": "Choose an agency of your partnership"}
    if not raised_during and not access.actions.can(by, "raise_in", agency):
        return {"agency": "Choose an agency you manage"}
    return {}


def _worker_errors(
    *, agency: Agency, worker: User | None, kind: sources.Source | None, source_object: models.Model | None
) -> dict[str, str]:
    """What is wrong with the worker: there must be one, working in `agency`, which must be the agency of a
    source record about one agency (a complaint)."""
    raised_during = kind is not None and kind.may_raise is not None
    source_agency = kind.agency_of(source_object) if kind is not None and source_object is not None else None
    noun = kind.noun if kind is not None else ""
    if worker is None:
        return {"worker": "Choose who carries out the action"}
    if not raised_during and source_agency is not None and agency.pk != source_agency.pk:
        return {"worker": f"Choose someone who works in {source_agency.name}, the agency the {noun} is about"}
    if not working_staff(agency).filter(user_id=worker.pk).exists():
        return {"worker": f"Choose someone who works in {agency.name}"}
    return {}


def _content_errors(*, what: str, why: str, due_on: dt.date | None, priority: str) -> dict[str, str]:
    """What is wrong with what the action asks, why, by when and how urgently."""
    errors: dict[str, str] = {}
    if not what.strip():
        errors["what"] = "Enter what needs to be done"
    if not why.strip():
        errors["why"] = "Enter why it needs to be done"
    errors.update(due_on_errors(due_on))
    if priority not in ActionPriority.values:
        errors["priority"] = "Choose the priority"
    return errors


def _validate_raise(
    checked: _RaiseInput, *, worker: User | None, due_on: dt.date | None
) -> tuple[User, dt.date]:
    """The worker and due date once the input is checked (ValidationError when it is wrong), field by field in
    the order the form asks them."""
    source_object = checked["source_object"]
    kind = sources.source_of(source_object) if source_object is not None else None
    raised_during = kind is not None and kind.may_raise is not None
    errors = {
        **_agency_errors(checked["by"], checked["agency"], raised_during),
        **_worker_errors(agency=checked["agency"], worker=worker, kind=kind, source_object=source_object),
        **_content_errors(
            what=checked["what"], why=checked["why"], due_on=due_on, priority=checked["priority"]
        ),
        **_source_errors(
            kind=kind,
            source=checked["source"],
            source_object=source_object,
            child=checked["child"],
            partnership_id=checked["agency"].partnership_id,
            theme_ids=checked["theme_ids"],
        ),
    }
    if errors or worker is None or due_on is None:
        raise ValidationError(errors)
    return worker, due_on


@transaction.atomic
def action_raise(
    *,
    by: User,
    agency: Agency,
    worker: User | None,
    what: str,
    why: str,
    due_on: dt.date | None,
    priority: str,
    child: Child | None = None,
    source: str | None = None,
    source_object: models.Model | None = None,
    source_note: str = "",
    theme_ids: Iterable[int] = (),
) -> RemedialAction:
    """Raise a remedial action for the case-responsible `worker` in `agency`.

    From a record with its own rule in actions.sources (an audit): the caller must pass
    access.actions.can(by, "raise", record) (an audit's auditors while they do it, or an SQA officer); the
    source is the record's kind, the agency the one it is about. Otherwise (a dip sample, a complaint, feedback
    analysis, other QA activity): SQA officers, or managers and heads of service of `agency`; `source_object`
    is an optional link to a registered record and `source_note` says what it was. A source record about one
    agency (a complaint) takes its action in that agency, for one of its staff; a source record about a child
    links the action to that child, so it shows on the child's record.
    The team is the worker's team in the agency and the team manager its team manager (first by name).
    Records a "raised" event and queues the email to the worker and team manager on commit.

    Raises PermissionDenied when `by` may not raise it, ValidationError (fields agency, worker, what, why,
    due_on, priority, source, child, themes) when the input is wrong."""
    source, child = _raise_allowed(by=by, source_object=source_object, source=source, child=child)
    theme_ids = [int(pk) for pk in theme_ids]
    checked: _RaiseInput = {
        "by": by,
        "agency": agency,
        "what": what,
        "why": why,
        "priority": priority,
        "child": child,
        "source": source,
        "source_object": source_object,
        "theme_ids": theme_ids,
    }
    worker, due_on = _validate_raise(checked, worker=worker, due_on=due_on)
    return _action_create(checked, worker=worker, due_on=due_on, source_note=source_note)


def _action_create(
    checked: _RaiseInput, *, worker: User, due_on: dt.date, source_note: str
) -> RemedialAction:
    """The action `action_raise` creates once the input is checked, its "raised" event recorded and its email
    queued on commit."""
    agency, source_object = checked["agency"], checked["source_object"]
    team, team_manager = _team_and_manager(agency, worker)
    action = RemedialAction.objects.create(
        partnership_id=agency.partnership_id,
        source=checked["source"],
        **(sources.link_of(source_object) if source_object is not None else {}),
        source_note=source_note.strip()[:200],
        child=checked["child"],
        agency=agency,
        team=team,
        worker=worker,
        team_manager=team_manager,
        what=checked["what"].strip(),
        why=checked["why"].strip(),
        priority=checked["priority"],
        due_on=due_on,
        raised_by=checked["by"],
    )
    if checked["theme_ids"]:
        action.themes.set(checked["theme_ids"])
    _record_raised(action, checked["by"], source_object)
    _queue_raised(action.pk)
    return action


def _raise_allowed(
    *, by: User, source_object: models.Model | None, source: str | None, child: Child | None
) -> tuple[str, Child | None]:
    """The action's source and child, after checking that `by` may raise it (PermissionDenied if not): the
    source record's own rule (see actions.sources), or the general one."""
    kind = sources.source_of(source_object) if source_object is not None else None
    if kind is not None and source_object is not None and kind.may_raise is not None:
        allowed = kind.may_raise(by, source_object)
        source = source or kind.recorded_as
    else:
        allowed = access.actions.can(by, "raise")
        source = source or ActionSource.OTHER
    if not allowed:
        raise PermissionDenied("You may not raise a remedial action here.")
    if child is None and kind is not None and source_object is not None:
        child = kind.child_of(source_object)
    return source, child


def _record_raised(action: RemedialAction, by: User, source_object: models.Model | None) -> HistoryEvent:
    return event_record(
        subject=action,
        user=by,
        kind="raised",
        worker=action.worker.display_name,
        team_manager=action.team_manager.display_name if action.team_manager else None,
        due_on=action.due_on.isoformat(),
        priority=action.priority,
        source=action.source,
        source_id=source_object.pk if source_object is not None else None,
    )


def _queue_raised(action_id: int) -> None:
    from actions import tasks  # the tasks load this module; queued on commit, so loading needs neither

    transaction.on_commit(lambda: tasks.action_notify_raised.delay(action_id))


def _queue_event(event: HistoryEvent) -> None:
    from actions import tasks

    event_id = event.pk
    transaction.on_commit(lambda: tasks.action_notify_event.delay(event_id))


def _locked(action: RemedialAction) -> RemedialAction:
    return RemedialAction.objects.select_for_update(of=("self",)).get(pk=action.pk)


def _refresh(target: RemedialAction, source: RemedialAction) -> None:
    # The caller's object reflects the change too.
    for field in ("status", "evidence", "cancel_reason", "completed_at", "verified_by_id", "verified_at"):
        setattr(target, field, getattr(source, field))


def _locked_for(action: RemedialAction, by: User, permission: str, refused: str) -> RemedialAction:
    """The action's row, locked for a change of its status, once access.actions.can(by, permission) allows
    the change (PermissionDenied with `refused` otherwise)."""
    locked = _locked(action)
    if not access.actions.can(by, permission, locked):
        raise PermissionDenied(refused)
    return locked


def _required_text(text: str, field: str, missing: str) -> str:
    """`text` stripped; ValidationError on `field` saying `missing` when that leaves nothing."""
    text = text.strip()
    if not text:
        raise ValidationError({field: missing})
    return text


# The history event each change of status records.
STATUS_EVENTS = {
    ActionStatus.IN_PROGRESS: "started",
    ActionStatus.COMPLETED: "completed",
    ActionStatus.VERIFIED: "verified",
    ActionStatus.CANCELLED: "cancelled",
}


def _status_set(
    action: RemedialAction,
    locked: RemedialAction,
    by: User,
    status: ActionStatus,
    fields: dict[str, object],
    *,
    notify: bool = True,
    **details: object,
) -> RemedialAction:
    """The last steps of every change of an action's status: write `status` and `fields` to the locked row,
    record the event (kind: the status's event name, with `details`) and, with `notify`, queue its emails
    on commit; the caller's `action` is brought up to date too. Returns the locked row."""
    locked.status = status
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save(update_fields=["status", *fields])
    event = event_record(subject=locked, user=by, kind=STATUS_EVENTS[status], **details)
    if notify:
        _queue_event(event)
    _refresh(action, locked)
    return locked


@transaction.atomic
def action_start(*, action: RemedialAction, by: User) -> RemedialAction:
    """The worker starts an open action (open → in progress) and a "started" event is recorded. Nobody is
    emailed. Raises PermissionDenied unless access.actions.can(user, "work_on"), ValidationError when the action is
    not open."""
    locked = _locked_for(action, by, "work_on", "Only the worker may start this action.")
    if locked.status != ActionStatus.OPEN:
        raise ValidationError("This action has already been started")
    return _status_set(action, locked, by, ActionStatus.IN_PROGRESS, {}, notify=False)


@transaction.atomic
def action_complete(*, action: RemedialAction, by: User, evidence: str) -> RemedialAction:
    """The worker completes an open or in-progress action with the evidence of what was done. Records a
    "completed" event and queues an email asking action_verifiers (the team manager or, without one, an SQA
    officer) to verify it. Raises PermissionDenied unless access.actions.can(user, "work_on"), ValidationError
    (field evidence) without evidence."""
    locked = _locked_for(action, by, "work_on", "Only the worker may complete this action.")
    evidence = _required_text(evidence, "evidence", "Enter what was done")
    fields = {"evidence": evidence, "completed_at": timezone.now()}
    return _status_set(action, locked, by, ActionStatus.COMPLETED, fields, evidence=evidence)


@transaction.atomic
def action_verify(*, action: RemedialAction, by: User, note: str = "") -> RemedialAction:
    """A team manager or SQA officer verifies a completed action (access.actions.can(user, "verify")). Records a
    "verified" event (with the optional note) and queues an email to the worker. Raises PermissionDenied
    otherwise."""
    refused = "Only the team manager or an SQA officer may verify a completed action."
    locked = _locked_for(action, by, "verify", refused)
    fields = {"verified_by": by, "verified_at": timezone.now()}
    return _status_set(action, locked, by, ActionStatus.VERIFIED, fields, note=note.strip())


@transaction.atomic
def action_cancel(*, action: RemedialAction, by: User, reason: str) -> RemedialAction:
    """The team manager, a manager of the agency or an SQA officer cancels an open action with a reason
    (access.actions.can(user, "cancel")). Records a "cancelled" event and queues an email to the worker and team
    manager. Raises PermissionDenied otherwise, ValidationError (field reason) without a reason."""
    locked = _locked_for(action, by, "cancel", "You may not cancel this action.")
    reason = _required_text(reason, "reason", "Enter why the action is cancelled")
    return _status_set(action, locked, by, ActionStatus.CANCELLED, {"cancel_reason": reason}, reason=reason)


# --- notifications ----------------------------------------------------------------------------------


def _recipients(action: RemedialAction, event: ActionEvent) -> list[User]:
    people: list[User] = []
    for who in RECIPIENTS.get(event.kind, ()):
        if who == "worker":
            people.append(action.worker)
        elif who == "team_manager" and action.team_manager is not None:
            people.append(action.team_manager)
        elif who == "verifiers":
            people.extend(action_verifiers(action))
    unique = {p.pk: p for p in people if p.is_active and p.email and p.pk != event.user_id}
    return list(unique.values())


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def action_event_notify(*, event: ActionEvent) -> int:
    """Email the people an action event concerns (see RECIPIENTS), each once. Returns how many were sent.

    Each recipient is sent in its own transaction with the action row locked, and a "notified" event
    (details: event, to) is written with it, so a retry after a failure, or a second delivery of the task,
    sends to nobody twice. The person who made the change is not emailed about it. Emails give the agency,
    priority and due date and a link, never the child or the action's free text."""
    sent = 0
    action = RemedialAction.objects.select_related("agency", "worker", "team_manager", "raised_by").get(
        pk=event.action_id
    )
    for person in _recipients(action, event):
        with transaction.atomic():
            _locked(action)
            done = ActionEvent.objects.filter(
                action_id=action.pk, kind=NOTIFIED, details__event=event.pk, details__to=person.pk
            ).exists()
            if done:
                continue
            context = {
                "action": action,
                "event": event,
                "user": person,
                "is_worker": person.pk == action.worker_id,
                "action_url": _absolute(reverse("actions:action-detail", args=[action.pk])),
            }
            send_mail(
                subject=SUBJECTS[event.kind].format(due=f"{action.due_on:%-d %B %Y}"),
                message=render_to_string(f"actions/actions/email/{event.kind}.txt", context),
                from_email=None,
                recipient_list=[person.email],
            )
            event_record(
                subject=action, user=None, kind=NOTIFIED, event=event.pk, about=event.kind, to=person.pk
            )
            sent += 1
    return sent


def action_notify_raised(*, action: RemedialAction) -> int:
    """Send the "raised" emails of an action (once each); see action_event_notify."""
    event = action.events.filter(kind="raised").order_by("pk").first()
    return action_event_notify(event=event) if event is not None else 0
