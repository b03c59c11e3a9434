"""The agencies API: the caller's partnership only, read-only, filters, query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from qaf.models import Agency, AgencyKind
from qaf.tests.factories import AgencyFactory, UserFactory

LIST = "/api/v1/agencies/"
PERSONAS = [
    "sqa_officer",
    "sat_caseworker",
    "agency_manager",
    "other_agency_manager",
    "practitioner",
    "board_member",
    "partnership_admin",
]


def names(response) -> set[str]:
    return {row["name"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_member_lists_their_own_partnerships_agencies_and_no_others(
    api, request, area, other_area, persona
):
    api.force_login(request.getfixturevalue(persona))

    response = api.get(LIST)

    assert response.status_code == 200
    assert names(response) == set(
        Agency.objects.filter(partnership=area.partnership).values_list("name", flat=True)
    )
    assert response.json()["count"] == 6


def test_outsider_lists_only_their_own_partnership(api, area, other_area, outsider_sqa):
    api.force_login(outsider_sqa)

    response = api.get(LIST)

    assert {row["id"] for row in response.json()["results"]} == set(
        Agency.objects.filter(partnership=other_area.partnership).values_list("pk", flat=True)
    )


def test_user_without_a_partnership_sees_none(api, area):
    api.force_login(UserFactory(partnership=None))

    response = api.get(LIST)

    assert response.status_code == 200
    assert response.json()["count"] == 0
    assert api.get(f"{LIST}{area.school.pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["agency_manager", "outsider_sqa"])
def test_retrieve_is_404_across_partnerships(api, request, area, other_area, persona):
    user = request.getfixturevalue(persona)
    api.force_login(user)
    own, foreign = (area, other_area) if persona == "agency_manager" else (other_area, area)

    assert api.get(f"{LIST}{foreign.school.pk}/").status_code == 404
    response = api.get(f"{LIST}{own.school.pk}/")
    assert response.status_code == 200
    assert response.json() == {
        "id": own.school.pk,
        "name": own.school.name,
        "kind": "education",
        "council": "",
        "is_active": True,
    }


def test_agencies_are_read_only(api, area, partnership_admin):
    api.force_login(partnership_admin)

    assert api.post(LIST, {"name": "New", "kind": "health"}, format="json").status_code == 405
    assert api.patch(f"{LIST}{area.school.pk}/", {"name": "Renamed"}, format="json").status_code == 405
    assert api.delete(f"{LIST}{area.school.pk}/").status_code == 405
    area.school.refresh_from_db()
    assert area.school.name.startswith("Oakfield School")


def test_filters_kind_and_is_active(api, area, sqa_officer):
    closed = AgencyFactory(
        partnership=area.partnership, name="Closed clinic", kind=AgencyKind.HEALTH, is_active=False
    )
    api.force_login(sqa_officer)

    assert names(api.get(LIST, {"kind": "education"})) == {area.school.name, area.other_school.name}
    assert names(api.get(LIST, {"kind": "health"})) == {area.health.name, closed.name}
    assert names(api.get(LIST, {"is_active": "false"})) == {closed.name}
    assert names(api.get(LIST, {"kind": "health", "is_active": "true"})) == {area.health.name}
    assert api.get(LIST, {"kind": "spaceship"}).status_code == 400


def test_unauthenticated_is_refused(api, area):
    assert api.get(LIST).status_code in (401, 403)
    assert api.get(f"{LIST}{area.school.pk}/").status_code in (401, 403)


def test_pagination_shape_and_order(api, area, sqa_officer):
    for i in range(55):
        AgencyFactory(partnership=area.partnership, name=f"School {i:02d}")
    api.force_login(sqa_officer)

    first = api.get(LIST).json()
    second = api.get(LIST, {"page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), len(second["results"])) == (61, 50, 11)
    assert first["previous"] is None and first["next"] and second["next"] is None
    every = [row["name"] for row in first["results"] + second["results"]]
    assert every == sorted(every)


def _count(api) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert api.get(LIST).status_code == 200
    return len(queries)


def test_list_query_count_does_not_grow_with_rows(api, area, agency_manager, django_assert_max_num_queries):
    AgencyFactory.create_batch(4, partnership=area.partnership)  # 10 with the area's own
    api.force_login(agency_manager)
    with django_assert_max_num_queries(5):
        api.get(LIST)
    ten = _count(api)

    AgencyFactory.create_batch(190, partnership=area.partnership)
    with django_assert_max_num_queries(5):
        assert api.get(LIST).json()["count"] == 200
    two_hundred = _count(api)

    assert ten == two_hundred
