"""The feedback analysis (response rates, scores and trends, themes of free text, by term of an academic year)
and the six-monthly themed board summary.

Both show aggregates only: respondents are never identifiable, and no individual free-text answer is listed.
The analysis is for SQA officers and board members (the whole partnership) and for staff (their agencies); the
board summary for SQA officers and board members. Anyone else gets 403.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from actions import access as action_access
from actions.forms.tracker import ThemePeriodForm
from feedback import access
from feedback.forms.responses import HalfYearForm
from feedback.selectors import analysis as selectors
from feedback.selectors import summary as summary_selectors
from qaf.access import user_access
from qaf.csvexport import csv_response
from qaf.models import User
from qaf.pages import require
from qaf.types import AuthenticatedHttpRequest


def _require_analysis(user: User) -> None:
    require(
        access.responses,
        user,
        "see_analysis",
        "The feedback analysis is for the partnership's staff and board.",
    )


def _analysis(request: AuthenticatedHttpRequest) -> dict:
    form = ThemePeriodForm(request.GET or None, user=request.user)
    year, _term = form.chosen(timezone.localdate())
    terms = list(year.terms.order_by("number")) if year else []
    responses = access.responses.aggregate_scope(request.user)
    invitations = access.invitations.aggregate_scope(request.user)
    theme_rows, untagged = selectors.themes_by_term(responses, terms)
    return {
        "form": form,
        "year": year,
        "terms": terms,
        "rates": selectors.response_rates(invitations, responses, terms),
        "scores": selectors.scores_by_term(responses, terms),
        "theme_rows": theme_rows,
        "untagged": untagged,
    }


@login_required
@require_safe
def feedback_analysis(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_analysis(request.user)
    context = _analysis(request)
    context["can_tag"] = access.responses.can(request.user, "tag")
    context["can_see_responses"] = access.complaints.can(request.user, "list")
    context["can_see_summary"] = access.complaints.can(request.user, "see_analysis")
    return render(request, "feedback/responses/analysis.html", context)


def _analysis_rows(context: dict) -> Iterator[list[object]]:
    rates = context["rates"]
    for section, items in (
        ("Response rate by form", rates.by_form),
        ("Response rate by agency", rates.by_agency),
        ("Response rate by term", rates.by_term),
        ("Response rate", [rates.total]),
    ):
        for rate in items:
            yield [section, rate.label, "", "invitations sent", rate.sent]
            yield [section, rate.label, "", "answered", rate.answered]
            yield [section, rate.label, "", "rate %", "" if rate.percent is None else rate.percent]
    for form in context["scores"]:
        for question in form.questions:
            row = f"{form.name}: {question.code}"
            periods = [
                *zip((selectors.term_label(t) for t in context["terms"]), question.cells, strict=True),
                ("Year", question.year),
            ]
            for period, cell in periods:
                if not cell.responses:
                    continue
                yield ["Scores", row, period, "responses", cell.responses]
                yield ["Scores", row, period, f"mean out of {question.scale_max}", round(cell.mean, 2)]
                yield ["Scores", row, period, "% positive", cell.positive_percent]
    for theme in [*context["theme_rows"], context["untagged"]]:
        for term, count in theme.cells:
            yield ["Free-text themes", theme.name, selectors.term_label(term), "answers", count]


@login_required
@require_safe
def feedback_analysis_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The analysis tables of the chosen year as tidy rows (section, row, period, measure, value)."""
    _require_analysis(request.user)
    context = _analysis(request)
    year = context["year"]
    name = f"feedback-analysis-{year.start_year if year else 'none'}.csv"
    return csv_response(name, ["section", "row", "period", "measure", "value"], _analysis_rows(context))


@login_required
@require_safe
def board_summary(request: AuthenticatedHttpRequest) -> HttpResponse:
    user = request.user
    require(
        access.complaints, user, "see_analysis", "The board summary is for SQA officers and board members."
    )
    today = timezone.localdate()
    half = summary_selectors.HalfYear.parse(request.GET.get("half")) or summary_selectors.last_complete_half(
        today
    )
    halves = summary_selectors.halves_to_offer(today)
    if half not in halves:
        halves.append(half)
    complaints, compliments = (
        access.complaints.aggregate_scope(user),
        access.compliments.aggregate_scope(user),
    )
    partnership_id = user_access(user).partnership_id
    summary = summary_selectors.board_summary(
        half=half,
        partnership_id=partnership_id,
        complaints=complaints,
        compliments=compliments,
        responses=access.responses.aggregate_scope(user),
        invitations=access.invitations.aggregate_scope(user),
        actions=action_access.actions.aggregate_scope(user),
        advocacy_returns=access.advocacy.visible(user),
    )
    form = HalfYearForm(initial={"half": half.key}, halves=halves)
    return render(request, "feedback/summary/board.html", {"summary": summary, "form": form})
