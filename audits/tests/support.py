"""Helpers shared by the audits tests (no tests of its own): who reads the audit tools, an audit at a level of
its own with a tool for that level, the status codes a user gets for an audit's page and its child's page, and
answering every question of an audit through the services. (Query-count tests measure with
actions.tests.support.queries_as_rows_grow.)"""

from __future__ import annotations

from django.urls import reverse

from audits.models import Audit
from audits.services.answering import audit_answers_save
from audits.tests.factories import AuditFactory, make_tool_version

# The personas who read the partnership's audit tools, on the pages and through the API (board members and
# other partnerships' staff do not).
TOOL_READERS = [
    "sqa_officer",
    "sat_caseworker",
    "agency_manager",
    "other_agency_manager",
    "practitioner",
    "partnership_admin",
]


def sqa_audit(area, *, level: int, child) -> Audit:
    """An audit of `child` at `level` (3 or 4) by the SQA service of `area`, with a tool for that level only."""
    return AuditFactory(
        agency=area.sqa,
        level=level,
        child=child,
        tool_version=make_tool_version(area.partnership, levels=[level]),
    )


def page_statuses(client, audit: Audit, child) -> tuple[int, int]:
    """The status codes the signed-in user gets for the audit's page and for its child's page."""
    return (
        client.get(reverse("audits:audit-detail", args=[audit.pk])).status_code,
        client.get(reverse("ehcp:child-detail", args=[child.pk])).status_code,
    )


def answer_everything(audit: Audit, user, value: str) -> None:
    """Answers every question of the audit with `value` (3 grades Good, 1 Inadequate, "na" not applicable),
    without evidence, through the services, and reloads the audit."""
    for section in audit.tool_version.sections.prefetch_related("questions"):
        audit_answers_save(
            audit=audit,
            by=user,
            section=section,
            answers={q.pk: (value, "") for q in section.questions.all()},
        )
    audit.refresh_from_db()
