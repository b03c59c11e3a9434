"""The voice start page and its place in the service navigation."""

from __future__ import annotations

import pytest
from django.urls import reverse

from feedback.views.hub import sections_for
from qaf.models import AgencyKind, Role
from qaf.tests.factories import AgencyFactory, member


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        (
            "sqa_officer",
            {
                "Feedback responses",
                "Invitations",
                "Feedback analysis",
                "Complaints",
                "Compliments",
                "Compliments and complaints by quarter",
                "Advocacy returns",
                "Six-monthly board summary",
                "Feedback forms",
            },
        ),
        (
            "agency_manager",
            {
                "Feedback responses",
                "Invitations",
                "Feedback analysis",
                "Complaints",
                "Compliments",
                "Feedback forms",
            },
        ),
        (
            "board_member",
            {
                "Feedback analysis",
                "Compliments and complaints by quarter",
                "Advocacy returns",
                "Six-monthly board summary",
            },
        ),
    ],
)
def test_each_role_gets_the_sections_it_may_open(client, request, persona, expected):
    user = request.getfixturevalue(persona)
    assert {section.title for section in sections_for(user)} == expected
    client.force_login(user)
    page = client.get(reverse("feedback:hub"))
    assert page.status_code == 200
    for section in sections_for(user):
        assert section.url in page.content.decode()
        assert client.get(section.url).status_code == 200, section.title


def test_advocacy_staff_see_their_returns(client, area):
    advocacy = AgencyFactory(partnership=area.partnership, kind=AgencyKind.ADVOCACY, name="SENDIASS")
    worker = member(advocacy, Role.AGENCY_MANAGER, username="advocate")
    assert "Advocacy returns" in {section.title for section in sections_for(worker)}


def test_the_hub_is_forbidden_without_a_role_and_in_the_navigation_otherwise(
    client, partnership_admin, practitioner
):
    client.force_login(partnership_admin)
    assert client.get(reverse("feedback:hub")).status_code == 403
    assert 'href="/feedback/"' not in client.get(reverse("home")).content.decode()
    client.force_login(practitioner)
    home = client.get(reverse("home")).content.decode()
    assert 'href="/feedback/"' in home
    assert ">Voice<" in home
