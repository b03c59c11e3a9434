"""Reads for audits: the filtered list, "my audits", the audit page, and its section-by-section view.

Every read starts from audits.access.audits.visible, so the list, the page and the API can never disagree, and each
fetches what its page shows in a fixed number of queries, however many audits, answers or events there are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import (
    Case,
    F,
    IntegerField,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from audits import access
from audits.grading import NOT_APPLICABLE
from audits.models import (
    Audit,
    AuditAnswer,
    AuditAssignment,
    AuditSectionResult,
    AuditStatus,
    Grade,
    Moderation,
    ModerationSectionGrade,
    PanelMember,
    ToolQuestion,
    ToolSection,
)
from audits.selectors import grades
from qaf.access import get_for_user_or_404
from qaf.models import Theme, User

OPEN_STATUSES = (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS)


def overdue_q(today: dt.date) -> Q:
    """Open audits whose due date has passed (Audit.is_overdue, as a query)."""
    return Q(status__in=OPEN_STATUSES, due_on__lt=today)


def _assignments() -> Prefetch[str, QuerySet[AuditAssignment]]:
    return Prefetch(
        "assignments",
        queryset=AuditAssignment.objects.select_related("user").order_by("user__last_name", "user__pk"),
    )


def _for_rows(queryset: QuerySet[Audit]) -> QuerySet[Audit]:
    """What a list row shows: the child, the agency, the tool and the auditors, in a fixed number of queries."""
    return queryset.select_related("child", "agency", "tool_version__tool").prefetch_related(_assignments())


def _open_first(queryset: QuerySet[Audit]) -> QuerySet[Audit]:
    """Open audits first, soonest due (so overdue ones) at the top; then the rest, latest due first."""
    open_first = Case(
        When(status__in=OPEN_STATUSES, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    open_due = Case(When(status__in=OPEN_STATUSES, then=F("due_on")), default=None)
    return queryset.annotate(open_first=open_first, open_due=open_due).order_by(
        "open_first", "open_due", "-due_on", "-pk"
    )


def audits_for_list(user: User) -> QuerySet[Audit]:
    """The audits the user may see, open ones first by due date, ready for audits.filters and one page of the
    list."""
    return _open_first(_for_rows(access.audits.visible(user)))


AUDIT_CSV_COLUMNS = [
    "Audit",
    "Case reference",
    "Title",
    "Level",
    "Kind",
    "Tool",
    "Tool version",
    "Agency",
    "Auditors",
    "Due",
    "Status",
    "Submitted",
    "Auditor's grade",
    "Moderator's grade",
    "Moderated",
    "Grade of record",
]


def audit_csv_rows(audits: QuerySet[Audit]) -> Iterator[list[object]]:
    """The rows of the audit list's CSV: exactly the audits the list shows (the filtered audits_for_list, every
    page, in its order), with both grades and the grade of record. Case reference only, never a name. A fixed
    number of queries a chunk of 500 audits."""
    current = grades.current_moderation_subquery()
    audits = audits.annotate(
        moderator_grade=Subquery(current.values("overall_grade")[:1]),
        moderation_at=Subquery(current.values("created_at")[:1]),
    )
    labels = dict(Grade.choices)

    def day(value: dt.datetime | None) -> str:
        return timezone.localtime(value).date().isoformat() if value else ""

    for audit in audits.iterator(chunk_size=500):
        yield [
            audit.pk,
            audit.child.case_reference if audit.child is not None else "",
            audit.title,
            audit.level,
            audit.get_kind_display(),
            audit.tool_version.tool.name,
            audit.tool_version.number,
            audit.agency.name,
            "; ".join(a.user.display_name for a in audit.assignments.all()),
            audit.due_on.isoformat(),
            audit.get_status_display(),
            day(audit.submitted_at),
            labels.get(audit.overall_grade, ""),
            labels.get(audit.moderator_grade or "", ""),
            day(audit.moderation_at),
            labels.get(audit.grade_of_record, ""),
        ]


def my_audits(user: User) -> QuerySet[Audit]:
    """Audits the user is assigned to (or sits on the Level 3 panel of): open ones first, soonest due first;
    then the rest, latest due first."""
    mine = Q(pk__in=AuditAssignment.objects.filter(user_id=user.pk).values("audit_id")) | Q(
        pk__in=PanelMember.objects.filter(user_id=user.pk).values("audit_id")
    )
    return _open_first(_for_rows(access.audits.visible(user).filter(mine)))


def audit_for_page(user: User, pk: int) -> Audit:
    """The audit with everything its page shows, in a fixed number of queries. Http404 if not visible."""
    queryset = access.audits.visible(user).select_related(
        "child",
        "plan",
        "review",
        "agency",
        "activity",
        "reaudit_of",
        "tool_version__tool",
        "case_review__lead_board_member",
    )
    queryset = queryset.prefetch_related(
        _assignments(),
        Prefetch(
            "panel_members",
            queryset=PanelMember.objects.select_related("user", "agency").order_by("agency__name", "pk"),
        ),
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
        Prefetch(
            "tool_version__sections",
            queryset=ToolSection.objects.order_by("order", "pk").prefetch_related(
                Prefetch("questions", queryset=ToolQuestion.objects.order_by("order", "pk"))
            ),
        ),
        "answers",
        "section_results",
        Prefetch(
            "moderations",
            queryset=Moderation.objects.select_related("moderator").prefetch_related(
                Prefetch("section_grades", queryset=ModerationSectionGrade.objects.all())
            ),
        ),
        Prefetch("reaudits", queryset=Audit.objects.only("pk", "reaudit_of_id").order_by("pk")),
    )
    audit: Audit = get_for_user_or_404(queryset, pk=pk)
    return audit


@dataclass(frozen=True)
class QuestionView:
    """A question as the audit page shows it: the answer and its label in words."""

    question: ToolQuestion
    answer: AuditAnswer | None
    label: str  # the answer as the auditor chose it, in words


@dataclass(frozen=True)
class SectionView:
    """A section as the audit page shows it: its questions, the auditor's result and any moderated grade."""

    section: ToolSection
    questions: list[QuestionView]
    result: AuditSectionResult | None
    moderated_grade: str = ""  # the current moderation's grade for this section, if any
    answered: int = 0


