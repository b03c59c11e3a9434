"""A child's whole story on the child's page: the child's audits, remedial actions, escalations, complaints and
feedback invitations, each section scoped by its own app's policy exactly as its list page is.

For every persona, each section's rows are the rows of its list (through the list's own access function, and
through the list page itself filtered to the child), a section whose list the user does not have is left out,
and the page's query count does not grow with the number of rows.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
import time_machine
from django.urls import reverse

from actions import access as action_access
from actions.models import (
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationStatus,
    EscalationTrigger,
    RemedialAction,
)
from audits import access as audits_access
from audits.models import AuditStatus, Grade
from audits.services.case_review import case_review_setup
from audits.services.panel import panel_member_add
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp import access as ehcp_access
from ehcp.tests.factories import ChildFactory
from feedback import access as feedback_access
from feedback.models import Audience, ComplaintStage, Delivery, MeetingKind
from feedback.tests.factories import ComplaintFactory, FeedbackInvitationFactory
from qaf.models import Role, User
from qaf.tests.factories import member
from tests.axe import axe_violations, sign_in

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # a Tuesday in the spring term
TODAY = NOW.date()
PANEL_KEYS = ["audits", "actions", "escalations", "complaints", "feedback"]


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def at(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def make_action(
    *, agency, worker, child, raised_at, team=None, team_manager=None, **fields
) -> RemedialAction:
    return RemedialAction.objects.create(
        partnership=agency.partnership,
        agency=agency,
        worker=worker,
        team=team,
        team_manager=team_manager,
        child=child,
        what=fields.pop("what", "Add the health advice to section C"),
        why="The plan says 'none known' without asking the health visitor.",
        due_on=fields.pop("due_on", days(14)),
        raised_at=raised_at,
        **fields,
    )


def make_escalation(*, agency, child, key: str, raised_at, **fields) -> Escalation:
    return Escalation.objects.create(
        partnership=agency.partnership,
        trigger=fields.pop("trigger", EscalationTrigger.INADEQUATE_AUDIT),
        trigger_key=key,
        agency=agency,
        child=child,
        summary="Audit graded Inadequate.",
        raised_at=raised_at,
        acknowledge_by=raised_at + dt.timedelta(days=2),
        **fields,
    )


@dataclass
class Story:
    child: object
    other_child: object
    rows: dict[str, dict[str, object]] = field(default_factory=dict)  # panel key -> name -> row
    people: dict[str, User] = field(default_factory=dict)

    def names(self, key: str, objects) -> set[str]:
        by_pk = {row.pk: name for name, row in self.rows[key].items()}
        return {by_pk.get(obj.pk, f"unexpected {obj.pk}") for obj in objects}


@pytest.fixture
def story(
    frozen,
    area,
    sqa_officer,
    sat_caseworker,
    agency_manager,
    other_agency_manager,
    practitioner,
    team_manager,
    head_of_service,
    board_member,
) -> Story:
    """One child of the school and the health trust with QA history across agencies, and a second child of the
    school whose rows must never appear on the first one's page."""
    child = ChildFactory(
        partnership=area.partnership, case_reference="NCC-STORY-1", agencies=[area.school, area.health]
    )
    other_child = ChildFactory(
        partnership=area.partnership, case_reference="NCC-STORY-2", agencies=[area.school]
    )
    panel_member = member(area.social_care, Role.PRACTITIONER, username="care.panel")
    school_worker = member(area.school, Role.PRACTITIONER, username="school.worker")
    health_worker = member(area.health, Role.PRACTITIONER, username="health.worker")
    tool = make_tool_version(area.partnership, levels=(1, 2, 3, 4))

    def audit(agency, level, due, **fields):
        return AuditFactory(agency=agency, level=level, tool_version=tool, due_on=days(due), **fields)

    audits = {
        "school": audit(
            area.school,
            1,
            -20,
            child=child,
            status=AuditStatus.SUBMITTED,
            overall_grade=Grade.GOOD,
            assignees=[practitioner],
        ),
        "other_school": audit(area.other_school, 1, -10, child=child),
        "health": audit(area.health, 1, 5, child=child),
        "sat": audit(area.sat, 2, 10, child=child),
        "panel": audit(area.sat, 3, 20, child=child),
        "case_review": audit(area.sqa, 4, 30, child=child),
        "other_child": audit(area.school, 1, 40, child=other_child, assignees=[practitioner]),
    }
    panel_member_add(audit=audits["panel"], user=panel_member, agency=area.social_care, by=sqa_officer)
    case_review_setup(audit=audits["case_review"], lead_board_member=board_member, by=sqa_officer)

    team = {"team": area.school_team, "team_manager": team_manager}
    actions = {
        "team": make_action(
            agency=area.school, worker=practitioner, child=child, raised_at=at(-9), due_on=days(-1), **team
        ),
        "school": make_action(
            agency=area.school,
            worker=school_worker,
            child=child,
            raised_at=at(-5),
            status=ActionStatus.VERIFIED,
            source=ActionSource.COMPLAINT,
        ),
        "health": make_action(agency=area.health, worker=health_worker, child=child, raised_at=at(-2)),
        "other_child": make_action(
            agency=area.school, worker=practitioner, child=other_child, raised_at=at(-1), **team
        ),
    }
    escalations = {
        "school": make_escalation(
            agency=area.school, child=child, key="school", raised_at=at(-8), head_of_service=head_of_service
        ),
        # A safeguarding concern the school's practitioner raised about the health trust's work.
        "health": make_escalation(
            agency=area.health,
            child=child,
            key="health",
            raised_at=at(-3),
            trigger=EscalationTrigger.SAFEGUARDING,
            raised_by=practitioner,
            status=EscalationStatus.ACKNOWLEDGED,
        ),
        "other_child": make_escalation(agency=area.school, child=other_child, key="other", raised_at=at(-1)),
    }
    complaints = {
        "school": ComplaintFactory(agency=area.school, child=child, received_on=days(-30)),
        "health": ComplaintFactory(
            agency=area.health, child=child, received_on=days(-12), stage=ComplaintStage.STAGE_2
        ),
        "other_school": ComplaintFactory(agency=area.other_school, child=child, received_on=days(-6)),
        "other_child": ComplaintFactory(agency=area.school, child=other_child, received_on=days(-1)),
    }
    invitations = {
        "parent": FeedbackInvitationFactory(
            agency=area.school, child=child, meeting_on=days(-40), responded_at=at(-38), contact=""
        ),
        "young_person": FeedbackInvitationFactory(
            agency=area.school,
            child=child,
            meeting_on=days(-40),
            audience=Audience.YOUNG_PERSON,
            delivery=Delivery.HANDOUT,
            contact="",
        ),
        "sat": FeedbackInvitationFactory(
            agency=area.sat,
            child=child,
            meeting_on=days(-4),
            meeting_kind=MeetingKind.PLANNING,
            audience=Audience.PROFESSIONAL,
        ),
        "other_child": FeedbackInvitationFactory(agency=area.school, child=other_child, meeting_on=days(-2)),
    }
    people = {
        "sqa_officer": sqa_officer,
        "sat_caseworker": sat_caseworker,
        "agency_manager": agency_manager,
        "other_agency_manager": other_agency_manager,
        "practitioner": practitioner,
        "team_manager": team_manager,
        "head_of_service": head_of_service,
        "board_member": board_member,
        "panel_member": panel_member,
    }
    return Story(
        child=child,
        other_child=other_child,
        rows={
            "audits": audits,
            "actions": actions,
            "escalations": escalations,
            "complaints": complaints,
            "feedback": invitations,
        },
        people=people,
    )


