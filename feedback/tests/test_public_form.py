"""The invitation's public form at /f/<token>/, through the Django test client (so with JavaScript off):
whole journeys, validation, change links, every kind of bad link, double submits, oversize input, and a
script pasted into a text box."""

from __future__ import annotations

import datetime as dt
import re
import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from feedback import tokens
from feedback.defaults import DEFAULT_FORMS
from feedback.models import (
    FREE_TEXT_MAX_LENGTH,
    Audience,
    FeedbackAnswer,
    FeedbackResponse,
    ResponseSource,
)
from feedback.tests.factories import FeedbackInvitationFactory, stored_answers
from feedback.views.public import FLOW_PREFIX
from qaf.models import Role
from qaf.tests.factories import member

pytestmark = pytest.mark.django_db

PARENT_PAGE_1 = {
    "meeting_overall": "good",
    "listened": "completely",
    "papers_in_time": "yes",
    "child_views": "well",
}
PARENT_PAGE_2 = {"next_steps": "no", "went_well": "The chair was kind.", "do_better": ""}
EASY_READ_PAGES = [
    {"meeting_feel": "good"},
    {"listened": "no"},
    {"said_it": "ok"},
    {"tell_us": "I liked it."},
]


def _url(name: str, token: str, *args) -> str:
    return reverse(f"feedback_public:{name}", args=[token, *args])


def _counts() -> tuple[int, int]:
    return FeedbackResponse.objects.count(), FeedbackAnswer.objects.count()


def _key(client: Client, invitation) -> str:
    return client.session[FLOW_PREFIX + invitation.public_id]["key"]


@pytest.fixture
def invitation(area):
    return FeedbackInvitationFactory(agency=area.school)


@pytest.fixture
def easy_invitation(area):
    return FeedbackInvitationFactory(agency=area.school, audience=Audience.YOUNG_PERSON)


@pytest.fixture
def token(invitation) -> str:
    return tokens.invitation_token(invitation)


def _fill_parent(client: Client, token: str) -> None:
    assert client.post(_url("form-page", token, 1), PARENT_PAGE_1).url == _url("form-page", token, 2)
    assert client.post(_url("form-page", token, 2), PARENT_PAGE_2).url == _url("form-check", token)


# --- Whole journeys ---------------------------------------------------------------------------------------


def test_a_parent_completes_the_form_without_javascript(client, invitation, token):
    start = client.get(_url("form", token))
    assert start.status_code == 200
    html = start.content.decode()
    assert '<h1 class="govuk-heading-xl">Tell us about the meeting</h1>' in html
    assert "It takes about 2 minutes" in html and "We do not ask for your name" in html
    assert f'href="{_url("form-page", token, 1)}"' in html

    page_1 = client.get(_url("form-page", token, 1))
    assert page_1.status_code == 200
    assert page_1.content.decode().count("<fieldset") == 4
    assert f'href="{_url("form", token)}" class="govuk-back-link"' in page_1.content.decode()
    _fill_parent(client, token)
    page_2 = client.get(_url("form-page", token, 2)).content.decode()
    assert "Do not include names" in page_2
    assert 'data-module="govuk-character-count"' in page_2
    assert f"You can enter up to {FREE_TEXT_MAX_LENGTH} characters" in page_2

    check = client.get(_url("form-check", token))
    assert check.status_code == 200
    rows = dict(
        re.findall(
            r'summary-list__key">(.*?)</dt>\s*<dd class="govuk-summary-list__value">\s*(.*?)\s*</dd>',
            check.content.decode(),
            re.S,
        )
    )
    assert "Good" in rows["How good was the meeting overall?"]
    assert "Yes, completely" in rows["Did you feel listened to?"]
    assert "Not answered" in rows["What could we do better?"]
    key = _key(client, invitation)
    assert f'name="submission_key" value="{key}"' in check.content.decode()

    sent = client.post(_url("form-check", token), {"submission_key": key})
    assert sent.status_code == 302 and sent.url == _url("form-done", token)
    done = client.get(sent.url)
    assert done.status_code == 200
    html = done.content.decode()
    assert "govuk-panel--confirmation" in html
    assert "Your answers have been sent to the team that held the meeting" in html
    assert reverse("feedback_public:general", args=[invitation.partnership.slug]) in html

    response = FeedbackResponse.objects.get()
    assert response.invitation == invitation
    assert response.source == ResponseSource.INVITATION
    assert response.agency == invitation.agency
    assert response.submission_key == key
    stored = stored_answers(response)
    assert stored == {
        "meeting_overall": (["good"], "", 3),
        "listened": (["completely"], "", 3),
        "papers_in_time": (["yes"], "", 1),
        "child_views": (["well"], "", 3),
        "next_steps": (["no"], "", 0),
        "went_well": ([], "The chair was kind.", None),
    }
    invitation.refresh_from_db()
    assert invitation.responded_at is not None and invitation.contact == ""
    assert client.session[FLOW_PREFIX + invitation.public_id]["answers"] == {}


