"""Filters of the complaint, compliment, feedback response, invitation and advocacy return lists, for the pages, their CSV and the API
alike (qaf.lists).

Each filter narrows a queryset already scoped by feedback.access, so no value reaches rows the user may not
see; a term of another partnership matches nothing.
"""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from ehcp.filters import child_filter
from feedback import access
from feedback.forms.advocacy import QUARTERS
from feedback.models import (
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Audience,
    Complaint,
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintStage,
    Compliment,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackResponse,
    MeetingKind,
    ResponseSource,
)
from feedback.selectors import advocacy as advocacy_selectors
from feedback.selectors import complaints as selectors
from feedback.selectors import invitations as invitation_selectors
from feedback.selectors import responses as response_selectors
from qaf.access import user_access
from qaf.fields import GovukDateField
from qaf.lists import (
    EitherWayFilter,
    ListFilterSet,
    ScopedChoiceFilter,
    agency_filter,
    row_id,
    term_filter,
    theme_filter,
    where_or_not,
)
from qaf.models import Agency, Term, User

NOT_DECIDED = ("none", "Not decided yet")


def _terms(user: User) -> QuerySet[Term]:
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Term.objects.none()
    return Term.objects.filter(academic_year__partnership_id=partnership_id).select_related("academic_year")


def _received_in(queryset: QuerySet, name: str, value) -> QuerySet:
    dates = selectors.term_range(queryset, row_id(value))
    return queryset.filter(received_on__range=dates) if dates else queryset.none()


class _ReceivedFilters(ListFilterSet):
    agency = agency_filter(choices=access.complaints.filter_agencies)
    term = term_filter(
        label="Received in term",
        api_label="Received within this term of the partnership (id)",
        choices=_terms,
        method="filter_term",
    )

    def filter_term(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return _received_in(queryset, name, value)


class ComplaintFilterSet(_ReceivedFilters):
    """The complaints list and its CSV, and the `complaints` API resource."""

    overdue = EitherWayFilter(
        label="Response",
        choices=[("", "Any"), ("yes", "Overdue"), ("no", "Not overdue")],
        method="filter_overdue",
        help_text="Not responded to and past the response date",
    )
    stage = filters.ChoiceFilter(label="Stage", choices=ComplaintStage.choices, empty_label="Any stage")
    category = filters.ChoiceFilter(
        label="Category", choices=ComplaintCategory.choices, empty_label="Any category"
    )
    outcome = filters.ChoiceFilter(
        label="Outcome",
        choices=[*ComplaintOutcome.choices, NOT_DECIDED],
        empty_label="Any outcome",
        method="filter_outcome",
    )
    child = child_filter("Complaints about this child (id)")

    panel = ("overdue", "agency", "stage", "category", "outcome", "term", "child")
    errors_about = {
        "stage": "a stage from the list",
        "category": "a category from the list",
        "outcome": "an outcome from the list",
        "overdue": "whether the response is overdue",
    }

    class Meta:
        model = Complaint
        fields: list[str] = []

    def filter_outcome(self, queryset: QuerySet[Complaint], name: str, value: str) -> QuerySet[Complaint]:
        return queryset.filter(outcome="" if value == NOT_DECIDED[0] else value)

    def filter_overdue(self, queryset: QuerySet[Complaint], name: str, value: bool) -> QuerySet[Complaint]:
        return where_or_not(queryset, selectors.overdue_q(timezone.localdate()), value)


class ComplimentFilterSet(_ReceivedFilters):
    """The compliments list and its CSV, and the `compliments` API resource."""

    panel = ("agency", "term")

    class Meta:
        model = Compliment
        fields: list[str] = []


class ResponseFilterSet(ListFilterSet):
    """The feedback responses list and its CSV, and the `feedback-responses` API resource (the submitted
    dates are the API's)."""

    form = ScopedChoiceFilter(
        choices=access.forms.visible,
        label="Form",
        empty_label="Any form",
        api_label="Feedback form (id)",
        field_name="version__form",
    )
    audience = filters.ChoiceFilter(label="From", choices=Audience.choices, empty_label="Anyone")
    agency = agency_filter(
        api_label="Agency the response is about (id)",
        choices=access.complaints.filter_agencies,
    )
    term = term_filter(label="Term", api_label="Term (id)", choices=_terms, field_name="term")
    source = filters.ChoiceFilter(label="Came through", choices=ResponseSource.choices, empty_label="Either")
    meeting_kind = filters.ChoiceFilter(
        label="Meeting", choices=MeetingKind.choices, empty_label="Any meeting"
    )
    free_text = filters.ChoiceFilter(
        label="Free text",
        choices=response_selectors.FREE_TEXT_CHOICES,
        empty_label="With or without",
        method="filter_free_text",
    )
    theme = theme_filter(api_label="An answer is tagged with this theme (id)", method="filter_theme")
    submitted_from = filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__gte", label="Submitted on or after"
    )
    submitted_to = filters.DateFilter(
        field_name="submitted_at", lookup_expr="date__lte", label="Submitted on or before"
    )

    panel = ("form", "audience", "agency", "term", "source", "meeting_kind", "free_text", "theme")
    errors_about = {
        "form": "a form from the list",
        "audience": "who the responses are from",
        "source": "how the responses came",
        "meeting_kind": "a meeting from the list",
        "free_text": "whether the responses have free text",
    }

    class Meta:
        model = FeedbackResponse
        fields: list[str] = []

    def filter_free_text(
        self, queryset: QuerySet[FeedbackResponse], name: str, value: str
    ) -> QuerySet[FeedbackResponse]:
        answers = response_selectors.free_text_answers().filter(response=OuterRef("pk"))
        if value == response_selectors.FREE_TEXT_UNTAGGED:
            answers = answers.filter(tagged_at__isnull=True)
        return queryset.filter(Exists(answers))

    def filter_theme(
        self, queryset: QuerySet[FeedbackResponse], name: str, value
    ) -> QuerySet[FeedbackResponse]:
        tagged = FeedbackAnswer.objects.filter(response=OuterRef("pk"), themes__id=row_id(value))
        return queryset.filter(Exists(tagged))


