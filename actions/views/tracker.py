"""The action tracker: every action the user may see, "my actions", "my team's actions", their CSV export,
and the themes and workforce-development pages.

Lists go through actions.access.actions.visible (via actions.selectors.tracker), so the pages, the CSV and the
API agree. Board members see counts only: the tracker is 403 for them, the themes pages are theirs.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from actions import access
from actions.filters import ActionFilterSet
from actions.forms.tracker import ThemePeriodForm
from actions.models import RemedialAction
from actions.selectors import tracker as selectors
from qaf.lists import Csv, ListPage, Sorting, csv_download, list_page, render_list
from qaf.models import User
from qaf.pages import require
from qaf.types import AuthenticatedHttpRequest

SORTING = Sorting(orders=selectors.SORTS, default=selectors.DEFAULT_SORT)

PAGES = {
    "all": {"title": "Actions", "url": "actions:actions", "csv": "actions:actions-csv"},
    "mine": {"title": "My actions", "url": "actions:my-actions", "csv": "actions:my-actions-csv"},
    "team": {"title": "My team's actions", "url": "actions:team-actions", "csv": "actions:team-actions-csv"},
}

# (?sort= key, column heading) for the sortable headers; the other columns are not sortable.
SORTABLE = {"agency": "Agency", "priority": "Priority", "due_on": "Due", "status": "Status"}

CSV_COLUMNS = [
    "id",
    "raised on",
    "source",
    "case reference",
    "agency",
    "team",
    "worker",
    "team manager",
    "what",
    "priority",
    "due",
    "status",
    "RAG",
    "completed",
    "verified",
]


def _check_tracker_access(user: User) -> None:
    """Board members see counts, never rows (DESIGN.md §1): the tracker is forbidden to them."""
    require(access.actions, user, "see_rows", "Board members see the themes pages, not individual actions.")


def _sort_headers(sort: str) -> list[dict]:
    """Each sortable column: its link's sort value (toggling direction when it is the current one) and its
    aria-sort state, as the MOJ sortable table marks it up."""
    headers = []
    for key, label in SORTABLE.items():
        if sort == key:
            state, next_sort = "ascending", f"-{key}"
        elif sort == f"-{key}":
            state, next_sort = "descending", key
        else:
            state, next_sort = "none", key
        headers.append({"key": key, "label": label, "state": state, "sort": next_sort})
    return headers


def _csv_export(scope: str) -> Csv:
    name = {"all": "actions", "mine": "my-actions", "team": "team-actions"}[scope]
    return Csv(
        filename=lambda: f"{name}-{timezone.localdate().isoformat()}.csv",
        rows=lambda actions: (CSV_COLUMNS, (_csv_row(action) for action in actions.iterator(chunk_size=500))),
    )


def _listing(request: AuthenticatedHttpRequest, scope: str) -> ListPage | HttpResponseBase:
    _check_tracker_access(request.user)
    return list_page(
        request,
        filterset_class=ActionFilterSet,
        queryset=selectors.actions_for_tracker(request.user, scope),
        sorting=SORTING,
        csv=_csv_export(scope),
    )


def _tracker(request: AuthenticatedHttpRequest, scope: str) -> HttpResponseBase:
    listing = _listing(request, scope)
    return render_list(
        request,
        "actions/tracker/list.html",
        listing,
        scope=scope,
        title=PAGES[scope]["title"],
        list_url=PAGES[scope]["url"],
        csv_url=PAGES[scope]["csv"],
        headers=_sort_headers(listing.sort) if isinstance(listing, ListPage) else [],
        show_team_tab=access.actions.can(request.user, "list_team") or scope == "team",
        raise_url=reverse("actions:action-raise"),
    )


@login_required
def tracker_page(request: AuthenticatedHttpRequest, scope: str) -> HttpResponseBase:
    """The tracker page of one scope (a key of PAGES: every action the user may see, theirs, their team's)."""
    return _tracker(request, scope)


def _csv_row(action: RemedialAction) -> list[str | int]:
    return [
        value
        for value in (
            action.pk,
            timezone.localtime(action.raised_at).date().isoformat(),
            action.get_source_display(),
            action.child.case_reference if action.child is not None else "",
            action.agency.name,
            action.team.name if action.team is not None else "",
            action.worker.display_name,
            action.team_manager.display_name if action.team_manager is not None else "",
            action.what,
            action.get_priority_display(),
            action.due_on.isoformat(),
            action.get_status_display(),
            action.rag,
            timezone.localtime(action.completed_at).date().isoformat() if action.completed_at else "",
            timezone.localtime(action.verified_at).date().isoformat() if action.verified_at else "",
        )
    ]


def _csv(request: AuthenticatedHttpRequest, scope: str) -> StreamingHttpResponse:
    """Exactly the rows the page shows with the same filters and order (all pages), streamed. Case reference
    only, never a child's name."""
    _check_tracker_access(request.user)
    return csv_download(
        request,
        filterset_class=ActionFilterSet,
        queryset=selectors.actions_for_tracker(request.user, scope),
        csv=_csv_export(scope),
        sorting=SORTING,
    )


@login_required
def tracker_csv(request: AuthenticatedHttpRequest, scope: str) -> StreamingHttpResponse:
    """The CSV of one scope's tracker page (see `_csv`)."""
    return _csv(request, scope)


# --- themes ----------------------------------------------------------------------------------------


def _check_themes_access(user: User) -> int:
    """SQA officers and board members see theme aggregates of their partnership. Returns its id."""
    partnership_id = user.partnership_id
    if partnership_id is None or not access.actions.can(user, "see_theme_counts"):
        raise PermissionDenied("The themes pages are for SQA officers and board members.")
    return partnership_id


@login_required
def action_themes(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Counts of actions and escalations by theme (rows) and term of the chosen academic year (columns)."""
    partnership_id = _check_themes_access(request.user)
    form = ThemePeriodForm(request.GET or None, user=request.user)
    year, _ = form.chosen(timezone.localdate())
    terms = list(year.terms.order_by("number")) if year else []
    rows = selectors.theme_counts_by_term(partnership_id=partnership_id, terms=terms)
    return render(
        request,
        "actions/tracker/themes.html",
        {"form": form, "year": year, "terms": terms, "rows": rows},
    )


@login_required
def workforce_development(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Themes that recur across at least two agencies in the chosen year or term."""
    partnership_id = _check_themes_access(request.user)
    form = ThemePeriodForm(request.GET or None, user=request.user, with_term=True)
    year, term = form.chosen(timezone.localdate())
    period = term or year
    rows = (
        selectors.themes_recurring_across_agencies(
            partnership_id=partnership_id, starts_on=period.starts_on, ends_on=period.ends_on
        )
        if period
        else []
    )
    return render(
        request,
        "actions/tracker/workforce.html",
        {"form": form, "year": year, "term": term, "rows": rows},
    )
