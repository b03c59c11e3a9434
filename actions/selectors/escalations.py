"""Reads for the escalations list and page and the escalations API: the filters, the acknowledgement RAG, and
who was told of a new escalation. Every list starts from actions.access.escalations.visible."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from actions.models import Escalation, EscalationStatus
from actions.services import escalations as services
from qaf.models import Term
from qaf.pages import and_list


@dataclass(frozen=True)
class EscalationFilters:
    agency_id: int | None = None
    status: str = ""
    trigger: str = ""
    theme_id: int | None = None
    term_id: int | None = None
    overdue: bool | None = None


def escalations_filtered(
    queryset: QuerySet[Escalation], filters: EscalationFilters, now: dt.datetime | None = None
) -> QuerySet[Escalation]:
    """Apply the escalation filters to an already-scoped queryset. The term: escalations raised within it;
    overdue: waiting for acknowledgement past its deadline."""
    if filters.agency_id:
        queryset = queryset.filter(agency_id=filters.agency_id)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.trigger:
        queryset = queryset.filter(trigger=filters.trigger)
    if filters.theme_id:
        tagged = Escalation.themes.through.objects.filter(theme_id=filters.theme_id)
        queryset = queryset.filter(pk__in=tagged.values("escalation_id"))
    if filters.term_id:
        term = Term.objects.filter(pk=filters.term_id).first()
        if term is None:
            return queryset.none()
        queryset = queryset.filter(
            partnership_id=term.academic_year.partnership_id,
            raised_at__date__gte=term.starts_on,
            raised_at__date__lte=term.ends_on,
        )
    if filters.overdue is not None:
        late = Q(status=EscalationStatus.OPEN, acknowledge_by__lt=now or timezone.now())
        queryset = queryset.filter(late) if filters.overdue else queryset.exclude(late)
    return queryset


def rag(escalation: Escalation, now: dt.datetime) -> str:
    """red when the acknowledgement is overdue, amber when it is due today, green otherwise; "" once
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
    if escalation.head_of_service_id and people == [escalation.head_of_service]:
        return f"{escalation.head_of_service.display_name} (head of service, {agency}) has been told."
    if not people:
        return (
            f"Nobody has been emailed: {agency} has no head of service to tell, and there is no SQA officer."
        )
    role = "SQA officer" if len(people) == 1 else "SQA officers"
    names = and_list([person.display_name for person in people])
    verb = "has" if len(people) == 1 else "have"
    return f"There is no head of service to tell for {agency}: {names} ({role}) {verb} been told."
