"""Levels 1 and 2: random cases within a quota (in all at Level 1, per caseworker team at Level 2)."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import Audit, PlannedActivity, Sample
from audits.services.sampling.draw import MAX_SIZE, NO_TEAM, Candidate, draw, new_seed, record
from audits.services.sampling.pools import (
    Period,
    case_kind,
    cases_in_pool,
    clean_period,
    clean_stage,
    pool_words,
)
from ehcp.models import Child
from qaf.models import Membership, User


def l12_candidates(
    *, activity: PlannedActivity, stage: str = "", period: Period | None = None
) -> tuple[list[Candidate], str]:
    """The children a Level 1 or 2 activity may draw from (see the rule in audits.services.sampling), and
    the rule in words. `stage` is what is audited (PlanStage: a draft or final plan, "" for either, or an
    annual review; a review audit tool always audits reviews); `period` is when the plan was issued or the
    review held (audits.services.sampling.pools.default_period when None). Read-only."""
    stage = clean_stage(activity, stage)
    period = period or clean_period(activity, None, None)
    kind = case_kind(activity, stage)
    agency = activity.lead_agency
    children = Child.objects.filter(
        partnership_id=activity.plan.partnership_id, plan_ended_on__isnull=True
    ).exclude(pk__in=Audit.objects.filter(activity=activity, child__isnull=False).values("child_id"))
    teams: dict[int, str] = {}
    if activity.level == 1:
        through = Child.agencies.through.objects.filter(agency_id=agency.pk)
        children = children.filter(pk__in=through.values("child_id"))
        rule = (
            f"Children {agency.name} is involved with who had {pool_words(kind, stage, period)}; plan not "
            "ceased; not yet audited on this activity."
        )
    else:
        rule = (
            f"Children who had {pool_words(kind, stage, period)}; plan not ceased; not yet audited on this "
            f"activity; grouped by their caseworker's team in {agency.name}."
        )
        memberships = Membership.objects.filter(agency_id=agency.pk, team__isnull=False).values_list(
            "user_id", "team__name"
        )
        for user_id, team in sorted(memberships, key=lambda row: (row[0], row[1])):
            teams.setdefault(user_id, team)
    cases = cases_in_pool(children, kind=kind, stage=stage, period=period)
    candidates = []
    rows = children.filter(pk__in=list(cases)).values_list("pk", "case_reference", "caseworker_id")
    for child_id, reference, caseworker_id in rows:
        case = cases[child_id]
        if activity.level == 1:
            stratum: tuple[str, ...] = ()
            where = agency.name
        else:
            where = teams.get(caseworker_id, NO_TEAM)
            stratum = (where,)
        candidates.append(
            Candidate(
                child_id, reference, case.plan_id, stratum, f"{case.reason} From the caseload of {where}."
            )
        )
    return candidates, rule


def sample_period(sample: Sample) -> Period | None:
    """The period a Level 1 or 2 sample was drawn for, as recorded (None for a sample recorded without)."""
    start, end = sample.parameters.get("period_start"), sample.parameters.get("period_end")
    if not start or not end:
        return None
    return Period(dt.date.fromisoformat(start), dt.date.fromisoformat(end))


@transaction.atomic
def l12_sample_propose(
    *,
    activity: PlannedActivity,
    quota: int,
    by: User | None = None,
    seed: int | None = None,
    stage: str = "",
    period_start: dt.date | None = None,
    period_end: dt.date | None = None,
) -> Sample:
    """Draw and record a Level 1 or 2 sample for an activity: `quota` cases in all at Level 1, up to
    `quota` per team at Level 2, from the children with a case the activity's tool can audit (a plan of
    the `stage` asked for issued in the period, or an annual review held in it for review audits). Without
    dates the period is pools.default_period. The stage and the period are kept on the sample, so its swaps
    follow the same rule. Callers check audits.access.audits.can(user, "schedule_from"). Raises ValidationError for other
    levels, a quota outside 1 to 50, a stage the tool cannot audit, or a period given by one date only or
    ending before it starts."""
    if activity.level not in (1, 2):
        raise ValidationError({"activity": "Only Level 1 and 2 activities are sampled by quota"})
    if not 1 <= quota <= MAX_SIZE:
        raise ValidationError({"quota": f"Enter a quota from 1 to {MAX_SIZE}"})
    stage = clean_stage(activity, stage)
    period = clean_period(activity, period_start, period_end)
    seed = new_seed(seed)
    candidates, rule = l12_candidates(activity=activity, stage=stage, period=period)
    rng = random.Random(seed)
    if activity.level == 1:
        chosen, quotas = draw(candidates, quota, rng, False)
        how = f" {quota} drawn at random."
    else:
        groups: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
        for candidate in sorted(candidates, key=lambda c: (c.case_reference, c.child_id)):
            groups[candidate.stratum].append(candidate)
        quotas = {key: min(quota, len(members)) for key, members in groups.items()}
        chosen = [c for key in sorted(groups) for c in rng.sample(groups[key], quotas[key])]
        how = f" Up to {quota} drawn at random from each team."
    return record(
        partnership_id=activity.plan.partnership_id,
        activity=activity,
        level=activity.level,
        half_term=activity.half_term,
        seed=seed,
        size=len(chosen),
        rule=f"{rule}{how} Seed {seed}.",
        strata=["team"] if activity.level == 2 else [],
        parameters={
            "quota": quota,
            "case": case_kind(activity, stage),
            "stage": stage,
            "period_start": period.starts_on.isoformat(),
            "period_end": period.ends_on.isoformat(),
        },
        candidates=candidates,
        chosen=chosen,
        quotas=quotas,
        by=by,
    )
