"""Feedback response pages for staff: the list with its filters and CSV, one response with its answers in
words, and tagging a free-text answer with themes (SQA officers).

A response shows the meeting it came from (kind, date, agency, term), never the child or the contact the
invitation went to. Rows go through feedback.access: a response the user may not see is a 404; board members
(aggregates only) get 403 on the list.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from feedback import access
from feedback.forms.responses import AnswerTagForm, ResponseFilterForm
from feedback.models import FeedbackResponse, QuestionKind
from feedback.selectors import responses as selectors
from feedback.services.tagging import answer_tag
from qaf.csvexport import csv_response
from qaf.pages import apply_errors, posted

PAGE_SIZE = 25


def _require_lists(request: HttpRequest) -> None:
    if not access.complaints.can(request.user, "list"):
        raise PermissionDenied(
            "Feedback responses are seen by the staff of each agency; the board sees analysis."
        )


def _filtered(request: HttpRequest) -> tuple[ResponseFilterForm, selectors.ResponseFilters]:
    form = ResponseFilterForm(request.GET or None, user=request.user)
    return form, form.filters()


@login_required
@require_safe
def response_list(request: HttpRequest) -> HttpResponse:
    _require_lists(request)
    form, filters = _filtered(request)
    responses = selectors.responses_filtered(access.responses.visible(request.user), filters)
    page = Paginator(selectors.responses_with_answers(responses), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "response": response,
            "themes": selectors.response_themes(response),
            "free_text": selectors.response_free_text_state(response),
        }
        for response in page.object_list
    ]
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "active_filters": form.active(),
        "can_see_analysis": access.responses.can(request.user, "see_analysis"),
    }
    return render(request, "feedback/responses/list.html", context)


@login_required
@require_safe
def response_list_csv(request: HttpRequest) -> StreamingHttpResponse:
    """Exactly the responses the list shows with the same filters (all pages), one row each."""
    _require_lists(request)
    _form, filters = _filtered(request)
    responses = selectors.responses_filtered(access.responses.visible(request.user), filters)
    codes = None
    if filters.form_id:
        codes = [code for code, _text in selectors.form_question_codes(filters.form_id)]
    header, rows = selectors.response_csv(responses, codes=codes)
    return csv_response(f"feedback-responses-{timezone.localdate().isoformat()}.csv", header, rows)


def _answers(response: FeedbackResponse) -> list[dict]:
    answers = response.answers.select_related("question", "tagged_by").prefetch_related("themes")
    return [
        {
            "answer": answer,
            "question": answer.question,
            "words": selectors.answer_in_words(answer),
            "is_free_text": answer.question.kind == QuestionKind.FREE_TEXT,
            "themes": [theme.name for theme in answer.themes.all()],
        }
        for answer in answers
    ]


@login_required
@require_safe
def response_detail(request: HttpRequest, pk: int) -> HttpResponse:
    response = access.responses.get_for_user(request.user, pk)
    context = {
        "response": response,
        "answers": _answers(response),
        "can_tag": access.responses.can(request.user, "tag"),
    }
    return render(request, "feedback/responses/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_tag(request: HttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    response = access.responses.get_for_user(request.user, pk)
    answer = (
        response.answers.select_related("question")
        .filter(pk=answer_pk, question__kind=QuestionKind.FREE_TEXT)
        .first()
    )
    if answer is None:
        raise Http404("Not found")
    if not access.responses.can(request.user, "tag"):
        raise PermissionDenied("Only SQA officers tag feedback with themes.")
    form = AnswerTagForm(
        posted(request),
        user=request.user,
        answer=answer,
        initial={"themes": list(answer.themes.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            answer_tag(answer=answer, themes=form.cleaned_data["themes"], by=request.user)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Themes saved")
            return redirect("feedback:response-detail", pk=response.pk)
    status = 400 if form.errors else 200
    context = {"response": response, "answer": answer, "form": form}
    return render(request, "feedback/responses/tag.html", context, status=status)
