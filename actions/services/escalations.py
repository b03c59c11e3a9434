"""Case escalations: an audit graded Inadequate, or a safeguarding concern, goes to the head of service at once.

The app that owns the triggering record (audits) decides when to escalate and calls `escalation_raise` with the
record, the trigger, its key, the summary, the responsible agency, the child and the themes. Rules kept here:
- One escalation per trigger. The trigger key ("audit:<pk>:inadequate", "concern:<pk>") is unique per
  partnership; a retried submit, a second call or two concurrent requests find the existing row instead of
  making another (the insert runs in a savepoint and an IntegrityError falls back to the existing row).
- The head of service of the responsible agency is the first active user holding that role there; with none,
  the partnership's SQA officers are told instead.
- Deadline: the head of service acknowledges by 17:00 (Europe/London) on the N-th working day after the day the
  escalation was raised (the raise day itself never counts, whatever the hour), N being the partnership's
  `escalation_acknowledge_working_days`. Working days skip weekends and England and Wales bank holidays.
- Chase and raise (`escalations_chase`, run periodically by celery beat): once the deadline has passed, the head of
  service is emailed again (chased_at); if still unacknowledged by 17:00 on the working day after the deadline,
  every SQA officer of the partnership (the SQA lead) is told (raised_to_sqa_at). Each step happens once.
- Summaries and emails carry the case reference and initials only, never a name or the concern's text.
- Escalations are never deleted; every change is an EscalationEvent.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from actions import access, sources
from actions.models import Escalation, EscalationStatus, EscalationTrigger
from ehcp.models import Child
from ehcp.timeliness import add_working_days
from qaf.history.services import event_record
from qaf.models import Agency, Membership, Partnership, Role, User

LONDON = ZoneInfo("Europe/London")
DEADLINE_TIME = dt.time(17, 0)

NOTIFIED = "notified"
CHASED = "chased"
RAISED_TO_SQA = "raised to SQA"


def _at_deadline_time(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, DEADLINE_TIME, tzinfo=LONDON)


def acknowledge_deadline(*, raised_at: dt.datetime, working_days: int) -> dt.datetime:
    """17:00 London time on the `working_days`-th working day after the day of `raised_at` (at least 1)."""
    raised_day = timezone.localtime(raised_at, LONDON).date()
    return _at_deadline_time(add_working_days(raised_day, max(working_days, 1)))


def raise_to_sqa_deadline(escalation: Escalation) -> dt.datetime:
    """17:00 on the working day after the acknowledgement deadline: past it, the SQA lead is told."""
    deadline_day = timezone.localtime(escalation.acknowledge_by, LONDON).date()
    return _at_deadline_time(add_working_days(deadline_day, 1))


def head_of_service_for(agency: Agency) -> User | None:
    """The first active head of service of the agency (by account age), or None."""
    membership = (
        Membership.objects.filter(agency=agency, role=Role.HEAD_OF_SERVICE, user__is_active=True)
        .select_related("user")
        .order_by("user_id")
        .first()
    )
    return membership.user if membership else None


def sqa_officers(partnership_id: int) -> QuerySet[User]:
    """The active SQA officers of the partnership (together, "the SQA lead")."""
    return (
        User.objects.filter(
            is_active=True,
            partnership_id=partnership_id,
            memberships__role=Role.SQA_OFFICER,
            memberships__agency__partnership_id=partnership_id,
        )
        .distinct()
        .order_by("pk")
    )


def _escalation_get_or_create(
    *, partnership: Partnership, trigger_key: str, fields: dict[str, Any]
) -> tuple[Escalation, bool]:
    existing = Escalation.objects.filter(partnership=partnership, trigger_key=trigger_key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():  # a savepoint: a concurrent insert of the same key rolls back only this
            return Escalation.objects.create(partnership=partnership, trigger_key=trigger_key, **fields), True
    except IntegrityError:
        return Escalation.objects.get(partnership=partnership, trigger_key=trigger_key), False


@transaction.atomic
def escalation_raise(
    *,
    source: models.Model,
    by: User | None,
    trigger: str,
    trigger_key: str,
    summary: str,
    agency: Agency,
    child: Child | None = None,
    theme_ids: Iterable[int] = (),
) -> tuple[Escalation, bool]:
    """Escalate `source` (a record of a kind registered with actions.sources: an audit, a safeguarding concern)
    to the head of service of `agency`, once per `trigger_key`: called again with the same key it returns the
    existing escalation and writes nothing. A new one gets the acknowledgement deadline of the partnership's
    working days, its themes, a "raised" event, and `escalation_notify` queued on commit. The caller decides
    that the trigger holds and checks access (the audits services do). Returns (escalation, created).

    Raises ValueError when `source` is of no registered kind or `trigger` is not an EscalationTrigger."""
    if sources.source_of(source) is None:
        raise ValueError(f"{source._meta.label} is not a registered source of escalations")
    if trigger not in EscalationTrigger.values:
        raise ValueError(f"Unknown escalation trigger {trigger!r}")
    now = timezone.now()
    partnership = agency.partnership
    escalation, created = _escalation_get_or_create(
        partnership=partnership,
        trigger_key=trigger_key,
        fields={
            "trigger": trigger,
            **sources.link_of(source),
            "child": child,
            "agency": agency,
            "head_of_service": head_of_service_for(agency),
            "summary": summary,
            "raised_by": by,
            "raised_at": now,
            "acknowledge_by": acknowledge_deadline(
                raised_at=now, working_days=partnership.escalation_acknowledge_working_days
            ),
        },
    )
    if not created:
        return escalation, False
    escalation.themes.set(list(theme_ids))
    event_record(
        subject=escalation,
        user=by,
        kind="raised",
        trigger=trigger,
        acknowledge_by=escalation.acknowledge_by.isoformat(),
        head_of_service=escalation.head_of_service.display_name if escalation.head_of_service else None,
    )
    _queue_notify(escalation.pk)
    return escalation, True


def _queue_notify(escalation_id: int) -> None:
    from actions import tasks  # the tasks load this module; queued on commit, so loading needs neither

    transaction.on_commit(lambda: tasks.escalation_notify.delay(escalation_id))


def _lock(escalation: Escalation) -> Escalation:
    return (
        Escalation.objects.select_for_update(of=("self",))
        .select_related("agency", "head_of_service", "child", "partnership")
        .get(pk=escalation.pk)
    )


@transaction.atomic
def escalation_acknowledge(*, escalation: Escalation, by: User, note: str = "") -> Escalation:
    """The head of service acknowledges an open escalation. Writes status, acknowledged_by/_at and an
    "acknowledged" event. Raises PermissionDenied unless `access.escalations.can(user, "acknowledge")`; ValidationError when it is
    no longer waiting for acknowledgement."""
    locked = _lock(escalation)
    if locked.status != EscalationStatus.OPEN:
        raise ValidationError("This escalation has already been acknowledged.")
    if not access.escalations.can(by, "acknowledge", locked):
        raise PermissionDenied("Only the head of service of the agency can acknowledge this escalation.")
    locked.status, locked.acknowledged_by, locked.acknowledged_at = (
        EscalationStatus.ACKNOWLEDGED,
        by,
        timezone.now(),
    )
    locked.save(update_fields=["status", "acknowledged_by", "acknowledged_at"])
    event_record(subject=locked, user=by, kind="acknowledged", note=(note or "").strip())
    return locked


@transaction.atomic
def escalation_resolve(*, escalation: Escalation, by: User, resolution: str) -> Escalation:
    """Record how the escalation was resolved (the head of service once acknowledged, or an SQA officer).
    Raises PermissionDenied unless `access.escalations.can(user, "resolve")`; ValidationError keyed `resolution` when empty, or
    when it is already resolved."""
    locked = _lock(escalation)
    if locked.status == EscalationStatus.RESOLVED:
        raise ValidationError("This escalation has already been resolved.")
    if not access.escalations.can(by, "resolve", locked):
        raise PermissionDenied("Only the head of service or an SQA officer can resolve this escalation.")
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": "Say how the escalation was resolved."})
    locked.status, locked.resolution = EscalationStatus.RESOLVED, resolution
    locked.resolved_by, locked.resolved_at = by, timezone.now()
    locked.save(update_fields=["status", "resolution", "resolved_by", "resolved_at"])
    event_record(subject=locked, user=by, kind="resolved", resolution=resolution)
    return locked


# --- emails --------------------------------------------------------------------------------------------


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(escalation: Escalation, *, template: str, subject: str, recipients: list[User]) -> list[str]:
    emails = [u.email for u in recipients if u.email]
    if emails:
        context = {
            "escalation": escalation,
            "url": _absolute(reverse("actions:escalation-detail", args=[escalation.pk])),
            "deadline": timezone.localtime(escalation.acknowledge_by, LONDON),
        }
        send_mail(
            subject=subject,
            message=render_to_string(template, context),
            from_email=None,
            recipient_list=emails,
        )
    return emails


def escalation_recipients(escalation: Escalation) -> list[User]:
    """Who is emailed about a new escalation: its head of service or, with none (or one who has left or has
    no email address), the partnership's active SQA officers."""
    return _head_of_service_or_sqa(escalation)


