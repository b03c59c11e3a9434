"""Reads for the public feedback pages: the general form of a partnership, the services it can be about, and
the pages of a form. Nothing here needs a user: these pages are open to anyone."""

from __future__ import annotations

from feedback.models import Audience, FeedbackFormVersion, FeedbackQuestion, FormVersionStatus
from qaf.models import Agency, AgencyKind, Partnership


def general_version(*, partnership_slug: str) -> FeedbackFormVersion | None:
    """The approved version of the partnership's general form (audience "public"; the oldest such form when
    there are several), with its form and partnership loaded, or None when the partnership or form is missing."""
    return (
        FeedbackFormVersion.objects.select_related("form__partnership")
        .filter(
            form__partnership__slug=partnership_slug,
            form__audience=Audience.PUBLIC,
            status=FormVersionStatus.APPROVED,
        )
        .order_by("form__pk")
        .first()
    )


def general_versions() -> list[FeedbackFormVersion]:
    """One approved general form version per partnership that has one, in partnership name order (one query)."""
    versions = (
        FeedbackFormVersion.objects.select_related("form__partnership")
        .filter(form__audience=Audience.PUBLIC, status=FormVersionStatus.APPROVED)
        .order_by("form__partnership__name", "form__pk")
    )
    chosen: dict[int, FeedbackFormVersion] = {}
    for version in versions:
        chosen.setdefault(version.form.partnership_id, version)
    return list(chosen.values())


def general_agencies(*, partnership: Partnership) -> list[Agency]:
    """The services a general response can be about: the partnership's active agencies, except the quality
    assurance service itself, by name."""
    return list(
        Agency.objects.filter(partnership=partnership, is_active=True)
        .exclude(kind=AgencyKind.SQA)
        .order_by("name")
    )


def version_pages(*, version: FeedbackFormVersion) -> list[list[FeedbackQuestion]]:
    """The version's questions grouped by page, in page order; the first group is page 1 whatever its number."""
    pages: dict[int, list[FeedbackQuestion]] = {}
    for question in version.questions.order_by("page", "order", "pk"):
        pages.setdefault(question.page, []).append(question)
    return [pages[number] for number in sorted(pages)]
