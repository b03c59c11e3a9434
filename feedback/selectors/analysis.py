"""Aggregates of the voice. For one academic year: response rates by form, agency and term, scores per scored
question with their trend across terms, and the themes of free-text answers. For one half-year: the themed board
summary across complaints, compliments, feedback, remedial actions raised from them, and advocacy returns.

Every function takes querysets already scoped by feedback.access and returns counts, means and percentages: no
response, no answer text, no child, no contact. Each runs a fixed number of queries, however many rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Case, Count, F, IntegerField, Q, QuerySet, Sum, Value, When

from feedback.models import (
    SCORED_KINDS,
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Complaint,
    ComplaintStage,
    Compliment,
    FeedbackAnswer,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    QuestionKind,
)
from feedback.selectors.complaints import CATEGORY_LABELS, OUTCOME_LABELS, STAGE_LABELS
from feedback.selectors.responses import free_text_answers
from qaf.models import Term

# --- one academic year: rates, scores, themes -----------------------------------------------------------------


def term_label(term: Term) -> str:
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
        return round(100 * self.answered / self.sent) if self.sent else None

    def add(self, sent: int, answered: int) -> None:
        self.sent += sent
        self.answered += answered


@dataclass
class ResponseRates:
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
    for row in received:
        by_term[row["term_id"]].received = row["n"]
        total.received += row["n"]

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
        return self.total / self.responses if self.responses else None

    @property
    def positive_percent(self) -> int | None:
        return round(100 * self.positive / self.responses) if self.responses else None


@dataclass
class QuestionScores:
    code: str
    text: str
    kind: str
    scale_max: int
    cells: list[ScoreCell]
    year: ScoreCell


@dataclass
class FormScores:
    name: str
    questions: list[QuestionScores]


def _scale(question: FeedbackQuestion) -> tuple[int, int] | None:
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
            if yes_no:
                now, before = cell.positive_percent, previous.positive_percent
            else:
                now, before = round(cell.mean, 1), round(previous.mean, 1)
            cell.trend = "up" if now > before else "down" if now < before else "same"
        previous = cell


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
    cells: dict[tuple[int, str], list[ScoreCell]] = defaultdict(lambda: [ScoreCell() for _ in terms])
    for row in rows:
        question = by_pk[row["question_id"]]
        scale = _scale(question)
        if scale is None:
            continue
        cell = cells[(question.version.form_id, question.code)][term_index[row["response__term_id"]]]
        cell.responses += row["n"]
        cell.total += row["score"] * row["n"]
        if row["score"] > sum(scale) / 2:
            cell.positive += row["n"]
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
                scale_max=(_scale(question) or (0, 0))[1],
                cells=term_cells,
                year=year,
            )
        )
    return list(forms.values())


@dataclass
class ThemeRow:
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

    def row(name: str, by_term: dict[int, int], theme_id: int | None) -> ThemeRow:
        cells = [(t, by_term.get(t.pk, 0)) for t in terms]
        return ThemeRow(name, cells, sum(n for _, n in cells), theme_id)

    rows = [row(names[pk], counts[pk], pk) for pk in sorted(names, key=lambda pk: names[pk].lower())]
    return rows, row("Not yet tagged", untagged, None)


# --- one half-year: the themed board summary ------------------------------------------------------------------

_HALF = re.compile(r"^(\d{4})-H([12])$")


@dataclass(frozen=True)
class HalfYear:
    """A calendar half-year: 1 is January to June, 2 is July to December."""

    year: int
    half: int

    @classmethod
    def containing(cls, day: dt.date) -> HalfYear:
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str | None) -> HalfYear | None:
        """ "2026-H2" -> HalfYear(2026, 2); None for anything else."""
        match = _HALF.match(text or "")
        return cls(int(match[1]), int(match[2])) if match else None

    @property
    def key(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def starts_on(self) -> dt.date:
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> dt.date:
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def quarters(self) -> tuple[int, int]:
        return (1, 2) if self.half == 1 else (3, 4)

    @property
    def label(self) -> str:
        return f"{'January to June' if self.half == 1 else 'July to December'} {self.year}"

    def previous(self) -> HalfYear:
        return HalfYear(self.year, 1) if self.half == 2 else HalfYear(self.year - 1, 2)


def last_complete_half(today: dt.date) -> HalfYear:
    """The most recent half-year that has ended."""
    return HalfYear.containing(today).previous()


def halves_to_offer(today: dt.date, count: int = 6) -> list[HalfYear]:
    """The half-year in progress and the `count - 1` before it, newest first."""
    halves = [HalfYear.containing(today)]
    while len(halves) < count:
        halves.append(halves[-1].previous())
    return halves


@dataclass
class ComplaintsHalf:
    total: int = 0
    responded: int = 0
    on_time: int = 0
    by_category: dict[str, int] = field(default_factory=dict)
    by_stage: dict[str, int] = field(default_factory=dict)
    by_outcome: dict[str, int] = field(default_factory=dict)
    ombudsman: int = 0
    ombudsman_outcomes: list[tuple[str, int]] = field(default_factory=list)
    ombudsman_awaiting: int = 0

    @property
    def on_time_percent(self) -> int | None:
        return round(100 * self.on_time / self.responded) if self.responded else None


@dataclass
class FormMean:
    form: str
    question: str
    responses: int
    mean: float
    scale_max: int


@dataclass
class SummaryThemeRow:
    name: str
    complaints: int = 0
    compliments: int = 0
    feedback: int = 0
    actions: int = 0

    @property
    def total(self) -> int:
        return self.complaints + self.compliments + self.feedback + self.actions


@dataclass
class BoardSummary:
    half: HalfYear
    complaints: ComplaintsHalf
    compliments: int
    compliments_by_agency: list[tuple[str, int]]
    responses: int
    rate: Rate
    form_means: list[FormMean]
    themes: list[SummaryThemeRow]
    actions_raised: int
    actions_done: int
    complaint_learning: list[dict]
    advocacy_learning: list[dict]


def _complaints_half(complaints: QuerySet[Complaint]) -> ComplaintsHalf:
    summary = ComplaintsHalf()
    groups = (
        complaints.values("category", "stage", "outcome")
        .annotate(
            n=Count("pk"),
            responded=Count("pk", filter=Q(responded_on__isnull=False)),
            on_time=Count("pk", filter=Q(responded_on__lte=F("response_due_on"))),
        )
        .order_by()
    )
    for row in groups:
        summary.total += row["n"]
        summary.responded += row["responded"]
        summary.on_time += row["on_time"]
        for counts, labels, value in (
            (summary.by_category, CATEGORY_LABELS, row["category"]),
            (summary.by_stage, STAGE_LABELS, row["stage"]),
            (summary.by_outcome, OUTCOME_LABELS, row["outcome"]),
        ):
            label = labels.get(value, value)
            counts[label] = counts.get(label, 0) + row["n"]
    outcomes = (
        complaints.filter(stage=ComplaintStage.LGSCO)
        .values("lgsco_outcome")
        .annotate(n=Count("pk"))
        .order_by("-n", "lgsco_outcome")
    )
    for row in outcomes:
        summary.ombudsman += row["n"]
        if row["lgsco_outcome"].strip():
            summary.ombudsman_outcomes.append((row["lgsco_outcome"], row["n"]))
        else:
            summary.ombudsman_awaiting += row["n"]
    return summary


def _form_means(answers: QuerySet[FeedbackAnswer], partnership_id: int) -> list[FormMean]:
    """The mean of each form's overall question: its first rating question, in its newest version in use."""
    headline: dict[int, FeedbackQuestion] = {}
    candidates = (
        FeedbackQuestion.objects.filter(
            version__form__partnership_id=partnership_id, kind=QuestionKind.RATING
        )
        .exclude(version__status=FormVersionStatus.DRAFT)
        .select_related("version__form")
        .order_by("version__form__name", "-version__number", "page", "order", "pk")
    )
    for question in candidates:
        headline.setdefault(question.version.form_id, question)
    rows = (
        answers.filter(question__kind=QuestionKind.RATING, score__isnull=False)
        .values("question__version__form_id", "question__code")
        .annotate(n=Count("pk"), total=Sum("score"))
        .order_by()
    )
    means = []
    for row in rows:
        question = headline.get(row["question__version__form_id"])
        if question is None or question.code != row["question__code"]:
            continue
        means.append(
            FormMean(
                form=question.version.form.name,
                question=question.text,
                responses=row["n"],
                mean=row["total"] / row["n"],
                scale_max=(_scale(question) or (0, 0))[1],
            )
        )
    return sorted(means, key=lambda m: m.form)