def _head_of_service_or_sqa(escalation: Escalation) -> list[User]:
    hos = escalation.head_of_service
    if hos is not None and hos.is_active and hos.email:
        return [hos]
    return list(sqa_officers(escalation.partnership_id))


@transaction.atomic
def escalation_notify(*, escalation: Escalation) -> bool:
    """Email the head of service (or, with none, the SQA officers) about a new escalation, once. Sets
    notified_at and records a "notified" event in the same transaction, with the row locked, so a second
    delivery sends nothing; when sending fails, nothing is recorded and the task retries. Returns whether an
    email went now."""
    locked = _lock(escalation)
    if locked.notified_at is not None:
        return False
    subject = f"Case escalation: {locked.get_trigger_display()} – {locked.agency.name}"
    emails = _send(
        locked,
        template="actions/escalations/email_raised.txt",
        subject=subject,
        recipients=_head_of_service_or_sqa(locked),
    )
    locked.notified_at = timezone.now()
    locked.save(update_fields=["notified_at"])
    event_record(subject=locked, user=None, kind=NOTIFIED, recipients=emails)
    return bool(emails)


def escalations_chase(now: dt.datetime | None = None) -> dict[str, int]:
    """The periodic chase (celery beat): every open escalation past its deadline and not yet chased is chased
    (the head of service emailed again, chased_at, a "chased" event); every one chased and still open past
    17:00 on the working day after its deadline, and not yet raised, is raised to the SQA lead (every SQA
    officer emailed, raised_to_sqa_at, a "raised to SQA" event). Each escalation is handled in its own
    transaction with its row locked, so running twice does nothing more and one failed email does not stop
    the rest. Returns the counts {"chased": n, "raised": m}."""
    now = now or timezone.now()
    counts = {"chased": 0, "raised": 0}
    open_ = Escalation.objects.filter(status=EscalationStatus.OPEN, acknowledge_by__lt=now)
    for pk in open_.filter(chased_at__isnull=True).values_list("pk", flat=True):
        counts["chased"] += _chase_one(pk, now)
    for pk in open_.filter(chased_at__isnull=False, raised_to_sqa_at__isnull=True).values_list(
        "pk", flat=True
    ):
        counts["raised"] += _raise_one(pk, now)
    return counts


