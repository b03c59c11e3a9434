"""Pages for scheduling audits from a planned activity and drawing its sample of cases.

Who: audits.access.audits.can(user, "schedule_from") (the SQA officer at any level; agency managers at Level 1 for their
own agency). An activity of another partnership is a 404; so are these pages for people without a working
role (board members, partnership admins), who never see child-level pages. Working staff who may not
schedule this activity get a 403.

Scheduling beyond the activity's planned number, or into a half term that has ended, shows the warnings
(audits.selectors.plans.schedule_warnings) with the answers as given and a "Schedule anyway" button that
sends them again with the confirmation; nothing is scheduled until then.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from audits import access
from audits.forms.plans import Level3SampleForm, QuotaSampleForm, ReasonForm, ScheduleForm
from audits.models import Audit, PlannedActivity, Sample, SampleItem
from audits.selectors import plans as selectors
from audits.services import sampling, scheduling
from ehcp import access as ehcp_access
from ehcp.models import Child
from qaf.models import User
from qaf.pages import and_list, apply_errors, own_partnership, permit
from qaf.types import AuthenticatedHttpRequest

SEARCH_LIMIT = 20


def _schedulable_activity(user: User, pk: int) -> PlannedActivity:
    activity = selectors.activity_get_for_user(user, pk)
    if not access.audits.can(user, "see_scheduling"):
        raise Http404("Not found")
    return permit(
        access.audits, user, "schedule_from", activity, "You may not schedule audits from this activity."
    )


def _told(assignees: Iterable[User]) -> str:
    """Who scheduling.assignment_notify emails about their new audits: the auditors with an email address."""
    emailed = [user.display_name for user in assignees if user.email]
    missing = [user.display_name for user in assignees if not user.email]
    words = []
    if emailed:
        words.append(f"{and_list(emailed)} {'has' if len(emailed) == 1 else 'have'} been emailed.")
    if missing:
        words.append(
            f"{and_list(missing)} {'has' if len(missing) == 1 else 'have'} no email address in QAF: "
            "tell them yourself."
        )
    return " ".join(words)


def _sample_choices(
    sample: Sample | None, children: QuerySet[Child], scheduled: set[int]
) -> list[SampleItem]:
    """The sample's current cases the user may see and that are not scheduled yet."""
    if sample is None:
        return []
    visible = set(
        children.filter(pk__in=[i.child_id for i in sample.items.all()]).values_list("pk", flat=True)
    )
    return [
        item
        for item in sample.items.all()
        if not item.swapped_out and item.child_id in visible and item.child_id not in scheduled
    ]


def _confirmed(request: AuthenticatedHttpRequest, activity: PlannedActivity, adding: int) -> bool:
    """Did the user tick "Schedule anyway" for the warnings that hold now? A confirmation of other
    warnings (fewer audits, before a half term ended) is not one of these."""
    warnings = selectors.schedule_warnings(activity, adding=adding)
    return bool(warnings) and request.POST.get("confirm") == selectors.schedule_warnings_token(warnings)


def _cases_found(children: QuerySet[Child], scheduled: set[int], query: str) -> list[Child]:
    """The cases whose reference contains `query` and are not scheduled yet (none without a query)."""
    if not query:
        return []
    return list(
        children.filter(case_reference__icontains=query)
        .exclude(pk__in=scheduled)
        .order_by("case_reference")[:SEARCH_LIMIT]
    )


def _schedule_initial(
    activity: PlannedActivity, sample: Sample | None, sample_items: list[SampleItem], *, prefill: bool
) -> dict[str, Any]:
    initial: dict[str, Any] = {"sample": sample.pk if sample else None}
    if activity.level == 2 and sample is not None and sample.parameters.get("stage"):
        initial["plan_stage"] = sample.parameters["stage"]  # what the sample was drawn for
    if prefill:
        initial["children"] = [item.child_id for item in sample_items]
    return initial


def _cases_kept(
    children: QuerySet[Child], chosen: set[str], sample_items: list[SampleItem], found: list[Child]
) -> list[Child]:
    """Cases ticked in an earlier search stay on the page (ticked), so sending the answers again keeps them."""
    shown = {str(item.child_id) for item in sample_items} | {str(child.pk) for child in found}
    kept_ids = [int(v) for v in chosen - shown if v.isdigit()]
    return list(children.filter(pk__in=kept_ids).order_by("case_reference")) if kept_ids else []


def _schedule(
    request: AuthenticatedHttpRequest, activity: PlannedActivity, sample: Sample | None, data: dict[str, Any]
) -> list[Audit]:
    return scheduling.audit_schedule(
        activity=activity,
        children=data["cases"],
        assignees=list(data["assignees"]),
        due_on=data["due_on"],
        by=request.user,
        level2_form=data.get("level2_form", ""),
        plan_stage=data.get("plan_stage", ""),
        sample=sample if sample is not None and data.get("sample") == sample.pk else None,
        confirmed=_confirmed(request, activity, len(data["cases"])),
    )


