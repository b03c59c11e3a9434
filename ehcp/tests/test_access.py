"""Who sees which child, on the pages: role × own/other agency, and across partnerships."""

from __future__ import annotations

import pytest
from django.urls import reverse

from ehcp import access
from ehcp.tests.factories import ChildFactory
from ehcp.tests.scoping import VISIBLE, WHICH


@pytest.fixture
def children(area, other_area):
    """One child involved with area.school, one with area.other_school, one in another partnership."""
    return {
        "school": ChildFactory(partnership=area.partnership, case_reference="OWN-1", agencies=[area.school]),
        "other_school": ChildFactory(
            partnership=area.partnership, case_reference="OTHER-1", agencies=[area.other_school]
        ),
        "elsewhere": ChildFactory(
            partnership=other_area.partnership, case_reference="ELSEWHERE-1", agencies=[other_area.school]
        ),
    }


@pytest.mark.parametrize("persona", sorted(VISIBLE))
@pytest.mark.parametrize("which", WHICH)
def test_child_page_is_404_unless_visible(client, request, children, persona, which):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("ehcp:child-detail", args=[children[which].pk]))
    expected = 200 if which in VISIBLE[persona] else 404
    assert response.status_code == expected


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_child_list_shows_exactly_the_visible_children(client, request, children, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    response = client.get(reverse("ehcp:child-list"))
    if not VISIBLE[persona] and persona in ("board_member", "partnership_admin"):
        # No working role: the list itself is refused, and names no child.
        assert response.status_code == 403
        listed = set()
    else:
        assert response.status_code == 200
        listed = {c.case_reference for c in response.context["page"].object_list}
    assert listed == {children[k].case_reference for k in VISIBLE[persona]}
    body = response.content.decode()
    for key, child in children.items():
        if key not in VISIBLE[persona]:
            assert child.case_reference not in body


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_policy_queryset_matches_can_view(request, children, persona):
    """The list queryset and the object check never disagree."""
    user = request.getfixturevalue(persona)
    visible_ids = set(access.children.visible(user).values_list("pk", flat=True))
    for child in children.values():
        assert (child.pk in visible_ids) == access.children.can(user, "view", child)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("sat_caseworker", 200),
        ("agency_manager", 403),
        ("practitioner", 403),
    ],
)
def test_only_sqa_and_sat_change_a_visible_child(client, request, children, persona, status):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    child = children["school"]
    for name in ("ehcp:child-edit", "ehcp:assessment-create", "ehcp:plan-create", "ehcp:review-create"):
        assert client.get(reverse(name, args=[child.pk])).status_code == status
    assert client.get(reverse("ehcp:child-create")).status_code == status


def test_changing_an_invisible_child_is_404_not_403(client, agency_manager, children):
    client.force_login(agency_manager)
    response = client.post(reverse("ehcp:child-edit", args=[children["other_school"].pk]), {})
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, children):
    response = client.get(reverse("ehcp:child-detail", args=[children["school"].pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_losing_a_membership_hides_the_child(client, agency_manager, children):
    client.force_login(agency_manager)
    url = reverse("ehcp:child-detail", args=[children["school"].pk])
    assert client.get(url).status_code == 200
    agency_manager.memberships.all().delete()
    assert client.get(url).status_code == 404


def test_an_explicit_grant_shows_one_child_to_a_board_member(client, board_member, children):
    from guardian.shortcuts import assign_perm, remove_perm

    client.force_login(board_member)
    url = reverse("ehcp:child-detail", args=[children["school"].pk])
    assert client.get(url).status_code == 404
    assign_perm("ehcp.view_child", board_member, children["school"])
    assert client.get(url).status_code == 200
    assert set(access.children.visible(board_member)) == {children["school"]}
    # A grant never crosses partnerships.
    assign_perm("ehcp.view_child", board_member, children["elsewhere"])
    assert set(access.children.visible(board_member)) == {children["school"]}
    remove_perm("ehcp.view_child", board_member, children["school"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [
        ("sqa_officer", True),
        ("sat_caseworker", True),
        ("agency_manager", True),
        ("practitioner", True),
        ("board_member", False),
        ("partnership_admin", False),
    ],
)
def test_can_list_is_for_working_roles(request, persona, allowed):
    assert access.children.can(request.getfixturevalue(persona), "list") is allowed


def test_can_list_is_false_for_anonymous_users():
    from django.contrib.auth.models import AnonymousUser

    assert access.children.can(AnonymousUser(), "list") is False
