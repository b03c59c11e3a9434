"""Reads for the escalations list and page: the acknowledgement RAG, and who was told of a new escalation.
The list's filters are actions.filters.EscalationFilterSet, over actions.access.escalations.visible."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from actions.models import Escalation, EscalationStatus
from actions.services import escalations as services
from qaf.pages import and_list


def rag(escalation: Escalation, now: dt.datetime) -> str:
    """Red when the acknowledgement is overdue, amber when it is due today, green otherwise; "" once
    acknowledged or resolved."""
    if escalation.status != EscalationStatus.OPEN:
        return ""
    if escalation.acknowledge_by < now:
        return "red"
    if timezone.localtime(escalation.acknowledge_by).date() == timezone.localtime(now).date():
        return "amber"
    return "green"


def escalation_told(escalation: Escalation) -> str:
    """Who the email about a new escalation goes to (services.escalation_recipients), by name and role, as the
    confirmation of the page that raised it says."""
    people = services.escalation_recipients(escalation)
    agency = escalation.agency.name
    head = escalation.head_of_service
    if head is not None and people == [head]:
        return f"{head.display_name} (head of service, {agency}) has been told."
    if not people:
        return (
            f"Nobody has been emailed: {agency} has no head of service to tell, and there is no SQA officer."
        )
    role = "SQA officer" if len(people) == 1 else "SQA officers"
    names = and_list([person.display_name for person in people])
    verb = "has" if len(people) == 1 else "have"
    return f"There is no head of service to tell for {agency}: {names} ({role}) {verb} been told."