SCHOOL_STAFF = {
    "audits": {"school"},
    "actions": {"team", "school"},
    "escalations": {"school"},
    "complaints": {"school"},
    "feedback": {"parent", "young_person"},
}
# What each persona's page shows, section by section (None: the section is left out; absent persona: a 404).
EXPECTED: dict[str, dict[str, set[str] | None]] = {
    "sqa_officer": {
        "audits": {"school", "other_school", "health", "sat", "panel", "case_review"},
        "actions": {"team", "school", "health"},
        "escalations": {"school", "health"},
        "complaints": {"school", "health", "other_school"},
        "feedback": {"parent", "young_person", "sat"},
    },
    "sat_caseworker": {
        "audits": {"sat"},
        "actions": set(),
        "escalations": None,
        "complaints": set(),
        "feedback": {"sat"},
    },
    "agency_manager": SCHOOL_STAFF,
    "head_of_service": SCHOOL_STAFF,
    "team_manager": {**SCHOOL_STAFF, "actions": {"team"}, "escalations": None},
    "practitioner": {**SCHOOL_STAFF, "actions": {"team"}, "escalations": {"health"}},
    "board_member": {
        "audits": {"case_review"},
        "actions": None,
        "escalations": None,
        "complaints": None,
        "feedback": None,
    },
    "panel_member": {
        "audits": {"panel"},
        "actions": set(),
        "escalations": None,
        "complaints": set(),
        "feedback": set(),
    },
}


