"""Case escalation pages: the list, the escalation page (history, acknowledge, resolve), and raising a
safeguarding concern on an audit.

Every page goes through audits.access: an escalation or audit the user may not see is a 404; one they may see
but not act on is a 403. There is no delete page: escalations are never deleted.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from audits import access
from audits.forms.escalations import AcknowledgeForm, ConcernForm, EscalationFilterForm, ResolveForm
from audits.models import Escalation, EscalationStatus
from audits.services import escalations as services
from qaf.access import get_for_user_or_404
from qaf.pages import and_list, apply_errors

PAGE_SIZE = 25

EVENT_TITLES = {
    "raised": "Escalation raised",
    services.NOTIFIED: "Head of service told",
    services.CHASED: "Reminder sent",
    services.RAISED_TO_SQA: "Raised to the SQA lead",
    "acknowledged": "Acknowledged",
    "resolved": "Resolved",
}


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


def _event_view(event) -> dict:
    details = event.details or {}
    detail = details.get("note") or details.get("resolution") or ""
    if event.kind in (services.NOTIFIED, services.CHASED, services.RAISED_TO_SQA):
        detail = "Email sent" if details.get("recipients") else "Nobody with an email address to tell"
    return {"event": event, "title": EVENT_TITLES.get(event.kind, event.kind.capitalize()), "detail": detail}


def _told(escalation: Escalation) -> str:
    """Who the email about a new escalation goes to (services.escalation_recipients), by name and role."""
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


@login_required
def escalation_list(request: HttpRequest) -> HttpResponse:
    form = EscalationFilterForm(request.GET or None, user=request.user)
    escalations = (
        access.visible_escalations(request.user)
        .filter(**form.filters())
        .select_related("agency", "head_of_service", "child")
        .order_by("status", "acknowledge_by", "pk")
    )
    page = Paginator(escalations, PAGE_SIZE).get_page(request.GET.get("page"))
    now = timezone.now()
    rows = [{"escalation": e, "rag": rag(e, now)} for e in page.object_list]
    return render(
        request,
        "audits/escalations/list.html",
        {"form": form, "page": page, "rows": rows, "active_filters": form.active()},
    )


def _detail(request: HttpRequest, escalation: Escalation, **forms) -> HttpResponse:
    user = request.user
    can_ack = access.can_acknowledge(user, escalation)
    can_resolve = access.can_resolve(user, escalation)
    context = {
        "escalation": escalation,
        "rag": rag(escalation, timezone.now()),
        "concern": escalation.concern,
        "themes": list(escalation.themes.all()),
        "events": [_event_view(e) for e in escalation.events.select_related("user")],
        "audit_visible": bool(escalation.audit_id)
        and access.visible(user).filter(pk=escalation.audit_id).exists(),
        "acknowledge_form": (forms.get("acknowledge_form") or AcknowledgeForm()) if can_ack else None,
        "resolve_form": (forms.get("resolve_form") or ResolveForm()) if can_resolve else None,
    }
    return render(request, "audits/escalations/detail.html", context, status=forms.get("status", 200))


def _get(user, pk: int) -> Escalation:
    """The escalation with what its page shows, or Http404 when the user may not see it."""
    queryset = access.visible_escalations(user).select_related(
        "agency",
        "head_of_service",
        "child",
        "audit",
        "concern__raised_by",
        "raised_by",
        "acknowledged_by",
        "resolved_by",
    )
    return get_for_user_or_404(queryset, pk=pk)


@login_required
def escalation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request.user, pk))


@login_required
@require_POST
def escalation_acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get(request.user, pk)
    if not access.can_acknowledge(request.user, escalation):
        raise PermissionDenied("Only the head of service of the agency can acknowledge this escalation.")
    form = AcknowledgeForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_acknowledge(
                escalation=escalation, by=request.user, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Escalation acknowledged")
            return redirect("audits:escalation-detail", pk=escalation.pk)
    return _detail(request, escalation, acknowledge_form=form, status=400)


@login_required
@require_POST
def escalation_resolve(request: HttpRequest, pk: int) -> HttpResponse:
    escalation = _get(request.user, pk)
    if not access.can_resolve(request.user, escalation):
        raise PermissionDenied("Only the head of service or an SQA officer can resolve this escalation.")
    form = ResolveForm(request.POST)
    if form.is_valid():
        try:
            services.escalation_resolve(
                escalation=escalation, by=request.user, resolution=form.cleaned_data["resolution"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Resolution recorded")
            return redirect("audits:escalation-detail", pk=escalation.pk)
    return _detail(request, escalation, resolve_form=form, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def safeguarding_concern_raise(request: HttpRequest, pk: int) -> HttpResponse:
    audit = access.audit_get_for_user(request.user, pk)
    if not access.can_raise_concern(request.user, audit):
        raise PermissionDenied(
            "Only the audit's auditors or an SQA officer can raise a safeguarding concern."
        )
    form = ConcernForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            escalation = services.safeguarding_concern_raise(
                audit=audit, by=request.user, description=form.cleaned_data["description"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Safeguarding concern raised. {_told(escalation)}")
            return redirect("audits:escalation-detail", pk=escalation.pk)
    return render(request, "audits/escalations/concern.html", {"audit": audit, "form": form})
