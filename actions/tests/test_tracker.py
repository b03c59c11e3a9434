"""The action tracker pages ("actions", "my actions", "my team's actions"), their CSV export, and the themes
and workforce-development pages: who sees what (role × own/other agency), filters, sorting, RAG, the CSV
equal to the filtered rows, and query counts that do not grow with the number of actions."""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

import pytest
import time_machine
from django.urls import reverse

from actions.access import actions as action_policy
from actions.models import (
    ActionPriority,
    ActionSource,
    ActionStatus,
    RemedialAction,
)
from actions.tests.factories import make_action, make_escalation
from actions.tests.support import queries_as_rows_grow
from ehcp.tests.factories import ChildFactory
from qaf.models import Role, Term, Theme, User
from qaf.services import academic_year_create_default
from qaf.tests.factories import member

NOW = dt.datetime(2026, 3, 10, 12, 0, tzinfo=dt.UTC)  # a Tuesday in the spring term 2025/26
TODAY = NOW.date()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@dataclass
class World:
    red: RemedialAction
    amber: RemedialAction
    green: RemedialAction
    done: RemedialAction
    other: RemedialAction
    health: RemedialAction
    cancelled: RemedialAction
    elsewhere: RemedialAction
    looked_after: Theme
    pfa: Theme
    years: dict


AREA_ACTIONS = {"red", "amber", "green", "done", "other", "health", "cancelled"}
SCHOOL_ACTIONS = {"red", "amber", "green", "done"}

# Which actions of the world each persona sees on "actions" (and the API).
VISIBLE = {
    "sqa_officer": AREA_ACTIONS,
    "practitioner": {"red", "amber", "done"},
    "team_manager": {"red", "amber", "done"},
    "agency_manager": SCHOOL_ACTIONS,
    "head_of_service": SCHOOL_ACTIONS,
    "other_agency_manager": {"other", "cancelled"},
    "sat_caseworker": set(),
    "partnership_admin": set(),
    "outsider_sqa": {"elsewhere"},
}


@pytest.fixture
def world(
    frozen, area, other_area, practitioner, team_manager, agency_manager, other_agency_manager
) -> World:
    years = {
        y: academic_year_create_default(partnership=area.partnership, start_year=y) for y in (2024, 2025)
    }
    looked_after = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    pfa = Theme.objects.create(partnership=area.partnership, name="Preparation for adulthood")
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-RED-1", initials="JS")
    second_worker = member(area.school, Role.PRACTITIONER, username="second.worker")
    other_worker = member(area.other_school, Role.PRACTITIONER, username="other.worker")
    health_worker = member(area.health, Role.PRACTITIONER, username="health.worker")
    elsewhere_worker = member(other_area.school, Role.PRACTITIONER, username="elsewhere.worker")
    team = {"team": area.school_team, "team_manager": team_manager}
    return World(
        red=make_action(
            agency=area.school,
            worker=practitioner,
            due_on=days(-5),
            priority=ActionPriority.HIGH,
            child=child,
            themes=(looked_after,),
            what="Red action",
            **team,
        ),
        amber=make_action(
            agency=area.school,
            worker=practitioner,
            due_on=days(3),
            priority=ActionPriority.LOW,
            source=ActionSource.COMPLAINT,
            themes=(pfa,),
            what="Amber action",
            **team,
        ),
        green=make_action(
            agency=area.school,
            worker=second_worker,
            due_on=days(30),
            status=ActionStatus.IN_PROGRESS,
            source=ActionSource.DIP_SAMPLE,
            what="Green action",
        ),
        done=make_action(
            agency=area.school,
            worker=practitioner,
            due_on=days(-20),
            status=ActionStatus.VERIFIED,
            what="Done action",
            **team,
        ),
        other=make_action(
            agency=area.other_school,
            worker=other_worker,
            due_on=days(10),
            source=ActionSource.FEEDBACK,
            themes=(looked_after,),
            what="Other school action",
        ),
        health=make_action(
            agency=area.health, worker=health_worker, due_on=days(1), what='=HYPERLINK("evil")'
        ),
        cancelled=make_action(
            agency=area.other_school,
            worker=other_worker,
            due_on=days(2),
            status=ActionStatus.CANCELLED,
            themes=(pfa,),
            what="Cancelled action",
        ),
        elsewhere=make_action(agency=other_area.school, worker=elsewhere_worker, due_on=days(1)),
        looked_after=looked_after,
        pfa=pfa,
        years=years,
    )


