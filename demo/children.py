"""Demo children and young people: pseudonymised records with needs assessments, plans and annual reviews.

Used by `manage.py seed_demo` on top of the partnership `demo.partnership` builds. Each child's history is
drawn from one `random.Random`, so a seed and a date give the same children every time; dates are relative
to `today` so the demo always looks current. The shape follows published figures for England (DESIGN.md §2):
the primary need mix of plans, about half of new plans issued within 20 weeks, some reviews overdue.
Rows are written with bulk_create in batches, never through per-row services, so a county-sized caseload
seeds in seconds; `Child.next_review_due_on` is computed with the same rule the services use.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta

from demo.partnership import CouncilArea, DemoArea, EducationPlace
from demo.quotas import quota_draw
from demo.working_days import last_working_day, next_working_day
from ehcp import timeliness
from ehcp.codes import AssessmentException, PlanEndReason, ReviewDecision
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from ehcp.services import next_review_due_for
from qaf.models import Agency, Partnership

BATCH_SIZE = 2000

# fmt: off
# Primary need of plans in England, January 2025 (per cent). The six largest are published figures; the
# remaining 8.1 points are spread over the smaller needs roughly as SEN2 reports them.
NEED_SHARES = {
    "ASD": 31.5, "SLCN": 21.3, "SEMH": 20.7, "MLD": 10.6, "SLD": 3.9, "PD": 3.9,
    "SPLD": 2.6, "OTH": 1.6, "HI": 1.3, "PMLD": 1.0, "DS": 0.8, "VI": 0.6, "MSI": 0.2,
}
# Relative number of children and young people with a plan at each age, 0 to 25: most are of school age.
AGE_WEIGHTS = [0.1, 0.3, 0.7, 1.5, 2.5, 4, 5, 5.5, 6, 6, 6.5, 6.5, 6.5, 6.5, 6.5, 6, 5.5, 4.5, 3.5, 2.5, 1.5,
               1, 0.7, 0.5, 0.3, 0.2]
# Share of children with each primary need who see the community trust's therapists or nurses.
THERAPY_SHARE = {"SLCN": 0.7, "PD": 0.9, "PMLD": 0.95, "SLD": 0.8, "MSI": 0.9, "HI": 0.8, "VI": 0.8, "DS": 0.9,
                 "ASD": 0.45, "SEMH": 0.15, "MLD": 0.3, "SPLD": 0.1, "OTH": 0.5}
# fmt: on
COMPLEX_NEEDS = {"SLD", "PMLD", "PD", "MSI", "DS"}
# Share of new plans issued within 20 weeks (England, 2024: 46.4%).
ON_TIME_SHARE = 0.464
DECISION_ON_TIME_SHARE = 0.88
# Share of children with a review already due who have one overdue; about 15% of children with a plan.
OVERDUE_SHARE = 0.21
REQUEST_YEARS_BACK = 5
# Scheduled reviews are recorded this far ahead; later ones exist only as the child's next due date.
SCHEDULE_AHEAD = dt.timedelta(days=90)
INITIAL_LETTERS = "AAAAABBBCCCCDDDEEEFFGGHHHIIJJJJJKKLLLLMMMMMNNOOPPRRRSSSSTTTVWWYZ"
EXCEPTION_NOTES = {
    AssessmentException.FAMILY_CIRCUMSTANCES: "Parent in hospital for several weeks during the assessment.",
    AssessmentException.ABSENCE: "Family abroad for five weeks over the summer.",
    AssessmentException.MISSED_APPOINTMENT: "Two educational psychology appointments not attended.",
    AssessmentException.LA_CLOSURE: "Advice due over the school summer closure.",
}


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return relativedelta(day, date_of_birth).years


@dataclass
class PlanRow:
    kind: str
    version: int
    issued_on: dt.date
    generation: int  # 0: after the needs assessment; n: after the child's n-th annual review


@dataclass
class ReviewRow:
    due_on: dt.date
    plan_index: int  # the final plan reviewed, an index into History.plans
    meeting_on: dt.date | None = None
    decision_on: dt.date | None = None
    decision: str = ""
    amended_plan_issued_on: dt.date | None = None


@dataclass
class History:
    """One child's assessment, plans and reviews, as dates; nothing here touches the database."""

    requested_on: dt.date
    decision_on: dt.date | None = None
    will_assess: bool | None = None
    exception: str = ""
    exception_notes: str = ""
    final_plan_issued_on: dt.date | None = None
    plans: list[PlanRow] = field(default_factory=list)
    reviews: list[ReviewRow] = field(default_factory=list)
    plan_ended_on: dt.date | None = None
    plan_end_reason: str = ""

    def next_review_due_on(self, date_of_birth: dt.date) -> dt.date | None:
        finals = [p.issued_on for p in self.plans if p.kind == PlanKind.FINAL]
        meetings = [r.meeting_on for r in self.reviews if r.meeting_on]
        open_dues = [r.due_on for r in self.reviews if r.meeting_on is None]
        return next_review_due_for(
            date_of_birth=date_of_birth,
            plan_ended_on=self.plan_ended_on,
            last_final_plan_on=max(finals, default=None),
            last_review_meeting_on=max(meetings, default=None),
            open_review_due_on=min(open_dues, default=None),
        )


