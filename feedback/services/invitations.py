"""Invitations to give feedback after a meeting: creating them (one by one or for every review in a date range),
sending them by email or text message, the one reminder, resending, withdrawing, and erasing contacts.

Sending happens in a background job (feedback.tasks.invitation_send) queued when the invitation is committed.
An invitation is written before anything is sent, so a send that fails loses nothing: it is kept with
`send_error`, shown as "Not sent", and staff can try again. A send is recorded once (`sent_at`) and the reminder
once (`reminded_at`), each under a row lock, so a job delivered twice sends once. Messages name the partnership,
the meeting's kind and date and the agency, never the child.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import smtplib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import partial

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone

from ehcp import access as ehcp_access
from ehcp.models import AnnualReview, Child
from feedback import access, tokens
from feedback.models import (
    Audience,
    Delivery,
    FeedbackFormVersion,
    FeedbackInvitation,
    MeetingKind,
)
from feedback.selectors import forms as form_selectors
from feedback.selectors import invitations as selectors
from feedback.services.responses import invitation_state
from qaf import notify
from qaf.models import Agency, AgencyKind, User
from qaf.tasks import is_temporary
from qaf.terms import term_picker

logger = logging.getLogger(__name__)

# Who can be invited after a meeting (the general form's "anyone" is not invited).
INVITABLE_AUDIENCES = (Audience.PARENT_CARER, Audience.YOUNG_PERSON, Audience.PROFESSIONAL, Audience.STAFF)
SENT_DELIVERIES = (Delivery.EMAIL, Delivery.SMS)
VALID_DAYS_DEFAULT = 30
VALID_DAYS_MAX = 90
REMINDER_AFTER = dt.timedelta(days=7)
# The longest stretch of meeting dates one bulk run covers.
BULK_MAX_DAYS = 366

_MOBILE = re.compile(r"(?:\+44|0044|44)0?(7\d{9})|0(7\d{9})")
_PHONE_PUNCTUATION = re.compile(r"[\s\-().]")


# Tries at inserting a batch of invitations whose short codes another process took meanwhile.
SHORT_CODE_TRIES = 3


@dataclass(frozen=True)
class Recipient:
    """One person to invite: their audience (parent_carer, young_person, professional, staff), how the invitation
    reaches them (email, sms, handout), their email address or mobile number (none for a handout), and the form
    picked for them (its id), if not the default."""

    audience: str
    delivery: str
    contact: str = ""
    form_id: int | None = None


def mobile_normalise(value: str) -> str:
    """A UK mobile number (07..., +44 7..., 0044 7...) as +447...; ValidationError when it is not one."""
    digits = _PHONE_PUNCTUATION.sub("", value or "")
    match = _MOBILE.fullmatch(digits)
    if match is None:
        raise ValidationError(
            "Enter a UK mobile phone number, like 07700 900 982 or +44 7700 900 982", code="mobile"
        )
    return "+44" + (match.group(1) or match.group(2))


def contact_clean(*, delivery: str, contact: str) -> str:
    """The contact to store for a delivery: a valid email address, a UK mobile number as +447..., or "" for a
    handout (which needs none). Raises ValidationError with a message for the person filling in the form."""
    contact = (contact or "").strip()
    if delivery == Delivery.EMAIL:
        if not contact:
            raise ValidationError("Enter an email address", code="required")
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError(
                "Enter an email address in the correct format, like name@example.com", code="email"
            ) from None
        return contact
    if delivery == Delivery.SMS:
        if not contact:
            raise ValidationError("Enter a mobile phone number", code="required")
        return mobile_normalise(contact)
    if delivery == Delivery.HANDOUT:
        return ""
    raise ValidationError("Choose how to send the invitation", code="delivery")


def _versions(
    partnership_id: int, meeting_kind: str, wanted: Iterable[tuple[str, int | None]]
) -> tuple[dict[tuple[str, int | None], FeedbackFormVersion], dict[tuple[str, int | None], str]]:
    """The version each (audience, picked form) uses (form_selectors.invitation_version), and the message for
    each that has none. One query per distinct pair."""
    versions: dict[tuple[str, int | None], FeedbackFormVersion] = {}
    problems: dict[tuple[str, int | None], str] = {}
    for audience, form_id in dict.fromkeys(wanted):
        try:
            versions[(audience, form_id)] = form_selectors.invitation_version(
                partnership_id=partnership_id, audience=audience, meeting_kind=meeting_kind, form_id=form_id
            )
        except ValidationError as error:
            problems[(audience, form_id)] = error.messages[0]
    return versions, problems


def _insert(rows: list[FeedbackInvitation]) -> list[FeedbackInvitation]:
    """Write new invitations, each with a short code no other invitation has (callers hold a transaction)."""
    for attempt in range(1, SHORT_CODE_TRIES + 1):
        for row, code in zip(rows, tokens.short_codes_new(len(rows)), strict=True):
            row.short_code = code
        try:
            with transaction.atomic():
                return FeedbackInvitation.objects.bulk_create(rows)
        except IntegrityError:
            # Another process took one of the codes between the check and the insert: draw them again.
            if attempt == SHORT_CODE_TRIES:
                raise
    return []


def _check_meeting(
    by: User, agency: Agency, child: Child | None, review: AnnualReview | None, errors: dict[str, list[str]]
) -> Child | None:
    if review is not None:
        if review.child.partnership_id != agency.partnership_id:
            errors.setdefault("review", []).append("Choose a review of this partnership")
            return child
        if child is not None and child.pk != review.child_id:
            errors.setdefault("child", []).append("The review is not this child's")
            return child
        child = review.child
    if child is not None and (
        child.partnership_id != agency.partnership_id
        or not ehcp_access.children.visible(by).filter(pk=child.pk).exists()
    ):
        errors.setdefault("child", []).append("Enter the case reference of a child you can see")
    return child


def _queue_sends(invitations: Iterable[FeedbackInvitation]) -> None:
    from feedback import tasks

    for invitation in invitations:
        if invitation.delivery in SENT_DELIVERIES:
            transaction.on_commit(partial(tasks.invitation_send.delay, invitation.pk))


def _meeting_errors(meeting_kind: str, meeting_on: dt.date, valid_days: int) -> dict[str, list[str]]:
    """The errors of an invitation's meeting kind, date and validity, keyed by field."""
    errors: dict[str, list[str]] = {}
    if meeting_kind not in MeetingKind.values:
        errors["meeting_kind"] = ["Choose the kind of meeting"]
    if not isinstance(meeting_on, dt.date):
        errors["meeting_on"] = ["Enter the date of the meeting"]
    if (
        isinstance(valid_days, bool)
        or not isinstance(valid_days, int)
        or not 1 <= valid_days <= VALID_DAYS_MAX
    ):
        errors["valid_days"] = [f"A link must last between 1 and {VALID_DAYS_MAX} days"]
    return errors


