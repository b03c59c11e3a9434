"""Reads for moderation: the audit and its sections as the moderator sees them, the queue of audits awaiting
moderation, and agreement between auditors and moderators.

Agreement is measured on moderated audits only (status moderated or closed), pairing the auditor's grade as it
stands with the latest moderation made after the audit's last submission; an audit reopened and regraded since
its moderation is left out until it is moderated again. Everything here is an aggregate: no child appears.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.db.models import Exists, F, OuterRef, Prefetch, QuerySet, Subquery
from django.utils import timezone

from audits import access
from audits import agreement as stats
from audits.models import (
    Audit,
    AuditAssignment,
    AuditLevel,
    AuditSectionResult,
    AuditStatus,
    ModerationSectionGrade,
    ToolSection,
)
from audits.models.grades import GRADE_RANK
from audits.selectors import audits as audit_selectors
from audits.selectors import grades
from qaf.models import AcademicYear, Term, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

OUTSIDE_CALENDAR = "Outside the academic calendar"


# --- the moderation form -----------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionToModerate:
    """One tool section as the moderator sees it: the auditor's answer to each question (in words) with
    their evidence notes, and the auditor's grade for the section (computed, or overridden with a reason)."""

    view: audit_selectors.SectionView

    @property
    def section(self) -> ToolSection:
        """The tool section this row moderates."""
        return self.view.section

    @property
    def result(self) -> AuditSectionResult | None:
        """The auditor's result for the section, if graded."""
        return self.view.result

    @property
    def questions(self) -> list[audit_selectors.QuestionView]:
        """The section's questions with the auditor's answers."""
        return self.view.questions

    @property
    def auditor_grade(self) -> str:
        """The grade the auditor gave the section, or ""."""
        return self.result.grade if self.result else ""


def audit_for_moderation(user: User, pk: int) -> Audit:
    """The audit with everything the moderation page shows (the audit page's own read: its answers, section
    results, tool sections and questions, auditors and moderations), in a fixed number of queries. Http404
    when the user may not see it; the caller checks access.audits.can(user, "moderate")."""
    return audit_selectors.audit_for_page(user, pk)


def sections_to_moderate(audit: Audit) -> list[SectionToModerate]:
    """The audit's tool sections in order, each with the auditor's answers and result, from what
    audit_for_moderation prefetched (no further queries)."""
    return [SectionToModerate(view) for view in audit_selectors.audit_sections(audit)]


# --- the queue of audits awaiting moderation -------------------------------------------------------------


def moderation_queue(user: User) -> QuerySet[Audit]:
    """The submitted audits the user may see (audits awaiting moderation), for audits.filters to narrow,
    oldest submitted first, with what a row shows and `may_moderate` (access.audits.can(user, "moderate"), as a query).
    Unfiltered, it counts what the home page calls "awaiting moderation". A fixed number of queries a page.

    Who: the caller checks access.audits.can(user, "see_moderation_queue")."""
    queue = access.audits.visible(user).filter(status=AuditStatus.SUBMITTED)
    assignments = AuditAssignment.objects.select_related("user").order_by("user__last_name", "user__pk")
    return (
        queue.select_related("child", "agency", "tool_version__tool")
        .prefetch_related(Prefetch("assignments", queryset=assignments))
        .annotate(may_moderate=Exists(access.audits.moderatable(user).filter(pk=OuterRef("pk"))))
        .order_by(F("submitted_at").asc(nulls_last=True), "pk")
    )


@dataclass(frozen=True)
class QueueRow:
    """An audit waiting for moderation, with the day it was submitted and how long it has waited."""

    audit: Audit
    submitted_on: dt.date | None
    days_waiting: int | None


def queue_rows(audits: Iterable[Audit], today: dt.date) -> list[QueueRow]:
    """One page of the queue with each audit's submission day and the days it has waited since (local
    dates). No queries beyond the page's own."""
    rows = []
    for audit in audits:
        day = timezone.localtime(audit.submitted_at).date() if audit.submitted_at else None
        rows.append(QueueRow(audit, day, (today - day).days if day else None))
    return rows


# --- agreement ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AgreementFilters:
    """The period the agreement page is asked for: an academic year, a term, or neither (all time)."""

    academic_year_id: int | None = None
    term_id: int | None = None


@dataclass(frozen=True)
class GroupAgreement:
    """Agreement figures for one group of moderated audits (a level, an agency or a term)."""

    label: str
    figures: stats.Agreement


@dataclass(frozen=True)
class SectionDisagreement:
    """A section where moderators changed the auditor's grade: how many times of how many moderated."""

    tool: str
    code: str
    title: str
    n: int
    disagreed: int
    percent_disagreement: float
    # auditor's rank minus moderator's (4 Outstanding .. 1 Inadequate): above 0, auditors grade higher.
    mean_difference: float
    mean_absolute_difference: float


@dataclass(frozen=True)
class AgreementSummary:
    """The moderation agreement page: overall figures, by level, agency and term, and the sections most
    changed."""

    period: str
    overall: stats.Agreement
    by_level: list[GroupAgreement] = field(default_factory=list)
    by_agency: list[GroupAgreement] = field(default_factory=list)
    by_term: list[GroupAgreement] = field(default_factory=list)
    sections: list[SectionDisagreement] = field(default_factory=list)


class ModerationAnnotations(TypedDict):
    """What `moderated_audits` annotates an audit with (it keeps only audits with a current moderation)."""

    moderation_id: int
    moderator_grade: str