def history_draw(rng: random.Random, *, date_of_birth: dt.date, today: dt.date) -> History:
    """Draw a child's history: request, decision, draft and final plan, then annual reviews up to today."""
    earliest = max(today - _days(365 * REQUEST_YEARS_BACK), date_of_birth + _days(120))
    earliest = min(earliest, today)
    history = History(requested_on=earliest + _days(rng.randint(0, (today - earliest).days)))
    requested = history.requested_on

    on_time_decision = rng.random() < DECISION_ON_TIME_SHARE
    decision_days = rng.randint(21, 42) if on_time_decision else rng.randint(43, 75)
    # Decisions are made, and plans issued, on working days.
    decision_days = (next_working_day(requested + _days(decision_days)) - requested).days
    if requested + _days(decision_days) > today:
        return history  # waiting for the decision whether to assess
    history.decision_on = requested + _days(decision_days)
    history.will_assess = rng.random() >= 0.04
    if not history.will_assess:
        return history

    if rng.random() < ON_TIME_SHARE:
        final_days = rng.randint(max(98, decision_days + 28), 140)
    else:
        final_days = 141 + min(int(rng.expovariate(1 / 60)), 300)
        if rng.random() < 0.2:
            history.exception = rng.choice(list(EXCEPTION_NOTES))
            history.exception_notes = EXCEPTION_NOTES[history.exception]
    # The draft goes to the family at least 15 days before the final plan, after the decision to assess.
    draft_days = max(final_days - rng.randint(15, 42), decision_days + 7)
    draft_days = (next_working_day(requested + _days(draft_days)) - requested).days
    final_days = max(final_days, draft_days + 15)
    final_days = (next_working_day(requested + _days(final_days)) - requested).days
    if requested + _days(draft_days) > today:
        return history
    history.plans.append(PlanRow(PlanKind.DRAFT, 1, requested + _days(draft_days), 0))
    if requested + _days(final_days) > today:
        return history
    history.final_plan_issued_on = requested + _days(final_days)
    history.plans.append(PlanRow(PlanKind.FINAL, 1, history.final_plan_issued_on, 0))
    _reviews_draw(rng, history, date_of_birth=date_of_birth, today=today)
    return history


def _meeting_draw(rng: random.Random, due: dt.date, today: dt.date) -> dt.date:
    """When a review due on `due` met: mostly on time, some late (never after today)."""
    if rng.random() < 0.75:
        return due - _days(rng.randint(0, 42))
    meeting = due + _days(rng.randint(1, 70))
    if meeting > today:
        meeting = due - _days(rng.randint(0, 28))
    return meeting


