"""Filters of the audit list and the moderation queue, for the pages, the CSV and the API alike (qaf.lists).

Each filter narrows a queryset already scoped by audits.access, so no value reaches audits the user may not
see. The term of an audit is the term its due date falls in; the grade is the grade of record.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import QuerySet
from django.utils import timezone
from django_filters import rest_framework as filters

from actions.forms.tracker import TermChoiceField
from audits.forms.audits import UserChoiceField
from audits.models import Audit, AuditAssignment, AuditLevel, AuditStatus, Grade
from audits.selectors import audits as selectors
from ehcp.filters import child_filter
from qaf.lists import (
    ListFilterSet,
    ScopedChoiceFilter,
    TypedChoiceFilter,
    YesNoFilter,
    agency_filter,
    due_in_term,
    row_id,
    term_filter,
    theme_filter,
    where_or_not,
)


class ModerationQueueFilterSet(ListFilterSet):
    """The queue of audits awaiting moderation: the audit list's level and agency filters."""

    level = TypedChoiceFilter(
        label="Level",
        choices=AuditLevel.choices,
        coerce=int,
        empty_value=None,
        empty_label="Any level",
        help_text="Level (1 to 4)",
    )
    agency = agency_filter(api_label="Owning agency (id)")

    panel: Sequence[str] = ("level", "agency")
    errors_about = {"level": "a level from the list"}

    class Meta:
        model = Audit
        fields: list[str] = []


class AuditFilterSet(ModerationQueueFilterSet):
    """The audit list and its CSV, and the `audits` API resource."""

    status = filters.ChoiceFilter(label="Status", choices=AuditStatus.choices, empty_label="Any status")
    grade = filters.ChoiceFilter(
        label="Grade of record",
        field_name="grade_of_record",
        choices=Grade.choices,
        empty_label="Any grade",
        help_text="Grade of record: the moderator's overall grade where moderated, else the auditor's",
    )
    term = term_filter(
        label="Due in term",
        api_label="Due within this term of the partnership (id)",
        field_class=TermChoiceField,
        method="filter_term",
    )
    theme = theme_filter()
    auditor = ScopedChoiceFilter(
        choices=selectors.auditors_for_filter,
        field_class=UserChoiceField,
        label="Auditor",
        empty_label="Anyone",
        api_label="Assigned to this user (id)",
        method="filter_auditor",
    )
    overdue = YesNoFilter(
        label="Overdue only", method="filter_overdue", help_text="Open and past its due date"
    )
    child = child_filter("Audits of this child (id)")

    panel = ("level", "agency", "status", "grade", "term", "theme", "auditor", "overdue", "child")
    errors_about = {
        **ModerationQueueFilterSet.errors_about,
        "status": "a status from the list",
        "grade": "a grade from the list",
        "auditor": "an auditor from the list",
    }
    hints = {"grade": "The moderator's grade where the audit has been moderated, else the auditor's."}

    class Meta:
        model = Audit
        fields: list[str] = []

    def filter_term(self, queryset: QuerySet[Audit], name: str, value: object) -> QuerySet[Audit]:
        return due_in_term(queryset, value)

    def filter_auditor(self, queryset: QuerySet[Audit], name: str, value: object) -> QuerySet[Audit]:
        assigned = AuditAssignment.objects.filter(user_id=row_id(value))
        return queryset.filter(pk__in=assigned.values("audit_id"))

    def filter_overdue(self, queryset: QuerySet[Audit], name: str, value: bool) -> QuerySet[Audit]:
        return where_or_not(queryset, selectors.overdue_q(timezone.localdate()), value)
