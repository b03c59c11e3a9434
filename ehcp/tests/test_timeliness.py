"""Statutory timescales: working days with bank holidays, year groups and key stages, deadline status."""

from __future__ import annotations

import datetime as dt

import pytest

from ehcp import timeliness
from ehcp.models import AnnualReview, NeedsAssessment


def test_working_days_skip_weekends_and_christmas_bank_holidays():
    # Fri 19 Dec 2025 -> Fri 2 Jan 2026: 25, 26 Dec and 1 Jan are bank holidays.
    assert timeliness.working_days_between(dt.date(2025, 12, 19), dt.date(2026, 1, 2)) == 7
    assert timeliness.add_working_days(dt.date(2025, 12, 24), 1) == dt.date(2025, 12, 29)


def test_working_days_skip_easter_and_may_bank_holidays():
    # Good Friday 3 April and Easter Monday 6 April 2026.
    assert timeliness.add_working_days(dt.date(2026, 4, 2), 1) == dt.date(2026, 4, 7)
    # Early May bank holiday, Monday 4 May 2026.
    assert timeliness.working_days_between(dt.date(2026, 5, 1), dt.date(2026, 5, 8)) == 4


def test_working_days_are_symmetric_and_consistent_with_adding():
    start = dt.date(2025, 11, 3)
    for days in (1, 5, 20, 63, 140):
        end = timeliness.add_working_days(start, days)
        assert timeliness.working_days_between(start, end) == days
        assert timeliness.working_days_between(end, start) == -days


def test_scottish_bank_holidays_are_not_counted():
    # 2 January is a bank holiday in Scotland only; England and Wales work.
    assert timeliness.is_working_day(dt.date(2026, 1, 2))
    # St Andrew's Day (Scotland) observed Monday 30 Nov 2026 is a working day here.
    assert timeliness.is_working_day(dt.date(2026, 11, 30))


@pytest.mark.parametrize(
    ("birth", "on", "year"),
    [
        (dt.date(2015, 9, 1), dt.date(2026, 11, 22), 6),  # oldest in the year
        (dt.date(2016, 8, 31), dt.date(2026, 11, 22), 6),  # youngest in the same year
        (dt.date(2016, 9, 1), dt.date(2026, 11, 22), 5),
        (dt.date(2021, 12, 1), dt.date(2026, 11, 22), 0),  # reception
        (dt.date(2015, 9, 1), dt.date(2026, 8, 31), 5),  # before the academic year turns
    ],
)
def test_year_group(birth, on, year):
    assert timeliness.year_group(birth, on) == year


def test_key_stage_birth_range_contains_exactly_that_key_stage():
    on = dt.date(2026, 11, 22)
    for stage, _label in timeliness.KEY_STAGES:
        earliest, latest = timeliness.birth_date_range_for_key_stage(stage, on)
        assert timeliness.key_stage(timeliness.year_group(earliest, on)) == stage
        assert timeliness.key_stage(timeliness.year_group(latest, on)) == stage
        # The youngest (EY) and oldest (POST19) key stages are open-ended on their outer side.
        if stage != "POST19":
            assert timeliness.key_stage(timeliness.year_group(earliest - dt.timedelta(days=1), on)) != stage
        if stage != "EY":
            assert timeliness.key_stage(timeliness.year_group(latest + dt.timedelta(days=1), on)) != stage


def test_next_review_is_twelve_months_or_six_for_under_fives():
    assert timeliness.next_review_due(dt.date(2025, 3, 10), dt.date(2012, 1, 1)) == dt.date(2026, 3, 10)
    assert timeliness.next_review_due(dt.date(2025, 3, 10), dt.date(2022, 1, 1)) == dt.date(2025, 9, 10)


def test_assessment_deadlines():
    today = dt.date(2026, 1, 1)
    assessment = NeedsAssessment(
        requested_on=dt.date(2025, 1, 6),
        decision_on=dt.date(2025, 2, 24),
        will_assess=True,
        final_plan_issued_on=dt.date(2025, 5, 26),
    )
    decision, final = timeliness.assessment_deadlines(assessment, today)
    assert decision.due_on == dt.date(2025, 2, 17)
    assert decision.status == "late"
    assert decision.weeks_taken == 7.0
    assert decision.working_days_late == 5
    assert final.due_on == dt.date(2025, 5, 26)
    assert final.status == "met"
    assert final.working_days_late == 0


def test_no_final_plan_deadline_after_a_decision_not_to_assess():
    assessment = NeedsAssessment(
        requested_on=dt.date(2025, 1, 6), decision_on=dt.date(2025, 2, 1), will_assess=False
    )
    deadlines = timeliness.assessment_deadlines(assessment, dt.date(2026, 1, 1))
    assert [d.label for d in deadlines] == ["Decision whether to assess (6 weeks)"]


def test_review_deadlines_follow_meeting_and_decision():
    today = dt.date(2026, 1, 1)
    review = AnnualReview(due_on=dt.date(2025, 6, 1))
    (meeting,) = timeliness.review_deadlines(review, today)
    assert meeting.status == "overdue"
    review.meeting_on = dt.date(2025, 5, 20)
    review.decision_on = dt.date(2025, 6, 30)
    review.decision = "amend"
    meeting, decision, amended = timeliness.review_deadlines(review, today)
    assert meeting.status == "met"
    assert decision.due_on == dt.date(2025, 6, 17)
    assert decision.status == "late"
    assert amended.due_on == dt.date(2025, 8, 25)
    assert amended.status == "overdue"
