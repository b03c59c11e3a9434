"""Case escalation pages: the list and the escalation page (history, acknowledge, resolve).

Every page goes through actions.access: an escalation the user may not see is a 404; one they may see but not
act on is a 403. What the page says about the record that triggered it comes from actions.sources. There is
no delete page: escalations are never deleted.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
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
from qaf.lists import ListPage, list_page, render_list
from qaf.pages import apply_errors
from qaf.types import AuthenticatedHttpRequest


@login_required
def escalation_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    escalations = (
        access.escalations.visible(request.user)
        .select_related("agency", "head_of_service", "child")
        .order_by("status", "acknowledge_by", "pk")
    )
    listing = list_page(request, filterset_class=EscalationFilterSet, queryset=escalations)
    if not isinstance(listing, ListPage):
        return listing
    now = timezone.now()
    rows = [{"escalation": e, "rag": rag(e, now)} for e in listing.page.object_list]
    return render_list(request, "actions/escalations/list.html", listing, rows=rows)


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


@login_required
@require_POST
def escalation_acknowledge(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = _get(request.user, pk)
    if not access.escalations.can(request.user, "acknowledge", escalation):
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
            return redirect("actions:escalation-detail", pk=escalation.pk)
    return _detail(request, escalation, acknowledge_form=form, status=400)


@login_required
@require_POST
def escalation_resolve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    escalation = _get(request.user, pk)
    if not access.escalations.can(request.user, "resolve", escalation):
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
            return redirect("actions:escalation-detail", pk=escalation.pk)
    return _detail(request, escalation, resolve_form=form, status=400)
