"""Drawing the cases an audit round looks at: reproducible, explained, recorded.

Level 3 (the framework's rule): six plans each half term, from the children of the partnership who have a
final plan issued in the previous academic year (relative to the half term's year) and an annual review
meeting held after that plan was issued; their plan has not ceased; and no audit at any level was created for
them, or is due, within the 12 months before the draw. The draw may be stratified by education provider,
primary need and key stage: places go to strata in proportion to their size (largest remainder), then cases
are drawn at random within each stratum.

Levels 1 and 2: random within a quota. Level 1 draws `quota` children from the lead agency's caseload (the
children the agency is involved with). Level 2 draws up to `quota` children per team of the statutory
assessment team, a child belonging to the team of their caseworker (children without one form a group of
their own), from children with a draft or final plan. Both leave out ceased plans and children already
audited on the same activity.

Every draw uses `random.Random(seed)` over candidates in case-reference order, so the same seed and the same
data give the same cases; the seed is generated when not given and kept on the Sample with the rule, the
strata and the allocation. The n-th swap in a sample draws its replacement with `random.Random(f"{seed}:swap:
{n}")`, so swaps are reproducible too.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from audits.models import Audit, PlannedActivity, Sample, SampleItem
from ehcp import timeliness
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf import calendar
from qaf.models import AcademicYear, AgencyKind, HalfTerm, Membership, Partnership, User

STRATA = {"agency": "education provider", "primary_need": "primary need", "key_stage": "key stage"}
NO_PROVIDER = "No education provider recorded"
NO_TEAM = "No team recorded"
MAX_SIZE = 50


@dataclass(frozen=True)
class Candidate:
    """One eligible child, with the plan that qualifies them and why."""

    child_id: int
    case_reference: str
    plan_id: int | None
    stratum: tuple[str, ...]
    reason: str


def _day(value: dt.date) -> str:
    return f"{value:%-d %B %Y}"


def allocate(sizes: dict[tuple[str, ...], int], total: int) -> dict[tuple[str, ...], int]:
    """Share `total` places among strata in proportion to their sizes (Hamilton's largest remainder method).

    Ties in the remainder go to the larger stratum, then to the stratum that sorts first. No stratum gets
    more places than it has cases; `total` above the number of cases gives every case a place."""
    population = sum(sizes.values())
    total = min(total, population)
    if total <= 0:
        return dict.fromkeys(sizes, 0)
    exact = {key: total * n / population for key, n in sizes.items()}
    quotas = {key: int(share) for key, share in exact.items()}
    left = total - sum(quotas.values())
    by_remainder = sorted(sizes, key=lambda k: (-(exact[k] - quotas[k]), -sizes[k], k))
    for key in by_remainder[:left]:
        quotas[key] += 1
    return quotas


def _draw(candidates: list[Candidate], size: int, rng: random.Random, stratified: bool):
    """Pick `size` candidates (all when fewer); returns (chosen, allocation by stratum or {})."""
    candidates = sorted(candidates, key=lambda c: (c.case_reference, c.child_id))
    if not stratified:
        return rng.sample(candidates, min(size, len(candidates))), {}
    groups: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
    for candidate in candidates:
        groups[candidate.stratum].append(candidate)
    quotas = allocate({key: len(members) for key, members in groups.items()}, size)
    chosen: list[Candidate] = []
    for key in sorted(groups):
        chosen.extend(rng.sample(groups[key], quotas[key]))
    return chosen, quotas


# --- Level 3 -------------------------------------------------------------------------------------------


def _previous_year(partnership_id: int, half_term: HalfTerm) -> tuple[str, dt.date, dt.date]:
    start_year = half_term.term.academic_year.start_year - 1
    year = AcademicYear.objects.filter(partnership_id=partnership_id, start_year=start_year).first()
    if year is not None:
        return str(year), year.starts_on, year.ends_on
    label = f"{start_year}/{str(start_year + 1)[-2:]}"
    return label, calendar.default_date(start_year, (9, 1)), calendar.default_date(start_year, (8, 31))


def _recently_audited(partnership_id: int, cutoff: dt.date):
    since = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    return (
        Audit.objects.filter(partnership_id=partnership_id, child__isnull=False)
        .filter(Q(created_at__gte=since) | Q(due_on__gte=cutoff))
        .values("child_id")
    )


def _education_providers(child_ids: Sequence[int]) -> dict[int, str]:
    """Each child's education provider (the first by name when several are recorded)."""
    through = Child.agencies.through.objects.filter(
        child_id__in=child_ids, agency__kind=AgencyKind.EDUCATION
    ).values_list("child_id", "agency__name")
    providers: dict[int, str] = {}
    for child_id, name in sorted(through, key=lambda row: (row[0], row[1])):
        providers.setdefault(child_id, name)
    return providers


def _stratum(child: Child, strata: Sequence[str], providers: dict[int, str], on: dt.date) -> tuple[str, ...]:
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


def level3_candidates(
    *, partnership_id: int, half_term: HalfTerm, as_of: dt.date, strata: Sequence[str] = ()
) -> tuple[list[Candidate], str, dict]:
    """The children eligible for a Level 3 audit in `half_term`, judged on `as_of` (see the module's rule),
    with the rule in words and the dates it used. Read-only."""
    label, first, last = _previous_year(partnership_id, half_term)
    cutoff = as_of - relativedelta(months=12)
    last_review = (
        AnnualReview.objects.filter(child_id=OuterRef("child_id"), meeting_on__gt=OuterRef("issued_on"))
        .order_by("-meeting_on")
        .values("meeting_on")[:1]
    )
    plans = (
        Plan.objects.filter(
            child__partnership_id=partnership_id,
            child__plan_ended_on__isnull=True,
            kind=PlanKind.FINAL,
            issued_on__range=(first, last),
        )
        .exclude(child_id__in=_recently_audited(partnership_id, cutoff))
        .annotate(review_on=Subquery(last_review))
        .filter(review_on__isnull=False)
        .select_related("child")
        .order_by("child_id", "-issued_on", "-pk")
    )
    latest: dict[int, Plan] = {}
    for plan in plans:
        latest.setdefault(plan.child_id, plan)
    providers = _education_providers(list(latest)) if "agency" in strata else {}
    candidates = [
        Candidate(
            child_id=plan.child_id,
            case_reference=plan.child.case_reference,
            plan_id=plan.pk,
            stratum=_stratum(plan.child, strata, providers, half_term.starts_on),
            reason=(
                f"Final plan issued {_day(plan.issued_on)} (in {label}); annual review held "
                f"{_day(plan.review_on)}, after that plan; no audit since {_day(cutoff)}."
            ),
        )
        for plan in latest.values()
    ]
    rule = (
        f"Children with a final EHC plan issued in {label} ({_day(first)} to {_day(last)}) and an annual review "
        f"meeting held after that plan was issued; plan not ceased; no audit at any level created or due "
        f"since {_day(cutoff)} (12 months before {_day(as_of)})."
    )
    dates = {"as_of": as_of.isoformat(), "previous_year": label, "cutoff": cutoff.isoformat()}
    return candidates, rule, dates


def _new_seed(seed: int | None) -> int:
    if seed is None:
        return secrets.randbelow(2**31 - 1) + 1
    if not 0 <= seed < 2**63:
        raise ValidationError({"seed": "Enter a whole number from 0 upwards"})
    return seed


def _stratum_label(strata: Sequence[str], key: tuple[str, ...]) -> str:
    return ", ".join(f"{STRATA.get(name, name)} {value}" for name, value in zip(strata, key, strict=True))


def _record(
    *,
    partnership_id: int,
    activity: PlannedActivity | None,
    level: int,
    half_term: HalfTerm | None,
    seed: int,
    size: int,
    rule: str,
    strata: list[str],
    parameters: dict,
    candidates: list[Candidate],
    chosen: list[Candidate],
    quotas: dict,
    by: User | None,
) -> Sample:
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for candidate in candidates:
        counts[candidate.stratum] += 1
    sample = Sample.objects.create(
        partnership_id=partnership_id,
        activity=activity,
        level=level,
        half_term=half_term,
        seed=seed,
        size=size,
        rule=rule,
        strata=strata,
        parameters={
            **parameters,
            "drawn": len(chosen),
            "allocation": [
                {"stratum": list(key), "eligible": counts[key], "places": quotas[key]}
                for key in sorted(quotas)
            ],
        },
        eligible_count=len(candidates),
        created_by=by,
    )
    SampleItem.objects.bulk_create(
        SampleItem(
            sample=sample,
            child_id=c.child_id,
            plan_id=c.plan_id,
            position=position,
            rationale=c.reason
            + (
                f" Stratum: {_stratum_label(strata, c.stratum)} ({quotas[c.stratum]} of "
                f"{counts[c.stratum]} eligible drawn)."
                if strata
                else ""
            ),
        )
        for position, c in enumerate(chosen, start=1)
    )
    return sample


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
    """Draw and record a Level 3 sample for `half_term` (see the module's rule), judged on `as_of` (today).

    Callers check that the user may sample (the SQA officer). Raises ValidationError when the half term or
    activity is of another partnership, the size is not 1 to 50, or a stratum is unknown."""
    if half_term.term.academic_year.partnership_id != partnership.pk:
        raise ValidationError({"half_term": "Choose a half term of your partnership"})
    if activity is not None and activity.plan.partnership_id != partnership.pk:
        raise ValidationError({"activity": "Choose an activity of your partnership"})
    if not 1 <= size <= MAX_SIZE:
        raise ValidationError({"size": f"Enter a number of cases from 1 to {MAX_SIZE}"})
    strata = _clean_strata(strata)
    seed = _new_seed(seed)
    as_of = as_of or timezone.localdate()
    candidates, rule, dates = level3_candidates(
        partnership_id=partnership.pk, half_term=half_term, as_of=as_of, strata=strata
    )
    chosen, quotas = _draw(candidates, size, random.Random(seed), bool(strata))
    how = (
        f" Stratified by {', '.join(STRATA[s] for s in strata)}: places shared in proportion to each "
        "stratum's size (largest remainder), then drawn at random within each."
        if strata
        else " Drawn at random."
    )
    return _record(
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


# --- Levels 1 and 2 ------------------------------------------------------------------------------------


def l12_candidates(*, activity: PlannedActivity) -> tuple[list[Candidate], str]:
    """The children a Level 1 or 2 activity may draw from (see the module's rule), and the rule in words."""
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
    seed = _new_seed(seed)
    candidates, rule = l12_candidates(activity=activity)
    rng = random.Random(seed)
    if activity.level == 1:
        chosen, quotas = _draw(candidates, quota, rng, False)
        how = f" {quota} drawn at random."
    else:
        groups: dict[tuple[str, ...], list[Candidate]] = defaultdict(list)
        for candidate in sorted(candidates, key=lambda c: (c.case_reference, c.child_id)):
            groups[candidate.stratum].append(candidate)
        quotas = {key: min(quota, len(members)) for key, members in groups.items()}
        chosen = [c for key in sorted(groups) for c in rng.sample(groups[key], quotas[key])]
        how = f" Up to {quota} drawn at random from each team."
    return _record(
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


# --- Swaps ---------------------------------------------------------------------------------------------


def _candidates_again(sample: Sample) -> list[Candidate]:
    """The sample's candidates as they are now, by the sample's own rule and recorded date."""
    if sample.level == 3:
        as_of = dt.date.fromisoformat(sample.parameters.get("as_of", timezone.localdate().isoformat()))
        candidates, _, _ = level3_candidates(
            partnership_id=sample.partnership_id,
            half_term=sample.half_term,
            as_of=as_of,
            strata=sample.strata,
        )
        return candidates
    candidates, _ = l12_candidates(activity=sample.activity)
    return candidates


def _stratum_of(sample: Sample, child: Child) -> tuple[str, ...]:
    if sample.level == 3:
        providers = _education_providers([child.pk]) if "agency" in sample.strata else {}
        return _stratum(child, sample.strata, providers, sample.half_term.starts_on)
    if sample.level == 2 and child.caseworker_id:
        team = (
            Membership.objects.filter(
                agency_id=sample.activity.lead_agency_id, user_id=child.caseworker_id, team__isnull=False
            )
            .order_by("team__name")
            .values_list("team__name", flat=True)
            .first()
        )
        return (team or NO_TEAM,)
    return (NO_TEAM,) if sample.level == 2 else ()


@transaction.atomic
def sample_item_swap(*, item: SampleItem, reason: str, by: User) -> SampleItem:
    """Swap a drawn case for another: the item is kept, marked swapped out with the reason, and a
    replacement drawn from the remaining eligible children (the same stratum when it has any left) is added
    at the same position. Children already in the sample, the swapped one included, are never drawn again.

    Callers check that the user may sample for the activity. Raises ValidationError without a reason, for an
    item already swapped out or already scheduled, or when no eligible child is left."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Enter why this case is being swapped"})
    sample = Sample.objects.select_for_update().get(pk=item.sample_id)
    item = SampleItem.objects.select_related("child").get(pk=item.pk)
    if item.swapped_out:
        raise ValidationError("This case has already been swapped out.")
    if Audit.objects.filter(sample_item=item).exists():
        raise ValidationError("An audit has been scheduled for this case; it can no longer be swapped.")
    if sample.activity_id is None and sample.level != 3:
        raise ValidationError("This sample's activity has been removed; draw a new sample.")
    taken = set(sample.items.values_list("child_id", flat=True))
    pool = [c for c in _candidates_again(sample) if c.child_id not in taken]
    if not pool:
        raise ValidationError("No other eligible case is left to swap in.")
    stratum = _stratum_of(sample, item.child)
    same = [c for c in pool if c.stratum == stratum]
    swaps = sample.items.filter(replaces__isnull=False).count()
    rng = random.Random(f"{sample.seed}:swap:{swaps + 1}")
    choice = rng.choice(sorted(same or pool, key=lambda c: (c.case_reference, c.child_id)))
    item.swapped_out = True
    item.swap_reason = reason
    item.swapped_by = by
    item.swapped_at = timezone.now()
    item.save(update_fields=["swapped_out", "swap_reason", "swapped_by", "swapped_at"])
    where = (
        f" Same stratum ({_stratum_label(sample.strata, stratum)})."
        if same and sample.strata
        else (" No case left in the same stratum; drawn from all remaining." if sample.strata else "")
    )
    return SampleItem.objects.create(
        sample=sample,
        child_id=choice.child_id,
        plan_id=choice.plan_id,
        position=item.position,
        rationale=f"{choice.reason} Replaces {item.child.case_reference} (swap {swaps + 1}).{where}",
        replaces=item,
    )
