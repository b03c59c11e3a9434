"""The six-monthly themed board summary: for one calendar half-year, complaints, compliments, feedback, the
remedial actions raised from them, and advocacy returns, with their themes and the learning recorded.

Every function takes querysets already scoped by feedback.access and returns counts, means, percentages and
learning text: no response, no answer text, no child, no contact. A fixed number of queries, however many rows.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Q, QuerySet, Sum

from actions.models import ActionSource, ActionStatus, RemedialAction
from feedback.models import (
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
from feedback.selectors.analysis import Rate, question_scale
from feedback.selectors.complaints import CATEGORY_LABELS, OUTCOME_LABELS, STAGE_LABELS
from qaf.figures import percent

_HALF = re.compile(r"^(\d{4})-H([12])$")


@dataclass(frozen=True)
class HalfYear:
    """A calendar half-year: 1 is January to June, 2 is July to December."""

    year: int
    half: int

    @classmethod
    def containing(cls, day: dt.date) -> HalfYear:
        """The half-year holding `day`."""
        return cls(day.year, 1 if day.month <= 6 else 2)

    @classmethod
    def parse(cls, text: str | None) -> HalfYear | None:
        """The half-year a key names: "2026-H2" -> HalfYear(2026, 2); None for anything else."""
        match = _HALF.match(text or "")
        # Year 0000 has no dates: treat it as any other unreadable value rather than fail on it later.
        if not match or int(match[1]) < dt.MINYEAR:
            return None
        return cls(int(match[1]), int(match[2]))

    @property
    def key(self) -> str:
        """The half-year's key in addresses: "2026-H2"."""
        return f"{self.year}-H{self.half}"

    @property
    def starts_on(self) -> dt.date:
        """Its first day: 1 January or 1 July."""
        return dt.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def ends_on(self) -> dt.date:
        """Its last day: 30 June or 31 December."""
        return dt.date(self.year, 6, 30) if self.half == 1 else dt.date(self.year, 12, 31)

    @property
    def quarters(self) -> tuple[int, int]:
        """The calendar quarters it spans: (1, 2) or (3, 4)."""
        return (1, 2) if self.half == 1 else (3, 4)

    @property
    def label(self) -> str:
        """The half-year in words: "July to December 2026"."""
        return f"{'January to June' if self.half == 1 else 'July to December'} {self.year}"

    def previous(self) -> HalfYear:
        """The half-year before this one."""
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
    """The complaints of a half-year: received, responded, on time and the breakdowns."""

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
        """The share of responses sent on time, as a whole percentage; None before any response."""
        return percent(self.on_time, self.responded)


@dataclass
class FormMean:
    """A scored question's mean over a form's responses in the half-year."""

    form: str
    question: str
    responses: int
    mean: float
    scale_max: int


@dataclass
class SummaryThemeRow:
    """One theme's count of complaints, compliments, feedback answers and actions in the half-year."""

    name: str
    complaints: int = 0
    compliments: int = 0
    feedback: int = 0
    actions: int = 0

    @property
    def total(self) -> int:
        """The theme's count over all four sources."""
        return self.complaints + self.compliments + self.feedback + self.actions


@dataclass
class BoardSummary:
    """Everything the six-monthly board summary shows for one half-year."""

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
    complaint_learning: list[dict[str, Any]]
    advocacy_learning: list[dict[str, str]]


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
    for outcome in outcomes:
        summary.ombudsman += outcome["n"]
        if outcome["lgsco_outcome"].strip():
            summary.ombudsman_outcomes.append((outcome["lgsco_outcome"], outcome["n"]))
        else:
            summary.ombudsman_awaiting += outcome["n"]
    return summary


def _form_means(answers: QuerySet[FeedbackAnswer], partnership_id: int | None) -> list[FormMean]:
    """The mean of each form's overall question: its first rating question, in its newest version in use.
    Someone who belongs to no partnership has no forms, so no means."""
    if partnership_id is None:
        return []
    headline: dict[int, FeedbackQuestion] = {}
    candidates = (
        FeedbackQuestion.objects.filter(
            version__form__partnership_id=partnership_id, kind=QuestionKind.RATING
        )
        .exclude(version__status=FormVersionStatus.DRAFT)
        .select_related("version__form")
        .order_by("version__form__name", "-version__number", "page", "order", "pk")
    )
    for candidate in candidates:
        headline.setdefault(candidate.version.form_id, candidate)
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
                scale_max=(question_scale(question) or (0, 0))[1],
            )
        )
    return sorted(means, key=lambda m: m.form)