def names(world: World, actions) -> set[str]:
    by_pk = {getattr(world, name).pk: name for name in AREA_ACTIONS | {"elsewhere"}}
    return {by_pk[a.pk] for a in actions}


def page_names(world: World, response) -> set[str]:
    return names(world, response.context["page"].object_list)


def page_order(world: World, response) -> list[str]:
    by_pk = {getattr(world, name).pk: name for name in AREA_ACTIONS}
    return [by_pk[a.pk] for a in response.context["page"].object_list]


def csv_rows(response) -> list[dict[str, str]]:
    content = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(content)))


# --- who sees what -------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_tracker_shows_exactly_the_actions_the_persona_may_see(client, request, world, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse("actions:actions"))
    assert response.status_code == 200
    assert page_names(world, response) == VISIBLE[persona]


@pytest.mark.parametrize(
    "name", ["actions", "my-actions", "team-actions", "actions-csv", "my-actions-csv", "team-actions-csv"]
)
def test_board_members_may_not_see_the_tracker(client, world, board_member, name):
    client.force_login(board_member)
    assert client.get(reverse(f"actions:{name}")).status_code == 403


def test_tracker_needs_sign_in(client, world):
    response = client.get(reverse("actions:actions"))
    assert response.status_code == 302
    assert "next=" in response["Location"]


# What the two tabs of one's own list: "my actions" the ones the persona carries out, "my team's actions" those of
# the teams they manage.
@pytest.mark.parametrize(
    ("name", "persona", "expected"),
    [
        ("my-actions", "practitioner", {"red", "amber", "done"}),
        ("my-actions", "team_manager", set()),
        ("my-actions", "agency_manager", set()),
        ("my-actions", "sqa_officer", set()),
        ("team-actions", "team_manager", {"red", "amber", "done"}),
        ("team-actions", "practitioner", set()),
        ("team-actions", "agency_manager", set()),
        ("team-actions", "other_agency_manager", set()),
    ],
    ids=[
        "the practitioner carries out red, amber and done",
        "the team manager carries out none",
        "the agency manager carries out none",
        "the SQA officer carries out none",
        "the team manager's team has red, amber and done",
        "the practitioner manages no team",
        "the agency manager manages no team",
        "the other agency's manager manages no team",
    ],
)
def test_my_actions_are_the_ones_i_carry_out_and_team_actions_those_of_the_teams_i_manage(
    client, request, world, name, persona, expected
):
    client.force_login(request.getfixturevalue(persona))
    response = client.get(reverse(f"actions:{name}"))
    assert response.status_code == 200
    assert page_names(world, response) == expected


def test_team_actions_include_actions_recorded_with_me_as_team_manager_outside_my_team(
    client, world, area, team_manager
):
    outside = make_action(
        agency=area.school,
        worker=member(area.school, Role.PRACTITIONER),
        due_on=days(4),
        team_manager=team_manager,
    )
    client.force_login(team_manager)
    response = client.get(reverse("actions:team-actions"))
    assert outside.pk in {a.pk for a in response.context["page"].object_list}


def test_team_tab_only_for_team_managers(client, world, team_manager, practitioner):
    link = f'href="{reverse("actions:team-actions")}"'
    client.force_login(team_manager)
    assert link in client.get(reverse("actions:actions")).content.decode()
    client.force_login(practitioner)
    assert link not in client.get(reverse("actions:actions")).content.decode()


