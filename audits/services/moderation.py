"""Moderation (a second grading of a submitted audit) and re-audit links.

The auditor's grades are never touched by moderation: the moderator's grades are stored beside them, so the
agreement between the two can be measured (audits/selectors/moderation.py).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from audits import access
from audits.models import Audit, AuditStatus, Grade, Moderation, ModerationSectionGrade, ToolSection
from audits.selectors import grades
from audits.services import escalations
from qaf.history.services import event_record
from qaf.models import User

VALID_GRADES = frozenset(Grade.values)


def _locked(audit: Audit) -> Audit:
    """The audit row again, locked for this transaction, so two people cannot moderate it at once."""
    return Audit.objects.select_for_update().get(pk=audit.pk)


def _check_grades(
    overall_grade: str,
    section_grades: Mapping[int, str],
    *,
    sections: Mapping[int, ToolSection],
    auditor_grades: Mapping[int, str],
) -> None:
    """ValidationError (overall_grade, section_grades) unless the moderator's grades are whole and valid."""
    errors: dict[str, list[str]] = {}
    if overall_grade not in VALID_GRADES:
        errors["overall_grade"] = ["Choose the overall grade."]
    unknown = [pk for pk in section_grades if pk not in sections]
    if unknown:
        errors.setdefault("section_grades", []).append(
            "Grades were given for sections that are not in this audit's tool."
        )
    bad = [pk for pk, grade in section_grades.items() if grade and grade not in VALID_GRADES]
    if bad:
        errors.setdefault("section_grades", []).append("A section grade is not one of the four grades.")
    missing = [pk for pk in auditor_grades if not section_grades.get(pk)]
    if missing:
        titles = ", ".join(str(sections[pk]) for pk in missing if pk in sections)
        errors.setdefault("section_grades", []).append(f"Grade every section the auditor graded: {titles}.")
    if errors:
        raise ValidationError(errors)


def _record_moderated(
    moderation: Moderation,
    *,
    sections: Mapping[int, ToolSection],
    auditor_grades: Mapping[int, str],
    given: Mapping[int, str],
) -> None:
    """The "moderated" history event, holding the auditor's and the moderator's grades."""
    event_record(
        subject=moderation.audit,
        user=moderation.moderator,
        kind="moderated",
        moderation_id=moderation.pk,
        auditor_grade=moderation.audit.overall_grade,
        moderator_grade=moderation.overall_grade,
        sections=[
            {
                "section_id": pk,
                "section": str(sections[pk]),
                "auditor_grade": auditor_grades.get(pk, ""),
                "moderator_grade": given.get(pk, ""),
            }
            for pk in sorted(set(auditor_grades) | set(given))
        ],
    )