def _recipients_clean(recipients: list[Recipient]) -> tuple[list[Recipient], list[str]]:
    """The recipients with their contacts cleaned, and the problems of the others (numbered from 1)."""
    cleaned: list[Recipient] = []
    problems: list[str] = []
    if not recipients:
        problems.append("Add at least one person to invite")
    for number, recipient in enumerate(recipients, start=1):
        if recipient.audience not in INVITABLE_AUDIENCES:
            problems.append(f"Person {number}: choose who they are")
            continue
        try:
            contact = contact_clean(delivery=recipient.delivery, contact=recipient.contact)
        except ValidationError as error:
            problems.append(f"Person {number}: {error.messages[0]}")
            continue
        cleaned.append(Recipient(recipient.audience, recipient.delivery, contact, recipient.form_id))
    return cleaned, problems


def _invitation_rows(
    *,
    by: User,
    agency: Agency,
    meeting_kind: str,
    meeting_on: dt.date,
    recipients: list[Recipient],
    versions: Mapping[tuple[str, int | None], FeedbackFormVersion],
    child: Child | None,
    review: AnnualReview | None,
    valid_days: int,
) -> list[FeedbackInvitation]:
    """The unsaved invitations `invitations_create` writes, one a recipient."""
    now = timezone.now()
    term = term_picker(agency.partnership_id)(meeting_on)
    return [
        FeedbackInvitation(
            partnership_id=agency.partnership_id,
            version=versions[(recipient.audience, recipient.form_id)],
            audience=recipient.audience,
            agency=agency,
            child=child,
            review=review,
            meeting_kind=meeting_kind,
            meeting_on=meeting_on,
            term=term,
            delivery=recipient.delivery,
            contact=recipient.contact,
            created_by=by,
            created_at=now,
            expires_at=now + dt.timedelta(days=valid_days),
        )
        for recipient in recipients
    ]


