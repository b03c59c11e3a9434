"""The child's page sections of remedial actions and case escalations (registered with qaf.hooks).

Each section is its list page cut to the child: the same access function and the same filter code, so a user
sees on the child's page exactly the rows they would see in that list filtered to this child, newest first,
the latest qaf.hooks.PANEL_ROWS of them with a link to the full list. Two queries a section, however many rows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from actions import access
from qaf.hooks import ChildPanel, child_list_url, child_panel
from qaf.models import User

if TYPE_CHECKING:
    from ehcp.models import Child


def actions_panel(user: User, child: object) -> ChildPanel | None:
    """The child's remedial actions the user may see (actions.access.actions.visible, as the action tracker),
    latest raised first: what, worker, due date with its RAG, status. None for users who see counts only
    (board members), for whom the tracker is refused."""
    if not access.actions.can(user, "see_rows"):
        return None
    actions = access.actions.visible(user).filter(child=cast("Child", child))
    return child_panel(
        actions.select_related("worker").order_by("-raised_at", "-pk"),
        order=20,
        key="actions",
        title="Remedial actions",
        template="actions/child_panels/actions.html",
        list_url=child_list_url("actions:actions", child),
        more_label="See all {total} remedial actions of this child",
        empty="There are no remedial actions about this child in your action tracker.",
    )


def escalations_panel(user: User, child: object) -> ChildPanel | None:
    """The child's case escalations the user may see (actions.access.escalations.visible, as the escalations
    list), latest raised first: reason, agency, date raised, status. Left out for users whose navigation has
    no escalations list when there is nothing to show them."""
    escalations = access.escalations.visible(user).filter(child=cast("Child", child))
    panel = child_panel(
        escalations.select_related("agency").order_by("-raised_at", "-pk"),
        order=30,
        key="escalations",
        title="Case escalations",
        template="actions/child_panels/escalations.html",
        list_url=child_list_url("actions:escalations", child),
        more_label="See all {total} escalations of this child",
        empty="There are no case escalations about this child in your escalations list.",
    )
    if not panel.total and not access.escalations.can(user, "list"):
        return None
    return panel
