"""Who may see and do what with remedial actions and case escalations.

Seeing an action: the worker who carries it out, whoever raised it and its recorded team manager; team
managers the actions of the teams they manage (qaf.access.managed_team_ids); agency managers and heads of
service their agency's; SQA officers all of the partnership's. Board members see counts only (no rows): the
tracker is for everyone with a working role, and the theme counts for SQA officers and board members, whose
figures count the whole partnership's actions (`actions.aggregate_scope`).
Doing an action: the worker starts and completes it; its team manager (recorded, or the manager of its team) or
an SQA officer verifies it, never the worker alone; its team manager, a manager of its agency or an SQA officer
cancels it. Raising one: from a record with its own rule (an audit) by that rule; otherwise SQA officers in any
agency of the partnership, agency managers and heads of service in the agencies they manage.
Seeing an escalation: SQA officers all; heads of service and agency managers their agency's; whoever raised it
or was sent it. The head of service of the responsible agency acknowledges it and, with SQA officers,
resolves it.

Invisible → 404 (`actions.get_for_user`, `escalations.get_for_user`); visible but not allowed → 403 (views ask
`actions.can(user, action, obj)`). Records actions come from are checked through actions.sources.

Policies: `actions`, `escalations`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from actions import sources
from actions.models import ActionStatus, Escalation, EscalationStatus, RemedialAction
from qaf.access import (
    WORKING_ROLES,
    UserAccess,
    get_for_user_or_404,
    is_sqa_of,
    managed_team_ids,
    user_access,
)
from qaf.models import Agency, Role, User
from qaf.policies import AnyUser, Policy

MANAGER_ROLES = (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE)


class ActionPolicy(Policy[RemedialAction]):
    """Remedial actions: seen by the people on them, their team and agency managers and SQA officers."""

    model = RemedialAction
    actions: ClassVar[frozenset[str]] = frozenset(
        {
            "view",
            "list",
            "list_team",
            "see_rows",
            "see_theme_counts",
            "raise",
            "raise_in",
            "start",
            "work_on",
            "verify",
            "cancel",
            "oversee",
        }
    )

    def visible(self, user: AnyUser) -> QuerySet[RemedialAction]:
        """The remedial actions the user may see (one row each)."""
        return self.partnership_rows_by_rule(user, self._seen_rule)

    @staticmethod
    def _seen_rule(user: AnyUser, access: UserAccess) -> Q:
        """The actions someone other than an SQA officer sees: those they work, manage or raised, their managed
        teams' and their managed agencies'."""
        rule = Q(worker_id=user.pk) | Q(team_manager_id=user.pk) | Q(raised_by_id=user.pk)
        if managed_team_ids(user):
            rule |= Q(team_id__in=managed_team_ids(user))
        managed = access.agencies_for(*MANAGER_ROLES)
        if managed:
            rule |= Q(agency_id__in=managed)
        return rule

    def aggregate_scope(self, user: AnyUser) -> QuerySet[RemedialAction]:
        """The actions counted in aggregate reports (themes, the board summary): the whole partnership's for
        those who may see theme counts, none otherwise. For counting only: never list them."""
        return (
            self.partnership_rows(user) if self.can_see_theme_counts(user) else RemedialAction.objects.none()
        )

    # --- pages ------------------------------------------------------------------------------------------

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Is the action tracker one of the user's pages (in their navigation)? Everyone with a working role."""
        return bool(user_access(user).agencies_for(*WORKING_ROLES))

    def can_list_team(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Is "my team's actions" one of the user's tracker tabs? Team managers."""
        return user_access(user).has_role(Role.TEAM_MANAGER)

    def can_see_rows(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Board members see counts of actions and escalations, never the rows (tracker, CSV, API)."""
        return not user_access(user).is_board_only

    def can_see_theme_counts(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """The themes and workforce-development aggregates are for SQA officers and board members of a
        partnership."""
        access = user_access(user)
        return access.partnership_id is not None and (access.is_sqa or access.has_role(Role.BOARD_MEMBER))

    # --- raising ------------------------------------------------------------------------------------------

    def can_raise(self, user: AnyUser, obj: Model | None = None, **context: Any) -> bool:
        """May the user raise an action from the source record `obj`? By its kind's own rule where it has one
        (an audit: its auditors while they do it, or an SQA officer of its partnership); otherwise by the
        general rule, in the record's agency when it is about one.

        Without a record, the general rule: may the user raise actions from QA activity other than a record
        with its own rule (a dip sample, a complaint, feedback analysis, other)? SQA officers, agency managers
        and heads of service."""
        if obj is None:
            access = user_access(user)
            return access.is_sqa or bool(access.agencies_for(*MANAGER_ROLES))
        source = sources.source_of(obj)
        if source is None:
            return False
        if source.may_raise is not None:
            return isinstance(user, User) and source.may_raise(user, obj)
        agency = source.agency_of(obj)
        return self.can_raise(user) and (agency is None or self.can_raise_in(user, agency))

    def can_raise_in(self, user: AnyUser, obj: Agency, **context: Any) -> bool:
        """From other QA activity, an SQA officer raises an action in any agency of the partnership; an agency
        manager or head of service only in the agencies they manage. (Partnership and active agency are the
        service's checks.)"""
        access = user_access(user)
        return access.is_sqa or obj.pk in access.agencies_for(*MANAGER_ROLES)

    def agencies_to_raise_in(self, user: AnyUser) -> QuerySet[Agency]:
        """The active agencies of the user's partnership in which "raise_in" allows them to raise an action
        (the choices of the "raise an action" page)."""
        access = user_access(user)
        if access.partnership_id is None:
            return Agency.objects.none()
        agencies = Agency.objects.filter(partnership_id=access.partnership_id, is_active=True)
        if access.is_sqa:
            return agencies
        return agencies.filter(pk__in=access.agencies_for(*MANAGER_ROLES))

    def linked_source_get_for_user(self, user: AnyUser, kind: str, source_id: str) -> Model | None:
        """The record an action is to be raised from on the general page (?source=<kind>&source_id=<pk>): a
        record of a linkable kind, of the user's partnership, that they may raise actions from. None when no
        record is named; Http404 when it is absent, elsewhere or out of the user's reach (the same for each)."""
        source = sources.source_kind(kind)
        if source is None or not source.linkable or not source_id:
            return None
        return self.source_get_for_user(user, kind, source_id)

    def source_get_for_user(self, user: AnyUser, kind: str, source_id: str | int) -> Model:
        """The record of a registered kind an action is to be raised from. A kind with its own rule (an audit)
        gives the record if the user may open it, whether or not they may raise an action from it now (the page
        says 403); any other kind gives it only if it belongs to the user's partnership and they may raise an
        action in its agency. Http404 otherwise, the same for absent, elsewhere, out of reach and an unknown
        kind."""
        source = sources.source_kind(kind)
        partnership_id = user_access(user).partnership_id
        if (
            source is None
            or partnership_id is None
            or not isinstance(user, User)
            or not str(source_id).isdigit()
        ):
            raise Http404("Not found")
        if source.may_raise is not None:
            opened: Model = get_for_user_or_404(source.visible(user), pk=int(source_id))
            return opened
        record: Model | None = apps.get_model(source.model_label).objects.filter(pk=int(source_id)).first()
        if record is None or source.partnership_of(record) != partnership_id:
            raise Http404("Not found")
        if not self.can_raise(user, record):
            raise Http404("Not found")
        return record

    # --- doing ---------------------------------------------------------------------------------------------

    def can_work_on(self, user: AnyUser, obj: RemedialAction, **context: Any) -> bool:
        """The worker starts and completes their action (while it is open)."""
        return obj.is_open and obj.worker_id == user.pk

    def can_start(self, user: AnyUser, obj: RemedialAction, **context: Any) -> bool:
        """The worker starts their action while it is open and not yet started."""
        return self.can_work_on(user, obj) and obj.status == ActionStatus.OPEN

    def can_verify(self, user: AnyUser, obj: RemedialAction, **context: Any) -> bool:
        """A completed action is verified by its team manager (recorded on it, or the manager of its team), or
        an SQA officer; never by the worker alone."""
        access = user_access(user)
        if (
            not isinstance(user, User)
            or obj.status != ActionStatus.COMPLETED
            or obj.partnership_id != user.partnership_id
        ):
            return False
        if obj.worker_id == user.pk and not access.is_sqa:
            return False
        return (
            access.is_sqa
            or obj.team_manager_id == user.pk
            or (obj.team_id is not None and obj.team_id in managed_team_ids(user))
        )

    def can_oversee(self, user: AnyUser, obj: RemedialAction, **context: Any) -> bool:
        """Is the user an SQA officer of the action's partnership (who oversees every action of it)?"""
        return is_sqa_of(user, obj.partnership_id)

    def can_cancel(self, user: AnyUser, obj: RemedialAction, **context: Any) -> bool:
        """An open action is cancelled (with a reason) by its team manager, a manager of its agency, or SQA."""
        access = user_access(user)
        if not isinstance(user, User) or not obj.is_open or obj.partnership_id != user.partnership_id:
            return False
        return (
            access.is_sqa
            or obj.team_manager_id == user.pk
            or obj.agency_id in access.agencies_for(*MANAGER_ROLES)
        )


class EscalationPolicy(Policy[Escalation]):
    """Case escalations: seen by SQA officers, their agency's managers, and whoever raised or was sent them."""

    model = Escalation
    actions: ClassVar[frozenset[str]] = frozenset({"view", "list", "acknowledge", "resolve"})

    def visible(self, user: AnyUser) -> QuerySet[Escalation]:
        """SQA officers see all; heads of service and agency managers their agency's; the person who raised one
        sees it, and the head of service it was sent to."""
        return self.partnership_rows_by_rule(user, self._seen_rule)

    @staticmethod
    def _seen_rule(user: AnyUser, access: UserAccess) -> Q:
        """The escalations someone other than an SQA officer sees: those they raised or were sent, and their
        managed agencies'."""
        rule = Q(raised_by_id=user.pk) | Q(head_of_service_id=user.pk)
        managed = access.agencies_for(*MANAGER_ROLES)
        if managed:
            rule |= Q(agency_id__in=managed)
        return rule

    def can_list(self, user: AnyUser, obj: None = None, **context: Any) -> bool:
        """Is the escalations list one of the user's pages (in their navigation)? SQA officers, heads of service
        and agency managers. Anyone else reaches it only for the escalations they raised or were sent."""
        access = user_access(user)
        return access.is_sqa or access.has_role(Role.HEAD_OF_SERVICE, Role.AGENCY_MANAGER)

    def _is_its_head_of_service(self, user: AnyUser, escalation: Escalation) -> bool:
        """Is the user the escalation's head of service, or a head of service of its agency?"""
        return escalation.head_of_service_id == user.pk or escalation.agency_id in user_access(
            user
        ).agencies_for(Role.HEAD_OF_SERVICE)

    def can_acknowledge(self, user: AnyUser, obj: Escalation, **context: Any) -> bool:
        """The head of service of the responsible agency acknowledges an open escalation."""
        return obj.status == EscalationStatus.OPEN and self._is_its_head_of_service(user, obj)

    def can_resolve(self, user: AnyUser, obj: Escalation, **context: Any) -> bool:
        """The head of service, or an SQA officer, records how an escalation was resolved."""
        if (
            not isinstance(user, User)
            or obj.status == EscalationStatus.RESOLVED
            or obj.partnership_id != user.partnership_id
        ):
            return False
        return user_access(user).is_sqa or (
            obj.status == EscalationStatus.ACKNOWLEDGED and self._is_its_head_of_service(user, obj)
        )


actions = ActionPolicy()
escalations = EscalationPolicy()
