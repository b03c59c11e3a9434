"""Reads every versioned template's pages make: the numbers of a template's current and draft versions, those
versions among its prefetched versions, and one version for its page. Scoping is the caller's: these take
querysets and rows already limited to what the user may see."""

from __future__ import annotations

from typing import Any, TypeVar

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from qaf.access import get_for_user_or_404
from qaf.versioning.models import TemplateVersion, VersionedTemplate, VersionStatus

T = TypeVar("T", bound=VersionedTemplate)
V = TypeVar("V", bound=TemplateVersion)


def _number_of(version_model: type[TemplateVersion], status: str) -> Subquery:
    return Subquery(
        version_model._default_manager.filter(
            **{version_model.TEMPLATE_FIELD: OuterRef("pk"), "status": status}
        )
        .order_by("-number")
        .values("number")[:1]
    )


def with_version_numbers(templates: QuerySet[T], version_model: type[TemplateVersion]) -> QuerySet[T]:
    """`templates` annotated with `current_number` (the approved version's number, or None) and
    `draft_number` (or None), in the same query."""
    # The django-stubs plugin types annotate() on a type-variable queryset as annotating the variable's bound.
    return templates.annotate(  # type: ignore[return-value]
        current_number=_number_of(version_model, VersionStatus.APPROVED),
        draft_number=_number_of(version_model, VersionStatus.DRAFT),
    )


def current_version(template: VersionedTemplate) -> TemplateVersion | None:
    """The approved version among the template's (prefetched) versions, if any."""
    return next((v for v in template.versions.all() if v.status == VersionStatus.APPROVED), None)


def draft_version(template: VersionedTemplate) -> TemplateVersion | None:
    """The draft version among the template's (prefetched) versions, if any."""
    return next((v for v in template.versions.all() if v.status == VersionStatus.DRAFT), None)


def version_for_page_of(
    version_model: type[V],
    templates: QuerySet[Any],
    template_pk: int,
    number: int,
    content: Prefetch[str, QuerySet[Any]],
) -> V:
    """Version `number` of the template `template_pk` among `templates` (those the user may see), with its
    template and who made and approved it, its content prefetched by `content`; Http404 otherwise, the same for
    a version that does not exist and one of a template the user may not see."""
    field = version_model.TEMPLATE_FIELD
    versions = (
        version_model._default_manager.filter(**{f"{field}__in": templates})
        .select_related(field, "created_by", "approved_by")
        .prefetch_related(content)
    )
    version: V = get_for_user_or_404(versions, **{f"{field}_id": template_pk, "number": number})
    return version
