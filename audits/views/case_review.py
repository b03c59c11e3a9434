"""Level 4 case review pages: the SQA officer names the lead board member; the lead (or the SQA officer)
records consent and the meeting with the child or young person and family."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from audits import access
from audits.forms.audits import CaseReviewForm, CaseReviewSetupForm
from audits.models import Audit, AuditLevel
from audits.services import case_review as services
from qaf.access import get_for_user_or_404
from qaf.pages import form_saved, permit
from qaf.types import AuthenticatedHttpRequest


def _level4(request: AuthenticatedHttpRequest, pk: int) -> Audit:
    queryset = access.audits.visible(request.user).select_related("child", "case_review__lead_board_member")
    audit = get_for_user_or_404(queryset, pk=pk)
    if audit.level != AuditLevel.CASE_REVIEW:
        raise Http404("Only a Level 4 audit has a case review record")
    return audit


def _audit_url(audit: Audit) -> str:
    return reverse("audits:audit-detail", args=[audit.pk])


@login_required
@require_http_methods(["GET", "POST"])
def case_review_setup(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only an SQA officer may set up a case review, while the audit is open."
    audit = permit(access.audits, request.user, "set_up_case_review", _level4(request, pk), refused)
    record = audit.case_review if hasattr(audit, "case_review") else None
    initial = {"lead_board_member": record.lead_board_member_id} if record else {}
    form = CaseReviewSetupForm(request.POST or None, initial=initial, partnership_id=audit.partnership_id)
    saved = form_saved(
        request,
        form,
        lambda data: services.case_review_setup(
            audit=audit, lead_board_member=data["lead_board_member"], by=request.user
        ),
        "Lead board member saved. They can now see this audit and the child.",
        _audit_url(audit),
    )
    context = {"audit": audit, "form": form, "record": record}
    return saved or render(request, "audits/audit/case_review_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_review_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    audit = _level4(request, pk)
    if not hasattr(audit, "case_review"):
        raise Http404("No case review has been set up for this audit")
    record = audit.case_review
    refused = "Only the lead board member and the audit's assignees may change the record."
    permit(access.audits, request.user, "edit", audit, refused)
    initial = {name: getattr(record, name) for name in (*CaseReviewForm.CONSENT, *CaseReviewForm.MEETING)}
    form = CaseReviewForm(request.POST or None, initial=initial)
    saved = form_saved(
        request,
        form,
        lambda data: services.case_review_update(record=record, by=request.user, **data),
        "Case review record saved",
        _audit_url(audit),
    )
    context = {"audit": audit, "record": record, "form": form}
    return saved or render(request, "audits/audit/case_review.html", context)
