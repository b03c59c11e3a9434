"""Grade computation from weighted answers, on its edge cases."""

from __future__ import annotations

from decimal import Decimal

import pytest

from audits.grading import QuestionSpec, SectionSpec, compute, grade_for, rescale
from audits.models.tools import default_scale

SCALE = default_scale()  # 4 Outstanding .. 1 Inadequate


def section(sid: int, *weights, weight: str = "1") -> SectionSpec:
    return SectionSpec(
        sid,
        Decimal(weight),
        tuple(QuestionSpec(sid * 10 + i, Decimal(str(w))) for i, w in enumerate(weights)),
    )


def test_all_not_applicable_gives_no_grade_anywhere():
    result = compute([section(1, 1, 1), section(2, 1)], SCALE, {10: "na", 11: "na", 20: "na"})
    assert result.grade == ""
    assert result.score is None
    assert [s.grade for s in result.sections] == ["", ""]
    assert result.sections[0].not_applicable == 2


def test_unanswered_questions_do_not_count():
    result = compute([section(1, 1, 1)], SCALE, {10: "4"})
    assert result.score == Decimal("4.000")
    assert result.grade == "outstanding"
    assert result.sections[0].answered == 1


def test_question_weights_shift_the_section_score():
    # (3*4 + 1*1) / 4 = 3.25 -> Good; unweighted it would be 2.5 -> Good too, so use 1*4 + 3*1 = 7/4 = 1.75 -> RI
    heavy_good = compute([section(1, 3, 1)], SCALE, {10: "4", 11: "1"})
    heavy_bad = compute([section(1, 1, 3)], SCALE, {10: "4", 11: "1"})
    assert heavy_good.score == Decimal("3.250") and heavy_good.grade == "good"
    assert heavy_bad.score == Decimal("1.750") and heavy_bad.grade == "requires_improvement"


def test_section_weights_shift_the_overall_grade_and_empty_sections_drop_out():
    sections = [section(1, 1, weight="3"), section(2, 1, weight="1"), section(3, 1, weight="5")]
    result = compute(sections, SCALE, {10: "1", 20: "4", 30: "na"})
    # (3*1 + 1*4) / 4 = 1.75; section 3 (all N/A) carries no weight.
    assert result.score == Decimal("1.750")
    assert result.grade == "requires_improvement"
    assert [s.grade for s in result.sections] == ["inadequate", "outstanding", ""]


def test_zero_weight_question_is_answered_but_not_scored():
    result = compute([section(1, 0, 1)], SCALE, {10: "1", 11: "4"})
    assert result.score == Decimal("4.000")
    assert result.sections[0].answered == 2


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("3.5", "outstanding"),
        ("3.499", "good"),
        ("2.5", "good"),
        ("2.499", "requires_improvement"),
        ("1.5", "requires_improvement"),
        ("1.499", "inadequate"),
        ("1", "inadequate"),
    ],
)
def test_grade_boundaries(score, grade):
    assert grade_for(Decimal(score)) == grade


def test_other_scales_are_rescaled_to_one_to_four():
    yes_partly_no = [
        {"value": "yes", "label": "Yes", "score": 2},
        {"value": "partly", "label": "Partly", "score": 1},
        {"value": "no", "label": "No", "score": 0},
    ]
    assert rescale(yes_partly_no) == {"yes": Decimal(4), "partly": Decimal("2.5"), "no": Decimal(1)}
    result = compute([section(1, 1, 1)], yes_partly_no, {10: "yes", 11: "partly"})
    assert result.score == Decimal("3.250")


def test_a_value_off_the_scale_is_refused():
    with pytest.raises(ValueError):
        compute([section(1, 1)], SCALE, {10: "7"})
