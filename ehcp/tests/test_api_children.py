"""The children API: scoping by persona × agency, writes through the services, filters, query counts."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcp.models import Child, NeedsAssessment
from ehcp.tests.factories import ChildFactory, NeedsAssessmentFactory
from ehcp.tests.scoping import CAN_CHANGE, VISIBLE, WHICH, signed_in
from qaf.tests.factories import UserFactory

LIST = "/api/v1/children/"
TODAY = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


@pytest.fixture
def kids(area, other_area) -> SimpleNamespace:
    """One child with each of area.school and area.other_school, and one of other_area."""
    return SimpleNamespace(
        school=ChildFactory(partnership=area.partnership, case_reference="SCH-001", agencies=[area.school]),
        other_school=ChildFactory(
            partnership=area.partnership, case_reference="OTH-001", agencies=[area.other_school]
        ),
        elsewhere=ChildFactory(
            partnership=other_area.partnership, case_reference="ELS-001", agencies=[other_area.school]
        ),
    )


def refs(response) -> set[str]:
    return {row["case_reference"] for row in response.json()["results"]}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_list_shows_exactly_the_children_the_persona_may_see(api, request, kids, persona):
    signed_in(api, request, persona)

    response = api.get(LIST)

    assert response.status_code == 200
    assert refs(response) == {getattr(kids, name).case_reference for name in VISIBLE[persona]}
    assert response.json()["count"] == len(VISIBLE[persona])


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_retrieve_is_404_for_children_the_persona_may_not_see(api, request, kids, persona, which):
    signed_in(api, request, persona)
    child = getattr(kids, which)

    response = api.get(detail(child.pk))

    if which in VISIBLE[persona]:
        assert response.status_code == 200
        assert response.json()["case_reference"] == child.case_reference
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_patch_is_200_for_changers_403_for_viewers_404_for_the_rest(api, request, kids, persona, which):
    signed_in(api, request, persona)
    child = getattr(kids, which)

    response = api.patch(detail(child.pk), {"initials": "ZZ"}, format="json")

    child.refresh_from_db()
    if which not in VISIBLE[persona]:
        assert response.status_code == 404
        assert child.initials == "AB"
    elif persona in CAN_CHANGE:
        assert response.status_code == 200
        assert child.initials == "ZZ"
    else:
        assert response.status_code == 403
        assert child.initials == "AB"


NEW_CHILD = {
    "case_reference": "NEW-123",
    "initials": "JD",
    "date_of_birth": "2015-02-03",
    "primary_need": "SLCN",
    "setting_type": "MS",
    "looked_after": True,
}


@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_only_sqa_officers_and_sat_staff_create_children_in_their_own_partnership(api, request, persona):
    user = signed_in(api, request, persona)

    response = api.post(LIST, NEW_CHILD, format="json")

    if persona in CAN_CHANGE:
        assert response.status_code == 201
        child = Child.objects.get(case_reference="NEW-123")
        assert child.partnership_id == user.partnership_id
        assert response.json()["id"] == child.pk
    else:
        assert response.status_code == 403
        assert not Child.objects.filter(case_reference="NEW-123").exists()


def test_unauthenticated_callers_are_refused(api, kids):
    assert api.get(LIST).status_code in (401, 403)
    assert api.get(detail(kids.school.pk)).status_code in (401, 403)
    assert api.post(LIST, NEW_CHILD, format="json").status_code in (401, 403)
    assert not Child.objects.filter(case_reference="NEW-123").exists()


def test_create_stores_every_field_and_agencies_and_returns_the_record(
    api, area, sqa_officer, sat_caseworker
):
    api.force_login(sqa_officer)

    response = api.post(
        LIST,
        {**NEW_CHILD, "agencies": [area.school.pk, area.health.pk], "caseworker": sat_caseworker.pk},
        format="json",
    )

    assert response.status_code == 201
    child = Child.objects.get(case_reference="NEW-123")
    assert (child.initials, child.date_of_birth, child.primary_need) == ("JD", dt.date(2015, 2, 3), "SLCN")
    assert child.looked_after is True and child.child_in_need is False
    assert set(child.agencies.values_list("pk", flat=True)) == {area.school.pk, area.health.pk}
    assert child.caseworker == sat_caseworker
    body = response.json()
    assert sorted(body["agencies"]) == sorted([area.school.pk, area.health.pk])
    assert body["caseworker"] == sat_caseworker.pk
    assert body["latest_assessment"] is None


def test_invalid_child_is_400_with_the_field_names(api, sqa_officer):
    api.force_login(sqa_officer)

    response = api.post(
        LIST,
        {"initials": "TOOLONG", "date_of_birth": "31/02/2015", "primary_need": "XYZ", "setting_type": "MS"},
        format="json",
    )

    assert response.status_code == 400
    assert {"case_reference", "initials", "date_of_birth", "primary_need"} <= set(response.json())
    assert Child.objects.count() == 0


def test_duplicate_case_reference_is_400_from_the_service(api, area, sqa_officer):
    ChildFactory(partnership=area.partnership, case_reference="NEW-123")
    api.force_login(sqa_officer)

    response = api.post(LIST, NEW_CHILD, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["case_reference"]
    assert Child.objects.filter(case_reference="NEW-123").count() == 1


def test_agencies_and_caseworkers_of_another_partnership_are_refused(api, other_area, sqa_officer):
    stranger = UserFactory(partnership=other_area.partnership)
    api.force_login(sqa_officer)

    response = api.post(
        LIST, {**NEW_CHILD, "agencies": [other_area.school.pk], "caseworker": stranger.pk}, format="json"
    )

    assert response.status_code == 400
    assert set(response.json()) == {"agencies", "caseworker"}
    assert not Child.objects.filter(case_reference="NEW-123").exists()


def test_patch_changes_only_the_fields_sent_and_can_replace_agencies(api, area, kids, sat_caseworker):
    api.force_login(sat_caseworker)

    response = api.patch(detail(kids.school.pk), {"primary_need": "SEMH"}, format="json")

    assert response.status_code == 200
    kids.school.refresh_from_db()
    assert kids.school.primary_need == "SEMH"
    assert list(kids.school.agencies.all()) == [area.school]

    response = api.patch(detail(kids.school.pk), {"agencies": [area.health.pk]}, format="json")

    assert response.status_code == 200
    assert response.json()["agencies"] == [area.health.pk]
    assert list(kids.school.agencies.all()) == [area.health]


def test_put_replaces_the_record_and_validates_through_the_service(api, kids, sqa_officer):
    api.force_login(sqa_officer)
    body = {
        **NEW_CHILD,
        "case_reference": "SCH-001",
        "plan_ended_on": "2025-07-01",
        "plan_end_reason": "MOVED",
    }

    response = api.put(detail(kids.school.pk), body, format="json")

    assert response.status_code == 200
    kids.school.refresh_from_db()
    assert (kids.school.initials, kids.school.plan_end_reason) == ("JD", "MOVED")

    response = api.put(detail(kids.school.pk), {**body, "case_reference": "OTH-001"}, format="json")

    assert response.status_code == 400
    kids.school.refresh_from_db()
    assert kids.school.case_reference == "SCH-001"


def test_patch_with_bad_values_is_400_and_changes_nothing(api, kids, sqa_officer):
    api.force_login(sqa_officer)

    response = api.patch(detail(kids.school.pk), {"setting_type": "NOPE", "initials": ""}, format="json")

    assert response.status_code == 400
    assert set(response.json()) == {"setting_type", "initials"}
    kids.school.refresh_from_db()
    assert kids.school.setting_type == "MS"


@time_machine.travel(TODAY, tick=False)
def test_record_shape_and_derived_fields(api, area, sqa_officer):
    child = ChildFactory(
        partnership=area.partnership,
        date_of_birth=dt.date(2016, 10, 1),  # year 4 in 2025/26
        next_review_due_on=dt.date(2025, 9, 1),
        agencies=[area.school],
    )
    NeedsAssessmentFactory(child=child, requested_on=dt.date(2024, 1, 8), decision_on=None)
    newest = NeedsAssessmentFactory(
        child=child,
        requested_on=dt.date(2025, 6, 2),
        decision_on=dt.date(2025, 8, 1),
        final_plan_issued_on=None,
    )
    api.force_login(sqa_officer)

    body = api.get(detail(child.pk)).json()

    assert set(body) == {
        "id", "case_reference", "initials", "date_of_birth", "primary_need", "setting_type", "looked_after",
        "child_in_need", "agencies", "caseworker", "key_stage", "year_group", "next_review_due_on",
        "review_overdue", "plan_ended_on", "plan_end_reason", "latest_assessment",
    }  # fmt: skip
    assert (body["year_group"], body["key_stage"]) == (4, "KS2")
    assert body["review_overdue"] is True
    assert body["agencies"] == [area.school.pk]
    latest = body["latest_assessment"]
    assert latest["id"] == newest.pk
    assert latest["final_plan_due_on"] == "2025-10-20"
    decision, final = latest["deadlines"]
    assert (decision["due_on"], decision["done_on"], decision["status"]) == (
        "2025-07-14",
        "2025-08-01",
        "late",
    )
    assert (final["done_on"], final["status"]) == (None, "due")


def test_pagination_shape(api, area, sqa_officer):
    ChildFactory.create_batch(60, partnership=area.partnership)
    api.force_login(sqa_officer)

    first = api.get(LIST).json()
    second = api.get(LIST, {"page": 2}).json()

    assert set(first) == {"count", "next", "previous", "results"}
    assert first["count"] == 60 and len(first["results"]) == 50
    assert first["previous"] is None and "page=2" in first["next"]
    assert len(second["results"]) == 10 and second["next"] is None and second["previous"] is not None
    every = [row["case_reference"] for row in first["results"] + second["results"]]
    assert every == sorted(every) and len(set(every)) == 60


# --- filters ------------------------------------------------------------------------------------


def filtered(api, **params) -> set[str]:
    response = api.get(LIST, params)
    assert response.status_code == 200
    return refs(response)


def test_filter_agency(api, area, kids, sqa_officer):
    ChildFactory(
        partnership=area.partnership, case_reference="BOTH", agencies=[area.school, area.other_school]
    )
    api.force_login(sqa_officer)

    assert filtered(api, agency=area.school.pk) == {"SCH-001", "BOTH"}
    assert filtered(api, agency=area.other_school.pk) == {"OTH-001", "BOTH"}
    assert filtered(api, agency=area.health.pk) == set()


def test_filter_agency_cannot_reach_another_partnership(api, other_area, kids, sqa_officer):
    api.force_login(sqa_officer)

    assert filtered(api, agency=other_area.school.pk) == set()


def test_filter_primary_need_setting_looked_after_child_in_need(api, area, sqa_officer):
    make = ChildFactory
    make(partnership=area.partnership, case_reference="A", primary_need="ASD", setting_type="SS")
    make(partnership=area.partnership, case_reference="B", primary_need="SEMH", looked_after=True)
    make(partnership=area.partnership, case_reference="C", primary_need="SEMH", child_in_need=True)
    api.force_login(sqa_officer)

    assert filtered(api, primary_need="SEMH") == {"B", "C"}
    assert filtered(api, setting_type="SS") == {"A"}
    assert filtered(api, looked_after="true") == {"B"}
    assert filtered(api, looked_after="false") == {"A", "C"}
    assert filtered(api, child_in_need="true") == {"C"}
    assert filtered(api, primary_need="SEMH", looked_after="false") == {"C"}


def test_unknown_choice_in_a_filter_is_400(api, sqa_officer):
    api.force_login(sqa_officer)

    response = api.get(LIST, {"primary_need": "NOPE"})

    assert response.status_code == 400
    assert "primary_need" in response.json()


@time_machine.travel(TODAY, tick=False)
def test_filter_key_stage_uses_the_academic_year_boundaries(api, area, sqa_officer):
    dobs = {
        "Y6-OLDEST": dt.date(2014, 9, 1),
        "Y3-YOUNGEST": dt.date(2018, 8, 31),
        "Y2-OLDEST": dt.date(2018, 9, 1),
        "Y7-YOUNGEST": dt.date(2014, 8, 31),
        "Y10": dt.date(2010, 12, 25),
    }
    for ref, dob in dobs.items():
        ChildFactory(partnership=area.partnership, case_reference=ref, date_of_birth=dob)
    api.force_login(sqa_officer)

    assert filtered(api, key_stage="KS2") == {"Y6-OLDEST", "Y3-YOUNGEST"}
    assert filtered(api, key_stage="KS1") == {"Y2-OLDEST"}
    assert filtered(api, key_stage="KS3") == {"Y7-YOUNGEST"}
    assert filtered(api, key_stage="KS4") == {"Y10"}
    assert api.get(LIST, {"key_stage": "KS9"}).status_code == 400


@time_machine.travel(TODAY, tick=False)
def test_filter_review_overdue(api, area, sqa_officer):
    past, future = dt.date(2025, 9, 1), dt.date(2026, 3, 1)
    make = ChildFactory
    make(partnership=area.partnership, case_reference="OVERDUE", next_review_due_on=past)
    make(partnership=area.partnership, case_reference="ENDED", next_review_due_on=past, plan_ended_on=past)
    make(partnership=area.partnership, case_reference="IN-TIME", next_review_due_on=future)
    make(partnership=area.partnership, case_reference="NO-PLAN", next_review_due_on=None)
    api.force_login(sqa_officer)

    assert filtered(api, review_overdue="true") == {"OVERDUE"}
    assert filtered(api, review_overdue="false") == {"ENDED", "IN-TIME", "NO-PLAN"}


def test_filter_search_matches_case_reference_in_any_case(api, area, sqa_officer):
    for ref in ("EHC-1001", "EHC-1002", "ABC-1001"):
        ChildFactory(partnership=area.partnership, case_reference=ref)
    api.force_login(sqa_officer)

    assert filtered(api, search="ehc-") == {"EHC-1001", "EHC-1002"}
    assert filtered(api, search="1001") == {"EHC-1001", "ABC-1001"}
    assert filtered(api, search=" abc ") == {"ABC-1001"}
    assert filtered(api, search="") == {"EHC-1001", "EHC-1002", "ABC-1001"}


def test_filters_never_widen_an_agency_managers_scope(api, kids, area, agency_manager):
    api.force_login(agency_manager)

    assert filtered(api, agency=area.other_school.pk) == set()
    assert filtered(api, search="001") == {"SCH-001"}


# --- query counts -------------------------------------------------------------------------------


def _children(area, n: int, start: int) -> None:
    """n children involved with the school and health, each with a needs assessment, in a few bulk queries."""
    children = Child.objects.bulk_create(
        ChildFactory.build(partnership=area.partnership, case_reference=f"Q{i:04d}")
        for i in range(start, start + n)
    )
    Child.agencies.through.objects.bulk_create(
        Child.agencies.through(child_id=child.pk, agency_id=agency.pk)
        for child in children
        for agency in (area.school, area.health)
    )
    NeedsAssessment.objects.bulk_create(NeedsAssessmentFactory.build(child=child) for child in children)


def _count(api, url: str, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_children_list_query_count_does_not_grow_with_rows(
    api, request, area, persona, django_assert_max_num_queries
):
    signed_in(api, request, persona)
    _children(area, 10, 0)
    with django_assert_max_num_queries(7):
        ten = api.get(LIST)
    assert ten.json()["count"] == 10

    _children(area, 990, 10)
    with django_assert_max_num_queries(7):
        many = api.get(LIST, {"review_overdue": "false", "agency": area.school.pk})

    assert many.json()["count"] == 1000 and len(many.json()["results"]) == 50
    assert _count(api, LIST) == _count(api, LIST, {"review_overdue": "false", "agency": area.school.pk})


def test_children_list_query_count_equal_for_10_and_1000_rows(api, area, sqa_officer):
    api.force_login(sqa_officer)
    _children(area, 10, 0)
    ten = _count(api, LIST)
    _children(area, 990, 10)
    thousand = _count(api, LIST)

    assert ten == thousand