# --- filters, RAG, sorting -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, {"red", "amber", "other", "health"}),
        ({"status": "in_progress"}, {"green"}),
        ({"rag": "red"}, {"red"}),
        ({"rag": "amber"}, {"amber", "health"}),
        ({"rag": "green"}, {"green", "other"}),
        ({"source": "complaint"}, {"amber"}),
        ({"source": "dip_sample"}, {"green"}),
        ({"status": "open", "source": "audit"}, {"red", "health"}),
    ],
)
def test_filters(client, world, sqa_officer, params, expected):
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:actions"), params)
    assert page_names(world, response) == expected


def test_filters_by_agency_team_worker_theme_and_term(client, world, area, sqa_officer, practitioner):
    client.force_login(sqa_officer)
    url = reverse("actions:actions")

    def shown(**params) -> set[str]:
        return page_names(world, client.get(url, params))

    assert shown(agency=area.other_school.pk) == {"other", "cancelled"}
    assert shown(team=area.school_team.pk) == {"red", "amber", "done"}
    assert shown(worker=practitioner.pk) == {"red", "amber", "done"}
    assert shown(theme=world.looked_after.pk) == {"red", "other"}
    summer = Term.objects.get(academic_year=world.years[2025], number=3)
    assert shown(term=summer.pk) == {"green"}  # due 9 April 2026
    spring = Term.objects.get(academic_year=world.years[2025], number=2)
    assert shown(term=spring.pk) == AREA_ACTIONS - {"green"}


def test_rag_moves_with_the_clock(client, world, sqa_officer):
    client.force_login(sqa_officer)
    with time_machine.travel(NOW + dt.timedelta(days=4), tick=False):
        client.force_login(sqa_officer)  # the session of four days ago has expired
        response = client.get(reverse("actions:actions"), {"rag": "red"})
        assert page_names(world, response) == {"red", "amber", "health"}
        assert world.amber.rag == "red"
    assert world.amber.rag == "amber"
    assert world.green.rag == "green"
    assert world.done.rag == ""


def test_selected_filters_show_as_tags_and_a_bad_value_is_ignored(client, world, sqa_officer, area):
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:actions"), {"rag": "red", "agency": "999999", "status": "bogus"})
    assert response.status_code == 200
    assert response.context["active_filters"] == [("rag", "Due or overdue", "Red: overdue")]
    assert page_names(world, response) == {"red"}


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (None, ["done", "red", "health", "cancelled", "amber", "other", "green"]),
        ("due_on", ["done", "red", "health", "cancelled", "amber", "other", "green"]),
        ("-due_on", ["green", "other", "amber", "cancelled", "health", "red", "done"]),
        ("priority", ["red", "done", "health", "cancelled", "other", "green", "amber"]),
        ("status", ["red", "health", "amber", "other", "green", "done", "cancelled"]),
        ("-status", ["cancelled", "done", "green", "red", "health", "amber", "other"]),
    ],
)
def test_sorting(client, world, sqa_officer, sort, expected):
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:actions"), {"sort": sort} if sort else {})
    assert page_order(world, response) == expected


def test_sort_by_agency_name(client, world, sqa_officer):
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:actions"), {"sort": "agency"})
    agencies = [a.agency.name for a in response.context["page"].object_list]
    assert agencies == sorted(agencies)
    response = client.get(reverse("actions:actions"), {"sort": "-agency"})
    agencies = [a.agency.name for a in response.context["page"].object_list]
    assert agencies == sorted(agencies, reverse=True)


def test_sort_links_toggle_and_keep_the_filters(client, world, sqa_officer):
    client.force_login(sqa_officer)
    html = client.get(reverse("actions:actions"), {"rag": "amber", "sort": "priority"}).content.decode()
    assert (
        'aria-sort="ascending"><a class="govuk-link govuk-link--no-visited-state" href="?rag=amber&amp;sort=-priority">Priority'
        in html
    )
    assert (
        'aria-sort="none"><a class="govuk-link govuk-link--no-visited-state" href="?rag=amber&amp;sort=due_on">Due'
        in html
    )
    # The filter form keeps the order when filters change.
    assert '<input type="hidden" name="sort" value="priority"' in html


