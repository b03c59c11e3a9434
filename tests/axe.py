"""What the browser journeys share: axe-core (installed from npm) run in a Playwright page, signing in and out
through the sign-in page, and checking a form's error summary."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from playwright.sync_api import expect

# The password qaf.tests.factories.UserFactory gives every user.
TEST_PASSWORD = "correct-horse-battery"
AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page) -> list[dict]:
    """The WCAG 2.2 A/AA violations axe finds on the page as it is now, as compact dicts."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async () => await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice']}
        })"""
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
    ]


def assert_accessible(page, name: str) -> None:
    """Fail, naming the page, when axe finds any violation on it."""
    violations = axe_violations(page)
    assert violations == [], f"{name}: {violations}"


def h1(page):
    """The page's main heading."""
    return page.get_by_role("heading", level=1)


def sign_in(page, base: str, username: str, password: str = TEST_PASSWORD) -> None:
    """Sign in through the sign-in page and wait for the home page."""
    page.goto(f"{base}/accounts/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/")


def sign_out(page, base: str) -> None:
    """Sign out with the header's button and wait for the sign-in page."""
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{base}/accounts/sign-in/")


def assert_error_summary(
    page, title: str, messages: Iterable[str], name: str, *, link: str | None = None, field: str | None = None
) -> None:
    """A form sent back with errors: the page title starts "Error: `title`", the error summary shows every one of
    `messages` and axe finds nothing on the page (called `name` in a failure). With `link`, following that link of
    the summary puts the focus on the field labelled `field`."""
    expect(page).to_have_title(re.compile(f"^Error: {re.escape(title)}"))
    summary = page.locator(".govuk-error-summary")
    for message in messages:
        expect(summary).to_contain_text(message)
    assert_accessible(page, name)
    if link is not None:
        summary.get_by_role("link", name=link).click()
        expect(page.get_by_label(field)).to_be_focused()
