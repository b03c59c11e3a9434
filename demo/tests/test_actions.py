"""`manage.py seed_demo` also seeds remedial actions on the audits done and settles the escalations, so the
tracker, escalation and themes pages have something to show: every status, some overdue, several sources, the
demo `auditor` with actions of their own, escalations acknowledged, resolved and one left waiting."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone

from actions import access
from actions.models import (
    ActionEvent,
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationEvent,
    EscalationStatus,
    EscalationTrigger,
    RemedialAction,
)
from actions.services import actions as action_services
from actions.services import escalations as escalation_services
from audits.models import Audit, AuditStatus
from demo.actions import _recipients
from demo.partnership import DEMO_PARTNERSHIP_NAME
from demo.tests.demo_days import ORDINARY_DAY
from demo.tests.seeding import seed, user
from ehcp.timeliness import is_working_day
from qaf.models import Membership, Role
from qaf.terms import term_for_day

DONE = (AuditStatus.SUBMITTED, AuditStatus.MODERATED, AuditStatus.CLOSED)


pytestmark = pytest.mark.usefixtures("debug_on")


def demo_actions():
    return RemedialAction.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)


def demo_escalations():
    return Escalation.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)


def snapshot() -> list[tuple]:
    today = timezone.localdate()
    return sorted(
        (what, status, (due_on - today).days)
        for what, status, due_on in demo_actions().values_list("what", "status", "due_on")
    )


class SeededActionChecks:
    today: dt.date
    output: str

    def test_actions_in_every_status_one_cancelled_with_a_reason(self):
        statuses = set(demo_actions().values_list("status", flat=True))
        assert statuses == set(ActionStatus.values)
        (cancelled,) = demo_actions().filter(status=ActionStatus.CANCELLED)
        assert cancelled.cancel_reason
        assert "remedial actions" in self.output

    def test_some_overdue_and_some_due_within_a_week(self):
        rags = [action.rag for action in demo_actions()]
        assert rags.count("red") >= 2
        assert rags.count("amber") >= 1
        assert rags.count("") >= 5  # completed, verified and cancelled ones have no RAG status

    def test_actions_from_audits_and_from_at_least_two_other_sources_raised_by_sqa(self):
        sources = set(demo_actions().values_list("source", flat=True))
        assert ActionSource.AUDIT in sources
        assert len(sources - {ActionSource.AUDIT}) >= 2
        others = demo_actions().exclude(source=ActionSource.AUDIT)
        assert set(others.values_list("raised_by__username", flat=True)) == {"sqa"}
        assert not others.filter(source_type=ContentType.objects.get_for_model(Audit)).exists()
        # Feedback names the survey of the term the action was raised in, whatever the day.
        for action in others.filter(source=ActionSource.FEEDBACK):
            term = term_for_day(action.partnership_id, timezone.localdate(action.raised_at))
            assert action.source_note == f"Parent carer feedback survey, {term.name} term"
        from_audits = demo_actions().filter(source=ActionSource.AUDIT)
        assert from_audits.count() >= 15
        # Raised on audits done or being done, about the audited case.
        from_audits = from_audits.prefetch_related("source_object")
        assert all(isinstance(action.source_object, Audit) for action in from_audits)
        assert {action.source_object.status for action in from_audits} <= {AuditStatus.IN_PROGRESS, *DONE}
        for action in from_audits:
            assert action.child_id == action.source_object.child_id

    def test_workers_work_in_the_action_agency_and_most_have_a_team_manager(self):
        for action in demo_actions():
            assert Membership.objects.filter(user=action.worker, agency=action.agency).exists()
        with_manager = demo_actions().filter(team_manager__isnull=False).count()
        assert with_manager > demo_actions().count() / 2
        assert (
            demo_actions()
            .exclude(team_manager__memberships__role=Role.TEAM_MANAGER)
            .exclude(team_manager__isnull=True)
            .count()
            == 0
        )

    def test_the_demo_auditor_has_actions_and_sees_them(self):
        auditor = user("auditor")
        mine = demo_actions().filter(worker=auditor)
        assert mine.count() >= 2
        assert mine.filter(status__in=(ActionStatus.OPEN, ActionStatus.IN_PROGRESS)).exists()
        assert set(mine.values_list("pk", flat=True)) <= set(
            access.actions.visible(auditor).values_list("pk", flat=True)
        )

    def test_some_actions_have_themes_of_the_partnership(self):
        tagged = demo_actions().filter(themes__isnull=False).distinct()
        assert tagged.count() >= 5
        assert not tagged.exclude(themes__partnership__name=DEMO_PARTNERSHIP_NAME).exists()

    def test_completed_and_verified_actions_are_dated_in_order_and_never_after_now(self):
        now = timezone.now()
        for action in demo_actions():
            assert action.raised_at <= now
            assert timezone.localtime(action.raised_at).date() < action.due_on
            if action.status in (ActionStatus.COMPLETED, ActionStatus.VERIFIED):
                assert action.evidence
                assert action.raised_at < action.completed_at <= now
            if action.status == ActionStatus.VERIFIED:
                assert action.completed_at < action.verified_at <= now
                assert action.verified_by_id in (action.team_manager_id, user("sqa").pk)
        events = ActionEvent.objects.filter(action__in=demo_actions())
        assert not events.filter(at__gt=now).exists()
        for action in demo_actions().filter(status=ActionStatus.VERIFIED):
            kinds = [e.kind for e in action.events.exclude(kind=action_services.NOTIFIED)]
            assert kinds[0] == "raised" and kinds[-1] == "verified"

    def test_escalations_acknowledged_resolved_and_one_waiting_past_its_deadline(self):
        now = timezone.now()
        escalations = demo_escalations()
        assert escalations.filter(status=EscalationStatus.ACKNOWLEDGED).exists()
        resolved = escalations.filter(status=EscalationStatus.RESOLVED)
        assert resolved.exists()
        assert all(e.resolution and e.resolved_at <= now for e in resolved)
        waiting = escalations.filter(status=EscalationStatus.OPEN, acknowledge_by__lt=now)
        assert waiting.exists()
        # Beat would have chased it already: it is recorded as chased, not chased again.
        assert all(e.chased_at is not None for e in waiting)
        for escalation in escalations.exclude(status=EscalationStatus.OPEN):
            assert escalation.raised_at < escalation.acknowledged_at <= now
            assert escalation.acknowledged_by.memberships.filter(
                agency=escalation.agency, role=Role.HEAD_OF_SERVICE
            ).exists()
        assert not EscalationEvent.objects.filter(escalation__in=escalations, at__gt=now).exists()

    def test_the_work_on_actions_and_escalations_is_done_on_working_days(self):
        stamps = list(ActionEvent.objects.filter(action__in=demo_actions()).values_list("at", flat=True))
        for escalation in demo_escalations():
            stamps += [escalation.raised_at, escalation.acknowledged_at, escalation.resolved_at]
            stamps += [escalation.chased_at, escalation.raised_to_sqa_at]
        stamps += EscalationEvent.objects.filter(escalation__in=demo_escalations()).values_list(
            "at", flat=True
        )
        days = {timezone.localdate(stamp) for stamp in stamps if stamp is not None}
        assert [day for day in sorted(days) if not is_working_day(day)] == []
        assert len(days) > 5

    def test_inadequate_audits_escalated_once_each_and_a_concern_was_raised_mid_audit(self):
        inadequate = demo_escalations().filter(trigger=EscalationTrigger.INADEQUATE_AUDIT)
        assert inadequate.exists()
        for escalation in inadequate.prefetch_related("source_object"):
            assert escalation.source_object.status in DONE
            # Raised when the audit was submitted, with the deadline from then.
            assert escalation.raised_at == escalation.source_object.submitted_at
            assert escalation.acknowledge_by > escalation.raised_at
        assert inadequate.count() == len(set(inadequate.values_list("source_id", flat=True)))
        # One concern, or more when few audits were graded Inadequate (how many depends on the day's work).
        concerns = (
            demo_escalations()
            .filter(trigger=EscalationTrigger.SAFEGUARDING)
            .prefetch_related("source_object__audit")
        )
        assert 1 <= len(concerns) <= 3
        for concern in concerns:
            assert concern.source_object.audit.status == AuditStatus.IN_PROGRESS
            assert (
                concern.source_object.audit.started_at <= concern.raised_at == concern.source_object.raised_at
            )

    def test_head_of_service_education_sees_the_riverside_escalations(self):
        hos = user("hos.education")
        riverside = demo_escalations().filter(agency__name="Riverside Learning Trust")
        assert riverside.exists()
        visible = set(access.escalations.visible(hos).values_list("pk", flat=True))
        assert set(riverside.values_list("pk", flat=True)) <= visible

    def test_no_email_is_left_to_send(self):
        """The emails the services queued count as sent, so the on-commit tasks send nothing."""
        kinds = set(action_services.RECIPIENTS)
        for event in ActionEvent.objects.filter(action__in=demo_actions(), kind__in=kinds):
            assert action_services.action_event_notify(event=event) == 0
        for escalation in demo_escalations():
            assert escalation_services.escalation_notify(escalation=escalation) is False
        assert escalation_services.escalations_chase() == {"chased": 0, "raised": 0}
        assert mail.outbox == []


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_reset_gives_the_same_actions_for_the_same_seed_and_queued_tasks_send_nothing(
    db, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        seed(seed=11)
    first = snapshot()
    first_escalations = sorted(demo_escalations().values_list("trigger", "status"))
    # The tasks queued on commit (emails of actions and escalations) run now, eagerly: none sends anything.
    assert callbacks
    for callback in callbacks:
        callback()
    assert mail.outbox == []

    seed(seed=11, reset=True)

    assert snapshot() == first
    assert sorted(demo_escalations().values_list("trigger", "status")) == first_escalations
    assert len(first) >= 20
    # Nothing of the first seed is left behind.
    assert RemedialAction.objects.count() == len(first)
    assert Escalation.objects.count() == len(first_escalations)


@pytest.mark.django_db
def test_demo_escalation_emails_go_to_whom_the_service_would_send_them(area, head_of_service, sqa_officer):
    sqa_officer.email, head_of_service.email = "sqa@example.org", "hos@example.org"
    sqa_officer.save(update_fields=["email"])
    head_of_service.save(update_fields=["email"])
    row = Escalation(partnership=area.partnership, head_of_service=head_of_service)
    assert _recipients(row) == ["hos@example.org"]

    # An inactive head of service is not emailed: the SQA officers are, as escalation_notify would.
    head_of_service.is_active = False
    assert _recipients(row) == ["sqa@example.org"]