def test_a_young_person_completes_the_easy_read_form(client, easy_invitation):
    token = tokens.invitation_token(easy_invitation)
    start = client.get(_url("form", token)).content.decode()
    assert "There are 4 questions" in start and "qaf-easy-read" in start

    page_1 = client.get(_url("form-page", token, 1)).content.decode()
    # One question a page: its legend is the page heading, with the question's picture and the options' pictures.
    assert re.search(r'<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">\s*<h1', page_1)
    assert "How did the meeting feel?</h1>" in page_1
    assert (
        'src="/static/feedback/easy-read/meeting.svg" alt="People sitting round a table at a meeting"'
        in page_1
    )
    for picture, alt in [
        ("face-happy", "A smiling face"),
        ("face-ok", "A face with a straight mouth"),
        ("face-sad", "A sad face"),
    ]:
        assert f'src="/static/feedback/easy-read/{picture}.svg" alt="{alt}"' in page_1
    assert "qaf-picture-options" in page_1

    for number, answers in enumerate(EASY_READ_PAGES, start=1):
        response = client.post(_url("form-page", token, number), answers)
        expected = _url("form-page", token, number + 1) if number < 4 else _url("form-check", token)
        assert response.status_code == 302 and response.url == expected
    page_2 = client.get(_url("form-page", token, 2)).content.decode()
    assert 'alt="A tick"' in page_2 and 'alt="A cross"' in page_2
    assert re.search(r'value="no"\s+checked', page_2)  # the answer so far is kept

    check = client.get(_url("form-check", token)).content.decode()
    assert "I liked it." in check
    client.post(_url("form-check", token), {"submission_key": _key(client, easy_invitation)})
    response = FeedbackResponse.objects.get()
    assert response.audience == Audience.YOUNG_PERSON
    stored = stored_answers(response)
    assert stored == {
        "meeting_feel": (["good"], "", 3),
        "listened": (["no"], "", 0),
        "said_it": (["ok"], "", 2),
        "tell_us": ([], "I liked it.", None),
    }


def test_every_easy_read_picture_is_a_static_svg_with_a_view_box(client):
    pictures = {
        (path, alt)
        for spec in DEFAULT_FORMS
        for question in spec["questions"]
        for path, alt in [(question["image"], question["image_alt"])]
        + [(o.get("image", ""), o.get("image_alt", "")) for o in question["options"]]
        if path
    }
    assert len({path for path, _ in pictures}) == 9
    for path, alt in pictures:
        assert alt, path
        found = finders.find(path)
        assert found, path
        svg = open(found, encoding="utf-8").read()
        assert svg.lstrip().startswith("<svg") and 'viewBox="0 0 100 100"' in svg, path
        assert "<script" not in svg and "<text" not in svg, path


# --- Validation and changing answers ----------------------------------------------------------------------


def test_a_page_sent_without_answers_shows_gov_uk_errors_and_keeps_nothing(client, invitation, token):
    response = client.post(_url("form-page", token, 1), {"listened": "partly"})
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r"<title>\s*Error: ", html)
    assert "govuk-error-summary" in html and "There is a problem" in html
    assert '<a href="#q-meeting_overall">Select an answer to: How good was the meeting overall?</a>' in html
    assert 'id="q-meeting_overall-error"' in html and "govuk-form-group--error" in html
    assert 'aria-describedby="q-meeting_overall-error"' in html
    assert re.search(r'value="partly"\s+checked', html)  # what was chosen is shown again
    assert client.session[FLOW_PREFIX + invitation.public_id]["answers"] == {}

    forged = client.post(_url("form-page", token, 1), {**PARENT_PAGE_1, "listened": "brilliant"})
    assert forged.status_code == 200
    assert "Choose from the options given" in forged.content.decode()
    assert _counts() == (0, 0)


def test_check_answers_sends_people_back_to_what_is_unanswered(client, token):
    assert client.get(_url("form-check", token)).url == _url("form", token)
    client.get(_url("form-page", token, 1))
    assert client.get(_url("form-check", token)).url == _url("form-page", token, 1)
    client.post(_url("form-page", token, 1), PARENT_PAGE_1)
    client.post(_url("form-page", token, 2), {"next_steps": ""})
    assert client.get(_url("form-check", token)).url == _url("form-page", token, 2)


