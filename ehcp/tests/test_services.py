"""Business rules of ehcp.services, tested directly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ehcp import services
from ehcp.models import Plan
from ehcp.tests.factories import ChildFactory


def test_next_review_due_prefers_a_scheduled_review():
    due = services.next_review_due_for(
        date_of_birth=dt.date(2012, 1, 1),
        plan_ended_on=None,
        last_final_plan_on=dt.date(2024, 1, 1),
        last_review_meeting_on=None,
        open_review_due_on=dt.date(2024, 12, 1),
    )
    assert due == dt.date(2024, 12, 1)


def test_next_review_due_from_the_later_of_plan_and_review():
    due = services.next_review_due_for(
        date_of_birth=dt.date(2012, 1, 1),
        plan_ended_on=None,
        last_final_plan_on=dt.date(2024, 1, 1),
        last_review_meeting_on=dt.date(2024, 11, 15),
        open_review_due_on=None,
    )
    assert due == dt.date(2025, 11, 15)


def test_no_review_due_once_the_plan_has_ceased_or_before_a_plan():
    base = {"date_of_birth": dt.date(2012, 1, 1), "last_review_meeting_on": None, "open_review_due_on": None}
    assert (
        services.next_review_due_for(
            plan_ended_on=dt.date(2024, 5, 1), last_final_plan_on=dt.date(2024, 1, 1), **base
        )
        is None
    )
    assert services.next_review_due_for(plan_ended_on=None, last_final_plan_on=None, **base) is None


def test_plan_versions_count_up_per_kind(area):
    child = ChildFactory(partnership=area.partnership)
    services.plan_create(child=child, kind="draft", issued_on=dt.date(2025, 4, 1))
    services.plan_create(child=child, kind="final", issued_on=dt.date(2025, 5, 1))
    services.plan_create(child=child, kind="final", issued_on=dt.date(2026, 5, 1))
    assert sorted(Plan.objects.filter(child=child).values_list("kind", "version")) == [
        ("draft", 1),
        ("final", 1),
        ("final", 2),
    ]


def test_amended_plan_needs_a_decision_to_amend(area):
    child = ChildFactory(partnership=area.partnership)
    services.plan_create(child=child, kind="final", issued_on=dt.date(2024, 5, 1))
    with pytest.raises(ValidationError) as excinfo:
        services.review_save(
            child=child,
            meeting_on=dt.date(2025, 4, 1),
            decision="maintain",
            decision_on=dt.date(2025, 4, 10),
            amended_plan_issued_on=dt.date(2025, 5, 1),
        )
    assert "amended_plan_issued_on" in excinfo.value.message_dict
    assert not child.reviews.exists()


def test_amended_plan_is_recorded_once(area):
    child = ChildFactory(partnership=area.partnership)
    services.plan_create(child=child, kind="final", issued_on=dt.date(2024, 5, 1))
    review = services.review_save(
        child=child,
        meeting_on=dt.date(2025, 4, 1),
        decision="amend",
        decision_on=dt.date(2025, 4, 10),
        amended_plan_issued_on=dt.date(2025, 5, 30),
    )
    services.review_save(child=child, review=review, amended_plan_issued_on=dt.date(2025, 5, 30))
    assert child.plans.filter(review=review).count() == 1
    child.refresh_from_db()
    assert child.next_review_due_on == dt.date(2026, 5, 30)


def test_final_plan_cannot_follow_a_decision_not_to_assess(area):
    child = ChildFactory(partnership=area.partnership)
    with pytest.raises(ValidationError):
        services.assessment_save(
            child=child,
            requested_on=dt.date(2025, 1, 6),
            decision_on=dt.date(2025, 2, 1),
            will_assess=False,
            final_plan_issued_on=dt.date(2025, 5, 1),
        )
    assert not child.assessments.exists()


def test_caseworker_must_belong_to_the_partnership(area, outsider_sqa):
    with pytest.raises(ValidationError) as excinfo:
        services.child_create(
            partnership=area.partnership,
            case_reference="X-1",
            initials="AB",
            date_of_birth=dt.date(2014, 1, 1),
            primary_need="ASD",
            setting_type="MS",
            caseworker=outsider_sqa,
        )
    assert "caseworker" in excinfo.value.message_dict


def test_a_recorded_plan_belongs_to_the_latest_assessment_before_it(area):
    child = ChildFactory(partnership=area.partnership)
    old = services.assessment_save(child=child, requested_on=dt.date(2020, 1, 6))
    services.assessment_save(child=child, requested_on=dt.date(2025, 1, 6))
    plan = services.plan_record(child=child, kind="draft", issued_on=dt.date(2021, 3, 1))
    assert plan.assessment == old
    assert services.plan_record(child=child, kind="draft", issued_on=dt.date(2019, 3, 1)).assessment is None
