"""Case escalations through the actions services and tasks: the head of service's email (or the SQA officers'),
a failed send retried, the working-day deadline, the chase and the raise to the SQA lead, acknowledging and
resolving. The escalated record is a case (actions.tests.factories.CaseSource); what audits escalate, and when,
is in audits/tests/test_escalation_triggers.py."""

from __future__ import annotations

import datetime as dt
import smtplib
from itertools import count
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from actions import sources, tasks
from actions.models import Escalation, EscalationStatus, EscalationTrigger
from actions.services import escalations
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member

LONDON = ZoneInfo("Europe/London")
_keys = count(1)


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def case(area, case_source):
    return ChildFactory(partnership=area.partnership, case_reference="EHC-42", initials="JD")


def escalate(case, *, by) -> Escalation:
    """A safeguarding concern about the case escalated to the head of service of the school (one trigger each)."""
    escalation, created = escalations.escalation_raise(
        source=case,
        by=by,
        trigger=EscalationTrigger.SAFEGUARDING,
        trigger_key=f"case:{case.pk}:{next(_keys)}",
        summary="A safeguarding concern was raised during the review of EHC-42 (JD).",
        agency=sources.source_of(case).agency_of(case),
        child=case,
    )
    assert created
    return escalation


# --- raising and telling ------------------------------------------------------------------------------


def test_without_a_head_of_service_the_sqa_officers_are_told(
    case, practitioner, sqa_officer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        escalation = escalate(case, by=practitioner)
    assert escalation.head_of_service is None
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]


def test_a_failed_send_records_nothing_so_the_retry_sends(
    case, practitioner, head_of_service, django_capture_on_commit_callbacks, monkeypatch
):
    escalation = escalate(case, by=practitioner)  # callbacks not run: the task has not been delivered yet

    def broken(**kwargs):
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(escalations, "send_mail", broken)
    with pytest.raises(smtplib.SMTPException):
        escalations.escalation_notify(escalation=escalation)
    escalation.refresh_from_db()
    assert escalation.notified_at is None and not escalation.events.filter(kind="notified").exists()
    monkeypatch.undo()
    assert tasks.escalation_notify(escalation.pk) is True
    assert len(mail.outbox) == 1


def test_the_notify_task_retries_on_mail_errors():
    assert tasks.escalation_notify.is_temporary(smtplib.SMTPServerDisconnected("gone"))
    assert tasks.escalation_notify.max_retries == 5


# --- the deadline -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raised", "days", "due"),
    [
        # Thursday before Christmas 2026: Fri 25 Dec, the weekend and Mon 28 Dec (Boxing Day substitute) skipped.
        (london(2026, 12, 24, 16, 0), 1, london(2026, 12, 29, 17, 0)),
        # Friday before the spring bank holiday (Mon 25 May 2026).
        (london(2026, 5, 22, 9, 30), 1, london(2026, 5, 26, 17, 0)),
        (london(2026, 5, 22, 9, 30), 2, london(2026, 5, 27, 17, 0)),
        # Late on an ordinary Monday: the raise day never counts.
        (london(2026, 3, 2, 23, 30), 1, london(2026, 3, 3, 17, 0)),
        # On a Saturday: Monday.
        (london(2026, 3, 7, 10, 0), 1, london(2026, 3, 9, 17, 0)),
    ],
)
def test_acknowledge_deadline_in_working_days(area, case, sqa_officer, raised, days, due):
    area.partnership.escalation_acknowledge_working_days = days
    area.partnership.save(update_fields=["escalation_acknowledge_working_days"])
    case.partnership.refresh_from_db()
    with time_machine.travel(raised, tick=False):
        escalation = escalate(case, by=sqa_officer)
    assert escalation.acknowledge_by == due
    escalation.refresh_from_db()
    assert escalation.acknowledge_by == due


# --- chase and raise to the SQA lead ------------------------------------------------------------------


