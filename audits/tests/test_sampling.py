"""Sampling: the Level 3 rule, reproducibility from the seed, stratified allocation, swaps, Level 1/2 quotas.

The clock is frozen on 1 October 2025 (half term 1 of 2025/26): the previous academic year is 2024/25 and
"the last 12 months" starts on 1 October 2024.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from audits.models import Audit, AuditPlan, Sample
from audits.services import sampling, scheduling
from audits.tests import test_plans_support as support
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, NeedsAssessmentFactory, PlanFactory
from qaf.models import Membership, Role, Team
from qaf.tests.factories import member

pytestmark = support.FROZEN


@pytest.fixture
def years(area):
    return support.years(area.partnership)


@pytest.fixture
def half(years):
    return support.half_term(years[2025], 1)


def case(
    partnership,
    reference: str,
    *,
    issued: dt.date = dt.date(2024, 11, 1),
    meeting: dt.date | None = dt.date(2025, 9, 15),
    kind: str = "final",
    amended: bool = True,
    **child,
):
    """A child with a plan issued on `issued` and, unless meeting is None, an annual review held on `meeting`
    followed (unless `amended` is false) by a final plan issued two weeks after it."""
    kid = ChildFactory(partnership=partnership, case_reference=reference, **child)
    PlanFactory(child=kid, kind=kind, issued_on=issued)
    AnnualReviewFactory(child=kid, due_on=meeting or dt.date(2025, 9, 1), meeting_on=meeting)
    if meeting is not None and amended:
        PlanFactory(child=kid, kind="final", issued_on=meeting + dt.timedelta(days=14))
    return kid


def audit_of(kid, agency, *, created: dt.date, due: dt.date):
    audit = AuditFactory(agency=agency, child=kid, due_on=due)
    Audit.objects.filter(pk=audit.pk).update(
        created_at=timezone.make_aware(dt.datetime.combine(created, dt.time(9)))
    )


def drawn(sample: Sample) -> list[str]:
    return [i.child.case_reference for i in sample.items.filter(swapped_out=False).order_by("position", "pk")]


def propose(area, half, **kwargs) -> Sample:
    return sampling.level3_sample_propose(partnership=area.partnership, half_term=half, **kwargs)


# --- the Level 3 rule ------------------------------------------------------------------------------------


def test_level3_rule_keeps_only_recent_reviewed_plans_of_children_not_audited_lately(area, other_area, half):
    p = area.partnership
    case(p, "OK-REVIEWED")
    case(p, "NO-REVIEW", meeting=None)
    case(p, "REVIEW-BEFORE-PLAN", issued=dt.date(2025, 3, 1), meeting=dt.date(2025, 2, 1))
    case(p, "TWO-YEARS-AGO", issued=dt.date(2023, 11, 1), meeting=dt.date(2024, 11, 1))
    case(p, "THIS-YEAR", issued=dt.date(2025, 9, 2), meeting=dt.date(2025, 9, 20))
    case(p, "DRAFT-ONLY", kind="draft")
    case(p, "CEASED", plan_ended_on=dt.date(2025, 9, 20), plan_end_reason="MOVED")
    audit_of(
        case(p, "AUDITED-3-MONTHS-AGO"), area.school, created=dt.date(2025, 7, 1), due=dt.date(2025, 7, 15)
    )
    audit_of(case(p, "AUDIT-DUE-SOON"), area.school, created=dt.date(2024, 9, 1), due=dt.date(2025, 11, 1))
    audit_of(case(p, "AUDITED-LONG-AGO"), area.school, created=dt.date(2024, 6, 1), due=dt.date(2024, 9, 30))
    case(other_area.partnership, "ELSEWHERE")

    sample = propose(area, half, size=50, seed=7)

    assert set(drawn(sample)) == {"OK-REVIEWED", "AUDITED-LONG-AGO"}
    assert sample.eligible_count == 2


def test_the_latest_qualifying_plan_is_the_one_named(area, half):
    kid = case(area.partnership, "TWO-FINALS", issued=dt.date(2024, 10, 1), meeting=dt.date(2025, 6, 1))
    PlanFactory(child=kid, kind="final", issued_on=dt.date(2025, 7, 1))  # no review after this one

    item = propose(area, half, seed=1).items.get()

    assert item.plan.issued_on == dt.date(2024, 10, 1)
    assert "Final plan issued 1 October 2024 (in 2024/25)" in item.rationale
    assert "annual review held 1 June 2025" in item.rationale
    assert "final plan issued 15 June 2025, after that review" in item.rationale


def test_level3_names_the_plan_issued_after_the_review_when_there_is_one(area, half):
    """The panel reads the plan, its review and the plan that review led to; a case whose amended plan is
    not issued yet stays eligible, and says so."""
    kid = case(area.partnership, "DRAFT-AFTER-REVIEW", amended=False)
    PlanFactory(child=kid, kind="draft", issued_on=dt.date(2025, 9, 25))
    case(area.partnership, "AMENDED")

    sample = propose(area, half, size=6, seed=2)

    reasons = {i.child.case_reference: i.rationale for i in sample.items.all()}
    assert "final plan issued 29 September 2025, after that review" in reasons["AMENDED"]
    assert "no final plan issued since that review yet" in reasons["DRAFT-AFTER-REVIEW"]


def test_previous_year_follows_the_half_terms_year(area, years):
    case(area.partnership, "PLAN-2023-24", issued=dt.date(2024, 3, 1), meeting=dt.date(2025, 2, 1))
    case(area.partnership, "PLAN-2024-25")

    last_year = propose(area, support.half_term(years[2024], 6), seed=1)
    this_year = propose(area, support.half_term(years[2025], 1), seed=1)

    assert drawn(last_year) == ["PLAN-2023-24"] and drawn(this_year) == ["PLAN-2024-25"]


# --- reproducible, recorded draws ----------------------------------------------------------------------


@pytest.fixture
def thirty(area):
    return [case(area.partnership, f"EHC-{i:03d}") for i in range(30)]


def test_same_seed_same_children_different_seed_different(area, half, thirty):
    first = propose(area, half, seed=2024)
    again = propose(area, half, seed=2024)
    other = propose(area, half, seed=2025)

    assert len(drawn(first)) == 6
    assert drawn(first) == drawn(again)
    assert drawn(first) != drawn(other)


def test_sample_is_recorded_with_seed_rule_and_rationale(area, half, thirty, sqa_officer):
    sample = propose(area, half, seed=99, by=sqa_officer)

    sample.refresh_from_db()
    assert (sample.level, sample.half_term, sample.seed, sample.size) == (3, half, 99, 6)
    assert sample.eligible_count == 30 and sample.created_by == sqa_officer
    assert "final EHC plan issued in 2024/25" in sample.rule and "Seed 99" in sample.rule
    assert "since 1 October 2024" in sample.rule
    assert sample.parameters["as_of"] == "2025-10-01" and sample.parameters["drawn"] == 6
    items = list(sample.items.all())
    assert [i.position for i in items] == [1, 2, 3, 4, 5, 6]
    assert all("1 November 2024" in i.rationale and "15 September 2025" in i.rationale for i in items)
    assert all(i.plan.child_id == i.child_id for i in items)


def test_a_seed_is_generated_and_kept_when_none_is_given(area, half, thirty):
    sample = propose(area, half)

    assert sample.seed > 0
    assert drawn(propose(area, half, seed=sample.seed)) == drawn(sample)


def test_fewer_eligible_than_asked_draws_them_all(area, half):
    case(area.partnership, "ONLY-ONE")

    sample = propose(area, half, size=6, seed=3)

    assert drawn(sample) == ["ONLY-ONE"] and sample.parameters["drawn"] == 1


@pytest.mark.parametrize("size", [0, 51])
def test_size_is_checked(area, half, size):
    with pytest.raises(ValidationError):
        propose(area, half, size=size)


def test_half_term_of_another_partnership_is_refused(area, other_area):
    elsewhere = support.half_term(support.years(other_area.partnership)[2025], 1)

    with pytest.raises(ValidationError):
        propose(area, elsewhere)


# --- stratification -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sizes", "total", "expected"),
    [
        # exact shares 3.33, 1.67, 1.0: floors 3, 1, 1; the one place left goes to the largest remainder (B)
        ({"A": 10, "B": 5, "C": 3}, 6, {"A": 3, "B": 2, "C": 1}),
        # 3.6, 1.8, 0.6: floors 3, 1, 0; remainders .8 (B), then a tie at .6 goes to the larger stratum (A)
        ({"A": 12, "B": 6, "C": 2}, 6, {"A": 4, "B": 2, "C": 0}),
        ({"A": 1, "B": 1}, 6, {"A": 1, "B": 1}),
        ({"A": 4, "B": 4}, 0, {"A": 0, "B": 0}),
        ({"A": 3, "B": 3, "C": 3}, 2, {"A": 1, "B": 1, "C": 0}),
    ],
)
def test_allocation_is_proportional_with_largest_remainder(sizes, total, expected):
    quotas = sampling.allocate({(k,): n for k, n in sizes.items()}, total)

    assert {k[0]: n for k, n in quotas.items()} == expected
    assert sum(quotas.values()) == min(total, sum(sizes.values()))


def test_stratified_draw_gives_each_stratum_its_share(area, half):
    for i in range(12):
        case(area.partnership, f"ASD-{i:02d}", primary_need="ASD")
    for i in range(6):
        case(area.partnership, f"SEMH-{i:02d}", primary_need="SEMH")
    for i in range(2):
        case(area.partnership, f"SLCN-{i:02d}", primary_need="SLCN")

    sample = propose(area, half, seed=5, strata=["primary_need"])

    needs = Counter(ref.split("-")[0] for ref in drawn(sample))
    assert needs == {"ASD": 4, "SEMH": 2}
    assert sample.strata == ["primary_need"]
    assert {tuple(r["stratum"]): r["places"] for r in sample.parameters["allocation"]} == {
        ("ASD",): 4,
        ("SEMH",): 2,
        ("SLCN",): 0,
    }
    assert (
        "Stratum: primary need ASD (4 of 12 eligible drawn)"
        in sample.items.filter(child__primary_need="ASD").first().rationale
    )


def test_strata_by_provider_and_key_stage(area, half):
    for i in range(4):
        case(area.partnership, f"S-KS2-{i}", agencies=[area.school], date_of_birth=dt.date(2016, 1, 1))
    for i in range(4):
        case(area.partnership, f"O-KS4-{i}", agencies=[area.other_school], date_of_birth=dt.date(2010, 1, 1))

    sample = propose(area, half, seed=11, size=4, strata=["key_stage", "agency"])

    assert sample.strata == ["agency", "key_stage"]  # the fixed order, whatever order they were given in
    assert Counter(ref[:1] for ref in drawn(sample)) == {"S": 2, "O": 2}
    assert any(area.school.name in i.rationale and "KS2" in i.rationale for i in sample.items.all())


def test_unknown_stratum_is_refused(area, half):
    with pytest.raises(ValidationError):
        propose(area, half, strata=["postcode"])


# --- swaps -------------------------------------------------------------------------------------------------


def test_swap_keeps_the_reason_and_never_draws_the_swapped_child_again(area, half, thirty, sqa_officer):
    sample = propose(area, half, seed=8)
    item = sample.items.get(position=3)
    before = set(drawn(sample))

    replacement = sampling.sample_item_swap(item=item, reason="Child moved out of area", by=sqa_officer)

    item.refresh_from_db()
    assert (
        item.swapped_out and item.swap_reason == "Child moved out of area" and item.swapped_by == sqa_officer
    )
    assert replacement.replaces == item and replacement.position == 3
    assert replacement.child.case_reference not in before
    assert item.child.case_reference not in drawn(sample)
    assert len(drawn(sample)) == 6
    assert f"Replaces {item.child.case_reference}" in replacement.rationale
    # swap the replacement too: neither of the earlier children comes back
    third = sampling.sample_item_swap(item=replacement, reason="Family declined", by=sqa_officer)
    assert third.child_id not in {item.child_id, replacement.child_id}


def test_swap_is_reproducible(area, half, thirty, sqa_officer):
    one, two = propose(area, half, seed=31), propose(area, half, seed=31)

    first = sampling.sample_item_swap(item=one.items.get(position=1), reason="r", by=sqa_officer)
    second = sampling.sample_item_swap(item=two.items.get(position=1), reason="r", by=sqa_officer)

    assert first.child_id == second.child_id


def test_swap_stays_in_the_stratum_when_it_can(area, half, sqa_officer):
    for i in range(6):
        case(area.partnership, f"ASD-{i}", primary_need="ASD")
    for i in range(6):
        case(area.partnership, f"SEMH-{i}", primary_need="SEMH")
    sample = propose(area, half, seed=4, size=4, strata=["primary_need"])
    semh = sample.items.filter(child__primary_need="SEMH").first()

    replacement = sampling.sample_item_swap(item=semh, reason="Already in a deep dive", by=sqa_officer)

    assert replacement.child.primary_need == "SEMH"
    assert "Same stratum (primary need SEMH)" in replacement.rationale


@pytest.mark.parametrize("reason", ["", "   "])
def test_swap_needs_a_reason(area, half, thirty, sqa_officer, reason):
    item = propose(area, half, seed=1).items.first()

    with pytest.raises(ValidationError) as excinfo:
        sampling.sample_item_swap(item=item, reason=reason, by=sqa_officer)

    item.refresh_from_db()
    assert "reason" in excinfo.value.message_dict and not item.swapped_out


def test_swap_refused_when_nothing_is_left_or_already_scheduled(area, half, sqa_officer, years):
    case(area.partnership, "ONLY")
    tool = support.tool(area.partnership, levels=[3])
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa, tool=tool)
    sample = propose(area, half, seed=1, activity=activity)
    item = sample.items.get()

    with pytest.raises(ValidationError):
        sampling.sample_item_swap(item=item, reason="r", by=sqa_officer)
    scheduling.audit_schedule(
        activity=activity,
        children=[item.child],
        assignees=[sqa_officer],
        due_on=dt.date(2025, 11, 1),
        by=sqa_officer,
        sample=sample,
    )
    case(area.partnership, "LATER")
    with pytest.raises(ValidationError) as excinfo:
        sampling.sample_item_swap(item=item, reason="r", by=sqa_officer)

    assert "scheduled" in excinfo.value.messages[0]


# --- Levels 1 and 2 -------------------------------------------------------------------------------------------

# Half term 1 of 2025/26 starts on 1 September 2025; by default its samples look at the half term before it
# and the summer holiday: 1 June to 31 August 2025.
IN_PERIOD = dt.date(2025, 7, 1)


def with_plan(partnership, reference: str, *, kind: str = "final", issued: dt.date = IN_PERIOD, **child):
    kid = ChildFactory(partnership=partnership, case_reference=reference, **child)
    PlanFactory(child=kid, kind=kind, issued_on=issued)
    return kid


def test_level1_quota_draws_from_the_agencys_caseload(area, years, sqa_officer):
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)
    for i in range(8):
        with_plan(area.partnership, f"SCH-{i}", agencies=[area.school])
    with_plan(area.partnership, "OTHER", agencies=[area.other_school])
    with_plan(
        area.partnership,
        "SCH-CEASED",
        agencies=[area.school],
        plan_ended_on=dt.date(2025, 1, 1),
        plan_end_reason="MOVED",
    )

    sample = sampling.l12_sample_propose(activity=activity, quota=5, seed=12, by=sqa_officer)
    again = sampling.l12_sample_propose(activity=activity, quota=5, seed=12, by=sqa_officer)

    refs = drawn(sample)
    assert len(refs) == 5 and all(r.startswith("SCH-") and r != "SCH-CEASED" for r in refs)
    assert refs == drawn(again)
    assert (sample.level, sample.eligible_count, sample.seed) == (1, 8, 12)


def test_level2_quota_is_per_caseworker_team(area, years, sqa_officer):
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=2, lead_agency=area.sat)
    teams = [Team.objects.create(agency=area.sat, name=name) for name in ("North", "South")]
    caseworkers = [member(area.sat, Role.PRACTITIONER, team=team) for team in teams]
    for worker, team in zip(caseworkers, teams, strict=True):
        for i in range(5):
            kid = ChildFactory(
                partnership=area.partnership, case_reference=f"{team.name}-{i}", caseworker=worker
            )
            PlanFactory(child=kid, issued_on=IN_PERIOD)
    with_plan(area.partnership, "Unallocated-1")
    ChildFactory(partnership=area.partnership, case_reference="North-noplan", caseworker=caseworkers[0])
    assert Membership.objects.filter(agency=area.sat, team__isnull=False).count() == 2

    sample = sampling.l12_sample_propose(activity=activity, quota=2, seed=3, by=sqa_officer)

    per_team = Counter(ref.split("-")[0] for ref in drawn(sample))
    assert per_team == {"North": 2, "South": 2, "Unallocated": 1}
    assert "North-noplan" not in drawn(sample)
    assert sample.strata == ["team"] and sample.eligible_count == 11


def test_level_1_2_sampling_refuses_other_levels(area, years, sqa_officer):
    plan = support.plan_for(years[2025], sqa_officer)
    activity = support.activity(plan, sqa_officer, level=3, lead_agency=area.sqa)

    with pytest.raises(ValidationError):
        sampling.l12_sample_propose(activity=activity, quota=2, by=sqa_officer)


# --- the Level 1 and 2 pools: only cases the tool can audit ----------------------------------------------------


def pool_case(partnership, reference: str, what: str, **child):
    """A child of the school and the SAT team with one kind of history:
    - "not-assessed": a request the local authority decided not to assess, and nothing else;
    - "plan-outside": a final plan and an annual review, both before the period;
    - "plan-in": a final plan issued in the period (and no review);
    - "draft-in": a draft plan issued in the period (and no review);
    - "review-in": a final plan before the period and its annual review held in the period."""
    kid = ChildFactory(partnership=partnership, case_reference=reference, **child)
    if what == "not-assessed":
        NeedsAssessmentFactory(child=kid, requested_on=dt.date(2025, 5, 1), will_assess=False)
    elif what == "plan-outside":
        plan = PlanFactory(child=kid, kind="final", issued_on=dt.date(2024, 5, 1))
        AnnualReviewFactory(child=kid, plan=plan, due_on=dt.date(2025, 5, 1), meeting_on=dt.date(2025, 4, 28))
    elif what == "plan-in":
        PlanFactory(child=kid, kind="final", issued_on=dt.date(2025, 6, 20))
    elif what == "draft-in":
        PlanFactory(child=kid, kind="draft", issued_on=dt.date(2025, 8, 29))
    elif what == "review-in":
        plan = PlanFactory(child=kid, kind="final", issued_on=dt.date(2024, 7, 10))
        AnnualReviewFactory(child=kid, plan=plan, due_on=dt.date(2025, 7, 10), meeting_on=dt.date(2025, 7, 3))
    return kid


HISTORIES = ("not-assessed", "plan-outside", "plan-in", "draft-in", "review-in")


@pytest.fixture
def histories(area):
    return {
        what: pool_case(area.partnership, what.upper(), what, agencies=[area.school]) for what in HISTORIES
    }


def l12_activity(area, years, sqa_officer, *, level: int, kind: str):
    tool = support.tool(area.partnership, levels=[level])
    tool.kind = kind
    tool.save(update_fields=["kind"])
    plan = AuditPlan.objects.filter(academic_year=years[2025]).first() or support.plan_for(
        years[2025], sqa_officer
    )
    lead = area.school if level == 1 else area.sat
    return support.activity(plan, sqa_officer, level=level, lead_agency=lead, tool=tool)


@pytest.mark.parametrize("level", [1, 2])
@pytest.mark.parametrize(
    ("tool_kind", "stage", "expected"),
    [
        ("plan", "", {"PLAN-IN", "DRAFT-IN"}),
        ("plan", "final", {"PLAN-IN"}),
        ("plan", "draft", {"DRAFT-IN"}),
        ("advice", "", {"PLAN-IN", "DRAFT-IN"}),
        ("peer_review", "final", {"PLAN-IN"}),
        ("review", "", {"REVIEW-IN"}),
        ("plan", "review", {"REVIEW-IN"}),
    ],
)
def test_level_1_2_pools_hold_only_cases_the_tool_can_audit_in_the_period(
    area, years, sqa_officer, histories, level, tool_kind, stage, expected
):
    """A child with only a "decided not to assess" assessment, or whose plan and review are before the
    period, is never in the pool; plan audits draw plans issued in the period (of the stage asked for),
    review audits draw reviews held in it."""
    activity = l12_activity(area, years, sqa_officer, level=level, kind=tool_kind)

    candidates, rule = sampling.l12_candidates(activity=activity, stage=stage)
    sample = sampling.l12_sample_propose(activity=activity, quota=10, seed=1, stage=stage, by=sqa_officer)

    assert {c.case_reference for c in candidates} == expected
    assert set(drawn(sample)) == expected and sample.eligible_count == len(expected)
    assert "1 June 2025 to 31 August 2025" in rule and "1 June 2025 to 31 August 2025" in sample.rule
    assert sample.parameters["period_start"] == "2025-06-01"
    assert sample.parameters["period_end"] == "2025-08-31"


def test_the_case_named_is_the_plan_or_review_in_the_period(area, years, sqa_officer, histories):
    plans = l12_activity(area, years, sqa_officer, level=1, kind="plan")
    reviews = l12_activity(area, years, sqa_officer, level=1, kind="review")

    by_plan = {
        i.child.case_reference: i
        for i in sampling.l12_sample_propose(activity=plans, quota=10, seed=1, by=sqa_officer).items.all()
    }
    (by_review,) = sampling.l12_sample_propose(activity=reviews, quota=10, seed=1, by=sqa_officer).items.all()

    assert by_plan["DRAFT-IN"].plan.kind == "draft"
    assert by_plan["DRAFT-IN"].rationale.startswith("Draft plan issued 29 August 2025.")
    assert by_plan["PLAN-IN"].plan.issued_on == dt.date(2025, 6, 20)
    assert by_review.rationale.startswith("Annual review held 3 July 2025.")
    assert by_review.plan.issued_on == dt.date(2024, 7, 10)  # the plan that review looked at


def test_a_stated_period_is_used_and_kept(area, years, sqa_officer, histories):
    activity = l12_activity(area, years, sqa_officer, level=1, kind="plan")

    sample = sampling.l12_sample_propose(
        activity=activity,
        quota=10,
        seed=1,
        period_start=dt.date(2024, 4, 1),
        period_end=dt.date(2024, 5, 31),
        by=sqa_officer,
    )

    assert drawn(sample) == ["PLAN-OUTSIDE"]
    assert "issued from 1 April 2024 to 31 May 2024" in sample.rule
    assert (sample.parameters["period_start"], sample.parameters["period_end"]) == (
        "2024-04-01",
        "2024-05-31",
    )


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [
        (dt.date(2025, 6, 1), None, "period_end"),
        (None, dt.date(2025, 6, 1), "period_start"),
        (dt.date(2025, 6, 2), dt.date(2025, 6, 1), "period_end"),
    ],
)
def test_the_period_is_checked(area, years, sqa_officer, start, end, field):
    activity = l12_activity(area, years, sqa_officer, level=1, kind="plan")

    with pytest.raises(ValidationError) as excinfo:
        sampling.l12_sample_propose(
            activity=activity, quota=2, period_start=start, period_end=end, by=sqa_officer
        )

    assert field in excinfo.value.message_dict and not Sample.objects.exists()


def test_a_review_tool_cannot_be_sampled_for_plans(area, years, sqa_officer):
    activity = l12_activity(area, years, sqa_officer, level=2, kind="review")

    with pytest.raises(ValidationError) as excinfo:
        sampling.l12_sample_propose(activity=activity, quota=2, stage="draft", by=sqa_officer)

    assert "stage" in excinfo.value.message_dict


def test_a_swap_draws_from_the_same_pool_by_the_recorded_stage_and_period(area, years, sqa_officer):
    """The replacement comes from the pool the sample was drawn from: never a child with no plan, a plan of
    another stage or a plan outside the period."""
    activity = l12_activity(area, years, sqa_officer, level=1, kind="plan")
    p = area.partnership
    for i in range(2):
        pool_case(p, f"IN-{i}", "draft-in", agencies=[area.school])
    for i in range(5):
        pool_case(p, f"NOT-ASSESSED-{i}", "not-assessed", agencies=[area.school])
        pool_case(p, f"OUTSIDE-{i}", "plan-outside", agencies=[area.school])
        pool_case(p, f"FINAL-{i}", "plan-in", agencies=[area.school])
    sample = sampling.l12_sample_propose(activity=activity, quota=1, seed=1, stage="draft", by=sqa_officer)
    (item,) = sample.items.all()

    replacement = sampling.sample_item_swap(item=item, reason="Already audited by the panel", by=sqa_officer)

    assert {item.child.case_reference, replacement.child.case_reference} == {"IN-0", "IN-1"}
    assert replacement.plan.kind == "draft"
    with pytest.raises(ValidationError):  # no other draft plan issued in the period
        sampling.sample_item_swap(item=replacement, reason="Family moved away", by=sqa_officer)


def test_default_period_without_an_earlier_half_term_is_the_three_months_before(area, sqa_officer):
    year = support.years(area.partnership)[2023]
    plan = support.plan_for(year, sqa_officer)
    activity = support.activity(plan, sqa_officer, level=1, lead_agency=area.school)

    period = sampling.default_period(activity)

    assert (period.starts_on, period.ends_on) == (dt.date(2023, 6, 1), dt.date(2023, 8, 31))
