"""Aggregates of the voice for one academic year: response rates by form, agency and term, scores per scored
question with their trend across terms, and the themes of free-text answers. (The themed board summary of one
half-year is in feedback.selectors.summary.)

Every function takes querysets already scoped by feedback.access and returns counts, means and percentages: no
response, no answer text, no child, no contact. Each runs a fixed number of queries, however many rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from feedback.models import (
    SCORED_KINDS,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    QuestionKind,
)
from feedback.selectors.responses import free_text_answers
from qaf.figures import percent
from qaf.models import Term

# --- one academic year: rates, scores, themes -----------------------------------------------------------------


def term_label(term: Term) -> str:
    """A term as the analysis tables name it: "Autumn term"."""
    return f"{term.get_name_display()} term"


def _term_case(terms: list[Term], date_field: str) -> Case:
    """The pk of the term whose dates hold `date_field`, or NULL."""
    whens = [When(**{f"{date_field}__range": (t.starts_on, t.ends_on)}, then=Value(t.pk)) for t in terms]
    return Case(*whens, default=None, output_field=IntegerField())


@dataclass
class Rate:
    """Invitations sent (not withdrawn) and answered; `received` counts every response (any route) for terms."""

    label: str
    sent: int = 0
    answered: int = 0
    received: int = 0

    @property
    def percent(self) -> int | None:
        """The share answered, as a whole percentage; None when nothing was sent."""
        return percent(self.answered, self.sent)

    def add(self, sent: int, answered: int) -> None:
        """Count `sent` more invitations, `answered` of them answered."""
        self.sent += sent
        self.answered += answered


@dataclass
class ResponseRates:
    """Response rates in total and by form, agency and term."""

    total: Rate
    by_form: list[Rate]
    by_agency: list[Rate]
    by_term: list[Rate]


def response_rates(
    invitations: QuerySet[FeedbackInvitation], responses: QuerySet[FeedbackResponse], terms: list[Term]
) -> ResponseRates:
    """Response rates of the invitations for meetings held in `terms` (withdrawn ones left out), by form, by
    agency and by term, from one grouped query; and, per term, every response received (with the general form's).
    Two queries."""
    total = Rate("All forms")
    if not terms:
        return ResponseRates(total, [], [], [])
    by_term = {t.pk: Rate(term_label(t)) for t in terms}
    by_form: dict[int, Rate] = {}
    by_agency: dict[int, Rate] = {}
    rows = (
        invitations.filter(
            withdrawn_at__isnull=True,
            meeting_on__gte=min(t.starts_on for t in terms),
            meeting_on__lte=max(t.ends_on for t in terms),
        )
        .annotate(term_pk=_term_case(terms, "meeting_on"))
        .exclude(term_pk=None)
        .values("term_pk", "version__form_id", "version__form__name", "agency_id", "agency__name")
        .annotate(sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False)))
        .order_by()
    )
    for row in rows:
        form = by_form.setdefault(row["version__form_id"], Rate(row["version__form__name"]))
        agency = by_agency.setdefault(row["agency_id"], Rate(row["agency__name"]))
        for rate in (total, by_term[row["term_pk"]], form, agency):
            rate.add(row["sent"], row["answered"])
    received = (
        responses.filter(term_id__in=list(by_term)).values("term_id").annotate(n=Count("pk")).order_by()
    )
    for counted in received:
        by_term[counted["term_id"]].received = counted["n"]
        total.received += counted["n"]

    def by_label(rates: dict[int, Rate]) -> list[Rate]:
        return sorted(rates.values(), key=lambda rate: rate.label)

    return ResponseRates(total, by_label(by_form), by_label(by_agency), list(by_term.values()))


@dataclass
class ScoreCell:
    """The answers to one scored question in one period: how many, their mean, and how many were positive
    (in the top half of the question's scale, or "yes")."""

    responses: int = 0
    total: int = 0
    positive: int = 0
    trend: str = ""  # "up", "down" or "same" against the last earlier term with answers; "" when none

    @property
    def mean(self) -> float | None:
        """The mean score of the responses; None without responses."""
        return self.total / self.responses if self.responses else None

    @property
    def positive_percent(self) -> int | None:
        """The share of positive answers, as a whole percentage; None without responses."""
        return percent(self.positive, self.responses)


@dataclass
class QuestionScores:
    """One scored question's figures in each column of the analysis."""

    code: str
    text: str
    kind: str
    scale_max: int
    cells: list[ScoreCell]
    year: ScoreCell


@dataclass
class FormScores:
    """A form's scored questions, for the analysis."""

    name: str
    questions: list[QuestionScores]


def question_scale(question: FeedbackQuestion) -> tuple[int, int] | None:
    """The lowest and highest score a scored question's options carry; None when no option is scored."""
    scores = [int(o["score"]) for o in question.options if o.get("score") is not None]
    return (min(scores), max(scores)) if scores else None


def _set_trends(cells: list[ScoreCell], *, yes_no: bool) -> None:
    """Compare each term with the last earlier term that had answers: the mean to one decimal place for a
    rating, the whole-number % of "yes" for a yes/no question."""
    previous: ScoreCell | None = None
    for cell in cells:
        if not cell.responses:
            continue
        if previous is not None:
            # Both cells have answers, so both have a mean and a % positive.
            now: float
            before: float
            if yes_no:
                now, before = cell.positive_percent or 0, previous.positive_percent or 0
            else:
                now, before = round(cell.mean or 0, 1), round(previous.mean or 0, 1)
            cell.trend = "up" if now > before else "down" if now < before else "same"
        previous = cell


def _score_cells(
    rows: Sequence[Mapping[str, Any]],
    by_pk: dict[int, FeedbackQuestion],
    term_index: dict[int, int],
    term_count: int,
) -> dict[tuple[int, str], list[ScoreCell]]:
    """{(form id, question code): a ScoreCell a term} summed from the answer counts `rows`."""
    cells: dict[tuple[int, str], list[ScoreCell]] = defaultdict(
        lambda: [ScoreCell() for _ in range(term_count)]
    )
    for row in rows:
        question = by_pk[row["question_id"]]
        scale = question_scale(question)
        if scale is None:
            continue
        cell = cells[(question.version.form_id, question.code)][term_index[row["response__term_id"]]]
        cell.responses += row["n"]
        cell.total += row["score"] * row["n"]
        if row["score"] > sum(scale) / 2:
            cell.positive += row["n"]
    return cells


def scores_by_term(responses: QuerySet[FeedbackResponse], terms: list[Term]) -> list[FormScores]:
    """Per form and scored question (rating, yes/no), the number of answers, mean score and % positive in each
    term of `terms` and over them all, with the trend from term to term. A question is followed by its `code`
    across the form's versions and shown with the newest version's wording and scale. Two queries."""
    term_index = {t.pk: i for i, t in enumerate(terms)}
    if not terms:
        return []
    rows = list(
        FeedbackAnswer.objects.filter(
            response__in=responses.filter(term_id__in=list(term_index)).values("pk"),
            question__kind__in=SCORED_KINDS,
            score__isnull=False,
        )
        .values("question_id", "response__term_id", "score")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not rows:
        return []
    questions = FeedbackQuestion.objects.filter(pk__in={row["question_id"] for row in rows}).select_related(
        "version__form"
    )
    by_pk = {q.pk: q for q in questions}
    newest: dict[tuple[int, str], FeedbackQuestion] = {}
    for question in by_pk.values():
        key = (question.version.form_id, question.code)
        if key not in newest or question.version.number > newest[key].version.number:
            newest[key] = question
    cells = _score_cells(rows, by_pk, term_index, len(terms))
    forms: dict[int, FormScores] = {}
    ordered = sorted(newest.values(), key=lambda q: (q.version.form.name, -q.version.number, q.page, q.order))
    for question in ordered:
        key = (question.version.form_id, question.code)
        if key not in cells:
            continue
        term_cells = cells[key]
        _set_trends(term_cells, yes_no=question.kind == QuestionKind.YES_NO)
        year = ScoreCell(
            responses=sum(c.responses for c in term_cells),
            total=sum(c.total for c in term_cells),
            positive=sum(c.positive for c in term_cells),
        )
        form = forms.setdefault(question.version.form_id, FormScores(question.version.form.name, []))
        form.questions.append(
            QuestionScores(
                code=question.code,
                text=question.text,
                kind=question.kind,
                scale_max=(question_scale(question) or (0, 0))[1],
                cells=term_cells,
                year=year,
            )
        )
    return list(forms.values())


@dataclass
class ThemeRow:
    """One theme's count of tagged answers per term (or the row of answers not yet tagged)."""

    name: str
    cells: list[tuple[Term, int]]
    total: int
    theme_id: int | None = None  # None for the "not yet tagged" row


def themes_by_term(
    responses: QuerySet[FeedbackResponse], terms: list[Term]
) -> tuple[list[ThemeRow], ThemeRow]:
    """Free-text answers tagged with each theme, per term of `terms` (rows in name order, themes with none left
    out), and the free-text answers not yet tagged, per term. Counts only. Two queries."""
    term_ids = [t.pk for t in terms]
    answers = free_text_answers().filter(response__in=responses.filter(term_id__in=term_ids).values("pk"))
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    names: dict[int, str] = {}
    tagged = (
        answers.filter(themes__isnull=False)
        .values("themes__id", "themes__name", "response__term_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in tagged:
        names[row["themes__id"]] = row["themes__name"]
        counts[row["themes__id"]][row["response__term_id"]] = row["n"]
    untagged = dict(
        answers.filter(tagged_at__isnull=True)
        .values("response__term_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("response__term_id", "n")
    )

    def theme_row(name: str, by_term: dict[int, int], theme_id: int | None) -> ThemeRow:
        cells = [(t, by_term.get(t.pk, 0)) for t in terms]
        return ThemeRow(name, cells, sum(n for _, n in cells), theme_id)

    rows = [theme_row(names[pk], counts[pk], pk) for pk in sorted(names, key=lambda pk: names[pk].lower())]
    return rows, theme_row("Not yet tagged", untagged, None)
