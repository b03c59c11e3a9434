"""Who sees which audit: role × own/other agency × level 1–4, on the list page, the audit page and "my audits".

The same world of audits (`world`) serves the view and API tests (they import it from here).
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from audits import access
from audits.models import AuditLevel, Level2Form
from audits.models.audits import PlanStage
from audits.services.case_review import case_review_setup
from audits.services.panel import panel_member_add
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def health_member(area):
    """A practitioner of the health trust: no standing on audits except as a Level 3 panel member."""
    return member(area.health, Role.PRACTITIONER, username="health.practitioner")


@pytest.fixture
def world(area, other_area, sqa_officer, practitioner, board_member, health_member) -> SimpleNamespace:
    """One audit of each kind the rules tell apart, plus one in another partnership.

    - l1_school / l1_school_mine: Level 1 audits owned by area.school; the second is assigned to `practitioner`
    - l1_other: Level 1, owned by area.other_school
    - l2: Level 2 (SAT)
    - l3: Level 3, `health_member` on its panel
    - l4: Level 4, `board_member` its lead
    - elsewhere: Level 1 of other_area
    """
    p = area.partnership
    version = make_tool_version(p)
    child_school = ChildFactory(partnership=p, case_reference="SCH-1", agencies=[area.school])
    child_other = ChildFactory(partnership=p, case_reference="OTH-1", agencies=[area.other_school])
    child_l3 = ChildFactory(partnership=p, case_reference="MAP-1", agencies=[area.social_care])
    child_l4 = ChildFactory(partnership=p, case_reference="CRV-1", agencies=[area.social_care])
    audits = SimpleNamespace(
        l1_school=AuditFactory(agency=area.school, level=1, child=child_school, tool_version=version),
        l1_school_mine=AuditFactory(
            agency=area.school, level=1, child=child_school, tool_version=version, assignees=[practitioner]
        ),
        l1_other=AuditFactory(agency=area.other_school, level=1, child=child_other, tool_version=version),
        l2=AuditFactory(
            agency=area.sat,
            level=AuditLevel.SAT,
            child=child_school,
            tool_version=version,
            level2_form=Level2Form.PEER_REVIEW,
            plan_stage=PlanStage.DRAFT,
        ),
        l3=AuditFactory(agency=area.sqa, level=AuditLevel.MULTI_AGENCY, child=child_l3, tool_version=version),
        l4=AuditFactory(agency=area.sqa, level=AuditLevel.CASE_REVIEW, child=child_l4, tool_version=version),
        elsewhere=AuditFactory(
            agency=other_area.school,
            level=1,
            child=ChildFactory(partnership=other_area.partnership, agencies=[other_area.school]),
            tool_version=make_tool_version(other_area.partnership),
        ),
    )
    panel_member_add(audit=audits.l3, user=health_member, agency=area.health, by=sqa_officer)
    case_review_setup(audit=audits.l4, lead_board_member=board_member, by=sqa_officer)
    audits.children = SimpleNamespace(school=child_school, l3=child_l3, l4=child_l4)
    return audits


ALL_AREA = {"l1_school", "l1_school_mine", "l1_other", "l2", "l3", "l4"}
EVERY = [*sorted(ALL_AREA), "elsewhere"]
# persona -> the audits (world attribute names) it may see
VISIBLE = {
    "sqa_officer": ALL_AREA,
    "agency_manager": {"l1_school", "l1_school_mine"},
    "other_agency_manager": {"l1_other"},
    "practitioner": {"l1_school_mine"},
    "sat_caseworker": {"l2"},
    "board_member": {"l4"},
    "health_member": {"l3"},
    "partnership_admin": set(),
    "outsider_sqa": {"elsewhere"},
}


def names_of(world, pks) -> set[str]:
    by_pk = {getattr(world, name).pk: name for name in EVERY}
    return {by_pk[pk] for pk in pks}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_list_page_shows_exactly_the_audits_the_persona_may_see(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("audits:audit-list"))
    assert response.status_code == 200
    assert names_of(world, [a.pk for a in response.context["page"].object_list]) == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_audit_page_is_200_when_visible_and_404_otherwise(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    statuses = {
        name: client.get(reverse("audits:audit-detail", args=[getattr(world, name).pk])).status_code
        for name in EVERY
    }
    assert statuses == {name: 200 if name in VISIBLE[persona] else 404 for name in EVERY}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_filters_never_widen_the_scope(client, request, world, area, persona):
    client.force_login(request.getfixturevalue(persona))
    for query in ({"level": 1}, {"level": 3}, {"agency": area.other_school.pk}, {"status": "scheduled"}):
        response = client.get(reverse("audits:audit-list"), query)
        listed = names_of(world, [a.pk for a in response.context["page"].object_list])
        assert listed <= VISIBLE[persona], query


def test_my_audits_lists_assignments_and_panels_only(
    client, world, practitioner, health_member, board_member
):
    for user, expected in (
        (practitioner, {"l1_school_mine"}),
        (health_member, {"l3"}),
        (board_member, {"l4"}),
    ):
        client.force_login(user)
        response = client.get(reverse("audits:my-audits"))
        assert response.status_code == 200
        assert names_of(world, [a.pk for a in response.context["page"].object_list]) == expected


def test_agency_manager_sees_the_audits_of_their_agency_but_not_the_child_of_another(
    client, world, agency_manager
):
    client.force_login(agency_manager)
    page = client.get(reverse("audits:audit-detail", args=[world.l1_school.pk]))
    assert page.context["child_visible"] is True
    assert reverse("ehcp:child-detail", args=[world.children.school.pk]) in page.content.decode()


def test_whoever_is_assigned_sees_the_audit_and_no_more(client, world, sat_caseworker):
    from audits.models import AuditAssignment

    AuditAssignment.objects.create(audit=world.l1_school, user=sat_caseworker)
    client.force_login(sat_caseworker)
    listed = client.get(reverse("audits:audit-list")).context["page"].object_list
    assert names_of(world, [a.pk for a in listed]) == {"l1_school", "l2"}
    assert client.get(reverse("audits:audit-detail", args=[world.l1_other.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(client, world):
    for url in (reverse("audits:audit-list"), reverse("audits:audit-detail", args=[world.l1_school.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/accounts/" in response["Location"]


@pytest.mark.parametrize(
    ("persona", "name", "expected"),
    [
        ("agency_manager", "l1_other", 404),  # another agency's Level 1
        ("agency_manager", "l2", 404),
        ("health_member", "l1_school", 404),
        ("sat_caseworker", "l3", 404),
        ("sqa_officer", "l1_school", 403),  # visible, but only a submitted audit can be reopened
        ("agency_manager", "l1_school", 403),
    ],
)
def test_workflow_pages_are_404_when_invisible_and_403_when_not_allowed(
    client, request, world, persona, name, expected
):
    client.force_login(request.getfixturevalue(persona))
    pk = getattr(world, name).pk
    assert client.get(reverse("audits:audit-reopen", args=[pk])).status_code == expected
    assert client.post(reverse("audits:audit-close", args=[pk])).status_code == expected


# --- the policy's role checks for tools, scheduling and case reviews ------------------------------------

# persona -> (can_read_tools, can_see_scheduling, is_sqa_of(area's partnership))
STANDING = {
    "sqa_officer": (True, True, True),
    "agency_manager": (True, True, False),
    "practitioner": (True, True, False),
    "sat_caseworker": (True, True, False),
    "board_member": (False, False, False),
    "partnership_admin": (True, False, False),
    "outsider_sqa": (True, True, False),
}


@pytest.mark.parametrize("persona", sorted(STANDING))
def test_role_checks_of_the_policy(request, area, persona):
    user = request.getfixturevalue(persona)

    got = (
        access.tools.can(user, "list"),
        access.audits.can(user, "see_scheduling"),
        access.is_sqa_of(user, area.partnership.pk),
    )

    assert got == STANDING[persona]
    # The tool pages open exactly when the tool queryset can hold rows for the user.
    assert got[0] == (not access.tools.visible(user).query.is_empty())
