"""Personas shared by every app's tests (an SQA officer, agency managers of two agencies, a board member ...).

`area` is one partnership with an agency of each kind; `other_area` is a second partnership, to prove that
nothing crosses partnerships.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from qaf.models import Agency, AgencyKind, Partnership, Role, Team, User
from qaf.tests.factories import AgencyFactory, PartnershipFactory, TeamFactory, member

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@dataclass
class Area:
    partnership: Partnership
    sat: Agency
    sqa: Agency
    school: Agency
    other_school: Agency
    health: Agency
    social_care: Agency
    school_team: Team


def make_area(name: str) -> Area:
    partnership = PartnershipFactory(name=name)

    def agency(label: str, kind: str) -> Agency:
        return AgencyFactory(partnership=partnership, name=f"{label} ({name})", kind=kind)

    school = agency("Oakfield School", AgencyKind.EDUCATION)
    return Area(
        partnership=partnership,
        sat=agency("SEND Statutory Assessment Team", AgencyKind.SAT),
        sqa=agency("Safeguarding and Quality Assurance", AgencyKind.SQA),
        school=school,
        other_school=agency("Elm Park Academy", AgencyKind.EDUCATION),
        health=agency("Community Health NHS Trust", AgencyKind.HEALTH),
        social_care=agency("Children's Social Care", AgencyKind.SOCIAL_CARE),
        school_team=TeamFactory(agency=school, name="Inclusion team"),
    )


@pytest.fixture
def area(db) -> Area:
    return make_area("Test Local Area")


@pytest.fixture
def other_area(db) -> Area:
    return make_area("Elsewhere Local Area")


@pytest.fixture
def sqa_officer(area) -> User:
    return member(area.sqa, Role.SQA_OFFICER, username="sqa")


@pytest.fixture
def sat_caseworker(area) -> User:
    return member(area.sat, Role.PRACTITIONER, username="sat.caseworker")


@pytest.fixture
def agency_manager(area) -> User:
    """Manager of `area.school`."""
    return member(area.school, Role.AGENCY_MANAGER, username="edu.manager")


@pytest.fixture
def other_agency_manager(area) -> User:
    """Manager of `area.other_school`, an agency of the same partnership."""
    return member(area.other_school, Role.AGENCY_MANAGER, username="other.manager")


@pytest.fixture
def practitioner(area) -> User:
    """An auditor/practitioner in `area.school`, in its inclusion team."""
    return member(area.school, Role.PRACTITIONER, username="auditor", team=area.school_team)


@pytest.fixture
def team_manager(area) -> User:
    """Team manager of `area.school_team` (the practitioner's team)."""
    return member(area.school, Role.TEAM_MANAGER, username="team.manager", team=area.school_team)


@pytest.fixture
def head_of_service(area) -> User:
    """Head of service of `area.school`."""
    return member(area.school, Role.HEAD_OF_SERVICE, username="hos.school")


@pytest.fixture
def board_member(area) -> User:
    return member(area.sqa, Role.BOARD_MEMBER, username="board")


@pytest.fixture
def partnership_admin(area) -> User:
    user = member(area.sqa, Role.PARTNERSHIP_ADMIN, username="admin")
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def outsider_sqa(other_area) -> User:
    """An SQA officer of another partnership."""
    return member(other_area.sqa, Role.SQA_OFFICER, username="elsewhere.sqa")


@pytest.fixture
def api() -> APIClient:
    """A client of the /api/v1/ resources, signed in by the test (`force_login`) or not at all."""
    return APIClient()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright drives Debian's Chromium; it never downloads a browser."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(autouse=True)
def _empty_cache():
    """Throttle counts live in the cache; each test starts without any."""
    from django.core.cache import cache

    cache.clear()
    yield