@login_required
def activity_schedule(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _schedulable_activity(request.user, pk)
    children = ehcp_access.children.visible(request.user)
    scheduled = selectors.scheduled_child_ids(activity)
    sample = selectors.latest_sample(activity)
    sample_items = _sample_choices(sample, children, scheduled)
    query = request.GET.get("q", "").strip()[:40]
    found = _cases_found(children, scheduled, query)
    prefill = sample is not None and request.GET.get("sample") == str(sample.pk)
    initial = _schedule_initial(activity, sample, sample_items, prefill=prefill)
    form = ScheduleForm(
        request.POST or None,
        initial=initial,
        activity=activity,
        children=children,
        auditors=selectors.auditors_for(activity),
    )
    # Shown before anything is chosen: scheduling into a half term that has ended.
    warnings = selectors.schedule_warnings(activity, adding=0)
    to_confirm = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            audits = _schedule(request, activity, sample, data)
        except ValidationError as error:
            if set(getattr(error, "error_dict", {})) == {"confirm"}:
                # Nothing is wrong with the answers: ask to confirm them as they are.
                warnings, to_confirm = error.message_dict["confirm"], True
            else:
                apply_errors(form, error, {"tool": "children", "activity": "children", "sample": "children"})
        else:
            count = len(audits)
            messages.success(
                request, f"{count} audit{'s' if count != 1 else ''} scheduled. {_told(data['assignees'])}"
            )
            return redirect("audits:plan-detail", pk=activity.plan_id)
    chosen = {str(v) for v in (form["children"].value() or [])}
    kept = _cases_kept(children, chosen, sample_items, found)
    return render(
        request,
        "audits/plans/schedule.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "form": form,
            "sample": sample,
            "sample_items": sample_items,
            "found": found,
            "query": query,
            "chosen": chosen,
            "kept": kept,
            "tool_version": scheduling.current_tool_version(activity),
            "scheduled_count": len(scheduled),
            "warnings": warnings,
            "to_confirm": to_confirm,
            "confirm_token": selectors.schedule_warnings_token(warnings),
        },
    )


def _draw(
    request: AuthenticatedHttpRequest, activity: PlannedActivity, form: Level3SampleForm | QuotaSampleForm
) -> None:
    """Draw the activity's sample with the form's answers: a Level 3 sample across the partnership, a Level 1
    or 2 quota from the activity (ValidationError when the service refuses them)."""
    data = form.cleaned_data
    if isinstance(form, Level3SampleForm):
        partnership = own_partnership(request.user, "You may not schedule audits from this activity.")
        sampling.level3_sample_propose(
            partnership=partnership,
            half_term=data["half_term"],
            size=data["size"],
            seed=data["seed"],
            strata=data["strata"],
            activity=activity,
            by=request.user,
        )
    else:
        sampling.l12_sample_propose(
            activity=activity,
            quota=data["quota"],
            seed=data["seed"],
            stage=form.stage_value(),
            period_start=data["period_start"],
            period_end=data["period_end"],
            by=request.user,
        )


@login_required
def activity_sample(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = _schedulable_activity(request.user, pk)
    if activity.level not in (1, 2, 3):
        raise Http404("Level 4 cases are chosen with the board member; no sample is drawn.")
    form: Level3SampleForm | QuotaSampleForm
    if activity.level == 3:
        form = Level3SampleForm(
            request.POST or None,
            activity=activity,
            initial={"half_term": activity.half_term, "size": activity.planned_count or 6},
        )
    else:
        form = QuotaSampleForm(
            request.POST or None, activity=activity, initial={"quota": activity.planned_count}
        )
    if request.method == "POST" and form.is_valid():
        try:
            _draw(request, activity, form)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Sample drawn")
            return redirect("audits:activity-sample", pk=activity.pk)
    sample = selectors.latest_sample(activity)
    scheduled = selectors.scheduled_child_ids(activity)
    return render(
        request,
        "audits/plans/sample.html",
        {
            "activity": activity,
            "plan": activity.plan,
            "form": form,
            "sample": sample,
            "scheduled": scheduled,
            "schedule_url": (
                f"{reverse('audits:activity-schedule', args=[activity.pk])}?sample={sample.pk}"
                if sample
                else ""
            ),
        },
    )


@login_required
def sample_item_swap(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = selectors.sample_item_get_for_user(request.user, pk)
    activity = item.sample.activity
    if activity is None:
        raise Http404("Not found")
    _schedulable_activity(request.user, activity.pk)
    form = ReasonForm(request.POST or None, label=f"Why is {item.child.case_reference} being swapped?")
    if request.method == "POST" and form.is_valid():
        try:
            replacement = sampling.sample_item_swap(
                item=item, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, f"{item.child.case_reference} swapped for {replacement.child.case_reference}"
            )
            return redirect("audits:activity-sample", pk=activity.pk)
    return render(
        request,
        "audits/plans/sample_swap.html",
        {"item": item, "activity": activity, "plan": activity.plan, "form": form},
    )
