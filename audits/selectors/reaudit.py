"""Reads for re-audits: the pair of audits to compare, the rows of the comparison, and link candidates.

A re-audit may use a newer version of the tool than the audit it re-audits, so sections are matched by their
code (A, B, ... K) where both have one, and otherwise by title, ignoring case.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from audits import access
from audits.models import Audit, AuditSectionResult, ToolSection
from audits.models.grades import GRADE_RANK, Grade
from qaf.models import User

IMPROVED, DECLINED, SAME = "Improved", "Declined", "No change"


@dataclass(frozen=True)
class ComparisonRow:
    """One line of a re-audit comparison: a section (or the overall grade) in the earlier and the later audit."""

    code: str
    title: str
    earlier_grade: str  # a Grade value, or "" when not graded (or not in that audit's tool)
    later_grade: str
    in_earlier: bool = True
    in_later: bool = True

    @property
    def change(self) -> str:
        """Improved, declined or the same, from the two grades; "" when either is missing."""
        if not (self.earlier_grade and self.later_grade):
            return ""
        difference = GRADE_RANK[Grade(self.later_grade)] - GRADE_RANK[Grade(self.earlier_grade)]
        return IMPROVED if difference > 0 else DECLINED if difference < 0 else SAME

    @property
    def earlier_label(self) -> str:
        """The earlier grade in words, or ""."""
        return Grade(self.earlier_grade).label if self.earlier_grade else ""

    @property
    def later_label(self) -> str:
        """The later grade in words, or ""."""
        return Grade(self.later_grade).label if self.later_grade else ""


def _pair_queryset(user: User) -> QuerySet[Audit]:
    return access.audits.visible(user).select_related("tool_version__tool", "child", "agency")


def reaudit_pair_for_user(user: User, pk: int) -> tuple[Audit, Audit]:
    """(earlier, later) for the comparison page of audit `pk`: if it is a re-audit, it and the audit it
    re-audits; otherwise it and its latest re-audit. Http404 unless the user may see both audits (the same
    answer for "no such audit", "not yours" and "nothing to compare")."""
    audit = access.audits.get_for_user(user, pk)
    visible = _pair_queryset(user)
    if audit.reaudit_of_id is not None:
        earlier = visible.filter(pk=audit.reaudit_of_id).first()
        if earlier is None:
            raise Http404("Not found")
        return earlier, visible.get(pk=audit.pk)
    later = visible.filter(reaudit_of_id=audit.pk).order_by("-submitted_at", "-created_at", "-pk").first()
    if later is None:
        raise Http404("Not found")
    return visible.get(pk=audit.pk), later


def _match(
    later: list[ToolSection], earlier: list[ToolSection]
) -> list[tuple[ToolSection | None, ToolSection | None]]:
    """Pair each later section with an earlier one: by code first, then by title; leftovers stand alone."""
    unused = list(earlier)
    pairs: list[tuple[ToolSection | None, ToolSection | None]] = []
    for section in later:
        found = None
        if section.code:
            found = next((e for e in unused if e.code and e.code.upper() == section.code.upper()), None)
        if found is None:
            title = section.title.casefold().strip()
            found = next((e for e in unused if e.title.casefold().strip() == title), None)
        if found is not None:
            unused.remove(found)
        pairs.append((found, section))
    pairs.extend((section, None) for section in unused)
    return pairs


def comparison_rows(earlier: Audit, later: Audit) -> list[ComparisonRow]:
    """One row per section of either audit's tool version (matched across versions), with the auditor's
    section grade in each audit and the change. Two queries."""
    sections = list(
        ToolSection.objects.filter(version_id__in={earlier.tool_version_id, later.tool_version_id}).order_by(
            "order", "pk"
        )
    )
    grades = {
        (r.audit_id, r.section_id): r.grade
        for r in AuditSectionResult.objects.filter(audit_id__in=(earlier.pk, later.pk)).only(
            "audit_id", "section_id", "grade"
        )
    }
    # When both audits used the same version every section is in both lists; match each with itself.
    earlier_sections = [s for s in sections if s.version_id == earlier.tool_version_id]
    later_sections = [s for s in sections if s.version_id == later.tool_version_id]
    rows: list[ComparisonRow] = []
    for old, new in _match(later_sections, earlier_sections):
        shown = new or old
        if shown is None:  # every pair holds at least one section
            continue
        rows.append(
            ComparisonRow(
                code=shown.code,
                title=shown.title,
                earlier_grade=grades.get((earlier.pk, old.pk), "") if old else "",
                later_grade=grades.get((later.pk, new.pk), "") if new else "",
                in_earlier=old is not None,
                in_later=new is not None,
            )
        )
    return rows


def overall_row(earlier: Audit, later: Audit) -> ComparisonRow:
    """The comparison row of the two audits' grades of record."""
    return ComparisonRow(
        code="",
        title="Overall (grade of record)",
        earlier_grade=earlier.grade_of_record,
        later_grade=later.grade_of_record,
    )


def reaudit_candidates(user: User, audit: Audit) -> QuerySet[Audit]:
    """Audits the user may see that `audit` could re-audit: the same child's other audits, submitted before
    this one was (or at all, if it has not been), latest first."""
    if audit.child_id is None:
        return Audit.objects.none()
    candidates = (
        access.audits.visible(user)
        .filter(child_id=audit.child_id, submitted_at__isnull=False)
        .exclude(pk=audit.pk)
        .exclude(reaudit_of_id=audit.pk)
        .select_related("tool_version__tool")
        .order_by("-submitted_at", "-pk")
    )
    if audit.submitted_at is not None:
        candidates = candidates.filter(submitted_at__lt=audit.submitted_at)
    return candidates
