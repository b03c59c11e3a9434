"""CSV downloads of the complaints and compliments lists: exactly the filtered rows the user may see, safe for
spreadsheets, linked from the list with its filters, and a fixed number of queries."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from ehcp.tests.factories import ChildFactory
from feedback.models import ComplaintCategory, ComplaintOutcome, ComplaintStage
from feedback.tests.factories import ComplaintFactory, ComplimentFactory

pytestmark = pytest.mark.django_db


def _csv(response) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


# --- complaints CSV ----------------------------------------------------------------------------------------


def test_complaints_csv_holds_exactly_the_filtered_rows(client, area, sqa_officer):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC100200")
    practice = ComplaintFactory(
        agency=area.school,
        child=child,
        category=ComplaintCategory.PRACTICE,
        outcome=ComplaintOutcome.UPHELD,
        responded_on=dt.date(2026, 11, 10),
        summary="=cmd|' /C calc'!A0",
        learning="Share papers two weeks before",
    )
    practice.themes.create(partnership=area.partnership, name="Communication")
    ComplaintFactory(agency=area.school, category=ComplaintCategory.TRANSPORT)
    ComplaintFactory(agency=area.health, category=ComplaintCategory.PRACTICE)
    client.force_login(sqa_officer)

    rows = _csv(
        client.get(
            reverse("feedback:complaint-list"),
            {"category": ComplaintCategory.PRACTICE, "agency": area.school.pk, "format": "csv"},
        )
    )

    header = rows[0]
    assert header[:6] == ["id", "received", "agency", "category", "stage", "case reference"]
    assert len(rows) == 2
    row = dict(zip(header, rows[1], strict=True))
    assert row["id"] == str(practice.pk)
    assert row["received"] == "2026-11-02"
    assert row["agency"] == area.school.name
    assert row["category"] == "Practice"
    assert row["case reference"] == "EHC100200"
    assert row["outcome"] == "Upheld"
    assert row["responded"] == "2026-11-10"
    assert row["response"] == "Responded on time"
    assert row["themes"] == "Communication"
    assert row["learning"] == "Share papers two weeks before"
    # A leading = would be run as a formula by a spreadsheet.
    assert row["summary"] == "'=cmd|' /C calc'!A0"


def test_complaints_csv_follows_what_the_user_may_see(client, area, agency_manager):
    own = ComplaintFactory(agency=area.school)
    ComplaintFactory(agency=area.other_school)
    client.force_login(agency_manager)

    rows = _csv(client.get(reverse("feedback:complaint-list"), {"format": "csv"}))

    assert [row[0] for row in rows[1:]] == [str(own.pk)]


def test_complaints_csv_is_forbidden_to_board_members(client, area, board_member):
    ComplaintFactory(agency=area.school)
    client.force_login(board_member)

    assert client.get(reverse("feedback:complaint-list"), {"format": "csv"}).status_code == 403


def test_complaints_page_links_the_csv_with_its_filters(client, area, sqa_officer):
    ComplaintFactory(agency=area.school, stage=ComplaintStage.STAGE_2)
    client.force_login(sqa_officer)

    html = client.get(reverse("feedback:complaint-list"), {"stage": "stage_2"}).content.decode()

    assert "?stage=stage_2&amp;format=csv" in html


def test_complaints_csv_query_count_does_not_grow(client, area, sqa_officer, django_assert_max_num_queries):
    def add(n: int) -> None:
        for _ in range(n):
            complaint = ComplaintFactory(agency=area.school, child=ChildFactory(partnership=area.partnership))
            complaint.themes.create(partnership=area.partnership, name=f"Theme {complaint.pk}")

    client.force_login(sqa_officer)
    add(3)
    with django_assert_max_num_queries(30) as few:
        assert len(_csv(client.get(reverse("feedback:complaint-list"), {"format": "csv"}))) == 4
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_csv(client.get(reverse("feedback:complaint-list"), {"format": "csv"}))) == 24


# --- compliments CSV ----------------------------------------------------------------------------------------------


def test_compliments_csv_holds_exactly_the_filtered_rows(client, area, sqa_officer):
    kept = ComplimentFactory(agency=area.health, about="Speech therapy", summary="+Thanks for listening")
    kept.themes.create(partnership=area.partnership, name="Listening")
    ComplimentFactory(agency=area.school)
    client.force_login(sqa_officer)

    rows = _csv(client.get(reverse("feedback:compliment-list"), {"agency": area.health.pk, "format": "csv"}))

    assert rows[0] == ["id", "received", "agency", "from", "about", "summary", "themes"]
    assert rows[1:] == [
        [
            str(kept.pk),
            "2026-11-02",
            area.health.name,
            "Parent or carer",
            "Speech therapy",
            "'+Thanks for listening",
            "Listening",
        ]
    ]


def test_compliments_csv_follows_what_the_user_may_see(client, area, other_agency_manager, board_member):
    ComplimentFactory(agency=area.school)
    theirs = ComplimentFactory(agency=area.other_school)
    client.force_login(other_agency_manager)
    rows = _csv(client.get(reverse("feedback:compliment-list"), {"format": "csv"}))
    assert [row[0] for row in rows[1:]] == [str(theirs.pk)]

    client.force_login(board_member)
    assert client.get(reverse("feedback:compliment-list"), {"format": "csv"}).status_code == 403


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_compliments_csv_query_count_does_not_grow(client, area, sqa_officer, django_assert_max_num_queries):
    def add(count: int) -> None:
        for _ in range(count):
            compliment = ComplimentFactory(agency=area.school)
            compliment.themes.create(partnership=area.partnership, name=f"Theme {compliment.pk}")

    url = reverse("feedback:compliment-list")
    client.force_login(sqa_officer)
    add(2)
    with django_assert_max_num_queries(20) as few:
        assert len(_csv_lines(client.get(url, {"format": "csv"}))) == 3
    add(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_csv_lines(client.get(url, {"format": "csv"}))) == 23
