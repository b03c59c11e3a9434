"""Escalation pages: who sees the list and an escalation (404 otherwise), who may acknowledge and resolve
(403 otherwise), raising a safeguarding concern from an audit, no deletion, and the list's query count."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from audits.models import Escalation, EscalationStatus
from audits.services import escalations
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory

LIST = reverse("audits:escalations")


def detail(escalation) -> str:
    return reverse("audits:escalation-detail", args=[escalation.pk])


def raise_concern(agency, auditor, *, reference: str = "EHC-1") -> Escalation:
    child = ChildFactory(partnership=agency.partnership, case_reference=reference)
    audit = AuditFactory(agency=agency, child=child, assignees=[auditor])
    return escalations.safeguarding_concern_raise(audit=audit, by=auditor, description="Concern details")


@pytest.fixture
def school_escalation(area, practitioner, head_of_service):
    return raise_concern(area.school, practitioner, reference="SCH-1")


@pytest.fixture
def other_escalation(area, other_agency_manager):
    return raise_concern(area.other_school, other_agency_manager, reference="OTH-1")


# --- who sees what ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "sees_school", "sees_other"),
    [
        ("sqa_officer", True, True),
        ("head_of_service", True, False),
        ("agency_manager", True, False),
        ("other_agency_manager", False, True),  # raised it
        ("practitioner", True, False),  # raised it
        ("team_manager", False, False),
        ("board_member", False, False),
        ("outsider_sqa", False, False),
    ],
)
def test_list_and_detail_are_scoped(
    request, client, school_escalation, other_escalation, persona, sees_school, sees_other
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    page = client.get(LIST)
    assert page.status_code == 200
    body = page.content.decode()
    assert ("SCH-1" in body) is sees_school
    assert ("OTH-1" in body) is sees_other
    assert client.get(detail(school_escalation)).status_code == (200 if sees_school else 404)
    assert client.get(detail(other_escalation)).status_code == (200 if sees_other else 404)


def test_list_needs_sign_in(client):
    assert client.get(LIST).status_code == 302


def test_list_filters_and_rag(client, sqa_officer, school_escalation, other_escalation, area):
    client.force_login(sqa_officer)
    body = client.get(LIST, {"agency": area.school.pk}).content.decode()
    assert "SCH-1" in body and "OTH-1" not in body
    body = client.get(LIST, {"status": "resolved"}).content.decode()
    assert "SCH-1" not in body and "No escalations match" in body
    body = client.get(LIST, {"trigger": "safeguarding"}).content.decode()
    assert "SCH-1" in body and "OTH-1" in body
    Escalation.objects.filter(pk=school_escalation.pk).update(
        acknowledge_by=timezone.now() - dt.timedelta(days=3)
    )
    body = client.get(LIST, {"agency": area.school.pk}).content.decode()
    assert "Overdue" in body


def test_list_ignores_junk_filters_and_page(client, sqa_officer, school_escalation, other_escalation):
    client.force_login(sqa_officer)
    response = client.get(LIST, {"page": "abc", "agency": "abc", "status": "zz", "trigger": "zz"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "SCH-1" in body and "OTH-1" in body
    assert response.context["page"].number == 1


def test_list_query_count_does_not_grow_with_rows(
    client, area, sqa_officer, practitioner, head_of_service, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    raise_concern(area.school, practitioner, reference="A-1")
    with django_assert_max_num_queries(12) as few:
        assert client.get(LIST).status_code == 200
    for n in range(8):
        raise_concern(area.school, practitioner, reference=f"B-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST)
    assert page.content.decode().count("/audits/escalations/") >= 9


def test_detail_shows_history_and_the_concern(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    body = client.get(detail(school_escalation)).content.decode()
    assert "Escalation raised" in body and "Concern details" in body
    assert "Acknowledge the escalation" in body


# --- acknowledge and resolve ----------------------------------------------------------------------


def test_head_of_service_acknowledges(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    url = reverse("audits:escalation-acknowledge", args=[school_escalation.pk])
    response = client.post(url, {"note": "Looking into it"})
    assert response.status_code == 302 and response["Location"] == detail(school_escalation)
    school_escalation.refresh_from_db()
    assert school_escalation.status == EscalationStatus.ACKNOWLEDGED
    assert school_escalation.acknowledged_by == head_of_service


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agency_manager", 403),
        ("sqa_officer", 403),
        ("practitioner", 403),
        ("other_agency_manager", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
    ],
)
def test_others_cannot_acknowledge(request, client, school_escalation, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("audits:escalation-acknowledge", args=[school_escalation.pk])
    assert client.post(url, {"note": ""}).status_code == status
    school_escalation.refresh_from_db()
    assert school_escalation.status == EscalationStatus.OPEN


def test_acknowledge_is_post_only(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    url = reverse("audits:escalation-acknowledge", args=[school_escalation.pk])
    assert client.get(url).status_code == 405


def test_resolve_needs_a_resolution_then_records_it(client, sqa_officer, school_escalation):
    client.force_login(sqa_officer)
    url = reverse("audits:escalation-resolve", args=[school_escalation.pk])
    response = client.post(url, {"resolution": ""})
    assert response.status_code == 400
    assert "Say how the escalation was resolved" in response.content.decode()
    assert client.post(url, {"resolution": "Social care visited"}).status_code == 302
    school_escalation.refresh_from_db()
    assert school_escalation.status == EscalationStatus.RESOLVED
    assert school_escalation.resolution == "Social care visited"


@pytest.mark.parametrize(("persona", "status"), [("agency_manager", 403), ("other_agency_manager", 404)])
def test_others_cannot_resolve(request, client, school_escalation, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("audits:escalation-resolve", args=[school_escalation.pk])
    assert client.post(url, {"resolution": "x"}).status_code == status


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
    escalation = Escalation.objects.get(audit=open_audit)
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
    assert Escalation.objects.filter(audit=open_audit, trigger="safeguarding").count() == 1


# --- never deleted -----------------------------------------------------------------------------------


def test_escalations_cannot_be_deleted_in_the_admin(client, area, school_escalation):
    from qaf.tests.factories import UserFactory

    superuser = UserFactory(partnership=area.partnership, is_superuser=True, is_staff=True)
    model_admin = site._registry[Escalation]
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_view_permission(request, school_escalation)
    assert not model_admin.has_delete_permission(request, school_escalation)
    assert not model_admin.has_change_permission(request, school_escalation)
    client.force_login(superuser)
    url = reverse("admin:audits_escalation_delete", args=[school_escalation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Escalation.objects.filter(pk=school_escalation.pk).exists()
    assert not any("delete" in str(p.pattern) for p in _escalation_routes())


def _escalation_routes():
    from audits.urls_escalations import urlpatterns

    return urlpatterns