@transaction.atomic
def _chase_one(pk: int, now: dt.datetime) -> bool:
    escalation = _lock(Escalation(pk=pk))
    if escalation.status != EscalationStatus.OPEN or escalation.chased_at or escalation.acknowledge_by >= now:
        return False
    emails = _send(
        escalation,
        template="actions/escalations/email_chase.txt",
        subject=f"Reminder: case escalation {escalation.pk} is waiting for acknowledgement",
        recipients=_head_of_service_or_sqa(escalation),
    )
    escalation.chased_at = now
    escalation.save(update_fields=["chased_at"])
    event_record(subject=escalation, user=None, kind=CHASED, recipients=emails)
    return True


@transaction.atomic
def _raise_one(pk: int, now: dt.datetime) -> bool:
    escalation = _lock(Escalation(pk=pk))
    if (
        escalation.status != EscalationStatus.OPEN
        or escalation.raised_to_sqa_at
        or not escalation.chased_at
        or raise_to_sqa_deadline(escalation) >= now
    ):
        return False
    emails = _send(
        escalation,
        template="actions/escalations/email_raised_to_sqa.txt",
        subject=f"Case escalation {escalation.pk} not acknowledged by the head of service",
        recipients=list(sqa_officers(escalation.partnership_id)),
    )
    escalation.raised_to_sqa_at = now
    escalation.save(update_fields=["raised_to_sqa_at"])
    event_record(subject=escalation, user=None, kind=RAISED_TO_SQA, recipients=emails)
    return True
