"""What every draw shares: the candidate shape, proportional allocation, the seeded draw and its record."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError

from audits.models import PlannedActivity, Sample, SampleItem
from qaf.models import HalfTerm, User

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


def day(value: dt.date) -> str:
    """A date as the sampling record writes it: "3 March 2026"."""
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


def draw(
    candidates: list[Candidate], size: int, rng: random.Random, stratified: bool
) -> tuple[list[Candidate], dict[tuple[str, ...], int]]:
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


def new_seed(seed: int | None) -> int:
    """The seed to draw with: the one given (checked to be a whole number from 0 below 2**63) or a new random
    one."""
    if seed is None:
        return secrets.randbelow(2**31 - 1) + 1
    if not 0 <= seed < 2**63:
        raise ValidationError({"seed": "Enter a whole number from 0 upwards"})
    return seed


def stratum_label(strata: Sequence[str], key: tuple[str, ...]) -> str:
    """The words for a stratum: each stratum's name with this key's value, e.g. "Primary need ASD, Agency
    North"."""
    return ", ".join(f"{STRATA.get(name, name)} {value}" for name, value in zip(strata, key, strict=True))


def record(
    *,
    partnership_id: int,
    activity: PlannedActivity | None,
    level: int,
    half_term: HalfTerm | None,
    seed: int,
    size: int,
    rule: str,
    strata: list[str],
    parameters: dict[str, Any],
    candidates: list[Candidate],
    chosen: list[Candidate],
    quotas: dict[tuple[str, ...], int],
    by: User | None,
) -> Sample:
    """Write the sample's record (who drew what from which pool, with seed and strata) so the draw can be
    repeated."""
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
                f" Stratum: {stratum_label(strata, c.stratum)} ({quotas[c.stratum]} of "
                f"{counts[c.stratum]} eligible drawn)."
                if strata
                else ""
            ),
        )
        for position, c in enumerate(chosen, start=1)
    )
    return sample
