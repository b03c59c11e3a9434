"""Complaint and compliment pages and API: who sees and changes what, response shape, constant query counts,
the answer to an empty POST, and changing a complaint about an agency that has since closed."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from feedback import access
from feedback.models import Complaint, Compliment
from feedback.tests.factories import ComplaintFactory, ComplimentFactory
from feedback.tests.readers import AGENCY_RECORD_READERS, assert_list_shows
from qaf.access import forget_access
from qaf.models import Membership, Role
from qaf.tests.forms import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_complaint(area):
    return ComplaintFactory(agency=area.school)


@pytest.fixture
def other_complaint(area):
    return ComplaintFactory(agency=area.other_school)


@pytest.mark.parametrize("persona, list_status, sees_own, sees_other", AGENCY_RECORD_READERS)
def test_who_sees_which_complaints(
    request, client, school_complaint, other_complaint, persona, list_status, sees_own, sees_other
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("feedback:complaint-list"))
    assert response.status_code == list_status
    if list_status == 200:
        assert_list_shows(response, "complaint", school_complaint, other_complaint, sees_own, sees_other)
    detail = client.get(reverse("feedback:complaint-detail", args=[school_complaint.pk]))
    assert detail.status_code == (200 if sees_own else 404)
    api = client.get(f"/api/v1/complaints/{school_complaint.pk}/")
    assert api.status_code == (200 if sees_own else 403 if list_status == 403 else 404)


@pytest.mark.parametrize(
    "persona, status",
    [
        ("sqa_officer", 200),
        ("agency_manager", 200),
        ("practitioner", 403),  # sees it, may not change it
        ("other_agency_manager", 404),
        ("board_member", 404),
    ],
)
def test_who_may_change_a_complaint(request, client, school_complaint, persona, status):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("feedback:complaint-change", args=[school_complaint.pk]))

    assert response.status_code == status


def test_manager_logs_a_complaint_with_an_override_through_the_form(client, area, agency_manager):
    client.force_login(agency_manager)
    data = {
        "agency": area.school.pk,
        **date_fields("received_on", dt.date(2026, 12, 14)),
        "category": "practice",
        "stage": "stage_1",
        "summary": "Nobody replied to emails",
        "response_working_days": "10",
        "response_days_reason": "",
    }

    missing_reason = client.post(reverse("feedback:complaint-log"), data)
    assert missing_reason.status_code == 400
    assert "Enter why the response has a different timescale" in missing_reason.content.decode()

    data["response_days_reason"] = "Family asked for a meeting first"
    response = client.post(reverse("feedback:complaint-log"), data)
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert complaint.response_due_on == dt.date(2026, 12, 30)  # skips 25 and 28 Dec
    assert complaint.logged_by == agency_manager
    assert complaint.events.get().kind == "logged"


def test_manager_cannot_log_for_another_agency(client, area, agency_manager):
    client.force_login(agency_manager)

    response = client.post(
        reverse("feedback:complaint-log"),
        {
            "agency": area.other_school.pk,
            **date_fields("received_on", dt.date(2026, 12, 1)),
        },
    )

    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_practitioner_may_not_log(client, practitioner):
    client.force_login(practitioner)

    assert client.get(reverse("feedback:complaint-log")).status_code == 403


def test_detail_shows_history_of_changes(client, area, agency_manager, sqa_officer):
    from feedback.services import complaints as services

    complaint = services.complaint_log(
        by=agency_manager,
        agency=area.school,
        received_on=dt.date(2026, 12, 14),
        category="transport",
        stage="stage_1",
        summary="Taxi did not arrive",
    )
    services.complaint_update(complaint=complaint, by=sqa_officer, stage="stage_2")
    client.force_login(agency_manager)

    html = client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).content.decode()

    assert "Complaint logged" in html and "Complaint changed" in html
    assert "stage_1 → stage_2" in html


def test_overdue_filter_on_the_list(client, area, sqa_officer):
    overdue = ComplaintFactory(
        agency=area.school, received_on=dt.date(2020, 1, 6), response_due_on=dt.date(2020, 2, 3)
    )
    ComplaintFactory(agency=area.school, received_on=dt.date(2099, 1, 5), response_due_on=dt.date(2099, 2, 2))
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:complaint-list"), {"overdue": "yes"})

    assert [row["complaint"] for row in response.context["rows"]] == [overdue]
    assert "Overdue by" in response.content.decode()
    api = client.get("/api/v1/complaints/", {"overdue": "true"}).json()
    assert [row["id"] for row in api["results"]] == [overdue.pk]


def test_compliments_scoped_like_complaints(client, area, agency_manager, board_member):
    mine = ComplimentFactory(agency=area.school)
    ComplimentFactory(agency=area.other_school)
    client.force_login(agency_manager)

    page = client.get(reverse("feedback:compliment-list"))
    api = client.get("/api/v1/compliments/").json()

    assert list(page.context["page"].object_list) == [mine]
    assert [row["id"] for row in api["results"]] == [mine.pk]
    client.force_login(board_member)
    assert client.get("/api/v1/compliments/").status_code == 403
    assert client.get(reverse("feedback:compliment-list")).status_code == 403


def test_manager_logs_a_compliment(client, area, agency_manager):
    client.force_login(agency_manager)

    response = client.post(
        reverse("feedback:compliment-log"),
        {
            "agency": area.school.pk,
            **date_fields("received_on", dt.date(2027, 2, 3)),
            "from_whom": "young_person",
            "about": "My review",
            "summary": "I was listened to",
        },
    )

    assert response.status_code == 302
    assert Compliment.objects.get().logged_by == agency_manager


@pytest.mark.parametrize(
    "persona, status", [("sqa_officer", 200), ("board_member", 200), ("agency_manager", 403)]
)
def test_analysis_for_sqa_and_board_only(request, client, area, persona, status):
    ComplaintFactory(agency=area.school, received_on=dt.date(2027, 1, 5))
    client.force_login(request.getfixturevalue(persona))

    response = client.get(reverse("feedback:analysis"))

    assert response.status_code == status
    if status == 200:
        assert "Jan–Mar 2027" in response.content.decode()


def _many(area, n):
    for _ in range(n):
        complaint = ComplaintFactory(agency=area.school)
        complaint.themes.create(partnership=area.partnership, name=f"Theme {complaint.pk}")
        ComplimentFactory(agency=area.school)


@pytest.mark.parametrize(
    "url",
    [
        "/feedback/complaints/",
        "/feedback/compliments/",
        "/api/v1/complaints/",
        "/api/v1/compliments/",
        "/feedback/complaints/analysis/",
    ],
)
def test_list_query_counts_do_not_grow_with_rows(
    client, area, sqa_officer, django_assert_max_num_queries, url
):
    client.force_login(sqa_officer)
    _many(area, 2)
    with django_assert_max_num_queries(40) as few:
        assert client.get(url).status_code == 200
    _many(area, 10)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(url).status_code == 200


def test_api_complaint_shape(client, area, sqa_officer, school_complaint):
    client.force_login(sqa_officer)

    body = client.get("/api/v1/complaints/").json()

    assert {"count", "next", "previous", "results"} <= set(body)
    row = body["results"][0]
    assert row["agency_name"] == area.school.name
    assert row["response_due_on"] == school_complaint.response_due_on.isoformat()


def test_list_filters_offer_only_the_agencies_whose_complaints_the_user_sees(client, area, agency_manager):
    # A second role that sees no rows (board member of another agency) adds no agency to the filter.
    Membership.objects.create(user=agency_manager, agency=area.other_school, role=Role.BOARD_MEMBER)
    forget_access(agency_manager)
    client.force_login(agency_manager)

    for url in (reverse("feedback:complaint-list"), reverse("feedback:compliment-list")):
        offered = list(client.get(url).context["form"].fields["agency"].queryset)
        assert offered == [area.school]


def test_sqa_filters_offer_every_agency_of_the_partnership(client, area, sqa_officer):
    client.force_login(sqa_officer)

    offered = set(client.get(reverse("feedback:complaint-list")).context["form"].fields["agency"].queryset)

    assert {area.school, area.other_school, area.sqa} <= offered
    assert all(agency.partnership_id == area.partnership.pk for agency in offered)


def test_complaint_list_shows_the_chosen_filters_with_a_way_to_clear_them(client, area, sqa_officer):
    client.force_login(sqa_officer)

    html = client.get(reverse("feedback:complaint-list"), {"stage": "stage_2"}).content.decode()

    assert "Stage: Stage 2" in html
    assert f'href="{reverse("feedback:complaint-list")}">Clear filters' in html


def test_analysis_counts_the_whole_partnership_and_only_it(area, other_area, sqa_officer, agency_manager):
    mine = ComplaintFactory(agency=area.other_school)
    ComplaintFactory(agency=other_area.school)
    ComplimentFactory(agency=area.school)

    complaints, compliments = (
        access.complaints.aggregate_scope(sqa_officer),
        access.compliments.aggregate_scope(sqa_officer),
    )

    assert list(complaints) == [mine]
    assert compliments.count() == 1
    assert [
        qs.exists()
        for qs in (
            access.complaints.aggregate_scope(agency_manager),
            access.compliments.aggregate_scope(agency_manager),
        )
    ] == [False, False]


# --- Empty and partial posts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feedback:complaint-log", "feedback:compliment-log"])
def test_an_empty_post_to_a_log_page_says_what_is_missing(client, sqa_officer, name):
    client.force_login(sqa_officer)

    response = client.post(reverse(name), {})

    assert response.status_code == 400
    assert response.context["form"].errors
    assert "There is a problem" in response.content.decode()
    assert not Complaint.objects.exists() and not Compliment.objects.exists()


def test_an_empty_post_to_the_complaint_change_page_changes_nothing_and_says_why(client, area, sqa_officer):
    complaint = ComplaintFactory(agency=area.school, summary="Papers late")
    client.force_login(sqa_officer)

    response = client.post(reverse("feedback:complaint-change", args=[complaint.pk]), {})

    assert response.status_code == 400
    assert "summary" in response.context["form"].errors
    complaint.refresh_from_db()
    assert complaint.summary == "Papers late"


# --- A complaint about an agency that has since closed ------------------------------------------------------------


def test_changing_a_complaint_of_a_closed_agency_keeps_it_about_that_agency(client, area, sqa_officer):
    complaint = ComplaintFactory(agency=area.school, summary="Papers late")
    area.school.is_active = False
    area.school.save(update_fields=["is_active"])
    client.force_login(sqa_officer)
    url = reverse("feedback:complaint-change", args=[complaint.pk])

    form = client.get(url).context["form"]
    assert area.school in form.fields["agency"].queryset
    data = {
        name: value
        for name, value in form.initial.items()
        if value not in (None, "") and name not in ("themes", "received_on", "responded_on")
    }
    data.update(
        agency=area.school.pk,
        summary="Papers sent late twice",
        received_on_0=complaint.received_on.day,
        received_on_1=complaint.received_on.month,
        received_on_2=complaint.received_on.year,
    )
    response = client.post(url, data)

    assert response.status_code == 302, response.context["form"].errors
    complaint.refresh_from_db()
    assert complaint.agency == area.school
    assert complaint.summary == "Papers sent late twice"


def test_the_change_form_offers_no_closed_agency_other_than_the_complaints(client, area, sqa_officer):
    complaint = ComplaintFactory(agency=area.school)
    area.other_school.is_active = False
    area.other_school.save(update_fields=["is_active"])
    client.force_login(sqa_officer)

    form = client.get(reverse("feedback:complaint-change", args=[complaint.pk])).context["form"]

    assert area.school in form.fields["agency"].queryset
    assert area.other_school not in form.fields["agency"].queryset
