"""Browser journeys through the public feedback form on Debian's Chromium, with axe-core on every page
visited, error states included.

A parent completes the parent/carer form with JavaScript on (on a phone-sized screen, typing the short address
printed on the handout, mistyped once), and again with JavaScript off; a young person completes the easy-read form with the keyboard only, on a phone. Each journey
first sends a page without answering, and ends by checking what the database holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from feedback import tokens
from feedback.models import Audience, FeedbackInvitation, FeedbackResponse
from feedback.tests.factories import FeedbackInvitationFactory, stored_answers
from tests.axe import axe_violations, h1, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
WENT_WELL = "Everyone had read the reports. <b>Thank you</b>"


@dataclass
class Links:
    parent: FeedbackInvitation
    young_person: FeedbackInvitation

    def url(self, base: str, invitation: FeedbackInvitation) -> str:
        return f"{base}/f/{tokens.invitation_token(invitation)}/"

    def typed(self, base: str, invitation: FeedbackInvitation) -> str:
        """The handout's short address as someone might type it: in lower case."""
        return f"{base}/f/{invitation.short_code_display.lower()}"


@pytest.fixture
def links(db) -> Links:
    from conftest import make_area

    area = make_area("Feedback Journey Area")
    return Links(
        parent=FeedbackInvitationFactory(agency=area.school),
        young_person=FeedbackInvitationFactory(agency=area.school, audience=Audience.YOUNG_PERSON),
    )


def _loaded_width(image) -> int:
    """The picture's width once the browser has finished loading it (0 if it failed to load)."""
    return image.evaluate(
        "img => img.complete ? img.naturalWidth : new Promise(done => {"
        " img.addEventListener('load', () => done(img.naturalWidth));"
        " img.addEventListener('error', () => done(0)); })"
    )


def _assert_accessible(page: Page, name: str, *, checker: Page | None = None) -> None:
    """axe-core on the page as it is now. With JavaScript off axe cannot run in the page itself (its timers
    never fire), so `checker`, a page with JavaScript on, loads the same document with its scripts removed
    (the DOM a browser without JavaScript has) from the same address, and axe runs there."""
    if checker is None:
        violations = axe_violations(page)
    else:
        url = page.url.split("#")[0]
        document = re.sub(r"<script\b.*?</script>", "", page.content(), flags=re.S | re.I)

        def serve(route) -> None:
            route.fulfill(status=200, content_type="text/html; charset=utf-8", body=document)

        checker.route(lambda address: address == url, serve)
        checker.goto(url)
        checker.unroute_all()
        assert checker.evaluate("document.body.classList.contains('js-enabled')") is False
        violations = axe_violations(checker)
    assert violations == [], f"{name}: {violations}"


