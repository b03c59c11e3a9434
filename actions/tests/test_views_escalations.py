"""Escalation pages: who sees the list and an escalation (404 otherwise), who may acknowledge and resolve
(403 otherwise), no deletion, and the list's query count. The escalated record is a case
(actions.tests.factories.CaseSource); raising a safeguarding concern from an audit is in
audits/tests/test_concerns.py."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from actions.models import Escalation, EscalationStatus, EscalationTrigger
from actions.services import escalations
from actions.urls import urlpatterns
from ehcp.tests.factories import ChildFactory
from qaf.tests.factories import UserFactory

LIST = reverse("actions:escalations")


def detail(escalation) -> str:
    return reverse("actions:escalation-detail", args=[escalation.pk])


def raise_concern(agency, auditor, *, reference: str = "EHC-1") -> Escalation:
    """A concern about a child's case escalated to the head of service of `agency`, raised by `auditor`."""
    child = ChildFactory(partnership=agency.partnership, case_reference=reference)
    escalation, _ = escalations.escalation_raise(
        source=child,
        by=auditor,
        trigger=EscalationTrigger.SAFEGUARDING,
        trigger_key=f"case:{child.pk}",
        summary=f"A safeguarding concern was raised during the review of {reference}.",
        agency=agency,
        child=child,
    )
    return escalation


@pytest.fixture
def school_escalation(area, case_source, practitioner, head_of_service):
    return raise_concern(area.school, practitioner, reference="SCH-1")


@pytest.fixture
def other_escalation(area, case_source, other_agency_manager):
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
    client, area, case_source, sqa_officer, practitioner, head_of_service, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    raise_concern(area.school, practitioner, reference="A-1")
    with django_assert_max_num_queries(12) as few:
        assert client.get(LIST).status_code == 200
    for n in range(8):
        raise_concern(area.school, practitioner, reference=f"B-{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(LIST)
    assert page.content.decode().count("/escalations/") >= 9


# --- acknowledge and resolve ----------------------------------------------------------------------


def test_head_of_service_acknowledges(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    url = reverse("actions:escalation-acknowledge", args=[school_escalation.pk])
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
    url = reverse("actions:escalation-acknowledge", args=[school_escalation.pk])
    assert client.post(url, {"note": ""}).status_code == status
    school_escalation.refresh_from_db()
    assert school_escalation.status == EscalationStatus.OPEN


def test_acknowledge_is_post_only(client, head_of_service, school_escalation):
    client.force_login(head_of_service)
    url = reverse("actions:escalation-acknowledge", args=[school_escalation.pk])
    assert client.get(url).status_code == 405


def test_resolve_needs_a_resolution_then_records_it(client, sqa_officer, school_escalation):
    client.force_login(sqa_officer)
    url = reverse("actions:escalation-resolve", args=[school_escalation.pk])
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
    url = reverse("actions:escalation-resolve", args=[school_escalation.pk])
    assert client.post(url, {"resolution": "x"}).status_code == status


# --- never deleted -----------------------------------------------------------------------------------


def test_escalations_cannot_be_deleted_in_the_admin(client, area, school_escalation):
    superuser = UserFactory(partnership=area.partnership, is_superuser=True, is_staff=True)
    model_admin = site._registry[Escalation]
    request = RequestFactory().get("/")
    request.user = superuser
    assert model_admin.has_view_permission(request, school_escalation)
    assert not model_admin.has_delete_permission(request, school_escalation)
    assert not model_admin.has_change_permission(request, school_escalation)
    client.force_login(superuser)
    url = reverse("admin:actions_escalation_delete", args=[school_escalation.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Escalation.objects.filter(pk=school_escalation.pk).exists()
    assert not any("delete" in str(p.pattern) for p in _escalation_routes())


def _escalation_routes():
    return [p for p in urlpatterns if "escalation" in str(p.pattern)]
