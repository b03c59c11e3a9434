"""Browser journey on Debian's Chromium: sign in, home, children list, a child page; axe-core on each."""

from __future__ import annotations

import datetime as dt

import pytest

from ehcp import services as ehcp_services
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member
from tests.axe import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def journey_data(db):
    from conftest import make_area

    area = make_area("Journey Local Area")
    user = member(area.sat, Role.PRACTITIONER, username="sat.journey")
    user.first_name, user.last_name = "Jo", "Caseworker"
    user.save()
    child = ChildFactory(
        partnership=area.partnership,
        case_reference="NCC-004217",
        initials="TK",
        primary_need="SLCN",
        agencies=[area.school, area.health],
    )
    ehcp_services.assessment_save(
        child=child,
        requested_on=dt.date(2024, 9, 2),
        decision_on=dt.date(2024, 10, 7),
        will_assess=True,
        final_plan_issued_on=dt.date(2025, 2, 24),
    )
    ehcp_services.review_save(
        child=child, meeting_on=dt.date(2026, 2, 10), decision="maintain", decision_on=dt.date(2026, 2, 20)
    )
    return user, child


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_sign_in_and_browse_children(live_server, page, journey_data, viewport):
    user, child = journey_data
    page.set_viewport_size(viewport)
    page.goto(f"{live_server.url}/")
    assert "Sign in" in page.title()
    assert_accessible(page, "sign in")

    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{live_server.url}/")
    assert page.get_by_role("heading", level=1).inner_text() == "Statutory assessment overview"
    # The stylesheet built from GOV.UK Frontend is served and applied.
    assert (
        page.evaluate("getComputedStyle(document.querySelector('.govuk-button, .govuk-link')).fontFamily")
        .lower()
        .startswith("arial")
    )
    assert_accessible(page, "home")

    page.goto(f"{live_server.url}/children/")
    assert page.get_by_role("heading", level=1).inner_text() == "Children and plans"
    assert_accessible(page, "children list")

    page.get_by_role("link", name="NCC-004217").click()
    page.wait_for_url(f"{live_server.url}/children/{child.pk}/")
    assert "NCC-004217" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_text("Final plan issued (20 weeks)").count() == 1
    assert_accessible(page, "child page")
