"""Case escalations through the services and tasks: one escalation per trigger, the head of service's email,
the working-day deadline, the chase and the raise to the SQA lead."""

from __future__ import annotations

import datetime as dt
import smtplib
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from audits import tasks
from audits.models import (
    AuditEvent,
    AuditStatus,
    Escalation,
    EscalationEvent,
    EscalationStatus,
    SafeguardingConcern,
)
from audits.services import escalations
from audits.services.answering import audit_answers_save, audit_submit
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member

LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def audit(area, practitioner):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-42", initials="JD")
    return AuditFactory(agency=area.school, child=child, assignees=[practitioner])


def answer_everything(audit, user, value: str) -> None:
    for section in audit.tool_version.sections.prefetch_related("questions"):
        audit_answers_save(
            audit=audit,
            by=user,
            section=section,
            answers={q.pk: (value, "") for q in section.questions.all()},
        )
    audit.refresh_from_db()


def submit_inadequate(audit, user, capture) -> Escalation:
    answer_everything(audit, user, "1")
    with capture(execute=True):
        audit_submit(audit=audit, by=user)
    return Escalation.objects.get(audit=audit)


# --- Inadequate audits -----------------------------------------------------------------------------


def test_inadequate_submit_creates_one_escalation_and_emails_the_head_of_service(
    audit, practitioner, head_of_service, sqa_officer, django_capture_on_commit_callbacks
):
    answer_everything(audit, practitioner, "1")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        audit_submit(audit=audit, by=practitioner)
    # The email is queued for after the commit, not sent inside the transaction.
    assert len(callbacks) == 1 and mail.outbox == []
    callbacks[0]()
    escalation = Escalation.objects.get()
    assert escalation.trigger == "inadequate" and escalation.trigger_key == f"audit:{audit.pk}:inadequate"
    assert escalation.agency == audit.agency and escalation.head_of_service == head_of_service
    assert escalation.child == audit.child and escalation.status == EscalationStatus.OPEN
    assert escalation.raised_by == practitioner
    assert "EHC-42 (JD)" in escalation.summary
    assert [m.to for m in mail.outbox] == [[head_of_service.email]]
    assert "EHC-42" in mail.outbox[0].body and f"/audits/escalations/{escalation.pk}/" in mail.outbox[0].body
    escalation.refresh_from_db()
    assert escalation.notified_at is not None
    kinds = list(escalation.events.values_list("kind", flat=True))
    assert kinds == ["raised", "notified"]
    assert AuditEvent.objects.filter(audit=audit, action="escalated").count() == 1


def test_a_good_audit_is_not_escalated(
    audit, practitioner, head_of_service, django_capture_on_commit_callbacks
):
    answer_everything(audit, practitioner, "3")
    with django_capture_on_commit_callbacks(execute=True):
        audit_submit(audit=audit, by=practitioner)
    assert not Escalation.objects.exists() and mail.outbox == []


def test_escalating_again_or_delivering_the_task_twice_makes_nothing_more(
    audit, practitioner, head_of_service, django_capture_on_commit_callbacks
):
    escalation = submit_inadequate(audit, practitioner, django_capture_on_commit_callbacks)
    # The service called again (a retried submit), and the task delivered twice more.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        again = escalations.escalation_for_inadequate_audit(audit=audit, by=practitioner)
    assert again.pk == escalation.pk and callbacks == []
    assert tasks.escalation_notify(escalation.pk) is False
    assert tasks.escalation_notify.delay(escalation.pk).get() is False
    assert Escalation.objects.count() == 1
    assert len(mail.outbox) == 1
    assert EscalationEvent.objects.filter(kind="notified").count() == 1


def test_escalation_called_twice_inside_the_submit_transaction(
    audit, practitioner, head_of_service, django_capture_on_commit_callbacks, monkeypatch
):
    """audit_submit's escalation call running twice in one transaction still makes one escalation and one email."""
    original = escalations.escalation_for_inadequate_audit

    def twice(**kwargs):
        first = original(**kwargs)
        assert original(**kwargs).pk == first.pk
        return first

    monkeypatch.setattr(escalations, "escalation_for_inadequate_audit", twice)
    submit_inadequate(audit, practitioner, django_capture_on_commit_callbacks)
    assert Escalation.objects.count() == 1 and len(mail.outbox) == 1


def test_a_concurrent_insert_of_the_same_trigger_falls_back_to_the_existing_row(
    audit, practitioner, head_of_service, monkeypatch
):
    """When another transaction inserted the same trigger after our lookup, the unique constraint refuses
    ours and the existing escalation is returned."""
    answer_everything(audit, practitioner, "1")
    audit.overall_grade = "inadequate"
    first = escalations.escalation_for_inadequate_audit(audit=audit, by=practitioner)
    real_filter = Escalation.objects.filter

    class Missing:
        def first(self):
            return None

    calls = {"n": 0}

    def filter_once_missing(*args, **kwargs):
        calls["n"] += 1
        return Missing() if calls["n"] == 1 else real_filter(*args, **kwargs)

    monkeypatch.setattr(Escalation.objects, "filter", filter_once_missing)
    again = escalations.escalation_for_inadequate_audit(audit=audit, by=practitioner)
    assert again.pk == first.pk and Escalation.objects.count() == 1


