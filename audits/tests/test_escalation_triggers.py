"""What audits escalate (audits.services.escalations, through actions.services.escalations): an audit whose grade
of record is Inadequate and a safeguarding concern, one escalation per trigger, the head of service's email, the
case named by reference and initials only, and the audit's history. (The escalation's own life, from the
deadline to the resolution, is in actions/tests/test_escalations.py.)"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from actions import tasks
from actions.models import Escalation, EscalationEvent, EscalationStatus
from actions.selectors.sources import escalations_raised_from
from audits.models import AuditEvent, AuditStatus, SafeguardingConcern
from audits.services import escalations
from audits.services.answering import audit_answers_save, audit_submit
from audits.tests.factories import AuditFactory
from audits.tests.support import answer_everything
from ehcp.tests.factories import ChildFactory

LONDON = ZoneInfo("Europe/London")


def london(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


@pytest.fixture
def audit(area, practitioner):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-42", initials="JD")
    return AuditFactory(agency=area.school, child=child, assignees=[practitioner])


def submit_inadequate(audit, user, capture) -> Escalation:
    answer_everything(audit, user, "1")
    with capture(execute=True):
        audit_submit(audit=audit, by=user)
    return escalations_raised_from(audit).get()


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
    assert "EHC-42" in mail.outbox[0].body and f"/escalations/{escalation.pk}/" in mail.outbox[0].body
    assert "/audits/escalations/" not in mail.outbox[0].body
    escalation.refresh_from_db()
    assert escalation.notified_at is not None
    kinds = list(escalation.events.values_list("kind", flat=True))
    assert kinds == ["raised", "notified"]
    assert AuditEvent.objects.filter(audit=audit, kind="escalated").count() == 1


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
    assert first.trigger_key == f"concern:{first.source_object.pk}"
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