@transaction.atomic
def audit_moderate(
    *,
    audit: Audit,
    moderator: User,
    overall_grade: str,
    section_grades: Mapping[int, str],
    notes: str = "",
) -> Moderation:
    """Record a moderator's grades for a submitted audit and mark it moderated.

    Who: only someone `access.audits.can(user, "moderate")` allows (an SQA officer of the partnership who was not assigned to
    the audit). `section_grades` maps ToolSection ids of the audit's tool version to grades; every section the
    auditor graded must be graded again (others may be). Writes a Moderation with its ModerationSectionGrade
    rows, sets the audit to moderated (moderated_at now), stores its grade of record (now the moderator's overall grade)
    and records a "moderated" history event holding both sets of grades. The auditor's grades (audit and section
    results) are left exactly as they were. A moderation whose overall grade is Inadequate escalates the audit
    to the agency's head of service in the same transaction (one escalation per audit, however often graded so).

    Raises ValidationError (fields: status, overall_grade, section_grades) for an audit that is not submitted
    or for missing or unknown grades and sections; PermissionDenied when the user may not moderate."""
    audit = _locked(audit)
    if audit.status != AuditStatus.SUBMITTED:
        raise ValidationError({"status": "Only a submitted audit can be moderated."})
    if not access.audits.can(moderator, "moderate", audit):
        raise PermissionDenied("You may not moderate this audit.")

    sections = {s.pk: s for s in ToolSection.objects.filter(version_id=audit.tool_version_id)}
    auditor_grades = dict(
        audit.section_results.exclude(grade="").values_list("section_id", "grade").order_by("section_id")
    )
    _check_grades(overall_grade, section_grades, sections=sections, auditor_grades=auditor_grades)

    moderation = Moderation.objects.create(
        audit=audit, moderator=moderator, overall_grade=overall_grade, notes=notes.strip()
    )
    given = {pk: grade for pk, grade in section_grades.items() if grade}
    ModerationSectionGrade.objects.bulk_create(
        ModerationSectionGrade(moderation=moderation, section_id=pk, grade=grade)
        for pk, grade in sorted(given.items())
    )
    audit.status = AuditStatus.MODERATED
    audit.moderated_at = timezone.now()
    audit.grade_of_record = grades.audit_grade_of_record(audit)
    audit.save(update_fields=["status", "moderated_at", "grade_of_record", "updated_at"])
    _record_moderated(moderation, sections=sections, auditor_grades=auditor_grades, given=given)
    if audit.grade_of_record == Grade.INADEQUATE:
        # Moderated to Inadequate: escalated in this transaction, as a submit graded Inadequate is (once per
        # audit, so an audit the auditor already graded Inadequate keeps its one escalation).
        escalations.escalation_for_inadequate_audit(audit=audit, by=moderator)
    return moderation


@transaction.atomic
def audit_reaudit_link(*, audit: Audit, earlier: Audit, by: User) -> Audit:
    """Mark `audit` as a re-audit of `earlier` (replacing any earlier link).

    Who: an SQA officer of the partnership (`access.audits.can(user, "link_reaudit")`). Rules: both audits are of the same child in
    the same partnership; `earlier` has been submitted, and before `audit` was (if `audit` has been). Writes
    audit.reaudit_of and a "reaudit_linked" history event (with the previous link, if any).

    Raises ValidationError (field: earlier) when the rules are not met; PermissionDenied for other users."""
    if not access.audits.can(by, "link_reaudit", audit):
        raise PermissionDenied("Only the SQA service marks re-audits.")
    audit = _locked(audit)
    if earlier.pk == audit.pk:
        raise ValidationError({"earlier": "An audit cannot be a re-audit of itself."})
    if audit.child_id is None:
        raise ValidationError({"earlier": "This audit is not of a child's case, so it cannot be a re-audit."})
    if earlier.partnership_id != audit.partnership_id or earlier.child_id != audit.child_id:
        raise ValidationError({"earlier": "Choose an earlier audit of the same child."})
    if earlier.submitted_at is None:
        raise ValidationError({"earlier": "Choose an audit that has been submitted."})
    if audit.submitted_at is not None and earlier.submitted_at >= audit.submitted_at:
        raise ValidationError({"earlier": "Choose an audit submitted before this one."})
    if _chain_contains(earlier, audit.pk):
        raise ValidationError({"earlier": "That audit is itself a re-audit of this one."})
    previous = audit.reaudit_of_id
    audit.reaudit_of = earlier
    audit.save(update_fields=["reaudit_of", "updated_at"])
    event_record(
        subject=audit, user=by, kind="reaudit_linked", earlier_audit_id=earlier.pk, previous_audit_id=previous
    )
    return audit


def _chain_contains(audit: Audit, pk: int) -> bool:
    """Does following reaudit_of from `audit` reach `pk`? (Guards against a loop of re-audits.)"""
    seen: set[int] = set()
    current_id = audit.reaudit_of_id
    while current_id is not None and current_id not in seen:
        if current_id == pk:
            return True
        seen.add(current_id)
        current_id = Audit.objects.filter(pk=current_id).values_list("reaudit_of_id", flat=True).first()
    return False