def test_pagination(client, area, frozen, sqa_officer, practitioner):
    for n in range(30):
        make_action(agency=area.school, worker=practitioner, due_on=days(n))
    client.force_login(sqa_officer)
    first = client.get(reverse("actions:actions"))
    second = client.get(reverse("actions:actions"), {"page": 2})
    assert first.context["page"].paginator.count == 30
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert first.context["page"].object_list[0].due_on == TODAY


# --- CSV -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "persona", "params"),
    [
        ("actions", "sqa_officer", {}),
        ("actions", "sqa_officer", {"rag": "amber", "sort": "-due_on"}),
        ("actions", "sqa_officer", {"status": "open", "sort": "priority"}),
        ("actions", "agency_manager", {"source": "audit"}),
        ("my-actions", "practitioner", {}),
        ("team-actions", "team_manager", {"status": "open"}),
    ],
)
def test_csv_is_exactly_the_filtered_rows_in_order(client, request, world, name, persona, params):
    client.force_login(request.getfixturevalue(persona))
    page = client.get(reverse(f"actions:{name}"), params)
    response = client.get(reverse(f"actions:{name}-csv"), params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    assert [int(r["id"]) for r in rows] == [a.pk for a in page.context["page"].object_list]
    assert rows or page.context["page"].paginator.count == 0


def test_csv_columns_and_values(client, world, sqa_officer, team_manager):
    client.force_login(sqa_officer)
    rows = csv_rows(client.get(reverse("actions:actions-csv"), {"rag": "red"}))
    assert list(rows[0]) == [
        "id",
        "raised on",
        "source",
        "case reference",
        "agency",
        "team",
        "worker",
        "team manager",
        "what",
        "priority",
        "due",
        "status",
        "RAG",
        "completed",
        "verified",
    ]
    assert rows == [
        {
            "id": str(world.red.pk),
            "raised on": "2026-03-10",
            "source": "Audit",
            "case reference": "EHC-RED-1",
            "agency": world.red.agency.name,
            "team": "Inclusion team",
            "worker": world.red.worker.display_name,
            "team manager": team_manager.display_name,
            "what": "Red action",
            "priority": "High",
            "due": "2026-03-05",
            "status": "Open",
            "RAG": "red",
            "completed": "",
            "verified": "",
        }
    ]


def test_csv_has_no_child_initials_and_defuses_formulas(client, world, sqa_officer):
    client.force_login(sqa_officer)
    content = b"".join(client.get(reverse("actions:actions-csv")).streaming_content).decode()
    assert "JS" not in content  # the child's initials never leave in an export
    assert "'=HYPERLINK" in content
    assert ",=HYPERLINK" not in content


def test_download_link_carries_the_filters(client, world, sqa_officer):
    client.force_login(sqa_officer)
    html = client.get(reverse("actions:actions"), {"rag": "amber", "page": "1"}).content.decode()
    assert f'href="{reverse("actions:actions-csv")}?rag=amber"' in html


# --- query counts --------------------------------------------------------------------------------


def _bulk(area, n: int, worker: User, team_manager: User, theme: Theme) -> None:
    for i in range(n):
        child = ChildFactory(partnership=area.partnership)
        make_action(
            agency=area.school,
            worker=worker,
            due_on=days(i - 5),
            team=area.school_team,
            team_manager=team_manager,
            child=child,
            themes=(theme,),
        )


@pytest.mark.parametrize(
    ("persona", "name"),
    [
        ("sqa_officer", "actions"),
        ("agency_manager", "actions"),
        ("team_manager", "team-actions"),
        ("practitioner", "my-actions"),
    ],
)
def test_tracker_query_count_is_the_same_for_3_and_30_actions(
    client, request, area, frozen, practitioner, team_manager, django_assert_max_num_queries, persona, name
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        # Sign-in (3), the five filter choice lists (count + rows each), the count and the page's rows.
        limit=16,
        sizes=(3, 27),
        add=lambda n: _bulk(area, n, practitioner, team_manager, theme),
        fetch=lambda: client.get(reverse(f"actions:{name}"), {"status": "open", "sort": "priority"}),
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert counts[0] == counts[1]
    assert responses[-1].context["page"].paginator.count == 30


def test_csv_query_count_is_the_same_for_3_and_30_actions(
    client, area, frozen, sqa_officer, practitioner, team_manager, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    counts, downloads = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=14,
        sizes=(3, 27),
        add=lambda n: _bulk(area, n, practitioner, team_manager, theme),
        fetch=lambda: csv_rows(client.get(reverse("actions:actions-csv"))),
    )
    assert counts[0] == counts[1]
    assert len(downloads[-1]) == 30


# --- themes and workforce development -------------------------------------------------------------


@pytest.fixture
def themed(world, area, head_of_service):
    """Escalations on top of the world: one in health tagged looked-after (spring), one in the autumn."""
    make_escalation(agency=area.health, key="audit:1:inadequate", themes=(world.looked_after,))
    make_escalation(
        agency=area.school,
        key="audit:2:inadequate",
        themes=(world.pfa,),
        raised_at=dt.datetime(2025, 10, 6, 10, 0, tzinfo=dt.UTC),
    )
    make_action(
        agency=area.school,
        worker=world.red.worker,
        due_on=days(-100),
        themes=(world.looked_after,),
        raised_at=dt.datetime(2025, 11, 3, 10, 0, tzinfo=dt.UTC),
    )
    return world


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("board_member", 200),
        ("agency_manager", 403),
        ("practitioner", 403),
        ("team_manager", 403),
        ("head_of_service", 403),
    ],
)
@pytest.mark.parametrize("name", ["action-themes", "workforce-development"])
def test_themes_pages_are_for_sqa_and_board(client, request, world, persona, status, name):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse(f"actions:{name}")).status_code == status


