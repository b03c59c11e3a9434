"""Who may see and change complaints and compliments.

- SQA officers: every complaint and compliment of their partnership; they may log and change any.
- Staff with a working role in an agency: that agency's complaints and compliments.
- Agency managers and heads of service: may also log and change their agency's.
- Board members (and admins without a working role): none of the rows; the quarterly analysis (aggregates only).
Invisible → 404 (`complaint_get_for_user`); visible but not allowed → 403 (views check the `can_*` functions).
"""

from __future__ import annotations

from django.db.models import QuerySet

from feedback.models import Complaint, Compliment
from qaf.access import WORKING_ROLES, get_for_user_or_404, user_access
from qaf.models import Agency, Role, User

LOGGING_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


def _visible_agency_ids(user: User) -> frozenset[int] | None:
    """None for "every agency of the partnership" (SQA); otherwise the agencies whose rows the user sees."""
    access = user_access(user)
    if access.is_sqa:
        return None
    return access.agencies_for(*WORKING_ROLES)


def visible_complaints(user: User) -> QuerySet[Complaint]:
    """The complaints the user may see, never crossing partnerships."""
    access = user_access(user)
    if access.partnership_id is None:
        return Complaint.objects.none()
    complaints = Complaint.objects.filter(partnership_id=access.partnership_id)
    agency_ids = _visible_agency_ids(user)
    return complaints if agency_ids is None else complaints.filter(agency_id__in=agency_ids)


def visible_compliments(user: User) -> QuerySet[Compliment]:
    """The compliments the user may see, on the same rule as complaints."""
    access = user_access(user)
    if access.partnership_id is None:
        return Compliment.objects.none()
    compliments = Compliment.objects.filter(partnership_id=access.partnership_id)
    agency_ids = _visible_agency_ids(user)
    return compliments if agency_ids is None else compliments.filter(agency_id__in=agency_ids)


def filter_agencies(user: User) -> QuerySet[Agency]:
    """The agencies offered in the list filters: those whose rows the user sees (every agency for SQA)."""
    access = user_access(user)
    if access.partnership_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(partnership_id=access.partnership_id)
    agency_ids = _visible_agency_ids(user)
    return agencies if agency_ids is None else agencies.filter(pk__in=agency_ids)


def analysis_scope(user: User) -> tuple[QuerySet[Complaint], QuerySet[Compliment]]:
    """The complaints and compliments the quarterly analysis counts: the whole partnership's for those who
    may see it (`can_see_analysis`), none otherwise. For aggregates only: never list these rows."""
    if not can_see_analysis(user):
        return Complaint.objects.none(), Compliment.objects.none()
    partnership_id = user_access(user).partnership_id
    return (
        Complaint.objects.filter(partnership_id=partnership_id),
        Compliment.objects.filter(partnership_id=partnership_id),
    )


def can_see_lists(user: User) -> bool:
    """SQA officers and staff with a working role; board members see the analysis only."""
    return bool(user_access(user).agencies_for(*WORKING_ROLES))


def can_see_analysis(user: User) -> bool:
    """The quarterly analysis (counts only): SQA officers and board members."""
    access = user_access(user)
    return access.partnership_id is not None and (access.is_sqa or access.has_role(Role.BOARD_MEMBER))


def logging_agencies(user: User) -> QuerySet[Agency]:
    """The agencies the user may log complaints and compliments for."""
    access = user_access(user)
    if access.partnership_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
    if access.is_sqa:
        return agencies
    return agencies.filter(pk__in=access.agencies_for(*LOGGING_ROLES))


def can_log(user: User, agency: Agency | None = None) -> bool:
    """May the user log for this agency (or, with no agency, for any agency at all)?"""
    access = user_access(user)
    if access.partnership_id is None:
        return False
    if agency is not None and agency.partnership_id != access.partnership_id:
        return False
    if access.is_sqa:
        return True
    managed = access.agencies_for(*LOGGING_ROLES)
    return bool(managed) if agency is None else agency.pk in managed


def can_change(user: User, complaint: Complaint) -> bool:
    """Changing a complaint (stage, response, outcome, Ombudsman, learning): as for logging one."""
    return can_log(user, complaint.agency)


def complaint_get_for_user(user: User, pk: int) -> Complaint:
    """The complaint if the user may see it; Http404 otherwise (the same for absent and hidden)."""
    return get_for_user_or_404(visible_complaints(user).select_related("agency", "child", "logged_by"), pk=pk)
