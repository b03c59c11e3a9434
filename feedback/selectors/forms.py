"""Reads of feedback forms for the form pages, always scoped through feedback.access.visible_forms.

Response counts are scoped too: a user counts the responses the feedback analysis would count for them
(feedback.access.feedback_analysis_scope), so a form's list row never tells agency staff about other agencies.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from feedback import access
from feedback.defaults import DEFAULT_FORMS
from feedback.models import (
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackQuestion,
    FormVersionStatus,
)
from qaf.access import get_for_user_or_404, user_access
from qaf.models import User


def _number_of(status: str) -> Subquery:
    return Subquery(
        FeedbackFormVersion.objects.filter(form=OuterRef("pk"), status=status)
        .order_by("-number")
        .values("number")[:1]
    )


def _response_count(user: User, outer: str) -> Coalesce:
    """The number of responses the user may count whose version matches `outer` (a path to the form or
    version id in the outer query), as a correlated subquery."""
    lookup = "version__form_id" if outer == "form" else "version_id"
    counted = (
        access.feedback_analysis_scope(user)
        .filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def forms_for_list(user: User) -> QuerySet[FeedbackForm]:
    """The forms the user may see, by name, each annotated with `current_number` (the approved version's number
    or None), `draft_number` (or None) and `response_count` (responses to any of its versions that the user may
    count). One query however many forms there are."""
    return (
        access.visible_forms(user)
        .annotate(
            current_number=_number_of(FormVersionStatus.APPROVED),
            draft_number=_number_of(FormVersionStatus.DRAFT),
            response_count=_response_count(user, "form"),
        )
        .order_by("name", "pk")
    )


def missing_default_forms(user: User) -> list[str]:
    """The names of the default forms (feedback/defaults.py) the user's partnership does not have yet."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return []
    existing = set(FeedbackForm.objects.filter(partnership_id=partnership_id).values_list("name", flat=True))
    return [spec["name"] for spec in DEFAULT_FORMS if spec["name"] not in existing]


def questions_in_order() -> Prefetch:
    """Prefetch a version's questions in the order respondents meet them: by page, then order."""
    return Prefetch("questions", queryset=FeedbackQuestion.objects.order_by("page", "order", "pk"))


def form_for_page(user: User, pk: int) -> FeedbackForm:
    """One form the user may see, with its versions newest first (each with who made and approved it and
    `response_count`, the responses to it the user may count); Http404 otherwise."""
    versions = (
        FeedbackFormVersion.objects.order_by("-number")
        .select_related("created_by", "approved_by")
        .annotate(response_count=_response_count(user, "version"))
    )
    return get_for_user_or_404(
        access.visible_forms(user).prefetch_related(Prefetch("versions", queryset=versions)), pk=pk
    )


def current_version(form: FeedbackForm) -> FeedbackFormVersion | None:
    """The approved version among the form's (prefetched) versions, if any."""
    return next((v for v in form.versions.all() if v.status == FormVersionStatus.APPROVED), None)


def draft_version(form: FeedbackForm) -> FeedbackFormVersion | None:
    """The draft version among the form's (prefetched) versions, if any."""
    return next((v for v in form.versions.all() if v.status == FormVersionStatus.DRAFT), None)


def version_for_page(user: User, form_pk: int, number: int) -> FeedbackFormVersion:
    """One version of a form the user may see, with its form, who made and approved it, and its questions in
    order; Http404 otherwise."""
    versions = (
        FeedbackFormVersion.objects.filter(form__in=access.visible_forms(user))
        .select_related("form", "created_by", "approved_by")
        .prefetch_related(questions_in_order())
    )
    return get_for_user_or_404(versions, form_id=form_pk, number=number)


@dataclass(frozen=True)
class Page:
    number: int
    questions: list[FeedbackQuestion]


def version_pages(version: FeedbackFormVersion) -> list[Page]:
    """A version's questions grouped by the page respondents see them on, in order. Uses the prefetched
    questions when there are (see `questions_in_order`)."""
    pages: dict[int, list[FeedbackQuestion]] = {}
    for question in sorted(version.questions.all(), key=lambda q: (q.page, q.order, q.pk)):
        pages.setdefault(question.page, []).append(question)
    return [Page(number=number, questions=questions) for number, questions in sorted(pages.items())]