def test_theme_counts_by_term_of_the_current_year(client, themed, board_member):
    client.force_login(board_member)
    response = client.get(reverse("actions:action-themes"))
    assert response.context["year"] == themed.years[2025]
    table = {row.theme.name: row.cells for row in response.context["rows"]}
    # (actions, escalations) per term: autumn, spring, summer. The cancelled action does not count.
    assert table == {
        "Looked-after children": [(1, 0), (2, 1), (0, 0)],
        "Preparation for adulthood": [(0, 1), (1, 0), (0, 0)],
    }
    html = response.content.decode()
    assert "EHC-RED-1" not in html and "Red action" not in html  # aggregates only


def test_theme_counts_for_another_year_and_an_empty_one(client, themed, sqa_officer):
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:action-themes"), {"year": themed.years[2024].pk})
    assert response.context["rows"] == []
    assert "No actions or escalations with a theme" in response.content.decode()


def test_theme_counts_query_count_is_constant(
    client, themed, area, sqa_officer, practitioner, team_manager, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    counts, _ = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=12,
        sizes=(1, 10),
        add=lambda n: _bulk(area, n, practitioner, team_manager, themed.pfa),
        fetch=lambda: client.get(reverse("actions:action-themes")),
    )
    assert counts[0] == counts[1]


def test_workforce_development_lists_themes_recurring_across_agencies(client, themed, area, board_member):
    client.force_login(board_member)
    response = client.get(reverse("actions:workforce-development"))
    rows = response.context["rows"]
    # Looked-after: actions in the school (2, one in autumn) and the other school, an escalation in health.
    # Preparation for adulthood: only the school (the other school's action is cancelled), so not listed.
    assert [(r.theme.name, r.agency_count, r.actions, r.escalations) for r in rows] == [
        ("Looked-after children", 3, 3, 1)
    ]
    assert [a.name for a in rows[0].agencies] == sorted(
        [area.school.name, area.other_school.name, area.health.name]
    )


