"""Every role's home page and list pages fit a phone, on the demo partnership, in Debian's Chromium.

Each demo sign-in follows its own navigation: the header, the section sub-navigation, and the list pages linked
from the pages it reaches (the voice start page, the action tracker's tabs, the audit plans), two clicks from
home, and the first audit plan's progress page. At 320 and 390 px wide no page is wider than the screen (wide tables scroll inside their own region), and
the header band spans the screen; at 1280 px the header navigation is one line. axe-core checks every page
(once, for the first role to reach it).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core.management import call_command

from demo.partnership import DEMO_PASSWORD
from tests.axe import axe_violations, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = [
    "sqa",
    "admin",
    "edu.manager",
    "health.manager",
    "care.manager",
    "sat.manager",
    "auditor",
    "hos.education",
    "board",
]
PHONES = (320, 390)
FROZEN_AT = dt.datetime(2026, 3, 18, 9, 30, tzinfo=dt.UTC)

# Pages each role must reach this way (with its navigation as it is), so the crawl cannot quietly shrink.
PLAN_DETAIL = "plan detail"
MUST_VISIT = {
    "sqa": {
        "/",
        "/children/",
        "/children/import/",
        "/audits/",
        "/audits/mine/",
        "/audits/plans/",
        PLAN_DETAIL,
        "/audits/tools/",
        "/audits/moderation/",
        "/actions/",
        "/actions/mine/",
        "/actions/themes/",
        "/actions/workforce-development/",
        "/escalations/",
        "/feedback/",
        "/feedback/complaints/",
        "/feedback/complaints/analysis/",
        "/feedback/compliments/",
        "/feedback/forms/",
        "/feedback/invitations/",
        "/feedback/responses/",
        "/feedback/responses/analysis/",
        "/feedback/advocacy/",
        "/feedback/summary/",
    },
    "admin": {"/", "/audits/plans/", PLAN_DETAIL},
    "edu.manager": {
        "/",
        "/children/",
        "/audits/",
        "/audits/plans/",
        "/actions/",
        "/escalations/",
        "/feedback/",
        "/feedback/complaints/",
        "/feedback/compliments/",
        "/feedback/forms/",
        "/feedback/invitations/",
        "/feedback/responses/",
    },
    "health.manager": {
        "/",
        "/children/",
        "/audits/",
        "/actions/",
        "/escalations/",
        "/feedback/",
    },
    "care.manager": {"/", "/children/", "/audits/", "/actions/", "/escalations/", "/feedback/"},
    "sat.manager": {"/", "/children/", "/children/import/", "/audits/", "/actions/", "/feedback/"},
    "auditor": {"/", "/children/", "/audits/", "/actions/", "/actions/mine/", "/feedback/"},
    "hos.education": {
        "/",
        "/children/",
        "/audits/",
        "/actions/",
        "/escalations/",
        "/feedback/",
    },
    "board": {
        "/",
        "/audits/plans/",
        "/audits/moderation/",
        "/actions/themes/",
        "/feedback/",
        "/feedback/responses/analysis/",
        "/feedback/summary/",
        "/feedback/advocacy/",
    },
}

# Links that lead to a list page: no record number, not a form, a download or another site's pages.
NOT_A_LIST = re.compile(
    r"\d|csv|/(new|add|raise|bulk|handouts|add-defaults|sign-out)/$|^/(admin|api|accounts|f)/"
)
PLAN_LINK = re.compile(r"^/audits/plans/\d+/$")

LINKS = """(selector) => [...document.querySelectorAll(selector)]
    .filter(a => !a.hasAttribute('download')).map(a => a.getAttribute('href'))"""

WIDTHS = """() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    band: Math.round(document.querySelector('.govuk-service-navigation').getBoundingClientRect().width),
})"""

NAV_LINES = """() => new Set([...document.querySelectorAll('.govuk-service-navigation__item')]
    .map(li => Math.round(li.getBoundingClientRect().top))).size"""


@pytest.fixture
def demo(settings):
    settings.DEBUG = True  # seed_demo refuses to run otherwise
    with time_machine.travel(FROZEN_AT):
        call_command("seed_demo", stdout=io.StringIO())
    settings.DEBUG = False


def _paths(page, selector: str) -> list[str]:
    return [urlsplit(href).path for href in page.evaluate(LINKS, selector) if href and href.startswith("/")]


def _check(page, base: str, path: str, username: str, problems: list[str], checked: set[str]) -> None:
    """Open `path` and note in `problems` where it is wider than a phone, where its header band is not the
    width of the screen, and (the first time any role opens it) what axe finds on it."""
    page.set_viewport_size({"width": PHONES[0], "height": 800})
    response = page.goto(f"{base}{path}")
    assert response.status == 200, f"{username} {path}: {response.status}"
    for width in PHONES:
        page.set_viewport_size({"width": width, "height": 800})
        sizes = page.evaluate(WIDTHS)
        if sizes["scrollWidth"] > sizes["innerWidth"]:
            problems.append(f"{username} {path} at {width} px is {sizes['scrollWidth']} px wide")
        if sizes["band"] != sizes["innerWidth"]:
            problems.append(f"{username} {path} at {width} px: header band {sizes['band']} px")
    # axe-core once a page (the first role to reach it), which keeps the test to a couple of minutes.
    if path not in checked:
        checked.add(path)
        if violations := axe_violations(page):
            problems.append(f"{username} {path}: axe {violations}")


def _links_on(page, depth: int, visited: set[str]) -> list[tuple[str, int]]:
    """The pages to visit from the open page, reached at `depth`, with their own depth: the list pages it links
    to while under depth 2, and the first plan's progress page (depth 3, where browsing stops) once."""
    found = _paths(page, ".govuk-service-navigation__list a, .moj-sub-navigation a, main a")
    links: list[tuple[str, int]] = []
    # The plans' progress pages are where the audit plan's own tables are: the first one is visited too.
    plans = [p for p in found if PLAN_LINK.match(p)]
    if plans and PLAN_DETAIL not in visited:
        visited.add(PLAN_DETAIL)
        links.append((plans[0], 3))
    if depth < 2:
        links += [(p, depth + 1) for p in found if not NOT_A_LIST.search(p) and p not in visited]
    return links


def _browse(page, base: str, username: str, problems: list[str], checked: set[str]) -> set[str]:
    """Visit home, then every list page two clicks away and the first plan, checking each at phone widths;
    returns the pages visited."""
    visited: set[str] = set()
    queue: list[tuple[str, int]] = [("/", 0)]
    while queue:
        path, depth = queue.pop(0)
        if path in visited:
            continue
        visited.add(path)
        _check(page, base, path, username, problems, checked)
        if depth < 3:
            queue += _links_on(page, depth, visited)
    return visited


def test_every_role_s_pages_fit_a_phone_and_the_navigation_one_line(live_server, browser, demo):
    base = live_server.url
    problems: list[str] = []
    checked: set[str] = set()
    with time_machine.travel(FROZEN_AT):
        for username in ROLES:
            context = browser.new_context(viewport={"width": 1280, "height": 900})
            page = context.new_page()
            sign_in(page, base, username, DEMO_PASSWORD)
            lines = page.evaluate(NAV_LINES)
            if lines != 1:
                problems.append(f"{username}: the header navigation takes {lines} lines at 1280 px")
            visited = _browse(page, base, username, problems, checked)
            if missing := MUST_VISIT[username] - visited:
                problems.append(f"{username} did not reach {sorted(missing)}")
            context.close()
    assert problems == [], "\n".join(problems)
