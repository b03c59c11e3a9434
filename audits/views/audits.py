"""Audit pages: the list, "my audits", the audit page, and the SQA officer's reopen and close.

Every page goes through audits.access: an audit the user may not see is a 404, one they may see but not
act on is a 403.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from actions.selectors.sources import source_actions
from audits import access
from audits.filters import AuditFilterSet
from audits.forms.audits import ReopenForm
from audits.models import Audit
from audits.selectors import audits as selectors
from audits.selectors import grades
from audits.services import workflow
from qaf.history.selectors import history_for
from qaf.lists import PAGE_SIZE, Csv, list_page, render_list
from qaf.models import User
from qaf.pages import change_confirmed, form_saved, get_permitted
from qaf.types import AuthenticatedHttpRequest


def url_if_routed(name: str, *args: object) -> str | None:
    """The URL of a page another part of the audit engine provides, or None while it has no route."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


@login_required
def audit_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    listing = list_page(
        request,
        filterset_class=AuditFilterSet,
        queryset=selectors.audits_for_list(request.user),
        # Exactly the filtered rows of the list (every page), with both grades and the grade of record.
        csv=Csv(
            filename=lambda: f"audits-{timezone.localdate().isoformat()}.csv",
            rows=lambda audits: (selectors.AUDIT_CSV_COLUMNS, selectors.audit_csv_rows(audits)),
        ),
    )
    return render_list(request, "audits/audit/list.html", listing, today=timezone.localdate())


@login_required
def my_audits(request: AuthenticatedHttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_audits(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "audits/audit/my_audits.html", {"page": page, "today": timezone.localdate()})


def _actions(user: User, audit: Audit) -> dict[str, str | None]:
    """The buttons the audit page offers this user (None for those they may not use)."""
    pk = audit.pk
    has_record = hasattr(audit, "case_review")
    return {
        "form": url_if_routed("audits:audit-form", pk) if access.audits.can(user, "edit", audit) else None,
        "moderate": url_if_routed("audits:audit-moderate", pk)
        if access.audits.can(user, "moderate", audit)
        else None,
        "reopen": reverse("audits:audit-reopen", args=[pk])
        if access.audits.can(user, "reopen", audit)
        else None,
        "close": reverse("audits:audit-close", args=[pk])
        if access.audits.can(user, "close", audit)
        else None,
        "panel": reverse("audits:audit-panel", args=[pk])
        if access.audits.can(user, "manage_panel", audit)
        else None,
        "concern": (
            reverse("audits:safeguarding-concern-raise", args=[pk])
            if access.audits.can(user, "raise_concern", audit)
            else None
        ),
        "case_review_setup": (
            reverse("audits:case-review-setup", args=[pk])
            if access.audits.can(user, "set_up_case_review", audit)
            else None
        ),
        "case_review": (
            reverse("audits:case-review", args=[pk])
            if has_record and access.audits.can(user, "edit", audit)
            else None
        ),
    }


@login_required
def audit_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    audit = selectors.audit_for_page(request.user, pk)
    moderations = list(audit.moderations.all())
    reaudits = list(audit.reaudits.all())
    compare = None
    if audit.reaudit_of_id or reaudits:
        compare = url_if_routed("audits:audit-compare", audit.pk)
    return render(
        request,
        "audits/audit/detail.html",
        {
            "audit": audit,
            "sections": selectors.audit_sections(audit),
            "assignments": list(audit.assignments.all()),
            "panel": list(audit.panel_members.all()),
            "themes": list(audit.themes.all()),
            "moderations": moderations,
            "current_moderation": grades.current_of(audit, moderations),
            "events": list(history_for(audit)),
            "reaudits": reaudits,
            "compare_url": compare,
            "case_review": audit.case_review if hasattr(audit, "case_review") else None,
            "child_visible": selectors.audit_child_is_visible(request.user, audit),
            "actions": _actions(request.user, audit),
            "source_actions": source_actions(request.user, audit),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def audit_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only an SQA officer may reopen a submitted audit."
    audit = get_permitted(access.audits, request.user, pk, "reopen", refused)
    form = ReopenForm(request.POST or None)
    saved = form_saved(
        request,
        form,
        lambda data: workflow.audit_reopen(audit=audit, by=request.user, reason=data["reason"]),
        "Audit reopened. Its auditors can change it again.",
        reverse("audits:audit-detail", args=[audit.pk]),
    )
    return saved or render(request, "audits/audit/reopen.html", {"audit": audit, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def audit_close(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    audit = get_permitted(
        access.audits, request.user, pk, "close", "Only an SQA officer may close a submitted audit."
    )
    outcome = change_confirmed(
        request,
        lambda: workflow.audit_close(audit=audit, by=request.user),
        "Audit closed",
        reverse("audits:audit-detail", args=[audit.pk]),
    )
    return outcome.response or render(
        request, "audits/audit/close.html", {"audit": audit, "error": outcome.error}
    )
