"""Access helpers every app's policy builds on.

A user's standing is computed once per request from their memberships (`user_access`) and cached on the
user object. App policies (`ehcp/access.py`, ...) turn it into "may this user do X?" and "which rows may
they see?". Nothing here looks at a particular child, audit or complaint.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

from qaf.models import AgencyKind, Membership, Partnership, Role, User

_CACHE_ATTR = "_qaf_access"

_M = TypeVar("_M", bound=Model)
_Row = TypeVar("_Row")


@dataclass(frozen=True)
class UserAccess:
    """What a user is in their partnership: their roles, and the agencies they hold each role in."""

    partnership_id: int | None
    roles: frozenset[str] = frozenset()
    # role -> agency ids in which the user holds that role
    agencies_by_role: dict[str, frozenset[int]] = field(default_factory=dict)
    # agency kinds the user belongs to (any role)
    agency_kinds: frozenset[str] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    # the teams the user is team manager of (never the teams they are only a member of)
    managed_team_ids: frozenset[int] = frozenset()
    # statutory assessment team agencies in which the user has a working role (not board or admin)
    agency_ids_of_kind_working: frozenset[int] = frozenset()

    def has_role(self, *roles: str) -> bool:
        """Whether the user holds any of `roles` in any agency."""
        return any(role in self.roles for role in roles)

    @property
    def is_sqa(self) -> bool:
        """An SQA officer: sees every child and audit of the partnership."""
        return Role.SQA_OFFICER in self.roles

    @property
    def is_sat(self) -> bool:
        """A member of a statutory assessment team in a working role (not a board member)."""
        return bool(self.agency_ids_of_kind_working)

    @property
    def is_board_only(self) -> bool:
        """Whether the user's only role is board member (aggregates only, never a child)."""
        return self.roles == frozenset({Role.BOARD_MEMBER})

    @property
    def is_partnership_admin(self) -> bool:
        """Whether the user administers the partnership."""
        return Role.PARTNERSHIP_ADMIN in self.roles

    @property
    def home_kind(self) -> str:
        """The user's main standing, which chooses their home page: "sqa", "sat", "agency" (any other working
        role), "board" (a board member without a working role), "admin" (a partnership admin only) or "none"."""
        if self.partnership_id is None:
            return "none"
        if self.is_sqa:
            return "sqa"
        if self.is_sat:
            return "sat"
        if self.agencies_for(*WORKING_ROLES):
            return "agency"
        if self.has_role(Role.BOARD_MEMBER):
            return "board"
        if self.is_partnership_admin:
            return "admin"
        return "none"

    def agencies_for(self, *roles: str) -> frozenset[int]:
        """The agencies in which the user holds any of `roles`."""
        ids: set[int] = set()
        for role in roles:
            ids |= self.agencies_by_role.get(role, frozenset())
        return frozenset(ids)


NO_ACCESS = UserAccess(partnership_id=None)

# Roles that do casework or manage it inside an agency, as opposed to governance and administration.
WORKING_ROLES = (
    Role.SQA_OFFICER,
    Role.AGENCY_MANAGER,
    Role.PRACTITIONER,
    Role.TEAM_MANAGER,
    Role.HEAD_OF_SERVICE,
)


def user_access(user: User | AnonymousUser) -> UserAccess:
    """Return the user's standing, computed from their memberships with one query and cached on the user.

    Anonymous and inactive users, and users without a partnership, get NO_ACCESS.
    """
    if not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached: UserAccess | None = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    if user.partnership_id is None:
        access = NO_ACCESS
    else:
        rows = list(
            Membership.objects.filter(
                user=user, agency__partnership_id=user.partnership_id, agency__is_active=True
            ).values_list("role", "agency_id", "agency__kind", "team_id")
        )
        by_role: dict[str, set[int]] = {}
        kinds: set[str] = set()
        managed_teams: set[int] = set()
        sat_working: set[int] = set()
        for role, agency_id, kind, team_id in rows:
            by_role.setdefault(role, set()).add(agency_id)
            kinds.add(kind)
            if role == Role.TEAM_MANAGER and team_id:
                managed_teams.add(team_id)
            if kind == AgencyKind.SAT and role in WORKING_ROLES:
                sat_working.add(agency_id)
        access = UserAccess(
            partnership_id=user.partnership_id,
            roles=frozenset(by_role),
            agencies_by_role={role: frozenset(ids) for role, ids in by_role.items()},
            agency_kinds=frozenset(kinds),
            agency_ids=frozenset(a for ids in by_role.values() for a in ids),
            managed_team_ids=frozenset(managed_teams),
            agency_ids_of_kind_working=frozenset(sat_working),
        )
    setattr(user, _CACHE_ATTR, access)
    return access


def managed_team_ids(user: User | AnonymousUser) -> frozenset[int]:
    """The teams whose actions the user has as a team manager: the teams of their team-manager memberships, and
    only those. A practitioner in one team who manages another has the other team only. Every team scope
    (who sees and verifies a team's actions, "my team's actions", the weekly digest) is this set."""
    return user_access(user).managed_team_ids


def is_sqa_of(user: User | AnonymousUser, partnership_id: int) -> bool:
    """Is the user an SQA officer of this partnership?"""
    access = user_access(user)
    return access.is_sqa and access.partnership_id == partnership_id


def administers_partnership(user: User | AnonymousUser) -> bool:
    """Is the user a partnership admin, who (as staff) may use the admin pages of their partnership?"""
    return user_access(user).is_partnership_admin


def forget_access(user: User) -> None:
    """Drop the cached standing, after memberships change within one request or test."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def partnership_for(user: User | AnonymousUser) -> Partnership | None:
    """The user's partnership, or None for anonymous users and users outside every partnership."""
    if not user.is_authenticated or user.partnership_id is None:
        return None
    return user.partnership


def get_for_user_or_404(queryset: QuerySet[_M, _Row], **lookup: Any) -> _Row:
    """Fetch one row from an already-scoped queryset: the same 404 for 'does not exist' and 'not yours'."""
    try:
        return queryset.get(**lookup)
    except (ObjectDoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Not found") from exc
