"""Reads of feedback forms for the form pages, always scoped through feedback.access.forms.visible, and the one
rule for which form an invitation uses (`invitation_version`).

Response counts are scoped too: a user counts the responses the feedback analysis would count for them
(feedback.access.responses.aggregate_scope), so a form's list row never tells agency staff about other agencies.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, IntegerField, OuterRef, Prefetch, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from feedback import access
from feedback.defaults import DEFAULT_FORMS
from feedback.models import (
    DEFAULT_KINDS,
    Audience,
    FeedbackForm,
    FeedbackFormDefault,
    FeedbackFormVersion,
    FeedbackQuestion,
    FormVersionStatus,
    MeetingKind,
    default_meeting_kind,
)
from qaf.access import get_for_user_or_404, user_access
from qaf.models import User
from qaf.versioning.selectors import version_for_page_of, with_version_numbers

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _response_count(user: User, outer: str) -> Coalesce:
    """The number of responses the user may count whose version matches `outer` (a path to the form or
    version id in the outer query), as a correlated subquery."""
    lookup = "version__form_id" if outer == "form" else "version_id"
    counted = (
        access.responses.aggregate_scope(user)
        .filter(**{lookup: OuterRef("pk")})
        .order_by()
        .values(lookup)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


class ListedForm(TypedDict):
    """What forms_for_list annotates each form with."""

    current_number: int | None
    draft_number: int | None
    response_count: int


def forms_for_list(user: User) -> QuerySet[WithAnnotations[FeedbackForm, ListedForm]]:
    """The forms the user may see, by name, each annotated with `current_number` (the approved version's number
    or None), `draft_number` (or None) and `response_count` (responses to any of its versions that the user may
    count), with the defaults it is marked as prefetched. Two queries however many forms there are."""
    forms = (
        with_version_numbers(access.forms.visible(user), FeedbackFormVersion)
        .annotate(response_count=_response_count(user, "form"))
        .prefetch_related(Prefetch("defaults", queryset=FeedbackFormDefault.objects.order_by("pk")))
        .order_by("name", "pk")
    )
    # The version numbers come from with_version_numbers, which the stubs cannot see through.
    return cast("QuerySet[WithAnnotations[FeedbackForm, ListedForm]]", forms)


def default_labels(form: FeedbackForm) -> list[str]:
    """The meetings a form is the default for, in words ("Annual review meeting", "Staff survey"), in the order
    of the meeting kinds. Uses the prefetched defaults when there are."""
    kinds = {row.meeting_kind for row in form.defaults.all()}
    return [kind.label for kind in MeetingKind if kind.value in kinds]


# --- Which form an invitation uses ------------------------------------------------------------------------


def invitable_forms(partnership_id: int, audience: str) -> QuerySet[FeedbackForm]:
    """The forms an invitation for `audience` may use: the partnership's forms for that audience with an
    approved version and not retired, by name."""
    approved = FeedbackFormVersion.objects.filter(form=OuterRef("pk"), status=FormVersionStatus.APPROVED)
    return FeedbackForm.objects.filter(
        Exists(approved), partnership_id=partnership_id, audience=audience, retired_at__isnull=True
    ).order_by("name", "pk")


_AFTER: dict[str, str] = {
    MeetingKind.ANNUAL_REVIEW: "after an annual review meeting",
    MeetingKind.PLANNING: "after an EHC planning meeting",
    MeetingKind.OTHER: "after other meetings",
    MeetingKind.SURVEY: "for staff surveys",
}


def _meeting_words(audience: str, meeting_kind: str) -> str:
    """Who after which meeting, in words: "parents and carers after an EHC planning meeting", "staff surveys"."""
    if audience == Audience.STAFF:
        return "staff surveys"
    who = Audience(audience).label.lower() if audience in Audience.values else "them"
    return f"{who} {_AFTER.get(meeting_kind, 'after the meeting')}"


def no_default_message(audience: str, meeting_kind: str) -> str:
    """What the person inviting is told when no form is the default for an audience after a kind of meeting:
    what to do now, and what an SQA officer should set up."""
    return (
        f"There is no default feedback form for {_meeting_words(audience, meeting_kind)}. Choose a form for "
        "them, or ask an SQA officer to set a default on the feedback forms page."
    )


def invitation_version(
    *, partnership_id: int, audience: str, meeting_kind: str, form_id: int | None = None
) -> FeedbackFormVersion:
    """The approved version an invitation for `audience` after a `meeting_kind` meeting uses: that of the form
    picked (`form_id`), which must be one of `invitable_forms` for the audience; with none picked, that of the
    partnership's default form for the audience and meeting kind (one default for every staff survey). This is
    the only place that rule is made.

    Raises ValidationError (code "form") with a message for the person inviting when the picked form is
    unknown, of another audience or partnership, retired or has no approved version, or (code "no_default")
    when nothing was picked and there is no default. One query."""
    versions = FeedbackFormVersion.objects.select_related("form").filter(
        status=FormVersionStatus.APPROVED, form__partnership_id=partnership_id
    )
    if form_id is not None:
        version = versions.filter(form_id=form_id).first()
        label = Audience(audience).label.lower() if audience in Audience.values else "them"
        if version is None or version.form.audience != audience:
            raise ValidationError(f"Choose a feedback form for {label} from the list", code="form")
        if version.form.is_retired:
            raise ValidationError(
                f"{version.form.name} has been retired. Choose another form for {label}", code="form"
            )
        return version
    kind = default_meeting_kind(audience, meeting_kind)
    version = (
        versions.filter(
            form__defaults__partnership_id=partnership_id,
            form__defaults__audience=audience,
            form__defaults__meeting_kind=kind,
            form__retired_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )
    if version is None:
        raise ValidationError(no_default_message(audience, kind), code="no_default")
    return version


def partnership_defaults(partnership_id: int) -> dict[tuple[str, str], FeedbackForm]:
    """The partnership's default forms, keyed by (audience, meeting kind). One query."""
    rows = FeedbackFormDefault.objects.filter(partnership_id=partnership_id).select_related("form")
    return {(row.audience, row.meeting_kind): row.form for row in rows}


