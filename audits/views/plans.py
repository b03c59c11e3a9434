"""Pages of the annual audit plan: the list of plans, a plan with its progress by half term, and the SQA
officer's forms to create a plan, add, change and remove activities, approve it and reopen it.

Every member of the partnership reads plans (counts only: no child appears here); only the SQA officer
changes them (audits.access.plans.can(user, "manage")). A plan of another partnership is a 404, a change the user
may not make a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits import access
from audits.forms.plans import ActivityForm, PlanCreateForm, ReasonForm
from audits.models import AuditPlan, AuditPlanStatus, PlannedActivity
from audits.selectors import plans as selectors
from audits.services import plans as services
from qaf.models import User
from qaf.pages import apply_errors
from qaf.types import AuthenticatedHttpRequest

MANAGE_DENIED = "Only the SQA officer changes the audit plan."


def _require_manage(user: User) -> None:
    if not access.plans.can(user, "manage"):
        raise PermissionDenied(MANAGE_DENIED)


@login_required
def plan_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "audits/plans/plan_list.html",
        {
            "plans": selectors.plans_for_list(request.user),
            "can_manage": access.plans.can(request.user, "manage"),
        },
    )


@login_required
def plan_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manage(request.user)
    partnership = request.user.partnership
    if partnership is None:
        raise PermissionDenied(MANAGE_DENIED)
    form = PlanCreateForm(request.POST or None, partnership_id=partnership.pk)
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.audit_plan_create(partnership=partnership, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{plan.title} created")
            return redirect("audits:plan-detail", pk=plan.pk)
    return render(request, "audits/plans/plan_form.html", {"form": form})


@login_required
def plan_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, pk)
    progress = selectors.plan_progress(plan, today=timezone.localdate())
    can_manage = access.plans.can(request.user, "manage")
    for group in progress.groups:
        for activity in group.activities:
            activity.can_schedule = access.audits.can(request.user, "schedule_from", activity)
            activity.can_sample = activity.can_schedule and activity.level in (1, 2, 3)
    return render(
        request,
        "audits/plans/plan_detail.html",
        {
            "plan": plan,
            "progress": progress,
            "can_manage": can_manage,
            "is_draft": plan.status == AuditPlanStatus.DRAFT,
            "history": selectors.plan_history(plan),
        },
    )


@login_required
@require_POST
def plan_approve(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, pk)
    _require_manage(request.user)
    try:
        services.audit_plan_approve(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Plan approved")
    return redirect("audits:plan-detail", pk=plan.pk)


@login_required
def plan_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, pk)
    _require_manage(request.user)
    form = ReasonForm(request.POST or None, label="Why does the plan need to change?")
    if request.method == "POST" and form.is_valid():
        try:
            services.audit_plan_reopen(plan=plan, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Plan reopened for changes. Approve it again when they are made.")
            return redirect("audits:plan-detail", pk=plan.pk)
    return render(request, "audits/plans/plan_reopen.html", {"plan": plan, "form": form})


ACTIVITY_ERRORS = {"term": "when", "half_term": "when"}


def _activity_form_page(
    request: AuthenticatedHttpRequest,
    *,
    plan: AuditPlan,
    form: ActivityForm,
    activity: PlannedActivity | None = None,
) -> HttpResponse:
    return render(
        request, "audits/plans/activity_form.html", {"plan": plan, "form": form, "activity": activity}
    )


@login_required
def activity_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, pk)
    _require_manage(request.user)
    form = ActivityForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_activity_add(plan=plan, by=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error, ACTIVITY_ERRORS)
        else:
            messages.success(request, "Activity added")
            return redirect("audits:plan-detail", pk=plan.pk)
    return _activity_form_page(request, plan=plan, form=form)


@login_required
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    _require_manage(request.user)
    plan = activity.plan
    form = ActivityForm(request.POST or None, plan=plan, initial=ActivityForm.initial_for(activity))
    if request.method == "POST" and form.is_valid():
        try:
            services.planned_activity_update(activity=activity, by=request.user, **form.service_arguments())
        except ValidationError as error:
            apply_errors(form, error, ACTIVITY_ERRORS)
        else:
            messages.success(request, "Activity changed")
            return redirect("audits:plan-detail", pk=plan.pk)
    return _activity_form_page(request, plan=plan, form=form, activity=activity)


@login_required
def activity_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    _require_manage(request.user)
    plan = activity.plan
    error = None
    if request.method == "POST":
        try:
            services.planned_activity_remove(activity=activity, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Activity removed")
            return redirect("audits:plan-detail", pk=plan.pk)
    return render(
        request, "audits/plans/activity_remove.html", {"plan": plan, "activity": activity, "error": error}
    )
