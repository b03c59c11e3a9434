"""Reads of feedback invitations: list filters and status, the response rate, the link and its QR code, masked
contacts, the review prefill, and the "Ask for feedback" links the children pages show.

Functions that take a queryset expect one already scoped by feedback.access, so nothing here widens what a user
sees.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import segno
from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from ehcp import access as ehcp_access
from ehcp.models import AnnualReview
from feedback import access
from feedback.models import FeedbackInvitation, MeetingKind
from feedback.tokens import invitation_token
from qaf.figures import percent
from qaf.models import User

# The statuses of the list filter, as FeedbackInvitation.status() names them, with their words for people.
STATUS_LABELS = {
    "waiting": "Waiting for an answer",
    "answered": "Answered",
    "expired": "Expired",
    "failed": "Not sent",
    "withdrawn": "Withdrawn",
}
STATUS_TAGS = {
    "waiting": "govuk-tag--blue",
    "answered": "govuk-tag--green",
    "expired": "govuk-tag--grey",
    "failed": "govuk-tag--red",
    "withdrawn": "govuk-tag--grey",
}
# invitation_state() words, as in "This invitation has been ...".
STATE_WORDS = {"used": "answered", "withdrawn": "withdrawn", "expired": "expired", "open": "open"}

_MEETING_PHRASES: dict[str, str] = {
    MeetingKind.ANNUAL_REVIEW: "annual review meeting",
    MeetingKind.PLANNING: "EHC planning meeting",
    MeetingKind.OTHER: "meeting",
    MeetingKind.SURVEY: "staff survey",
}


def meeting_phrase(meeting_kind: str) -> str:
    """The meeting kind as words inside a sentence ("the annual review meeting on ...")."""
    return _MEETING_PHRASES.get(meeting_kind, "meeting")


def status_q(status: str, now: dt.datetime) -> Q:
    """The rows whose FeedbackInvitation.status() is `status` at `now`, as a query."""
    open_ = Q(responded_at__isnull=True, withdrawn_at__isnull=True)
    unsent = Q(sent_at__isnull=True) & ~Q(send_error="")
    return {
        "answered": Q(responded_at__isnull=False),
        "withdrawn": Q(responded_at__isnull=True, withdrawn_at__isnull=False),
        "expired": open_ & Q(expires_at__lte=now),
        "failed": open_ & Q(expires_at__gt=now) & unsent,
        "waiting": open_ & Q(expires_at__gt=now) & ~unsent,
    }[status]


@dataclass(frozen=True)
class ResponseRate:
    """Invitations sent (withdrawn ones apart), answered and withdrawn."""

    invited: int
    answered: int
    withdrawn: int

    @property
    def percent(self) -> int | None:
        """The share answered, as a whole percentage; None when none was sent."""
        return percent(self.answered, self.invited)


def response_rate(queryset: QuerySet[FeedbackInvitation]) -> ResponseRate:
    """Invitations (not counting withdrawn ones) and how many were answered, in one aggregate query."""
    totals = queryset.order_by().aggregate(
        invited=Count("pk", filter=Q(withdrawn_at__isnull=True) | Q(responded_at__isnull=False)),
        answered=Count("pk", filter=Q(responded_at__isnull=False)),
        withdrawn=Count("pk", filter=Q(withdrawn_at__isnull=False, responded_at__isnull=True)),
    )
    return ResponseRate(totals["invited"], totals["answered"], totals["withdrawn"])


def invitation_link(invitation: FeedbackInvitation) -> str:
    """The full address of the invitation's public form: SITE_URL/f/<token>/."""
    return f"{settings.SITE_URL.rstrip('/')}/f/{invitation_token(invitation)}/"


def invitation_short_link(invitation: FeedbackInvitation) -> str:
    """The short address of the same form, for typing in: SITE_URL/f/K7QM-3XPA."""
    return f"{settings.SITE_URL.rstrip('/')}/f/{invitation.short_code_display}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code for `text` (error correction M, 4 pixels a module), for a handout."""
    return segno.make(text, error="m").svg_inline(scale=4, border=2, omitsize=False)


def mask_contact(contact: str) -> str:
    """A contact shown without giving it away: p•••@example.com, 07•••••123."""
    if not contact:
        return ""
    if "@" in contact:
        local, _, domain = contact.rpartition("@")
        return f"{local[:1]}•••@{domain}"
    national = "0" + contact[3:] if contact.startswith("+44") else contact
    return f"{national[:2]}•••••{national[-3:]}"


def handout_rows(invitations: list[FeedbackInvitation]) -> list[dict[str, Any]]:
    """What each printed handout shows: the invitation, the QR code of its link, and the short address to
    type in instead (with the site's address and the code apart, so the code can be printed large)."""
    rows = []
    site = settings.SITE_URL.rstrip("/")
    for invitation in invitations:
        link = invitation_link(invitation)
        rows.append(
            {
                "invitation": invitation,
                "link": link,
                "short_link": invitation_short_link(invitation),
                "short_prefix": f"{site.split('://', 1)[-1]}/f/",
                "code": invitation.short_code_display,
                "qr": qr_svg(link),
                "meeting": meeting_phrase(invitation.meeting_kind),
                "expires_on": timezone.localtime(invitation.expires_at).date(),
            }
        )
    return rows


def review_for_invitation(user: User, review_id: object) -> AnnualReview | None:
    """The annual review `user` may see with this id (with its child), or None."""
    try:
        pk = int(str(review_id))
    except ValueError:
        return None
    return ehcp_access.reviews.visible(user).select_related("child").filter(pk=pk).first()


def meeting_followups(user: User, child: object, review: object = None) -> list[tuple[str, str]]:
    """The link the children pages show after an annual review meeting (registered with qaf.hooks): "Ask for
    feedback on this meeting", to the invitation form filled in from the review, for users who may invite.
    Nothing without a review that has a meeting date. No query."""
    if (
        not isinstance(review, AnnualReview)
        or review.meeting_on is None
        or not access.invitations.can(user, "invite")
    ):
        return []
    url = f"{reverse('feedback:invitation-create')}?review={review.pk}"
    return [("Ask for feedback on this meeting", url)]
