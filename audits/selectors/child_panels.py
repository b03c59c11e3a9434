"""The child's page section the audit engine draws (registered with qaf.hooks): the child's audits.

It is the audit list cut to the child: the same access function and the same filter code, so a user sees on the
child's page exactly the rows they would see in that list filtered to this child, latest due first, the latest
qaf.hooks.PANEL_ROWS of them with a link to the full list. Two queries, however many rows. (The child's
remedial actions and escalations are the actions app's sections.)
"""

from __future__ import annotations

from audits import access
from ehcp.models import Child
from qaf.hooks import ChildPanel, child_list_url, child_panel
from qaf.models import User


def audits_panel(user: User, child: object) -> ChildPanel | None:
    """The child's audits the user may see (audits.access.audits.visible, as the audit list), latest due first:
    level, tool, agency, due date, status and grade of record, each linking to the audit page."""
    if not isinstance(child, Child):  # qaf.hooks hands every panel provider the child as an object
        return None
    audits = access.audits.visible(user).filter(child_id=child.pk)
    return child_panel(
        audits.select_related("agency", "tool_version__tool").order_by("-due_on", "-pk"),
        order=10,
        key="audits",
        title="Audits",
        template="audits/child_panels/audits.html",
        list_url=child_list_url("audits:audit-list", child),
        more_label="See all {total} audits of this child",
        empty="There are no audits of this child in your audit list.",
    )