def list_side(user: User, key: str, child):
    """The rows of the section's list page for this child, through that list's own policy function; None
    when the user has no such list."""
    if key == "audits":
        return audits_access.audits.visible(user).filter(child=child)
    if key == "actions":
        if not action_access.actions.can(user, "see_rows"):
            return None
        return action_access.actions.visible(user).filter(child=child)
    if key == "escalations":
        rows = action_access.escalations.visible(user).filter(child=child)
        return rows if rows.exists() or action_access.escalations.can(user, "list") else None
    if not feedback_access.complaints.can(user, "list"):
        return None
    if key == "complaints":
        return feedback_access.complaints.visible(user).filter(child=child)
    return feedback_access.invitations.visible(user).filter(child=child)


def _page(client, user: User, child):
    client.force_login(user)
    return client.get(reverse("ehcp:child-detail", args=[child.pk]))


@pytest.mark.parametrize("persona", [*EXPECTED, "other_agency_manager"])
def test_each_section_shows_exactly_the_rows_of_its_list_for_this_child(client, story, persona):
    user = story.people[persona]
    response = _page(client, user, story.child)
    if persona not in EXPECTED:
        # The manager of an agency not involved with the child may not see the child's page at all.
        assert not ehcp_access.children.can(user, "view", story.child)
        assert response.status_code == 404
        return
    assert response.status_code == 200
    panels = {panel.key: panel for panel in response.context["panels"]}
    for key in PANEL_KEYS:
        expected = EXPECTED[persona][key]
        listed = list_side(user, key, story.child)
        if expected is None:
            assert listed is None, key
            assert key not in panels, key
            continue
        shown = story.names(key, [row["object"] for row in panels[key].rows])
        assert shown == story.names(key, listed) == expected, key
        assert panels[key].total == len(expected)
        # The list page itself, filtered to the child as the section links to it, lists the same rows.
        listed_page = client.get(panels[key].list_url)
        assert listed_page.status_code == 200, key
        assert story.names(key, listed_page.context["page"].object_list) == expected, key


def test_sections_come_in_a_fixed_order_newest_first(client, story):
    response = _page(client, story.people["sqa_officer"], story.child)
    panels = response.context["panels"]
    assert [panel.key for panel in panels] == PANEL_KEYS
    panels_by_key = {panel.key: panel for panel in panels}
    shown = {
        key: [story.names(key, [row["object"]]).pop() for row in panels_by_key[key].rows]
        for key in PANEL_KEYS
    }
    assert shown["audits"] == ["case_review", "panel", "sat", "health", "other_school", "school"]
    assert shown["actions"] == ["health", "school", "team"]
    assert shown["escalations"] == ["health", "school"]
    assert shown["complaints"] == ["other_school", "health", "school"]
    assert shown["feedback"][0] == "sat"
    body = response.content.decode()
    headings = ["Audits", "Remedial actions", "Case escalations", "Complaints", "Feedback after meetings"]
    positions = [body.index(f">{heading}</h3>") for heading in headings]
    assert positions == sorted(positions)


def test_rows_show_what_each_list_shows_and_link_to_their_pages(client, story, area):
    body = _page(client, story.people["agency_manager"], story.child).content.decode()
    rows = story.rows
    school_audit = rows["audits"]["school"]
    assert reverse("audits:audit-detail", args=[school_audit.pk]) in body
    assert school_audit.tool_version.tool.name in body
    assert '<strong class="govuk-tag govuk-tag--teal">Good</strong>' in body  # grade of record
    assert '<strong class="govuk-tag govuk-tag--purple">Submitted</strong>' in body
    assert reverse("actions:action-detail", args=[rows["actions"]["team"].pk]) in body
    assert "Overdue</strong>" in body  # the team's action was due yesterday
    assert reverse("actions:escalation-detail", args=[rows["escalations"]["school"].pk]) in body
    assert "Waiting for acknowledgement" in body
    assert reverse("feedback:complaint-detail", args=[rows["complaints"]["school"].pk]) in body
    assert "Overdue by" in body  # received 30 days ago, never answered
    assert reverse("feedback:invitation-detail", args=[rows["feedback"]["parent"].pk]) in body
    assert "Children and young people" in body and "Printed handout with a QR code" in body
    assert "2 invited, 1 answered: a response rate of 50%" in body
    # Other agencies' rows and the other child's rows are not there.
    assert reverse("audits:audit-detail", args=[rows["audits"]["health"].pk]) not in body
    assert reverse("feedback:complaint-detail", args=[rows["complaints"]["other_child"].pk]) not in body
    assert story.other_child.case_reference not in body
    # Every table scrolls inside its own labelled region rather than widening the page on a phone.
    assert body.count('<div class="qaf-table-scroll" role="region"') == 5
    assert 'aria-label="Audits of NCC-STORY-1" tabindex="0"' in body