def test_chase_after_the_deadline_then_raise_to_sqa_each_once(
    area, case, practitioner, head_of_service, sqa_officer, django_capture_on_commit_callbacks
):
    other_sqa = member(area.sqa, Role.SQA_OFFICER, username="sqa.two")
    with time_machine.travel(london(2026, 12, 24, 16, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            escalation = escalate(case, by=practitioner)
    assert escalation.acknowledge_by == london(2026, 12, 29, 17, 0)
    mail.outbox.clear()

    with time_machine.travel(london(2026, 12, 29, 16, 59), tick=False):
        assert escalations.escalations_chase() == {"chased": 0, "raised": 0}
    assert mail.outbox == []

    with time_machine.travel(london(2026, 12, 29, 17, 30), tick=False):
        assert escalations.escalations_chase() == {"chased": 1, "raised": 0}
        assert escalations.escalations_chase() == {"chased": 0, "raised": 0}
    assert [m.to for m in mail.outbox] == [[head_of_service.email]]
    escalation.refresh_from_db()
    assert escalation.chased_at == london(2026, 12, 29, 17, 30) and escalation.raised_to_sqa_at is None

    # Not before 17:00 on the next working day (Wednesday 30 December).
    with time_machine.travel(london(2026, 12, 30, 16, 0), tick=False):
        assert tasks.escalations_chase() == {"chased": 0, "raised": 0}
    with time_machine.travel(london(2026, 12, 30, 17, 30), tick=False):
        assert tasks.escalations_chase() == {"chased": 0, "raised": 1}
        assert tasks.escalations_chase() == {"chased": 0, "raised": 0}
    assert len(mail.outbox) == 2
    assert sorted(mail.outbox[1].to) == sorted([sqa_officer.email, other_sqa.email])
    escalation.refresh_from_db()
    assert escalation.raised_to_sqa_at == london(2026, 12, 30, 17, 30)
    kinds = list(escalation.events.values_list("kind", flat=True))
    assert kinds.count("chased") == 1 and kinds.count("raised to SQA") == 1

    with time_machine.travel(london(2027, 1, 15, 12, 0), tick=False):
        assert escalations.escalations_chase() == {"chased": 0, "raised": 0}
    assert len(mail.outbox) == 2


def test_acknowledged_escalations_are_not_chased(case, practitioner, head_of_service):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        escalation = escalate(case, by=practitioner)
        escalations.escalation_acknowledge(escalation=escalation, by=head_of_service, note="On it")
    with time_machine.travel(london(2026, 3, 20, 10, 0), tick=False):
        assert escalations.escalations_chase() == {"chased": 0, "raised": 0}


# --- acknowledge and resolve --------------------------------------------------------------------------


def test_acknowledge_by_the_head_of_service_only_then_resolve(
    case, practitioner, head_of_service, agency_manager, sqa_officer
):
    escalation = escalate(case, by=practitioner)
    for user in (agency_manager, sqa_officer, practitioner):
        with pytest.raises(PermissionDenied):
            escalations.escalation_acknowledge(escalation=escalation, by=user, note="")
    escalation = escalations.escalation_acknowledge(escalation=escalation, by=head_of_service, note="Seen")
    assert (
        escalation.status == EscalationStatus.ACKNOWLEDGED and escalation.acknowledged_by == head_of_service
    )
    with pytest.raises(ValidationError):
        escalations.escalation_acknowledge(escalation=escalation, by=head_of_service, note="")
    with pytest.raises(ValidationError) as error:
        escalations.escalation_resolve(escalation=escalation, by=head_of_service, resolution=" ")
    assert "resolution" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        escalations.escalation_resolve(escalation=escalation, by=agency_manager, resolution="Done")
    escalation = escalations.escalation_resolve(
        escalation=escalation, by=head_of_service, resolution="Plan met"
    )
    assert escalation.status == EscalationStatus.RESOLVED and escalation.resolution == "Plan met"
    assert list(escalation.events.values_list("kind", flat=True)) == ["raised", "acknowledged", "resolved"]
    assert escalation.events.get(kind="acknowledged").details["note"] == "Seen"


def test_sqa_resolves_an_open_escalation(case, practitioner, sqa_officer):
    escalation = escalate(case, by=practitioner)
    escalation = escalations.escalation_resolve(escalation=escalation, by=sqa_officer, resolution="Handled")
    assert escalation.status == EscalationStatus.RESOLVED and escalation.resolved_by == sqa_officer
