"""Every write to advocacy returns: one per advocacy agency per calendar quarter, written as a draft, changed
while it is a draft, then submitted and frozen.

Callers check access first (feedback.access.advocacy.can(user, "write")); these functions enforce the rules of the
return itself whoever calls them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from feedback.models import (
    AdvocacyActivity,
    AdvocacyActivityType,
    AdvocacyLevel,
    AdvocacyReturn,
    AdvocacyReturnStatus,
    quarter_dates,
)
from qaf.models import Agency, AgencyKind, User

TEXT_FIELDS = ("outcomes", "feedback", "challenges", "learning")
NUMBER_FIELDS = ("complaints_received", "compliments_received")
FIELDS = TEXT_FIELDS + NUMBER_FIELDS
MAX_COUNT = 100_000
TEXT_MAX_LENGTH = 10_000
FIRST_YEAR = 2000
FROZEN = "A submitted return cannot be changed."

Counts = Mapping[tuple[str, str], int]


class AdvocacyReturnExists(Exception):
    """The agency already has a return for the quarter; `existing` is it."""

    def __init__(self, existing: AdvocacyReturn) -> None:
        super().__init__(
            f"{existing.agency.name} already has a return for {existing.year} Q{existing.quarter}."
        )
        self.existing = existing


def _check_counts(counts: Counts) -> dict[tuple[str, str], int]:
    cells = {(t, level) for t in AdvocacyActivityType.values for level in AdvocacyLevel.values}
    unknown = set(counts) - cells
    if unknown:
        raise ValidationError({"activities": "Choose activity types and levels from the lists given"})
    for value in counts.values():
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
            raise ValidationError(
                {"activities": f"Each count must be a whole number from 0 to {MAX_COUNT:,}"}
            )
    return {cell: value for cell, value in counts.items() if value}


def _check_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"Cannot set {', '.join(sorted(unknown))}")
    errors = {}
    for name in TEXT_FIELDS:
        if name in fields and len(fields[name] or "") > TEXT_MAX_LENGTH:
            errors[name] = f"Enter {TEXT_MAX_LENGTH:,} characters or fewer"
    for name in NUMBER_FIELDS:
        value = fields.get(name, 0)
        if not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            errors[name] = f"Enter a whole number from 0 to {MAX_COUNT:,}"
    if errors:
        raise ValidationError(errors)


def _write_counts(advocacy_return: AdvocacyReturn, counts: dict[tuple[str, str], int]) -> None:
    # Cells left at 0 are not stored: a return's rows are exactly its non-zero counts.
    advocacy_return.activities.all().delete()
    AdvocacyActivity.objects.bulk_create(
        AdvocacyActivity(advocacy_return=advocacy_return, activity_type=t, level=level, count=count)
        for (t, level), count in sorted(counts.items())
    )


@transaction.atomic
def advocacy_return_create(
    *,
    by: User,
    agency: Agency,
    year: int,
    quarter: int,
    counts: Counts,
    today: dt.date | None = None,
    **fields: Any,
) -> AdvocacyReturn:
    """Start `agency`'s return for a calendar quarter as a draft, with its activity counts (keyed by
    (activity type, level); missing cells are 0) and any of outcomes, feedback, challenges, learning,
    complaints_received and compliments_received.

    The caller has checked feedback.access.advocacy.can(user, "write"). Raises AdvocacyReturnExists when the
    agency already has a return for that quarter, ValidationError naming the field at fault (an agency that is
    not an advocacy service of the user's partnership, a quarter not yet started, a count out of range), and
    TypeError for a field that cannot be set."""
    today = today or timezone.localdate()
    _check_fields(fields)
    errors = {}
    if agency.partnership_id != by.partnership_id or agency.kind != AgencyKind.ADVOCACY:
        errors["agency"] = "Choose an advocacy service of your partnership"
    if quarter not in (1, 2, 3, 4):
        errors["quarter"] = "Choose a quarter from 1 to 4"
    elif not FIRST_YEAR <= year <= today.year:
        errors["year"] = f"Enter a year from {FIRST_YEAR} to {today.year}"
    elif quarter_dates(year, quarter)[0] > today:
        errors["quarter"] = "The quarter has not started yet"
    if errors:
        raise ValidationError(errors)
    cleaned = _check_counts(counts)
    existing = AdvocacyReturn.objects.select_related("agency").filter(
        agency=agency, year=year, quarter=quarter
    )
    if (found := existing.first()) is not None:
        raise AdvocacyReturnExists(found)
    try:
        with transaction.atomic():
            advocacy_return = AdvocacyReturn.objects.create(
                partnership_id=agency.partnership_id,
                agency=agency,
                year=year,
                quarter=quarter,
                created_by=by,
                **fields,
            )
    except IntegrityError:
        # Someone else started the same quarter's return a moment ago.
        raise AdvocacyReturnExists(existing.get()) from None
    _write_counts(advocacy_return, cleaned)
    return advocacy_return


@transaction.atomic
def advocacy_return_update(
    *, advocacy_return: AdvocacyReturn, by: User, counts: Counts | None = None, **fields: Any
) -> AdvocacyReturn:
    """Change a draft return: its counts (when given, they replace every cell; missing cells become 0) and any
    of the fields advocacy_return_create takes. The agency and quarter never change.

    The caller has checked feedback.access.advocacy.can(user, "write"). Raises PermissionDenied when the return
    has been submitted (it is frozen), ValidationError naming the field at fault and TypeError for a field that
    cannot be set."""
    locked = AdvocacyReturn.objects.select_for_update().get(pk=advocacy_return.pk)
    if locked.status != AdvocacyReturnStatus.DRAFT:
        raise PermissionDenied(FROZEN)
    _check_fields(fields)
    cleaned = _check_counts(counts) if counts is not None else None
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.save()
    if cleaned is not None:
        _write_counts(locked, cleaned)
    return locked


@transaction.atomic
def advocacy_return_submit(*, advocacy_return: AdvocacyReturn, by: User) -> AdvocacyReturn:
    """Submit a draft return: it is then frozen, and board members can read it.

    The caller has checked feedback.access.advocacy.can(user, "write"). Raises PermissionDenied when the return
    was already submitted."""
    locked = AdvocacyReturn.objects.select_for_update().get(pk=advocacy_return.pk)
    if locked.status != AdvocacyReturnStatus.DRAFT:
        raise PermissionDenied("This return has already been submitted.")
    locked.status = AdvocacyReturnStatus.SUBMITTED
    locked.submitted_by = by
    locked.submitted_at = timezone.now()
    locked.save(update_fields=["status", "submitted_by", "submitted_at", "updated_at"])
    return locked