def audience_defaults(form: FeedbackForm) -> dict[tuple[str, str], FeedbackForm]:
    """The default forms of `form`'s partnership for `form`'s audience, keyed by (audience, meeting kind)."""
    return {
        key: default
        for key, default in partnership_defaults(form.partnership_id).items()
        if key[0] == form.audience
    }


def missing_defaults(user: User) -> list[str]:
    """The audiences and meetings of the user's partnership that have no default form, in words ("parents and
    carers after an EHC planning meeting"), in the order of the audiences and meeting kinds. One query."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return []
    have = set(partnership_defaults(partnership_id))
    return [
        _meeting_words(audience, kind)
        for audience, kinds in DEFAULT_KINDS.items()
        for kind in kinds
        if (audience, kind) not in have
    ]


def missing_default_forms(user: User) -> list[str]:
    """The names of the default forms (feedback/defaults.py) the user's partnership does not have yet."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return []
    existing = set(FeedbackForm.objects.filter(partnership_id=partnership_id).values_list("name", flat=True))
    return [spec["name"] for spec in DEFAULT_FORMS if spec["name"] not in existing]


def questions_in_order() -> Prefetch[str, QuerySet[FeedbackQuestion]]:
    """Prefetch a version's questions in the order respondents meet them: by page, then order."""
    return Prefetch("questions", queryset=FeedbackQuestion.objects.order_by("page", "order", "pk"))


def form_for_page(user: User, pk: int) -> FeedbackForm:
    """One form the user may see, with its versions newest first (each with who made and approved it and
    `response_count`, the responses to it the user may count) and the defaults it is marked as; Http404
    otherwise."""
    versions = (
        FeedbackFormVersion.objects.order_by("-number")
        .select_related("created_by", "approved_by")
        .annotate(response_count=_response_count(user, "version"))
    )
    form: FeedbackForm = get_for_user_or_404(
        access.forms.visible(user)
        .select_related("retired_by")
        .prefetch_related(Prefetch("versions", queryset=versions), "defaults"),
        pk=pk,
    )
    return form


def version_for_page(user: User, form_pk: int, number: int) -> FeedbackFormVersion:
    """One version of a form the user may see, with its form, who made and approved it, and its questions in
    order; Http404 otherwise."""
    return version_for_page_of(
        FeedbackFormVersion, access.forms.visible(user), form_pk, number, questions_in_order()
    )


@dataclass(frozen=True)
class Page:
    """One page of a form as the public form shows it: its number and questions."""

    number: int
    questions: list[FeedbackQuestion]


def version_pages(version: FeedbackFormVersion) -> list[Page]:
    """A version's questions grouped by the page respondents see them on, in order. Uses the prefetched
    questions when there are (see `questions_in_order`)."""
    pages: dict[int, list[FeedbackQuestion]] = {}
    for question in sorted(version.questions.all(), key=lambda q: (q.page, q.order, q.pk)):
        pages.setdefault(question.page, []).append(question)
    return [Page(number=number, questions=questions) for number, questions in sorted(pages.items())]
