"""Who may see and change complaints and compliments (and, further down, the voice: forms, invitations,
responses and advocacy returns).

- SQA officers: every complaint and compliment of their partnership; they may log and change any.
- Staff with a working role in an agency: that agency's complaints and compliments.
- Agency managers and heads of service: may also log and change their agency's.
- Board members (and admins without a working role): none of the rows; the quarterly analysis (aggregates only).
Invisible → 404 (`complaint_get_for_user`); visible but not allowed → 403 (views check the `can_*` functions).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from feedback.models import (
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Complaint,
    Compliment,
    FeedbackForm,
    FeedbackInvitation,
    FeedbackResponse,
)
from qaf.access import WORKING_ROLES, get_for_user_or_404, user_access
from qaf.models import Agency, AgencyKind, Role, User

LOGGING_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


def _visible_agency_ids(user: User) -> frozenset[int] | None:
    """None for "every agency of the partnership" (SQA); otherwise the agencies whose rows the user sees."""
    access = user_access(user)
    if access.is_sqa:
        return None
    return access.agencies_for(*WORKING_ROLES)


def _agency_scoped(user: User, queryset: QuerySet) -> QuerySet:
    """`queryset` (rows with partnership and agency) cut to the user's partnership, and to their agencies unless
    they are an SQA officer; empty for someone with no partnership."""
    access = user_access(user)
    if access.partnership_id is None:
        return queryset.none()
    rows = queryset.filter(partnership_id=access.partnership_id)
    agency_ids = _visible_agency_ids(user)
    return rows if agency_ids is None else rows.filter(agency_id__in=agency_ids)


def visible_complaints(user: User) -> QuerySet[Complaint]:
    """The complaints the user may see, never crossing partnerships."""
    return _agency_scoped(user, Complaint.objects.all())


def visible_compliments(user: User) -> QuerySet[Compliment]:
    """The compliments the user may see, on the same rule as complaints."""
    return _agency_scoped(user, Compliment.objects.all())


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


# --- Voice: feedback forms, invitations, responses and advocacy returns -----------------------------------------
#
# - Feedback forms: everyone with a working role reads them (to know what families are asked); SQA officers keep
#   them (create, change, approve, new version).
# - Invitations: SQA officers see all; staff with a working role see their agencies' and may invite feedback for
#   meetings their agency held.
# - Responses: SQA officers see all; staff their agencies'. A response shows the meeting it came from (kind, date,
#   agency), never the child. General-form responses about no agency are seen by SQA officers only.
#   Only SQA officers tag free-text answers with themes.
# - Analysis (aggregates): SQA officers and board members across the partnership; staff over their agencies.
# - Advocacy returns: written by managers of an advocacy agency (and SQA officers); read by SQA officers, the
#   advocacy agency's staff and, once submitted, board members.


def can_see_forms(user: User) -> bool:
    return bool(user_access(user).agencies_for(*WORKING_ROLES))


def can_manage_forms(user: User) -> bool:
    return user_access(user).is_sqa


def visible_forms(user: User) -> QuerySet[FeedbackForm]:
    access = user_access(user)
    if not can_see_forms(user):
        return FeedbackForm.objects.none()
    return FeedbackForm.objects.filter(partnership_id=access.partnership_id)


def form_get_for_user(user: User, pk: int) -> FeedbackForm:
    return get_for_user_or_404(visible_forms(user), pk=pk)


def visible_invitations(user: User) -> QuerySet[FeedbackInvitation]:
    """The invitations the user may see: SQA officers all of the partnership's, staff their agencies'."""
    return _agency_scoped(user, FeedbackInvitation.objects.all())


def inviting_agencies(user: User) -> QuerySet[Agency]:
    """The agencies the user may send invitations for: every active agency for SQA, else their own."""
    access = user_access(user)
    if access.partnership_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
    agency_ids = _visible_agency_ids(user)
    return agencies if agency_ids is None else agencies.filter(pk__in=agency_ids)


def can_invite(user: User, agency: Agency | None = None) -> bool:
    """May the user create invitations for this agency's meetings (or, with no agency, for any)?"""
    access = user_access(user)
    if access.partnership_id is None:
        return False
    if agency is not None and agency.partnership_id != access.partnership_id:
        return False
    agency_ids = _visible_agency_ids(user)
    if agency_ids is None:
        return True
    return bool(agency_ids) if agency is None else agency.pk in agency_ids


