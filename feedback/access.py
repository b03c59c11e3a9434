"""Who may see and change complaints and compliments, and the voice: feedback forms, invitations, responses
and advocacy returns.

Complaints and compliments:
- SQA officers: every complaint and compliment of their partnership; they may log and change any.
- Staff with a working role in an agency: that agency's complaints and compliments.
- Agency managers and heads of service: may also log and change their agency's.
- Board members (and admins without a working role): none of the rows; the quarterly analysis (aggregates only,
  which SQA officers see too: `complaints.aggregate_scope`, `compliments.aggregate_scope`).
The voice:
- Feedback forms: everyone with a working role reads them (to know what families are asked); SQA officers keep
  them (create, change, approve, new version).
- Invitations: SQA officers see all; staff with a working role see their agencies' and may invite feedback for
  meetings their agency held.
- Responses: SQA officers see all; staff their agencies'. A response shows the meeting it came from (kind, date,
  agency), never the child. General-form responses about no agency are seen by SQA officers only.
  Only SQA officers tag free-text answers with themes.
- Analysis (aggregates): SQA officers and board members across the partnership; staff over their agencies
  (`responses.aggregate_scope`, `invitations.aggregate_scope`).
- Advocacy returns: written by managers of an advocacy agency (and SQA officers); read by SQA officers, the
  advocacy agency's staff and, once submitted, board members.
Invisible → 404 (`complaints.get_for_user`, ...); visible but not allowed → 403 (views ask
`complaints.can(user, action, obj)`).

Policies: `complaints`, `compliments`, `forms`, `invitations`, `responses`, `advocacy`.
"""

from __future__ import annotations

from typing import Any, ClassVar

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
from qaf.access import WORKING_ROLES, UserAccess, user_access
from qaf.models import Agency, AgencyKind, Role
from qaf.policies import AnyUser, Policy

LOGGING_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


def _visible_agency_ids(user: AnyUser) -> frozenset[int] | None:
    """None for "every agency of the partnership" (SQA); otherwise the agencies whose rows the user sees."""
    access = user_access(user)
    if access.is_sqa:
        return None
    return access.agencies_for(*WORKING_ROLES)


def _partnership_agencies(user: AnyUser, **lookup: Any) -> QuerySet[Agency]:
    """The agencies of the user's partnership matching `lookup` (none for a user without one)."""
    access = user_access(user)
    if access.partnership_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=access.partnership_id, **lookup)


def _seen_agencies(user: AnyUser, **lookup: Any) -> QuerySet[Agency]:
    """The agencies (matching `lookup`) whose rows the user sees: every one for SQA, else their own."""
    agencies = _partnership_agencies(user, **lookup)
    agency_ids = _visible_agency_ids(user)
    return agencies if agency_ids is None else agencies.filter(pk__in=agency_ids)


def _beyond_reach(access: UserAccess, agency: Agency | None) -> bool:
    """Is `agency` out of the user's reach whatever their roles: they have no partnership, or it is another
    partnership's? (No agency: only the first.)"""
    if access.partnership_id is None:
        return True
    return agency is not None and agency.partnership_id != access.partnership_id


def _sees_analysis(user: AnyUser) -> bool:
    """The quarterly analysis (counts only): SQA officers and board members."""
    access = user_access(user)
    return access.partnership_id is not None and (access.is_sqa or access.has_role(Role.BOARD_MEMBER))


def _sees_lists(user: AnyUser) -> bool:
    """SQA officers and staff with a working role; board members see the analysis only."""
    return bool(user_access(user).agencies_for(*WORKING_ROLES))


class _AgencyScopedPolicy(Policy[Any]):
    """Rows with a partnership and an agency: the user's partnership's, and their agencies' unless they are an
    SQA officer; none for someone with no partnership."""

    def visible(self, user: AnyUser) -> QuerySet[Any]:
        rows = self.partnership_rows(user)
        agency_ids = _visible_agency_ids(user)
        return rows if agency_ids is None else rows.filter(agency_id__in=agency_ids)

    def filter_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        """The agencies offered in the list filters: those whose rows the user sees (every agency for SQA)."""
        return _seen_agencies(user)


class _LoggedPolicy(_AgencyScopedPolicy):
    """Complaints and compliments: seen by agency, logged by agency managers, counted by the analysis."""

    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "see_analysis", "log"})

    def aggregate_scope(self, user: AnyUser) -> QuerySet[Any]:
        """The rows the quarterly analysis counts: the whole partnership's for those who may see it
        ("see_analysis"), none otherwise. For aggregates only: never list these rows."""
        return self.partnership_rows(user) if _sees_analysis(user) else self.model._default_manager.none()

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """SQA officers and staff with a working role; board members see the analysis only."""
        return _sees_lists(user)

    def can_see_analysis(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The quarterly analysis (counts only): SQA officers and board members."""
        return _sees_analysis(user)

    def can_log(self, user: AnyUser, obj: Agency | None = None, **context: Any) -> bool:
        """May the user log for the agency `obj` (or, with no agency, for any agency at all)?"""
        access = user_access(user)
        if _beyond_reach(access, obj):
            return False
        if access.is_sqa:
            return True
        managed = access.agencies_for(*LOGGING_ROLES)
        return bool(managed) if obj is None else obj.pk in managed

    def logging_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        """The active agencies the user may log for (the choices of the logging forms)."""
        agencies = _partnership_agencies(user, is_active=True)
        if user_access(user).is_sqa:
            return agencies
        return agencies.filter(pk__in=user_access(user).agencies_for(*LOGGING_ROLES))


class ComplaintPolicy(_LoggedPolicy):
    """Complaints: as for logging them, their agency's managers (and SQA officers) change them."""

    model = Complaint
    actions: ClassVar[frozenset[str]] = _LoggedPolicy.actions | {"change"}
    detail_related = ("agency", "child", "logged_by")

    def can_change(self, user: AnyUser, obj: Complaint, **context: Any) -> bool:
        """Changing a complaint (stage, response, outcome, Ombudsman, learning): as for logging one."""
        return self.can_log(user, obj.agency)


class ComplimentPolicy(_LoggedPolicy):
    """Compliments, on the complaints' rule."""

    model = Compliment


class FormPolicy(Policy[FeedbackForm]):
    """Feedback forms: read by everyone with a working role, kept by SQA officers."""

    model = FeedbackForm
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "manage"})

    def visible(self, user: AnyUser) -> QuerySet[FeedbackForm]:
        """The partnership's feedback forms, for those who see the feedback lists."""
        return self.partnership_rows(user) if self.can_list(user) else FeedbackForm.objects.none()

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Those who see the feedback lists see the list of forms."""
        return _sees_lists(user)

    def can_manage(self, user: AnyUser, obj: FeedbackForm | None = None, **context: Any) -> bool:
        """Only SQA officers build, approve and retire feedback forms."""
        return user_access(user).is_sqa


class _AnalysedPolicy(_AgencyScopedPolicy):
    """Invitations and responses, which the feedback analysis counts."""

    def aggregate_scope(self, user: AnyUser) -> QuerySet[Any]:
        """The rows the feedback analysis counts (aggregates only), invitations for response rates: the
        partnership's for SQA officers and board members, the user's agencies' for other staff, none otherwise."""
        return self.partnership_rows(user) if _sees_analysis(user) else self.visible(user)