def _cease_reason_draw(rng: random.Random, *, adult: bool) -> str:
    return rng.choice(
        [
            PlanEndReason.EMPLOYMENT,
            PlanEndReason.HIGHER_EDUCATION,
            PlanEndReason.NOT_ENGAGING,
            PlanEndReason.OUTCOMES_MET,
        ]
        if adult
        else [PlanEndReason.OUTCOMES_MET, PlanEndReason.NO_LONGER_NEEDED, PlanEndReason.OUTCOMES_MET]
    )


def _moved_away_draw(rng: random.Random, last_final: dt.date, today: dt.date) -> dt.date | None:
    """The day a few children moved to another local authority, some time after their final plan."""
    if rng.random() < 0.015 and (today - last_final).days > 60:
        return last_final + _days(rng.randint(30, (today - last_final).days))
    return None


def _meeting_and_decision_draw(
    rng: random.Random, review: ReviewRow, anchor: dt.date, today: dt.date
) -> bool:
    """When the review met and its decision was made (on working days, the meeting at least 30 days after
    `anchor`); False when the decision is not yet made by today."""
    meeting = _meeting_draw(rng, review.due_on, today)
    review.meeting_on = last_working_day(max(meeting, anchor + _days(30)))
    decision_on = review.meeting_on + _days(
        rng.randint(3, 28) if rng.random() < 0.85 else rng.randint(29, 60)
    )
    decision_on = next_working_day(decision_on)
    if decision_on > today:
        return False
    review.decision_on = decision_on
    return True


def _amend_draw(
    rng: random.Random, history: History, review: ReviewRow, *, version: int, today: dt.date
) -> None:
    """The plan `review` amended: its draft and its final, as version `version` + 1, as far as issued by today."""
    decision_on = review.decision_on
    assert decision_on is not None
    amended = decision_on + _days(rng.randint(21, 56) if rng.random() < 0.6 else rng.randint(57, 130))
    amended = next_working_day(amended)
    draft = next_working_day(max(decision_on + _days(1), amended - _days(rng.randint(15, 28))))
    generation = len(history.reviews)
    if draft <= today:
        history.plans.append(PlanRow(PlanKind.DRAFT, version + 1, draft, generation))
    if amended <= today:
        review.amended_plan_issued_on = amended
        history.plans.append(PlanRow(PlanKind.FINAL, version + 1, amended, generation))


def _decision_draw(
    rng: random.Random,
    history: History,
    review: ReviewRow,
    *,
    date_of_birth: dt.date,
    version: int,
    today: dt.date,
) -> bool:
    """The review's decision: cease the plan (False: the plan has ended), amend it, or maintain it."""
    decision_on = review.decision_on
    assert decision_on is not None
    adult = _age_on(date_of_birth, decision_on) >= 19
    draw = rng.random()
    if draw < (0.08 if adult else 0.015):
        review.decision = ReviewDecision.CEASE
        history.plan_ended_on = decision_on
        history.plan_end_reason = _cease_reason_draw(rng, adult=adult)
        return False
    if draw < 0.35:
        review.decision = ReviewDecision.AMEND
        _amend_draw(rng, history, review, version=version, today=today)
    else:
        review.decision = ReviewDecision.MAINTAIN
    return True


