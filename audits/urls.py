"""Audit pages, in the "audits" namespace under /audits/: audit tools, the annual audit plan and scheduling,
moderation, doing an audit, and the audits themselves.

Remedial actions and case escalations have their own pages (actions.urls); their old addresses under /audits/,
in emails already sent, answer with a permanent redirect to the new ones, query string kept.
"""

from collections.abc import Callable
from typing import Any

from django.http import HttpResponseBase
from django.urls import URLPattern, path, reverse
from django.views.generic import RedirectView

from actions import urls as actions_urls
from audits.views import audits, case_review, concerns, form, panel, plans, scheduling, tools
from audits.views import moderation as moderation_views

app_name = "audits"

TOOL_VERSION = "tools/<int:pk>/versions/<int:number>/"


def _moved(target: str) -> Callable[..., HttpResponseBase]:
    """A page that moved to the actions app: 301 to its new address, with the same query string."""
    return RedirectView.as_view(pattern_name=target, permanent=True, query_string=True)


class _MovedRaise(RedirectView):
    """Raising an action from an audit moved to the audit's raise page in the actions app."""

    permanent = True
    query_string = True

    def get_redirect_url(self, *args: Any, **kwargs: Any) -> str | None:
        self.url = reverse("actions:action-raise-from", kwargs={"kind": "audit", "source_id": kwargs["pk"]})
        return super().get_redirect_url()


# The pages that moved from /audits/ to the actions app, by route name: each keeps its old address (its path in
# actions.urls, under /audits/). Raising an action from a record came with the move, so it has none.
MOVED_TO_ACTIONS = (
    "actions",
    "actions-csv",
    "my-actions",
    "my-actions-csv",
    "team-actions",
    "team-actions-csv",
    "action-themes",
    "workforce-development",
    "action-raise",
    "action-detail",
    "action-start",
    "action-complete",
    "action-verify",
    "action-cancel",
    "escalations",
    "escalation-detail",
    "escalation-acknowledge",
    "escalation-resolve",
)


def _moved_to_actions(names: tuple[str, ...]) -> list[URLPattern]:
    """A permanent redirect at the old address of each of these actions pages (see `_moved`)."""
    return [
        path(str(route.pattern), _moved(f"actions:{route.name}"))
        for route in actions_urls.urlpatterns
        if route.name in names
    ]


urlpatterns: list = [
    # Audit tools.
    path("tools/", tools.tool_list, name="tool-list"),
    path("tools/add/", tools.tool_create, name="tool-create"),
    path("tools/<int:pk>/", tools.tool_detail, name="tool-detail"),
    path("tools/<int:pk>/edit/", tools.tool_edit, name="tool-edit"),
    path(TOOL_VERSION, tools.version_detail, name="tool-version"),
    path(f"{TOOL_VERSION}scale/", tools.version_scale, name="tool-version-scale"),
    path(f"{TOOL_VERSION}approve/", tools.version_approve, name="tool-version-approve"),
    path(f"{TOOL_VERSION}discard/", tools.version_discard, name="tool-version-discard"),
    path(f"{TOOL_VERSION}new/", tools.version_new, name="tool-version-new"),
    path(f"{TOOL_VERSION}sections/add/", tools.section_add, name="tool-section-add"),
    path(f"{TOOL_VERSION}sections/<int:section_pk>/", tools.section_edit, name="tool-section-edit"),
    path(
        f"{TOOL_VERSION}sections/<int:section_pk>/remove/", tools.section_remove, name="tool-section-remove"
    ),
    path(f"{TOOL_VERSION}sections/<int:section_pk>/move/", tools.section_move, name="tool-section-move"),
    path(
        f"{TOOL_VERSION}sections/<int:section_pk>/questions/add/",
        tools.question_add,
        name="tool-question-add",
    ),
    path(f"{TOOL_VERSION}questions/<int:question_pk>/", tools.question_edit, name="tool-question-edit"),
    path(
        f"{TOOL_VERSION}questions/<int:question_pk>/remove/",
        tools.question_remove,
        name="tool-question-remove",
    ),
    path(f"{TOOL_VERSION}questions/<int:question_pk>/move/", tools.question_move, name="tool-question-move"),
    # The annual audit plan, scheduling audits from it, and sampling cases.
    path("plans/", plans.plan_list, name="plan-list"),
    path("plans/add/", plans.plan_create, name="plan-create"),
    path("plans/<int:pk>/", plans.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/approve/", plans.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reopen/", plans.plan_reopen, name="plan-reopen"),
    path("plans/<int:pk>/activities/add/", plans.activity_create, name="activity-create"),
    path("plans/activities/<int:pk>/", plans.activity_edit, name="activity-edit"),
    path("plans/activities/<int:pk>/remove/", plans.activity_remove, name="activity-remove"),
    path("plans/activities/<int:pk>/schedule/", scheduling.activity_schedule, name="activity-schedule"),
    path("plans/activities/<int:pk>/sample/", scheduling.activity_sample, name="activity-sample"),
    path("plans/sample-items/<int:pk>/swap/", scheduling.sample_item_swap, name="sample-item-swap"),
    # Moderation, the queue of audits awaiting it, the agreement page and re-audits.
    path("moderation/", moderation_views.agreement, name="moderation"),
    path("moderation/queue/", moderation_views.moderation_queue, name="moderation-queue"),
    path("<int:pk>/moderate/", moderation_views.audit_moderate, name="audit-moderate"),
    path("<int:pk>/compare/", moderation_views.audit_compare, name="audit-compare"),
    path("<int:pk>/reaudit/", moderation_views.audit_reaudit_link, name="audit-reaudit-link"),
    # Doing an audit: the task list, a section, the summary with submit, and the confirmation.
    path("<int:pk>/form/", form.audit_form, name="audit-form"),
    path("<int:pk>/form/summary/", form.audit_form_summary, name="audit-form-summary"),
    path("<int:pk>/form/submitted/", form.audit_form_submitted, name="audit-form-submitted"),
    path("<int:pk>/form/<int:section_pk>/", form.audit_form_section, name="audit-form-section"),
    path(
        "<int:pk>/safeguarding-concern/",
        concerns.safeguarding_concern_raise,
        name="safeguarding-concern-raise",
    ),
    # Audits: the list, my audits, the audit page, reopen and close, the Level 3 panel, the Level 4 case review.
    path("", audits.audit_list, name="audit-list"),
    path("mine/", audits.my_audits, name="my-audits"),
    path("<int:pk>/", audits.audit_detail, name="audit-detail"),
    path("<int:pk>/reopen/", audits.audit_reopen, name="audit-reopen"),
    path("<int:pk>/close/", audits.audit_close, name="audit-close"),
    path("<int:pk>/panel/", panel.panel_manage, name="audit-panel"),
    path("<int:pk>/panel/<int:user_pk>/remove/", panel.panel_remove, name="audit-panel-remove"),
    path("<int:pk>/case-review/lead/", case_review.case_review_setup, name="case-review-setup"),
    path("<int:pk>/case-review/", case_review.case_review_edit, name="case-review"),
    # The old addresses of the action and escalation pages.
    path("<int:pk>/actions/raise/", _MovedRaise.as_view()),
    *_moved_to_actions(MOVED_TO_ACTIONS),
]
