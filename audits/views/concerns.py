"""Raising a safeguarding concern on an audit: it is escalated at once to the head of service, whose escalation
page (actions) the user is taken to.

An audit the user may not see is a 404; one they may see but not raise a concern on is a 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions.selectors.escalations import escalation_told
from audits import access
from audits.forms.concerns import ConcernForm
from audits.services import escalations as services
from qaf.pages import form_saved, get_permitted
from qaf.types import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def safeguarding_concern_raise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only the audit's auditors or an SQA officer can raise a safeguarding concern."
    audit = get_permitted(access.audits, request.user, pk, "raise_concern", refused)
    form = ConcernForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: services.safeguarding_concern_raise(
            audit=audit, by=request.user, description=data["description"]
        ),
        lambda escalation: f"Safeguarding concern raised. {escalation_told(escalation)}",
        lambda escalation: reverse("actions:escalation-detail", args=[escalation.pk]),
    )
    return saved or render(request, "audits/audit/concern.html", {"audit": audit, "form": form})
