"""Doing an audit: saving answers section by section, the summary (strengths, themes, grade overrides), submit.

Grades come from `audits.grading.compute` over the audit's own tool version; they are recomputed and stored
(AuditSectionResult rows and the audit's computed and overall grades) whenever answers or overrides change.
An override always carries a reason; clearing it clears the reason. Every change is kept in the history.
Callers fetch the audit through `access.audits.get_for_user`; these services check `access.audits.can(user, "edit")` /
`access.audits.can(user, "submit")` themselves and raise PermissionDenied when the user may not change the audit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audits import access, grading
from audits.grading import NOT_APPLICABLE
from audits.models import Audit, AuditAnswer, AuditSectionResult, AuditStatus, Grade, ToolSection
from audits.selectors import grades
from audits.selectors.answering import tool_version_sections
from audits.services import escalations
from qaf.history.services import event_record
from qaf.models import Theme, User

NOTHING_TO_GRADE = "An audit with nothing to grade cannot be submitted; mark questions or ask the SQA officer"


def _check_open(audit: Audit, *, verb: str) -> None:
    if not audit.is_open:
        raise ValidationError(
            f"This audit is {audit.get_status_display().lower()}; it can no longer be {verb}."
        )


def _lock_open(audit: Audit, *, verb: str) -> Audit:
    """Lock the audit row for this transaction (panel members may save at the same time) and check it is
    still open."""
    locked = Audit.objects.select_for_update().get(pk=audit.pk)
    _check_open(locked, verb=verb)
    # Carry on from the row as it is now, keeping the caller's cached relations (the tool version ...).
    for f in Audit._meta.concrete_fields:
        if not f.is_relation:
            setattr(audit, f.attname, getattr(locked, f.attname))
    return audit


def _grades_refresh(audit: Audit, overrides: Mapping[int, tuple[str, str]] | None = None) -> grading.Result:
    """Recompute the audit's grades from its answers, store a result row per section (applying `overrides`,
    {section id: (grade, reason)}, and keeping earlier overrides otherwise) and the audit's computed and
    overall grades."""
    overrides = overrides or {}
    sections = tool_version_sections(audit.tool_version)
    specs = [
        grading.SectionSpec(
            s.pk,
            s.weight,
            tuple(grading.QuestionSpec(q.pk, q.weight) for q in s.questions.all()),
        )
        for s in sections
    ]
    answers = dict(AuditAnswer.objects.filter(audit=audit).values_list("question_id", "value"))
    result = grading.compute(specs, audit.tool_version.scale, answers)
    existing = {r.section_id: r for r in AuditSectionResult.objects.filter(audit=audit)}
    to_create, to_update = [], []
    for section_result in result.sections:
        row = existing.get(section_result.section_id)
        if row is None:
            row = AuditSectionResult(audit=audit, section_id=section_result.section_id)
            to_create.append(row)
        else:
            to_update.append(row)
        row.score = section_result.score
        row.computed_grade = section_result.grade
        if section_result.section_id in overrides:
            row.override_grade, row.override_reason = overrides[section_result.section_id]
        row.grade = row.override_grade or row.computed_grade
    AuditSectionResult.objects.bulk_create(to_create)
    AuditSectionResult.objects.bulk_update(
        to_update, ["score", "computed_grade", "override_grade", "override_reason", "grade"]
    )
    audit.computed_grade = result.grade
    audit.overall_grade = audit.override_grade or audit.computed_grade
    audit.grade_of_record = grades.audit_grade_of_record(audit)
    return result


def _clean_answers(
    section: ToolSection, scale_values: set[str], answers: Mapping[int, tuple[str, str]]
) -> dict[int, tuple[str, str]]:
    questions = {q.pk: q for q in section.questions.all()}
    errors: dict[str, str] = {}
    cleaned: dict[int, tuple[str, str]] = {}
    for question_id, (value, evidence) in answers.items():
        value, evidence = (value or "").strip(), (evidence or "").strip()
        question = questions.get(question_id)
        key = f"answer_{question_id}"
        if question is None:
            errors[key] = (
                f"Question {question_id} is not a question of this section of the audit's tool version."
            )
        elif value == NOT_APPLICABLE and not question.allow_not_applicable:
            errors[key] = "This question cannot be marked not applicable; choose an answer from the scale."
        elif value and value != NOT_APPLICABLE and value not in scale_values:
            errors[key] = "Choose an answer from the tool's answer scale."
        else:
            cleaned[question_id] = (value, evidence)
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def audit_answers_save(
    *, audit: Audit, by: User, section: ToolSection, answers: Mapping[int, tuple[str, str]]
) -> Audit:
    """Save the answers to one section: {question id: (value, evidence note)}, a value being one of the tool
    version's scale values, "na" (only where the question allows it) or "" (not answered yet). Upserts the
    AuditAnswer rows, moves a scheduled audit to in progress on the first save, recomputes and stores the
    grades, and records an "answered" event naming the section and the questions changed.

    Raises PermissionDenied unless `access.audits.can(by, "edit", audit)`; ValidationError (keyed `answer_<id>`) for a
    value off the scale, "na" where not allowed, or a question outside this section of the audit's version;
    ValidationError when the audit is no longer open or the section belongs to another version."""
    _check_open(audit, verb="changed")
    if not access.audits.can(by, "edit", audit):
        raise PermissionDenied("Only the audit's assignees can change it while it is open.")
    if section.version_id != audit.tool_version_id:
        raise ValidationError({"section": "This section is not part of this audit's tool version."})
    scale_values = {str(option["value"]) for option in audit.tool_version.scale}
    cleaned = _clean_answers(section, scale_values, answers)
    _lock_open(audit, verb="changed")
    now = timezone.now()
    changed = _answers_upsert(audit, cleaned, by=by, now=now)
    started = audit.status == AuditStatus.SCHEDULED
    if started:
        audit.status, audit.started_at = AuditStatus.IN_PROGRESS, now
    _grades_refresh(audit)
    audit.save(
        update_fields=[
            "status",
            "started_at",
            "computed_grade",
            "overall_grade",
            "grade_of_record",
            "updated_at",
        ]
    )
    if changed or started:
        event_record(
            subject=audit,
            user=by,
            kind="answered",
            section=section.pk,
            section_title=str(section),
            questions=sorted(changed),
            started=started,
            computed_grade=audit.computed_grade,
        )
    return audit


def _answers_upsert(
    audit: Audit, cleaned: Mapping[int, tuple[str, str]], *, by: User, now: dt.datetime
) -> list[int]:
    """Create or update the audit's answers to `cleaned` {question id: (value, evidence)}; returns the ids of
    the questions whose answer changed."""
    existing = {a.question_id: a for a in AuditAnswer.objects.filter(audit=audit, question_id__in=cleaned)}
    to_create, to_update, changed = [], [], []
    for question_id, (value, evidence) in cleaned.items():
        answer = existing.get(question_id)
        if answer is None:
            if value or evidence:
                to_create.append(
                    AuditAnswer(
                        audit=audit, question_id=question_id, value=value, evidence=evidence, answered_by=by
                    )
                )
                changed.append(question_id)
        elif (answer.value, answer.evidence) != (value, evidence):
            answer.value, answer.evidence, answer.answered_by, answer.updated_at = value, evidence, by, now
            to_update.append(answer)
            changed.append(question_id)
    AuditAnswer.objects.bulk_create(to_create)
    AuditAnswer.objects.bulk_update(to_update, ["value", "evidence", "answered_by", "updated_at"])
    return changed


def _clean_override(grade: str, reason: str, *, reason_key: str, errors: dict[str, str]) -> tuple[str, str]:
    grade, reason = (grade or "").strip(), (reason or "").strip()
    if grade and grade not in Grade.values:
        errors[reason_key.replace("reason", "grade")] = "Choose a grade from the list."
    elif grade and not reason:
        errors[reason_key] = "Give a reason for overriding the computed grade."
    # Clearing an override clears its reason: the computed grade needs none.
    return (grade, reason) if grade else ("", "")


def _clean_themes(audit: Audit, theme_ids: Iterable[int]) -> list[int]:
    theme_ids = {int(t) for t in theme_ids}
    allowed = set(
        Theme.objects.filter(partnership_id=audit.partnership_id, is_active=True).values_list("pk", flat=True)
    ) | set(audit.themes.values_list("pk", flat=True))
    if theme_ids - allowed:
        raise ValidationError({"themes": "Choose themes of this partnership."})
    return sorted(theme_ids)


@transaction.atomic
def audit_summary_save(
    *,
    audit: Audit,
    by: User,
    strengths: str,
    areas: str,
    theme_ids: Iterable[int],
    section_overrides: Mapping[int, tuple[str, str]],
    override_grade: str,
    override_reason: str,
) -> Audit:
    """Save the audit's summary: strengths, areas for development, themes (the partnership's active themes, or
    ones already on the audit), per-section grade overrides {section id: (grade or "", reason)} (sections not
    given keep theirs) and the overall override. An override needs a reason; an empty grade clears the
    override and its reason. The overall grade becomes the override or else the computed grade. Records a
    "summary_saved" event with the grade changes.

    Raises PermissionDenied unless `access.audits.can(by, "edit", audit)`; ValidationError keyed by field
    (`override_reason`, `section_<id>_reason`, `section_<id>_grade`, `override_grade`, `themes`) otherwise."""
    _check_open(audit, verb="changed")
    if not access.audits.can(by, "edit", audit):
        raise PermissionDenied("Only the audit's assignees can change it while it is open.")
    errors: dict[str, str] = {}
    grade, reason = _clean_override(
        override_grade, override_reason, reason_key="override_reason", errors=errors
    )
    overrides = _clean_section_overrides(audit, section_overrides, errors)
    if errors:
        raise ValidationError(errors)
    theme_ids = _clean_themes(audit, theme_ids)
    _lock_open(audit, verb="changed")
    before = {
        "override": (audit.override_grade, audit.override_reason),
        "sections": {
            r.section_id: (r.override_grade, r.override_reason)
            for r in AuditSectionResult.objects.filter(audit=audit)
        },
    }
    audit.strengths, audit.areas_for_development = (strengths or "").strip(), (areas or "").strip()
    audit.override_grade, audit.override_reason = grade, reason
    _grades_refresh(audit, overrides)
    audit.save(
        update_fields=[
            "strengths",
            "areas_for_development",
            "override_grade",
            "override_reason",
            "computed_grade",
            "overall_grade",
            "grade_of_record",
            "updated_at",
        ]
    )
    audit.themes.set(theme_ids)
    _record_summary_saved(audit, by=by, before=before, overrides=overrides, theme_ids=theme_ids)
    return audit


def _clean_section_overrides(
    audit: Audit, section_overrides: Mapping[int, tuple[str, str]], errors: dict[str, str]
) -> dict[int, tuple[str, str]]:
    """{section id: (grade, reason)} cleaned, for sections of the audit's tool version; problems go in `errors`."""
    section_ids = set(
        ToolSection.objects.filter(version_id=audit.tool_version_id).values_list("pk", flat=True)
    )
    overrides: dict[int, tuple[str, str]] = {}
    for section_id, (s_grade, s_reason) in section_overrides.items():
        if int(section_id) not in section_ids:
            errors["section_overrides"] = "A section is not part of this audit's tool version."
            continue
        overrides[int(section_id)] = _clean_override(
            s_grade, s_reason, reason_key=f"section_{section_id}_reason", errors=errors
        )
    return overrides


