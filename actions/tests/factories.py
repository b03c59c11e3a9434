"""Factories for remedial actions and escalations, written straight to the database (the tracker, the lists and
the API read them; the services are tested on their own), and `CaseSource`: a kind of source record of the
tests' own, so that raising from a record is tested without the apps that register real ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import factory
from django.urls import reverse
from django.utils import timezone

from actions import sources
from actions.models import (
    ActionPriority,
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationTrigger,
    RemedialAction,
)
from ehcp import access as ehcp_access
from qaf.access import is_sqa_of
from qaf.models import Agency, Team, Theme, User


class RemedialActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemedialAction
        skip_postgeneration_save = True

    partnership = factory.LazyAttribute(lambda a: a.agency.partnership)
    what = "Add the health advice to section C"
    why = "The plan says 'none known' without asking the health visitor."
    priority = ActionPriority.MEDIUM
    status = ActionStatus.OPEN
    source = ActionSource.AUDIT
    raised_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.themes.set(extracted)


class EscalationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Escalation
        skip_postgeneration_save = True

    partnership = factory.LazyAttribute(lambda e: e.agency.partnership)
    trigger = EscalationTrigger.INADEQUATE_AUDIT
    summary = "Audit graded Inadequate."
    raised_at = factory.LazyFunction(timezone.now)
    acknowledge_by = factory.LazyAttribute(lambda e: e.raised_at + dt.timedelta(days=1))

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.themes.set(extracted)


def make_action(
    *,
    agency: Agency,
    worker: User,
    due_on: dt.date,
    team: Team | None = None,
    team_manager: User | None = None,
    child=None,
    priority: str = ActionPriority.MEDIUM,
    status: str = ActionStatus.OPEN,
    source: str = ActionSource.AUDIT,
    what: str = "Add the health advice to section C",
    themes: tuple[Theme, ...] = (),
    raised_at: dt.datetime | None = None,
) -> RemedialAction:
    """A remedial action written straight to the database (the tracker reads; it does not raise them)."""
    return RemedialActionFactory(
        agency=agency,
        worker=worker,
        team=team,
        team_manager=team_manager,
        child=child,
        what=what,
        priority=priority,
        due_on=due_on,
        status=status,
        source=source,
        raised_at=raised_at or timezone.now(),
        themes=themes,
    )


def make_escalation(
    *, agency: Agency, key: str, themes=(), raised_at=None, head_of_service=None
) -> Escalation:
    raised_at = raised_at or timezone.now()
    return EscalationFactory(
        agency=agency,
        trigger_key=key,
        head_of_service=head_of_service,
        raised_at=raised_at,
        acknowledge_by=raised_at + dt.timedelta(days=1),
        themes=themes,
    )


CASE_REVIEW = "case_review"


@dataclass
class CaseSource:
    """A kind of source record of the tests' own: a child's case reviewed by `reviewers`, who (with the SQA
    officers of its partnership) raise actions from it on its own page, for the staff of `agency`, and whose
    findings may be escalated. Registered with actions.sources for one test (the `case_source` fixture)."""

    agency: Agency
    reviewers: set[int] = field(default_factory=set)
    kind: str = CASE_REVIEW

    def may_raise(self, user: User, child) -> bool:
        return user.pk in self.reviewers or is_sqa_of(user, child.partnership_id)

    def register(self) -> sources.Source:
        return sources.register_source(
            self.kind,
            "ehcp.Child",
            heading="Case",
            noun="case",
            visible=ehcp_access.children.visible,
            url=lambda child: reverse("ehcp:child-detail", args=[child.pk]),
            label=lambda child: f"Case review of {child.case_reference}",
            hidden_label=lambda child: "Case review",
            may_raise=self.may_raise,
            caption=lambda child: f"{child.case_reference}, {self.agency.name}",
            return_url=lambda user, child: reverse("home"),
            action_source=ActionSource.OTHER,
            child_of=lambda child: child,
            agency_of=lambda child: self.agency,
            references=lambda child: {"audit": child.pk},
            details=lambda child: [("Case", child.case_reference)],
        )
