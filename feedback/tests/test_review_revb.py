"""Review (revb): bad input on the complaint, compliment, response, summary and advocacy pages gives a clear answer,
never a 500 or a silently ignored POST."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import AdvocacyActivity, Audience, Complaint, Compliment
from feedback.selectors.summary import HalfYear, last_complete_half
from feedback.tests.factories import (
    AdvocacyReturnFactory,
    ComplaintFactory,
    ComplimentFactory,
    default_form,
    response_with_answers,
)
from qaf.models import AgencyKind, Theme
from qaf.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


# --- the board summary's half-year --------------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["0000-H1", "0000-H2"])
def test_a_half_year_with_no_dates_is_not_a_half_year(text):
    assert HalfYear.parse(text) is None


def test_board_summary_falls_back_on_a_year_zero_half(client, sqa_officer):
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:board-summary"), {"half": "0000-H1"})

    assert response.status_code == 200
    assert response.context["summary"].half == last_complete_half(timezone.localdate())


# --- empty POSTs are answered with the form's errors, not a blank form --------------------------------------------


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


def test_an_empty_post_to_the_new_advocacy_return_page_says_what_is_missing(client, area, sqa_officer):
    AgencyFactory(partnership=area.partnership, name="SENDIASS", kind=AgencyKind.ADVOCACY)
    client.force_login(sqa_officer)

    response = client.post(reverse("feedback:advocacy-create"), {})

    assert response.status_code == 400
    assert response.context["form"].errors


def test_untagging_every_theme_is_a_post_with_no_themes(client, area, sqa_officer):
    """Saving the tag page with no box ticked records that the answer fits no theme (the service's contract)."""
    theme = Theme.objects.create(partnership=area.partnership, name="Communication")
    response = response_with_answers(
        version=default_form(area.partnership, Audience.PARENT_CARER),
        agency=area.school,
        answers={"do_better": "Send papers earlier"},
    )
    answer = response.answers.get(question__code="do_better")
    answer.themes.set([theme])
    client.force_login(sqa_officer)

    page = client.post(reverse("feedback:response-tag", args=[response.pk, answer.pk]), {})

    assert page.status_code == 302
    answer.refresh_from_db()
    assert answer.themes.count() == 0
    assert answer.tagged_at is not None and answer.tagged_by == sqa_officer


# --- the CSV downloads run a fixed number of queries --------------------------------------------------------------


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_compliments_csv_query_count_does_not_grow(client, area, sqa_officer, django_assert_max_num_queries):
    def add(count: int) -> None:
        for _ in range(count):
            compliment = ComplimentFactory(agency=area.school)
            compliment.themes.create(partnership=area.partnership, name=f"Theme {compliment.pk}")

    url = reverse("feedback:compliment-list")
    client.force_login(sqa_officer)
    add(2)
    with django_assert_max_num_queries(20) as few:
        assert len(_csv_lines(client.get(url, {"format": "csv"}))) == 3
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_csv_lines(client.get(url, {"format": "csv"}))) == 23


def test_advocacy_csv_query_count_does_not_grow(client, area, sqa_officer, django_assert_max_num_queries):
    agency = AgencyFactory(partnership=area.partnership, name="SENDIASS", kind=AgencyKind.ADVOCACY)

    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            row = AdvocacyReturnFactory(agency=agency, year=2000 + i // 4, quarter=i % 4 + 1)
            AdvocacyActivity.objects.create(
                advocacy_return=row, activity_type="casework", level="3", count=i + 1
            )

    url = reverse("feedback:advocacy-list-csv")
    client.force_login(sqa_officer)
    add(0, 2)
    with django_assert_max_num_queries(20) as few:
        assert len(_csv_lines(client.get(url))) == 3
    add(2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_csv_lines(client.get(url))) == 23


# --- the read-only pages refuse a POST ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "feedback:complaint-list",
        "feedback:compliment-list",
        "feedback:analysis",
        "feedback:response-list",
        "feedback:response-list-csv",
        "feedback:feedback-analysis",
        "feedback:feedback-analysis-csv",
        "feedback:board-summary",
        "feedback:advocacy-list",
        "feedback:advocacy-list-csv",
    ],
)
def test_a_post_to_a_read_only_page_is_refused(client, sqa_officer, name):
    client.force_login(sqa_officer)

    assert client.post(reverse(name), {}).status_code == 405
    assert client.get(reverse(name)).status_code == 200


# --- a complaint about an agency that has since closed --------------------------------------------------------------


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
