"""The partnership's general feedback form at /f/general/<slug>/ and the list of forms at /f/: answers and
the service chosen are stored; the honeypot, the signed start time, the rate limit and a repeated submit
store nothing more."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse

from feedback.forms import public as forms
from feedback.models import FREE_TEXT_MAX_LENGTH, Audience, FeedbackAnswer, FeedbackResponse, ResponseSource
from feedback.services.forms import feedback_forms_seed_defaults
from feedback.tests.factories import stored_answers
from feedback.views.public import GENERAL_MAX_PER_HOUR
from qaf.models import AgencyKind
from qaf.tests.factories import AgencyFactory, PartnershipFactory

pytestmark = pytest.mark.django_db

ANSWERS = {"who": "parent_carer", "experience": "poor", "tell_us": "The plan took too long."}


@pytest.fixture
def partnership(area):
    feedback_forms_seed_defaults(partnership=area.partnership)
    return area.partnership


def _general(partnership) -> str:
    return reverse("feedback_public:general", args=[partnership.slug])


def _sent(partnership) -> str:
    return reverse("feedback_public:general-done", args=[partnership.slug])


def _post(client: Client, partnership, data: dict, *, age: float = 10, key: str | None = None, **extra):
    """Send the general form as a person would: shown `age` seconds ago, with a fresh submission key."""
    body = {
        forms.STARTED_FIELD: forms.started_token(partnership.slug, now=time.time() - age),
        forms.KEY_FIELD: key or forms.new_submission_key(),
        forms.HONEYPOT_FIELD: "",
        **data,
    }
    return client.post(_general(partnership), body, **extra)


def _counts() -> tuple[int, int]:
    return FeedbackResponse.objects.count(), FeedbackAnswer.objects.count()


def test_the_general_form_shows_every_question_and_the_services(client, area, other_area, partnership):
    AgencyFactory(partnership=area.partnership, name="Closed service", is_active=False)
    feedback_forms_seed_defaults(partnership=other_area.partnership)
    response = client.get(_general(partnership))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">Give feedback about SEND services</h1>' in html
    for code in ["who", "experience", "tell_us"]:
        assert f'name="{code}"' in html
    assert "Which service is your feedback about? (optional)" in html
    offered = re.findall(r'name="agency" type="radio" value="(\w+)"', html)
    expected = [area.health, area.social_care, area.other_school, area.school, area.sat]
    assert offered == [str(a.pk) for a in sorted(expected, key=lambda a: a.name)] + ["not_sure"]
    assert "I'm not sure" in html
    # The honeypot is hidden from everyone, screen readers and the tab key included.
    assert re.search(
        r'<div class="qaf-honeypot" hidden aria-hidden="true">\s*<label for="website">Leave this empty</label>\s*'
        r'<input type="text" id="website" name="website" value="" autocomplete="off" tabindex="-1">',
        html,
    )
    assert re.search(r'name="started" value="[^"]+"', html)
    assert re.search(r'name="submission_key" value="[0-9a-f]{32}"', html)
    assert "Sign in" not in html and "govuk-service-navigation__list" not in html


def test_feedback_about_a_service_is_stored(client, area, partnership):
    response = _post(client, partnership, {**ANSWERS, "agency": str(area.health.pk)})
    assert response.status_code == 302 and response.url == _sent(partnership)
    sent = client.get(response.url)
    assert sent.status_code == 200
    assert "govuk-panel--confirmation" in sent.content.decode()
    assert "Your feedback has been sent to the partnership" in sent.content.decode()

    stored = FeedbackResponse.objects.get()
    assert stored.partnership == partnership and stored.agency == area.health
    assert stored.source == ResponseSource.GENERAL and stored.audience == Audience.PUBLIC
    assert stored.invitation is None
    answers = stored_answers(stored)
    assert answers == {
        "who": (["parent_carer"], "", None),
        "experience": (["poor"], "", 2),
        "tell_us": ([], "The plan took too long.", None),
    }


def test_not_sure_of_the_service_stores_no_agency(client, partnership):
    _post(client, partnership, {**ANSWERS, "agency": "not_sure"})
    _post(client, partnership, ANSWERS)
    assert list(FeedbackResponse.objects.values_list("agency", flat=True)) == [None, None]


@pytest.mark.parametrize("which", ["other_partnership", "sqa", "inactive", "nonsense"])
def test_a_service_not_on_the_list_is_refused(client, area, other_area, partnership, which):
    agency = {
        "other_partnership": lambda: other_area.school,
        "sqa": lambda: area.sqa,
        "inactive": lambda: AgencyFactory(
            partnership=area.partnership, kind=AgencyKind.HEALTH, is_active=False
        ),
        "nonsense": lambda: None,
    }[which]()
    response = _post(client, partnership, {**ANSWERS, "agency": str(agency.pk) if agency else "1 OR 1=1"})
    assert response.status_code == 200
    html = response.content.decode()
    assert '<a href="#agency">Choose a service from the list</a>' in html
    assert 'id="agency-error"' in html
    assert "The plan took too long." in html  # the answers are kept
    assert _counts() == (0, 0)


def test_missing_answers_get_gov_uk_errors(client, partnership):
    response = _post(client, partnership, {"tell_us": "x" * (FREE_TEXT_MAX_LENGTH + 1)})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>\s*Error: ", html)
    assert '<a href="#q-who">Select an answer to: Who are you?</a>' in html
    assert f"Your answer must be {FREE_TEXT_MAX_LENGTH} characters or fewer" in html
    assert _counts() == (0, 0)


# --- Spam guard, rate limit and repeats -------------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    ["honeypot", "too_fast", "no_start_time", "forged_start_time", "other_partnership_start", "bad_key"],
)
def test_a_bot_is_thanked_but_nothing_is_stored(client, other_area, partnership, case):
    data = {**ANSWERS}
    extra: dict = {}
    if case == "honeypot":
        data[forms.HONEYPOT_FIELD] = "http://spam.example"
    elif case == "too_fast":
        extra["age"] = 1
    elif case == "no_start_time":
        data[forms.STARTED_FIELD] = ""
    elif case == "forged_start_time":
        data[forms.STARTED_FIELD] = forms.started_token(partnership.slug, now=time.time() - 60)[:-2] + "xx"
    elif case == "other_partnership_start":
        data[forms.STARTED_FIELD] = forms.started_token(other_area.partnership.slug, now=time.time() - 60)
    elif case == "bad_key":
        extra["key"] = "not-a-key"
    response = _post(client, partnership, data, **extra)
    assert response.status_code == 302 and response.url == _sent(partnership)
    assert _counts() == (0, 0)


def test_a_form_left_open_over_a_day_is_shown_again_to_send(client, partnership):
    response = _post(client, partnership, ANSWERS, age=forms.MAX_SECONDS + 60)
    assert response.status_code == 200
    html = response.content.decode()
    assert "This page was open for more than a day" in html
    assert "The plan took too long." in html
    assert _counts() == (0, 0)
    started = re.search(r'name="started" value="([^"]+)"', html).group(1)
    assert forms.started_age(started, partnership.slug) < 5  # a new start time, so a person can send it now


def test_a_repeated_submit_stores_one_response(client, partnership):
    key = forms.new_submission_key()
    first = _post(client, partnership, ANSWERS, key=key)
    second = _post(client, partnership, ANSWERS, key=key)
    assert first.url == second.url == _sent(partnership)
    assert _counts() == (1, 3)


def test_more_than_five_an_hour_from_one_address_is_refused(client, area, other_area, partnership):
    for _ in range(GENERAL_MAX_PER_HOUR):
        assert _post(client, partnership, ANSWERS).status_code == 302
    assert _counts() == (GENERAL_MAX_PER_HOUR, 3 * GENERAL_MAX_PER_HOUR)
    refused = _post(client, partnership, ANSWERS)
    assert refused.status_code == 429
    assert "Too many submissions, try again later" in refused.content.decode()
    assert FeedbackResponse.objects.count() == GENERAL_MAX_PER_HOUR
    # Another address, and another partnership from the same address, are counted apart.
    assert _post(client, partnership, ANSWERS, REMOTE_ADDR="10.1.2.3").status_code == 302
    feedback_forms_seed_defaults(partnership=other_area.partnership)
    assert _post(client, other_area.partnership, ANSWERS).status_code == 302
    assert FeedbackResponse.objects.count() == GENERAL_MAX_PER_HOUR + 2


def test_behind_the_proxy_the_address_the_proxy_saw_is_counted(client, partnership, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for n in range(GENERAL_MAX_PER_HOUR):
        # A visitor may prepend anything; the proxy's own last entry is what counts.
        sent = _post(client, partnership, ANSWERS, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.9", **proxy)
        assert sent.status_code == 302
    assert _post(client, partnership, ANSWERS, HTTP_X_FORWARDED_FOR="203.0.113.9", **proxy).status_code == 429
    # Someone else behind the same proxy is not held back.
    assert (
        _post(client, partnership, ANSWERS, HTTP_X_FORWARDED_FOR="198.51.100.7", **proxy).status_code == 302
    )


# --- Missing forms and the list of forms --------------------------------------------------------------------


def test_an_unknown_partnership_or_a_partnership_without_a_general_form_is_a_404(client, area):
    PartnershipFactory(name="No Forms Area")
    for slug in ["nowhere", "no-forms-area", area.partnership.slug]:
        for url in [
            reverse("feedback_public:general", args=[slug]),
            reverse("feedback_public:general-done", args=[slug]),
        ]:
            response = client.get(url)
            assert response.status_code == 404
            assert "This feedback form is not available" in response.content.decode()
            assert f'href="{reverse("feedback_public:index")}"' in response.content.decode()
    assert client.post(reverse("feedback_public:general", args=["nowhere"]), ANSWERS).status_code == 404
    assert _counts() == (0, 0)


def test_the_list_of_forms_links_each_partnerships_general_form(
    client, area, other_area, django_assert_num_queries
):
    empty = client.get(reverse("feedback_public:index"))
    assert "No feedback forms are open at the moment." in empty.content.decode()

    feedback_forms_seed_defaults(partnership=area.partnership)
    with django_assert_num_queries(1):
        one = client.get(reverse("feedback_public:index"))
    assert f'href="{_general(area.partnership)}"' in one.content.decode()

    feedback_forms_seed_defaults(partnership=other_area.partnership)
    feedback_forms_seed_defaults(partnership=PartnershipFactory(name="Third Area"))
    with django_assert_num_queries(1):
        three = client.get(reverse("feedback_public:index"))
    html = three.content.decode()
    assert html.count('href="/f/general/') == 3
    assert html.index("Elsewhere Local Area") < html.index("Test Local Area") < html.index("Third Area")
