"""Reads for doing an audit: the task list of sections, one section's questions and answers, the check-answers
summary. Every function loads a fixed number of queries, however many sections and questions the tool has.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.http import Http404

from audits import access
from audits.grading import NOT_APPLICABLE
from audits.models import Audit, AuditAnswer, AuditSectionResult, AuditToolVersion, ToolQuestion, ToolSection
from qaf.access import get_for_user_or_404
from qaf.models import User

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETED = "completed"
NOT_APPLICABLE_LABEL = "Not applicable"


@dataclass
class QuestionRow:
    """One question of the audit form, numbered, with the auditor's answer so far."""

    question: ToolQuestion
    number: int
    answer: AuditAnswer | None
    value_label: str = ""

    @property
    def value(self) -> str:
        """The answer's value, or "" when not answered yet."""
        return self.answer.value if self.answer else ""

    @property
    def evidence(self) -> str:
        """The evidence the auditor gave for the answer, or ""."""
        return self.answer.evidence if self.answer else ""


@dataclass
class SectionProgress:
    """One section of the audit as the auditor sees it: its questions with answers, status and grade."""

    section: ToolSection
    rows: list[QuestionRow] = field(default_factory=list)
    result: AuditSectionResult | None = None

    @property
    def answered(self) -> int:
        """How many of the section's questions have an answer."""
        return sum(1 for row in self.rows if row.value)

    @property
    def status(self) -> str:
        """Not started, in progress or completed, from the answers given."""
        if self.rows and self.answered == len(self.rows):
            return COMPLETED
        return IN_PROGRESS if self.answered else NOT_STARTED

    @property
    def is_overridden(self) -> bool:
        """Whether the auditor overrode the section's computed grade."""
        return bool(self.result and self.result.override_grade)


def audit_for_form(user: User, pk: int) -> Audit:
    """The audit (with what its pages show alongside) if the user may see it; Http404 otherwise. Whether the
    user may change it is the caller's question (`access.audits.can(user, "edit")`)."""
    audit: Audit = get_for_user_or_404(
        access.audits.visible(user).select_related("child", "agency", "tool_version__tool"), pk=pk
    )
    return audit


def scale_labels(version: AuditToolVersion) -> dict[str, str]:
    """Answer value -> label for the version's scale, with "Not applicable"."""
    labels = {str(option["value"]): str(option["label"]) for option in version.scale}
    labels[NOT_APPLICABLE] = NOT_APPLICABLE_LABEL
    return labels


def tool_version_sections(version: AuditToolVersion) -> list[ToolSection]:
    """The version's sections in order, each with its questions prefetched in order (two queries)."""
    return list(
        ToolSection.objects.filter(version=version)
        .order_by("order", "pk")
        .prefetch_related(Prefetch("questions", queryset=ToolQuestion.objects.order_by("order", "pk")))
    )


def audit_progress(audit: Audit) -> list[SectionProgress]:
    """Every section of the audit's tool version with its questions, the audit's answers and section results,
    in four queries. Questions are numbered through the whole audit."""
    sections = tool_version_sections(audit.tool_version)
    answers = {a.question_id: a for a in AuditAnswer.objects.filter(audit=audit)}
    labels = scale_labels(audit.tool_version)
    results = {r.section_id: r for r in AuditSectionResult.objects.filter(audit=audit)}
    progress = []
    number = 0
    for section in sections:
        rows = []
        for question in section.questions.all():
            number += 1
            answer = answers.get(question.pk)
            label = labels.get(answer.value, answer.value) if answer else ""
            rows.append(QuestionRow(question, number, answer, label))
        progress.append(SectionProgress(section, rows, results.get(section.pk)))
    return progress


@dataclass
class SectionPage:
    """One section of the audit form, with where "previous" and "Save and continue" lead."""

    progress: SectionProgress
    position: int
    count: int
    previous_section_id: int | None
    next_section_id: int | None


def audit_section_page(audit: Audit, section_pk: int) -> SectionPage:
    """The section of the audit's own tool version with this id, or Http404 (a section of another version is
    not part of this audit)."""
    progress = audit_progress(audit)
    ids = [p.section.pk for p in progress]
    if section_pk not in ids:
        raise Http404("No such section in this audit")
    index = ids.index(section_pk)
    return SectionPage(
        progress=progress[index],
        position=index + 1,
        count=len(ids),
        previous_section_id=ids[index - 1] if index > 0 else None,
        next_section_id=ids[index + 1] if index + 1 < len(ids) else None,
    )
