"""Reads every versioned template's pages make: the numbers of a template's current and draft versions, and
those versions among its prefetched versions. Scoping is the caller's: these take querysets and rows already
limited to what the user may see."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import OuterRef, QuerySet, Subquery

from qaf.versioning.models import TemplateVersion, VersionedTemplate, VersionStatus

T = TypeVar("T", bound=VersionedTemplate)


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
