"""The Level 3 panel page: the SQA officer adds and removes members from several agencies."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from audits import access
from audits.forms.audits import PanelMemberForm
from audits.models import Audit, PanelMember
from audits.services import panel as panel_services
from qaf.access import get_for_user_or_404
from qaf.models import Agency, User
from qaf.pages import apply_errors, permit
from qaf.types import AuthenticatedHttpRequest


def _managed_audit(request: AuthenticatedHttpRequest, pk: int) -> Audit:
    queryset = (
        access.audits.visible(request.user)
        .select_related("child", "agency")
        .prefetch_related(
            Prefetch(
                "panel_members",
                queryset=PanelMember.objects.select_related("user", "agency").order_by("agency__name", "pk"),
            )
        )
    )
    refused = "Only an SQA officer may change a Level 3 panel."
    return permit(access.audits, request.user, "manage_panel", get_for_user_or_404(queryset, pk=pk), refused)


@login_required
@require_http_methods(["GET", "POST"])
def panel_manage(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    audit = _managed_audit(request, pk)
    members = list(audit.panel_members.all())
    form = PanelMemberForm(
        request.POST or None,
        partnership_id=audit.partnership_id,
        exclude_user_ids=[m.user_id for m in members],
    )
    if request.method == "POST" and form.is_valid():
        user_id, agency_id = form.cleaned_data["member"]
        user = User.objects.filter(pk=user_id).first()
        agency = Agency.objects.filter(pk=agency_id).first()
        try:
            if user is None or agency is None:
                raise ValidationError({"member": "Choose a person from the list"})
            panel_services.panel_member_add(audit=audit, user=user, agency=agency, by=request.user)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                error = ValidationError({"member": [m for msgs in error.message_dict.values() for m in msgs]})
            apply_errors(form, error)
        else:
            messages.success(request, f"{user.display_name} added to the panel")
            return redirect("audits:audit-panel", pk=audit.pk)
    return render(request, "audits/audit/panel.html", {"audit": audit, "members": members, "form": form})


@login_required
@require_POST
def panel_remove(request: AuthenticatedHttpRequest, pk: int, user_pk: int) -> HttpResponse:
    audit = _managed_audit(request, pk)
    member = next((m for m in audit.panel_members.all() if m.user_id == user_pk), None)
    if member is None:
        raise Http404("Not on this panel")
    try:
        panel_services.panel_member_remove(audit=audit, user=member.user, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{member.user.display_name} removed from the panel")
    return redirect("audits:audit-panel", pk=audit.pk)