def invitations_create(
    *,
    by: User,
    agency: Agency,
    meeting_kind: str,
    meeting_on: dt.date,
    recipients: list[Recipient],
    child: Child | None = None,
    review: AnnualReview | None = None,
    valid_days: int = VALID_DAYS_DEFAULT,
) -> list[FeedbackInvitation]:
    """Invite each recipient to give feedback on a meeting `agency` held, with the form picked for them or else
    the partnership's default form for their audience and the meeting kind (the rule is
    feedback.selectors.forms.invitation_version). Each link lasts `valid_days` (1 to 90) from now; the term is
    the one the meeting fell in. Each invitation gets a short code of its own.

    Who may call: anyone `access.invitations.can(by, "invite", agency)` allows; PermissionDenied otherwise. Raises
    ValidationError (keyed by field; recipients' problems under "recipients", numbered from 1) for a bad
    meeting kind or validity, a child or review of another partnership (or a review of another child, or a
    child `by` cannot see), no recipients, an invalid email address or UK mobile number, a picked form that is
    not an approved, unretired form for the recipient's audience, or an audience without a default form when
    none was picked; nothing is written then. Writes the invitations in one transaction and queues each email
    and text message (feedback.tasks.invitation_send) on commit. Handouts are not sent: print them.
    """
    if not access.invitations.can(by, "invite", agency):
        raise PermissionDenied("You cannot invite feedback on this agency's meetings.")
    errors = _meeting_errors(meeting_kind, meeting_on, valid_days)
    child = _check_meeting(by, agency, child, review, errors)
    cleaned, problems = _recipients_clean(recipients)
    versions: dict[tuple[str, int | None], FeedbackFormVersion] = {}
    if meeting_kind in MeetingKind.values:
        versions, missing = _versions(
            agency.partnership_id, meeting_kind, ((r.audience, r.form_id) for r in cleaned)
        )
        problems.extend(dict.fromkeys(missing.values()))
    if problems:
        errors["recipients"] = problems
    if errors:
        raise ValidationError(errors)

    rows = _invitation_rows(
        by=by,
        agency=agency,
        meeting_kind=meeting_kind,
        meeting_on=meeting_on,
        recipients=cleaned,
        versions=versions,
        child=child,
        review=review,
        valid_days=valid_days,
    )
    with transaction.atomic():
        created = _insert(rows)
        _queue_sends(created)
    return created


def bulk_reviews(
    by: User, agency: Agency, meeting_from: dt.date, meeting_to: dt.date
) -> QuerySet[AnnualReview]:
    """The annual reviews a bulk run would cover: those `by` may see (ehcp.access) whose meeting fell between
    the dates, of children `agency` works with (every child for a statutory assessment team)."""
    reviews = ehcp_access.reviews.visible(by).filter(
        child__partnership_id=agency.partnership_id, meeting_on__range=(meeting_from, meeting_to)
    )
    if agency.kind != AgencyKind.SAT:
        reviews = reviews.filter(child__agencies=agency)
    return reviews


def _check_bulk_dates(meeting_from: dt.date, meeting_to: dt.date, valid_days: int) -> None:
    if meeting_to < meeting_from:
        raise ValidationError({"meeting_to": "The end date must be the same as or after the start date"})
    if (meeting_to - meeting_from).days > BULK_MAX_DAYS:
        raise ValidationError({"meeting_to": "Choose dates at most a year apart"})
    if not 1 <= valid_days <= VALID_DAYS_MAX:
        raise ValidationError({"valid_days": f"A link must last between 1 and {VALID_DAYS_MAX} days"})


