"""Complaint and compliment pages: lists with filters and the response clock, the complaint page with its
history, log and change forms, and the quarterly analysis (counts only, for SQA and the board).

Every page goes through feedback.access: a complaint the user may not see is a 404; one they may see but not
change is a 403. Board members reach the analysis only.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions.selectors import sources as action_sources
from feedback import access
from feedback.filters import ComplaintFilterSet, ComplimentFilterSet
from feedback.forms.complaints import (
    ComplaintChangeForm,
    ComplaintForm,
    ComplimentForm,
)
from feedback.selectors import complaints as selectors
from feedback.services import complaints as services
from qaf.history.selectors import history_for
from qaf.lists import Csv, ListPage, list_page, render_list
from qaf.pages import apply_errors, posted
from qaf.types import AuthenticatedHttpRequest


def _require_lists(request: AuthenticatedHttpRequest) -> None:
    if not access.complaints.can(request.user, "list"):
        raise PermissionDenied("Complaints and compliments are seen by the staff of each agency.")


@login_required
@require_safe
def complaint_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_lists(request)
    today = timezone.localdate()
    listing = list_page(
        request,
        filterset_class=ComplaintFilterSet,
        queryset=access.complaints.visible(request.user).select_related("agency", "child"),
        csv=Csv(
            filename=lambda: f"complaints-{today.isoformat()}.csv",
            rows=lambda rows: (
                selectors.COMPLAINT_CSV_COLUMNS,
                selectors.complaint_csv_rows(rows, today=today),
            ),
        ),
    )
    if not isinstance(listing, ListPage):
        return listing
    rows = [{"complaint": c, "clock": selectors.response_clock(c, today)} for c in listing.page.object_list]
    return render_list(
        request,
        "feedback/complaint_list.html",
        listing,
        rows=rows,
        can_log=access.complaints.can(request.user, "log"),
        can_see_analysis=access.complaints.can(request.user, "see_analysis"),
    )


@login_required
@require_safe
def complaint_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.complaints.get_for_user(request.user, pk)
    user = request.user
    actions = action_sources.source_actions(user, complaint)
    context = {
        "complaint": complaint,
        "clock": selectors.response_clock(complaint, timezone.localdate()),
        "themes": list(complaint.themes.all()),
        "events": list(history_for(complaint)),
        "can_change": access.complaints.can(user, "change", complaint),
        "actions": actions.actions,
        "raise_url": actions.raise_url,
    }
    return render(request, "feedback/complaint_detail.html", context)


@login_required
def complaint_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.complaints.can(request.user, "log"):
        raise PermissionDenied("Agency managers, heads of service and SQA officers log complaints.")
    form = ComplaintForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            complaint = services.complaint_log(
                by=request.user,
                agency=data["agency"],
                received_on=data["received_on"],
                category=data["category"],
                stage=data["stage"],
                summary=data["summary"],
                child=data["case_reference"],
                response_working_days=data["response_working_days"],
                response_days_reason=data["response_days_reason"],
                themes=data["themes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Complaint logged. Response due {complaint.response_due_on:%-d %B %Y}")
            return redirect("feedback:complaint-detail", pk=complaint.pk)
    status = 400 if form.errors else 200
    return render(request, "feedback/complaint_form.html", {"form": form, "complaint": None}, status=status)


@login_required
def complaint_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    complaint = access.complaints.get_for_user(request.user, pk)
    if not access.complaints.can(request.user, "change", complaint):
        raise PermissionDenied("Only the agency's managers and SQA officers change a complaint.")
    initial = {
        name: getattr(complaint, name)
        for name in ComplaintChangeForm.base_fields
        if name not in ("case_reference", "themes")
    }
    initial["case_reference"] = complaint.child.case_reference if complaint.child_id else ""
    initial["themes"] = list(complaint.themes.all())
    form = ComplaintChangeForm(posted(request), user=request.user, complaint=complaint, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        data["child"] = data.pop("case_reference")
        data["outcome"] = data["outcome"] or ""
        try:
            services.complaint_update(complaint=complaint, by=request.user, themes=themes, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Complaint updated")
            return redirect("feedback:complaint-detail", pk=complaint.pk)
    status = 400 if form.errors else 200
    return render(
        request, "feedback/complaint_form.html", {"form": form, "complaint": complaint}, status=status
    )


@login_required
@require_safe
def compliment_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_lists(request)
    listing = list_page(
        request,
        filterset_class=ComplimentFilterSet,
        queryset=access.compliments.visible(request.user).select_related("agency"),
        csv=Csv(
            filename=lambda: f"compliments-{timezone.localdate().isoformat()}.csv",
            rows=lambda rows: (selectors.COMPLIMENT_CSV_COLUMNS, selectors.compliment_csv_rows(rows)),
        ),
    )
    return render_list(
        request, "feedback/compliment_list.html", listing, can_log=access.compliments.can(request.user, "log")
    )


@login_required
def compliment_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.compliments.can(request.user, "log"):
        raise PermissionDenied("Agency managers, heads of service and SQA officers log compliments.")
    form = ComplimentForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.compliment_log(by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Compliment logged")
            return redirect("feedback:compliment-list")
    status = 400 if form.errors else 200
    return render(request, "feedback/compliment_form.html", {"form": form}, status=status)


@login_required
@require_safe
def analysis(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.complaints.can(request.user, "see_analysis"):
        raise PermissionDenied("The quarterly analysis is for SQA officers and board members.")
    # Aggregates over the whole partnership: the board sees counts, never rows.
    quarters = selectors.complaints_by_quarter(
        access.complaints.aggregate_scope(request.user), access.compliments.aggregate_scope(request.user)
    )
    return render(request, "feedback/analysis.html", {"quarters": quarters})