def test_change_links_go_back_to_the_page_and_return_to_check_answers(client, token):
    _fill_parent(client, token)
    check = client.get(_url("form-check", token)).content.decode()
    change = _url("form-page", token, 1) + "?change=yes#q-listened"
    assert f'href="{change}"' in check
    assert (
        'Change<span class="govuk-visually-hidden"> your answer to: Did you feel listened to?</span>' in check
    )

    page = client.get(_url("form-page", token, 1) + "?change=yes").content.decode()
    assert f'href="{_url("form-check", token)}" class="govuk-back-link"' in page
    assert re.search(r'value="completely"\s+checked', page)
    changed = client.post(_url("form-page", token, 1) + "?change=yes", {**PARENT_PAGE_1, "listened": "no"})
    assert changed.url == _url("form-check", token)
    rows = client.get(_url("form-check", token)).content.decode()
    assert re.search(
        r"Did you feel listened to\?</dt>\s*<dd class=\"govuk-summary-list__value\">\s*<p[^>]*>No</p>", rows
    )


def test_several_choices_are_capped_to_the_options(client, area):
    invitation = FeedbackInvitationFactory(agency=area.school, audience=Audience.STAFF)
    token = tokens.invitation_token(invitation)
    answers = {"outcomes_confidence": "very", "provision_confidence": "not", "qa_helps": "yes"}
    flood = client.post(_url("form-page", token, 1), {**answers, "training": [f"x{n}" for n in range(200)]})
    assert flood.status_code == 200 and "Choose from the options given" in flood.content.decode()
    ok = client.post(_url("form-page", token, 1), {**answers, "training": ["outcomes", "pfa", "outcomes"]})
    assert ok.url == _url("form-check", token)
    client.post(_url("form-check", token), {"submission_key": _key(client, invitation)})
    answer = FeedbackAnswer.objects.get(question__code="training")
    assert answer.values == ["outcomes", "pfa"] and answer.score is None


def test_each_question_draws_the_gov_uk_component_its_kind_needs(client, area):
    """Choose several: checkboxes. Choose one: radios, side by side when there are only two options."""
    invitation = FeedbackInvitationFactory(agency=area.school, audience=Audience.STAFF)
    html = client.get(_url("form-page", tokens.invitation_token(invitation), 1)).content.decode()

    inputs = re.findall(r'<input class="govuk-(\w+)__input" id="[^"]*" name="(\w+)" type="(\w+)"', html)
    kinds = {name: {(component, kind) for component, n, kind in inputs if n == name} for _, name, _ in inputs}
    assert kinds == {
        "outcomes_confidence": {("radios", "radio")},
        "provision_confidence": {("radios", "radio")},
        "qa_helps": {("radios", "radio")},
        "training": {("checkboxes", "checkbox")},
    }
    groups = re.findall(r'<div class="(govuk-(?:checkboxes|radios)[^"_]*)" data-module="([\w-]+)">', html)
    assert groups == [
        ("govuk-radios", "govuk-radios"),
        ("govuk-radios", "govuk-radios"),
        ("govuk-radios govuk-radios--inline", "govuk-radios"),  # yes / no
        ("govuk-checkboxes", "govuk-checkboxes"),
    ]


# --- Links that do not work --------------------------------------------------------------------------------


def _forged(token: str) -> str:
    return token[:-1] + ("A" if token[-1] != "A" else "B")


def _swapped(token: str, other_slug: str) -> str:
    return other_slug + token[token.index(".") :]


def _unknown(invitation) -> str:
    return tokens._signer().sign(f"{invitation.partnership.slug}.{'Z' * 22}")


def _assert_every_step_refused(client, token: str, status: int, heading: str, general_link: str) -> str:
    """Every step of the form at `token`, read or sent, answers `status` with `heading` and a link to
    `general_link`, is not stored by caches nor named to other sites, and stores nothing; returns the last
    page's HTML."""
    before = _counts()
    requests = [
        ("get", _url("form", token), {}),
        ("get", _url("form-page", token, 1), {}),
        ("post", _url("form-page", token, 1), PARENT_PAGE_1),
        ("get", _url("form-check", token), {}),
        ("post", _url("form-check", token), {"submission_key": "0" * 32}),
        ("get", _url("form-done", token), {}),
    ]
    for method, url, data in requests:
        response = getattr(client, method)(url, data)
        assert response.status_code == status, (method, url)
        html = response.content.decode()
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
        assert f'href="{general_link}"' in html
        assert "no-store" in response["Cache-Control"] and response["Referrer-Policy"] == "same-origin"
    assert _counts() == before
    return html


