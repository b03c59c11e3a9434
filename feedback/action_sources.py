"""The voice's records that remedial actions come from, registered with actions.sources (from
FeedbackConfig.ready()): complaints, which an SQA officer or a manager of the complaint's agency raises actions
from ("Raise a remedial action" on the complaint page), for the staff of that agency."""

from __future__ import annotations

from django.urls import reverse

from actions.sources import register_source
from feedback import access


def register() -> None:
    register_source(
        "complaint",
        "feedback.Complaint",
        heading="Complaint",
        noun="complaint",
        visible=access.complaints.visible,
        url=lambda complaint: reverse("feedback:complaint-detail", args=[complaint.pk]),
        linkable=True,
        child_of=lambda complaint: complaint.child,
        agency_of=lambda complaint: complaint.agency,
    )
