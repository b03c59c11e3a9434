"""The plans, reviews and assessments APIs: scoping, writes through the services, deadlines, query counts."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcp.models import AnnualReview, NeedsAssessment, Plan
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, NeedsAssessmentFactory, PlanFactory
from ehcp.tests.scoping import CAN_CHANGE, VISIBLE, WHICH, signed_in

PLANS = "/api/v1/plans/"
REVIEWS = "/api/v1/reviews/"
ASSESSMENTS = "/api/v1/assessments/"
TODAY = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def kids(area, other_area) -> SimpleNamespace:
    """A child with each of area.school, area.other_school and other_area.school, each with an assessment,
    a final plan and an annual review."""
    made = {}
    for name, partnership, agency in [
        ("school", area.partnership, area.school),
        ("other_school", area.partnership, area.other_school),
        ("elsewhere", other_area.partnership, other_area.school),
    ]:
        child = ChildFactory(partnership=partnership, case_reference=name.upper(), agencies=[agency])
        NeedsAssessmentFactory(child=child)
        PlanFactory(child=child, version=1)
        AnnualReviewFactory(child=child)
        made[name] = child
    return SimpleNamespace(**made)


def child_ids(response) -> set[int]:
    return {row["child"] for row in response.json()["results"]}


# --- scoping --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PLANS, REVIEWS, ASSESSMENTS])
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_lists_show_only_rows_of_children_the_persona_may_see(api, request, kids, persona, url):
    signed_in(api, request, persona)

    response = api.get(url)

    assert response.status_code == 200
    assert child_ids(response) == {getattr(kids, name).pk for name in VISIBLE[persona]}


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_retrieve_is_404_for_rows_of_children_the_persona_may_not_see(api, request, kids, persona, which):
    signed_in(api, request, persona)
    child = getattr(kids, which)

    for url, row in [
        (PLANS, child.plans.get()),
        (REVIEWS, child.reviews.get()),
        (ASSESSMENTS, child.assessments.get()),
    ]:
        response = api.get(f"{url}{row.pk}/")
        assert response.status_code == (200 if which in VISIBLE[persona] else 404), url


def test_unauthenticated_callers_are_refused(api, kids):
    for url in (PLANS, REVIEWS, ASSESSMENTS):
        assert api.get(url).status_code in (401, 403)
    assert api.post(
        PLANS, {"child": kids.school.pk, "kind": "draft", "issued_on": "2025-09-01"}
    ).status_code in (
        401,
        403,
    )


# --- plans ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_plan_create_is_201_for_changers_403_for_viewers_404_for_the_rest(api, request, kids, persona, which):
    signed_in(api, request, persona)
    child = getattr(kids, which)

    response = api.post(PLANS, {"child": child.pk, "kind": "final", "issued_on": "2025-09-01"}, format="json")

    if which not in VISIBLE[persona]:
        expected = 404
    elif persona in CAN_CHANGE:
        expected = 201
    else:
        expected = 403
    assert response.status_code == expected
    assert child.plans.count() == (2 if expected == 201 else 1)


def test_plan_create_numbers_versions_and_links_the_childs_own_assessment(api, kids, sat_caseworker):
    api.force_login(sat_caseworker)
    assessment = kids.school.assessments.get()

    response = api.post(
        PLANS,
        {"child": kids.school.pk, "kind": "final", "issued_on": "2025-09-01", "assessment": assessment.pk},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    plan = Plan.objects.get(pk=body["id"])
    assert (plan.version, plan.assessment, plan.kind) == (2, assessment, "final")
    assert body["version"] == 2 and body["child_case_reference"] == "SCHOOL"


def test_plan_create_refuses_another_childs_assessment_and_bad_values(api, kids, sqa_officer):
    api.force_login(sqa_officer)
    not_theirs = kids.other_school.assessments.get()

    response = api.post(
        PLANS,
        {"child": kids.school.pk, "kind": "final", "issued_on": "2025-09-01", "assessment": not_theirs.pk},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["assessment"]

    response = api.post(
        PLANS, {"child": kids.school.pk, "kind": "interim", "issued_on": "soon"}, format="json"
    )
    assert response.status_code == 400
    assert set(response.json()) == {"kind", "issued_on"}

    response = api.post(PLANS, {"kind": "draft", "issued_on": "2025-09-01"}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["child"]
    assert kids.school.plans.count() == 1


def test_plans_are_read_and_create_only(api, kids, sqa_officer):
    api.force_login(sqa_officer)
    plan = kids.school.plans.get()

    assert api.patch(f"{PLANS}{plan.pk}/", {"kind": "draft"}, format="json").status_code == 405
    assert api.delete(f"{PLANS}{plan.pk}/").status_code == 405


def test_plan_filters_child_and_kind(api, kids, sqa_officer):
    PlanFactory(child=kids.school, kind="draft", version=1)
    api.force_login(sqa_officer)

    by_child = api.get(PLANS, {"child": kids.school.pk}).json()["results"]
    drafts = api.get(PLANS, {"kind": "draft"}).json()["results"]
    school_finals = api.get(PLANS, {"child": kids.school.pk, "kind": "final"}).json()["results"]

    assert {row["child"] for row in by_child} == {kids.school.pk} and len(by_child) == 2
    assert [(row["child"], row["kind"]) for row in drafts] == [(kids.school.pk, "draft")]
    assert [row["id"] for row in school_finals] == [kids.school.plans.get(kind="final").pk]
    assert api.get(PLANS, {"child": kids.elsewhere.pk}).json()["count"] == 0


# --- reviews ----------------------------------------------------------------------------------------


@time_machine.travel(TODAY, tick=False)
def test_review_carries_its_statutory_deadlines(api, area, sqa_officer):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school])
    review = AnnualReviewFactory(
        child=child,
        due_on=dt.date(2025, 6, 1),
        meeting_on=dt.date(2025, 6, 20),
        decision_on=dt.date(2025, 7, 4),
        decision="amend",
    )
    api.force_login(sqa_officer)

    body = api.get(f"{REVIEWS}{review.pk}/").json()

    steps = [(d["label"], d["due_on"], d["done_on"], d["status"]) for d in body["deadlines"]]
    assert steps == [
        ("Review meeting held", "2025-06-01", "2025-06-20", "late"),
        ("Decision after the review (4 weeks)", "2025-07-18", "2025-07-04", "met"),
        ("Amended plan issued (8 weeks)", "2025-08-29", None, "overdue"),
    ]
    assert body["deadlines"][2]["working_days_late"] > 0
    assert body["is_overdue"] is False


@time_machine.travel(TODAY, tick=False)
def test_review_filters_overdue_and_child(api, area, sqa_officer):
    child = ChildFactory(partnership=area.partnership)
    overdue = AnnualReviewFactory(child=child, due_on=dt.date(2025, 9, 1))
    held = AnnualReviewFactory(child=child, due_on=dt.date(2025, 9, 1), meeting_on=dt.date(2025, 9, 2))
    upcoming = AnnualReviewFactory(child=child, due_on=dt.date(2026, 1, 1))
    other = AnnualReviewFactory(child=ChildFactory(partnership=area.partnership), due_on=dt.date(2025, 1, 1))
    api.force_login(sqa_officer)

    def ids(**params) -> set[int]:
        return {row["id"] for row in api.get(REVIEWS, params).json()["results"]}

    assert ids(overdue="true") == {overdue.pk, other.pk}
    assert ids(overdue="false") == {held.pk, upcoming.pk}
    assert ids(child=child.pk) == {overdue.pk, held.pk, upcoming.pk}
    assert ids(child=child.pk, overdue="true") == {overdue.pk}


@time_machine.travel(TODAY, tick=False)
def test_review_create_defaults_the_due_date_from_the_child(api, area, sqa_officer):
    child = ChildFactory(partnership=area.partnership, next_review_due_on=dt.date(2026, 2, 2))
    plan = PlanFactory(child=child, kind="final", issued_on=dt.date(2025, 2, 2))
    api.force_login(sqa_officer)

    response = api.post(REVIEWS, {"child": child.pk}, format="json")

    assert response.status_code == 201
    review = AnnualReview.objects.get(pk=response.json()["id"])
    assert (review.due_on, review.plan) == (dt.date(2026, 2, 2), plan)
    assert response.json()["plan"] == plan.pk


def test_review_create_without_a_due_date_to_default_to_is_400_on_due_on(api, area, sqa_officer):
    child = ChildFactory(partnership=area.partnership, next_review_due_on=None)
    api.force_login(sqa_officer)

    response = api.post(REVIEWS, {"child": child.pk}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["due_on"]
    assert not child.reviews.exists()


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_review_patch_is_200_for_changers_403_for_viewers_404_for_the_rest(
    api, request, kids, persona, which
):
    signed_in(api, request, persona)
    review = getattr(kids, which).reviews.get()

    response = api.patch(f"{REVIEWS}{review.pk}/", {"meeting_on": "2026-05-01"}, format="json")

    review.refresh_from_db()
    if which not in VISIBLE[persona]:
        assert response.status_code == 404
    elif persona in CAN_CHANGE:
        assert response.status_code == 200
        assert review.meeting_on == dt.date(2026, 5, 1)
    else:
        assert response.status_code == 403
    if response.status_code != 200:
        assert review.meeting_on is None


@pytest.mark.parametrize("which", WHICH)
@pytest.mark.parametrize("persona", sorted(VISIBLE))
def test_review_create_is_201_for_changers_403_for_viewers_404_for_the_rest(
    api, request, kids, persona, which
):
    signed_in(api, request, persona)
    child = getattr(kids, which)

    response = api.post(REVIEWS, {"child": child.pk, "due_on": "2027-05-19"}, format="json")

    if which not in VISIBLE[persona]:
        assert response.status_code == 404
    elif persona in CAN_CHANGE:
        assert response.status_code == 201
    else:
        assert response.status_code == 403
    assert child.reviews.count() == (2 if response.status_code == 201 else 1)


def test_review_patch_records_an_amended_plan_and_checks_date_order(api, kids, sat_caseworker):
    api.force_login(sat_caseworker)
    review = kids.school.reviews.get()
    url = f"{REVIEWS}{review.pk}/"

    bad = api.patch(url, {"meeting_on": "2026-05-10", "decision_on": "2026-05-01"}, format="json")
    assert bad.status_code == 400
    assert list(bad.json()) == ["decision_on"]

    good = api.patch(
        url,
        {
            "meeting_on": "2026-05-10",
            "decision_on": "2026-05-20",
            "decision": "amend",
            "amended_plan_issued_on": "2026-07-01",
        },
        format="json",
    )

    assert good.status_code == 200
    amended = kids.school.plans.get(review=review)
    assert (amended.kind, amended.issued_on) == ("final", dt.date(2026, 7, 1))
    assert good.json()["child"] == kids.school.pk


def test_review_cannot_move_to_another_child_or_take_another_childs_plan(api, kids, sqa_officer):
    api.force_login(sqa_officer)
    review = kids.school.reviews.get()

    moved = api.patch(f"{REVIEWS}{review.pk}/", {"child": kids.other_school.pk}, format="json")
    review.refresh_from_db()
    assert moved.status_code == 200 and review.child == kids.school

    foreign_plan = api.patch(
        f"{REVIEWS}{review.pk}/", {"plan": kids.other_school.plans.get().pk}, format="json"
    )
    assert foreign_plan.status_code == 400
    assert list(foreign_plan.json()) == ["plan"]


# --- assessments ------------------------------------------------------------------------------------


def test_assessment_create_with_a_final_plan_date_records_the_final_plan(api, kids, sqa_officer):
    api.force_login(sqa_officer)

    response = api.post(
        ASSESSMENTS,
        {
            "child": kids.school.pk,
            "requested_on": "2025-01-06",
            "decision_on": "2025-02-10",
            "will_assess": True,
            "final_plan_issued_on": "2025-05-19",
        },
        format="json",
    )

    assert response.status_code == 201
    assessment = NeedsAssessment.objects.get(pk=response.json()["id"])
    assert kids.school.plans.filter(assessment=assessment, kind="final").count() == 1
    assert response.json()["weeks_to_final_plan"] == 19.0
    assert [d["status"] for d in response.json()["deadlines"]] == ["met", "met"]


def test_assessment_dates_out_of_order_are_400(api, kids, sqa_officer):
    api.force_login(sqa_officer)

    response = api.post(
        ASSESSMENTS,
        {"child": kids.school.pk, "requested_on": "2025-03-01", "decision_on": "2025-02-01"},
        format="json",
    )

    assert response.status_code == 400
    assert list(response.json()) == ["decision_on"]


def test_assessment_write_permissions(api, kids, agency_manager, sqa_officer):
    school_assessment = kids.school.assessments.get()
    other_assessment = kids.other_school.assessments.get()
    api.force_login(agency_manager)

    assert api.patch(f"{ASSESSMENTS}{school_assessment.pk}/", {"will_assess": False}).status_code == 403
    assert api.patch(f"{ASSESSMENTS}{other_assessment.pk}/", {"will_assess": False}).status_code == 404
    assert api.post(ASSESSMENTS, {"child": kids.school.pk, "requested_on": "2025-09-01"}).status_code == 403

    api.force_login(sqa_officer)
    response = api.patch(f"{ASSESSMENTS}{school_assessment.pk}/", {"will_assess": False}, format="json")
    assert response.status_code == 200
    school_assessment.refresh_from_db()
    assert school_assessment.will_assess is False


def test_assessment_filter_child(api, kids, sqa_officer):
    api.force_login(sqa_officer)

    rows = api.get(ASSESSMENTS, {"child": kids.other_school.pk}).json()["results"]

    assert [row["id"] for row in rows] == [kids.other_school.assessments.get().pk]


# --- query counts -----------------------------------------------------------------------------------


def _rows(area, n: int, start: int) -> None:
    for i in range(start, start + n):
        child = ChildFactory(partnership=area.partnership, case_reference=f"Q{i:04d}", agencies=[area.school])
        NeedsAssessmentFactory(child=child)
        PlanFactory(child=child)
        AnnualReviewFactory(child=child, meeting_on=dt.date(2026, 5, 1), decision_on=dt.date(2026, 5, 2),
                            decision="amend")  # fmt: skip


def _count(api, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = api.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
@pytest.mark.parametrize("url", [PLANS, REVIEWS, ASSESSMENTS])
def test_list_query_counts_do_not_grow_with_rows(
    api, request, area, persona, url, django_assert_max_num_queries
):
    signed_in(api, request, persona)
    _rows(area, 10, 0)
    with django_assert_max_num_queries(5):
        assert api.get(url).json()["count"] == 10
    ten = _count(api, url)

    _rows(area, 190, 10)
    with django_assert_max_num_queries(5):
        response = api.get(url)
    two_hundred = _count(api, url)

    assert response.json()["count"] == 200 and len(response.json()["results"]) == 50
    assert ten == two_hundred