def _broken(case: str, token: str, invitation, other_area) -> str:
    """The invitation's link `token` broken in the way `case` names."""
    if case == "forged":
        return _forged(token)
    if case == "malformed":
        return "not-a-token"
    if case == "too_long":
        return "a" * 5000
    if case == "unknown":
        return _unknown(invitation)
    return _swapped(token, other_area.partnership.slug)


@pytest.mark.parametrize(
    "case, names_the_partnership",
    [
        pytest.param("forged", False, id="a forged link"),
        pytest.param("malformed", False, id="a malformed link"),
        pytest.param("too_long", False, id="a link far too long"),
        pytest.param("unknown", True, id="a link signed by QAF for no invitation"),
        pytest.param("other_partnership", False, id="a link moved to another partnership"),
    ],
)
def test_a_link_that_is_not_recognised_gets_a_clear_page_and_changes_nothing(
    client, invitation, token, other_area, case, names_the_partnership
):
    # A link whose signature holds (the unknown one) names its partnership, so its page offers that
    # partnership's general form; the others offer the list of partnerships.
    general_link = (
        reverse("feedback_public:general", args=[invitation.partnership.slug])
        if names_the_partnership
        else reverse("feedback_public:index")
    )

    _assert_every_step_refused(
        client, _broken(case, token, invitation, other_area), 404, "This link is not recognised", general_link
    )


def _close(invitation, case: str) -> None:
    """Closes the invitation in the way `case` names: it expired yesterday, was answered or was withdrawn."""
    now = timezone.now()
    if case == "expired":
        invitation.created_at = now - dt.timedelta(days=31)
        invitation.expires_at = now - dt.timedelta(days=1)
    elif case == "used":
        invitation.responded_at = now
    else:
        invitation.withdrawn_at = now
    invitation.save()


@pytest.mark.parametrize(
    "case, heading",
    [
        ("expired", "This link has expired"),
        ("used", "You have already given feedback with this link"),
        ("withdrawn", "This link is no longer in use"),
    ],
)
def test_a_link_that_is_closed_gets_a_clear_page_and_changes_nothing(
    client, invitation, token, case, heading
):
    _close(invitation, case)

    html = _assert_every_step_refused(
        client,
        token,
        410,
        heading,
        reverse("feedback_public:general", args=[invitation.partnership.slug]),
    )

    if case == "expired":
        assert "30 days" in html


def test_the_link_cannot_be_used_again_after_sending(client, invitation, token):
    _fill_parent(client, token)
    key = _key(client, invitation)
    client.post(_url("form-check", token), {"submission_key": key})
    assert _counts() == (1, 6)

    again = client.get(_url("form", token))
    assert again.status_code == 410
    assert "You have already given feedback with this link" in again.content.decode()
    assert client.post(_url("form-page", token, 1), PARENT_PAGE_1).status_code == 410
    # The same form sent again is the same feedback: the confirmation again, no second response.
    repeat = client.post(_url("form-check", token), {"submission_key": key})
    assert repeat.url == _url("form-done", token)
    assert client.get(repeat.url).status_code == 200
    # Another browser with the same link, or the same browser with a new form, gets the "used" page.
    other = Client()
    assert other.get(_url("form", token)).status_code == 410
    assert other.post(_url("form-check", token), {"submission_key": "1" * 32}).status_code == 410
    assert _counts() == (1, 6)


def test_a_double_click_on_send_makes_one_response(client, invitation, token):
    _fill_parent(client, token)
    key = _key(client, invitation)
    flow = client.session[FLOW_PREFIX + invitation.public_id]
    first = client.post(_url("form-check", token), {"submission_key": key})
    # The second click arrives before the first answer reached the browser: the session still has the answers.
    session = client.session
    session[FLOW_PREFIX + invitation.public_id] = flow
    session.save()
    second = client.post(_url("form-check", token), {"submission_key": key})
    assert first.url == second.url == _url("form-done", token)
    assert client.get(second.url).status_code == 200
    assert _counts() == (1, 6)


def test_feedback_sent_from_another_browser_first_wins(client, invitation, token):
    other = Client()
    _fill_parent(client, token)
    _fill_parent(other, token)
    assert _key(client, invitation) != _key(other, invitation)
    client.post(_url("form-check", token), {"submission_key": _key(client, invitation)})
    late = other.post(_url("form-check", token), {"submission_key": _key(other, invitation)})
    assert late.status_code == 410
    assert "You have already given feedback with this link" in late.content.decode()
    assert FeedbackResponse.objects.get().submission_key == _key(client, invitation)
    assert _counts() == (1, 6)


