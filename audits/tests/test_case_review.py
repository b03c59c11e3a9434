"""Level 4 case reviews: the lead board member's grants and assignment, consent before the meeting notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse

from audits.models import AuditAssignment, AuditEvent, AuditLevel, AuditStatus, CaseReviewRecord
from audits.services.case_review import case_review_setup, case_review_update
from audits.tests.factories import AuditFactory
from audits.tests.support import page_statuses, sqa_audit
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member

NOW = dt.datetime(2026, 11, 18, 10, 0, tzinfo=dt.UTC)  # a Wednesday of the autumn term
TODAY = NOW.date()


# Every test runs on the same day (time-machine's mark); the clock ticks so events keep their order.
pytestmark = pytest.mark.time_machine(NOW)


CONSENT = {
    "consent_given_by": "Parent",
    "consent_given_on": TODAY - dt.timedelta(days=10),
    "consent_how": "In writing",
}
MEETING = {
    "met_on": TODAY - dt.timedelta(days=2),
    "child_views": "Likes art and wants more time in the garden.",
    "ambitions": "To go to college.",
    "barriers": "Transport to school.",
    "family_views": "Feels listened to.",
}


@pytest.fixture
def child(area):
    return ChildFactory(partnership=area.partnership, case_reference="CRV-7", agencies=[area.social_care])


@pytest.fixture
def level4(area, child):
    return sqa_audit(area, level=AuditLevel.CASE_REVIEW, child=child)


@pytest.fixture
def other_board_member(area):
    return member(area.sqa, Role.BOARD_MEMBER, username="board.two")


def test_setup_grants_the_lead_the_audit_and_child_and_assigns_lead_and_officer(
    client, level4, child, board_member, sqa_officer
):
    client.force_login(board_member)
    assert page_statuses(client, level4, child) == (404, 404)
    record = case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)
    assert record.lead_board_member == board_member
    assert set(AuditAssignment.objects.filter(audit=level4).values_list("user_id", flat=True)) == {
        board_member.pk,
        sqa_officer.pk,
    }
    assert page_statuses(client, level4, child) == (200, 200)
    assert AuditEvent.objects.filter(audit=level4, kind="case_review_set_up", user=sqa_officer).exists()


def test_board_member_sees_no_other_audit_or_child(client, level4, area, board_member, sqa_officer):
    case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)
    other = AuditFactory(agency=area.sqa, level=AuditLevel.CASE_REVIEW, tool_version=level4.tool_version)
    other_child = ChildFactory(partnership=area.partnership, agencies=[area.sqa])
    client.force_login(board_member)
    assert client.get(reverse("audits:audit-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("ehcp:child-detail", args=[other_child.pk])).status_code == 404
    listed = client.get(reverse("audits:audit-list")).context["page"].object_list
    assert [a.pk for a in listed] == [level4.pk]


def test_changing_the_lead_moves_grants_and_assignment(
    client, level4, child, board_member, other_board_member, sqa_officer
):
    case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)
    case_review_setup(audit=level4, lead_board_member=other_board_member, by=sqa_officer)
    assert CaseReviewRecord.objects.get(audit=level4).lead_board_member == other_board_member
    assert not AuditAssignment.objects.filter(audit=level4, user=board_member).exists()
    client.force_login(board_member)
    assert page_statuses(client, level4, child) == (404, 404)
    client.force_login(other_board_member)
    assert page_statuses(client, level4, child) == (200, 200)
    event = AuditEvent.objects.get(audit=level4, kind="case_review_lead_changed")
    assert event.details["previous_lead_id"] == board_member.pk


def test_setup_rules(level4, area, board_member, sqa_officer, agency_manager, practitioner, outsider_sqa):
    with pytest.raises(PermissionDenied):
        case_review_setup(audit=level4, lead_board_member=board_member, by=agency_manager)
    with pytest.raises(PermissionDenied):
        case_review_setup(audit=level4, lead_board_member=board_member, by=outsider_sqa)
    with pytest.raises(ValidationError) as error:  # not a board member
        case_review_setup(audit=level4, lead_board_member=practitioner, by=sqa_officer)
    assert "lead_board_member" in error.value.message_dict
    level3 = AuditFactory(agency=area.sqa, level=AuditLevel.MULTI_AGENCY, tool_version=level4.tool_version)
    with pytest.raises(ValidationError):
        case_review_setup(audit=level3, lead_board_member=board_member, by=sqa_officer)
    case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)
    with pytest.raises(ValidationError):  # the same lead again
        case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)
    assert not CaseReviewRecord.objects.filter(audit=level3).exists()


@pytest.fixture
def record(level4, board_member, sqa_officer):
    return case_review_setup(audit=level4, lead_board_member=board_member, by=sqa_officer)


def test_meeting_notes_need_complete_consent_first(record, board_member):
    with pytest.raises(ValidationError) as error:
        case_review_update(record=record, by=board_member, **MEETING)
    assert set(error.value.message_dict) == {
        "consent_given_by",
        "consent_given_on",
        "consent_how",
        NON_FIELD_ERRORS,
    }
    partial = {**CONSENT, "consent_how": ""}
    with pytest.raises(ValidationError) as error:
        case_review_update(record=record, by=board_member, **partial, **MEETING)
    assert set(error.value.message_dict) == {"consent_how", NON_FIELD_ERRORS}
    record.refresh_from_db()
    assert not record.has_consent and record.child_views == ""

    case_review_update(record=record, by=board_member, **CONSENT, **MEETING)
    record.refresh_from_db()
    assert record.has_consent and record.ambitions == "To go to college."
    actions = list(AuditEvent.objects.filter(audit=record.audit).values_list("kind", flat=True))
    assert actions[-2:] == ["case_review_updated", "consent_recorded"]


def test_consent_alone_can_be_recorded_before_the_meeting(record, board_member):
    case_review_update(record=record, by=board_member, **CONSENT)
    record.refresh_from_db()
    assert record.has_consent and record.met_on is None


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"consent_given_on": TODAY + dt.timedelta(days=1)}, "consent_given_on"),
        ({"met_on": TODAY + dt.timedelta(days=1)}, "met_on"),
        ({"met_on": TODAY - dt.timedelta(days=20)}, "met_on"),  # before consent
        ({"met_on": None}, "met_on"),  # views without a meeting date
    ],
)
def test_dates_are_checked(record, board_member, changes, field):
    with pytest.raises(ValidationError) as error:
        case_review_update(record=record, by=board_member, **{**CONSENT, **MEETING, **changes})
    assert field in error.value.message_dict


def test_only_people_who_may_edit_change_the_record(record, agency_manager, other_board_member, sqa_officer):
    for user in (agency_manager, other_board_member):
        with pytest.raises(PermissionDenied):
            case_review_update(record=record, by=user, **CONSENT)
    case_review_update(record=record, by=sqa_officer, **CONSENT)  # assigned at set-up
    record.audit.status = AuditStatus.SUBMITTED
    record.audit.save()
    with pytest.raises(PermissionDenied):
        case_review_update(record=record, by=sqa_officer, **CONSENT, **MEETING)


# --- pages -------------------------------------------------------------------------------------------------


def _date(prefix: str, day: dt.date) -> dict:
    return {f"{prefix}_0": day.day, f"{prefix}_1": day.month, f"{prefix}_2": day.year}


def test_sqa_officer_names_the_lead_on_the_page(client, level4, board_member, sqa_officer, agency_manager):
    url = reverse("audits:case-review-setup", args=[level4.pk])
    client.force_login(sqa_officer)
    page = client.get(url)
    assert page.status_code == 200
    assert board_member in page.context["form"].fields["lead_board_member"].queryset
    assert agency_manager not in page.context["form"].fields["lead_board_member"].queryset
    assert client.post(url, {"lead_board_member": board_member.pk}).status_code == 302
    assert CaseReviewRecord.objects.get(audit=level4).lead_board_member == board_member


def test_lead_records_consent_and_the_meeting_on_the_page(client, record, board_member):
    url = reverse("audits:case-review", args=[record.audit.pk])
    client.force_login(board_member)
    assert client.get(url).status_code == 200
    only_meeting = {**_date("met_on", MEETING["met_on"]), "child_views": "Wants to play football."}
    response = client.post(url, only_meeting)
    assert response.status_code == 200
    assert "consent_given_by" in response.context["form"].errors
    data = {
        "consent_given_by": "Parent",
        "consent_how": "Verbally at a meeting",
        **_date("consent_given_on", CONSENT["consent_given_on"]),
        **only_meeting,
    }
    assert client.post(url, data).status_code == 302
    html = client.get(reverse("audits:audit-detail", args=[record.audit.pk])).content.decode()
    assert "Given by Parent" in html and "Wants to play football." in html


def test_case_review_pages_are_404_or_403_outside_the_rules(
    client, record, level4, agency_manager, practitioner, sqa_officer, board_member
):
    setup = reverse("audits:case-review-setup", args=[level4.pk])
    edit = reverse("audits:case-review", args=[level4.pk])
    client.force_login(agency_manager)
    assert client.get(setup).status_code == 404
    assert client.get(edit).status_code == 404
    client.force_login(board_member)  # leads it, but naming the lead is the SQA officer's
    assert client.get(setup).status_code == 403
    assert client.get(edit).status_code == 200
