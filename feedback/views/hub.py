"""The voice start page: every part of the voice the user may use, in one place."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from feedback import access
from qaf.types import AuthenticatedHttpRequest


@dataclass(frozen=True)
class Section:
    title: str
    url: str
    description: str


def sections_for(user) -> list[Section]:
    """The voice sections the user may open, in the order the framework uses them."""
    sections: list[Section] = []

    def add(allowed: bool, title: str, url_name: str, description: str) -> None:
        if allowed:
            sections.append(Section(title, reverse(url_name), description))

    lists = access.complaints.can(user, "list")
    add(
        lists,
        "Feedback responses",
        "feedback:response-list",
        "What parents, young people and professionals said after meetings, and through the general form.",
    )
    add(
        lists,
        "Invitations",
        "feedback:invitation-list",
        "Send feedback links after planning meetings and annual reviews, print handouts, see who answered.",
    )
    add(
        access.responses.can(user, "see_analysis"),
        "Feedback analysis",
        "feedback:feedback-analysis",
        "Response rates by form, agency and term; scores and trends; themes in what people wrote.",
    )
    add(
        lists,
        "Complaints",
        "feedback:complaint-list",
        "The complaints log: the 20-working-day response clock, outcomes, Ombudsman enquiries and learning.",
    )
    add(lists, "Compliments", "feedback:compliment-list", "Compliments received by each agency.")
    add(
        access.complaints.can(user, "see_analysis"),
        "Compliments and complaints by quarter",
        "feedback:analysis",
        "Counts by category, stage, outcome and theme, with the share answered on time.",
    )
    add(
        access.advocacy.can(user, "list"),
        "Advocacy returns",
        "feedback:advocacy-list",
        "The advocacy service's quarterly returns: activity, outcomes, challenges and learning.",
    )
    add(
        access.complaints.can(user, "see_analysis"),
        "Six-monthly board summary",
        "feedback:board-summary",
        "Themes across complaints, compliments, feedback and advocacy for the SEND board.",
    )
    add(
        access.forms.can(user, "list"),
        "Feedback forms",
        "feedback:form-list",
        "The questions each form asks, in versions kept by the SQA officer.",
    )
    return sections


@login_required
def hub(request: AuthenticatedHttpRequest) -> HttpResponse:
    sections = sections_for(request.user)
    if not sections:
        raise PermissionDenied
    return render(request, "feedback/hub.html", {"sections": sections})
