"""The grade of record: the one grade of an audit that every list, filter, figure, export, escalation and report
counts.

An audit keeps the auditor's overall grade (computed from the weighted answers, or overridden with a reason) and,
once moderated, the moderator's overall grade beside it; both stay stored and shown, and the agreement between them
is measured on their own (audits/selectors/moderation.py). The grade of record is the moderator's overall grade
where the audit has been moderated since it was last submitted, else the auditor's. A moderation made before the
audit was reopened and submitted again no longer counts: the audit waits for a new one.

The result is stored on `Audit.grade_of_record` by the services that change either grade (answering, submitting,
moderating, reopening), so lists filter and count it with an index; `audit_grade_of_record` is what they store.
"""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet

from audits.models import Audit, Moderation


def grade_of_record(*, auditor_grade: str, moderator_grade: str | None) -> str:
    """The rule: the moderator's overall grade when there is a current moderation, else the auditor's ("" when
    the audit has no grade yet)."""
    return moderator_grade or auditor_grade


def current_moderation_subquery() -> QuerySet[Moderation]:
    """For use in a subquery over audits (`OuterRef("pk")`): the audit's moderations made since its last
    submission, latest first. Its first row, if any, is the audit's current moderation."""
    return Moderation.objects.filter(audit=OuterRef("pk"), created_at__gte=OuterRef("submitted_at")).order_by(
        "-created_at", "-pk"
    )


def current_moderation(audit: Audit) -> Moderation | None:
    """The audit's current moderation: the latest made since its last submission; None when it has not been
    submitted or not moderated since. One query, none for an audit not submitted."""
    if audit.submitted_at is None:
        return None
    return (
        Moderation.objects.filter(audit_id=audit.pk, created_at__gte=audit.submitted_at)
        .order_by("-created_at", "-pk")
        .first()
    )


def audit_grade_of_record(audit: Audit) -> str:
    """The audit's grade of record from its grades as they stand (see the module's docstring)."""
    moderation = current_moderation(audit)
    return grade_of_record(
        auditor_grade=audit.overall_grade,
        moderator_grade=moderation.overall_grade if moderation is not None else None,
    )


def current_of(audit: Audit, moderations: list[Moderation]) -> Moderation | None:
    """The current moderation among the audit's moderations already fetched (newest first, as the audit page
    prefetches them), without a query: the first made since the audit's last submission."""
    if audit.submitted_at is None:
        return None
    return next((m for m in moderations if m.created_at >= audit.submitted_at), None)