def test_without_a_head_of_service_the_sqa_officers_are_told(
    audit, practitioner, sqa_officer, django_capture_on_commit_callbacks
):
    escalation = submit_inadequate(audit, practitioner, django_capture_on_commit_callbacks)
    assert escalation.head_of_service is None
    assert [m.to for m in mail.outbox] == [[sqa_officer.email]]


def test_a_failed_send_records_nothing_so_the_retry_sends(
    audit, practitioner, head_of_service, django_capture_on_commit_callbacks, monkeypatch
):
    answer_everything(audit, practitioner, "1")
    audit_submit(audit=audit, by=practitioner)  # callbacks not run: the task has not been delivered yet
    escalation = Escalation.objects.get()

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
    assert smtplib.SMTPException in tasks.escalation_notify.autoretry_for
    assert tasks.escalation_notify.max_retries == 5 and tasks.escalation_notify.retry_backoff


def test_only_an_inadequate_audit_is_escalated(audit, practitioner):
    with pytest.raises(ValidationError):
        escalations.escalation_for_inadequate_audit(audit=audit, by=practitioner)


# --- safeguarding concerns --------------------------------------------------------------------------


def test_concern_mid_audit_escalates_once_per_concern(
    audit, practitioner, head_of_service, django_capture_on_commit_callbacks
):
    section = audit.tool_version.sections.first()
    audit_answers_save(
        audit=audit, by=practitioner, section=section, answers={section.questions.first().pk: ("2", "")}
    )
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    with django_capture_on_commit_callbacks(execute=True):
        first = escalations.safeguarding_concern_raise(
            audit=audit, by=practitioner, description="Bruising seen."
        )
        second = escalations.safeguarding_concern_raise(
            audit=audit, by=practitioner, description="Missed visits."
        )
    assert first.pk != second.pk
    assert Escalation.objects.filter(trigger="safeguarding").count() == 2
    assert SafeguardingConcern.objects.filter(audit=audit).count() == 2
    assert first.trigger_key == f"concern:{first.concern.pk}"
    assert "Bruising" not in first.summary and "EHC-42 (JD)" in first.summary
    assert len(mail.outbox) == 2 and all("Bruising" not in m.body for m in mail.outbox)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS  # the audit carries on


def test_concern_needs_a_description_and_the_right_person(audit, practitioner, agency_manager, sqa_officer):
    with pytest.raises(ValidationError) as error:
        escalations.safeguarding_concern_raise(audit=audit, by=practitioner, description="  ")
    assert "description" in error.value.message_dict
    with pytest.raises(PermissionDenied):
        escalations.safeguarding_concern_raise(audit=audit, by=agency_manager, description="x")
    assert not SafeguardingConcern.objects.exists()
    # An SQA officer may raise one at any status, even on a closed audit.
    audit.status = AuditStatus.CLOSED
    audit.save(update_fields=["status"])
    escalation = escalations.safeguarding_concern_raise(
        audit=audit, by=sqa_officer, description="Found later."
    )
    assert escalation.trigger == "safeguarding"


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
def test_acknowledge_deadline_in_working_days(area, audit, sqa_officer, raised, days, due):
    area.partnership.escalation_acknowledge_working_days = days
    area.partnership.save(update_fields=["escalation_acknowledge_working_days"])
    audit.partnership.refresh_from_db()
    with time_machine.travel(raised, tick=False):
        escalation = escalations.safeguarding_concern_raise(audit=audit, by=sqa_officer, description="x")
    assert escalation.acknowledge_by == due
    escalation.refresh_from_db()
    assert escalation.acknowledge_by == due


# --- chase and raise to the SQA lead ------------------------------------------------------------------


def test_chase_after_the_deadline_then_raise_to_sqa_each_once(
    area, audit, practitioner, head_of_service, sqa_officer, django_capture_on_commit_callbacks
):
    other_sqa = member(area.sqa, Role.SQA_OFFICER, username="sqa.two")
    with time_machine.travel(london(2026, 12, 24, 16, 0), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            escalation = escalations.safeguarding_concern_raise(audit=audit, by=practitioner, description="x")
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


def test_acknowledged_escalations_are_not_chased(audit, practitioner, head_of_service):
    with time_machine.travel(london(2026, 3, 2, 10, 0), tick=False):
        escalation = escalations.safeguarding_concern_raise(audit=audit, by=practitioner, description="x")
        escalations.escalation_acknowledge(escalation=escalation, by=head_of_service, note="On it")
    with time_machine.travel(london(2026, 3, 20, 10, 0), tick=False):
        assert escalations.escalations_chase() == {"chased": 0, "raised": 0}


# --- acknowledge and resolve --------------------------------------------------------------------------


def test_acknowledge_by_the_head_of_service_only_then_resolve(
    audit, practitioner, head_of_service, agency_manager, sqa_officer
):
    escalation = escalations.safeguarding_concern_raise(audit=audit, by=practitioner, description="x")
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


def test_sqa_resolves_an_open_escalation(audit, practitioner, sqa_officer):
    escalation = escalations.safeguarding_concern_raise(audit=audit, by=practitioner, description="x")
    escalation = escalations.escalation_resolve(escalation=escalation, by=sqa_officer, resolution="Handled")
    assert escalation.status == EscalationStatus.RESOLVED and escalation.resolved_by == sqa_officer
