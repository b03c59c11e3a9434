"""Filters of the action tracker and the escalations list, for the pages and the API alike (qaf.lists).

Each filter narrows a queryset already scoped by actions.access, so no value reaches rows the user may not
see. The term of an action is the term its due date falls in; of an escalation, the term it was raised in.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from actions.forms.tracker import TermChoiceField, UserChoiceField
from actions.models import (
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationStatus,
    EscalationTrigger,
    RemedialAction,
)
from actions.selectors import tracker as selectors
from ehcp.filters import child_filter
from qaf.lists import (
    IdFilter,
    ListFilterSet,
    ScopedChoiceFilter,
    agency_filter,
    due_in_term,
    tagged_with_theme,
    term_filter,
    theme_filter,
    where_or_not,
)
from qaf.models import Term


class ActionFilterSet(ListFilterSet):
    """The action tracker's three lists and their CSV, and the `actions` API resource."""

    agency = agency_filter()
    team = ScopedChoiceFilter(
        choices=selectors.teams_for_filter,
        label="Team",
        empty_label="Any team",
        api_label="Team (id)",
        field_name="team",
    )
    worker = ScopedChoiceFilter(
        choices=selectors.workers_for_filter,
        field_class=UserChoiceField,
        label="Worker",
        empty_label="Anyone",
        api_label="Worker carrying out the action (id)",
        field_name="worker",
    )
    status = filters.ChoiceFilter(label="Status", choices=ActionStatus.choices, empty_label="Any status")
    rag = filters.ChoiceFilter(
        label="Due or overdue",
        choices=selectors.RAG_CHOICES,
        empty_label="Any due date",
        method="filter_rag",
        help_text="Red, amber or green",
    )
    source = filters.ChoiceFilter(label="Source", choices=ActionSource.choices, empty_label="Any source")
    theme = theme_filter()
    term = term_filter(
        label="Due in term",
        api_label="Due within this term of the partnership (id)",
        field_class=TermChoiceField,
        method="filter_term",
    )
    child = child_filter("Actions about this child (id)")

    panel = ("agency", "team", "worker", "status", "rag", "source", "theme", "term", "child")
    errors_about = {
        "team": "a team from the list",
        "worker": "a worker from the list",
        "status": "a status from the list",
        "rag": "a due date from the list",
        "source": "a source from the list",
    }

    class Meta:
        model = RemedialAction
        fields: list[str] = []

    def filter_rag(
        self, queryset: QuerySet[RemedialAction], name: str, value: str
    ) -> QuerySet[RemedialAction]:
        return queryset.filter(selectors.rag_q(value, timezone.localdate()))

    def filter_term(self, queryset: QuerySet[RemedialAction], name: str, value) -> QuerySet[RemedialAction]:
        return due_in_term(queryset, value)


class EscalationFilterSet(ListFilterSet):
    """The escalations list and the `escalations` API resource (theme, term and overdue are the API's)."""

    status = filters.ChoiceFilter(label="Status", choices=EscalationStatus.choices, empty_label="Any status")
    agency = agency_filter()
    trigger = filters.ChoiceFilter(
        label="Reason", choices=EscalationTrigger.choices, empty_label="Any reason"
    )
    child = child_filter("Escalations about this child (id)")
    theme = IdFilter(method=tagged_with_theme, label="Tagged with this theme (id)")
    term = IdFilter(method="filter_term", label="Raised within this term of the partnership (id)")
    overdue = filters.BooleanFilter(
        method="filter_overdue", label="Waiting for acknowledgement past its deadline"
    )

    panel = ("status", "agency", "trigger", "child")
    errors_about = {
        "status": "a status from the list",
        "trigger": "a reason from the list",
    }

    class Meta:
        model = Escalation
        fields: list[str] = []

    def filter_term(self, queryset: QuerySet[Escalation], name: str, value: int) -> QuerySet[Escalation]:
        term = Term.objects.filter(pk=value).select_related("academic_year").first()
        if term is None:
            return queryset.none()
        return queryset.filter(
            partnership_id=term.academic_year.partnership_id,
            raised_at__date__gte=term.starts_on,
            raised_at__date__lte=term.ends_on,
        )

    def filter_overdue(self, queryset: QuerySet[Escalation], name: str, value: bool) -> QuerySet[Escalation]:
        late = Q(status=EscalationStatus.OPEN, acknowledge_by__lt=timezone.now())
        return where_or_not(queryset, late, value)
