"""Reads for the action tracker, its CSV export, the API, and the themes and workforce-development pages.

Every list starts from actions.access.actions.visible / visible_escalations, so the tracker, the CSV and the API
can never disagree. Each read fetches what its page shows in a fixed number of queries, however many rows.
Theme counts are aggregates of the whole partnership (no child data) for SQA officers and board members.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, Count, F, IntegerField, Model, Q, QuerySet, Value, When

from actions import access
from actions.models import ActionPriority, ActionStatus, Escalation, RemedialAction
from qaf.access import managed_team_ids, user_access
from qaf.models import Agency, Team, Term, Theme, User

OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)
# Amber: due within this many days (RemedialAction.rag says the same for one row).
AMBER_DAYS = 7

RAG_CHOICES = [("red", "Red: overdue"), ("amber", "Amber: due within 7 days"), ("green", "Green: on track")]

_PRIORITY_RANK = Case(
    When(priority=ActionPriority.HIGH, then=Value(0)),
    When(priority=ActionPriority.MEDIUM, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
_STATUS_RANK = Case(
    *(When(status=value, then=Value(rank)) for rank, value in enumerate(ActionStatus.values)),
    default=Value(99),
    output_field=IntegerField(),
)

# ?sort= value -> order_by; "priority" is highest first, "status" follows the workflow (open first).
SORTS: dict[str, tuple[str, ...]] = {
    "due_on": ("due_on", "pk"),
    "-due_on": ("-due_on", "-pk"),
    "priority": ("priority_rank", "due_on", "pk"),
    "-priority": ("-priority_rank", "due_on", "pk"),
    "status": ("status_rank", "due_on", "pk"),
    "-status": ("-status_rank", "due_on", "pk"),
    "agency": ("agency__name", "due_on", "pk"),
    "-agency": ("-agency__name", "due_on", "pk"),
}
DEFAULT_SORT = "due_on"


def rag_q(rag: str, today: dt.date) -> Q:
    """Open actions that are red (overdue), amber (due within 7 days) or green (later), as a query."""
    open_ = Q(status__in=OPEN_STATUSES)
    if rag == "red":
        return open_ & Q(due_on__lt=today)
    if rag == "amber":
        return open_ & Q(due_on__gte=today, due_on__lte=today + dt.timedelta(days=AMBER_DAYS))
    if rag == "green":
        return open_ & Q(due_on__gt=today + dt.timedelta(days=AMBER_DAYS))
    return Q()


def actions_ranked(queryset: QuerySet[RemedialAction]) -> QuerySet[RemedialAction]:
    """With the ranks SORTS orders "priority" and "status" by."""
    return queryset.annotate(priority_rank=_PRIORITY_RANK, status_rank=_STATUS_RANK)


def _for_rows(queryset: QuerySet[RemedialAction]) -> QuerySet[RemedialAction]:
    """What a tracker row and a CSV line show, in one query."""
    return queryset.select_related("agency", "team", "worker", "team_manager", "child")


SCOPES = ("all", "mine", "team")


def actions_in_scope(user: User, scope: str) -> QuerySet[RemedialAction]:
    """The tracker's three lists: "all" (everything the user may see: the SQA view of the partnership),
    "mine" (actions the user carries out), "team" (actions of the teams the user manages, or recorded with
    the user as team manager). Always within access.actions.visible."""
    visible = access.actions.visible(user)
    if scope == "mine":
        return visible.filter(worker_id=user.pk)
    if scope == "team":
        return visible.filter(Q(team_id__in=managed_team_ids(user)) | Q(team_manager_id=user.pk))
    return visible


def actions_for_tracker(user: User, scope: str) -> QuerySet[RemedialAction]:
    """One tracker list, ready for actions.filters and a sort of SORTS, for a page of the table or the CSV."""
    return actions_ranked(_for_rows(actions_in_scope(user, scope)))


# --- filter choices --------------------------------------------------------------------------------
# Agencies, terms, years and themes are the partnership's, as on every list (qaf.selectors).


def teams_for_filter(user: User) -> QuerySet[Team]:
    """The active teams of the user's partnership, for the tracker's team filter (none for a user without
    one)."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Team.objects.none()
    return (
        Team.objects.filter(agency__partnership_id=partnership_id, agency__is_active=True)
        .select_related("agency")
        .order_by("agency__name", "name")
    )


def workers_for_filter(user: User) -> QuerySet[User]:
    """People carrying out any action the user may see (one query, no duplicates)."""
    return User.objects.filter(pk__in=access.actions.visible(user).values("worker_id")).order_by(
        "last_name", "first_name", "pk"
    )


# --- themes ----------------------------------------------------------------------------------------


