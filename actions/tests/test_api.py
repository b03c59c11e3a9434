"""The `actions` and `escalations` API resources: scoped exactly like the tracker (role × own/other agency and
partnership), read-only, filtered like the tracker, paginated, with query counts that do not grow."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from rest_framework.test import APIClient

from actions.models import EscalationStatus
from actions.tests import test_tracker as shared
from actions.tests.factories import make_action, make_escalation
from actions.tests.support import queries_as_rows_grow
from ehcp.tests.factories import ChildFactory
from qaf.models import Term, Theme

ACTIONS = "/api/v1/actions/"
ESCALATIONS = "/api/v1/escalations/"
VISIBLE = shared.VISIBLE
world = shared.world
frozen = shared.frozen


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def action_names(world, response) -> set[str]:
    by_pk = {getattr(world, name).pk: name for name in shared.AREA_ACTIONS | {"elsewhere"}}
    return {by_pk[row["id"]] for row in response.json()["results"]}


# --- actions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_actions_list_is_scoped_like_the_tracker(api, request, world, persona):
    api.force_login(request.getfixturevalue(persona))
    response = api.get(ACTIONS)
    assert response.status_code == 200
    assert action_names(world, response) == VISIBLE[persona]


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_action_retrieve_is_404_when_not_visible(api, request, world, persona):
    api.force_login(request.getfixturevalue(persona))
    every = sorted(shared.AREA_ACTIONS | {"elsewhere"})
    statuses = {name: api.get(f"{ACTIONS}{getattr(world, name).pk}/").status_code for name in every}
    assert statuses == {name: 200 if name in VISIBLE[persona] else 404 for name in every}


@pytest.mark.parametrize("url", [ACTIONS, ESCALATIONS])
def test_board_members_get_403_and_anonymous_401_or_403(api, world, board_member, url):
    assert api.get(url).status_code in (401, 403)
    api.force_login(board_member)
    assert api.get(url).status_code == 403


def test_action_shape(api, world, sqa_officer, team_manager):
    api.force_login(sqa_officer)
    row = api.get(f"{ACTIONS}{world.red.pk}/").json()
    assert row["child_case_reference"] == "EHC-RED-1"
    assert row["agency"] == world.red.agency_id
    assert row["team_name"] == "Inclusion team"
    assert row["team_manager"] == team_manager.pk
    assert (row["priority"], row["status"], row["rag"], row["due_on"]) == (
        "high",
        "open",
        "red",
        "2026-03-05",
    )
    assert row["themes"] == [world.looked_after.pk]
    assert "initials" not in str(row)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "open"}, {"red", "amber", "other", "health"}),
        ({"rag": "amber"}, {"amber", "health"}),
        ({"rag": "green"}, {"green", "other"}),
        ({"source": "complaint"}, {"amber"}),
    ],
)
def test_action_filters(api, world, sqa_officer, params, expected):
    api.force_login(sqa_officer)
    assert action_names(world, api.get(ACTIONS, params)) == expected


def test_action_filters_by_ids(api, world, area, sqa_officer, practitioner):
    api.force_login(sqa_officer)
    summer = Term.objects.get(academic_year=world.years[2025], number=3)
    assert action_names(world, api.get(ACTIONS, {"agency": area.other_school.pk})) == {"other", "cancelled"}
    assert action_names(world, api.get(ACTIONS, {"team": area.school_team.pk})) == {"red", "amber", "done"}
    assert action_names(world, api.get(ACTIONS, {"worker": practitioner.pk})) == {"red", "amber", "done"}
    assert action_names(world, api.get(ACTIONS, {"theme": world.looked_after.pk})) == {"red", "other"}
    assert action_names(world, api.get(ACTIONS, {"term": summer.pk})) == {"green"}
    assert api.get(ACTIONS, {"rag": "purple"}).status_code == 400


def test_actions_are_read_only(api, world, sqa_officer):
    api.force_login(sqa_officer)
    assert api.post(ACTIONS, {"what": "x"}).status_code == 405
    assert api.patch(f"{ACTIONS}{world.red.pk}/", {"status": "verified"}).status_code == 405
    assert api.delete(f"{ACTIONS}{world.red.pk}/").status_code == 405


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager", "practitioner"])
def test_actions_query_count_is_the_same_for_3_and_30(
    api, request, area, frozen, practitioner, team_manager, django_assert_max_num_queries, persona
):
    api.force_login(request.getfixturevalue(persona))
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=8,
        sizes=(3, 27),
        add=lambda n: shared._bulk(area, n, practitioner, team_manager, theme),
        fetch=lambda: api.get(ACTIONS, {"status": "open"}),
    )
    assert [r.status_code for r in responses] == [200, 200]
    assert counts[0] == counts[1]
    assert responses[-1].json()["count"] == 30


def test_actions_are_paginated(api, area, frozen, sqa_officer, practitioner):
    for n in range(55):
        make_action(agency=area.school, worker=practitioner, due_on=shared.days(n))
    api.force_login(sqa_officer)
    body = api.get(ACTIONS).json()
    assert body["count"] == 55 and len(body["results"]) == 50 and body["next"]
    assert len(api.get(ACTIONS, {"page": 2}).json()["results"]) == 5


# --- escalations ---------------------------------------------------------------------------------


@pytest.fixture
def escalations(world, area, other_area, head_of_service, practitioner):
    school = make_escalation(
        agency=area.school, key="audit:1:inadequate", head_of_service=head_of_service, themes=(world.pfa,)
    )
    other = make_escalation(agency=area.other_school, key="audit:2:inadequate")
    raised_by_worker = make_escalation(agency=area.health, key="concern:1")
    raised_by_worker.raised_by = practitioner
    raised_by_worker.trigger = "safeguarding"
    raised_by_worker.status = EscalationStatus.ACKNOWLEDGED
    raised_by_worker.save()
    elsewhere = make_escalation(agency=other_area.school, key="audit:3:inadequate")
    return {"school": school, "other": other, "health": raised_by_worker, "elsewhere": elsewhere}


ESCALATIONS_VISIBLE = {
    "sqa_officer": {"school", "other", "health"},
    "head_of_service": {"school"},
    "agency_manager": {"school"},
    "other_agency_manager": {"other"},
    "practitioner": {"health"},  # they raised it
    "team_manager": set(),
    "sat_caseworker": set(),
    "outsider_sqa": {"elsewhere"},
}


def escalation_names(escalations, response) -> set[str]:
    by_pk = {e.pk: name for name, e in escalations.items()}
    return {by_pk[row["id"]] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", sorted(ESCALATIONS_VISIBLE))
def test_escalations_list_and_retrieve_are_scoped(api, request, escalations, persona):
    api.force_login(request.getfixturevalue(persona))
    assert escalation_names(escalations, api.get(ESCALATIONS)) == ESCALATIONS_VISIBLE[persona]
    statuses = {name: api.get(f"{ESCALATIONS}{e.pk}/").status_code for name, e in escalations.items()}
    assert statuses == {name: 200 if name in ESCALATIONS_VISIBLE[persona] else 404 for name in escalations}


def test_escalation_filters_and_shape(api, escalations, area, world, sqa_officer, head_of_service):
    api.force_login(sqa_officer)
    assert escalation_names(escalations, api.get(ESCALATIONS, {"agency": area.school.pk})) == {"school"}
    assert escalation_names(escalations, api.get(ESCALATIONS, {"status": "acknowledged"})) == {"health"}
    assert escalation_names(escalations, api.get(ESCALATIONS, {"trigger": "safeguarding"})) == {"health"}
    assert escalation_names(escalations, api.get(ESCALATIONS, {"theme": world.pfa.pk})) == {"school"}
    spring = Term.objects.get(academic_year=world.years[2025], number=2)
    autumn = Term.objects.get(academic_year=world.years[2025], number=1)
    assert escalation_names(escalations, api.get(ESCALATIONS, {"term": spring.pk})) == {
        "school",
        "other",
        "health",
    }
    assert escalation_names(escalations, api.get(ESCALATIONS, {"term": autumn.pk})) == set()
    # Raised at noon, due a day later: not overdue now, overdue two days on.
    assert escalation_names(escalations, api.get(ESCALATIONS, {"overdue": "true"})) == set()
    row = api.get(f"{ESCALATIONS}{escalations['school'].pk}/").json()
    assert row["head_of_service"] == head_of_service.pk
    assert row["status"] == "open" and row["trigger"] == "inadequate"


def test_escalations_overdue_filter(api, escalations, sqa_officer):
    import time_machine

    with time_machine.travel(shared.NOW + dt.timedelta(days=2), tick=False):
        api.force_login(sqa_officer)
        assert escalation_names(escalations, api.get(ESCALATIONS, {"overdue": "true"})) == {"school", "other"}


def test_escalations_cannot_be_deleted_or_changed(api, escalations, sqa_officer):
    api.force_login(sqa_officer)
    pk = escalations["school"].pk
    assert api.delete(f"{ESCALATIONS}{pk}/").status_code == 405
    assert api.put(f"{ESCALATIONS}{pk}/", {"summary": "x"}).status_code == 405


def test_escalations_query_count_is_the_same_for_3_and_30(
    api, area, frozen, sqa_officer, django_assert_max_num_queries
):
    api.force_login(sqa_officer)
    theme = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    keys = itertools.count(1)

    def escalations_about_children(n: int) -> None:
        for _ in range(n):
            escalation = make_escalation(
                agency=area.school, key=f"audit:{next(keys)}:inadequate", themes=(theme,)
            )
            escalation.child = ChildFactory(partnership=area.partnership)
            escalation.save(update_fields=["child"])

    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=8,
        sizes=(3, 27),
        add=escalations_about_children,
        fetch=lambda: api.get(ESCALATIONS),
    )
    assert counts[0] == counts[1]
    assert responses[-1].json()["count"] == 30
