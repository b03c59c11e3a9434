"""Pages for moderation, the agreement between auditors and moderators, and re-audit comparison.

Each page fetches through audits.access first: an audit the user may not see is a 404; one they may see but
not act on is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from audits import access
from audits.filters import ModerationQueueFilterSet
from audits.forms.moderation import (
    AgreementFilterForm,
    ModerationForm,
    ReauditLinkForm,
)
from audits.models import Audit
from audits.selectors import moderation as moderation_selectors
from audits.selectors import reaudit as reaudit_selectors
from audits.services import moderation as services
from audits.views.audits import url_if_routed
from qaf.access import get_for_user_or_404
from qaf.lists import list_page, render_list
from qaf.pages import form_saved, permit, require
from qaf.types import AuthenticatedHttpRequest


def audit_url(pk: int) -> str | None:
    """The audit page, when its route is installed (it belongs to the audit pages' module)."""
    return url_if_routed("audits:audit-detail", pk)


def _audit_for_page(request: AuthenticatedHttpRequest, pk: int) -> Audit:
    """The audit with what these pages show of it; Http404 when the user may not see it."""
    queryset = (
        access.audits.visible(request.user)
        .select_related("tool_version__tool", "child", "agency")
        .prefetch_related("assignments__user")
    )
    return get_for_user_or_404(queryset, pk=pk)


@login_required
def audit_moderate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only the SQA service moderates submitted audits it did not complete."
    audit = moderation_selectors.audit_for_moderation(request.user, pk)
    permit(access.audits, request.user, "moderate", audit, refused)
    sections = moderation_selectors.sections_to_moderate(audit)
    form = ModerationForm(request.POST or None, sections=sections, auditor_grade=audit.overall_grade)

    def save(data: dict[str, Any]) -> object:
        return services.audit_moderate(
            audit=audit,
            moderator=request.user,
            overall_grade=data["overall_grade"],
            section_grades=form.section_grades(),
            notes=data["notes"],
        )

    saved = form_saved(
        request,
        form,
        save,
        "Moderation saved. The auditor's grades are kept beside yours.",
        audit_url(audit.pk) or reverse("audits:moderation"),
    )
    return saved or render(
        request,
        "audits/moderation/moderate.html",
        {
            "audit": audit,
            "audit_url": audit_url(audit.pk),
            "form": form,
            "rows": list(zip(sections, form.section_fields(), strict=True)),
        },
    )


@login_required
def moderation_queue(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    require(
        access.audits,
        request.user,
        "see_moderation_queue",
        "The queue of audits awaiting moderation is for the SQA service.",
    )
    listing = list_page(
        request,
        filterset_class=ModerationQueueFilterSet,
        queryset=moderation_selectors.moderation_queue(request.user),
    )
    if isinstance(listing, HttpResponseBase):  # only a list with a CSV download answers with one
        return listing
    return render_list(
        request,
        "audits/moderation/queue.html",
        listing,
        rows=moderation_selectors.queue_rows(listing.page.object_list, timezone.localdate()),
        can_see_agreement=access.audits.can(request.user, "see_agreement"),
    )


@login_required
def agreement(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(
        access.audits,
        request.user,
        "see_agreement",
        "The moderation page is for the SQA service and board members.",
    )
    partnership_id = request.user.partnership_id
    if partnership_id is None:
        raise PermissionDenied("The moderation page is for the SQA service and board members.")
    form = AgreementFilterForm(request.GET or None, partnership_id=partnership_id)
    summary = moderation_selectors.agreement_summary(partnership_id=partnership_id, filters=form.filters())
    return render(
        request,
        "audits/moderation/agreement.html",
        {
            "form": form,
            "summary": summary,
            "can_see_queue": access.audits.can(request.user, "see_moderation_queue"),
        },
    )


@login_required
def audit_compare(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    earlier, later = reaudit_selectors.reaudit_pair_for_user(request.user, pk)
    return render(
        request,
        "audits/moderation/compare.html",
        {
            "earlier": earlier,
            "later": later,
            "earlier_url": audit_url(earlier.pk),
            "later_url": audit_url(later.pk),
            "rows": reaudit_selectors.comparison_rows(earlier, later),
            "overall": reaudit_selectors.overall_row(earlier, later),
            "can_link": access.audits.can(request.user, "link_reaudit", later),
        },
    )


@login_required
def audit_reaudit_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only the SQA service marks re-audits."
    audit = permit(access.audits, request.user, "link_reaudit", _audit_for_page(request, pk), refused)
    form = ReauditLinkForm(
        request.POST or None,
        candidates=reaudit_selectors.reaudit_candidates(request.user, audit),
        initial={"earlier": audit.reaudit_of_id},
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.audit_reaudit_link(audit=audit, earlier=data["earlier"], by=request.user),
        "Re-audit recorded",
        reverse("audits:audit-compare", args=[audit.pk]),
    )
    return saved or render(
        request,
        "audits/moderation/reaudit_link.html",
        {"audit": audit, "audit_url": audit_url(audit.pk), "form": form},
    )