def _term_case(terms: list[Term], date_field: str) -> Case:
    """The pk of the term a row's date falls in (None outside them all)."""
    return Case(
        *(
            When(**{f"{date_field}__gte": t.starts_on, f"{date_field}__lte": t.ends_on}, then=Value(t.pk))
            for t in terms
        ),
        default=None,
        output_field=IntegerField(),
    )


def _theme_sources() -> tuple[tuple[QuerySet[Model], str], ...]:
    """The theme tags of actions (cancelled ones do not count) and of escalations, with the name of the
    tagged model on the through table."""
    return (
        (
            RemedialAction.themes.through.objects.exclude(remedialaction__status=ActionStatus.CANCELLED),
            "remedialaction",
        ),
        (Escalation.themes.through.objects.all(), "escalation"),
    )


def _cell(count: list[int] | None) -> tuple[int, int]:
    """A term's (actions, escalations) for a theme, (0, 0) when it has none."""
    return (count[0], count[1]) if count is not None else (0, 0)


@dataclass
class ThemeRow:
    """One theme's row of the themes table: its actions and escalations in each term, and their totals."""

    theme: Theme
    # term pk -> (actions, escalations)
    cells: list[tuple[int, int]]
    actions: int
    escalations: int


def theme_counts_by_term(*, partnership_id: int, terms: list[Term]) -> list[ThemeRow]:
    """Actions and escalations tagged with each theme, counted in the term in which they were raised (one
    row per theme with any, in name order; cells follow `terms`). Aggregates only: no child data. Four
    queries, however many rows."""
    if not terms:
        return []
    starts, ends = min(t.starts_on for t in terms), max(t.ends_on for t in terms)
    counts: dict[tuple[int, int], list[int]] = {}
    for index, (queryset, owner) in enumerate(_theme_sources()):
        day = f"{owner}__raised_at__date"
        rows = (
            queryset.filter(
                **{f"{owner}__partnership_id": partnership_id, f"{day}__gte": starts, f"{day}__lte": ends}
            )
            .annotate(term_pk=_term_case(terms, day))
            .exclude(term_pk=None)
            .values("theme_id", "term_pk")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            counts.setdefault((row["theme_id"], row["term_pk"]), [0, 0])[index] += row["n"]
    theme_ids = {theme_id for theme_id, _ in counts}
    result = []
    for theme in Theme.objects.filter(pk__in=theme_ids).order_by("name"):
        cells = [_cell(counts.get((theme.pk, t.pk))) for t in terms]
        result.append(
            ThemeRow(
                theme=theme,
                cells=cells,
                actions=sum(c[0] for c in cells),
                escalations=sum(c[1] for c in cells),
            )
        )
    return result


@dataclass
class RecurringTheme:
    """A theme that actions or escalations of several agencies share in the period."""

    theme: Theme
    agencies: list[Agency]
    actions: int
    escalations: int

    @property
    def agency_count(self) -> int:
        """How many agencies the theme recurs in."""
        return len(self.agencies)


def themes_recurring_across_agencies(
    *, partnership_id: int, starts_on: dt.date, ends_on: dt.date, min_agencies: int = 2
) -> list[RecurringTheme]:
    """Themes of actions and escalations raised between the two dates (inclusive) in at least `min_agencies`
    agencies: the workforce-development list, which the termly report uses too. Most agencies first, then
    most actions and escalations. Cancelled actions do not count. Four queries."""
    agencies_of: dict[int, set[int]] = {}
    totals: dict[int, list[int]] = {}
    for index, (queryset, owner) in enumerate(_theme_sources()):
        rows = (
            queryset.filter(
                **{
                    f"{owner}__partnership_id": partnership_id,
                    f"{owner}__raised_at__date__gte": starts_on,
                    f"{owner}__raised_at__date__lte": ends_on,
                }
            )
            .annotate(agency_pk=F(f"{owner}__agency_id"))
            .values("theme_id", "agency_pk")
            .annotate(n=Count("pk"))
        )
        for row in rows:
            agencies_of.setdefault(row["theme_id"], set()).add(row["agency_pk"])
            totals.setdefault(row["theme_id"], [0, 0])[index] += row["n"]
    recurring = {pk: ids for pk, ids in agencies_of.items() if len(ids) >= min_agencies}
    if not recurring:
        return []
    agencies = Agency.objects.in_bulk({a for ids in recurring.values() for a in ids})
    themes = Theme.objects.in_bulk(list(recurring))
    result = [
        RecurringTheme(
            theme=themes[pk],
            agencies=sorted((agencies[a] for a in ids), key=lambda agency: agency.name),
            actions=totals[pk][0],
            escalations=totals[pk][1],
        )
        for pk, ids in recurring.items()
    ]
    result.sort(key=lambda r: (-r.agency_count, -(r.actions + r.escalations), r.theme.name))
    return result