def _parent_journey(page: Page, start_url: str, *, checker: Page | None = None) -> None:
    javascript = checker is None

    def accessible(name: str) -> None:
        _assert_accessible(page, name, checker=checker)

    page.goto(start_url)
    expect(h1(page)).to_have_text("Tell us about the meeting")
    expect(page.get_by_text("It takes about 2 minutes")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_have_count(0)
    expect(page.get_by_role("link", name="Sign in")).to_have_count(0)
    accessible("start page")

    page.get_by_role("button", name="Start now").click()
    expect(page.get_by_text("Page 1 of 2")).to_be_visible()
    accessible("page 1")
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select an answer to: How good was the meeting overall?")
    if javascript:
        expect(summary).to_be_focused()
    accessible("page 1 with errors")

    page.get_by_role("group", name="How good was the meeting overall?").get_by_label(
        "Good", exact=True
    ).check()
    page.get_by_role("group", name="Did you feel listened to?").get_by_label("Partly").check()
    page.get_by_role("group", name=re.compile("reports and papers")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("child's views")).get_by_label("Very well").check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    accessible("page 2")
    page.get_by_role("group", name="Do you know what will happen next?").get_by_label("No").check()
    went_well = page.get_by_label("What went well? (optional)")
    went_well.fill(WENT_WELL)
    if javascript:
        remaining = 1500 - len(WENT_WELL)
        expect(page.locator(".govuk-character-count__status").first).to_have_text(
            f"You have {remaining:,} characters remaining"
        )
    else:
        expect(page.get_by_text("You can enter up to 1500 characters").first).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    expect(h1(page)).to_have_text("Check your answers before sending")
    expect(page.locator(".govuk-summary-list")).to_contain_text(WENT_WELL)  # shown as text, not markup
    accessible("check your answers")
    page.get_by_role("link", name="Change your answer to: Did you feel listened to?").click()
    expect(page.get_by_role("group", name="Did you feel listened to?").get_by_label("Partly")).to_be_checked()
    page.get_by_role("group", name="Did you feel listened to?").get_by_label("Yes, completely").check()
    page.get_by_role("button", name="Continue").click()
    expect(h1(page)).to_have_text("Check your answers before sending")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Yes, completely")

    page.get_by_role("button", name="Send feedback").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Feedback sent")
    accessible("confirmation")

    # The link has done its job: opening it again says so.
    page.goto(start_url)
    expect(h1(page)).to_have_text("You have already given feedback with this link")
    accessible("used link")


def _assert_parent_response(invitation: FeedbackInvitation) -> None:
    response = FeedbackResponse.objects.get(invitation=invitation)
    answers = stored_answers(response)
    assert answers == {
        "meeting_overall": (["good"], "", 3),
        "listened": (["completely"], "", 3),
        "papers_in_time": (["yes"], "", 1),
        "child_views": (["very_well"], "", 4),
        "next_steps": (["no"], "", 0),
        "went_well": ([], WENT_WELL, None),
    }
    assert FeedbackResponse.objects.count() == 1


def test_a_parent_gives_feedback_with_javascript_on_a_phone(live_server, page: Page, links):
    page.set_viewport_size(PHONE)
    wrong = "22222222" if links.parent.short_code != "22222222" else "33333333"
    page.goto(f"{live_server.url}/f/{wrong}")
    expect(h1(page)).to_have_text("This code is not recognised")
    _assert_accessible(page, "code not recognised")

    _parent_journey(page, links.typed(live_server.url, links.parent))
    _assert_parent_response(links.parent)


def test_a_parent_gives_feedback_with_javascript_off(live_server, browser, page: Page, links):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    no_js = context.new_page()
    page.set_viewport_size(DESKTOP)
    try:
        _parent_journey(no_js, links.url(live_server.url, links.parent), checker=page)
    finally:
        context.close()
    _assert_parent_response(links.parent)


def _tab_to(page: Page, target, *, limit: int = 40) -> None:
    """Press Tab until `target` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {target}")


def _answer_with_the_down_arrow(page: Page, number: int, question: str, chosen: str) -> None:
    """On easy-read question `number`, headed `question`, the down arrow from the first option (Yes) picks
    `chosen`, and the keyboard moves on to the next question."""
    expect(h1(page)).to_contain_text(question)
    _assert_accessible(page, f"easy read question {number}")
    _tab_to(page, page.get_by_role("radio", name=re.compile("Yes$")))
    page.keyboard.press("ArrowDown")
    expect(page.get_by_role("radio", name=re.compile(f"{chosen}$"))).to_be_checked()
    _tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")


def test_a_young_person_completes_the_easy_read_form_with_the_keyboard(live_server, page: Page, links):
    page.set_viewport_size(PHONE)
    page.goto(links.url(live_server.url, links.young_person))
    expect(h1(page)).to_have_text("Your meeting")
    _assert_accessible(page, "easy read start")
    _tab_to(page, page.get_by_role("button", name="Start now"))
    page.keyboard.press("Enter")

    # Question 1: first sent without an answer, then answered from the error summary's link.
    expect(h1(page)).to_contain_text("How did the meeting feel?")
    picture = page.get_by_role("img", name="People sitting round a table at a meeting")
    expect(picture).to_be_visible()
    assert _loaded_width(picture) > 0
    smiling = page.get_by_role("img", name="A smiling face")
    assert _loaded_width(smiling) > 0
    assert smiling.bounding_box()["height"] >= 60  # a large picture, and with it a large target
    _assert_accessible(page, "easy read question 1")
    _tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile("^Error: "))
    _assert_accessible(page, "easy read question 1 with an error")
    _tab_to(page, page.get_by_role("link", name="Select an answer to: How did the meeting feel?"))
    page.keyboard.press("Enter")
    good = page.get_by_role("radio", name=re.compile(r"Good$"))
    expect(good).to_be_focused()
    page.keyboard.press("Space")
    expect(good).to_be_checked()
    _tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    # Questions 2 and 3: arrow keys move through the pictures' options.
    _answer_with_the_down_arrow(page, 2, "Did people listen to you?", "No")
    _answer_with_the_down_arrow(page, 3, "Did you say what you wanted to say?", "A bit")

    expect(h1(page)).to_contain_text("Is there anything else you want to tell us?")
    _assert_accessible(page, "easy read question 4")
    _tab_to(page, page.get_by_role("textbox"))
    page.keyboard.type("I liked the cake.")
    _tab_to(page, page.get_by_role("button", name="Continue"))
    page.keyboard.press("Enter")

    expect(h1(page)).to_have_text("Check your answers before sending")
    _assert_accessible(page, "easy read check answers")
    _tab_to(page, page.get_by_role("button", name="Send feedback"))
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Feedback sent")
    expect(page.get_by_text("Thank you for telling us.")).to_be_visible()
    _assert_accessible(page, "easy read confirmation")

    response = FeedbackResponse.objects.get(invitation=links.young_person)
    answers = stored_answers(response)
    assert answers == {
        "meeting_feel": (["good"], "", 3),
        "listened": (["no"], "", 0),
        "said_it": (["ok"], "", 2),
        "tell_us": ([], "I liked the cake.", None),
    }
    assert response.audience == Audience.YOUNG_PERSON


def test_the_sqa_officer_makes_a_form_the_default_and_it_is_used_on_a_handout(live_server, page: Page, db):
    """The forms list, a form's page and its meetings-and-defaults page, the invitation page with its choice of
    form, and the handout with its short address: axe-core on each, on a desktop screen."""
    from conftest import make_area
    from feedback.services.forms import feedback_forms_seed_defaults
    from qaf.models import Role
    from qaf.tests.factories import member

    area = make_area("Defaults Journey Area")
    sqa = member(area.sqa, Role.SQA_OFFICER, username="sqa.journey")
    feedback_forms_seed_defaults(partnership=area.partnership)
    page.set_viewport_size(DESKTOP)
    sign_in(page, live_server.url, sqa.username)

    page.goto(f"{live_server.url}/feedback/forms/")
    expect(h1(page)).to_have_text("Feedback forms")
    _assert_accessible(page, "forms list")
    page.get_by_role("link", name="Professional: after a meeting").click()
    _assert_accessible(page, "form page")
    page.get_by_role("link", name="Change the meetings it is for").click()
    expect(h1(page)).to_have_text("Meetings and defaults")
    _assert_accessible(page, "meetings and defaults")
    page.get_by_label("EHC planning meeting (this form is the default)").uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "Annual review meeting, Other meeting or contact"
    )

    page.goto(f"{live_server.url}/feedback/invitations/new/")
    _assert_accessible(page, "invitation page")
    page.locator("#id_agency").select_option(index=1)  # no agency is chosen for the user
    page.get_by_label("EHC planning meeting").check()
    page.get_by_label("Day", exact=True).fill("2")
    page.get_by_label("Month", exact=True).fill("3")
    page.get_by_label("Year", exact=True).fill("2026")
    page.get_by_role("group", name="How should we ask the parent or carer?").get_by_label(
        "Printed handout with a QR code"
    ).check()
    page.get_by_role("group", name="How should we ask the child or young person?").get_by_label(
        "Do not ask the child or young person"
    ).check()
    page.locator("#id_professional_1_contact").fill("senco@example.com")
    page.get_by_role("button", name="Create invitations").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(
        "There is no default feedback form for professionals after an EHC planning"
    )
    _assert_accessible(page, "invitation page with errors")

    page.get_by_label("Feedback form for the professionals (optional)").select_option(
        label="Professional: after a meeting"
    )
    page.get_by_role("button", name="Create invitations").click()
    expect(h1(page)).to_have_text("Feedback handout")
    invitation = FeedbackInvitation.objects.get(audience=Audience.PARENT_CARER)
    expect(page.locator(".qaf-handout__code")).to_have_text(invitation.short_code_display)
    _assert_accessible(page, "handout")
    professional = FeedbackInvitation.objects.get(audience=Audience.PROFESSIONAL)
    assert professional.version.form.name == "Professional: after a meeting"