def test_a_long_history_shows_the_latest_ten_and_links_to_the_full_list(client, story, area, frozen):
    tool = story.rows["audits"]["school"].tool_version
    for i in range(6):
        AuditFactory(agency=area.school, level=1, tool_version=tool, child=story.child, due_on=days(100 + i))
    response = _page(client, story.people["sqa_officer"], story.child)
    panel = {p.key: p for p in response.context["panels"]}["audits"]
    assert (len(panel.rows), panel.total) == (10, 12)
    assert panel.rows[0]["object"].due_on == days(105)
    body = response.content.decode()
    assert "Showing the latest 10 of 12." in body
    assert (
        f'href="{reverse("audits:audit-list")}?child={story.child.pk}">See all 12 audits of this child'
        in body
    )
    full = client.get(panel.list_url)
    assert full.context["page"].paginator.count == 12
    # The list names the child among its selected filters, and the filter can be taken off.
    assert "Child: NCC-STORY-1" in full.content.decode()


@pytest.mark.parametrize(
    "list_name",
    [
        "audits:audit-list",
        "actions:actions",
        "actions:escalations",
        "feedback:complaint-list",
        "feedback:invitation-list",
    ],
)
def test_a_list_filtered_to_a_child_the_user_may_not_see_names_no_child(client, story, area, list_name):
    hidden = ChildFactory(
        partnership=area.partnership, case_reference="NCC-HIDDEN", agencies=[area.other_school]
    )
    client.force_login(story.people["agency_manager"])
    response = client.get(reverse(list_name), {"child": hidden.pk})
    assert response.status_code == 200
    assert "NCC-HIDDEN" not in response.content.decode()
    assert "child" not in [name for name, _label, _value in response.context["active_filters"]]
    # The same list filtered to a child they may see keeps only that child's rows.
    mine = client.get(reverse(list_name), {"child": story.other_child.pk})
    objects = list(mine.context["page"].object_list)
    assert objects and {obj.child_id for obj in objects} == {story.other_child.pk}
    # "Apply filters" keeps the child, and the child is among the selected filters, to be taken off.
    body = mine.content.decode()
    assert f'<input type="hidden" name="child" value="{story.other_child.pk}"' in body
    assert "Child: NCC-STORY-2" in body


def _history(area, child, worker, n: int) -> None:
    """n of everything about `child`: audits, actions, escalations, complaints and invitations."""
    tool = make_tool_version(area.partnership)
    for i in range(n):
        AuditFactory(agency=area.school, level=1, tool_version=tool, child=child, due_on=days(i))
        make_action(agency=area.school, worker=worker, child=child, raised_at=at(-i))
        make_escalation(agency=area.school, child=child, key=f"{child.pk}:{i}", raised_at=at(-i))
        ComplaintFactory(agency=area.school, child=child, received_on=days(-i))
        FeedbackInvitationFactory(agency=area.school, child=child, meeting_on=days(-i))


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_child_page_query_count_does_not_grow_with_the_history(
    client, request, area, frozen, practitioner, django_assert_max_num_queries, persona
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    counts = []
    for n in (3, 14):
        child = ChildFactory(partnership=area.partnership, agencies=[area.school])
        _history(area, child, practitioner, n)
        with django_assert_max_num_queries(20) as captured:
            response = client.get(reverse("ehcp:child-detail", args=[child.pk]))
        assert response.status_code == 200
        assert all(panel.total == n for panel in response.context["panels"])
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 900}, {"width": 375, "height": 740}], ids=["desktop", "phone"]
)
def test_the_child_page_fits_a_phone_and_is_accessible(live_server, page, viewport):
    from conftest import make_area

    area = make_area("Story Local Area")
    user = member(area.sqa, Role.SQA_OFFICER, username="story.sqa")
    worker = member(area.school, Role.PRACTITIONER, username="story.worker")
    worker.first_name, worker.last_name = "Wren", "Worker-With-A-Long-Double-Barrelled-Name"
    worker.save()
    child = ChildFactory(partnership=area.partnership, case_reference="NCC-004217", agencies=[area.school])
    with time_machine.travel(NOW, tick=False):
        _history(area, child, worker, 2)
    page.set_viewport_size(viewport)
    sign_in(page, live_server.url, user.username)
    page.goto(f"{live_server.url}/children/{child.pk}/")
    assert page.get_by_role("heading", level=2, name="Quality assurance history").count() == 1
    assert page.get_by_role("region", name="Audits of NCC-004217").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    violations = axe_violations(page)
    assert violations == [], violations
