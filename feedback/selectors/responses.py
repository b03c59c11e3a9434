"""Reads of feedback responses: the list's filters, answers in words, and the CSV rows.

Every function takes a queryset already scoped by feedback.access. A response is shown with the meeting it came
from (kind, date, agency, term) and never with the child or the invitation's contact: nothing here follows the
invitation.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from feedback.models import FeedbackAnswer, FeedbackQuestion, FeedbackResponse, QuestionKind

# The "free text" filter: responses with any free-text answer, or with one not yet tagged with themes.
FREE_TEXT_ANY = "any"
FREE_TEXT_UNTAGGED = "untagged"
FREE_TEXT_CHOICES = [
    (FREE_TEXT_ANY, "Has a free-text answer"),
    (FREE_TEXT_UNTAGGED, "Has a free-text answer not yet tagged"),
]

CSV_COLUMNS = [
    "id",
    "submitted",
    "form",
    "version",
    "audience",
    "agency",
    "meeting kind",
    "meeting date",
    "term",
]


def free_text_answers() -> QuerySet[FeedbackAnswer]:
    """Free-text answers that hold some text (the ones the SQA officer tags)."""
    return FeedbackAnswer.objects.filter(question__kind=QuestionKind.FREE_TEXT).exclude(text="")


def responses_with_answers(queryset: QuerySet[FeedbackResponse]) -> QuerySet[FeedbackResponse]:
    """The responses with what a list or CSV shows: form, agency, term, and every answer with its question
    and themes, in a fixed number of queries whatever the number of rows."""
    answers = FeedbackAnswer.objects.select_related("question").prefetch_related("themes")
    return queryset.select_related("agency", "version__form", "term__academic_year").prefetch_related(
        Prefetch("answers", queryset=answers)
    )


def answer_in_words(answer: FeedbackAnswer) -> str:
    """The answer as the respondent saw it: the options' labels (not their stored values), or the text."""
    question = answer.question
    if question.kind == QuestionKind.FREE_TEXT:
        return answer.text
    return ", ".join(question.label_for(value) for value in answer.values)


def response_themes(response: FeedbackResponse) -> list[str]:
    """The names of the themes on a response's answers, once each, in name order (uses the prefetch)."""
    return sorted({theme.name for answer in response.answers.all() for theme in answer.themes.all()})


def response_free_text_state(response: FeedbackResponse) -> str:
    """The free-text state: "none" (no free text), "untagged" (some free text not yet tagged) or "tagged" (uses the prefetch)."""
    free = [a for a in response.answers.all() if a.question.kind == QuestionKind.FREE_TEXT and a.text]
    if not free:
        return "none"
    return "untagged" if any(a.tagged_at is None for a in free) else "tagged"


def form_question_codes(form_id: int) -> list[tuple[str, str]]:
    """The question codes of every version of a form as (code, text): the newest version's order first, then
    codes only older versions asked. One query."""
    rows = (
        FeedbackQuestion.objects.filter(version__form_id=form_id)
        .order_by("-version__number", "page", "order", "pk")
        .values_list("code", "text")
    )
    codes: dict[str, str] = {}
    for code, text in rows:
        codes.setdefault(code, text)
    return list(codes.items())


def _meeting_cells(response: FeedbackResponse) -> list[object]:
    return [
        response.get_meeting_kind_display() if response.meeting_kind else "",
        response.meeting_on.isoformat() if response.meeting_on else "",
    ]


def response_csv(
    responses: QuerySet[FeedbackResponse], *, codes: Iterable[str] | None = None
) -> tuple[list[str], Iterator[list[object]]]:
    """The CSV header and rows of `responses` (already filtered and ordered): one row per response. With `codes`
    (a single form chosen), one column per question code; otherwise one "answers" cell of "question: answer; ...".
    Free text is included as written (csv_response makes cells formula-safe). No child, no contact."""
    codes = list(codes) if codes is not None else None
    header = [*CSV_COLUMNS, *(codes if codes is not None else ["answers"]), "themes"]

    def rows() -> Iterator[list[object]]:
        for response in responses_with_answers(responses).iterator(chunk_size=500):
            answers = list(response.answers.all())
            base = [
                response.pk,
                timezone.localtime(response.submitted_at).date().isoformat(),
                response.version.form.name,
                response.version.number,
                response.get_audience_display(),
                response.agency.name if response.agency else "",
                *_meeting_cells(response),
                str(response.term) if response.term_id else "",
            ]
            if codes is not None:
                by_code = {answer.question.code: answer_in_words(answer) for answer in answers}
                cells = [by_code.get(code, "") for code in codes]
            else:
                cells = ["; ".join(f"{a.question.code}: {answer_in_words(a)}" for a in answers)]
            yield [*base, *cells, "; ".join(response_themes(response))]

    return header, rows()
