"""Raising a safeguarding concern on an audit (the audit page, doing the audit, the concern page): who may
(403/404 otherwise), the escalation it makes at once, who is told, and the concern on the escalation page."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from actions.models import Escalation
from actions.selectors.sources import escalations_raised_from
from audits.services import escalations
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory


def detail(escalation) -> str:
    return reverse("actions:escalation-detail", args=[escalation.pk])


def raise_concern(agency, auditor, *, reference: str = "EHC-1") -> Escalation:
    child = ChildFactory(partnership=agency.partnership, case_reference=reference)
    audit = AuditFactory(agency=agency, child=child, assignees=[auditor])
    return escalations.safeguarding_concern_raise(audit=audit, by=auditor, description="Concern details")


@pytest.fixture
def school_escalation(area, practitioner, head_of_service):
    return raise_concern(area.school, practitioner, reference="SCH-1")


def test_detail_shows_history_and_the_concern(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    body = client.get(detail(school_escalation)).content.decode()
    assert "Escalation raised" in body and "Concern details" in body
    assert "Acknowledge the escalation" in body


# --- raising a safeguarding concern from an audit ----------------------------------------------------


@pytest.fixture
def open_audit(area, practitioner):
    child = ChildFactory(partnership=area.partnership, case_reference="AUD-9")
    return AuditFactory(agency=area.school, child=child, assignees=[practitioner])


def test_auditor_raises_a_concern_from_the_audit(
    client, practitioner, head_of_service, open_audit, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(practitioner)
    audit_page = client.get(reverse("audits:audit-detail", args=[open_audit.pk])).content.decode()
    url = reverse("audits:safeguarding-concern-raise", args=[open_audit.pk])
    assert url in audit_page
    assert url in client.get(reverse("audits:audit-form", args=[open_audit.pk])).content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, {"description": ""})
    assert response.status_code == 200 and "Describe the safeguarding concern" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"description": "Child disclosed harm"})
    (escalation,) = escalations_raised_from(open_audit.safeguarding_concerns.get())
    assert response.status_code == 302 and response["Location"] == detail(escalation)
    assert [m.to for m in mailoutbox] == [[head_of_service.email]]
    shown = client.get(response["Location"])
    assert [str(m) for m in get_messages(shown.wsgi_request)] == [
        f"Safeguarding concern raised. {head_of_service.display_name} (head of service, "
        f"{open_audit.agency.name}) has been told."
    ]


def test_without_a_head_of_service_the_concern_names_the_sqa_officer_told(
    client, practitioner, sqa_officer, open_audit, django_capture_on_commit_callbacks, mailoutbox
):
    client.force_login(practitioner)
    url = reverse("audits:safeguarding-concern-raise", args=[open_audit.pk])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"description": "Child disclosed harm"})
    shown = client.get(response["Location"])
    words = [str(m) for m in get_messages(shown.wsgi_request)]
    assert words == [
        f"Safeguarding concern raised. There is no head of service to tell for {open_audit.agency.name}: "
        f"{sqa_officer.display_name} (SQA officer) has been told."
    ]
    assert [m.to for m in mailoutbox] == [[sqa_officer.email]]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("agency_manager", 403), ("other_agency_manager", 404), ("board_member", 404), ("outsider_sqa", 404)],
)
def test_others_cannot_raise_a_concern(request, client, open_audit, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("audits:safeguarding-concern-raise", args=[open_audit.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"description": "x"}).status_code == status
    assert not Escalation.objects.exists()


def test_sqa_officer_raises_a_concern(client, sqa_officer, open_audit):
    client.force_login(sqa_officer)
    url = reverse("audits:safeguarding-concern-raise", args=[open_audit.pk])
    assert client.post(url, {"description": "Seen at moderation"}).status_code == 302
    (concern,) = open_audit.safeguarding_concerns.all()
    assert escalations_raised_from(concern).filter(trigger="safeguarding").count() == 1