def _bulk_versions(
    agency: Agency, form_ids: Mapping[str, int | None] | None
) -> dict[str, FeedbackFormVersion]:
    """The form version for parents and carers and for young people after an annual review: the one picked in
    `form_ids`, or the default; ValidationError when there is none or a picked one is not for its audience."""
    audiences = (Audience.PARENT_CARER, Audience.YOUNG_PERSON)
    picked = {audience: (form_ids or {}).get(audience) for audience in audiences}
    found, missing = _versions(
        agency.partnership_id, MeetingKind.ANNUAL_REVIEW, ((a, picked[a]) for a in audiences)
    )
    if missing:
        raise ValidationError({"recipients": list(missing.values())})
    return {audience: found[(audience, picked[audience])] for audience in audiences}


def invitations_create_for_reviews(
    *,
    by: User,
    agency: Agency,
    meeting_from: dt.date,
    meeting_to: dt.date,
    valid_days: int = VALID_DAYS_DEFAULT,
    form_ids: Mapping[str, int | None] | None = None,
) -> list[FeedbackInvitation]:
    """For every review in `bulk_reviews` that has no invitation yet, invite its parent or carer and its young
    person by printed handout (the same `created_at` for the whole batch, so the batch can be printed together),
    each with the form `form_ids` picks for their audience or else the default form after an annual review.
    Running it again creates nothing new: the reviews are locked, then checked for invitations again.

    Who may call: as `invitations_create`. Raises PermissionDenied, or ValidationError for dates in the wrong
    order or more than a year apart, or when a picked form is not one for its audience, or parents or young
    people have no default form and none was picked. Returns the invitations created (none queued to send:
    handouts are printed).
    """
    if not access.invitations.can(by, "invite", agency):
        raise PermissionDenied("You cannot invite feedback on this agency's meetings.")
    _check_bulk_dates(meeting_from, meeting_to, valid_days)
    versions = _bulk_versions(agency, form_ids)

    pick_term = term_picker(agency.partnership_id)
    now = timezone.now()
    with transaction.atomic():
        candidates = bulk_reviews(by, agency, meeting_from, meeting_to).values("pk")
        reviews = list(
            AnnualReview.objects.select_for_update(of=("self",))
            .filter(pk__in=candidates)
            .order_by("meeting_on", "pk")
        )
        # A fresh statement after the locks, so invitations another run committed meanwhile are seen.
        invited = set(
            FeedbackInvitation.objects.filter(review__in=reviews).values_list("review_id", flat=True)
        )
        rows = [
            FeedbackInvitation(
                partnership_id=agency.partnership_id,
                version=versions[audience],
                audience=audience,
                agency=agency,
                child_id=review.child_id,
                review=review,
                meeting_kind=MeetingKind.ANNUAL_REVIEW,
                meeting_on=review.meeting_on,
                term=pick_term(review.meeting_on),
                delivery=Delivery.HANDOUT,
                created_by=by,
                created_at=now,
                expires_at=now + dt.timedelta(days=valid_days),
            )
            for review in reviews
            if review.pk not in invited and review.meeting_on is not None  # always set: chosen by its date
            for audience in versions
        ]
        return _insert(rows) if rows else []


def _check_can_change(by: User, invitation: FeedbackInvitation) -> None:
    if not access.invitations.can(by, "invite", invitation.agency):
        raise PermissionDenied("You cannot change invitations of this agency.")


def invitation_resend(*, by: User, invitation: FeedbackInvitation) -> FeedbackInvitation:
    """Send an email or text invitation again (after a failure, or when the person lost it): clears the sent
    date and error and queues the send on commit. Who may call: as `invitations_create` for the invitation's
    agency (PermissionDenied). Raises ValidationError for a handout, or an invitation answered, withdrawn,
    expired or whose contact was erased."""
    _check_can_change(by, invitation)
    with transaction.atomic():
        invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.delivery not in SENT_DELIVERIES:
            raise ValidationError("A handout is not sent: print it again instead.")
        state = invitation_state(invitation)
        if state != "open":
            raise ValidationError(
                f"This invitation has been {selectors.STATE_WORDS[state]}: it cannot be sent again."
            )
        if not invitation.contact:
            raise ValidationError("The contact details have been erased: create a new invitation.")
        invitation.sent_at = None
        invitation.send_error = ""
        invitation.save(update_fields=["sent_at", "send_error"])
        _queue_sends([invitation])
    return invitation


