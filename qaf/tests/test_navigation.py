"""The header navigation: a handful of items for every role, sections with a sub-navigation, every page two
clicks from home, and the right item highlighted."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

HEADER = {
    "sqa_officer": ["Home", "Children and plans", "Audits", "Actions and escalations", "Voice"],
    "sat_caseworker": ["Home", "Children and plans", "Audits", "Actions", "Voice"],
    "agency_manager": ["Home", "Children and plans", "Audits", "Actions and escalations", "Voice"],
    "practitioner": ["Home", "Children and plans", "Audits", "Actions", "Voice"],
    "team_manager": ["Home", "Children and plans", "Audits", "Actions", "Voice"],
    "head_of_service": ["Home", "Children and plans", "Audits", "Actions and escalations", "Voice"],
    "board_member": ["Home", "Audits", "Voice"],
    "partnership_admin": ["Home", "Audit plan", "Administration"],
}

# What each role could open from the header before it was grouped, plus the children import: all still two
# clicks from home (a header item, then a sub-navigation link or a link on the list page).
REACHABLE = {
    "sqa_officer": {
        "/",
        "/children/",
        "/children/import/",
        "/audits/",
        "/audits/plans/",
        "/audits/moderation/",
        "/audits/tools/",
        "/actions/",
        "/escalations/",
        "/feedback/",
    },
    "sat_caseworker": {
        "/",
        "/children/",
        "/children/import/",
        "/audits/",
        "/audits/plans/",
        "/actions/",
    },
    "agency_manager": {
        "/",
        "/children/",
        "/audits/",
        "/audits/plans/",
        "/actions/",
        "/escalations/",
    },
    "board_member": {"/", "/audits/plans/", "/audits/moderation/", "/feedback/"},
    "partnership_admin": {"/", "/audits/plans/", "/admin/"},
}


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/[^"?#]*)"', html))


def _region(html: str, label: str) -> str:
    match = re.search(rf'<nav [^>]*aria-label="{label}".*?</nav>', html, re.S)
    return match.group(0) if match else ""


@pytest.mark.parametrize("persona", sorted(HEADER))
def test_each_role_has_a_short_header(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse("home"))
    assert [item.label for item in page.context["navigation"]] == HEADER[persona]
    # With "Sign out", at most seven items on the header's one line.
    assert len(page.context["navigation"]) + 1 <= 7
    assert page.context["section_navigation"] == []


@pytest.mark.parametrize("persona", sorted(REACHABLE))
def test_every_page_of_the_navigation_is_two_clicks_from_home(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    home = client.get(reverse("home"))
    header = [item.url for item in home.context["navigation"]]
    reachable = set(header)
    for url in header:
        page = client.get(url)
        assert page.status_code == 200, url
        sub = {item.url for item in page.context["section_navigation"]}
        assert sub <= _links(page.content.decode()), url
        reachable |= sub
        if url == reverse("ehcp:child-list"):
            reachable |= {reverse("ehcp:import-upload")} & _links(page.content.decode())
    assert REACHABLE[persona] <= reachable
    for url in REACHABLE[persona] - {"/admin/"}:
        assert client.get(url).status_code == 200, url


def test_a_section_page_highlights_its_header_item_and_its_own_entry(client, sqa_officer):
    client.force_login(sqa_officer)
    page = client.get(reverse("audits:plan-list"))
    assert [item.label for item in page.context["navigation"] if item.active] == ["Audits"]
    assert [(item.label, item.active) for item in page.context["section_navigation"]] == [
        ("Audits", False),
        ("Audit plan", True),
        ("Moderation", False),
        ("Audit tools", False),
    ]
    sub = _region(page.content.decode(), "Audits")
    assert re.search(r'href="/audits/plans/" aria-current="page">Audit plan<', sub)
    assert sub.count("aria-current") == 1


def test_the_action_lists_share_a_section_with_the_escalations(client, head_of_service):
    client.force_login(head_of_service)
    page = client.get(reverse("actions:my-actions"))
    assert [item.label for item in page.context["navigation"] if item.active] == ["Actions and escalations"]
    assert [(item.label, item.active) for item in page.context["section_navigation"]] == [
        ("Actions", True),
        ("Escalations", False),
    ]
    page = client.get(reverse("actions:escalations"))
    assert [(item.label, item.active) for item in page.context["section_navigation"]] == [
        ("Actions", False),
        ("Escalations", True),
    ]
    assert 'href="/escalations/" aria-current="page"' in page.content.decode()


def test_a_section_with_one_page_for_the_role_is_that_page(client, board_member, practitioner):
    client.force_login(board_member)
    page = client.get(reverse("audits:plan-list"))
    audits = next(item for item in page.context["navigation"] if item.label == "Audits")
    assert audits.url == reverse("audits:plan-list") and audits.active
    assert [item.label for item in page.context["section_navigation"]] == ["Audit plan", "Moderation"]

    client.force_login(practitioner)
    page = client.get(reverse("actions:actions"))
    assert [item.label for item in page.context["navigation"] if item.active] == ["Actions"]
    assert page.context["section_navigation"] == []
    assert 'aria-label="Actions and escalations"' not in page.content.decode()


def test_the_import_page_highlights_children_and_record_pages_show_no_sub_navigation(client, sqa_officer):
    client.force_login(sqa_officer)
    page = client.get(reverse("ehcp:import-upload"))
    assert [item.label for item in page.context["navigation"] if item.active] == ["Children and plans"]
    page = client.get(reverse("audits:plan-create"))
    # A question page keeps its back link; the section's sub-navigation is for its list pages.
    assert page.context["section_navigation"]
    assert 'class="moj-sub-navigation qaf-section-navigation"' not in page.content.decode()
    assert "govuk-back-link" in page.content.decode()