def test_workforce_development_for_one_term(client, themed, area, sqa_officer):
    client.force_login(sqa_officer)
    autumn = Term.objects.get(academic_year=themed.years[2025], number=1)
    response = client.get(reverse("actions:workforce-development"), {"term": autumn.pk})
    assert response.context["term"] == autumn
    assert response.context["rows"] == []  # in the autumn each theme was seen in one agency only
    spring = Term.objects.get(academic_year=themed.years[2025], number=2)
    response = client.get(reverse("actions:workforce-development"), {"term": spring.pk})
    assert [(r.theme.name, r.agency_count, r.actions, r.escalations) for r in response.context["rows"]] == [
        ("Looked-after children", 3, 2, 1)
    ]


def test_workforce_development_query_count_does_not_grow_with_agencies_or_actions(
    client, themed, area, sqa_officer, practitioner, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    agencies = [area.other_school, area.health, area.social_care, area.sat]

    def themed_actions_in(n: int) -> None:
        """An action of each theme in each of the first `n` agencies."""
        for agency in agencies[:n]:
            for theme in (themed.looked_after, themed.pfa):
                make_action(
                    agency=agency,
                    worker=practitioner,
                    due_on=days(10),
                    themes=(theme,),
                    raised_at=dt.datetime(2026, 1, 12, 10, 0, tzinfo=dt.UTC),
                )

    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=12,
        sizes=(1, 4),
        add=themed_actions_in,
        fetch=lambda: client.get(reverse("actions:workforce-development")),
    )
    assert counts[0] == counts[1]
    response = responses[-1]
    # Both themes now recur; the looked-after one across the school, the other school, health, social care
    # and the statutory assessment team.
    rows = {r.theme.name: r.agency_count for r in response.context["rows"]}
    assert rows == {"Looked-after children": 5, "Preparation for adulthood": 5}


@pytest.mark.parametrize("name", ["actions", "my-actions", "team-actions", "actions-csv"])
def test_junk_in_the_query_string_is_ignored_not_a_server_error(client, world, sqa_officer, name):
    client.force_login(sqa_officer)
    junk = {"page": "abc", "agency": "abc", "team": "1.5", "worker": "-1", "theme": "x", "term": "zz"}
    response = client.get(reverse(f"actions:{name}"), {**junk, "sort": "nonsense"})
    assert response.status_code == 200
    if name == "actions":
        assert response.context["page"].number == 1
        assert response.context["active_filters"] == []
        assert page_names(world, response) == AREA_ACTIONS


@pytest.mark.parametrize("name", ["action-themes", "workforce-development"])
def test_themes_pages_ignore_a_bad_year_or_term(client, themed, sqa_officer, name):
    client.force_login(sqa_officer)
    response = client.get(reverse(f"actions:{name}"), {"year": "abc", "term": "x1"})
    assert response.status_code == 200
    assert response.context["year"] == themed.years[2025]  # the current year, as with no choice at all


def test_themes_page_defaults_to_the_current_year_even_when_a_later_one_exists(
    client, themed, area, sqa_officer
):
    later = academic_year_create_default(partnership=area.partnership, start_year=2026)
    client.force_login(sqa_officer)
    response = client.get(reverse("actions:action-themes"))
    assert response.context["year"] == themed.years[2025]
    assert f'<option value="{themed.years[2025].pk}" selected>' in response.content.decode()
    response = client.get(reverse("actions:action-themes"), {"year": later.pk})
    assert response.context["year"] == later
    assert [t.number for t in response.context["terms"]] == [1, 2, 3]


def test_actions_for_aggregates_are_the_partnerships_for_sqa_and_board_only(
    world, sqa_officer, board_member, agency_manager, outsider_sqa
):
    ours = set(
        RemedialAction.objects.filter(partnership=sqa_officer.partnership).values_list("pk", flat=True)
    )
    assert ours
    assert set(action_policy.aggregate_scope(sqa_officer).values_list("pk", flat=True)) == ours
    assert set(action_policy.aggregate_scope(board_member).values_list("pk", flat=True)) == ours
    assert not action_policy.aggregate_scope(agency_manager).exists()
    assert not action_policy.aggregate_scope(outsider_sqa).filter(pk__in=ours).exists()
