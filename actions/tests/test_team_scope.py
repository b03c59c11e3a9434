"""Team scope: a user has a team's actions only as the team manager of that team. A practitioner in team A who
manages team B sees, verifies, lists and is sent the digest of team B's actions, never team A's (unless one is
theirs to do, they raised it or they are recorded on it as its team manager)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from actions import access
from actions.models import ActionStatus
from actions.selectors import tracker as selectors
from actions.services import reminders
from actions.tests.factories import make_action
from qaf import access as qaf_access
from qaf.models import Membership, Role
from qaf.tests.factories import TeamFactory, member

MONDAY = dt.datetime(2026, 3, 9, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(MONDAY, tick=False):
        yield


@pytest.fixture
def teams(area):
    """Team A is the school's inclusion team; team B another team of the school."""
    return {"A": area.school_team, "B": TeamFactory(agency=area.school, name="Early years team")}


@pytest.fixture
def manager_of_b(area, teams):
    """A practitioner in team A who is also the team manager of team B."""
    user = member(area.school, Role.PRACTITIONER, username="a.worker.b.manager", team=teams["A"])
    Membership.objects.create(user=user, agency=area.school, role=Role.TEAM_MANAGER, team=teams["B"])
    return user


@pytest.fixture
def team_actions(frozen, area, teams, practitioner):
    colleague = member(area.school, Role.PRACTITIONER, username="b.worker", team=teams["B"])
    due = MONDAY.date() + dt.timedelta(days=2)
    return {
        "A": make_action(
            agency=area.school,
            worker=practitioner,
            team=teams["A"],
            due_on=due,
            status=ActionStatus.COMPLETED,
        ),
        "B": make_action(
            agency=area.school, worker=colleague, team=teams["B"], due_on=due, status=ActionStatus.COMPLETED
        ),
    }


def test_managed_teams_are_those_of_team_manager_memberships_only(manager_of_b, teams):
    assert qaf_access.managed_team_ids(manager_of_b) == frozenset({teams["B"].pk})


def test_a_practitioner_who_manages_another_team_sees_only_that_teams_actions(manager_of_b, team_actions):
    visible = set(access.actions.visible(manager_of_b))
    assert team_actions["B"] in visible
    assert team_actions["A"] not in visible


def test_a_practitioner_who_manages_another_team_verifies_only_that_teams_actions(manager_of_b, team_actions):
    assert access.actions.can(manager_of_b, "verify", team_actions["B"])
    assert not access.actions.can(manager_of_b, "verify", team_actions["A"])


def test_my_teams_actions_are_the_managed_teams_only(client, manager_of_b, team_actions):
    assert list(selectors.actions_in_scope(manager_of_b, "team")) == [team_actions["B"]]
    client.force_login(manager_of_b)
    page = client.get(reverse("actions:team-actions"))
    assert list(page.context["page"].object_list) == [team_actions["B"]]


def test_the_digest_lists_the_managed_teams_actions_only(manager_of_b, team_actions):
    for action in team_actions.values():
        action.status = ActionStatus.OPEN
        action.save(update_fields=["status"])
    assert reminders.team_manager_weekly_digest() == 1
    (digest,) = mail.outbox
    assert digest.to == [manager_of_b.email]
    assert "1 open" in digest.subject
