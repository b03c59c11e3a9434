"""The words and defaults of the logging forms: no agency is chosen for the user (so nothing is logged against
whichever agency comes first), and an empty form's error summary says, per field, what to do."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from feedback.models import Complaint
from feedback.tests.factories import default_form
from qaf.models import AgencyKind, Role
from qaf.tests.factories import AgencyFactory, MembershipFactory
from qaf.tests.forms import date_fields

pytestmark = pytest.mark.django_db


def _agency_options(html: str) -> list[str]:
    select = re.search(r'<select[^>]*name="agency"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the page has an agency picker"
    return re.findall(r"<option[^>]*>", select.group(1))


def _summary(html: str) -> list[str]:
    summary = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    assert summary, "the page has an error summary"
    return [
        re.sub(r"<[^>]+>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", summary.group(1), re.S)
    ]


def test_the_complaint_form_preselects_no_agency(client, area, sqa_officer):
    client.force_login(sqa_officer)

    html = client.get(reverse("feedback:complaint-log")).content.decode()

    options = _agency_options(html)
    assert options[0] == '<option value="">'
    assert not [option for option in options if "selected" in option]
    assert "Select an agency</option>" in html


def test_a_complaint_without_an_agency_says_to_select_it(client, area, sqa_officer):
    client.force_login(sqa_officer)

    response = client.post(
        reverse("feedback:complaint-log"),
        {
            **date_fields("received_on", dt.date(2026, 12, 14)),
            "category": "practice",
            "stage": "stage_1",
            "summary": "Nobody replied to emails",
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["agency"] == ["Select the agency the complaint is about"]
    assert not Complaint.objects.exists()


def test_an_empty_complaint_lists_what_to_do_for_each_field(client, area, sqa_officer):
    client.force_login(sqa_officer)

    html = client.post(reverse("feedback:complaint-log"), {}).content.decode()

    summary = _summary(html)
    assert summary == [
        "Select the agency the complaint is about",
        "Enter the date the complaint was received",
        "Select the category of the complaint",
        "Select the stage of the complaint",
        "Enter the summary of the complaint",
    ]
    assert len(set(summary)) == len(summary)
    assert "This field is required." not in html


def test_with_one_agency_there_is_no_choice_to_make(client, area, agency_manager):
    """The school's manager logs for the school only: it is the one option, chosen already."""
    client.force_login(agency_manager)

    options = _agency_options(client.get(reverse("feedback:complaint-log")).content.decode())

    assert options == [f'<option value="{area.school.pk}">']


def test_a_manager_of_two_agencies_chooses_one(client, area, agency_manager):
    MembershipFactory(user=agency_manager, agency=area.other_school, role=Role.AGENCY_MANAGER)
    client.force_login(agency_manager)

    options = _agency_options(client.get(reverse("feedback:complaint-log")).content.decode())

    assert options[0] == '<option value="">' and len(options) == 3
    assert not [option for option in options if "selected" in option]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("feedback:compliment-log", "Select the agency that was complimented"),
        ("feedback:invitation-create", "Select the agency that held the meeting"),
        ("feedback:advocacy-create", "Select the advocacy service the return is for"),
    ],
)
def test_no_logging_form_preselects_an_agency(client, area, sqa_officer, url, message):
    for name in ("Advocacy North", "Advocacy South"):
        AgencyFactory(partnership=area.partnership, kind=AgencyKind.ADVOCACY, name=name)
    default_form(area.partnership)
    client.force_login(sqa_officer)

    html = client.get(reverse(url)).content.decode()
    options = _agency_options(html)
    assert options[0] == '<option value="">'
    assert not [option for option in options if "selected" in option]

    response = client.post(reverse(url), {"meeting_kind": "planning"})
    assert message in response.context["form"].errors["agency"]