def moderated_audits(
    *, partnership_id: int, start: dt.date | None = None, end: dt.date | None = None
) -> QuerySet[WithAnnotations[Audit, ModerationAnnotations]]:
    """Moderated audits of the partnership submitted between `start` and `end` (local dates, inclusive),
    annotated with their latest current moderation's id and overall grade."""
    latest = grades.current_moderation_subquery()
    audits = Audit.objects.filter(
        partnership_id=partnership_id,
        status__in=(AuditStatus.MODERATED, AuditStatus.CLOSED),
        submitted_at__isnull=False,
    ).annotate(
        moderation_id=Subquery(latest.values("pk")[:1]),
        moderator_grade=Subquery(latest.values("overall_grade")[:1]),
    )
    if start is not None:
        audits = audits.filter(submitted_at__date__gte=start)
    if end is not None:
        audits = audits.filter(submitted_at__date__lte=end)
    return audits.filter(moderation_id__isnull=False)


def _term_for(day: dt.date, terms: list[Term]) -> Term | None:
    for term in terms:
        if term.contains(day):
            return term
    return None


def _groups(keyed_pairs: Iterable[tuple[tuple[Any, ...], str, stats.Pair]]) -> list[GroupAgreement]:
    """Group (sort key, label, pair) rows into one GroupAgreement per label, in sort-key order."""
    pairs: dict[tuple[tuple[Any, ...], str], list[stats.Pair]] = defaultdict(list)
    for key, label, pair in keyed_pairs:
        pairs[(key, label)].append(pair)
    return [GroupAgreement(label, stats.agreement(group)) for (_, label), group in sorted(pairs.items())]


def _section_disagreements(rows: Iterable[Mapping[str, Any]]) -> list[SectionDisagreement]:
    grouped: dict[tuple[str, str, str], list[tuple[int, int]]] = defaultdict(list)
    for row in rows:
        key = (row["tool"], row["code"], row["title"])
        grouped[key].append((GRADE_RANK[row["auditor_grade"]], GRADE_RANK[row["grade"]]))
    result: list[SectionDisagreement] = []
    for (tool, code, title), ranks in grouped.items():
        n = len(ranks)
        disagreed = sum(1 for a, m in ranks if a != m)
        result.append(
            SectionDisagreement(
                tool=tool,
                code=code,
                title=title,
                n=n,
                disagreed=disagreed,
                percent_disagreement=100 * disagreed / n,
                mean_difference=sum(a - m for a, m in ranks) / n,
                mean_absolute_difference=sum(abs(a - m) for a, m in ranks) / n,
            )
        )
    result.sort(
        key=lambda s: (-s.percent_disagreement, -s.mean_absolute_difference, -s.n, s.tool, s.code, s.title)
    )
    return result


def _period(
    filters: AgreementFilters, years: dict[int, AcademicYear], terms: list[Term]
) -> tuple[str, dt.date | None, dt.date | None]:
    """(label, start, end) of the chosen period; a term wins over a year."""
    if filters.term_id is not None:
        term = next((t for t in terms if t.pk == filters.term_id), None)
        if term is not None:
            return str(term), term.starts_on, term.ends_on
    if filters.academic_year_id is not None and filters.academic_year_id in years:
        year = years[filters.academic_year_id]
        return f"Academic year {year}", year.starts_on, year.ends_on
    return "All moderated audits", None, None


def agreement_summary(*, partnership_id: int, filters: AgreementFilters | None = None) -> AgreementSummary:
    """Agreement between auditors' and moderators' overall grades, overall and by level, by agency and by term
    (the term containing the audit's submission date), with % agreement, Cohen's kappa and weighted kappa;
    and the tool sections where auditors and moderators disagree most (by tool, section code and title, most
    disagreement first).

    Who: the caller checks `access.audits.can(user, "see_agreement")`; the result holds aggregates only. Four queries, whatever
    the number of audits."""
    filters = filters or AgreementFilters()
    years = {y.pk: y for y in AcademicYear.objects.filter(partnership_id=partnership_id)}
    terms = list(
        Term.objects.filter(academic_year__partnership_id=partnership_id)
        .select_related("academic_year")
        .order_by("starts_on")
    )
    period, start, end = _period(filters, years, terms)
    audits = moderated_audits(partnership_id=partnership_id, start=start, end=end)

    level_labels = dict(AuditLevel.choices)
    by_level, by_agency, by_term, overall = [], [], [], []
    for row in audits.exclude(overall_grade="").values(
        "level", "agency__name", "overall_grade", "moderator_grade", "submitted_at"
    ):
        pair = (row["overall_grade"], row["moderator_grade"])
        overall.append(pair)
        by_level.append(((row["level"],), level_labels.get(row["level"], str(row["level"])), pair))
        by_agency.append(((row["agency__name"],), row["agency__name"], pair))
        term = _term_for(timezone.localtime(row["submitted_at"]).date(), terms)
        if term is None:
            by_term.append(((dt.date.max,), OUTSIDE_CALENDAR, pair))
        else:
            by_term.append(((term.starts_on,), str(term), pair))

    rows = (
        ModerationSectionGrade.objects.filter(moderation_id__in=audits.values("moderation_id"))
        .annotate(
            auditor_grade=Subquery(
                AuditSectionResult.objects.filter(
                    audit_id=OuterRef("moderation__audit_id"), section_id=OuterRef("section_id")
                ).values("grade")[:1]
            )
        )
        .exclude(auditor_grade="")
        .exclude(auditor_grade__isnull=True)
        .values(
            "grade",
            "auditor_grade",
            tool=F("section__version__tool__name"),
            code=F("section__code"),
            title=F("section__title"),
        )
    )
    return AgreementSummary(
        period=period,
        overall=stats.agreement(overall),
        by_level=_groups(by_level),
        by_agency=_groups(by_agency),
        by_term=_groups(by_term),
        sections=_section_disagreements(rows),
    )