def answer_label(scale: list[dict[str, Any]], value: str) -> str:
    """The words for an answer `value` on the tool's `scale`: its option label, "Not applicable" or "Not
    answered"."""
    if value == "":
        return "Not answered"
    if value == NOT_APPLICABLE:
        return "Not applicable"
    for option in scale:
        if str(option["value"]) == value:
            return str(option["label"])
    return value


def audit_sections(audit: Audit) -> list[SectionView]:
    """The audit section by section, from the rows audit_for_page prefetched (no further queries): each
    question of the exact tool version the audit used, its answer, the section's grade and its moderated
    grade."""
    answers = {answer.question_id: answer for answer in audit.answers.all()}
    results = {result.section_id: result for result in audit.section_results.all()}
    current = grades.current_of(audit, list(audit.moderations.all()))
    moderated = {}
    if current is not None:
        moderated = {grade.section_id: grade.grade for grade in current.section_grades.all()}
    scale = audit.tool_version.scale
    views = []
    for section in audit.tool_version.sections.all():
        questions = []
        for question in section.questions.all():
            answer = answers.get(question.pk)
            label = answer_label(scale, answer.value if answer else "")
            questions.append(QuestionView(question, answer, label))
        views.append(
            SectionView(
                section=section,
                questions=questions,
                result=results.get(section.pk),
                moderated_grade=moderated.get(section.pk, ""),
                answered=sum(1 for q in questions if q.answer and q.answer.value),
            )
        )
    return views


def audit_child_is_visible(user: User, audit: Audit) -> bool:
    """May the user open the audited child's page (so the audit page links to it)?"""
    if not audit.child_id:
        return False
    from ehcp import access as ehcp_access

    return ehcp_access.children.visible(user).filter(pk=audit.child_id).exists()


# --- choices for the list's filters -----------------------------------------------------------------


# Agencies, terms and themes are the partnership's (qaf.selectors), as on every list.


def auditors_for_filter(user: User) -> QuerySet[User]:
    """People assigned to any audit the user may see (one query, no duplicates)."""
    assigned = AuditAssignment.objects.filter(audit__in=access.audits.visible(user)).values("user_id")
    return User.objects.filter(pk__in=assigned).order_by("last_name", "first_name", "pk")