def _theme_counts(queryset: QuerySet[Any], into: dict[int, SummaryThemeRow], attr: str) -> None:
    rows = (
        queryset.filter(themes__isnull=False)
        .values("themes__id", "themes__name")
        .annotate(n=Count("pk", distinct=True))
        .order_by()
    )
    for row in rows:
        theme = into.setdefault(row["themes__id"], SummaryThemeRow(row["themes__name"]))
        setattr(theme, attr, getattr(theme, attr) + row["n"])


def _response_rate(invitations: QuerySet[FeedbackInvitation], start: dt.date, end: dt.date) -> Rate:
    """The response rate of the invitations (not withdrawn) for meetings from `start` to `end`."""
    rate = Rate("All forms")
    totals = invitations.filter(withdrawn_at__isnull=True, meeting_on__range=(start, end)).aggregate(
        sent=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False))
    )
    rate.add(totals["sent"], totals["answered"])
    return rate


def _summary_themes(
    complaints: QuerySet[Complaint],
    compliments: QuerySet[Compliment],
    answers: QuerySet[FeedbackAnswer],
    actions: QuerySet[RemedialAction],
) -> dict[int, SummaryThemeRow]:
    """The themes across complaints, compliments, tagged free-text feedback answers and actions."""
    themes: dict[int, SummaryThemeRow] = {}
    _theme_counts(complaints, themes, "complaints")
    _theme_counts(compliments, themes, "compliments")
    _theme_counts(answers.filter(question__kind=QuestionKind.FREE_TEXT), themes, "feedback")
    _theme_counts(actions, themes, "actions")
    return themes


def _advocacy_learning(advocacy_returns: QuerySet[AdvocacyReturn], half: HalfYear) -> list[dict[str, str]]:
    """The learning recorded on the submitted advocacy returns of the half's two quarters."""
    advocacy = (
        advocacy_returns.filter(
            status=AdvocacyReturnStatus.SUBMITTED, year=half.year, quarter__in=half.quarters
        )
        .exclude(learning="")
        .order_by("quarter", "agency__name")
    )
    return [
        {"agency": agency, "quarter": f"Q{quarter} {half.year}", "text": text}
        for agency, quarter, text in advocacy.values_list("agency__name", "quarter", "learning")
    ]


def board_summary(
    *,
    half: HalfYear,
    partnership_id: int | None,
    complaints: QuerySet[Complaint],
    compliments: QuerySet[Compliment],
    responses: QuerySet[FeedbackResponse],
    invitations: QuerySet[FeedbackInvitation],
    actions: QuerySet[RemedialAction],
    advocacy_returns: QuerySet[AdvocacyReturn],
) -> BoardSummary:
    """The six-monthly themed summary for the board, over the scoped querysets given: complaints (by category,
    stage, outcome, % responded on time, Ombudsman enquiries and outcomes) and compliments (by agency) received
    in the half; feedback responses submitted in it, the response rate of invitations for meetings in it and
    each form's mean overall score; themes across complaints, compliments, tagged feedback answers and the
    remedial actions (`actions`, not cancelled) raised from complaints and feedback in it; and the learning
    recorded on its complaints and on the submitted advocacy returns of its two quarters.
    Counts and learning text only (no names are held in either). A fixed number of queries."""
    start, end = half.starts_on, half.ends_on
    complaints = complaints.filter(received_on__range=(start, end))
    compliments = compliments.filter(received_on__range=(start, end))
    responses = responses.filter(submitted_at__date__range=(start, end))
    actions = actions.filter(
        source__in=[ActionSource.COMPLAINT, ActionSource.FEEDBACK], raised_at__date__range=(start, end)
    ).exclude(status=ActionStatus.CANCELLED)

    rate = _response_rate(invitations, start, end)
    answers = FeedbackAnswer.objects.filter(response__in=responses.values("pk"))
    themes = _summary_themes(complaints, compliments, answers, actions)
    action_totals = actions.aggregate(
        raised=Count("pk"),
        done=Count("pk", filter=Q(status__in=[ActionStatus.COMPLETED, ActionStatus.VERIFIED])),
    )
    by_agency = list(
        compliments.values("agency__name").annotate(n=Count("pk")).order_by("-n", "agency__name")
    )
    learning = complaints.exclude(learning="").order_by("received_on", "pk")
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
        advocacy_learning=_advocacy_learning(advocacy_returns, half),
    )


def _learning_grouped(rows: Iterable[tuple[str, str, str]]) -> list[dict[str, Any]]:
    """The same lesson is often recorded on many complaints: each distinct text once, with how many complaints
    and which categories and agencies it came from, the most often recorded first."""
    grouped: dict[str, dict[str, Any]] = {}
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
