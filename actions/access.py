"""Who may see and do what with remedial actions and case escalations.

Seeing an action: the worker who carries it out, whoever raised it and its recorded team manager; team
managers the actions of the teams they manage (qaf.access.managed_team_ids); agency managers and heads of
service their agency's; SQA officers all of the partnership's. Board members see counts only (no rows).
Seeing an escalation: SQA officers all; heads of service and agency managers their agency's; whoever raised it
or was sent it.

Invisible → 404 (`action_get_for_user`, `escalation_get_for_user`); visible but not allowed → 403 (views check
the `can_*` functions). Records actions come from are checked through actions.sources.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from actions import sources
from actions.models import ActionStatus, Escalation, EscalationStatus, RemedialAction
from qaf.access import WORKING_ROLES, get_for_user_or_404, managed_team_ids, user_access
from qaf.models import Agency, Role, User

MANAGER_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


def visible_actions(user: User) -> QuerySet[RemedialAction]:
    """The remedial actions the user may see (one row each)."""
    access = user_access(user)
    if access.partnership_id is None:
        return RemedialAction.objects.none()
    actions = RemedialAction.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return actions
    rule = Q(worker_id=user.pk) | Q(team_manager_id=user.pk) | Q(raised_by_id=user.pk)
    if managed_team_ids(user):
        rule |= Q(team_id__in=managed_team_ids(user))
    managed = access.agencies_for(*MANAGER_ROLES)
    if managed:
        rule |= Q(agency_id__in=managed)
    return actions.filter(rule)


def action_get_for_user(user: User, pk: int) -> RemedialAction:
    """The action if the user may see it; Http404 otherwise (the same for absent and hidden)."""
    return get_for_user_or_404(visible_actions(user), pk=pk)


def can_raise_action(user: User) -> bool:
    """May the user raise actions from QA activity other than a record with its own rule (a dip sample, a
    complaint, feedback analysis, other)? SQA officers, agency managers and heads of service."""
    access = user_access(user)
    return access.is_sqa or bool(access.agencies_for(*MANAGER_ROLES))


def can_raise_action_in(user: User, agency_id: int) -> bool:
    """From other QA activity, an SQA officer raises an action in any agency of the partnership; an agency
    manager or head of service only in the agencies they manage. (Partnership and active agency are the
    service's checks.)"""
    access = user_access(user)
    return access.is_sqa or agency_id in access.agencies_for(*MANAGER_ROLES)


def can_raise_action_from(user: User, record: Model) -> bool:
    """May the user raise an action from this source record? By its kind's own rule where it has one (an
    audit: its auditors while they do it, or an SQA officer of its partnership); otherwise by the general rule,
    in the record's agency when it is about one."""
    source = sources.source_of(record)
    if source is None:
        return False
    if source.may_raise is not None:
        return source.may_raise(user, record)
    agency = source.agency_of(record)
    return can_raise_action(user) and (agency is None or can_raise_action_in(user, agency.pk))


def agencies_to_raise_actions_in(user: User) -> QuerySet[Agency]:
    """The active agencies of the user's partnership in which can_raise_action_in allows them to raise an
    action (the choices of the "raise an action" page)."""
    access = user_access(user)
    agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
    if access.is_sqa:
        return agencies
    return agencies.filter(pk__in=access.agencies_for(*MANAGER_ROLES))


def action_source_get_for_user(user: User, kind: str, source_id: str) -> Model | None:
    """The record an action is to be raised from on the general page (?source=<kind>&source_id=<pk>): a record
    of a linkable kind, of the user's partnership, that they may raise actions from. None when no record is
    named; Http404 when it is absent, elsewhere or out of the user's reach (the same for each)."""
    source = sources.source_kind(kind)
    if source is None or not source.linkable or not source_id:
        return None
    return source_get_for_user(user, kind, source_id)


def source_get_for_user(user: User, kind: str, source_id: str | int) -> Model:
    """The record of a registered kind an action is to be raised from. A kind with its own rule (an audit) gives
    the record if the user may open it, whether or not they may raise an action from it now (the page says
    403); any other kind gives it only if it belongs to the user's partnership and they may raise an action in
    its agency. Http404 otherwise, the same for absent, elsewhere, out of reach and an unknown kind."""
    source = sources.source_kind(kind)
    partnership_id = user_access(user).partnership_id
    if source is None or partnership_id is None or not str(source_id).isdigit():
        raise Http404("Not found")
    if source.may_raise is not None:
        return get_for_user_or_404(source.visible(user), pk=int(source_id))
    record = apps.get_model(source.model_label).objects.filter(pk=int(source_id)).first()
    if record is None or source.partnership_of(record) != partnership_id:
        raise Http404("Not found")
    if not can_raise_action_from(user, record):
        raise Http404("Not found")
    return record


def can_work_on_action(user: User, action: RemedialAction) -> bool:
    """The worker starts and completes their action (while it is open)."""
    return action.is_open and action.worker_id == user.pk


def can_start_action(user: User, action: RemedialAction) -> bool:
    """The worker starts their action while it is open and not yet started."""
    return can_work_on_action(user, action) and action.status == ActionStatus.OPEN


def can_see_action_rows(user: User) -> bool:
    """Board members see counts of actions and escalations, never the rows (tracker, CSV, API)."""
    return not user_access(user).is_board_only


def can_see_tracker(user: User) -> bool:
    """Is the action tracker one of the user's pages (in their navigation)? Everyone with a working role."""
    return bool(user_access(user).agencies_for(*WORKING_ROLES))


def can_see_theme_counts(user: User) -> bool:
    """The themes and workforce-development aggregates are for SQA officers and board members of a
    partnership."""
    access = user_access(user)
    return access.partnership_id is not None and (access.is_sqa or access.has_role(Role.BOARD_MEMBER))


def actions_for_aggregates(user: User) -> QuerySet[RemedialAction]:
    """The actions counted in aggregate reports (themes, the board summary): the whole partnership's for those
    who may see theme counts (`can_see_theme_counts`), none otherwise. For counting only: never list them."""
    if not can_see_theme_counts(user):
        return RemedialAction.objects.none()
    return RemedialAction.objects.filter(partnership_id=user_access(user).partnership_id)


def can_verify_action(user: User, action: RemedialAction) -> bool:
    """A completed action is verified by its team manager (recorded on it, or the manager of its team), or an
    SQA officer; never by the worker alone."""
    access = user_access(user)
    if action.status != ActionStatus.COMPLETED or action.partnership_id != user.partnership_id:
        return False
    if action.worker_id == user.pk and not access.is_sqa:
        return False
    return (
        access.is_sqa
        or action.team_manager_id == user.pk
        or (action.team_id is not None and action.team_id in managed_team_ids(user))
    )


def can_cancel_action(user: User, action: RemedialAction) -> bool:
    """An open action is cancelled (with a reason) by its team manager, a manager of its agency, or SQA."""
    access = user_access(user)
    if not action.is_open or action.partnership_id != user.partnership_id:
        return False
    return (
        access.is_sqa
        or action.team_manager_id == user.pk
        or action.agency_id in access.agencies_for(*MANAGER_ROLES)
    )


# --- escalations ---------------------------------------------------------------------------------------


def visible_escalations(user: User) -> QuerySet[Escalation]:
    """SQA officers see all; heads of service and agency managers their agency's; the person who raised one
    sees it."""
    access = user_access(user)
    if access.partnership_id is None:
        return Escalation.objects.none()
    escalations = Escalation.objects.filter(partnership_id=access.partnership_id)
    if access.is_sqa:
        return escalations
    rule = Q(raised_by_id=user.pk) | Q(head_of_service_id=user.pk)
    managed = access.agencies_for(*MANAGER_ROLES)
    if managed:
        rule |= Q(agency_id__in=managed)
    return escalations.filter(rule)


def can_see_escalation_list(user: User) -> bool:
    """Is the escalations list one of the user's pages (in their navigation)? SQA officers, heads of service
    and agency managers. Anyone else reaches it only for the escalations they raised or were sent."""
    access = user_access(user)
    return access.is_sqa or access.has_role(Role.HEAD_OF_SERVICE, Role.AGENCY_MANAGER)


def escalation_get_for_user(user: User, pk: int) -> Escalation:
    """The escalation if the user may see it; Http404 otherwise (the same for absent and hidden)."""
    return get_for_user_or_404(visible_escalations(user), pk=pk)


def can_acknowledge(user: User, escalation: Escalation) -> bool:
    """The head of service of the responsible agency acknowledges an open escalation."""
    return escalation.status == EscalationStatus.OPEN and can_acknowledge_role(user, escalation)


def can_resolve(user: User, escalation: Escalation) -> bool:
    """The head of service, or an SQA officer, records how an escalation was resolved."""
    if escalation.status == EscalationStatus.RESOLVED or escalation.partnership_id != user.partnership_id:
        return False
    return user_access(user).is_sqa or (
        escalation.status == EscalationStatus.ACKNOWLEDGED and can_acknowledge_role(user, escalation)
    )


def can_acknowledge_role(user: User, escalation: Escalation) -> bool:
    """Is the user the escalation's head of service, or a head of service of its agency?"""
    return escalation.head_of_service_id == user.pk or escalation.agency_id in user_access(user).agencies_for(
        Role.HEAD_OF_SERVICE
    )
