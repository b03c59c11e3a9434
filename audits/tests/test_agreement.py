"""Percentage agreement and Cohen's kappa (unweighted and linearly weighted), checked against hand-worked
examples written out below and against a published one."""

from __future__ import annotations

from fractions import Fraction

import pytest

from audits.agreement import (
    agreement,
    cohen_kappa,
    kappa_band,
    percentage_agreement,
    weighted_kappa,
)

O, G, R, I = "outstanding", "good", "requires_improvement", "inadequate"


def close(value: float | None, exact: Fraction) -> bool:
    return value is not None and value == pytest.approx(float(exact), abs=1e-12)


# Ten audits graded by an auditor (first) and a moderator (second):
#
#   1 O O   2 G G   3 G G   4 G R   5 R R   6 R R   7 R G   8 I I   9 G G   10 O G
#
# Agreed: 1, 2, 3, 5, 6, 8, 9 -> p_o = 7/10 = 0.7
# Auditor's counts:   O 2, G 4, R 3, I 1
# Moderator's counts: O 1, G 5, R 3, I 1
# p_e = (2*1 + 4*5 + 3*3 + 1*1) / 10^2 = 32/100 = 0.32
# kappa = (0.7 - 0.32) / (1 - 0.32) = 0.38 / 0.68 = 19/34 = 0.5588... ("moderate")
#
# Linear weights over the 4 grades, w = 1 - |i - j| / 3: same grade 1, one step 2/3, two 1/3, three 0.
# Observed: 7 agreements (w 1) and 3 one-step misses (4, 7, 10: w 2/3) -> p_o(w) = (7 + 3 * 2/3) / 10 = 9/10
# Expected, sum of auditor count * moderator count * weight over all 16 cells, / 100:
#   O-O 2*1*1 = 2    O-G 2*5*2/3 = 20/3  O-R 2*3*1/3 = 2    O-I 2*1*0 = 0
#   G-O 4*1*2/3 = 8/3  G-G 4*5*1 = 20  G-R 4*3*2/3 = 8      G-I 4*1*1/3 = 4/3
#   R-O 3*1*1/3 = 1  R-G 3*5*2/3 = 10    R-R 3*3*1 = 9      R-I 3*1*2/3 = 2
#   I-O 1*1*0 = 0    I-G 1*5*1/3 = 5/3   I-R 1*3*2/3 = 2    I-I 1*1*1 = 1
#   whole numbers 57, thirds 37/3 -> 208/3; p_e(w) = 208/300 = 52/75
# weighted kappa = (9/10 - 52/75) / (1 - 52/75) = (31/150) / (23/75) = 31/46 = 0.6739...
TEN_PAIRS = [(O, O), (G, G), (G, G), (G, R), (R, R), (R, R), (R, G), (I, I), (G, G), (O, G)]


def test_hand_worked_ten_pairs():
    figures = agreement(TEN_PAIRS)
    assert figures.n == 10
    assert figures.agreed == 7
    assert figures.percent == pytest.approx(70.0)
    assert close(figures.kappa, Fraction(19, 34))
    assert close(figures.weighted_kappa, Fraction(31, 46))
    assert figures.band == "moderate"


# A small weighted case, four pairs: (G, G) (G, R) (R, R) (I, R)
# p_o(w) = (1 + 2/3 + 1 + 2/3) / 4 = 5/6
# Auditor: G 2, R 1, I 1; moderator: G 1, R 3
# p_e(w) = (G-G 2*1*1 + G-R 2*3*2/3 + R-G 1*1*2/3 + R-R 1*3*1 + I-G 1*1*1/3 + I-R 1*3*2/3) / 16
#        = (2 + 4 + 2/3 + 3 + 1/3 + 2) / 16 = 12/16 = 3/4
# weighted kappa = (5/6 - 3/4) / (1 - 3/4) = (1/12) / (3/12) = 1/3
# Unweighted: p_o = 2/4; p_e = (G 2*1 + R 1*3 + I 1*0) / 16 = 5/16; kappa = (8/16 - 5/16) / (11/16) = 3/11
FOUR_PAIRS = [(G, G), (G, R), (R, R), (I, R)]


