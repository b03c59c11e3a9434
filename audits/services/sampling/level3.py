"""The Level 3 rule: who is eligible, their strata, and the recorded draw."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, TypedDict

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from audits.models import Audit, PlannedActivity, Sample
from audits.services.sampling.draw import (
    MAX_SIZE,
    NO_PROVIDER,
    STRATA,
    Candidate,
    day,
    draw,
    new_seed,
    record,
)
from ehcp import timeliness
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf import calendar
from qaf.models import AcademicYear, AgencyKind, HalfTerm, Partnership, User

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def _previous_year(partnership_id: int, half_term: HalfTerm) -> tuple[str, dt.date, dt.date]:
    start_year = half_term.term.academic_year.start_year - 1
    year = AcademicYear.objects.filter(partnership_id=partnership_id, start_year=start_year).first()
    if year is not None:
        return str(year), year.starts_on, year.ends_on
    label = f"{start_year}/{str(start_year + 1)[-2:]}"
    return label, calendar.default_date(start_year, (9, 1)), calendar.default_date(start_year, (8, 31))


def _recently_audited(partnership_id: int, cutoff: dt.date) -> QuerySet[Audit, int | None]:
    since = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return (
        Audit.objects.filter(partnership_id=partnership_id, child__isnull=False)
        .filter(Q(created_at__gte=since) | Q(due_on__gte=cutoff))
        .values_list("child_id", flat=True)
    )


def education_providers(child_ids: Sequence[int]) -> dict[int, str]:
    """Each child's education provider (the first by name when several are recorded)."""
    through = Child.agencies.through.objects.filter(
        child_id__in=child_ids, agency__kind=AgencyKind.EDUCATION
    ).values_list("child_id", "agency__name")
    providers: dict[int, str] = {}
    for child_id, name in sorted(through, key=lambda row: (row[0], row[1])):
        providers.setdefault(child_id, name)
    return providers


def stratum_key(
    child: Child, strata: Sequence[str], providers: dict[int, str], on: dt.date
) -> tuple[str, ...]:
    """The child's values, on day `on`, of the strata the level 3 sample is spread over (agency, need, ...)."""
    values = {
        "agency": lambda: providers.get(child.pk, NO_PROVIDER),
        "primary_need": lambda: child.primary_need,
        "key_stage": lambda: timeliness.key_stage(timeliness.year_group(child.date_of_birth, on)),
    }
    return tuple(values[name]() for name in strata)


def _clean_strata(strata: Sequence[str]) -> list[str]:
    unknown = [s for s in strata if s not in STRATA]
    if unknown:
        raise ValidationError({"strata": f"Unknown strata: {', '.join(unknown)}"})
    return [s for s in STRATA if s in strata]  # a fixed order, so the same choice gives the same strata


class ReviewDates(TypedDict):
    """What `_reviewed_final_plans` annotates a plan with."""

    review_on: dt.date
    next_on: dt.date | None


def _reviewed_final_plans(
    partnership_id: int, *, first: dt.date, last: dt.date, cutoff: dt.date
) -> QuerySet[WithAnnotations[Plan, ReviewDates]]:
    """Final plans issued from `first` to `last` of children whose plan has not ceased and who have had no
    audit since `cutoff`, each with the meeting date of the annual review after it (`review_on`; plans without
    one left out) and the date of the next final plan (`next_on`), newest plan of each child first."""
    last_review = (
        AnnualReview.objects.filter(child_id=OuterRef("child_id"), meeting_on__gt=OuterRef("issued_on"))
        .order_by("-meeting_on")
        .values("meeting_on")[:1]
    )
    # The plan issued after that review, when there is one yet, is part of what the panel reads.
    next_plan = (
        Plan.objects.filter(
            child_id=OuterRef("child_id"), kind=PlanKind.FINAL, issued_on__gt=OuterRef("review_on")
        )
        .order_by("issued_on", "pk")
        .values("issued_on")[:1]
    )
    return (
        Plan.objects.filter(
            child__partnership_id=partnership_id,
            child__plan_ended_on__isnull=True,
            kind=PlanKind.FINAL,
            issued_on__range=(first, last),
        )
        .exclude(child_id__in=_recently_audited(partnership_id, cutoff))
        .annotate(review_on=Subquery(last_review))
        .filter(review_on__isnull=False)
        .annotate(next_on=Subquery(next_plan))
        .select_related("child")
        .order_by("child_id", "-issued_on", "-pk")
    )


