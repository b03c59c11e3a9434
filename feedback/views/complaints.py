"""Complaint and compliment pages: lists with filters and the response clock, the complaint page with its
history, log and change forms, and the quarterly analysis (counts only, for SQA and the board).

Every page goes through feedback.access: a complaint the user may not see is a 404; one they may see but not
change is a 403. Board members reach the analysis only.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
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
from feedback.models import Complaint
from feedback.selectors import complaints as selectors
from feedback.services import complaints as services
from qaf.history.selectors import history_for
from qaf.lists import Csv, list_page, render_list, render_rows
from qaf.pages import form_saved, get_permitted, posted, require, status_for
from qaf.types import AuthenticatedHttpRequest


def _complaint_url(complaint: Complaint) -> str:
    return reverse("feedback:complaint-detail", args=[complaint.pk])


def _require_lists(request: AuthenticatedHttpRequest) -> None:
    require(
        access.complaints,
        request.user,
        "list",
        "Complaints and compliments are seen by the staff of each agency.",
    )


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
    return render_rows(
        request,
        "feedback/complaint_list.html",
        listing,
        lambda c: {"complaint": c, "clock": selectors.response_clock(c, today)},
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
    require(
        access.complaints,
        request.user,
        "log",
        "Agency managers, heads of service and SQA officers log complaints.",
    )
    form = ComplaintForm(posted(request), user=request.user)

    def log(data: dict[str, Any]) -> Complaint:
        return services.complaint_log(
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

    saved = form_saved(
        request,
        form,
        log,
        lambda complaint: f"Complaint logged. Response due {complaint.response_due_on:%-d %B %Y}",
        _complaint_url,
    )
    context = {"form": form, "complaint": None}
    return saved or render(request, "feedback/complaint_form.html", context, status=status_for(form))


@login_required
def complaint_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    refused = "Only the agency's managers and SQA officers change a complaint."
    complaint = get_permitted(access.complaints, request.user, pk, "change", refused)
    initial = {
        name: getattr(complaint, name)
        for name in ComplaintChangeForm.base_fields
        if name not in ("case_reference", "themes")
    }
    initial["case_reference"] = complaint.child.case_reference if complaint.child_id else ""
    initial["themes"] = list(complaint.themes.all())
    form = ComplaintChangeForm(posted(request), user=request.user, complaint=complaint, initial=initial)

    def update(cleaned: dict[str, Any]) -> Complaint:
        data = dict(cleaned)
        data["child"] = data.pop("case_reference")
        data["outcome"] = data["outcome"] or ""
        return services.complaint_update(complaint=complaint, by=request.user, **data)

    saved = form_saved(request, form, update, "Complaint updated", _complaint_url(complaint))
    context = {"form": form, "complaint": complaint}
    return saved or render(request, "feedback/complaint_form.html", context, status=status_for(form))


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
    require(
        access.compliments,
        request.user,
        "log",
        "Agency managers, heads of service and SQA officers log compliments.",
    )
    form = ComplimentForm(posted(request), user=request.user)
    saved = form_saved(
        request,
        form,
        lambda data: services.compliment_log(by=request.user, **data),
        "Compliment logged",
        "feedback:compliment-list",
    )
    return saved or render(request, "feedback/compliment_form.html", {"form": form}, status=status_for(form))


@login_required
@require_safe
def analysis(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(
        access.complaints,
        request.user,
        "see_analysis",
        "The quarterly analysis is for SQA officers and board members.",
    )
    # Aggregates over the whole partnership: the board sees counts, never rows.
    quarters = selectors.complaints_by_quarter(
        access.complaints.aggregate_scope(request.user), access.compliments.aggregate_scope(request.user)
    )
    return render(request, "feedback/analysis.html", {"quarters": quarters})
