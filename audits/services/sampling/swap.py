"""Swapping a drawn case for another, reproducibly, keeping the reason."""

from __future__ import annotations

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from audits.models import Audit, PlannedActivity, Sample, SampleItem
from audits.services.sampling.draw import NO_TEAM, Candidate, stratum_label
from audits.services.sampling.level3 import education_providers, level3_candidates, stratum_key
from audits.services.sampling.quota import l12_candidates, sample_period
from ehcp.models import Child
from qaf.models import HalfTerm, Membership, User


def _half_term(sample: Sample) -> HalfTerm:
    if sample.half_term is None:
        raise ValueError("A Level 3 sample is drawn for a half term")
    return sample.half_term


def _activity(sample: Sample) -> PlannedActivity:
    if sample.activity is None:
        raise ValueError("A Level 1 or 2 sample is drawn for a planned activity")
    return sample.activity


def _candidates_again(sample: Sample) -> list[Candidate]:
    """The sample's candidates as they are now, by the sample's own rule and recorded dates (for Levels 1
    and 2, the stage and period it was drawn for)."""
    if sample.level == 3:
        as_of = dt.date.fromisoformat(sample.parameters.get("as_of", timezone.localdate().isoformat()))
        candidates, _, _ = level3_candidates(
            partnership_id=sample.partnership_id,
            half_term=_half_term(sample),
            as_of=as_of,
            strata=sample.strata,
        )
        return candidates
    candidates, _ = l12_candidates(
        activity=_activity(sample), stage=sample.parameters.get("stage", ""), period=sample_period(sample)
    )
    return candidates


def _stratum_of(sample: Sample, child: Child) -> tuple[str, ...]:
    if sample.level == 3:
        providers = education_providers([child.pk]) if "agency" in sample.strata else {}
        return stratum_key(child, sample.strata, providers, _half_term(sample).starts_on)
    if sample.level == 2 and child.caseworker_id:
        team = (
            Membership.objects.filter(
                agency_id=_activity(sample).lead_agency_id, user_id=child.caseworker_id, team__isnull=False
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
        f" Same stratum ({stratum_label(sample.strata, stratum)})."
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
