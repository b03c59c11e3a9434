"""The Level 3 panel: members from several agencies get the audit and its child through object grants, and
lose them when removed; only the SQA officer changes the panel."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import AuditEvent, AuditLevel, AuditStatus, PanelMember
from audits.services.panel import panel_member_add, panel_member_remove
from audits.tests.factories import AuditFactory
from audits.tests.support import page_statuses, sqa_audit
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def child(area):
    # Known to social care only: the health and school members below have no standing on it of their own.
    return ChildFactory(partnership=area.partnership, case_reference="MAP-9", agencies=[area.social_care])


@pytest.fixture
def level3(area, child):
    return sqa_audit(area, level=AuditLevel.MULTI_AGENCY, child=child)


@pytest.fixture
def nurse(area):
    return member(area.health, Role.PRACTITIONER, username="nurse")


def test_panel_member_sees_the_audit_and_child_and_loses_both_when_removed(
    client, level3, child, nurse, sqa_officer, area
):
    client.force_login(nurse)
    assert page_statuses(client, level3, child) == (404, 404)

    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    assert page_statuses(client, level3, child) == (200, 200)
    listed = client.get(reverse("audits:audit-list")).context["page"].object_list
    assert [a.pk for a in listed] == [level3.pk]
    assert nurse.has_perm("audits.view_audit", level3)

    panel_member_remove(audit=level3, user=nurse, by=sqa_officer)
    assert page_statuses(client, level3, child) == (404, 404)
    assert list(client.get(reverse("audits:audit-list")).context["page"].object_list) == []
    assert not PanelMember.objects.filter(audit=level3).exists()


def test_child_grant_stays_while_another_level3_audit_of_the_child_grants_it(
    client, level3, child, nurse, sqa_officer, area
):
    second = AuditFactory(
        agency=area.sqa, level=AuditLevel.MULTI_AGENCY, child=child, tool_version=level3.tool_version
    )
    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    panel_member_add(audit=second, user=nurse, agency=area.health, by=sqa_officer)
    panel_member_remove(audit=level3, user=nurse, by=sqa_officer)
    client.force_login(nurse)
    assert page_statuses(client, level3, child) == (404, 200)
    assert client.get(reverse("audits:audit-detail", args=[second.pk])).status_code == 200
    panel_member_remove(audit=second, user=nurse, by=sqa_officer)
    assert page_statuses(client, second, child) == (404, 404)


def test_panel_changes_are_in_the_history(level3, nurse, sqa_officer, area):
    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    panel_member_remove(audit=level3, user=nurse, by=sqa_officer)
    events = list(AuditEvent.objects.filter(audit=level3).values_list("kind", "user_id", "details"))
    details = {"member_id": nurse.pk, "member": nurse.display_name, "agency": area.health.name}
    assert events == [
        ("panel_member_added", sqa_officer.pk, details),
        ("panel_member_removed", sqa_officer.pk, details),
    ]


def test_only_sqa_officers_change_the_panel(level3, nurse, area, agency_manager, outsider_sqa, sqa_officer):
    for user in (agency_manager, outsider_sqa, nurse):
        with pytest.raises(PermissionDenied):
            panel_member_add(audit=level3, user=nurse, agency=area.health, by=user)
    assert not PanelMember.objects.exists()
    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    with pytest.raises(PermissionDenied):
        panel_member_remove(audit=level3, user=nurse, by=nurse)
    assert PanelMember.objects.filter(user=nurse).exists()


def test_panel_rules(level3, nurse, area, other_area, sqa_officer, practitioner):
    with pytest.raises(ValidationError) as error:  # the nurse does not work for the school
        panel_member_add(audit=level3, user=nurse, agency=area.school, by=sqa_officer)
    assert "user" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        panel_member_add(audit=level3, user=nurse, agency=other_area.health, by=sqa_officer)
    assert "agency" in error.value.message_dict
    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    with pytest.raises(ValidationError):  # twice
        panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    with pytest.raises(ValidationError):  # not on the panel
        panel_member_remove(audit=level3, user=practitioner, by=sqa_officer)
    level1 = AuditFactory(agency=area.school, level=1, tool_version=level3.tool_version)
    with pytest.raises(ValidationError):
        panel_member_add(audit=level1, user=practitioner, agency=area.school, by=sqa_officer)
    level3.status = AuditStatus.CLOSED
    level3.save()
    with pytest.raises(ValidationError):
        panel_member_remove(audit=level3, user=nurse, by=sqa_officer)


def test_panel_member_records_answers_only_while_on_the_panel(level3, nurse, sqa_officer, area):
    from audits import access

    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    assert access.audits.can(nurse, "edit", level3)
    panel_member_remove(audit=level3, user=nurse, by=sqa_officer)
    assert not access.audits.can(nurse, "edit", level3)


# --- the panel page ----------------------------------------------------------------------------------------


def test_sqa_officer_adds_and_removes_members_on_the_page(client, level3, nurse, sqa_officer, area):
    client.force_login(sqa_officer)
    url = reverse("audits:audit-panel", args=[level3.pk])
    page = client.get(url)
    assert page.status_code == 200
    choice = f"{nurse.pk}:{area.health.pk}"
    assert choice in dict(page.context["form"].fields["member"].choices)

    assert client.post(url, {"member": choice}).status_code == 302
    assert PanelMember.objects.filter(audit=level3, user=nurse, agency=area.health).exists()
    assert nurse.display_name in client.get(url).content.decode()

    remove = reverse("audits:audit-panel-remove", args=[level3.pk, nurse.pk])
    assert client.get(remove).status_code == 405
    assert client.post(remove).status_code == 302
    assert not PanelMember.objects.filter(audit=level3).exists()
    assert not nurse.has_perm("audits.view_audit", level3)


def test_panel_page_refuses_a_person_of_another_partnership(client, level3, sqa_officer, other_area):
    stranger = member(other_area.health, Role.PRACTITIONER)
    client.force_login(sqa_officer)
    response = client.post(
        reverse("audits:audit-panel", args=[level3.pk]), {"member": f"{stranger.pk}:{other_area.health.pk}"}
    )
    assert response.status_code == 200
    assert "member" in response.context["form"].errors
    assert not PanelMember.objects.exists()


def test_panel_page_is_403_for_members_and_404_for_outsiders(
    client, level3, nurse, sqa_officer, area, agency_manager, outsider_sqa
):
    panel_member_add(audit=level3, user=nurse, agency=area.health, by=sqa_officer)
    url = reverse("audits:audit-panel", args=[level3.pk])
    remove = reverse("audits:audit-panel-remove", args=[level3.pk, nurse.pk])
    for user, status in ((nurse, 403), (agency_manager, 404), (outsider_sqa, 404)):
        client.force_login(user)
        assert client.get(url).status_code == status
        assert client.post(remove).status_code == status
    assert PanelMember.objects.filter(user=nurse).exists()