def _reviews_draw(rng: random.Random, history: History, *, date_of_birth: dt.date, today: dt.date) -> None:
    last_final = history.final_plan_issued_on
    assert last_final is not None
    final_index, version = len(history.plans) - 1, 1
    last_meeting: dt.date | None = None
    overdue = rng.random() < OVERDUE_SHARE
    moved_on = _moved_away_draw(rng, last_final, today)
    while True:
        anchor = max(last_final, last_meeting or last_final)
        due = timeliness.next_review_due(anchor, date_of_birth)
        if moved_on and due > moved_on:
            history.plan_ended_on, history.plan_end_reason = moved_on, PlanEndReason.MOVED_AWAY
            return
        if due > today:
            if due <= today + SCHEDULE_AHEAD:
                history.reviews.append(ReviewRow(due_on=due, plan_index=final_index))
            return
        review = ReviewRow(due_on=due, plan_index=final_index)
        history.reviews.append(review)
        if overdue and timeliness.next_review_due(due, date_of_birth) > today:
            return  # the latest review that fell due was never held
        # Meetings are held, and decisions made, on working days.
        decided = _meeting_and_decision_draw(rng, review, anchor, today)
        last_meeting = review.meeting_on
        if not decided:
            return  # decision not yet made; the next review is a year after this meeting
        if not _decision_draw(
            rng, history, review, date_of_birth=date_of_birth, version=version, today=today
        ):
            return
        if review.amended_plan_issued_on is not None:
            version += 1
            last_final = review.amended_plan_issued_on
            final_index = len(history.plans) - 1


@dataclass
class ChildDraw:
    council: CouncilArea
    initials: str
    date_of_birth: dt.date
    primary_need: str
    setting_type: str
    looked_after: bool
    child_in_need: bool
    agencies: list[Agency]
    caseworker_index: int
    history: History


def _setting_weights(year: int, need: str) -> dict[str, float]:
    weights: dict[str, float]
    if year < 0:
        weights = {"EY": 90, "OTH": 10}
    elif year <= 6:
        weights = {"MS": 50, "RP": 7, "SS": 35, "ISS": 3, "AP": 1, "EHE": 2, "OTH": 2}
    elif year <= 11:
        weights = {"MS": 38, "RP": 7, "SS": 38, "ISS": 8, "AP": 4, "EHE": 3, "OTH": 2}
    elif year <= 13:
        weights = {"FE": 40, "SS": 25, "MS": 10, "SPI": 8, "ISS": 5, "APP": 4, "NIE": 6, "OTH": 2}
    else:
        weights = {"FE": 45, "SPI": 20, "APP": 10, "NIE": 20, "OTH": 5}
    # Children with complex needs are mostly in special schools; those with milder needs mostly mainstream.
    if need in COMPLEX_NEEDS:
        weights = {
            k: v * (4 if k in ("SS", "SPI") else 0.3 if k in ("MS", "APP", "AP") else 1)
            for k, v in weights.items()
        }
    elif need in ("SLCN", "SPLD", "MLD", "HI", "VI"):
        weights = {
            k: v * (1.6 if k in ("MS", "RP") else 0.6 if k in ("SS", "ISS") else 1)
            for k, v in weights.items()
        }
    elif need == "SEMH":
        weights = {k: v * (3 if k in ("AP", "ISS") else 1) for k, v in weights.items()}
    return weights


def _setting_agency(
    rng: random.Random, area: CouncilArea, others: list[EducationPlace], setting: str, year: int
) -> Agency:
    """An education agency of the child's council offering the setting for their year; else any council's."""
    for places in (area.education, others):
        fits = [
            p.agency for p in places if setting in p.setting_types and p.first_year <= year <= p.last_year
        ]
        if fits:
            return rng.choice(fits)
    return area.inclusion_service