class InvitationPolicy(_AnalysedPolicy):
    """Invitations: SQA officers all of the partnership's, staff their agencies', who also invite for them."""

    model = FeedbackInvitation
    actions: ClassVar[frozenset[str]] = frozenset({"view", "invite"})
    detail_related = ("agency", "version__form", "child", "created_by")

    def can_invite(self, user: AnyUser, obj: Agency | None = None, **context: Any) -> bool:
        """May the user create invitations for the agency `obj`'s meetings (or, with no agency, for any)?"""
        if _beyond_reach(user_access(user), obj):
            return False
        agency_ids = _visible_agency_ids(user)
        if agency_ids is None:
            return True
        return bool(agency_ids) if obj is None else obj.pk in agency_ids

    def inviting_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        """The agencies the user may send invitations for: every active agency for SQA, else their own."""
        return _seen_agencies(user, is_active=True)


class ResponsePolicy(_AnalysedPolicy):
    """Responses, on the invitations' rule (general-form responses about no agency are the SQA officers'
    alone); tagged by SQA officers."""

    model = FeedbackResponse
    actions: ClassVar[frozenset[str]] = frozenset({"view", "tag", "see_analysis"})
    detail_related = ("agency", "version__form")

    def can_tag(self, user: AnyUser, obj: FeedbackResponse | None = None, **context: Any) -> bool:
        """Tagging free-text answers with themes: SQA officers."""
        return user_access(user).is_sqa

    def can_see_analysis(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The feedback analysis (and the voice pages): SQA officers, board members and working staff."""
        return _sees_analysis(user) or _sees_lists(user)


class AdvocacyPolicy(Policy[AdvocacyReturn]):
    """Advocacy returns: written by an advocacy agency's managers and SQA officers; read by SQA officers, the
    advocacy agency's staff and, once submitted, board members."""

    model = AdvocacyReturn
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "write"})
    detail_related = ("agency",)

    def _advocacy_agency_ids(self, user: AnyUser, *roles: str) -> frozenset[int]:
        access = user_access(user)
        if access.partnership_id is None:
            return frozenset()
        ids = access.agencies_for(*roles)
        if not ids:
            return frozenset()
        return frozenset(
            Agency.objects.filter(pk__in=ids, kind=AgencyKind.ADVOCACY).values_list("pk", flat=True)
        )

    def visible(self, user: AnyUser) -> QuerySet[AdvocacyReturn]:
        """The advocacy returns the user may read: every one of the partnership's for SQA officers, their
        advocacy agencies' for its staff, and submitted ones for board members."""
        return self.partnership_rows_by_rule(user, self._seen_rule)

    def _seen_rule(self, user: AnyUser, access: UserAccess) -> Q:
        rule = Q(agency_id__in=self._advocacy_agency_ids(user, *WORKING_ROLES))
        if access.has_role(Role.BOARD_MEMBER):
            rule |= Q(status=AdvocacyReturnStatus.SUBMITTED)
        return rule

    def writing_agencies(self, user: AnyUser) -> QuerySet[Agency]:
        """The advocacy agencies the user may write returns for."""
        agencies = _partnership_agencies(user, kind=AgencyKind.ADVOCACY)
        if user_access(user).is_sqa:
            return agencies
        return agencies.filter(pk__in=self._advocacy_agency_ids(user, *LOGGING_ROLES))

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """SQA officers, board members and advocacy staff see the advocacy returns list."""
        access = user_access(user)
        return access.partnership_id is not None and (
            access.is_sqa
            or access.has_role(Role.BOARD_MEMBER)
            or bool(self._advocacy_agency_ids(user, *WORKING_ROLES))
        )

    def can_write(self, user: AnyUser, obj: AdvocacyReturn | None = None, **context: Any) -> bool:
        """May the user write a return (with `obj`: change this one)? For the agencies they write for."""
        if obj is None:
            return self.writing_agencies(user).exists()
        return self.writing_agencies(user).filter(pk=obj.agency_id).exists()


complaints = ComplaintPolicy()
compliments = ComplimentPolicy()
forms = FormPolicy()
invitations = InvitationPolicy()
responses = ResponsePolicy()
advocacy = AdvocacyPolicy()
