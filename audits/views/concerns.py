"""Raising a safeguarding concern on an audit: it is escalated at once to the head of service, whose escalation
page (actions) the user is taken to.

An audit the user may not see is a 404; one they may see but not raise a concern on is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from actions.selectors.escalations import escalation_told
from audits import access
from audits.forms.concerns import ConcernForm
from audits.services import escalations as services
from qaf.pages import apply_errors
from qaf.types import AuthenticatedHttpRequest


@login_required
@require_http_methods(["GET", "POST"])
def safeguarding_concern_raise(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    audit = access.audits.get_for_user(request.user, pk)
    if not access.audits.can(request.user, "raise_concern", audit):
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
            messages.success(request, f"Safeguarding concern raised. {escalation_told(escalation)}")
            return redirect("actions:escalation-detail", pk=escalation.pk)
    return render(request, "audits/audit/concern.html", {"audit": audit, "form": form})
