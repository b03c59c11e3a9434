"""Case escalation pages: the list and the escalation page (history, acknowledge, resolve).

Every page goes through actions.access: an escalation the user may not see is a 404; one they may see but not
act on is a 403. What the page says about the record that triggered it comes from actions.sources. There is
no delete page: escalations are never deleted.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from actions import access, sources
from actions.filters import EscalationFilterSet
from actions.forms.escalations import AcknowledgeForm, ResolveForm
from actions.models import Escalation
from actions.selectors.escalations import rag
from actions.services import escalations as services
from qaf.access import get_for_user_or_404
from qaf.history.selectors import history_for
from qaf.lists import list_page, render_rows
from qaf.pages import form_saved, permit
from qaf.types import AuthenticatedHttpRequest


@login_required
def escalation_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    escalations = (
        access.escalations.visible(request.user)
        .select_related("agency", "head_of_service", "child")
        .order_by("status", "acknowledge_by", "pk")
    )
    listing = list_page(request, filterset_class=EscalationFilterSet, queryset=escalations)
    now = timezone.now()
    return render_rows(
        request, "actions/escalations/list.html", listing, lambda e: {"escalation": e, "rag": rag(e, now)}
    )


def _detail(request: AuthenticatedHttpRequest, escalation: Escalation, **forms) -> HttpResponse:
    user = request.user
    can_ack = access.escalations.can(user, "acknowledge", escalation)
    can_resolve = access.escalations.can(user, "resolve", escalation)
    source, record = sources.describe_source_of(user, escalation)
    context = {
        "escalation": escalation,
        "rag": rag(escalation, timezone.now()),
        "details": sources.details(record),
        "source": source,
        "themes": list(escalation.themes.all()),
        "events": list(history_for(escalation)),
        "acknowledge_form": (forms.get("acknowledge_form") or AcknowledgeForm()) if can_ack else None,
        "resolve_form": (forms.get("resolve_form") or ResolveForm()) if can_resolve else None,
    }
    return render(request, "actions/escalations/detail.html", context, status=forms.get("status", 200))


def _get(user, pk: int) -> Escalation:
    """The escalation with what its page shows, or Http404 when the user may not see it."""
    queryset = access.escalations.visible(user).select_related(
        "agency", "head_of_service", "child", "raised_by", "acknowledged_by", "resolved_by"
    )
    return get_for_user_or_404(queryset, pk=pk)


@login_required
def escalation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _get(request.user, pk))


def _escalation_form(
    request: AuthenticatedHttpRequest,
    pk: int,
    *,
    step: str,
    form_class: type[AcknowledgeForm | ResolveForm],
    service: Callable[..., object],
    done: str,
    refused: str,
) -> HttpResponse:
    """A POST of one of the escalation page's forms (`step`: the permission it needs, and the page names the form
    `<step>_form`): 403 with `refused` without the permission; `service` called with the escalation, the user
    and the form's fields, then back to the page with `done`; otherwise the page again with the errors (400)."""
    escalation = permit(access.escalations, request.user, step, _get(request.user, pk), refused)
    form = form_class(request.POST)
    to = reverse("actions:escalation-detail", args=[escalation.pk])
    saved = form_saved(
        request, form, lambda data: service(escalation=escalation, by=request.user, **data), done, to
    )
    return saved or _detail(request, escalation, **{f"{step}_form": form}, status=400)


@login_required
@require_POST
def escalation_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _escalation_form(
        request,
        pk,
        step="acknowledge",
        form_class=AcknowledgeForm,
        service=services.escalation_acknowledge,
        done="Escalation acknowledged",
        refused="Only the head of service of the agency can acknowledge this escalation.",
    )


@login_required
@require_POST
def escalation_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _escalation_form(
        request,
        pk,
        step="resolve",
        form_class=ResolveForm,
        service=services.escalation_resolve,
        done="Resolution recorded",
        refused="Only the head of service or an SQA officer can resolve this escalation.",
    )
