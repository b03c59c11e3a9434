"""Tagging free-text feedback answers with the partnership's themes, so analysis can count what people raise."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from feedback import access
from feedback.models import FeedbackAnswer, QuestionKind
from qaf.access import user_access
from qaf.models import Theme, User


@transaction.atomic
def answer_tag(*, answer: FeedbackAnswer, themes: Iterable[Theme], by: User) -> FeedbackAnswer:
    """Set the themes of a free-text answer (replacing any before) and record who tagged it and when.

    Only SQA officers of the answer's partnership may call it (access.responses.can(user, "tag")); an empty set of themes records
    that the answer was read and fits no theme, so it leaves the "not yet tagged" list.
    Raises PermissionDenied when `by` may not tag this answer, ValidationError (field "themes") when the answer
    is not free text or a theme belongs to another partnership."""
    partnership_id = answer.response.partnership_id
    if not access.responses.can(by, "tag") or user_access(by).partnership_id != partnership_id:
        raise PermissionDenied("Only the partnership's SQA officers tag feedback with themes.")
    if answer.question.kind != QuestionKind.FREE_TEXT:
        raise ValidationError({"themes": "Only free-text answers are tagged with themes"})
    chosen = list(dict.fromkeys(themes))
    if any(theme.partnership_id != partnership_id for theme in chosen):
        raise ValidationError({"themes": "Choose themes of your partnership"})
    answer.themes.set(chosen)
    answer.tagged_by = by
    answer.tagged_at = timezone.now()
    answer.save(update_fields=["tagged_by", "tagged_at"])
    return answer
