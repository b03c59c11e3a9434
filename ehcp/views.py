"""Pages for children and their plans: the list, the child page, and the forms to add and change them.

Every page goes through ehcp.access: a child the user may not see is a 404, one they may see but not
change is a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from ehcp import access, selectors, services
from ehcp.filters import ChildFilterSet
from ehcp.forms import AssessmentForm, ChildForm, PlanForm, ReviewForm
from ehcp.models import AnnualReview, Child
from qaf import hooks
from qaf.lists import list_page, render_list
from qaf.models import User
from qaf.pages import form_saved, get_permitted, own_partnership, require
from qaf.types import AuthenticatedHttpRequest

R = TypeVar("R", bound=Model)


def _child_url(child: Child) -> str:
    return reverse("ehcp:child-detail", args=[child.pk])


def _require_change(user: User, child: Child | None = None) -> None:
    if not access.children.can(user, "change", child):
        raise PermissionDenied


@login_required
def child_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    require(access.children, request.user, "list", "Your role does not include children's records.")
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
    partnership = own_partnership(request.user)  # `_require_change` has already refused anyone without one
    form = ChildForm(request.POST or None, partnership_id=partnership.pk)
    saved = form_saved(
        request,
        form,
        lambda data: services.child_create(partnership=partnership, **data),
        lambda child: f"Child {child.case_reference} added",
        _child_url,
    )
    return saved or render(request, "ehcp/child_form.html", {"form": form, "child": None})


@login_required
def child_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    child = get_permitted(access.children, request.user, pk, "change")
    form = ChildForm(request.POST or None, initial=_child_initial(child), partnership_id=child.partnership_id)
    saved = form_saved(
        request,
        form,
        lambda data: services.child_update(child=child, **data),
        "Changes saved",
        _child_url(child),
    )
    return saved or render(request, "ehcp/child_form.html", {"form": form, "child": child})


def _record_and_initial(
    records: QuerySet[R], pk: int | None, form_class: type[forms.Form]
) -> tuple[R | None, dict[str, Any]]:
    """The child's record (one of `records`) a record form changes, with the form's initial values from it;
    Http404 when `pk` is not one of them. (None, {}) when the form adds a new record."""
    if pk is None:
        return None, {}
    record = records.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record, {name: getattr(record, name) for name in form_class.base_fields}


def _record_form(
    request: AuthenticatedHttpRequest,
    *,
    child: Child,
    form: forms.Form,
    template_title: str,
    save: Callable[[dict[str, Any]], None],
    redirect_message: str,
) -> HttpResponse:
    saved = form_saved(request, form, save, redirect_message, _child_url(child))
    context = {"form": form, "child": child, "title": template_title}
    return saved or render(request, "ehcp/record_form.html", context)


@login_required
def assessment_edit(
    request: AuthenticatedHttpRequest, pk: int, assessment_pk: int | None = None
) -> HttpResponse:
    child = get_permitted(access.children, request.user, pk, "change")
    assessment, initial = _record_and_initial(child.assessments.all(), assessment_pk, AssessmentForm)
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
    child = get_permitted(access.children, request.user, pk, "change")
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
    child = get_permitted(access.children, request.user, pk, "change")
    review, initial = _record_and_initial(child.reviews.all(), review_pk, ReviewForm)
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
