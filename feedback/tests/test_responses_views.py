"""Feedback responses for staff: who sees which, the filters, the CSV, the response page and tagging themes
(untagging them all included)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from ehcp.tests.factories import ChildFactory
from feedback.models import Audience, MeetingKind, ResponseSource
from feedback.services.tagging import answer_tag
from feedback.tests.factories import (
    FeedbackInvitationFactory,
    default_form,
    response_with_answers,
)
from feedback.tests.readers import AGENCY_RECORD_READERS, assert_list_shows
from qaf import services as qaf_services
from qaf.models import Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def parent_form(area):
    return default_form(area.partnership, Audience.PARENT_CARER)


@pytest.fixture
def theme(area):
    return Theme.objects.create(partnership=area.partnership, name="Communication")


@pytest.fixture
def school_response(area, parent_form):
    return response_with_answers(
        version=parent_form,
        agency=area.school,
        answers={"meeting_overall": "very_good", "papers_in_time": "no", "do_better": "Send papers earlier"},
        meeting_on=dt.date(2026, 10, 5),
    )


@pytest.fixture
def other_response(area, parent_form):
    return response_with_answers(
        version=parent_form, agency=area.other_school, answers={"meeting_overall": "poor"}
    )


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- who sees what -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, list_status, sees_own, sees_other",
    [*AGENCY_RECORD_READERS, ("partnership_admin", 403, False, False)],
)
def test_who_sees_which_responses(
    request, client, school_response, other_response, persona, list_status, sees_own, sees_other
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("feedback:response-list"))
    assert page.status_code == list_status
    download = client.get(reverse("feedback:response-list-csv"))
    assert download.status_code == list_status
    if list_status == 200:
        shown = assert_list_shows(page, "response", school_response, other_response, sees_own, sees_other)
        ids = {int(row[0]) for row in _csv(download)[1:]}
        assert ids == shown
    detail = client.get(reverse("feedback:response-detail", args=[school_response.pk]))
    assert detail.status_code == (200 if sees_own else 404)


def test_general_feedback_without_an_agency_is_seen_by_sqa_only(client, area, sqa_officer, agency_manager):
    general = default_form(area.partnership, Audience.PUBLIC)
    response = response_with_answers(
        version=general,
        agency=None,
        partnership=area.partnership,
        source=ResponseSource.GENERAL,
        meeting_kind="",
        meeting_on=None,
        answers={"who": "parent_carer", "experience": "good", "tell_us": "Helpful staff"},
    )

    client.force_login(agency_manager)
    assert client.get(reverse("feedback:response-detail", args=[response.pk])).status_code == 404
    client.force_login(sqa_officer)
    page = client.get(reverse("feedback:response-detail", args=[response.pk]))
    assert page.status_code == 200
    assert "General feedback" in page.content.decode()


# --- list filters --------------------------------------------------------------------------------------------


def test_filters_narrow_the_list(
    client, area, sqa_officer, parent_form, school_response, other_response, theme
):
    young = default_form(area.partnership, Audience.YOUNG_PERSON)
    young_response = response_with_answers(
        version=young,
        agency=area.school,
        meeting_kind=MeetingKind.PLANNING,
        answers={"meeting_feel": "good", "tell_us": "I liked it"},
    )
    answer = school_response.answers.get(question__code="do_better")
    answer_tag(answer=answer, themes=[theme], by=sqa_officer)
    client.force_login(sqa_officer)

    def shown(**params) -> set[int]:
        page = client.get(reverse("feedback:response-list"), params)
        assert page.status_code == 200
        return {row["response"].pk for row in page.context["rows"]}

    assert shown() == {school_response.pk, other_response.pk, young_response.pk}
    assert shown(form=young.form_id) == {young_response.pk}
    assert shown(audience=Audience.PARENT_CARER) == {school_response.pk, other_response.pk}
    assert shown(agency=area.other_school.pk) == {other_response.pk}
    assert shown(meeting_kind=MeetingKind.PLANNING) == {young_response.pk}
    assert shown(free_text="any") == {school_response.pk, young_response.pk}
    assert shown(free_text="untagged") == {young_response.pk}
    assert shown(theme=theme.pk) == {school_response.pk}
    assert shown(source=ResponseSource.GENERAL) == set()
    # A stale id is ignored; the other filters still apply.
    assert shown(agency=999999, audience=Audience.YOUNG_PERSON) == {young_response.pk}


def test_term_filter(client, area, sqa_officer, parent_form):
    year = qaf_services.academic_year_create_default(partnership=area.partnership, start_year=2025)
    autumn, spring = year.terms.order_by("number")[:2]
    in_autumn = response_with_answers(version=parent_form, agency=area.school, term=autumn, answers={})
    response_with_answers(version=parent_form, agency=area.school, term=spring, answers={})
    client.force_login(sqa_officer)

    page = client.get(reverse("feedback:response-list"), {"term": autumn.pk})

    assert [row["response"].pk for row in page.context["rows"]] == [in_autumn.pk]


def test_list_query_count_does_not_grow_with_rows(
    client, area, sqa_officer, parent_form, theme, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for i in range(n):
            response = response_with_answers(
                version=parent_form,
                agency=area.school if i % 2 else area.health,
                answers={"meeting_overall": "good", "listened": "partly", "went_well": f"Answer {i}"},
            )
            answer_tag(
                answer=response.answers.get(question__code="went_well"), themes=[theme], by=sqa_officer
            )

    client.force_login(sqa_officer)
    add(3)
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("feedback:response-list")).status_code == 200
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("feedback:response-list"))
    assert page.context["page"].paginator.count == 30


def test_csv_query_count_does_not_grow_with_rows(
    client, area, sqa_officer, parent_form, django_assert_max_num_queries
):
    def add(n: int) -> None:
        for _ in range(n):
            response_with_answers(
                version=parent_form, agency=area.school, answers={"meeting_overall": "good", "went_well": "x"}
            )

    client.force_login(sqa_officer)
    add(3)
    with django_assert_max_num_queries(40) as few:
        rows = _csv(client.get(reverse("feedback:response-list-csv")))
    assert len(rows) == 4
    add(27)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _csv(client.get(reverse("feedback:response-list-csv")))
    assert len(rows) == 31


# --- CSV -------------------------------------------------------------------------------------------------------


def test_csv_for_one_form_has_a_column_per_question_code_with_answers_in_words(
    client, area, sqa_officer, parent_form, school_response, other_response
):
    young = default_form(area.partnership, Audience.YOUNG_PERSON)
    response_with_answers(version=young, agency=area.school, answers={"meeting_feel": "good"})
    client.force_login(sqa_officer)

    rows = _csv(client.get(reverse("feedback:response-list-csv"), {"form": parent_form.form_id}))

    header = rows[0]
    assert header[:9] == [
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
    codes = list(parent_form.questions.values_list("code", flat=True))
    assert header[9:-1] == codes
    assert header[-1] == "themes"
    assert len(rows) == 3  # only the parent form's two responses
    row = next(r for r in rows[1:] if r[0] == str(school_response.pk))
    by_code = dict(zip(header, row, strict=True))
    assert by_code["meeting_overall"] == "Very good"
    assert by_code["papers_in_time"] == "No"
    assert by_code["do_better"] == "Send papers earlier"
    assert by_code["listened"] == ""
    assert by_code["agency"] == area.school.name
    assert by_code["meeting kind"] == "Annual review meeting"
    assert by_code["meeting date"] == "2026-10-05"


def test_csv_for_several_forms_has_a_compact_answers_cell(client, area, sqa_officer, school_response):
    client.force_login(sqa_officer)

    rows = _csv(client.get(reverse("feedback:response-list-csv")))

    assert rows[0][9:] == ["answers", "themes"]
    assert rows[1][9] == "meeting_overall: Very good; papers_in_time: No; do_better: Send papers earlier"


def test_csv_is_formula_safe_and_never_holds_the_child_or_the_contact(client, area, sqa_officer, parent_form):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC777123")
    invitation = FeedbackInvitationFactory(
        agency=area.school, child=child, contact="mum@example.com", version=parent_form
    )
    response_with_answers(
        version=parent_form,
        agency=area.school,
        invitation=invitation,
        answers={"meeting_overall": "good", "went_well": '=HYPERLINK("http://evil.example","x")'},
    )
    client.force_login(sqa_officer)

    download = client.get(reverse("feedback:response-list-csv"), {"form": parent_form.form_id})
    body = b"".join(download.streaming_content).decode()

    assert download["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(body)))
    went_well = rows[0].index("went_well")
    assert rows[1][went_well] == '\'=HYPERLINK("http://evil.example","x")'
    assert "EHC777123" not in body
    assert "mum@example.com" not in body


# --- the response page -----------------------------------------------------------------------------------------


def test_response_page_shows_the_meeting_and_answers_in_words_never_the_child(
    client, area, agency_manager, parent_form
):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC555001")
    invitation = FeedbackInvitationFactory(agency=area.school, child=child, version=parent_form)
    response = response_with_answers(
        version=parent_form,
        agency=area.school,
        invitation=invitation,
        meeting_on=dt.date(2026, 10, 5),
        answers={"meeting_overall": "very_good", "listened": "partly", "went_well": "Everyone listened"},
    )
    client.force_login(agency_manager)

    page = client.get(reverse("feedback:response-detail", args=[response.pk]))
    html = page.content.decode()

    assert page.status_code == 200
    assert "Annual review meeting on 5 October 2026" in html
    assert area.school.name in html
    assert "Very good" in html and "very_good" not in html
    assert "Partly" in html
    assert "Everyone listened" in html
    assert "EHC555001" not in html
    assert invitation.contact not in html
    # Staff who may not tag see no tagging link.
    assert "Tag with themes" not in html


def test_script_in_a_free_text_answer_is_shown_as_text(client, area, sqa_officer, parent_form):
    response = response_with_answers(
        version=parent_form, agency=area.school, answers={"went_well": "<script>alert('x')</script>"}
    )
    client.force_login(sqa_officer)

    for url in (
        reverse("feedback:response-detail", args=[response.pk]),
        reverse(
            "feedback:response-tag",
            args=[response.pk, response.answers.get(question__code="went_well").pk],
        ),
    ):
        html = client.get(url).content.decode()
        assert "<script>alert(" not in html
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html


# --- tagging -------------------------------------------------------------------------------------------------------


def test_sqa_officer_tags_a_free_text_answer(area, sqa_officer, school_response, theme):
    answer = school_response.answers.get(question__code="do_better")
    second = Theme.objects.create(partnership=area.partnership, name="Timeliness")

    answer_tag(answer=answer, themes=[theme, second], by=sqa_officer)

    answer.refresh_from_db()
    assert set(answer.themes.all()) == {theme, second}
    assert answer.tagged_by == sqa_officer
    assert answer.tagged_at is not None

    answer_tag(answer=answer, themes=[], by=sqa_officer)
    assert answer.themes.count() == 0
    # Read and left without a theme: no longer waiting to be tagged.
    answer.refresh_from_db()
    assert answer.tagged_at is not None


@pytest.mark.parametrize("persona", ["agency_manager", "practitioner", "board_member", "outsider_sqa"])
def test_only_the_partnerships_sqa_officers_tag(request, school_response, theme, persona):
    answer = school_response.answers.get(question__code="do_better")

    with pytest.raises(PermissionDenied):
        answer_tag(answer=answer, themes=[theme], by=request.getfixturevalue(persona))

    answer.refresh_from_db()
    assert answer.themes.count() == 0
    assert answer.tagged_at is None


def test_tagging_refuses_other_partnerships_themes_and_scored_answers(
    area, other_area, sqa_officer, school_response, theme
):
    free_text = school_response.answers.get(question__code="do_better")
    elsewhere = Theme.objects.create(partnership=other_area.partnership, name="Elsewhere theme")
    with pytest.raises(ValidationError):
        answer_tag(answer=free_text, themes=[theme, elsewhere], by=sqa_officer)
    assert free_text.themes.count() == 0

    rating = school_response.answers.get(question__code="meeting_overall")
    with pytest.raises(ValidationError):
        answer_tag(answer=rating, themes=[theme], by=sqa_officer)
    assert rating.themes.count() == 0


def test_sqa_officer_tags_through_the_page(client, sqa_officer, school_response, theme):
    answer = school_response.answers.get(question__code="do_better")
    url = reverse("feedback:response-tag", args=[school_response.pk, answer.pk])
    client.force_login(sqa_officer)

    detail = client.get(reverse("feedback:response-detail", args=[school_response.pk])).content.decode()
    assert url in detail
    assert client.get(url).status_code == 200
    response = client.post(url, {"themes": [theme.pk]})

    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:response-detail", args=[school_response.pk])
    assert list(answer.themes.all()) == [theme]
    detail = client.get(reverse("feedback:response-detail", args=[school_response.pk])).content.decode()
    assert "Communication" in detail


def test_tag_page_refuses_a_theme_of_another_partnership(client, other_area, sqa_officer, school_response):
    answer = school_response.answers.get(question__code="do_better")
    elsewhere = Theme.objects.create(partnership=other_area.partnership, name="Elsewhere theme")
    client.force_login(sqa_officer)

    response = client.post(
        reverse("feedback:response-tag", args=[school_response.pk, answer.pk]), {"themes": [elsewhere.pk]}
    )

    assert response.status_code == 400
    assert answer.themes.count() == 0


@pytest.mark.parametrize(
    "persona, status",
    [
        ("sqa_officer", 200),
        ("agency_manager", 403),  # sees the response, may not tag
        ("other_agency_manager", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
    ],
)
def test_who_may_open_the_tag_page(request, client, school_response, theme, persona, status):
    answer = school_response.answers.get(question__code="do_better")
    client.force_login(request.getfixturevalue(persona))
    url = reverse("feedback:response-tag", args=[school_response.pk, answer.pk])

    assert client.get(url).status_code == status
    assert client.post(url, {"themes": [theme.pk]}).status_code == (302 if status == 200 else status)
    assert answer.themes.exists() == (status == 200)


def test_scored_answers_have_no_tag_page(client, sqa_officer, school_response):
    rating = school_response.answers.get(question__code="meeting_overall")
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:response-tag", args=[school_response.pk, rating.pk]))

    assert response.status_code == 404


def test_untagging_every_theme_is_a_post_with_no_themes(client, area, sqa_officer):
    """Saving the tag page with no box ticked records that the answer fits no theme (the service's contract)."""
    theme = Theme.objects.create(partnership=area.partnership, name="Communication")
    response = response_with_answers(
        version=default_form(area.partnership, Audience.PARENT_CARER),
        agency=area.school,
        answers={"do_better": "Send papers earlier"},
    )
    answer = response.answers.get(question__code="do_better")
    answer.themes.set([theme])
    client.force_login(sqa_officer)

    page = client.post(reverse("feedback:response-tag", args=[response.pk, answer.pk]), {})

    assert page.status_code == 302
    answer.refresh_from_db()
    assert answer.themes.count() == 0
    assert answer.tagged_at is not None and answer.tagged_by == sqa_officer
