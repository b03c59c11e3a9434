"""Levels 1 and 2: random cases within a quota (in all at Level 1, per caseworker team at Level 2)."""

from __future__ import annotations

import random
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction

from audits.models import Audit, PlannedActivity, Sample
from audits.services.sampling.draw import MAX_SIZE, NO_TEAM, Candidate, draw, new_seed, record
from ehcp.models import Child, Plan
from qaf.models import Membership, User


def l12_candidates(*, activity: PlannedActivity) -> tuple[list[Candidate], str]:
    """The children a Level 1 or 2 activity may draw from (see the rule in audits.services.sampling), and
    the rule in words."""
    agency = activity.lead_agency
    children = Child.objects.filter(
        partnership_id=activity.plan.partnership_id, plan_ended_on__isnull=True
    ).exclude(pk__in=Audit.objects.filter(activity=activity, child__isnull=False).values("child_id"))
    if activity.level == 1:
        through = Child.agencies.through.objects.filter(agency_id=agency.pk)
        children = children.filter(pk__in=through.values("child_id"))
        rule = f"Children {agency.name} is involved with, plan not ceased, not yet audited on this activity."
        teams: dict[int, str] = {}
    else:
        children = children.filter(pk__in=Plan.objects.values("child_id"))
        rule = (
            f"Children with a draft or final plan, plan not ceased, not yet audited on this activity, grouped "
            f"by their caseworker's team in {agency.name}."
        )
        teams = {}
        memberships = Membership.objects.filter(agency_id=agency.pk, team__isnull=False).values_list(
            "user_id", "team__name"
        )
        for user_id, team in sorted(memberships, key=lambda row: (row[0], row[1])):
            teams.setdefault(user_id, team)
    latest: dict[int, int] = {}
    for child_id, plan_id in (
        Plan.objects.filter(child__in=children)
        .order_by("child_id", "-issued_on", "-pk")
        .values_list("child_id", "pk")
    ):
        latest.setdefault(child_id, plan_id)
    candidates = []
    for child_id, reference, caseworker_id in children.values_list("pk", "case_reference", "caseworker_id"):
        if activity.level == 1:
            stratum: tuple[str, ...] = ()
            reason = f"From the caseload of {agency.name}."
        else:
            team = teams.get(caseworker_id, NO_TEAM)
            stratum = (team,)
            reason = f"From the caseload of {team}."
        candidates.append(Candidate(child_id, reference, latest.get(child_id), stratum, reason))
    return candidates, rule


@transaction.atomic
def l12_sample_propose(
    *, activity: PlannedActivity, quota: int, by: User | None = None, seed: int | None = None
) -> Sample:
    """Draw and record a Level 1 or 2 sample for an activity: `quota` cases in all at Level 1, up to
    `quota` per team at Level 2. Callers check audits.access.can_schedule_from. Raises ValidationError for
    other levels or a quota outside 1 to 50."""
    if activity.level not in (1, 2):
        raise ValidationError({"activity": "Only Level 1 and 2 activities are sampled by quota"})
    if not 1 <= quota <= MAX_SIZE:
        raise ValidationError({"quota": f"Enter a quota from 1 to {MAX_SIZE}"})
    seed = new_seed(seed)
    candidates, rule = l12_candidates(activity=activity)
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
        parameters={"quota": quota},
        candidates=candidates,
        chosen=chosen,
        quotas=quotas,
        by=by,
    )