# --- Size limits and scripts -----------------------------------------------------------------------------


def test_free_text_over_the_limit_is_refused_not_cut(client, invitation, token):
    client.post(_url("form-page", token, 1), PARENT_PAGE_1)
    too_long = "x" * (FREE_TEXT_MAX_LENGTH + 1)
    response = client.post(_url("form-page", token, 2), {**PARENT_PAGE_2, "do_better": too_long})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Your answer must be {FREE_TEXT_MAX_LENGTH} characters or fewer" in html
    assert too_long in html  # kept in the box to be shortened
    assert "do_better" not in client.session[FLOW_PREFIX + invitation.public_id]["answers"]
    # Line breaks count once, as the character count shows them.
    lines = "\r\n".join(["y" * 99] * 15)
    assert len(lines.replace("\r\n", "\n")) == FREE_TEXT_MAX_LENGTH - 1
    ok = client.post(_url("form-page", token, 2), {**PARENT_PAGE_2, "do_better": lines})
    assert ok.url == _url("form-check", token)
    assert _counts() == (0, 0)


def test_an_oversize_request_gets_a_clear_400_page(client, token):
    huge = client.post(_url("form-page", token, 1), {**PARENT_PAGE_1, "note": "x" * (3 * 1024 * 1024)})
    assert huge.status_code == 400
    assert "Sorry, we could not read what was sent" in huge.content.decode()
    many = client.post(_url("form-page", token, 1), {f"field{n}": "x" for n in range(1200)})
    assert many.status_code == 400
    # With CSRF checked, as in a browser, the body is read (and refused) before the view runs.
    strict = Client(enforce_csrf_checks=True)
    strict.get(_url("form-page", token, 1))
    csrf = strict.cookies["csrftoken"].value
    body = {"csrfmiddlewaretoken": csrf, "note": "x" * (3 * 1024 * 1024)}
    assert strict.post(_url("form-page", token, 1), body).status_code == 400
    assert _counts() == (0, 0)


def test_a_pasted_script_is_stored_as_written_and_shown_as_text(client, invitation, token):
    script = "<script>alert(1)</script>"
    client.post(_url("form-page", token, 1), PARENT_PAGE_1)
    client.post(_url("form-page", token, 2), {**PARENT_PAGE_2, "went_well": script})
    check = client.get(_url("form-check", token)).content.decode()
    assert script not in check
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in check
    client.post(_url("form-check", token), {"submission_key": _key(client, invitation)})
    assert FeedbackAnswer.objects.get(question__code="went_well").text == script


# --- The page itself ---------------------------------------------------------------------------------------


def test_token_pages_are_private_and_show_no_service_navigation(client, token, sqa_officer):
    client.force_login(sqa_officer)  # even a signed-in member of staff sees the public page only
    for url in [_url("form", token), _url("form-page", token, 1)]:
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
        assert response["Referrer-Policy"] == "same-origin"
        html = response.content.decode()
        assert re.search(r'<meta name="robots" content="noindex', html)
        assert '<meta name="referrer" content="same-origin">' in html
        assert "Sign out" not in html and "Sign in" not in html
        assert "govuk-service-navigation__list" not in html
        assert "/accounts/" not in html and 'href="/"' not in html
        assert 'href="/api/docs/"' not in html


def test_no_response_is_lost_when_the_alert_email_fails(
    client, invitation, token, django_capture_on_commit_callbacks
):
    member(invitation.agency, Role.AGENCY_MANAGER, username="school.boss")
    client.post(_url("form-page", token, 1), {**PARENT_PAGE_1, "meeting_overall": "very_poor"})
    client.post(_url("form-page", token, 2), PARENT_PAGE_2)
    key = _key(client, invitation)
    with mock.patch("django.core.mail.send_mail", side_effect=smtplib.SMTPException("down")) as send_mail:
        try:
            with django_capture_on_commit_callbacks(execute=True) as callbacks:
                sent = client.post(_url("form-check", token), {"submission_key": key})
        except (smtplib.SMTPException, Retry):
            pass  # eager Celery re-raises the mail error; the response was already committed
    assert len(callbacks) == 1 and send_mail.called
    assert sent.url == _url("form-done", token)
    response = FeedbackResponse.objects.get()
    assert response.answers.count() == 6
    assert response.answers.get(question__code="meeting_overall").score == 1
    assert response.alerted_at is None