def invitation_withdraw(*, by: User, invitation: FeedbackInvitation) -> FeedbackInvitation:
    """Withdraw an invitation (sent to the wrong person, or the meeting did not happen): its link stops working,
    no reminder goes, and the contact is erased. Withdrawing twice changes nothing. Who may call: as
    `invitations_create` for its agency (PermissionDenied). ValidationError once it has been answered."""
    _check_can_change(by, invitation)
    with transaction.atomic():
        invitation = FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.responded_at is not None:
            raise ValidationError("This invitation has been answered: it cannot be withdrawn.")
        if invitation.withdrawn_at is None:
            invitation.withdrawn_at = timezone.now()
            invitation.contact = ""
            invitation.save(update_fields=["withdrawn_at", "contact"])
    return invitation


def invitation_message(invitation: FeedbackInvitation, *, reminder: bool = False) -> dict[str, str]:
    """The email subject and body and the text message for an invitation (or its reminder): who it is from,
    which meeting (kind, date, agency; never the child), the link, that it takes two minutes, and until when
    the link works. The email carries the full link (it is clicked, never typed); the text message the short
    one, which keeps the message short and can be typed into another device."""
    context = {
        "partnership": invitation.partnership,
        "agency": invitation.agency,
        "meeting": selectors.meeting_phrase(invitation.meeting_kind),
        "meeting_on": invitation.meeting_on,
        "link": selectors.invitation_link(invitation),
        "short_link": selectors.invitation_short_link(invitation),
        "expires_on": timezone.localtime(invitation.expires_at).date(),
        "reminder": reminder,
        "easy_read": invitation.audience == Audience.YOUNG_PERSON,
    }
    subject = render_to_string("feedback/invitations/email_subject.txt", context)
    return {
        "subject": " ".join(subject.split()),
        "body": render_to_string("feedback/invitations/email_body.txt", context).strip() + "\n",
        "sms": " ".join(render_to_string("feedback/invitations/sms.txt", context).split()),
    }


def _deliver(invitation: FeedbackInvitation, *, reminder: bool) -> None:
    message = invitation_message(invitation, reminder=reminder)
    if invitation.delivery == Delivery.EMAIL:
        EmailMessage(message["subject"], message["body"], to=[invitation.contact]).send()
    else:
        notify.sms_send(
            phone_number=invitation.contact, body=message["sms"], reference=f"invitation-{invitation.pk}"
        )


def _permanent_error(exc: BaseException) -> str:
    """Why a send can never succeed as it stands, or "" when trying again may help (qaf.tasks.is_temporary) or
    the failure is not one of sending. Never holds the contact."""
    if is_temporary(exc):
        return ""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "The mail server refused the email address."
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"The mail server refused the message (code {exc.smtp_code})."
    if isinstance(exc, smtplib.SMTPException):
        return f"The mail server could not be used ({type(exc).__name__})."
    if isinstance(exc, notify.NotifyError):
        return f"GOV.UK Notify refused the message (status {exc.status}). Check the contact details."
    if isinstance(exc, ImproperlyConfigured):
        return f"Sending is not set up: {exc}"[:300]
    return ""


def _delivery_refused(invitation: FeedbackInvitation, *, reminder: bool) -> str:
    """Send the invitation (or its reminder). Returns "" once sent, or the reason of a failure that trying
    again cannot mend; any other failure (a temporary one) propagates, for the caller's task to retry."""
    try:
        _deliver(invitation, reminder=reminder)
    except Exception as exc:
        reason = _permanent_error(exc)
        if not reason:
            raise
        return reason
    return ""


def _locked(queryset: QuerySet[FeedbackInvitation]) -> FeedbackInvitation | None:
    return queryset.select_related("partnership", "agency").first()


