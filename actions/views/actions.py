"""Remedial action pages: raise one (from an audit, or from another QA activity), the action page with its
history, and the worker's and managers' workflow forms (start, complete, verify, cancel).

Every page goes through actions.access: an action the user may not see is a 404, one they may see but not act
on is a 403. What the action page says about the record the action came from comes from actions.sources.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from actions import access, sources
from actions.forms.actions import CancelForm, CompleteForm, GeneralActionForm, SourceActionForm, VerifyForm
from actions.models import RemedialAction
from actions.services import actions as services
from ehcp import access as ehcp_access
from qaf.access import get_for_user_or_404
from qaf.history.selectors import history_for
from qaf.models import Agency, User
from qaf.pages import and_list, apply_errors, change_confirmed, form_saved, permit, require
from qaf.types import AuthenticatedHttpRequest

NO_TEAM_MANAGER = "There is no team manager for this action: an SQA officer will verify it"


def _told(action: RemedialAction, by: User) -> str:
    """Who the "raised" and "cancelled" emails go to (the worker and the team manager), by name and role;
    the person who made the change is not told of it."""
    people: list[tuple[User, str]] = [(action.worker, "")]
    if action.team_manager is not None:
        people.append((action.team_manager, " (team manager)"))
    named = [f"{person.display_name}{role}" for person, role in people if person.pk != by.pk]
    if not named:
        return ""
    return f"{and_list(named)} {'has' if len(named) == 1 else 'have'} been told."


def _asked_to_verify(action: RemedialAction) -> str:
    """Who the "completed" email asks to verify the action (services.action_verifiers), by name and role."""
    people = services.action_verifiers(action)
    manager = action.team_manager
    if manager is not None and people == [manager]:
        return f"{manager.display_name} (team manager) has been asked to verify it."
    if not people:
        return f"{NO_TEAM_MANAGER}."
    role = "SQA officer" if len(people) == 1 else "SQA officers"
    names = and_list([person.display_name for person in people])
    return f"{NO_TEAM_MANAGER}. {names} ({role}) {'has' if len(people) == 1 else 'have'} been asked."


def _raised(request: AuthenticatedHttpRequest, action: RemedialAction, fallback: str) -> HttpResponse:
    parts = ["Action raised.", _told(action, request.user)]
    if not action.team_manager_id:
        parts.append(f"{NO_TEAM_MANAGER} when it is done.")
    messages.success(request, " ".join(part for part in parts if part))
    # Whoever raised it may not be able to see it (an auditor raising an action for another worker).
    if access.actions.visible(request.user).filter(pk=action.pk).exists():
        return redirect("actions:action-detail", pk=action.pk)
    return redirect(fallback)


def _raise(
    request: AuthenticatedHttpRequest,
    form: SourceActionForm | GeneralActionForm,
    *,
    agency: Agency | None,
    worker: User | None,
    fallback: Callable[[], str],
    **source: Any,
) -> HttpResponse | None:
    """Raise the action a valid raise form describes (services.action_raise, with `source`: where it comes
    from) and go on as `_raised` says, to `fallback()` when the user cannot see it. None when the service
    refuses (or no agency was chosen), with the errors on the form."""
    data = form.cleaned_data
    try:
        if agency is None:
            raise ValidationError({"worker": "Choose who carries out the action"})
        action = services.action_raise(
            by=request.user,
            agency=agency,
            worker=worker,
            what=data["what"],
            why=data["why"],
            due_on=data["due_on"],
            priority=data["priority"],
            theme_ids=[t.pk for t in data["themes"]],
            **source,
        )
    except ValidationError as error:
        apply_errors(form, error)
        return None
    return _raised(request, action, fallback())


@login_required
@require_http_methods(["GET", "POST"])
def action_raise_from(request: AuthenticatedHttpRequest, kind: str, source_id: int) -> HttpResponse:
    """Raise an action on the page of the record it comes from (an audit, while doing it): the record's kind
    has its own rule for who may (actions.sources). 404 when the user may not open the record."""
    source = sources.source_kind(kind)
    if source is None or source.may_raise is None:
        raise Http404("Not found")
    record = access.actions.source_get_for_user(request.user, kind, source_id)
    permit(
        access.actions,
        request.user,
        "raise",
        record,
        f"You may not raise an action from this {source.noun} now.",
    )
    agency = source.agency_of(record)
    if agency is None:
        raise Http404("Not found")
    form = SourceActionForm(request.POST or None, agency=agency)
    back = sources.describe(request.user, record)
    if request.method == "POST" and form.is_valid():
        worker, _agency = form.worker_and_agency()

        def after() -> str:
            return (source.return_url(request.user, record) if source.return_url else None) or reverse("home")

        raised = _raise(request, form, agency=agency, worker=worker, fallback=after, source_object=record)
        if raised is not None:
            return raised
    context = {
        "form": form,
        "source": source,
        "caption": source.caption(record) if source.caption else "",
        "back_url": back.url if back is not None else None,
    }
    return render(request, "actions/actions/raise.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def action_raise(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(
        access.actions,
        request.user,
        "raise",
        "SQA officers and agency managers raise actions from other QA activity.",
    )
    linked = access.actions.linked_source_get_for_user(
        request.user, request.GET.get("source", ""), request.GET.get("source_id", "")
    )
    initial = None
    if linked is not None:
        initial = {
            "source": request.GET["source"],
            "source_note": f"{str(linked._meta.verbose_name).capitalize()} {linked.pk}",
        }
    form = GeneralActionForm(request.POST or None, user=request.user, source_object=linked, initial=initial)
    if request.method == "POST" and form.is_valid():
        worker, agency = form.worker_and_agency()
        data = form.cleaned_data
        raised = _raise(
            request,
            form,
            agency=agency,
            worker=worker,
            fallback=lambda: reverse("home"),
            source=request.GET["source"] if linked is not None else data["source"],
            source_object=linked,
            source_note=data["source_note"],
        )
        if raised is not None:
            return raised
    return render(request, "actions/actions/raise.html", {"form": form, "source": None, "back_url": None})


def _action_for_page(user, pk: int) -> RemedialAction:
    queryset = access.actions.visible(user).select_related(
        "agency", "team", "worker", "team_manager", "raised_by", "verified_by", "child"
    )
    return get_for_user_or_404(queryset, pk=pk)


@login_required
def action_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    action = _action_for_page(request.user, pk)
    user = request.user
    source_text = action.get_source_display()
    if action.source_note:
        source_text = f"{source_text}: {action.source_note}"
    source, _record = sources.describe_source_of(user, action, default=source_text)
    source = source or sources.SourceLink(heading="Source", text=source_text, url=None)
    child_visible = bool(action.child_id) and ehcp_access.children.can(user, "view", action.child)
    buttons = {
        "start": access.actions.can(user, "start", action),
        "complete": access.actions.can(user, "work_on", action),
        "verify": access.actions.can(user, "verify", action),
        "cancel": access.actions.can(user, "cancel", action),
    }
    return render(
        request,
        "actions/actions/detail.html",
        {
            "action": action,
            "themes": list(action.themes.all()),
            "events": list(history_for(action)),
            "source": source,
            "child_visible": child_visible,
            "buttons": buttons,
            "tracker_url": reverse("actions:actions"),
        },
    )


@dataclass(frozen=True)
class _Step:
    """One move of an action through its workflow, on its own page (actions/actions/<name>.html): the
    actions.access permission it needs and what a user without it is told, the form it asks for (None: the page
    only confirms), the service that makes it (called with the action, the user and the form's fields), and the
    banner once it is made."""

    name: str
    permission: str
    refused: str
    form_class: type[forms.Form] | None
    service: Callable[..., object]
    done: Callable[[RemedialAction, User], str]


def _workflow_view(step: _Step) -> Callable[[AuthenticatedHttpRequest, int], HttpResponse]:
    """The page of one workflow step: 404 for an action the user may not see, 403 without the permission;
    a valid POST makes the step and goes back to the action's page, a service's refusal shows the page again."""

    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        user = request.user
        action = permit(access.actions, user, step.permission, _action_for_page(user, pk), step.refused)
        to = reverse("actions:action-detail", args=[action.pk])
        template = f"actions/actions/{step.name}.html"
        if step.form_class is None:
            outcome = change_confirmed(
                request, lambda: step.service(action=action, by=user), lambda: step.done(action, user), to
            )
            context = {"action": action, "form": None, "error": outcome.error}
            return outcome.response or render(request, template, context)
        form = step.form_class(request.POST or None)
        saved = form_saved(
            request,
            form,
            lambda data: step.service(action=action, by=user, **data),
            lambda _: step.done(action, user),
            to,
        )
        return saved or render(request, template, {"action": action, "form": form, "error": None})

    view.__name__ = view.__qualname__ = f"action_{step.name}"
    return view


action_start = _workflow_view(
    _Step(
        name="start",
        permission="start",
        refused="Only the worker starts an open action.",
        form_class=None,
        service=services.action_start,
        done=lambda action, by: "Action started",
    )
)
action_complete = _workflow_view(
    _Step(
        name="complete",
        permission="work_on",
        refused="Only the worker completes their action.",
        form_class=CompleteForm,
        service=services.action_complete,
        done=lambda action, by: f"Action completed. {_asked_to_verify(action)}",
    )
)
action_verify = _workflow_view(
    _Step(
        name="verify",
        permission="verify",
        refused="Only the team manager or an SQA officer verifies a completed action.",
        form_class=VerifyForm,
        service=services.action_verify,
        done=lambda action, by: "Action verified",
    )
)
action_cancel = _workflow_view(
    _Step(
        name="cancel",
        permission="cancel",
        refused="Only the team manager, a manager of the agency or an SQA officer cancels an action.",
        form_class=CancelForm,
        service=services.action_cancel,
        done=lambda action, by: " ".join(part for part in ("Action cancelled.", _told(action, by)) if part),
    )
)