def test_hand_worked_weighted_small_case():
    assert close(weighted_kappa(FOUR_PAIRS), Fraction(1, 3))
    assert close(cohen_kappa(FOUR_PAIRS), Fraction(3, 11))
    assert percentage_agreement(FOUR_PAIRS) == pytest.approx(50.0)


def table(both_yes: int, first_only: int, second_only: int, both_no: int) -> list[tuple[str, str]]:
    """A 2x2 table as pairs (first rater, second rater)."""
    return (
        [("yes", "yes")] * both_yes
        + [("yes", "no")] * first_only
        + [("no", "yes")] * second_only
        + [("no", "no")] * both_no
    )


YES_NO = ("yes", "no")


def test_published_example_grant_proposals():
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by two readers, 20 yes/yes,
    # 5 yes/no, 10 no/yes, 15 no/no. p_o = 35/50 = 0.7; reader A says yes 25/50, reader B 30/50;
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    pairs = table(20, 5, 10, 15)
    assert close(cohen_kappa(pairs, YES_NO), Fraction(2, 5))
    assert percentage_agreement(pairs, YES_NO) == pytest.approx(70.0)
    # With two categories the linear weights are 1 and 0, so weighted kappa is the same figure.
    assert close(weighted_kappa(pairs, YES_NO), Fraction(2, 5))


def test_published_example_same_agreement_different_kappa():
    # Wikipedia, "Cohen's kappa": two tables that both agree on 60 of 100 cases.
    # 45/15/25/15: p_e = 0.6*0.7 + 0.4*0.3 = 0.54, kappa = 0.06/0.46 = 3/23 (0.1304)
    # 25/35/5/35:  p_e = 0.6*0.3 + 0.4*0.7 = 0.46, kappa = 0.14/0.54 = 7/27 (0.2593)
    assert close(cohen_kappa(table(45, 15, 25, 15), YES_NO), Fraction(3, 23))
    assert close(cohen_kappa(table(25, 35, 5, 35), YES_NO), Fraction(7, 27))


def test_no_pairs_gives_no_figures():
    figures = agreement([])
    assert figures.n == 0
    assert figures.percent is None
    assert figures.kappa is None
    assert figures.weighted_kappa is None
    assert figures.band == ""


def test_one_category_only_is_complete_agreement():
    # p_e = 1: the formula is 0/0; defined as agreement.
    assert cohen_kappa([(G, G)] * 5) == 1.0
    assert weighted_kappa([(G, G)] * 5) == 1.0
    assert cohen_kappa([(G, G)]) == 1.0


def test_perfect_agreement_over_several_grades():
    pairs = [(O, O), (G, G), (R, R), (I, I), (G, G)]
    assert cohen_kappa(pairs) == pytest.approx(1.0)
    assert weighted_kappa(pairs) == pytest.approx(1.0)
    assert percentage_agreement(pairs) == 100.0


def test_opposite_extremes_give_minus_one():
    # p_o = 0; p_e = (1*1 + 1*1) / 4 = 1/2 -> kappa = -1; the weights of O against I are 0 -> also -1.
    pairs = [(O, I), (I, O)]
    assert cohen_kappa(pairs) == pytest.approx(-1.0)
    assert weighted_kappa(pairs) == pytest.approx(-1.0)
    assert kappa_band(-1.0) == "poor"


def test_near_misses_count_for_weighted_kappa_only():
    one_step = [(O, G), (G, R), (R, I), (I, R), (G, O), (R, G)]
    three_steps = [(O, I), (G, I), (R, O), (I, O), (G, I), (R, O)]
    assert cohen_kappa(one_step) < 0 and cohen_kappa(three_steps) < 0
    assert weighted_kappa(one_step) > weighted_kappa(three_steps)


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        cohen_kappa([(G, "excellent")])
    with pytest.raises(ValueError):
        agreement([("", G)])


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, ""),
    ],
)
def test_landis_koch_bands(kappa, band):
    assert kappa_band(kappa) == band