def invitation_send(*, invitation_id: int) -> bool:
    """Send an email or text invitation, once: does nothing (False) when it was already sent, is a handout,
    has no contact, or was answered, withdrawn or has expired. Records `sent_at` on success. A failure that
    trying again cannot mend (an address refused, Notify answering 400) is recorded in `send_error` and returns
    False; other failures (temporary ones, qaf.tasks.is_temporary) propagate, recording nothing, for the task to retry. The row is
    locked while sending, so two deliveries of the job send once. Called by feedback.tasks.invitation_send."""
    with transaction.atomic():
        invitation = _locked(
            FeedbackInvitation.objects.select_for_update(of=("self",)).filter(
                pk=invitation_id, delivery__in=SENT_DELIVERIES, sent_at__isnull=True
            )
        )
        if invitation is None or not invitation.contact or invitation_state(invitation) != "open":
            return False
        reason = _delivery_refused(invitation, reminder=False)
        if reason:
            invitation.send_error = reason
            invitation.save(update_fields=["send_error"])
            logger.warning("Feedback invitation %s not sent: %s", invitation.pk, reason)
            return False
        invitation.sent_at = timezone.now()
        invitation.send_error = ""
        invitation.save(update_fields=["sent_at", "send_error"])
    return True


def invitation_send_failed(*, invitation_id: int, error: BaseException | str) -> bool:
    """Record that an invitation could not be sent after every retry, so it shows as "Not sent" with a "Try
    again" button; the invitation itself is kept. Returns False when it was sent meanwhile."""
    reason = (
        error
        if isinstance(error, str)
        else f"Could not be sent after several tries ({type(error).__name__})."
    )
    updated = FeedbackInvitation.objects.filter(pk=invitation_id, sent_at__isnull=True).update(
        send_error=reason[:300]
    )
    return bool(updated)


def _remindable(now: dt.datetime) -> Q:
    return Q(
        delivery__in=SENT_DELIVERIES,
        responded_at__isnull=True,
        withdrawn_at__isnull=True,
        reminded_at__isnull=True,
        expires_at__gt=now,
        sent_at__lte=now - REMINDER_AFTER,
    ) & ~Q(contact="")


def invitation_remind(*, invitation_id: int, now: dt.datetime | None = None) -> bool:
    """Send the one reminder for an invitation sent at least 7 days ago and still open, and record
    `reminded_at`. The row is locked with SKIP LOCKED and the conditions checked again under the lock, so two
    workers never both send. A failure that trying again cannot mend records `reminded_at` with the reason in
    `send_error` (no reminder will follow); other failures propagate, recording nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        invitation = _locked(
            FeedbackInvitation.objects.select_for_update(skip_locked=True, of=("self",)).filter(
                _remindable(now), pk=invitation_id
            )
        )
        if invitation is None:
            return False
        reason = _delivery_refused(invitation, reminder=True)
        if reason:
            invitation.reminded_at = now
            invitation.send_error = f"Reminder not sent: {reason}"[:300]
            invitation.save(update_fields=["reminded_at", "send_error"])
            return False
        invitation.reminded_at = now
        invitation.save(update_fields=["reminded_at"])
    return True


def invitations_erase_expired(*, now: dt.datetime | None = None) -> int:
    """Erase the contact of every expired invitation (it is kept only for the reminder). Returns how many."""
    now = now or timezone.now()
    return FeedbackInvitation.objects.filter(expires_at__lte=now).exclude(contact="").update(contact="")


def invitations_remind(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The daily job: erase the contacts of expired invitations, then send each due reminder (see
    `invitation_remind`). A reminder that fails for a reason that may pass is left for the next day's run.
    Safe to run twice. Returns counts: reminded, failed, erased."""
    now = now or timezone.now()
    erased = invitations_erase_expired(now=now)
    due = list(
        FeedbackInvitation.objects.filter(_remindable(now))
        .order_by("sent_at", "pk")
        .values_list("pk", flat=True)
    )
    reminded = failed = 0
    for pk in due:
        try:
            reminded += invitation_remind(invitation_id=pk, now=now)
        except Exception as exc:
            if not is_temporary(exc):
                raise
            failed += 1
            logger.warning("Reminder for feedback invitation %s not sent; the next run tries again", pk)
    return {"reminded": reminded, "failed": failed, "erased": erased}