def level3_candidates(
    *, partnership_id: int, half_term: HalfTerm, as_of: dt.date, strata: Sequence[str] = ()
) -> tuple[list[Candidate], str, dict[str, Any]]:
    """The children eligible for a Level 3 audit in `half_term`, judged on `as_of` (see the rule in
    audits.services.sampling), with the rule in words and the dates it used. Read-only."""
    label, first, last = _previous_year(partnership_id, half_term)
    cutoff = as_of - relativedelta(months=12)
    plans = _reviewed_final_plans(partnership_id, first=first, last=last, cutoff=cutoff)
    latest: dict[int, WithAnnotations[Plan, ReviewDates]] = {}
    for plan in plans:
        latest.setdefault(plan.child_id, plan)
    providers = education_providers(list(latest)) if "agency" in strata else {}
    candidates = [
        Candidate(
            child_id=plan.child_id,
            case_reference=plan.child.case_reference,
            plan_id=plan.pk,
            stratum=stratum_key(plan.child, strata, providers, half_term.starts_on),
            reason=(
                f"Final plan issued {day(plan.issued_on)} (in {label}); annual review held "
                f"{day(plan.review_on)}, after that plan; "
                + (
                    f"final plan issued {day(plan.next_on)}, after that review"
                    if plan.next_on
                    else "no final plan issued since that review yet"
                )
                + f"; no audit since {day(cutoff)}."
            ),
        )
        for plan in latest.values()
    ]
    rule = (
        f"Children with a final EHC plan issued in {label} ({day(first)} to {day(last)}) and an annual review "
        f"meeting held after that plan was issued; plan not ceased; no audit at any level created or due "
        f"since {day(cutoff)} (12 months before {day(as_of)})."
    )
    dates = {"as_of": as_of.isoformat(), "previous_year": label, "cutoff": cutoff.isoformat()}
    return candidates, rule, dates


@transaction.atomic
def level3_sample_propose(
    *,
    partnership: Partnership,
    half_term: HalfTerm,
    size: int = 6,
    seed: int | None = None,
    strata: Sequence[str] = (),
    activity: PlannedActivity | None = None,
    by: User | None = None,
    as_of: dt.date | None = None,
) -> Sample:
    """Draw and record a Level 3 sample for `half_term` (see the rule in audits.services.sampling), judged
    on `as_of` (today).

    Callers check that the user may sample (the SQA officer). Raises ValidationError when the half term or
    activity is of another partnership, the size is not 1 to 50, or a stratum is unknown."""
    if half_term.term.academic_year.partnership_id != partnership.pk:
        raise ValidationError({"half_term": "Choose a half term of your partnership"})
    if activity is not None and activity.plan.partnership_id != partnership.pk:
        raise ValidationError({"activity": "Choose an activity of your partnership"})
    if not 1 <= size <= MAX_SIZE:
        raise ValidationError({"size": f"Enter a number of cases from 1 to {MAX_SIZE}"})
    strata = _clean_strata(strata)
    seed = new_seed(seed)
    as_of = as_of or timezone.localdate()
    candidates, rule, dates = level3_candidates(
        partnership_id=partnership.pk, half_term=half_term, as_of=as_of, strata=strata
    )
    chosen, quotas = draw(candidates, size, random.Random(seed), bool(strata))
    how = (
        f" Stratified by {', '.join(STRATA[s] for s in strata)}: places shared in proportion to each "
        "stratum's size (largest remainder), then drawn at random within each."
        if strata
        else " Drawn at random."
    )
    return record(
        partnership_id=partnership.pk,
        activity=activity,
        level=3,
        half_term=half_term,
        seed=seed,
        size=size,
        rule=f"{rule}{how} Seed {seed}.",
        strata=strata,
        parameters=dates,
        candidates=candidates,
        chosen=chosen,
        quotas=quotas,
        by=by,
    )
