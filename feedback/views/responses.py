"""Feedback response pages for staff: the list with its filters and CSV, one response with its answers in
words, and tagging a free-text answer with themes (SQA officers).

A response shows the meeting it came from (kind, date, agency, term), never the child or the contact the
invitation went to. Rows go through feedback.access: a response the user may not see is a 404; board members
(aggregates only) get 403 on the list.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from feedback import access
from feedback.filters import ResponseFilterSet
from feedback.forms.responses import AnswerTagForm
from feedback.models import FeedbackResponse, QuestionKind
from feedback.selectors import responses as selectors
from feedback.services.tagging import answer_tag
from qaf.csvexport import csv_response
from qaf.lists import filtered, list_page, render_rows
from qaf.pages import form_saved, posted, require, status_for
from qaf.types import AuthenticatedHttpRequest


def _require_lists(request: AuthenticatedHttpRequest) -> None:
    require(
        access.complaints,
        request.user,
        "list",
        "Feedback responses are seen by the staff of each agency; the board sees analysis.",
    )


@login_required
@require_safe
def response_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_lists(request)
    listing = list_page(
        request,
        filterset_class=ResponseFilterSet,
        queryset=selectors.responses_with_answers(access.responses.visible(request.user)),
    )
    return render_rows(
        request,
        "feedback/responses/list.html",
        listing,
        lambda response: {
            "response": response,
            "themes": selectors.response_themes(response),
            "free_text": selectors.response_free_text_state(response),
        },
        can_see_analysis=access.responses.can(request.user, "see_analysis"),
    )


@login_required
@require_safe
def response_list_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Exactly the responses the list shows with the same filters (all pages), one row each."""
    _require_lists(request)
    chosen, responses = filtered(ResponseFilterSet, request, access.responses.visible(request.user))
    form = chosen.form.cleaned_data.get("form") if chosen.is_bound else None
    codes = None
    if form:
        codes = [code for code, _text in selectors.form_question_codes(form.pk)]
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
def response_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    response = access.responses.get_for_user(request.user, pk)
    context = {
        "response": response,
        "answers": _answers(response),
        "can_tag": access.responses.can(request.user, "tag"),
    }
    return render(request, "feedback/responses/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def response_tag(request: AuthenticatedHttpRequest, pk: int, answer_pk: int) -> HttpResponse:
    response = access.responses.get_for_user(request.user, pk)
    answer = (
        response.answers.select_related("question")
        .filter(pk=answer_pk, question__kind=QuestionKind.FREE_TEXT)
        .first()
    )
    if answer is None:
        raise Http404("Not found")
    require(access.responses, request.user, "tag", "Only SQA officers tag feedback with themes.")
    form = AnswerTagForm(
        posted(request),
        user=request.user,
        answer=answer,
        initial={"themes": list(answer.themes.all())},
    )
    saved = form_saved(
        request,
        form,
        lambda data: answer_tag(answer=answer, themes=data["themes"], by=request.user),
        "Themes saved",
        reverse("feedback:response-detail", args=[response.pk]),
    )
    context = {"response": response, "answer": answer, "form": form}
    return saved or render(request, "feedback/responses/tag.html", context, status=status_for(form))