def _record_summary_saved(
    audit: Audit,
    *,
    by: User,
    before: dict[str, Any],
    overrides: dict[int, tuple[str, str]],
    theme_ids: list[int],
) -> None:
    """The "summary_saved" event, with the overrides that changed."""
    grade, reason = audit.override_grade, audit.override_reason
    section_changes = {
        str(section_id): {"grade": value[0], "reason": value[1]}
        for section_id, value in overrides.items()
        if before["sections"].get(section_id, ("", "")) != value
    }
    overall_change = {"grade": grade, "reason": reason} if before["override"] != (grade, reason) else None
    event_record(
        subject=audit,
        user=by,
        kind="summary_saved",
        themes=theme_ids,
        override=overall_change,
        section_overrides=section_changes,
        overall_grade=audit.overall_grade,
    )


@transaction.atomic
def audit_submit(*, audit: Audit, by: User) -> Audit:
    """Submit the audit: every question of its tool version must be answered (a scale value or "na"), at least
    one answer must be gradable, and the audit must have an overall grade (computed, or overridden with a
    reason). Sets status submitted and submitted_at, records a "submitted" event with the grades.

    Raises PermissionDenied unless `access.audits.can(by, "submit", audit)`; ValidationError when the audit is not open
    or the conditions above fail."""
    _check_open(audit, verb="submitted")
    if not access.audits.can(by, "submit", audit):
        raise PermissionDenied("Only the audit's assignees can submit it while it is open.")
    _lock_open(audit, verb="submitted")
    result = _grades_refresh(audit)
    values = dict(AuditAnswer.objects.filter(audit=audit).values_list("question_id", "value"))
    sections = tool_version_sections(audit.tool_version)
    question_ids = [q.pk for s in sections for q in s.questions.all()]
    unanswered = [s for s in sections if any(not values.get(q.pk) for q in s.questions.all())]
    if unanswered:
        names = ", ".join(str(s) for s in unanswered)
        raise ValidationError(
            {"answers": f"Answer every question before submitting (not finished: {names})."}
        )
    if all(values[q] == NOT_APPLICABLE for q in question_ids):
        raise ValidationError(NOTHING_TO_GRADE)
    if not audit.overall_grade:
        raise ValidationError(
            {
                "override_grade": "Give an overall grade and a reason: the answers carry no weight to compute one."
            }
        )
    audit.status, audit.submitted_at = AuditStatus.SUBMITTED, timezone.now()
    audit.save(
        update_fields=[
            "status",
            "submitted_at",
            "computed_grade",
            "overall_grade",
            "grade_of_record",
            "updated_at",
        ]
    )
    event_record(
        subject=audit,
        user=by,
        kind="submitted",
        grade=audit.overall_grade,
        computed_grade=audit.computed_grade,
        override_grade=audit.override_grade,
        score=str(result.score) if result.score is not None else None,
    )
    if audit.grade_of_record == Grade.INADEQUATE:
        # In this transaction: the escalation commits with the submit, its email is queued on commit.
        escalations.escalation_for_inadequate_audit(audit=audit, by=by)
    return audit
