"""Every write to complaints and compliments. Views and the API call these; none of it lives in save()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ehcp.models import Child
from ehcp.timeliness import add_working_days
from feedback.models import (
    AdvocacyActivity,
    AdvocacyReturn,
    Complaint,
    Compliment,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
)
from qaf.history.services import event_record
from qaf.models import Agency, Partnership, Theme, User

LOGGED = "logged"
CHANGED = "changed"

# Fields a change records in the history, with the value written for each.
TRACKED = (
    "agency",
    "child",
    "received_on",
    "category",
    "stage",
    "summary",
    "response_working_days",
    "response_days_reason",
    "response_due_on",
    "responded_on",
    "outcome",
    "lgsco_reference",
    "lgsco_outcome",
    "remedy",
    "learning",
)


def complaint_response_due(*, received_on: dt.date, working_days: int) -> dt.date:
    """The response deadline: `working_days` working days after the day received (that day not counted)."""
    return add_working_days(received_on, working_days)


def _ownership_errors(
    partnership_id: int | None, agency: Agency, child: Child | None, themes: Iterable[Theme]
) -> dict[str, str]:
    """What is wrong with whose a complaint or compliment is: its agency, child and themes must be of the
    partnership `partnership_id` (the logger's, or the record's)."""
    # Someone of no partnership (partnership_id None) has no agency, child or theme of theirs to choose.
    errors: dict[str, str] = {}
    if agency.partnership_id != partnership_id:
        errors["agency"] = "Choose an agency of your partnership"
    if child is not None and child.partnership_id != partnership_id:
        errors["child"] = "Choose a child of your partnership"
    if any(theme.partnership_id != partnership_id for theme in themes):
        errors["themes"] = "Choose themes of your partnership"
    return errors


def _timescale_errors(
    *,
    received_on: dt.date,
    responded_on: dt.date | None = None,
    response_working_days: int | None = None,
    response_days_reason: str = "",
) -> dict[str, str]:
    """What is wrong with a complaint's response clock: a timescale of its own needs a reason and 1 to 130
    working days; the response cannot come before the complaint."""
    errors: dict[str, str] = {}
    if response_working_days is not None and not response_days_reason.strip():
        errors["response_days_reason"] = "Enter why the response has a different timescale"
    if response_working_days is not None and not 1 <= response_working_days <= 130:
        errors["response_working_days"] = "Working days must be between 1 and 130"
    if responded_on is not None and responded_on < received_on:
        errors["responded_on"] = "The response date must be on or after the date the complaint was received"
    return errors


def _raise_any(*errors: dict[str, str]) -> None:
    """Raise one ValidationError with all of `errors` (by field, in order), if there are any."""
    merged = {field: message for found in errors for field, message in found.items()}
    if merged:
        raise ValidationError(merged)


def _value(value: object) -> object:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "pk"):
        return str(value)
    return value


@transaction.atomic
def complaint_log(
    *,
    by: User,
    agency: Agency,
    received_on: dt.date,
    category: str,
    stage: str,
    summary: str,
    child: Child | None = None,
    response_working_days: int | None = None,
    response_days_reason: str = "",
    themes: Iterable[Theme] = (),
) -> Complaint:
    """Log a complaint for `agency` and start its response clock: the partnership's
    `complaint_response_working_days` unless `response_working_days` overrides it (a reason is then required).

    The caller has checked access (feedback.access.complaints.can(user, "log")). Records a "logged" history entry.
    Raises ValidationError naming the field at fault.
    """
    themes = list(themes)
    partnership = agency.partnership
    _raise_any(
        _ownership_errors(by.partnership_id, agency, child, themes),
        _timescale_errors(
            received_on=received_on,
            response_working_days=response_working_days,
            response_days_reason=response_days_reason,
        ),
    )
    days = response_working_days or partnership.complaint_response_working_days
    complaint = Complaint.objects.create(
        partnership=partnership,
        agency=agency,
        child=child,
        received_on=received_on,
        category=category,
        stage=stage,
        summary=summary,
        response_working_days=response_working_days,
        response_days_reason=response_days_reason.strip() if response_working_days else "",
        response_due_on=complaint_response_due(received_on=received_on, working_days=days),
        logged_by=by,
    )
    complaint.themes.set(themes)
    event_record(
        subject=complaint,
        user=by,
        kind=LOGGED,
        stage=stage,
        response_due_on=complaint.response_due_on.isoformat(),
    )
    return complaint


@transaction.atomic
def complaint_update(
    *, complaint: Complaint, by: User, themes: Iterable[Theme] | None = None, **fields: Any
) -> Complaint:
    """Change a complaint: any of TRACKED's fields except response_due_on, which is recomputed whenever the
    received date or the timescale changes. Records a "changed" entry with each field's old and new value
    (nothing when nothing changed). The caller has checked feedback.access.complaints.can(user, "change").
    Raises ValidationError naming the field at fault, and TypeError for a field that cannot be changed.
    """
    unknown = set(fields) - set(TRACKED) | ({"response_due_on"} & set(fields))
    if unknown:
        raise TypeError(f"Cannot change {', '.join(sorted(unknown))}")
    complaint = Complaint.objects.select_for_update().select_related("partnership").get(pk=complaint.pk)
    before = {name: getattr(complaint, name) for name in TRACKED}
    old_themes = set(complaint.themes.values_list("pk", flat=True))
    for name, value in fields.items():
        setattr(complaint, name, value)
    if complaint.response_working_days is None:
        complaint.response_days_reason = ""
    new_themes = list(themes) if themes is not None else None
    _raise_any(
        _ownership_errors(complaint.partnership_id, complaint.agency, complaint.child, new_themes or []),
        _timescale_errors(
            received_on=complaint.received_on,
            responded_on=complaint.responded_on,
            response_working_days=complaint.response_working_days,
            response_days_reason=complaint.response_days_reason,
        ),
    )
    days = complaint.response_working_days or complaint.partnership.complaint_response_working_days
    complaint.response_due_on = complaint_response_due(received_on=complaint.received_on, working_days=days)
    changes = {
        name: [_value(before[name]), _value(getattr(complaint, name))]
        for name in TRACKED
        if before[name] != getattr(complaint, name)
    }
    if new_themes is not None and {t.pk for t in new_themes} != old_themes:
        complaint.themes.set(new_themes)
        changes["themes"] = [sorted(old_themes), sorted(t.pk for t in new_themes)]
    if changes:
        complaint.save()
        event_record(subject=complaint, user=by, kind=CHANGED, changes=changes)
    return complaint


@transaction.atomic
def compliment_log(
    *,
    by: User,
    agency: Agency,
    received_on: dt.date,
    about: str,
    from_whom: str,
    summary: str,
    themes: Iterable[Theme] = (),
) -> Compliment:
    """Log a compliment for `agency`. The caller has checked feedback.access.compliments.can(user, "log").
    Raises ValidationError naming the field at fault."""
    themes = list(themes)
    _raise_any(_ownership_errors(by.partnership_id, agency, None, themes))
    compliment = Compliment.objects.create(
        partnership_id=agency.partnership_id,
        agency=agency,
        received_on=received_on,
        about=about,
        from_whom=from_whom,
        summary=summary,
        logged_by=by,
    )
    compliment.themes.set(themes)
    return compliment


def partnership_feedback_delete(*, partnership: Partnership) -> None:
    """Delete every complaint (with its history), compliment, feedback form (with its versions, questions,
    invitations, responses and answers) and advocacy return of `partnership`, which protect its agencies from
    deletion. For removing a whole partnership, such as the demo's reset; callers hold a transaction."""
    Complaint.objects.filter(partnership=partnership).delete()
    Compliment.objects.filter(partnership=partnership).delete()
    # Answers protect their questions, responses and invitations their form versions, and all of them their
    # agencies: delete from the leaves up, table by table.
    answers = FeedbackAnswer.objects.filter(response__partnership=partnership)
    FeedbackAnswer.themes.through.objects.filter(feedbackanswer__in=answers).delete()
    answers.delete()
    FeedbackResponse.objects.filter(partnership=partnership).delete()
    FeedbackInvitation.objects.filter(partnership=partnership).delete()
    FeedbackQuestion.objects.filter(version__form__partnership=partnership).delete()
    FeedbackFormVersion.objects.filter(form__partnership=partnership).delete()
    FeedbackForm.objects.filter(partnership=partnership).delete()
    AdvocacyActivity.objects.filter(advocacy_return__partnership=partnership).delete()
    AdvocacyReturn.objects.filter(partnership=partnership).delete()
