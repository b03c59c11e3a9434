"""Who may see and change children, assessments, plans and reviews.

- SQA officers and working members of a statutory assessment team see every child of their partnership.
- Other agency staff see the children their agency is involved with.
- Board members and partnership admins see no child, except one granted to them explicitly.
- Explicit grants (django-guardian, `ehcp.view_child` on one child) let a user outside the child's agencies see
  it: the audit engine grants them to Level 3 panel members and Level 4 lead board members, and revokes them.
- The children list is for anyone with a working role in an agency of their partnership (board members and
  partnership admins reach a child granted to them by its own page).
- Changing a child's record (and its assessments, plans, reviews, imports) is for SQA officers and SAT staff.
- A child's assessments, plans and reviews are seen by whoever sees the child.
Invisible objects are a 404 (`children.get_for_user`), visible but not changeable a 403 (the views ask
`children.can(user, "change", child)`).

Policies: `children`, `assessments`, `plans`, `reviews`.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from django.db.models import Q, QuerySet

from ehcp.models import AnnualReview, Child, ChildUserObjectPermission, NeedsAssessment, Plan
from qaf.access import WORKING_ROLES, user_access
from qaf.models import Agency, User
from qaf.policies import AnyUser, Policy


def _granted_child_ids(user: User) -> QuerySet[ChildUserObjectPermission, int]:
    """Ids of the children granted to the user one by one (a subquery, not evaluated here)."""
    return ChildUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename="view_child"
    ).values_list("content_object_id", flat=True)


class ChildPolicy(Policy[Child]):
    """Children: seen by partnership, agency or explicit grant; changed by SQA officers and SAT staff."""

    model = Child
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "change", "import"})

    def sees_all(self, user: AnyUser) -> bool:
        """Does the user see every child of their partnership (SQA officers and SAT staff)?"""
        access = user_access(user)
        return access.partnership_id is not None and (access.is_sqa or access.is_sat)

    def visible(self, user: AnyUser) -> QuerySet[Child]:
        """The children the user may see: scoped to their partnership and, for agency staff, their agencies,
        plus any child granted to them explicitly."""
        access = user_access(user)
        if access.partnership_id is None or not user.is_authenticated:
            return Child.objects.none()
        children = Child.objects.filter(partnership_id=access.partnership_id)
        if access.is_sqa or access.is_sat:
            return children
        agency_ids = access.agencies_for(*WORKING_ROLES)
        granted = Q(pk__in=_granted_child_ids(user))
        if not agency_ids:
            return children.filter(granted)
        # Subqueries on the through table and the grants keep one row per child without DISTINCT.
        through = Child.agencies.through.objects.filter(agency_id__in=agency_ids)
        return children.filter(Q(pk__in=through.values("child_id")) | granted)

    def aggregate_scope(self, user: AnyUser) -> QuerySet[Child]:
        """The children the user's figures count: a board member without a working role counts every child of
        the partnership (and sees none of them); everyone else counts the children they see."""
        return self.partnership_rows(user) if user_access(user).home_kind == "board" else self.visible(user)

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """May the user open the children list (and the other pages that list children)? Anyone with a
        working role in an agency of their partnership."""
        return bool(user_access(user).agencies_for(*WORKING_ROLES))

    def can_change(self, user: AnyUser, obj: Child | None = None, **context: Any) -> bool:
        """May the user add children (no `obj`), or change this child's record? SQA officers and SAT staff."""
        return self.sees_all(user) and (obj is None or obj.partnership_id == user_access(user).partnership_id)

    def can_import(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """May the user import children from a spreadsheet? As for adding them."""
        return self.sees_all(user)

    def filter_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        """The active agencies offered in the children list's agency filter: all of the partnership's for users
        who see every child, otherwise the user's own."""
        access = user_access(user)
        if access.partnership_id is None:
            return Agency.objects.none()
        agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
        if not self.sees_all(user):
            agencies = agencies.filter(pk__in=access.agencies_for(*WORKING_ROLES))
        return agencies


OfChild = TypeVar("OfChild", NeedsAssessment, Plan, AnnualReview)


class _OfChildPolicy(Policy[OfChild]):
    """A record about one child: seen by whoever sees the child, changed by whoever may change the child."""

    actions: ClassVar[frozenset[str]] = frozenset({"view", "change"})

    def visible(self, user: AnyUser) -> QuerySet[OfChild]:
        return self.model._default_manager.filter(child__in=children.visible(user))

    def can_change(self, user: AnyUser, obj: OfChild | None = None, **context: Any) -> bool:
        return children.can_change(user, None if obj is None else obj.child)


class AssessmentPolicy(_OfChildPolicy[NeedsAssessment]):
    """Needs assessments, on their child's rule."""

    model = NeedsAssessment


class PlanPolicy(_OfChildPolicy[Plan]):
    """EHC plans, on their child's rule."""

    model = Plan


class ReviewPolicy(_OfChildPolicy[AnnualReview]):
    """Annual reviews, on their child's rule."""

    model = AnnualReview


children = ChildPolicy()
assessments = AssessmentPolicy()
plans = PlanPolicy()
reviews = ReviewPolicy()