def invitation_get_for_user(user: User, pk: int) -> FeedbackInvitation:
    return get_for_user_or_404(
        visible_invitations(user).select_related("agency", "version__form", "child", "created_by"), pk=pk
    )


def visible_responses(user: User) -> QuerySet[FeedbackResponse]:
    """The responses the user may see, on the same rule as invitations (general-form responses about no
    agency are the SQA officers' alone)."""
    return _agency_scoped(user, FeedbackResponse.objects.all())


def response_get_for_user(user: User, pk: int) -> FeedbackResponse:
    return get_for_user_or_404(visible_responses(user).select_related("agency", "version__form"), pk=pk)


def can_tag(user: User) -> bool:
    """Tagging free-text answers with themes: SQA officers."""
    return user_access(user).is_sqa


def feedback_analysis_scope(user: User) -> QuerySet[FeedbackResponse]:
    """The responses the feedback analysis counts (aggregates only): the partnership's for SQA officers and board
    members, the user's agencies' for other staff, none otherwise."""
    access = user_access(user)
    if access.partnership_id is None:
        return FeedbackResponse.objects.none()
    if can_see_analysis(user):
        return FeedbackResponse.objects.filter(partnership_id=access.partnership_id)
    return visible_responses(user)


def feedback_invitation_scope(user: User) -> QuerySet[FeedbackInvitation]:
    """The invitations response rates are computed over, on the same rule as `feedback_analysis_scope`."""
    access = user_access(user)
    if access.partnership_id is None:
        return FeedbackInvitation.objects.none()
    if can_see_analysis(user):
        return FeedbackInvitation.objects.filter(partnership_id=access.partnership_id)
    return visible_invitations(user)


def can_see_feedback_analysis(user: User) -> bool:
    return can_see_analysis(user) or can_see_lists(user)


def _advocacy_agency_ids(user: User, *roles: str) -> frozenset[int]:
    access = user_access(user)
    if access.partnership_id is None:
        return frozenset()
    ids = access.agencies_for(*roles)
    if not ids:
        return frozenset()
    return frozenset(Agency.objects.filter(pk__in=ids, kind=AgencyKind.ADVOCACY).values_list("pk", flat=True))


def visible_advocacy_returns(user: User) -> QuerySet[AdvocacyReturn]:
    access = user_access(user)
    if access.partnership_id is None:
        return AdvocacyReturn.objects.none()
    returns = AdvocacyReturn.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return returns
    own = _advocacy_agency_ids(user, *WORKING_ROLES)
    query = Q(agency_id__in=own)
    if access.has_role(Role.BOARD_MEMBER):
        query |= Q(status=AdvocacyReturnStatus.SUBMITTED)
    return returns.filter(query)


def advocacy_agencies(user: User) -> QuerySet[Agency]:
    """The advocacy agencies the user may write returns for."""
    access = user_access(user)
    if access.partnership_id is None:
        return Agency.objects.none()
    agencies = Agency.objects.filter(partnership_id=access.partnership_id, kind=AgencyKind.ADVOCACY)
    if access.is_sqa:
        return agencies
    return agencies.filter(pk__in=_advocacy_agency_ids(user, *LOGGING_ROLES))


def can_see_advocacy(user: User) -> bool:
    access = user_access(user)
    return access.partnership_id is not None and (
        access.is_sqa
        or access.has_role(Role.BOARD_MEMBER)
        or bool(_advocacy_agency_ids(user, *WORKING_ROLES))
    )


def can_write_advocacy_return(user: User, advocacy_return: AdvocacyReturn | None = None) -> bool:
    if advocacy_return is None:
        return advocacy_agencies(user).exists()
    return advocacy_agencies(user).filter(pk=advocacy_return.agency_id).exists()


def advocacy_return_get_for_user(user: User, pk: int) -> AdvocacyReturn:
    return get_for_user_or_404(visible_advocacy_returns(user).select_related("agency"), pk=pk)