def _theme_counts(queryset: QuerySet, into: dict[int, SummaryThemeRow], attr: str) -> None:
    rows = (
        queryset.filter(themes__isnull=False)
        .values("themes__id", "themes__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        theme = into.setdefault(row["themes__id"], SummaryThemeRow(row["themes__name"]))
        setattr(theme, attr, getattr(theme, attr) + row["n"])


def board_summary(
    *,
    half: HalfYear,
    partnership_id: int,
    complaints: QuerySet[Complaint],
    compliments: QuerySet[Compliment],
    responses: QuerySet[FeedbackResponse],
    invitations: QuerySet[FeedbackInvitation],
    actions: QuerySet,
    advocacy_returns: QuerySet[AdvocacyReturn],
) -> BoardSummary:
    """The six-monthly themed summary for the board, over the scoped querysets given: complaints (by category,
    stage, outcome, % responded on time, Ombudsman enquiries and outcomes) and compliments (by agency) received
    in the half; feedback responses submitted in it, the response rate of invitations for meetings in it and
    each form's mean overall score; themes across complaints, compliments, tagged feedback answers and the
    remedial actions (`actions`, not cancelled) raised from complaints and feedback in it; and the learning
    recorded on its complaints and on the submitted advocacy returns of its two quarters.
    Counts and learning text only (no names are held in either). A fixed number of queries."""
    from audits.models import ActionSource, ActionStatus

    start, end = half.starts_on, half.ends_on
    complaints = complaints.filter(received_on__range=(start, end))
    compliments = compliments.filter(received_on__range=(start, end))
    responses = responses.filter(submitted_at__date__range=(start, end))
    actions = actions.filter(
        source__in=[ActionSource.COMPLAINT, ActionSource.FEEDBACK], raised_at__date__range=(start, end)
    ).exclude(status=ActionStatus.CANCELLED)

    rate = Rate("All forms")
    totals = invitations.filter(withdrawn_at__isnull=True, meeting_on__range=(start, end)).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False))
    )
    rate.add(totals["sent"], totals["answered"])
    answers = FeedbackAnswer.objects.filter(response__in=responses.values("pk"))

    themes: dict[int, SummaryThemeRow] = {}
    _theme_counts(complaints, themes, "complaints")
    _theme_counts(compliments, themes, "compliments")
    _theme_counts(answers.filter(question__kind=QuestionKind.FREE_TEXT), themes, "feedback")
    _theme_counts(actions, themes, "actions")
    action_totals = actions.aggregate(
        raised=Count("pk"),
        done=Count("pk", filter=Q(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])),
    )
    by_agency = list(
        compliments.values("agency__name").annotate(n=Count("pk")).order_by("-n", "agency__name")
    )
    learning = complaints.exclude(learning="").order_by("received_on", "pk")
    advocacy = (
        advocacy_returns.filter(
            status=AdvocacyReturnStatus.SUBMITTED, year=half.year, quarter__in=half.quarters
        )
        .exclude(learning="")
        .order_by("quarter", "agency__name")
    )
    return BoardSummary(
        half=half,
        complaints=_complaints_half(complaints),
        compliments=sum(row["n"] for row in by_agency),
        compliments_by_agency=[(row["agency__name"], row["n"]) for row in by_agency],
        responses=responses.count(),
        rate=rate,
        form_means=_form_means(answers, partnership_id),
        themes=sorted(themes.values(), key=lambda t: (-t.total, t.name.lower())),
        actions_raised=action_totals["raised"],
        actions_done=action_totals["done"],
        complaint_learning=_learning_grouped(learning.values_list("category", "agency__name", "learning")),
        advocacy_learning=[
            {"agency": agency, "quarter": f"Q{quarter} {half.year}", "text": text}
            for agency, quarter, text in advocacy.values_list("agency__name", "quarter", "learning")
        ],
    )


def _learning_grouped(rows) -> list[dict]:
    """The same lesson is often recorded on many complaints: each distinct text once, with how many complaints
    and which categories and agencies it came from, the most often recorded first."""
    grouped: dict[str, dict] = {}
    for category, agency, text in rows:
        key = " ".join(text.split()).lower()
        item = grouped.setdefault(key, {"text": text, "count": 0, "categories": [], "agencies": []})
        item["count"] += 1
        label = CATEGORY_LABELS.get(category, category)
        if label not in item["categories"]:
            item["categories"].append(label)
        if agency not in item["agencies"]:
            item["agencies"].append(agency)
    return sorted(grouped.values(), key=lambda item: -item["count"])
