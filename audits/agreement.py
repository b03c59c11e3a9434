"""Agreement between two raters of the same audits (auditor and moderator): pure functions, no database.

A *pair* is (auditor's grade, moderator's grade) for one audit or one section. Grades are ordinal categories,
given best first (`GRADES`: Outstanding, Good, Requires improvement, Inadequate).

With n pairs over k categories, let n_ij be the number of pairs where the auditor said category i and the
moderator said j, a_i = sum_j n_ij and m_j = sum_i n_ij the two raters' marginal counts.

- Percentage agreement: p_o = sum_i n_ii / n.
- Cohen's kappa (unweighted, the headline figure):
      p_e   = sum_i (a_i / n) * (m_i / n)        (agreement expected by chance from the marginals)
      kappa = (p_o - p_e) / (1 - p_e)
- Linearly weighted kappa (a second figure that credits near misses on the ordinal scale):
      w_ij    = 1 - |i - j| / (k - 1)            (1 on the diagonal, 0 for the furthest categories)
      p_o(w)  = sum_ij w_ij * n_ij / n
      p_e(w)  = sum_ij w_ij * (a_i / n) * (m_j / n)
      kappa_w = (p_o(w) - p_e(w)) / (1 - p_e(w))
  k is the length of the category list (4 for the grades). The scale of linear weights cancels out, so
  kappa_w = 1 - (sum_ij |i - j| n_ij) / (sum_ij |i - j| a_i m_j / n): it depends only on the grade steps.

Degenerate cases: no pairs gives None for every figure. When p_e == 1 both raters used one and the same
category for every pair, so they agreed on everything; kappa is then defined as 1.0 (agreement), rather than
the 0/0 the formula gives. Arithmetic is exact (fractions); results are returned as floats.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from audits.models.grades import Grade

# Best first; the position on this list is the ordinal category.
GRADES: tuple[str, ...] = (
    Grade.OUTSTANDING,
    Grade.GOOD,
    Grade.REQUIRES_IMPROVEMENT,
    Grade.INADEQUATE,
)

Pair = tuple[str, str]

# Landis & Koch (1977): the upper bound of each band of kappa (below 0 is "poor", above 0.80 "almost perfect").
BANDS: tuple[tuple[float, str], ...] = (
    (0.20, "slight"),
    (0.40, "fair"),
    (0.60, "moderate"),
    (0.80, "substantial"),
)


@dataclass(frozen=True)
class Agreement:
    n: int
    agreed: int
    percent: float | None  # percentage agreement, 0-100
    kappa: float | None
    weighted_kappa: float | None

    @property
    def band(self) -> str:
        return kappa_band(self.kappa)


def _checked(pairs: Iterable[Pair], categories: Sequence[str]) -> list[Pair]:
    known = set(categories)
    checked = list(pairs)
    for first, second in checked:
        if first not in known or second not in known:
            raise ValueError(f"({first!r}, {second!r}) is not a pair of known grades")
    return checked


def _kappa(p_o: Fraction, p_e: Fraction) -> Fraction:
    if p_e == 1:
        # Both raters put every case in one same category: complete agreement, kappa is taken as 1.
        return Fraction(1)
    return (p_o - p_e) / (1 - p_e)


def percentage_agreement(pairs: Iterable[Pair], categories: Sequence[str] = GRADES) -> float | None:
    """The share of pairs where both raters gave the same grade, as a percentage; None for no pairs."""
    pairs = _checked(pairs, categories)
    if not pairs:
        return None
    return float(Fraction(sum(1 for a, m in pairs if a == m), len(pairs)) * 100)


def cohen_kappa(pairs: Iterable[Pair], categories: Sequence[str] = GRADES) -> float | None:
    """Unweighted Cohen's kappa of the pairs (see the module docstring); None for no pairs.

    Raises ValueError for a grade that is not one of `categories`."""
    pairs = _checked(pairs, categories)
    n = len(pairs)
    if n == 0:
        return None
    first, second = Counter(a for a, _ in pairs), Counter(m for _, m in pairs)
    p_o = Fraction(sum(1 for a, m in pairs if a == m), n)
    p_e = sum((Fraction(first[c] * second[c], n * n) for c in categories), Fraction(0))
    return float(_kappa(p_o, p_e))


def weighted_kappa(pairs: Iterable[Pair], categories: Sequence[str] = GRADES) -> float | None:
    """Linearly weighted Cohen's kappa over the ordered `categories` (see the module docstring); None for
    no pairs. With a single category it equals the unweighted kappa (1.0).

    Raises ValueError for a grade that is not one of `categories`."""
    pairs = _checked(pairs, categories)
    n = len(pairs)
    if n == 0:
        return None
    k = len(categories)
    position = {c: i for i, c in enumerate(categories)}

    def weight(i: int, j: int) -> Fraction:
        return Fraction(1) if k == 1 else 1 - Fraction(abs(i - j), k - 1)

    first, second = Counter(a for a, _ in pairs), Counter(m for _, m in pairs)
    p_o = sum((weight(position[a], position[m]) for a, m in pairs), Fraction(0)) / n
    p_e = sum(
        (
            weight(position[a], position[m]) * Fraction(first[a] * second[m], n * n)
            for a in first
            for m in second
        ),
        Fraction(0),
    )
    return float(_kappa(p_o, p_e))


def agreement(pairs: Iterable[Pair], categories: Sequence[str] = GRADES) -> Agreement:
    """Every figure for one group of pairs: n, the number agreed, % agreement, kappa and weighted kappa."""
    pairs = _checked(pairs, categories)
    return Agreement(
        n=len(pairs),
        agreed=sum(1 for a, m in pairs if a == m),
        percent=percentage_agreement(pairs, categories),
        kappa=cohen_kappa(pairs, categories),
        weighted_kappa=weighted_kappa(pairs, categories),
    )


def kappa_band(kappa: float | None) -> str:
    """Landis & Koch's words for a kappa: poor (< 0), slight (0-0.20), fair (0.21-0.40), moderate
    (0.41-0.60), substantial (0.61-0.80), almost perfect (0.81-1); "" when there is no kappa."""
    if kappa is None:
        return ""
    if kappa < 0:
        return "poor"
    for upper, word in BANDS:
        if kappa <= upper:
            return word
    return "almost perfect"
