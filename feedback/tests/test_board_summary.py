"""The six-monthly themed board summary: complaints, compliments, feedback, themes across them and the remedial
actions they raised, and the learning recorded. Aggregates and learning only, for SQA officers and the board. A
half-year that is not one falls back on the last complete half."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionSource, ActionStatus, RemedialAction
from ehcp.tests.factories import ChildFactory
from feedback.models import (
    AdvocacyReturnStatus,
    Audience,
    Complaint,
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintStage,
)
from feedback.selectors.summary import HalfYear, halves_to_offer, last_complete_half
from feedback.services.tagging import answer_tag
from feedback.tests.factories import (
    AdvocacyReturnFactory,
    ComplaintFactory,
    ComplimentFactory,
    FeedbackInvitationFactory,
    default_form,
    response_with_answers,
)
from qaf.models import AgencyKind, Theme
from qaf.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

URL = reverse("feedback:board-summary")
H2 = {"half": "2026-H2"}


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# --- the half-year ------------------------------------------------------------------------------------------------


def test_half_years():
    assert HalfYear.parse("2026-H2") == HalfYear(2026, 2)
    assert HalfYear.parse("2026-H3") is None
    assert HalfYear.parse("26-H1") is None
    assert HalfYear.parse(None) is None
    assert (HalfYear(2026, 1).starts_on, HalfYear(2026, 1).ends_on) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
    )
    assert (HalfYear(2026, 2).starts_on, HalfYear(2026, 2).ends_on) == (
        dt.date(2026, 7, 1),
        dt.date(2026, 12, 31),
    )
    assert HalfYear(2026, 2).label == "July to December 2026"
    assert last_complete_half(dt.date(2027, 2, 10)) == HalfYear(2026, 2)
    assert last_complete_half(dt.date(2026, 7, 1)) == HalfYear(2026, 1)
    assert last_complete_half(dt.date(2026, 6, 30)) == HalfYear(2025, 2)
    assert [h.key for h in halves_to_offer(dt.date(2026, 11, 23), 3)] == ["2026-H2", "2026-H1", "2025-H2"]


@pytest.mark.parametrize("text", ["0000-H1", "0000-H2"])
def test_a_half_year_with_no_dates_is_not_a_half_year(text):
    assert HalfYear.parse(text) is None


def test_board_summary_falls_back_on_a_year_zero_half(client, sqa_officer):
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:board-summary"), {"half": "0000-H1"})

    assert response.status_code == 200
    assert response.context["summary"].half == last_complete_half(timezone.localdate())


# --- who may see it ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status",
    [
        ("sqa_officer", 200),
        ("board_member", 200),
        ("agency_manager", 403),
        ("practitioner", 403),
        ("head_of_service", 403),
        ("partnership_admin", 403),
        ("outsider_sqa", 200),
    ],
)
def test_who_may_see_the_board_summary(request, client, area, persona, status):
    ComplaintFactory(agency=area.school, received_on=dt.date(2026, 9, 1))
    client.force_login(request.getfixturevalue(persona))

    page = client.get(URL, H2)

    assert page.status_code == status
    if status == 200:
        expected = 0 if persona == "outsider_sqa" else 1
        assert page.context["summary"].complaints.total == expected


def test_the_last_complete_half_year_is_the_default(client, sqa_officer):
    client.force_login(sqa_officer)

    assert client.get(URL).context["summary"].half == last_complete_half(timezone.localdate())
    assert client.get(URL, {"half": "nonsense"}).context["summary"].half == last_complete_half(
        timezone.localdate()
    )
    assert client.get(URL, {"half": "2025-H1"}).context["summary"].half == HalfYear(2025, 1)


# --- what it holds ---------------------------------------------------------------------------------------------


@pytest.fixture
def themes(area):
    return (
        Theme.objects.create(partnership=area.partnership, name="Communication"),
        Theme.objects.create(partnership=area.partnership, name="Timeliness"),
    )


@pytest.fixture
def half_year_of_work(area, other_area, themes, sqa_officer, practitioner):
    communication, timeliness = themes
    child = ChildFactory(partnership=area.partnership, case_reference="EHC424242")
    upheld = ComplaintFactory(
        agency=area.school,
        child=child,
        received_on=dt.date(2026, 9, 10),
        category=ComplaintCategory.EHC_PLANS,
        outcome=ComplaintOutcome.UPHELD,
        learning="Check the papers reach families two weeks before a review",
    )
    Complaint.objects.filter(pk=upheld.pk).update(responded_on=upheld.response_due_on)
    upheld.themes.add(communication)
    late = ComplaintFactory(
        agency=area.health,
        received_on=dt.date(2026, 10, 1),
        category=ComplaintCategory.TRANSPORT,
        stage=ComplaintStage.STAGE_2,
        outcome=ComplaintOutcome.NOT_UPHELD,
    )
    Complaint.objects.filter(pk=late.pk).update(responded_on=late.response_due_on + dt.timedelta(days=7))
    ComplaintFactory(
        agency=area.school,
        received_on=dt.date(2026, 11, 2),
        category=ComplaintCategory.PRACTICE,
        stage=ComplaintStage.LGSCO,
        lgsco_outcome="Fault found: apology and a payment",
    )
    ComplaintFactory(
        agency=area.school,
        received_on=dt.date(2026, 12, 1),
        category=ComplaintCategory.OTHER,
        stage=ComplaintStage.LGSCO,
    )
    ComplaintFactory(agency=area.school, received_on=dt.date(2026, 5, 1), learning="Earlier learning")  # H1
    ComplaintFactory(agency=other_area.school, received_on=dt.date(2026, 9, 1))  # elsewhere

    ComplimentFactory(agency=area.school, received_on=dt.date(2026, 8, 1)).themes.add(communication)
    ComplimentFactory(agency=area.school, received_on=dt.date(2026, 12, 31))
    ComplimentFactory(agency=area.health, received_on=dt.date(2026, 7, 1))
    ComplimentFactory(agency=area.health, received_on=dt.date(2026, 6, 30))  # H1

    parent = default_form(area.partnership, Audience.PARENT_CARER)
    liked = response_with_answers(
        version=parent,
        agency=area.school,
        submitted_at=_at(dt.date(2026, 9, 20)),
        answers={"meeting_overall": "very_good", "went_well": "A private remark about the meeting"},
    )
    answer_tag(answer=liked.answers.get(question__code="went_well"), themes=[communication], by=sqa_officer)
    response_with_answers(
        version=parent,
        agency=area.health,
        submitted_at=_at(dt.date(2026, 10, 20)),
        answers={"meeting_overall": "poor"},
    )
    response_with_answers(
        version=parent,
        agency=area.health,
        submitted_at=_at(dt.date(2026, 3, 1)),
        answers={"meeting_overall": "very_poor"},
    )  # H1
    for answered, withdrawn in ((True, False), (False, False), (False, False), (False, True)):
        FeedbackInvitationFactory(
            agency=area.school,
            version=parent,
            meeting_on=dt.date(2026, 9, 1),
            responded_at=timezone.now() if answered else None,
            withdrawn_at=timezone.now() if withdrawn else None,
        )

    def action(source, *, raised_on, status=ActionStatus.OPEN, source_object=None, theme=None):
        created = RemedialAction.objects.create(
            partnership=area.partnership,
            source=source,
            source_type=ContentType.objects.get_for_model(source_object) if source_object else None,
            source_id=source_object.pk if source_object else None,
            agency=area.school,
            worker=practitioner,
            what="Do something",
            why="Because",
            due_on=dt.date(2027, 1, 31),
            status=status,
            raised_at=_at(raised_on),
        )
        if theme:
            created.themes.add(theme)

    action(
        ActionSource.COMPLAINT,
        raised_on=dt.date(2026, 10, 2),
        status=ActionStatus.VERIFIED,
        source_object=upheld,
        theme=timeliness,
    )
    action(ActionSource.FEEDBACK, raised_on=dt.date(2026, 11, 2), theme=communication)
    action(
        ActionSource.COMPLAINT,
        raised_on=dt.date(2026, 11, 3),
        status=ActionStatus.CANCELLED,
        theme=timeliness,
    )
    action(ActionSource.AUDIT, raised_on=dt.date(2026, 11, 4), theme=timeliness)
    action(ActionSource.COMPLAINT, raised_on=dt.date(2026, 3, 4), theme=timeliness)  # H1

    advocacy = AgencyFactory(partnership=area.partnership, kind=AgencyKind.ADVOCACY, name="SENDIASS")
    AdvocacyReturnFactory(
        agency=advocacy,
        year=2026,
        quarter=3,
        status=AdvocacyReturnStatus.SUBMITTED,
        learning="Families want advice before the draft plan",
    )
    AdvocacyReturnFactory(agency=advocacy, year=2026, quarter=4, learning="Draft learning not yet submitted")
    AdvocacyReturnFactory(
        agency=advocacy,
        year=2026,
        quarter=1,
        status=AdvocacyReturnStatus.SUBMITTED,
        learning="Spring learning",
    )


def test_board_summary_counts_the_half_year(client, area, half_year_of_work, board_member, practitioner):
    client.force_login(board_member)

    page = client.get(URL, H2)
    summary = page.context["summary"]
    complaints = summary.complaints

    assert complaints.total == 4
    assert complaints.by_category == {"EHC plans": 1, "Transport": 1, "Practice": 1, "Other": 1}
    assert complaints.by_stage == {"Stage 1": 1, "Stage 2": 1, "Ombudsman (LGSCO) enquiry": 2}
    assert complaints.by_outcome == {"Upheld": 1, "Not upheld": 1, "Not decided": 2}
    assert (complaints.responded, complaints.on_time, complaints.on_time_percent) == (2, 1, 50)
    assert complaints.ombudsman == 2
    assert complaints.ombudsman_outcomes == [("Fault found: apology and a payment", 1)]
    assert complaints.ombudsman_awaiting == 1

    assert summary.compliments == 3
    assert summary.compliments_by_agency == [(area.school.name, 2), (area.health.name, 1)]

    assert summary.responses == 2
    assert (summary.rate.sent, summary.rate.answered, summary.rate.percent) == (3, 1, 33)
    (mean,) = summary.form_means
    assert (mean.form, mean.responses, mean.mean, mean.scale_max) == (
        "Parent or carer: after a meeting",
        2,
        3.0,
        4,
    )

    themes = {
        row.name: (row.complaints, row.compliments, row.feedback, row.actions) for row in summary.themes
    }
    assert themes == {"Communication": (1, 1, 1, 1), "Timeliness": (0, 0, 0, 1)}
    assert summary.themes[0].name == "Communication"  # the most raised first
    assert (summary.actions_raised, summary.actions_done) == (2, 1)

    assert [item["text"] for item in summary.complaint_learning] == [
        "Check the papers reach families two weeks before a review"
    ]
    assert summary.advocacy_learning == [
        {"agency": "SENDIASS", "quarter": "Q3 2026", "text": "Families want advice before the draft plan"}
    ]

    html = page.content.decode()
    assert "Check the papers reach families" in html
    assert "Families want advice before the draft plan" in html
    assert "3.0 out of 4" in html
    # Aggregates and learning only: no child, no worker, no free-text answer.
    assert "EHC424242" not in html
    assert practitioner.display_name not in html
    assert "A private remark" not in html
    assert "Draft learning" not in html
    assert "govuk-!-display-none-print" in html


def test_the_other_half_year_holds_its_own_rows(client, half_year_of_work, sqa_officer):
    client.force_login(sqa_officer)

    summary = client.get(URL, {"half": "2026-H1"}).context["summary"]

    assert summary.complaints.total == 1
    assert summary.compliments == 1
    assert summary.responses == 1
    assert summary.actions_raised == 1
    assert [item["text"] for item in summary.complaint_learning] == ["Earlier learning"]
    assert [item["text"] for item in summary.advocacy_learning] == ["Spring learning"]


def test_board_summary_query_count_does_not_grow_with_rows(
    client, area, themes, sqa_officer, practitioner, django_assert_max_num_queries
):
    communication, _ = themes
    parent = default_form(area.partnership, Audience.PARENT_CARER)
    advocacy = AgencyFactory(partnership=area.partnership, kind=AgencyKind.ADVOCACY)

    def add(n: int, offset: int) -> None:
        for i in range(n):
            day = dt.date(2026, 7 + i % 6, 1 + i % 28)
            complaint = ComplaintFactory(
                agency=(area.school, area.health)[i % 2], received_on=day, learning=f"Learning {i}"
            )
            complaint.themes.add(communication)
            ComplimentFactory(agency=area.school, received_on=day).themes.add(communication)
            response = response_with_answers(
                version=parent,
                agency=area.school,
                submitted_at=_at(day),
                answers={"meeting_overall": "good", "went_well": "Fine"},
            )
            answer_tag(
                answer=response.answers.get(question__code="went_well"),
                themes=[communication],
                by=sqa_officer,
            )
            RemedialAction.objects.create(
                partnership=area.partnership,
                source=ActionSource.COMPLAINT,
                agency=area.school,
                worker=practitioner,
                what="x",
                why="y",
                due_on=dt.date(2027, 1, 1),
                raised_at=_at(day),
            ).themes.add(communication)
        AdvocacyReturnFactory(
            agency=advocacy,
            year=2026,
            quarter=3 + offset,
            status=AdvocacyReturnStatus.SUBMITTED,
            learning="L",
        )

    client.force_login(sqa_officer)
    add(2, 0)
    with django_assert_max_num_queries(40) as few:
        assert client.get(URL, H2).status_code == 200
    add(20, 1)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, H2)
    assert page.context["summary"].complaints.total == 22


def test_the_same_lesson_is_listed_once_with_its_count(client, area, sqa_officer):
    from feedback.tests.factories import ComplaintFactory

    for agency in (area.school, area.health, area.school):
        ComplaintFactory(
            agency=agency, received_on=dt.date(2026, 8, 3), learning="Send papers  two weeks ahead"
        )
    ComplaintFactory(agency=area.health, received_on=dt.date(2026, 8, 4), learning="Answer the phone")
    client.force_login(sqa_officer)
    summary = client.get(URL, {"half": "2026-H2"}).context["summary"]
    assert [(i["text"], i["count"], i["agencies"]) for i in summary.complaint_learning] == [
        ("Send papers  two weeks ahead", 3, [area.school.name, area.health.name]),
        ("Answer the phone", 1, [area.health.name]),
    ]
