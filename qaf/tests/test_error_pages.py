"""Error pages people can meet without doing anything wrong."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import path, reverse

from ehcp.tests.factories import ChildFactory
from feedback.models import FeedbackResponse
from feedback.tests.factories import default_form


def test_a_form_sent_without_its_security_check_gets_a_plain_page_and_stores_nothing(area):
    default_form(area.partnership)  # seeds the general form too
    client = Client(enforce_csrf_checks=True)
    page = client.post(f"/f/general/{area.partnership.slug}/", {"tell_us": "Hello"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "Your answers could not be sent" in text
    assert "cookies" in text
    assert "CSRF" not in text
    assert not FeedbackResponse.objects.exists()


def test_the_403_page_says_why_when_the_page_knows(client, board_member):
    client.force_login(board_member)
    page = client.get(reverse("feedback:complaint-list"))
    assert page.status_code == 403
    text = page.content.decode()
    assert "Complaints and compliments are seen by the staff of each agency." in text
    assert "lets you see this record but not change it" not in text


def test_the_403_page_without_a_reason_is_true_for_a_page_and_for_a_record(client, partnership_admin):
    client.force_login(partnership_admin)
    page = client.get(reverse("feedback:hub"))  # no voice section for this role, no reason given
    assert page.status_code == 403
    text = page.content.decode()
    assert (
        "Your role does not let you use this page, or it lets you see this record but not change it." in text
    )


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


@pytest.mark.parametrize("address", ["/audits/no-such-page/", "/children/not-a-number/", "/nowhere"])
def test_an_address_that_is_not_the_site_s_gets_the_site_s_404_page_with_debug_on(
    client, debug_on, sqa_officer, address
):
    client.force_login(sqa_officer)
    page = client.get(address)
    assert page.status_code == 404
    assert [t.name for t in page.templates][:2] == ["404.html", "base.html"]
    text = page.content.decode()
    assert "Page not found" in text
    assert "govuk-service-navigation__list" in text  # the site's layout, for the signed-in user
    assert "URLconf" not in text


def test_a_page_the_role_may_not_see_gets_the_site_s_404_page_with_debug_on(
    client, debug_on, board_member, area, other_area
):
    client.force_login(board_member)
    for address in [
        "/audits/tools/",
        reverse("ehcp:child-detail", args=[ChildFactory(partnership=other_area.partnership).pk]),
    ]:
        page = client.get(address)
        assert page.status_code == 404, address
        assert "404.html" in [t.name for t in page.templates], address
        assert "Page not found" in page.content.decode()
        assert "Http404" not in page.content.decode()


def test_an_address_without_its_final_slash_is_still_redirected_with_debug_on(client, debug_on, sqa_officer):
    client.force_login(sqa_officer)
    page = client.get("/audits")
    assert page.status_code == 301
    assert page["Location"] == "/audits/"


def _broken(request):
    raise RuntimeError("the figures could not be read")


# The URLconf of the test below: one page that fails.
urlpatterns = [path("broken/", _broken)]


@pytest.mark.urls("qaf.tests.test_error_pages")
def test_errors_still_show_django_s_debug_page_with_debug_on(client, debug_on, sqa_officer):
    client.raise_request_exception = False
    client.force_login(sqa_officer)
    page = client.get("/broken/")
    assert page.status_code == 500
    assert "the figures could not be read" in page.content.decode()
    assert "Traceback" in page.content.decode()
