"""Pages of the annual audit plan: the list of plans, a plan with its progress by half term, and the SQA
officer's forms to create a plan, add, change and remove activities, approve it and reopen it.

Every member of the partnership reads plans (counts only: no child appears here); only the SQA officer
changes them (audits.access.plans.can(user, "manage")). A plan of another partnership is a 404, a change the user
may not make a 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from audits import access
from audits.forms.plans import ActivityForm, PlanCreateForm, ReasonForm
from audits.models import AuditPlan, AuditPlanStatus, PlannedActivity
from audits.selectors import plans as selectors
from audits.services import plans as services
from qaf.models import User
from qaf.pages import change_confirmed, form_saved, own_partnership
from qaf.types import AuthenticatedHttpRequest

MANAGE_DENIED = "Only the SQA officer changes the audit plan."


def _plan_url(plan: AuditPlan) -> str:
    return reverse("audits:plan-detail", args=[plan.pk])


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
    partnership = own_partnership(request.user, MANAGE_DENIED)
    form = PlanCreateForm(request.POST or None, partnership_id=partnership.pk)
    saved = form_saved(
        request,
        form,
        lambda data: services.audit_plan_create(partnership=partnership, by=request.user, **data),
        lambda plan: f"{plan.title} created",
        _plan_url,
    )
    return saved or render(request, "audits/plans/plan_form.html", {"form": form})


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
    saved = form_saved(
        request,
        form,
        lambda data: services.audit_plan_reopen(plan=plan, by=request.user, reason=data["reason"]),
        "Plan reopened for changes. Approve it again when they are made.",
        _plan_url(plan),
    )
    return saved or render(request, "audits/plans/plan_reopen.html", {"plan": plan, "form": form})


ACTIVITY_ERRORS = {"term": "when", "half_term": "when"}


def _activity_form_page(
    request: AuthenticatedHttpRequest,
    *,
    plan: AuditPlan,
    form: ActivityForm,
    save: Callable[[dict[str, Any]], object],
    done: str,
    activity: PlannedActivity | None = None,
) -> HttpResponse:
    """The activity form (adding one to the plan, or changing `activity`): `save(the form's service
    arguments)` once it is valid, then back to the plan with `done`."""
    saved = form_saved(
        request,
        form,
        lambda data: save(form.service_arguments()),
        done,
        _plan_url(plan),
        rename=ACTIVITY_ERRORS,
    )
    return saved or render(
        request, "audits/plans/activity_form.html", {"plan": plan, "form": form, "activity": activity}
    )


@login_required
def activity_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    plan = selectors.plan_get_for_user(request.user, pk)
    _require_manage(request.user)
    return _activity_form_page(
        request,
        plan=plan,
        form=ActivityForm(request.POST or None, plan=plan),
        save=lambda arguments: services.planned_activity_add(plan=plan, by=request.user, **arguments),
        done="Activity added",
    )


@login_required
def activity_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    _require_manage(request.user)
    plan = activity.plan
    form = ActivityForm(request.POST or None, plan=plan, initial=ActivityForm.initial_for(activity))

    def save(arguments: dict[str, Any]) -> object:
        return services.planned_activity_update(activity=activity, by=request.user, **arguments)

    return _activity_form_page(
        request, plan=plan, form=form, save=save, done="Activity changed", activity=activity
    )


@login_required
def activity_remove(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get_for_user(request.user, pk)
    _require_manage(request.user)
    plan = activity.plan
    outcome = change_confirmed(
        request,
        lambda: services.planned_activity_remove(activity=activity, by=request.user),
        "Activity removed",
        _plan_url(plan),
    )
    context = {"plan": plan, "activity": activity, "error": outcome.error}
    return outcome.response or render(request, "audits/plans/activity_remove.html", context)
