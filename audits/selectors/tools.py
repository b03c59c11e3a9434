"""Reads of audit tools for the pages and the API, always scoped through audits.access.tools.visible."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from audits import access
from audits.models import AuditTool, AuditToolVersion, ToolQuestion, ToolSection
from qaf.access import get_for_user_or_404
from qaf.models import User
from qaf.versioning.selectors import version_for_page_of, with_version_numbers


def tools_filtered(
    tools: QuerySet[AuditTool], *, kind: str = "", level: int | None = None
) -> QuerySet[AuditTool]:
    """Narrow an already scoped queryset of tools by kind and by a level they serve."""
    if kind:
        tools = tools.filter(kind=kind)
    if level:
        # `levels` is a JSON list (so the embedded SQLite mode works); a partnership has tens of tools, so
        # reading their levels is cheaper than a database-specific JSON lookup.
        serving = [pk for pk, levels in tools.values_list("pk", "levels") if int(level) in (levels or [])]
        tools = tools.filter(pk__in=serving)
    return tools


def tools_for_list(user: User, *, kind: str = "", level: int | None = None) -> QuerySet[AuditTool]:
    """The tools the user may see, by name, each annotated with `current_number` (the approved version's
    number, or None), `draft_number` (or None) and `version_count`."""
    tools = tools_filtered(access.tools.visible(user), kind=kind, level=level)
    numbered: QuerySet[AuditTool] = with_version_numbers(tools, AuditToolVersion)
    return numbered.annotate(version_count=Count("versions")).order_by("name", "pk")


def sections_with_questions() -> Prefetch[str, QuerySet[ToolSection]]:
    """Prefetch a version's sections in order, each with its questions in order."""
    return Prefetch(
        "sections",
        queryset=ToolSection.objects.order_by("order", "pk").prefetch_related(
            Prefetch("questions", queryset=ToolQuestion.objects.order_by("order", "pk"))
        ),
    )


def tools_with_content(user: User) -> QuerySet[AuditTool]:
    """The tools the user may see with every version (newest first) and its sections and questions
    prefetched: a constant number of queries however many tools, versions and questions there are."""
    versions = AuditToolVersion.objects.order_by("-number").prefetch_related(sections_with_questions())
    return (
        access.tools.visible(user)
        .prefetch_related(Prefetch("versions", queryset=versions))
        .order_by("name", "pk")
    )


def tool_for_page(user: User, pk: int) -> AuditTool:
    """One tool the user may see, with its versions newest first (each annotated with `audit_count`, the
    audits that used it, and with who created and approved it); Http404 otherwise."""
    versions = (
        AuditToolVersion.objects.order_by("-number")
        .select_related("created_by", "approved_by")
        .annotate(audit_count=Count("audits"))
    )
    tool: AuditTool = get_for_user_or_404(
        access.tools.visible(user).prefetch_related(Prefetch("versions", queryset=versions)), pk=pk
    )
    return tool


def version_for_page(user: User, tool_pk: int, number: int) -> AuditToolVersion:
    """One version of a tool the user may see, with its tool, sections and questions; Http404 otherwise."""
    return version_for_page_of(
        AuditToolVersion, access.tools.visible(user), tool_pk, number, sections_with_questions()
    )


def version_content(version: AuditToolVersion) -> list[ToolSection]:
    """A version's sections with their questions, in order (one query for each, whatever their number)."""
    return list(
        version.sections.order_by("order", "pk").prefetch_related(
            Prefetch("questions", queryset=ToolQuestion.objects.order_by("order", "pk"))
        )
    )
