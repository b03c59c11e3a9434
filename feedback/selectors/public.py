"""Reads for the public feedback pages: the general form of a partnership, the services it can be about, and
the pages of a form. Nothing here needs a user: these pages are open to anyone."""

from __future__ import annotations

from feedback.models import (
    Audience,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
)
from qaf.models import Agency, AgencyKind, Partnership


def general_version(*, partnership_slug: str) -> FeedbackFormVersion | None:
    """The approved version of the partnership's general form (audience "public", not retired; the oldest such
    form when there are several), with its form and partnership loaded, or None when the partnership or form is
    missing."""
    return (
        FeedbackFormVersion.objects.select_related("form__partnership")
        .filter(
            form__partnership__slug=partnership_slug,
            form__audience=Audience.PUBLIC,
            form__retired_at__isnull=True,
            status=FormVersionStatus.APPROVED,
        )
        .order_by("form__pk")
        .first()
    )


def general_versions() -> list[FeedbackFormVersion]:
    """One approved general form version per partnership that has one in use, in partnership name order (one
    query)."""
    versions = (
        FeedbackFormVersion.objects.select_related("form__partnership")
        .filter(
            form__audience=Audience.PUBLIC, form__retired_at__isnull=True, status=FormVersionStatus.APPROVED
        )
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


def partnership_for_slug(slug: str) -> Partnership | None:
    """The partnership a public address names, or None (for the wording of a "not found" page)."""
    return Partnership.objects.filter(slug=slug).first()


def version_questions(*, version: FeedbackFormVersion) -> list[FeedbackQuestion]:
    """The version's questions in the order respondents see them: by page, then order on the page."""
    return list(version.questions.order_by("page", "order", "pk"))


def version_pages(*, version: FeedbackFormVersion) -> list[list[FeedbackQuestion]]:
    """The version's questions grouped by page, in page order; the first group is page 1 whatever its number."""
    pages: dict[int, list[FeedbackQuestion]] = {}
    for question in version_questions(version=version):
        pages.setdefault(question.page, []).append(question)
    return [pages[number] for number in sorted(pages)]


def response_sent(
    *,
    submission_key: str,
    invitation: FeedbackInvitation | None = None,
    partnership: Partnership | None = None,
) -> bool:
    """Has a response already been taken with this submission key (for this invitation, or for this
    partnership's general form)? A form sent again after it went through is then thanked, not taken twice."""
    responses = FeedbackResponse.objects.filter(submission_key=submission_key)
    if invitation is not None:
        return responses.filter(invitation=invitation).exists()
    return responses.filter(partnership=partnership).exists()