class InvitationFilterSet(ListFilterSet):
    """The feedback invitations list and its CSV, and the `feedback-invitations` API resource (audience is
    the API's)."""

    status = filters.ChoiceFilter(
        label="Status",
        choices=list(invitation_selectors.STATUS_LABELS.items()),
        empty_label="Any status",
        method="filter_status",
    )
    agency = agency_filter(
        api_label="Agency that held the meeting (id)",
        choices=access.complaints.filter_agencies,
    )
    form = ScopedChoiceFilter(
        choices=lambda user: access.forms.visible(user).exclude(audience=Audience.PUBLIC),
        label="Form",
        empty_label="Any form",
        api_label="Feedback form (id)",
        field_name="version__form",
    )
    audience = filters.ChoiceFilter(choices=Audience.choices)
    meeting_kind = filters.ChoiceFilter(
        label="Meeting", choices=MeetingKind.choices, empty_label="Any meeting"
    )
    term = term_filter(
        label="Term of the meeting",
        api_label="Term of the meeting (id)",
        choices=_terms,
        field_name="term",
    )
    meeting_from = filters.DateFilter(field_name="meeting_on", lookup_expr="gte", label="Meeting on or after")
    meeting_to = filters.DateFilter(field_name="meeting_on", lookup_expr="lte", label="Meeting on or before")
    child = child_filter("Invitations after this child's meetings (id)")

    panel = ("status", "agency", "form", "meeting_kind", "term", "meeting_from", "meeting_to", "child")
    errors_about = {
        "form": "a form from the list",
        "meeting_kind": "a meeting from the list",
        "status": "a status from the list",
    }
    page_fields = {
        "meeting_from": lambda _filters: GovukDateField(
            label="Meeting on or after", required=False, label_for_errors="the first meeting date"
        ),
        "meeting_to": lambda _filters: GovukDateField(
            label="Meeting on or before", required=False, label_for_errors="the last meeting date"
        ),
    }

    class Meta:
        model = FeedbackInvitation
        fields: list[str] = []

    def filter_status(
        self, queryset: QuerySet[FeedbackInvitation], name: str, value: str
    ) -> QuerySet[FeedbackInvitation]:
        return queryset.filter(invitation_selectors.status_q(value, timezone.now()))


def _advocacy_services(user) -> QuerySet[Agency]:
    """The services whose returns the user sees, and those they write for (which may have none yet)."""
    return Agency.objects.filter(
        Q(pk__in=access.advocacy.visible(user).values("agency_id"))
        | Q(pk__in=access.advocacy.writing_agencies(user).values("pk"))
    ).order_by("name")


def _year_field(filterset: ListFilterSet) -> forms.Field:
    visible = access.advocacy.visible(filterset.request.user)
    years = advocacy_selectors.advocacy_years(visible, timezone.localdate())
    choices = [("", "Any year"), *((year, str(year)) for year in years)]
    return forms.TypedChoiceField(label="Year", coerce=int, required=False, empty_value=None, choices=choices)


def _quarter_field(filterset: ListFilterSet) -> forms.Field:
    return forms.TypedChoiceField(
        label="Quarter",
        choices=[("", "Any quarter"), *QUARTERS],
        coerce=int,
        required=False,
        empty_value=None,
    )


class AdvocacyFilterSet(ListFilterSet):
    """The advocacy returns list and its CSV, and the `advocacy-returns` API resource. The page offers the
    years with returns; the API takes any year."""

    agency = ScopedChoiceFilter(
        choices=_advocacy_services,
        label="Advocacy service",
        empty_label="Any service",
        api_label="Advocacy service (id)",
        field_name="agency",
    )
    year = filters.NumberFilter(label="Calendar year", field_name="year")
    quarter = filters.TypedChoiceFilter(
        choices=[(q, f"Q{q}") for q in (1, 2, 3, 4)],
        coerce=int,
        label="Quarter, 1 to 4",
        field_name="quarter",
    )
    status = filters.ChoiceFilter(
        label="Status", choices=AdvocacyReturnStatus.choices, empty_label="Any status"
    )

    panel = ("agency", "year", "quarter", "status")
    errors_about = {
        "agency": "an advocacy service from the list",
        "year": "a year from the list",
        "quarter": "a quarter from the list",
        "status": "a status from the list",
    }
    page_fields = {"year": _year_field, "quarter": _quarter_field}

    class Meta:
        model = AdvocacyReturn
        fields: list[str] = []
