"""Who may see and change children, assessments, plans and reviews.

- SQA officers and working members of a statutory assessment team see every child of their partnership.
- Other agency staff see the children their agency is involved with.
- Board members and partnership admins see no child, except one granted to them explicitly.
- Explicit grants (django-guardian, `ehcp.view_child` on one child) let a user outside the child's agencies see
  it: the audit engine grants them to Level 3 panel members and Level 4 lead board members, and revokes them.
- Changing a child's record (and its assessments, plans, reviews, imports) is for SQA officers and SAT staff.
Invisible objects are a 404 (`child_get_for_user`), visible but not changeable a 403 (the views check
`can_change`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from ehcp.models import AnnualReview, Child, ChildUserObjectPermission, NeedsAssessment, Plan
from qaf.access import WORKING_ROLES, get_for_user_or_404, user_access
from qaf.models import User


def sees_all_children(user: User) -> bool:
    access = user_access(user)
    return access.partnership_id is not None and (access.is_sqa or access.is_sat)


def granted_child_ids(user: User) -> QuerySet:
    """Ids of the children granted to the user one by one (a subquery, not evaluated here)."""
    return ChildUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename="view_child"
    ).values("content_object_id")


def visible(user: User) -> QuerySet[Child]:
    """The children the user may see: scoped to their partnership and, for agency staff, their agencies,
    plus any child granted to them explicitly."""
    access = user_access(user)
    if access.partnership_id is None:
        return Child.objects.none()
    children = Child.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa or access.is_sat:
        return children
    agency_ids = access.agencies_for(*WORKING_ROLES)
    granted = Q(pk__in=granted_child_ids(user))
    if not agency_ids:
        return children.filter(granted)
    # Subqueries on the through table and the grants keep one row per child without DISTINCT.
    through = Child.agencies.through.objects.filter(agency_id__in=agency_ids)
    return children.filter(Q(pk__in=through.values("child_id")) | granted)


def can_view(user: User, child: Child) -> bool:
    return visible(user).filter(pk=child.pk).exists()


def can_list(user: User) -> bool:
    """May the user open the children list? Anyone with a working role in an agency of their partnership.

    Board members and partnership admins may not (a child granted to them is reached by its own page)."""
    return bool(user_access(user).agencies_for(*WORKING_ROLES))


def can_change(user: User, child: Child | None = None) -> bool:
    """May the user add children, or change this child's record? SQA officers and SAT staff only."""
    return sees_all_children(user) and (child is None or child.partnership_id == user.partnership_id)


def can_import(user: User) -> bool:
    return sees_all_children(user)


def child_get_for_user(user: User, pk: int) -> Child:
    """The child with this id if the user may see it; Http404 otherwise (the same for absent and hidden)."""
    return get_for_user_or_404(visible(user), pk=pk)


def visible_assessments(user: User) -> QuerySet[NeedsAssessment]:
    return NeedsAssessment.objects.filter(child__in=visible(user))


def visible_plans(user: User) -> QuerySet[Plan]:
    return Plan.objects.filter(child__in=visible(user))


def visible_reviews(user: User) -> QuerySet[AnnualReview]:
    return AnnualReview.objects.filter(child__in=visible(user))
