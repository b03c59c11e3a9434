"""The feedback analysis: response rates by form, agency and term; scores and their trend; themes of free text.
Aggregates only, for staff (their agencies), SQA officers and the board (the partnership)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from feedback.models import Audience, FormVersionStatus, QuestionKind
from feedback.selectors import analysis as selectors
from feedback.services.tagging import answer_tag
from feedback.tests.factories import (
    FeedbackFormVersionFactory,
    FeedbackInvitationFactory,
    FeedbackQuestionFactory,
    default_form,
    response_with_answers,
)
from qaf import calendar
from qaf import services as qaf_services
from qaf.models import Theme

pytestmark = pytest.mark.django_db

URL = reverse("feedback:feedback-analysis")
SECRET = "Secret words only staff may read"


@pytest.fixture
def year(area):
    return qaf_services.academic_year_create_default(partnership=area.partnership, start_year=2025)


@pytest.fixture
def terms(year):
    return list(year.terms.order_by("number"))


@pytest.fixture
def parent_form(area):
    return default_form(area.partnership, Audience.PARENT_CARER)


def _invite(agency, version, meeting_on, *, answered=False, withdrawn=False):
    now = timezone.now()
    return FeedbackInvitationFactory(
        agency=agency,
        version=version,
        audience=version.form.audience,
        meeting_on=meeting_on,
        responded_at=now if answered else None,
        withdrawn_at=now if withdrawn else None,
    )


@pytest.fixture
def invitations(area, other_area, parent_form):
    professional = default_form(area.partnership, Audience.PROFESSIONAL)
    autumn, spring = dt.date(2025, 10, 1), dt.date(2026, 2, 2)
    _invite(area.school, parent_form, autumn, answered=True)
    _invite(area.school, parent_form, autumn, answered=True)
    _invite(area.school, parent_form, autumn)
    _invite(area.school, parent_form, autumn, withdrawn=True)  # not counted
    _invite(area.school, professional, autumn)
    _invite(area.health, parent_form, spring, answered=True)
    _invite(area.health, parent_form, spring)
    _invite(area.school, parent_form, dt.date(2024, 10, 1), answered=True)  # another year
    _invite(other_area.school, default_form(other_area.partnership), autumn, answered=True)  # elsewhere


@pytest.fixture
def scored(area, parent_form, terms):
    autumn, spring, summer = terms
    for term, overall, papers in (
        (autumn, "very_good", "yes"),
        (autumn, "good", "no"),
        (spring, "poor", "yes"),
    ):
        response_with_answers(
            version=parent_form,
            agency=area.school,
            term=term,
            answers={"meeting_overall": overall, "papers_in_time": papers},
        )
    # A later version asks the same question (same code) in new words: the trend follows the code.
    version_2 = FeedbackFormVersionFactory(form=parent_form.form, number=2, status=FormVersionStatus.DRAFT)
    FeedbackQuestionFactory(version=version_2, code="meeting_overall", text="Overall, how was the meeting?")
    response_with_answers(
        version=version_2, agency=area.school, term=summer, answers={"meeting_overall": "very_good"}
    )


@pytest.fixture
def tagged(area, parent_form, terms, sqa_officer):
    autumn, spring, _summer = terms
    communication = Theme.objects.create(partnership=area.partnership, name="Communication")
    timeliness = Theme.objects.create(partnership=area.partnership, name="Timeliness")
    first = response_with_answers(
        version=parent_form, agency=area.school, term=autumn, answers={"went_well": "Clear explanations"}
    )
    second = response_with_answers(
        version=parent_form,
        agency=area.health,
        term=spring,
        answers={"do_better": "Papers came late", "went_well": SECRET},
    )
    answer_tag(answer=first.answers.get(), themes=[communication], by=sqa_officer)
    answer_tag(
        answer=second.answers.get(question__code="do_better"),
        themes=[communication, timeliness],
        by=sqa_officer,
    )
    return communication, timeliness


# --- who may see it ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("sqa_officer", 200),
        ("board_member", 200),
        ("agency_manager", 200),
        ("practitioner", 200),
        ("partnership_admin", 403),
        ("outsider_sqa", 200),
    ],
)
def test_who_may_see_the_analysis(request, client, year, invitations, persona, status):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(URL, {"year": year.pk})
    download = client.get(reverse("feedback:feedback-analysis-csv"), {"year": year.pk})

    assert page.status_code == status
    assert download.status_code == status
    if persona == "outsider_sqa":
        # Their own partnership has no academic year: nothing of ours is counted.
        assert page.context["rates"].total.sent == 0


def test_staff_see_rates_for_their_own_agencies_only(client, area, year, invitations, agency_manager):
    client.force_login(agency_manager)

    rates = client.get(URL, {"year": year.pk}).context["rates"]

    assert [rate.label for rate in rates.by_agency] == [area.school.name]
    assert (rates.total.sent, rates.total.answered) == (4, 2)


# --- response rates ------------------------------------------------------------------------------------------------


def test_response_rates_by_form_agency_and_term(client, area, year, invitations, sqa_officer):
    client.force_login(sqa_officer)

    rates = client.get(URL, {"year": year.pk}).context["rates"]

    assert (rates.total.sent, rates.total.answered, rates.total.percent) == (6, 3, 50)
    by_form = {rate.label: (rate.sent, rate.answered, rate.percent) for rate in rates.by_form}
    assert by_form == {
        "Parent or carer: after a meeting": (5, 3, 60),
        "Professional: after a meeting": (1, 0, 0),
    }
    by_agency = {rate.label: (rate.sent, rate.answered) for rate in rates.by_agency}
    assert by_agency == {area.school.name: (4, 2), area.health.name: (2, 1)}
    assert [(r.label, r.sent, r.answered, r.percent) for r in rates.by_term] == [
        ("Autumn term", 4, 2, 50),
        ("Spring term", 2, 1, 50),
        ("Summer term", 0, 0, None),
    ]


# --- scores and trends -------------------------------------------------------------------------------------------


def test_scores_per_term_with_trend_following_the_question_code(client, year, scored, sqa_officer):
    client.force_login(sqa_officer)

    page = client.get(URL, {"year": year.pk})
    (form,) = page.context["scores"]
    questions = {q.code: q for q in form.questions}

    overall = questions["meeting_overall"]
    assert overall.text == "Overall, how was the meeting?"  # the newest version's words
    assert overall.scale_max == 4
    assert [c.responses for c in overall.cells] == [2, 1, 1]
    assert [c.mean for c in overall.cells] == [3.5, 2.0, 4.0]
    assert [c.positive_percent for c in overall.cells] == [100, 0, 100]
    assert [c.trend for c in overall.cells] == ["", "down", "up"]
    assert (overall.year.responses, overall.year.mean, overall.year.positive_percent) == (4, 3.25, 75)

    papers = questions["papers_in_time"]
    assert papers.kind == QuestionKind.YES_NO
    assert [c.positive_percent for c in papers.cells] == [50, 100, None]
    assert [c.trend for c in papers.cells] == ["", "up", ""]

    html = page.content.decode()
    assert "3.5 out of 4" in html
    assert "Down" in html and "Up" in html  # words, not only colour
    assert "50% yes" in html


def test_same_mean_is_reported_as_same(area, parent_form, terms):
    autumn, spring, _ = terms
    for term in (autumn, spring):
        response_with_answers(
            version=parent_form, agency=area.school, term=term, answers={"meeting_overall": "good"}
        )

    (form,) = selectors.scores_by_term(parent_form.form.partnership.feedback_responses.all(), terms)

    assert [c.trend for c in form.questions[0].cells] == ["", "same", ""]


# --- themes of free text -------------------------------------------------------------------------------------------


def test_theme_counts_per_term_and_untagged_answers(client, area, year, terms, tagged, sqa_officer):
    client.force_login(sqa_officer)

    page = client.get(URL, {"year": year.pk})

    rows = {row.name: [n for _, n in row.cells] for row in page.context["theme_rows"]}
    assert rows == {"Communication": [1, 1, 0], "Timeliness": [0, 1, 0]}
    assert [n for _, n in page.context["untagged"].cells] == [0, 1, 0]
    html = page.content.decode()
    # The SQA officer is led to the untagged answers, filtered to the term.
    assert f"{reverse('feedback:response-list')}?free_text=untagged&amp;term={terms[1].pk}" in html
    assert SECRET not in html


def test_board_members_see_counts_never_the_answers_or_the_tagging_link(
    client, area, year, tagged, scored, board_member
):
    client.force_login(board_member)

    page = client.get(URL, {"year": year.pk})
    html = page.content.decode()

    assert page.status_code == 200
    assert {row.name for row in page.context["theme_rows"]} == {"Communication", "Timeliness"}
    assert SECRET not in html
    assert "Papers came late" not in html
    assert "free_text=untagged" not in html
    assert f'href="{reverse("feedback:response-list")}"' not in html


def test_the_current_academic_year_is_shown_by_default(client, area, year, sqa_officer):
    current = qaf_services.academic_year_create_default(
        partnership=area.partnership, start_year=calendar.academic_year_start(timezone.localdate())
    )
    client.force_login(sqa_officer)

    page = client.get(URL)

    assert page.context["year"] == current


# --- CSV and query counts ---------------------------------------------------------------------------------------


def test_analysis_csv_holds_the_tables(client, year, invitations, scored, tagged, sqa_officer):
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:feedback-analysis-csv"), {"year": year.pk})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))

    assert rows[0] == ["section", "row", "period", "measure", "value"]
    assert ["Response rate", "All forms", "", "rate %", "50"] in rows
    assert [
        "Scores",
        "Parent or carer: after a meeting: meeting_overall",
        "Autumn term",
        "mean out of 4",
        "3.5",
    ] in rows
    assert ["Free-text themes", "Timeliness", "Spring term", "answers", "1"] in rows
    assert not any(SECRET in cell for row in rows for cell in row)


def test_analysis_query_count_does_not_grow_with_rows(
    client, area, year, terms, parent_form, sqa_officer, django_assert_max_num_queries
):
    theme = Theme.objects.create(partnership=area.partnership, name="Communication")

    def add(n: int) -> None:
        for i in range(n):
            agency = (area.school, area.health, area.social_care)[i % 3]
            term = terms[i % 3]
            _invite(agency, parent_form, term.starts_on, answered=bool(i % 2))
            response = response_with_answers(
                version=parent_form,
                agency=agency,
                term=term,
                answers={"meeting_overall": "good", "papers_in_time": "yes", "went_well": f"Text {i}"},
            )
            if i % 2:
                answer_tag(
                    answer=response.answers.get(question__code="went_well"), themes=[theme], by=sqa_officer
                )

    client.force_login(sqa_officer)
    add(3)
    with django_assert_max_num_queries(30) as few:
        assert client.get(URL, {"year": year.pk}).status_code == 200
    add(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, {"year": year.pk})
    assert page.context["rates"].total.sent == 33
