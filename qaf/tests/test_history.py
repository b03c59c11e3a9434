"""qaf.history: one writer, one reader and one timeline for the history of audits, remedial actions,
escalations and complaints, each kept in its own table."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable

import pytest
from django.db import models
from django.urls import reverse

from actions.models import ActionEvent, EscalationEvent
from actions.tests.factories import make_action, make_escalation
from audits.models import AuditEvent
from audits.tests.factories import AuditFactory
from feedback.models import ComplaintEvent
from feedback.tests.factories import ComplaintFactory
from qaf.history.models import HistoryEvent
from qaf.history.selectors import history_for
from qaf.history.services import event_build, event_record
from qaf.tests.migrating import latest, migrate

pytestmark = pytest.mark.django_db

# 2:05pm in London in November (GMT), as the project writes moments.
AT = dt.datetime(2026, 11, 3, 14, 5, tzinfo=dt.UTC)
AT_TEXT = "3 November 2026, 2:05pm"

KEYS = itertools.count()
EVENT_MODELS: tuple[type[HistoryEvent], ...] = (AuditEvent, ActionEvent, EscalationEvent, ComplaintEvent)


def an_audit(area, worker) -> models.Model:
    return AuditFactory(agency=area.school)


def an_action(area, worker) -> models.Model:
    return make_action(agency=area.school, worker=worker, due_on=dt.date(2026, 12, 1))


def an_escalation(area, worker) -> models.Model:
    return make_escalation(agency=area.school, key=f"test:{next(KEYS)}")


def a_complaint(area, worker) -> models.Model:
    return ComplaintFactory(agency=area.school)


SUBJECTS: list[tuple[Callable, type[HistoryEvent], str]] = [
    (an_audit, AuditEvent, "audit"),
    (an_action, ActionEvent, "action"),
    (an_escalation, EscalationEvent, "escalation"),
    (a_complaint, ComplaintEvent, "complaint"),
]
IDS = [field for _, _, field in SUBJECTS]


@pytest.mark.parametrize(("make", "model", "field"), SUBJECTS, ids=IDS)
def test_event_record_writes_to_the_subjects_own_table(make, model, field, area, practitioner, sqa_officer):
    subject = make(area, practitioner)
    before = {other: other.objects.count() for other in EVENT_MODELS}

    event = event_record(subject=subject, user=sqa_officer, kind="noted", reason="Checked with the school")

    assert type(event) is model
    stored = model.objects.get(pk=event.pk)
    assert getattr(stored, f"{field}_id") == subject.pk
    assert (stored.user, stored.kind, stored.details) == (
        sqa_officer,
        "noted",
        {"reason": "Checked with the school"},
    )
    for other in EVENT_MODELS:
        assert other.objects.count() == before[other] + (other is model)


@pytest.mark.parametrize(("make", "model", "field"), SUBJECTS, ids=IDS)
def test_history_for_is_oldest_first_with_the_user_in_one_query(
    make, model, field, area, practitioner, sqa_officer, django_assert_num_queries
):
    subject = make(area, practitioner)
    other = make(area, practitioner)
    last = event_record(subject=subject, user=sqa_officer, kind="third")
    first = event_record(subject=subject, user=practitioner, kind="first")
    tie = event_record(subject=subject, user=None, kind="second")
    event_record(subject=other, user=sqa_officer, kind="someone else's")
    model.objects.filter(pk=last.pk).update(at=AT + dt.timedelta(hours=1))
    model.objects.filter(pk__in=[first.pk, tie.pk]).update(at=AT)

    with django_assert_num_queries(1):
        events = list(history_for(subject))
        seen = [(e.kind, e.user.display_name if e.user else None, getattr(e, field)) for e in events]

    assert seen == [
        ("first", practitioner.display_name, subject),
        ("second", None, subject),
        ("third", sqa_officer.display_name, subject),
    ]


def test_event_build_makes_unsaved_events_of_the_subjects_model_for_a_bulk_insert(area, practitioner):
    action = an_action(area, practitioner)
    built = [
        event_build(subject=action, user=practitioner, kind="started", at=AT),
        event_build(subject=action, user=None, kind="reminded", at=AT + dt.timedelta(days=1), overdue=True),
    ]
    assert all(type(event) is ActionEvent and event.pk is None for event in built)

    ActionEvent.objects.bulk_create(built)

    assert [(e.kind, e.user, e.at, e.details) for e in history_for(action)] == [
        ("started", practitioner, AT, {}),
        ("reminded", None, AT + dt.timedelta(days=1), {"overdue": True}),
    ]


def test_a_record_that_keeps_no_history_is_refused(area, sqa_officer):
    with pytest.raises(TypeError, match="Agency keeps no history"):
        event_record(subject=area.school, user=sqa_officer, kind="noted")
    with pytest.raises(TypeError, match="Agency keeps no history"):
        event_build(subject=area.school, user=sqa_officer, kind="noted")
    with pytest.raises(TypeError, match="Agency keeps no history"):
        history_for(area.school)


def _page(client, user, url: str) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _timeline(html: str) -> str:
    """The page from its history heading on."""
    assert html.count('class="moj-timeline"') == 1
    return html[html.index('<h2 class="govuk-heading-m">History</h2>') :]


def _backdate(event: HistoryEvent) -> None:
    type(event).objects.filter(pk=event.pk).update(at=AT)


def test_the_audit_page_shows_its_history(client, area, practitioner, sqa_officer):
    audit = AuditFactory(agency=area.school, assignees=[practitioner])
    _backdate(event_record(subject=audit, user=sqa_officer, kind="reopened", reason="The evidence was thin"))

    timeline = _timeline(_page(client, sqa_officer, reverse("audits:audit-detail", args=[audit.pk])))

    assert "Audit reopened" in timeline and f"by {sqa_officer.display_name}" in timeline
    assert AT_TEXT in timeline and "Reason: The evidence was thin" in timeline


def test_the_action_page_shows_its_history(client, area, practitioner, sqa_officer, team_manager):
    action = make_action(
        agency=area.school, worker=practitioner, team_manager=team_manager, due_on=dt.date(2026, 12, 1)
    )
    completed = event_record(
        subject=action, user=practitioner, kind="completed", evidence="Section B rewritten"
    )
    _backdate(completed)
    event_record(
        subject=action, user=None, kind="notified", event=completed.pk, about="completed", to=team_manager.pk
    )

    timeline = _timeline(_page(client, sqa_officer, reverse("actions:action-detail", args=[action.pk])))

    assert "Completed" in timeline and f"by {practitioner.display_name}" in timeline
    assert AT_TEXT in timeline and "Evidence: Section B rewritten" in timeline
    assert "Email sent" in timeline and "by the system" in timeline
    assert f"To {team_manager.display_name} (completed)" in timeline


def test_the_escalation_page_shows_its_history(client, area, sqa_officer, head_of_service):
    escalation = make_escalation(agency=area.school, key="test:1", head_of_service=head_of_service)
    _backdate(
        event_record(subject=escalation, user=head_of_service, kind="acknowledged", note="Looking into it")
    )
    event_record(subject=escalation, user=None, kind="chased", recipients=[])

    timeline = _timeline(
        _page(client, sqa_officer, reverse("actions:escalation-detail", args=[escalation.pk]))
    )

    assert "Acknowledged" in timeline and f"by {head_of_service.display_name}" in timeline
    assert AT_TEXT in timeline and "Looking into it" in timeline
    assert "Reminder sent" in timeline and "Nobody with an email address to tell" in timeline


def test_the_complaint_page_shows_its_history(client, area, sqa_officer):
    complaint = ComplaintFactory(agency=area.school)
    changes = {"responded_on": [None, "2026-11-20"], "outcome": ["", "upheld"]}
    _backdate(event_record(subject=complaint, user=sqa_officer, kind="changed", changes=changes))

    timeline = _timeline(
        _page(client, sqa_officer, reverse("feedback:complaint-detail", args=[complaint.pk]))
    )

    assert "Complaint changed" in timeline and f"by {sqa_officer.display_name}" in timeline
    assert AT_TEXT in timeline
    assert "Date responded: blank → 20 November 2026" in timeline
    assert "Outcome: blank → upheld" in timeline


@pytest.mark.django_db(transaction=True)
def test_an_audits_history_is_kept_when_its_action_becomes_kind():
    newest = latest()
    try:
        apps = migrate([("audits", "0006_actions_and_escalations_leave_audits")])
        partnership = apps.get_model("qaf", "Partnership").objects.create(name="Old rows", slug="old-rows")
        agency = apps.get_model("qaf", "Agency").objects.create(
            partnership=partnership, name="Oakfield School", kind="education"
        )
        tool = apps.get_model("audits", "AuditTool").objects.create(
            partnership=partnership, name="Plan audit", kind="plan", levels=[1]
        )
        version = apps.get_model("audits", "AuditToolVersion").objects.create(tool=tool, number=1)
        audit = apps.get_model("audits", "Audit").objects.create(
            partnership=partnership, agency=agency, level=1, tool_version=version, due_on=dt.date(2026, 1, 9)
        )
        old = apps.get_model("audits", "AuditEvent").objects.create(
            audit=audit, action="reopened", at=AT, details={"reason": "Thin evidence"}
        )

        apps = migrate([("audits", "0007_auditevent_action_becomes_kind")])
        kept = apps.get_model("audits", "AuditEvent").objects.get(pk=old.pk)

        assert (kept.audit_id, kept.kind, kept.at, kept.details) == (
            audit.pk,
            "reopened",
            AT,
            {"reason": "Thin evidence"},
        )
    finally:
        migrate(newest)
