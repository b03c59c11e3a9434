"""Pages for children and their plans: the list, the child page, and the forms to add and change them.

Every page goes through ehcp.access: a child the user may not see is a 404, one they may see but not
change is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone

from ehcp import access, selectors, services
from ehcp.filters import ChildFilterSet
from ehcp.forms import AssessmentForm, ChildForm, PlanForm, ReviewForm
from ehcp.models import AnnualReview, Child, NeedsAssessment
from qaf import hooks
from qaf.lists import list_page, render_list
from qaf.models import User
from qaf.pages import apply_errors
from qaf.types import AuthenticatedHttpRequest


def _require_change(user: User, child: Child | None = None) -> None:
    if not access.children.can(user, "change", child):
        raise PermissionDenied


@login_required
def child_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    if not access.children.can(request.user, "list"):
        raise PermissionDenied("Your role does not include children's records.")
    listing = list_page(
        request, filterset_class=ChildFilterSet, queryset=selectors.children_for_list(request.user)
    )
    return render_list(
        request,
        "ehcp/child_list.html",
        listing,
        can_add=access.children.can(request.user, "change"),
        can_import=access.children.can(request.user, "import"),
        today=timezone.localdate(),
    )


@login_required
def child_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = selectors.child_for_page(request.user, pk)
    today = timezone.localdate()
    assessments = [(a, a.deadlines(today)) for a in child.assessments.all()]
    reviews = [
        (r, r.deadlines(today), hooks.meeting_followup_links(request.user, child, r))
        for r in child.reviews.all()
    ]
    return render(
        request,
        "ehcp/child_detail.html",
        {
            "child": child,
            "assessments": assessments,
            "reviews": reviews,
            "plans": list(child.plans.all()),
            "timeline": selectors.child_timeline(child, today),
            "can_change": access.children.can(request.user, "change", child),
            # The child's audits, actions, escalations, complaints and feedback, each app's own section.
            "panels": hooks.child_panels(request.user, child),
        },
    )


def _child_initial(child: Child) -> dict[str, Any]:
    return {
        "case_reference": child.case_reference,
        "initials": child.initials,
        "date_of_birth": child.date_of_birth,
        "primary_need": child.primary_need,
        "setting_type": child.setting_type,
        "looked_after": child.looked_after,
        "child_in_need": child.child_in_need,
        "agencies": list(child.agencies.all()),
        "caseworker": child.caseworker,
        "plan_ended_on": child.plan_ended_on,
        "plan_end_reason": child.plan_end_reason,
    }


@login_required
def child_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_change(request.user)
    partnership = request.user.partnership
    if partnership is None:  # adding children needs a partnership: `_require_change` has already refused
        raise PermissionDenied
    form = ChildForm(request.POST or None, partnership_id=partnership.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agencies = data.pop("agencies")
        try:
            child = services.child_create(partnership=partnership, agencies=agencies, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Child {child.case_reference} added")
            return redirect("ehcp:child-detail", pk=child.pk)
    return render(request, "ehcp/child_form.html", {"form": form, "child": None})


@login_required
def child_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = access.children.get_for_user(request.user, pk)
    _require_change(request.user, child)
    form = ChildForm(request.POST or None, initial=_child_initial(child), partnership_id=child.partnership_id)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        agencies = data.pop("agencies")
        try:
            services.child_update(child=child, agencies=agencies, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Changes saved")
            return redirect("ehcp:child-detail", pk=child.pk)
    return render(request, "ehcp/child_form.html", {"form": form, "child": child})


def _record_form(
    request: AuthenticatedHttpRequest,
    *,
    child: Child,
    form: forms.Form,
    template_title: str,
    save: Callable[[dict[str, Any]], None],
    redirect_message: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, redirect_message)
            return redirect("ehcp:child-detail", pk=child.pk)
    return render(request, "ehcp/record_form.html", {"form": form, "child": child, "title": template_title})


@login_required
def assessment_edit(
    request: AuthenticatedHttpRequest, pk: int, assessment_pk: int | None = None
) -> HttpResponse:
    child = access.children.get_for_user(request.user, pk)
    _require_change(request.user, child)
    assessment = None
    initial = {}
    if assessment_pk is not None:
        try:
            assessment = child.assessments.get(pk=assessment_pk)
        except NeedsAssessment.DoesNotExist as exc:
            raise Http404 from exc
        initial = {f: getattr(assessment, f) for f in AssessmentForm.base_fields}
    form = AssessmentForm(request.POST or None, initial=initial)

    def save(data: dict[str, Any]) -> None:
        services.assessment_save(
            child=child, assessment=assessment, **{**data, "exception": data["exception"] or ""}
        )

    return _record_form(
        request,
        child=child,
        form=form,
        save=save,
        template_title="Change the needs assessment" if assessment else "Add a needs assessment",
        redirect_message="Needs assessment saved",
    )


@login_required
def plan_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = access.children.get_for_user(request.user, pk)
    _require_change(request.user, child)
    form = PlanForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        services.plan_record(child=child, kind=data["kind"], issued_on=data["issued_on"])

    return _record_form(
        request,
        child=child,
        form=form,
        save=save,
        template_title="Record an issued plan",
        redirect_message="Plan recorded",
    )


@login_required
def review_edit(request: AuthenticatedHttpRequest, pk: int, review_pk: int | None = None) -> HttpResponse:
    child = access.children.get_for_user(request.user, pk)
    _require_change(request.user, child)
    review = None
    initial = {}
    if review_pk is not None:
        try:
            review = child.reviews.get(pk=review_pk)
        except AnnualReview.DoesNotExist as exc:
            raise Http404 from exc
        initial = {f: getattr(review, f) for f in ReviewForm.base_fields}
    form = ReviewForm(request.POST or None, initial=initial)

    meeting_before = review.meeting_on if review else None
    saved: list[AnnualReview] = []

    def save(data: dict[str, Any]) -> None:
        saved.append(services.review_save(child=child, review=review, **data))

    response = _record_form(
        request,
        child=child,
        form=form,
        save=save,
        template_title="Change the annual review" if review else "Add an annual review",
        redirect_message="Annual review saved",
    )
    # A meeting date just recorded: go on to what other apps offer after a meeting (asking for feedback).
    if saved and saved[0].meeting_on and saved[0].meeting_on != meeting_before:
        links = hooks.meeting_followup_links(request.user, child, saved[0])
        if links:
            return redirect(links[0][1])
    return response