def children_draw(*, area: DemoArea, count: int, rng: random.Random, today: dt.date) -> list[ChildDraw]:
    """Draw `count` children across the area's councils. Pure: no database access."""
    ages = list(range(len(AGE_WEIGHTS)))
    councils = area.councils
    all_places = [p for c in councils for p in c.education]
    draws = []
    for need in quota_draw(rng, count, NEED_SHARES):
        council = rng.choices(councils, weights=[c.council.share for c in councils])[0]
        age = rng.choices(ages, weights=AGE_WEIGHTS)[0]
        dob = today - relativedelta(years=age) - _days(rng.randint(0, 364))
        year = timeliness.year_group(dob, today)
        weights = _setting_weights(year, need)
        setting = rng.choices(list(weights), weights=list(weights.values()))[0]
        looked_after = age < 18 and rng.random() < (0.14 if need == "SEMH" else 0.06)
        child_in_need = not looked_after and rng.random() < (
            0.2 if need in COMPLEX_NEEDS else 0.13 if need == "SEMH" else 0.09
        )
        agencies = [_setting_agency(rng, council, all_places, setting, year)]
        if looked_after:
            agencies.append(council.virtual_school)
        if looked_after or child_in_need or (need in COMPLEX_NEEDS and rng.random() < 0.3):
            agencies.append(council.social_care)
        if rng.random() < THERAPY_SHARE[need]:
            agencies.append(area.community_health)
        if rng.random() < {"SEMH": 0.45, "ASD": 0.2}.get(need, 0.05):
            agencies.append(area.camhs)
        if age < 8 and need in COMPLEX_NEEDS and rng.random() < 0.5:
            agencies.append(area.hospital)
        if rng.random() < 0.08:
            agencies.append(area.advocacy)
        initials = "".join(rng.choice(INITIAL_LETTERS) for _ in range(3 if rng.random() < 0.15 else 2))
        draws.append(
            ChildDraw(
                council=council,
                initials=initials,
                date_of_birth=dob,
                primary_need=need,
                setting_type=setting,
                looked_after=looked_after,
                child_in_need=child_in_need,
                agencies=agencies,
                caseworker_index=rng.randrange(1_000_000),
                history=history_draw(rng, date_of_birth=dob, today=today),
            )
        )
    return draws


def _case_references(rng: random.Random, councils: list[CouncilArea], draws: list[ChildDraw]) -> list[str]:
    """Council case references in order of first request, with the gaps real numbering has."""
    order = sorted(range(len(draws)), key=lambda i: (draws[i].history.requested_on, i))
    numbers = {c.council.prefix: rng.randint(1000, 3000) for c in councils}
    refs = [""] * len(draws)
    for i in order:
        prefix = draws[i].council.council.prefix
        numbers[prefix] += rng.randint(1, 4)
        refs[i] = f"{prefix}-{numbers[prefix]:06d}"
    return refs


def _children_write(area: DemoArea, draws: list, refs: list[str]) -> list[Child]:
    """The drawn children, with the agencies that work with them."""
    children = [
        Child(
            partnership=area.partnership,
            case_reference=ref,
            initials=d.initials,
            date_of_birth=d.date_of_birth,
            primary_need=d.primary_need,
            setting_type=d.setting_type,
            looked_after=d.looked_after,
            child_in_need=d.child_in_need,
            caseworker=d.council.caseworkers[d.caseworker_index % len(d.council.caseworkers)],
            plan_ended_on=d.history.plan_ended_on,
            plan_end_reason=d.history.plan_end_reason,
            next_review_due_on=d.history.next_review_due_on(d.date_of_birth),
        )
        for d, ref in zip(draws, refs, strict=True)
    ]
    Child.objects.bulk_create(children, batch_size=BATCH_SIZE)
    through = Child.agencies.through
    through.objects.bulk_create(
        (
            through(child_id=c.pk, agency_id=agency.pk)
            for c, d in zip(children, draws, strict=True)
            for agency in dict.fromkeys(d.agencies)
        ),
        batch_size=BATCH_SIZE,
    )
    return children


def _assessments_write(children: list[Child], draws: list) -> list[NeedsAssessment]:
    assessments = [
        NeedsAssessment(
            child=child,
            requested_on=h.requested_on,
            decision_on=h.decision_on,
            will_assess=h.will_assess,
            exception=h.exception,
            exception_notes=h.exception_notes,
            final_plan_issued_on=h.final_plan_issued_on,
        )
        for child, h in zip(children, (d.history for d in draws), strict=True)
    ]
    NeedsAssessment.objects.bulk_create(assessments, batch_size=BATCH_SIZE)
    return assessments


