"""The child's page sections the voice draws (registered with qaf.hooks): the child's complaints, and the
feedback asked for after the child's meetings.

Each section is its list page cut to the child: the same access function and the same filter code, so a user
sees on the child's page exactly the rows they would see in that list filtered to this child, newest first,
the latest qaf.hooks.PANEL_ROWS of them with a link to the full list. Responses never show a child, so the feedback
section shows the invitations (meeting, who was asked, how, answered or not), never an answer.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from ehcp.models import Child
from feedback import access
from feedback.models import FeedbackInvitation
from feedback.selectors import invitations as invitation_selectors
from feedback.selectors.complaints import response_clock
from qaf.hooks import ChildPanel, child_list_url, child_panel
from qaf.models import User


def complaints_panel(user: User, child: object) -> ChildPanel | None:
    """The child's complaints the user may see (feedback.access.complaints.visible, as the complaints list),
    latest received first: received, category, stage, and the response clock. None for users without the
    complaints list (board members see the analysis only)."""
    assert isinstance(child, Child)  # qaf.hooks passes the child of the page
    if not access.complaints.can(user, "list"):
        return None
    today = timezone.localdate()
    complaints = access.complaints.visible(user).filter(child_id=child.pk)
    return child_panel(
        complaints.select_related("agency").order_by("-received_on", "-pk"),
        row=lambda complaint: {"object": complaint, "clock": response_clock(complaint, today)},
        order=40,
        key="complaints",
        title="Complaints",
        template="feedback/child_panels/complaints.html",
        list_url=child_list_url("feedback:complaint-list", child),
        more_label="See all {total} complaints about this child",
        empty="There are no complaints about this child in your complaints list.",
    )


def invitations_panel(user: User, child: object) -> ChildPanel | None:
    """The feedback asked for after the child's meetings (feedback.access.invitations.visible, as the
    invitations list), latest meeting first: the meeting, who was invited and how, and whether they answered,
    with the response rate over all of them. None for users without the invitations list."""
    assert isinstance(child, Child)  # qaf.hooks passes the child of the page
    if not access.complaints.can(user, "list"):
        return None
    now = timezone.now()
    invitations = access.invitations.visible(user).filter(child_id=child.pk).order_by("-meeting_on", "-pk")

    def row(invitation: FeedbackInvitation) -> dict[str, Any]:
        status = invitation.status(now)
        return {
            "object": invitation,
            "label": invitation_selectors.STATUS_LABELS[status],
            "tag": invitation_selectors.STATUS_TAGS[status],
        }

    return child_panel(
        invitations.select_related("agency"),
        row=row,
        context=lambda total: {"rate": invitation_selectors.response_rate(invitations) if total else None},
        order=50,
        key="feedback",
        title="Feedback after meetings",
        template="feedback/child_panels/invitations.html",
        list_url=child_list_url("feedback:invitation-list", child),
        more_label="See all {total} feedback invitations for this child",
        empty="There are no feedback invitations for this child's meetings in your invitations list.",
    )
