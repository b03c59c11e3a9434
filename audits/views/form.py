"""The audit form: a task list of the tool's sections, one page per section, the summary with check answers and
submit, and the confirmation.

The audit is fetched through access (invisible → 404); only users who may edit it now (access.audits.can(user, "edit"):
assignees, Level 3 panel members, the Level 4 lead, while it is scheduled or in progress) get the form
(otherwise 403).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from actions.selectors.sources import source_actions
from audits import access
from audits.forms.answering import AuditSummaryForm, SectionAnswersForm
from audits.models import Audit
from audits.selectors import answering as selectors
from audits.services import answering as services
from audits.views.audits import url_if_routed
from qaf.pages import apply_errors, permit
from qaf.types import AuthenticatedHttpRequest


def _audit_for_editing(request: AuthenticatedHttpRequest, pk: int) -> Audit:
    refused = "Only the audit's assignees can change it while it is open."
    return permit(access.audits, request.user, "edit", selectors.audit_for_form(request.user, pk), refused)


def _context(audit: Audit, **extra: object) -> dict[str, object]:
    return {"audit": audit, "detail_url": url_if_routed("audits:audit-detail", audit.pk), **extra}


@login_required
def audit_form(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The task list: each section with its status and grade, then "Check and submit"."""
    audit = _audit_for_editing(request, pk)
    progress = selectors.audit_progress(audit)
    completed = sum(1 for p in progress if p.status == selectors.COMPLETED)
    return render(
        request,
        "audits/form/task_list.html",
        _context(
            audit,
            progress=progress,
            completed=completed,
            source_actions=source_actions(request.user, audit),
        ),
    )


@login_required
def audit_form_section(request: AuthenticatedHttpRequest, pk: int, section_pk: int) -> HttpResponse:
    """One section: its questions with guidance, answers as radios, evidence notes."""
    audit = _audit_for_editing(request, pk)
    page = selectors.audit_section_page(audit, section_pk)
    form = SectionAnswersForm(request.POST or None, version=audit.tool_version, rows=page.progress.rows)
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_answers_save(
                audit=audit, by=request.user, section=page.progress.section, answers=form.answers()
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if request.POST.get("next") == "later":
                messages.success(request, f"Your answers to {page.progress.section} have been saved")
                return redirect("audits:audit-form", pk=audit.pk)
            if page.next_section_id:
                return redirect("audits:audit-form-section", pk=audit.pk, section_pk=page.next_section_id)
            return redirect("audits:audit-form-summary", pk=audit.pk)
    return render(request, "audits/form/section.html", _context(audit, page=page, form=form))


@login_required
def audit_form_summary(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Strengths, areas for development, themes, grade overrides; check answers; submit."""
    audit = _audit_for_editing(request, pk)
    progress = selectors.audit_progress(audit)
    theme_ids = list(audit.themes.values_list("pk", flat=True))
    form = AuditSummaryForm(request.POST or None, audit=audit, progress=progress, theme_ids=theme_ids)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.audit_summary_save(
                audit=audit,
                by=request.user,
                strengths=data["strengths"],
                areas=data["areas_for_development"],
                theme_ids=[t.pk for t in data["themes"]],
                section_overrides=form.section_overrides(),
                override_grade=data["override_grade"],
                override_reason=data["override_reason"],
            )
            if request.POST.get("action") == "submit":
                # The summary is kept even when submitting is refused, so no work is lost.
                services.audit_submit(audit=audit, by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
            progress = selectors.audit_progress(audit)
        else:
            if request.POST.get("action") == "submit":
                return redirect("audits:audit-form-submitted", pk=audit.pk)
            messages.success(request, "The summary has been saved")
            return redirect("audits:audit-form-summary", pk=audit.pk)
    context = _context(
        audit, progress=progress, form=form, source_actions=source_actions(request.user, audit)
    )
    return render(request, "audits/form/summary.html", context)


@login_required
def audit_form_submitted(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The confirmation page after submitting (anyone who may see the audit; an open audit goes to its form)."""
    audit = selectors.audit_for_form(request.user, pk)
    if audit.is_open:
        return redirect("audits:audit-form", pk=audit.pk)
    return render(request, "audits/form/submitted.html", _context(audit))
