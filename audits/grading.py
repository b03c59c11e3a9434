"""Grades from weighted answers: pure functions, no database.

Each answered question scores on its tool version's scale, rescaled to 1 (worst) – 4 (best) so that tools with
other scales (yes / partly / no) grade alike. "Not applicable" and unanswered questions, and questions of weight
0, do not count. A section's score is the weighted mean of its questions; the overall score is the weighted mean
of the sections that have a score. Scores map to grades: 3.5 and above Outstanding, 2.5 Good, 1.5 Requires
improvement, below that Inadequate. A section or audit with nothing to score has no grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal

from audits.models.grades import Grade

NOT_APPLICABLE = "na"
THRESHOLDS = [
    (Decimal("3.5"), Grade.OUTSTANDING),
    (Decimal("2.5"), Grade.GOOD),
    (Decimal("1.5"), Grade.REQUIRES_IMPROVEMENT),
]


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    weight: Decimal


@dataclass(frozen=True)
class SectionSpec:
    id: int
    weight: Decimal
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class SectionResult:
    section_id: int
    score: Decimal | None
    grade: str  # a Grade value, or "" when nothing could be scored
    answered: int
    not_applicable: int


@dataclass(frozen=True)
class Result:
    sections: tuple[SectionResult, ...]
    score: Decimal | None
    grade: str


def grade_for(score: Decimal | None) -> str:
    if score is None:
        return ""
    for threshold, grade in THRESHOLDS:
        if score >= threshold:
            return grade
    return Grade.INADEQUATE


def rescale(scale: Iterable[Mapping]) -> dict[str, Decimal]:
    """Map each scale value to a score from 1 to 4 (a one-option scale scores 4)."""
    raw = {str(option["value"]): Decimal(str(option["score"])) for option in scale}
    low, high = min(raw.values()), max(raw.values())
    if high == low:
        return {value: Decimal(4) for value in raw}
    return {value: 1 + (score - low) * 3 / (high - low) for value, score in raw.items()}


def _weighted_mean(pairs: list[tuple[Decimal, Decimal]]) -> Decimal | None:
    total_weight = sum((w for w, _ in pairs), Decimal(0))
    if not pairs or total_weight == 0:
        return None
    return (sum((w * s for w, s in pairs), Decimal(0)) / total_weight).quantize(Decimal("0.001"))


def compute(sections: Iterable[SectionSpec], scale: Iterable[Mapping], answers: Mapping[int, str]) -> Result:
    """Grade an audit: `answers` maps question id to the value given ("" or absent when unanswered).

    Raises ValueError for a value that is not on the scale (and not "na")."""
    sections = tuple(sections)
    scores = rescale(scale)
    results = []
    for section in sections:
        pairs: list[tuple[Decimal, Decimal]] = []
        answered = not_applicable = 0
        for question in section.questions:
            value = answers.get(question.id, "")
            if value == "":
                continue
            if value == NOT_APPLICABLE:
                not_applicable += 1
                continue
            if value not in scores:
                raise ValueError(f"{value!r} is not on this tool's answer scale")
            answered += 1
            if question.weight > 0:
                pairs.append((question.weight, scores[value]))
        score = _weighted_mean(pairs)
        results.append(SectionResult(section.id, score, grade_for(score), answered, not_applicable))
    overall = _weighted_mean(
        [(s.weight, r.score) for s, r in zip(sections, results, strict=True) if r.score is not None]
    )
    return Result(tuple(results), overall, grade_for(overall))
