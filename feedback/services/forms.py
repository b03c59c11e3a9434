"""Writes to feedback forms and their versions. An approved version is frozen; changes go into a new draft."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from feedback.defaults import DEFAULT_FORMS
from feedback.models import FeedbackForm, FeedbackFormVersion, FeedbackQuestion, FormVersionStatus
from qaf.models import Partnership, User


@transaction.atomic
def feedback_forms_seed_defaults(*, partnership: Partnership, user: User | None = None) -> list[FeedbackForm]:
    """Create the default forms (feedback/defaults.py), each with an approved version 1, skipping any whose name
    the partnership already uses. Safe to run again. Returns the forms created."""
    existing = set(FeedbackForm.objects.filter(partnership=partnership).values_list("name", flat=True))
    created = []
    now = timezone.now()
    for spec in DEFAULT_FORMS:
        if spec["name"] in existing:
            continue
        form = FeedbackForm.objects.create(
            partnership=partnership,
            name=spec["name"],
            audience=spec["audience"],
            easy_read=spec["easy_read"],
            description=spec["description"],
        )
        version = FeedbackFormVersion.objects.create(
            form=form,
            number=1,
            status=FormVersionStatus.APPROVED,
            title=spec["title"],
            intro=spec["intro"],
            thank_you=spec["thank_you"],
            created_by=user,
            approved_by=user,
            approved_at=now,
        )
        FeedbackQuestion.objects.bulk_create(
            FeedbackQuestion(version=version, order=order, **question)
            for order, question in enumerate(spec["questions"], start=1)
        )
        created.append(form)
    return created
