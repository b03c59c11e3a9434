"""Drawing the cases an audit round looks at: reproducible, explained, recorded.

Level 3 (the framework's rule): six plans each half term, from the children of the partnership who have a
final plan issued in the previous academic year (relative to the half term's year) and an annual review
meeting held after that plan was issued (each case names the final plan issued after that review, when
there is one yet); their plan has not ceased; and no audit at any level was created for them, or is due, within the 12 months before the draw. The draw may be stratified by education provider,
primary need and key stage: places go to strata in proportion to their size (largest remainder), then cases
are drawn at random within each stratum.

Levels 1 and 2: random within a quota, from the cases the activity's tool can audit (sampling.pools): for
a plan audit, children with a plan issued in the stated period (a draft, a final, or either, as asked); for
a review audit, children with an annual review held in the period. The period is stated with the sample
(by default from the start of the half term before the activity's to the day before it starts). Level 1
draws `quota` children from the lead agency's caseload (the children the agency is involved with). Level 2
draws up to `quota` children per team of the statutory assessment team, a child belonging to the team of
their caseworker (children without one form a group of their own). Both leave out ceased plans and children
already audited on the same activity; a swap draws from the same pool, by the stage and period recorded on
the sample.

Every draw uses `random.Random(seed)` over candidates in case-reference order, so the same seed and the same
data give the same cases; the seed is generated when not given and kept on the Sample with the rule, the
strata and the allocation. The n-th swap in a sample draws its replacement with `random.Random(f"{seed}:swap:
{n}")`, so swaps are reproducible too.
"""

from audits.services.sampling.draw import MAX_SIZE, STRATA, Candidate, allocate
from audits.services.sampling.level3 import level3_candidates, level3_sample_propose
from audits.services.sampling.pools import Period, case_kind, default_period
from audits.services.sampling.quota import l12_candidates, l12_sample_propose
from audits.services.sampling.swap import sample_item_swap

__all__ = [
    "MAX_SIZE",
    "STRATA",
    "Candidate",
    "Period",
    "allocate",
    "case_kind",
    "default_period",
    "l12_candidates",
    "l12_sample_propose",
    "level3_candidates",
    "level3_sample_propose",
    "sample_item_swap",
]