def _bulk_write(
    model: type[Plan] | type[AnnualReview], made: list[tuple[int, Any]], per_child: list[list]
) -> int:
    """Write `made` (rows, each with the index of its child) in batches, and add each row to its child's list in
    `per_child`, so that rows written later can point at it. Returns how many were written."""
    for i, row in made:
        per_child[i].append(row)
    model.objects.bulk_create([row for _, row in made], batch_size=BATCH_SIZE)
    return len(made)


def _plans_and_reviews_write(
    draws: list, children: list[Child], assessments: list[NeedsAssessment]
) -> dict[str, int]:
    # Reviews point at the plan they reviewed and amended plans at their review, so write generation by
    # generation: the assessment's plans, the first reviews, the plans they amended, the second reviews ...
    plans: list[list[Plan]] = [[] for _ in draws]
    reviews: list[list[AnnualReview]] = [[] for _ in draws]
    generations = max((len(d.history.reviews) for d in draws), default=0)
    counts = {"plans": 0, "reviews": 0}
    for generation in range(generations + 1):
        if generation:
            new_reviews = [
                (i, _review_build(children[i], plans[i], d.history.reviews[generation - 1]))
                for i, d in enumerate(draws)
                if len(d.history.reviews) >= generation
            ]
            counts["reviews"] += _bulk_write(AnnualReview, new_reviews, reviews)
        new_plans = [
            (i, _plan_build(children[i], assessments[i], reviews[i], row))
            for i, d in enumerate(draws)
            for row in d.history.plans
            if row.generation == generation
        ]
        counts["plans"] += _bulk_write(Plan, new_plans, plans)
    return counts


def _plan_build(child: Child, assessment: NeedsAssessment, reviews: list[AnnualReview], row: PlanRow) -> Plan:
    """The plan `row` of `child`: after its needs `assessment` (generation 0), or after the review of its
    generation (one of the child's `reviews`)."""
    return Plan(
        child=child,
        assessment=assessment if row.generation == 0 else None,
        review=reviews[row.generation - 1] if row.generation else None,
        kind=row.kind,
        version=row.version,
        issued_on=row.issued_on,
    )


def _review_build(child: Child, plans: list[Plan], row: ReviewRow) -> AnnualReview:
    """The annual review `row` of `child`, of the plan it reviewed (one of the child's `plans`)."""
    return AnnualReview(
        child=child,
        plan=plans[row.plan_index],
        due_on=row.due_on,
        meeting_on=row.meeting_on,
        decision_on=row.decision_on,
        decision=row.decision,
        amended_plan_issued_on=row.amended_plan_issued_on,
    )


def children_seed(*, area: DemoArea, count: int, rng: random.Random, today: dt.date) -> dict[str, int]:
    """Create `count` children with their assessments, plans and reviews in the demo partnership.

    Callers hold a transaction. Returns counts of what was written."""
    draws = children_draw(area=area, count=count, rng=rng, today=today)
    refs = _case_references(rng, area.councils, draws)
    children = _children_write(area, draws, refs)
    assessments = _assessments_write(children, draws)
    counts = _plans_and_reviews_write(draws, children, assessments)
    return {
        "children": len(children),
        "needs assessments": len(assessments),
        **counts,
        "reviews overdue": sum(
            1
            for c in children
            if c.plan_ended_on is None and c.next_review_due_on and c.next_review_due_on < today
        ),
    }


def children_delete(*, partnership: Partnership) -> None:
    """Delete the partnership's children and their records, table by table (faster than one cascade)."""
    children = Child.objects.filter(partnership=partnership)
    Plan.objects.filter(child__in=children).update(review=None)
    AnnualReview.objects.filter(child__in=children).delete()
    Plan.objects.filter(child__in=children).delete()
    NeedsAssessment.objects.filter(child__in=children).delete()
    Child.agencies.through.objects.filter(child__in=children).delete()
    children.delete()
