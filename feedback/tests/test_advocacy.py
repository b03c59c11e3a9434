"""Advocacy quarterly returns: the rules of the return (one per quarter, frozen once submitted), who sees and
writes what, the form's grid and its errors, the list's filters, CSV and query counts."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from feedback.models import AdvocacyActivity, AdvocacyReturn, AdvocacyReturnStatus, quarter_of
from feedback.selectors.advocacy import GRID, csv_header
from feedback.services import advocacy as services
from feedback.tests.factories import AdvocacyReturnFactory
from feedback.tests.readers import ADVOCACY_RETURN_READERS
from qaf.models import AgencyKind, Role
from qaf.tests.factories import AgencyFactory, member

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 8, 20)  # in Q3: Q4 has not started


@pytest.fixture
def other_advocacy(area):
    return AgencyFactory(
        partnership=area.partnership, name="Young People's Advocacy", kind=AgencyKind.ADVOCACY
    )


def create(by, agency, year=2026, quarter=3, counts=None, **fields) -> AdvocacyReturn:
    return services.advocacy_return_create(
        by=by, agency=agency, year=year, quarter=quarter, counts=counts or {}, today=TODAY, **fields
    )


def form_data(**overrides) -> dict:
    data = {
        "outcomes": "Families reached agreement at mediation in most cases.",
        "feedback": "Parents valued help preparing for annual reviews.",
        "complaints_received": "1",
        "compliments_received": "6",
        "challenges": "Waiting times for casework rose in September.",
        "learning": "Earlier advice at drafting stage avoids tribunal.",
        "count_casework_3": "14",
        "count_advice_2": "40",
        "count_information_1": "",
    }
    data.update(overrides)
    return data


# --- services -----------------------------------------------------------------------------------------------


def test_create_stores_the_non_zero_counts_and_the_prose(advocacy, advocacy_manager):
    made = create(
        advocacy_manager,
        advocacy,
        counts={("casework", "3"): 14, ("advice", "2"): 40, ("information", "1"): 0},
        outcomes="Agreement at mediation.",
        complaints_received=2,
    )

    made.refresh_from_db()
    assert made.status == AdvocacyReturnStatus.DRAFT
    assert made.partnership_id == advocacy.partnership_id
    assert made.created_by == advocacy_manager
    assert made.outcomes == "Agreement at mediation."
    assert made.complaints_received == 2
    assert set(made.activities.values_list("activity_type", "level", "count")) == {
        ("casework", "3", 14),
        ("advice", "2", 40),
    }
    assert made.total_activity == 54


def test_a_second_return_for_the_same_quarter_is_refused_with_the_existing_one(advocacy, advocacy_manager):
    first = create(advocacy_manager, advocacy)

    with pytest.raises(services.AdvocacyReturnExists) as caught:
        create(advocacy_manager, advocacy)

    assert caught.value.existing == first
    assert AdvocacyReturn.objects.count() == 1
    # Another quarter, or another service in the same quarter, is fine.
    create(advocacy_manager, advocacy, quarter=2)
    assert AdvocacyReturn.objects.count() == 2


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"quarter": 4}, "quarter"),  # not started on TODAY
        ({"year": 2027, "quarter": 1}, "year"),
        ({"quarter": 5}, "quarter"),
        ({"counts": {("casework", "9"): 1}}, "activities"),
        ({"counts": {("casework", "3"): -1}}, "activities"),
        ({"complaints_received": -2}, "complaints_received"),
    ],
)
def test_create_refuses_bad_input(advocacy, advocacy_manager, kwargs, field):
    with pytest.raises(ValidationError) as caught:
        create(advocacy_manager, advocacy, **kwargs)

    assert field in caught.value.message_dict
    assert not AdvocacyReturn.objects.exists()


def test_create_refuses_an_agency_that_is_not_an_advocacy_service_or_is_elsewhere(
    area, other_area, sqa_officer
):
    for agency in (area.school, AgencyFactory(partnership=other_area.partnership, kind=AgencyKind.ADVOCACY)):
        with pytest.raises(ValidationError) as caught:
            create(sqa_officer, agency)
        assert "agency" in caught.value.message_dict
    assert not AdvocacyReturn.objects.exists()


def test_update_replaces_the_counts_and_submit_freezes_the_return(advocacy, advocacy_manager):
    made = create(advocacy_manager, advocacy, counts={("casework", "3"): 14, ("advice", "2"): 40})

    services.advocacy_return_update(
        advocacy_return=made, by=advocacy_manager, counts={("training", "1"): 3}, learning="Start earlier."
    )
    made.refresh_from_db()
    assert list(made.activities.values_list("activity_type", "level", "count")) == [("training", "1", 3)]
    assert made.learning == "Start earlier."

    services.advocacy_return_submit(advocacy_return=made, by=advocacy_manager)
    made.refresh_from_db()
    assert made.status == AdvocacyReturnStatus.SUBMITTED
    assert made.submitted_by == advocacy_manager and made.submitted_at is not None

    with pytest.raises(PermissionDenied):
        services.advocacy_return_update(advocacy_return=made, by=advocacy_manager, learning="Changed")
    with pytest.raises(PermissionDenied):
        services.advocacy_return_submit(advocacy_return=made, by=advocacy_manager)
    made.refresh_from_db()
    assert made.learning == "Start earlier."


def test_update_cannot_move_a_return_to_another_quarter(advocacy, advocacy_manager):
    made = create(advocacy_manager, advocacy)

    with pytest.raises(TypeError):
        services.advocacy_return_update(advocacy_return=made, by=advocacy_manager, quarter=2)


# --- who sees and writes what --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, list_status, sees_draft, sees_submitted, may_write", ADVOCACY_RETURN_READERS
)
def test_who_sees_and_writes_which_returns(
    request,
    client,
    draft_return,
    submitted_return,
    persona,
    list_status,
    sees_draft,
    sees_submitted,
    may_write,
):
    client.force_login(request.getfixturevalue(persona))

    listed = client.get(reverse("feedback:advocacy-list"))
    assert listed.status_code == list_status
    if list_status == 200:
        shown = {row["return"].pk for row in listed.context["rows"]}
        assert shown == {
            r.pk for r, seen in ((draft_return, sees_draft), (submitted_return, sees_submitted)) if seen
        }
    for row, seen in ((draft_return, sees_draft), (submitted_return, sees_submitted)):
        assert client.get(reverse("feedback:advocacy-detail", args=[row.pk])).status_code == (
            200 if seen else 404
        )
    change = client.get(reverse("feedback:advocacy-change", args=[draft_return.pk]))
    assert change.status_code == (200 if may_write else 403 if sees_draft else 404)
    create_page = client.get(reverse("feedback:advocacy-create"))
    assert create_page.status_code == (200 if may_write else 403)
    # A submitted return is frozen, for everyone.
    frozen = client.post(reverse("feedback:advocacy-change", args=[submitted_return.pk]), form_data())
    assert frozen.status_code == (403 if sees_submitted else 404)
    submitted_return.refresh_from_db()
    assert submitted_return.outcomes == ""


def test_a_manager_of_another_advocacy_service_cannot_see_or_write_this_ones(
    client, draft_return, other_advocacy
):
    client.force_login(member(other_advocacy, Role.AGENCY_MANAGER))

    assert client.get(reverse("feedback:advocacy-detail", args=[draft_return.pk])).status_code == 404
    assert client.post(reverse("feedback:advocacy-submit", args=[draft_return.pk])).status_code == 404
    listed = client.get(reverse("feedback:advocacy-list"))
    assert listed.status_code == 200 and listed.context["rows"] == []
    draft_return.refresh_from_db()
    assert draft_return.status == AdvocacyReturnStatus.DRAFT


# --- pages --------------------------------------------------------------------------------------------------


def test_manager_writes_a_draft_through_the_grid_then_changes_and_submits_it(
    client, advocacy, advocacy_manager
):
    client.force_login(advocacy_manager)
    page = client.get(reverse("feedback:advocacy-create"))
    html = page.content.decode()
    # Each box in the grid is named for a screen reader: type and level.
    assert (
        '<label class="govuk-label govuk-visually-hidden" for="id_count_casework_3">Casework support, level 3'
        in html
    )
    assert 'inputmode="numeric"' in html

    response = client.post(
        reverse("feedback:advocacy-create"),
        form_data(agency=advocacy.pk, year="2026", quarter="2"),
    )

    made = AdvocacyReturn.objects.get()
    assert response.status_code == 302 and response.url == reverse("feedback:advocacy-detail", args=[made.pk])
    assert (made.year, made.quarter, made.status) == (2026, 2, AdvocacyReturnStatus.DRAFT)
    assert made.total_activity == 54 and made.compliments_received == 6

    detail = client.get(response.url)
    assert detail.context["grid"].total == 54
    assert [c for _, c in detail.context["grid"].level_totals] == [0, 40, 14]
    assert reverse("feedback:advocacy-submit", args=[made.pk]) in detail.content.decode()

    changed = client.post(
        reverse("feedback:advocacy-change", args=[made.pk]), form_data(count_casework_3="20")
    )
    assert changed.status_code == 302
    assert AdvocacyActivity.objects.get(advocacy_return=made, activity_type="casework").count == 20

    confirm = client.get(reverse("feedback:advocacy-submit", args=[made.pk]))
    assert confirm.status_code == 200 and "You cannot change the return" in confirm.content.decode()
    made.refresh_from_db()
    assert made.status == AdvocacyReturnStatus.DRAFT  # showing the confirmation changes nothing

    submit = client.post(reverse("feedback:advocacy-submit", args=[made.pk]))
    assert submit.status_code == 302
    made.refresh_from_db()
    assert made.status == AdvocacyReturnStatus.SUBMITTED and made.submitted_by == advocacy_manager
    again = client.post(reverse("feedback:advocacy-change", args=[made.pk]), form_data(count_casework_3="1"))
    assert again.status_code == 403
    assert AdvocacyActivity.objects.get(advocacy_return=made, activity_type="casework").count == 20
    assert (
        "Change return"
        not in client.get(reverse("feedback:advocacy-detail", args=[made.pk])).content.decode()
    )


def test_a_second_return_for_the_quarter_shows_an_error_linking_to_the_first(
    client, draft_return, advocacy_manager
):
    client.force_login(advocacy_manager)

    response = client.post(
        reverse("feedback:advocacy-create"),
        form_data(agency=draft_return.agency_id, year="2026", quarter="2"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'href="{reverse("feedback:advocacy-detail", args=[draft_return.pk])}"' in html
    assert "already has a return for 2026 Q2: view or change that return" in html  # a draft can still change
    assert AdvocacyReturn.objects.count() == 1


def test_bad_counts_are_shown_against_their_box_and_nothing_is_saved(client, advocacy, advocacy_manager):
    client.force_login(advocacy_manager)

    response = client.post(
        reverse("feedback:advocacy-create"),
        form_data(agency=advocacy.pk, year="2026", quarter="2", count_training_2="lots", count_advice_1="-3"),
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert 'href="#id_count_training_2"' in html and 'id="id_count_training_2-error"' in html
    assert "Training and workshops, level 2 must be a whole number" in html
    assert "Advice (telephone, email or drop-in), level 1 must be 0 or more" in html
    assert not AdvocacyReturn.objects.exists()


def test_a_quarter_that_has_not_started_is_refused_on_the_page(client, advocacy, advocacy_manager):
    client.force_login(advocacy_manager)
    year = timezone.localdate().year + 1

    response = client.post(
        reverse("feedback:advocacy-create"), form_data(agency=advocacy.pk, year=str(year), quarter="4")
    )

    assert response.status_code == 400
    assert not AdvocacyReturn.objects.exists()


def _returns(advocacy, count: int) -> list[AdvocacyReturn]:
    rows = []
    for i in range(count):
        row = AdvocacyReturnFactory(
            agency=advocacy,
            year=2000 + i // 4,
            quarter=i % 4 + 1,
            status=AdvocacyReturnStatus.SUBMITTED if i % 2 else AdvocacyReturnStatus.DRAFT,
        )
        AdvocacyActivity.objects.create(advocacy_return=row, activity_type="casework", level="3", count=i + 1)
        AdvocacyActivity.objects.create(advocacy_return=row, activity_type="advice", level="1", count=2)
        rows.append(row)
    return rows


def test_list_filters_and_totals(client, advocacy, other_advocacy, sqa_officer):
    rows = _returns(advocacy, 8)
    AdvocacyReturnFactory(agency=other_advocacy, year=2001, quarter=2)
    client.force_login(sqa_officer)

    response = client.get(
        reverse("feedback:advocacy-list"), {"agency": advocacy.pk, "year": "2001", "status": "submitted"}
    )

    shown = [row["return"] for row in response.context["rows"]]
    assert [r.pk for r in shown] == [rows[7].pk, rows[5].pk]  # newest quarter first
    assert [r.activity_total for r in shown] == [10, 8]
    quarter = client.get(reverse("feedback:advocacy-list"), {"quarter": "2"})
    assert {row["return"].quarter for row in quarter.context["rows"]} == {2}
    assert len(quarter.context["rows"]) == 3


def test_csv_has_exactly_the_filtered_rows_with_a_column_per_type_and_level(client, advocacy, sqa_officer):
    rows = _returns(advocacy, 6)
    client.force_login(sqa_officer)

    response = client.get(reverse("feedback:advocacy-list-csv"), {"status": "draft"})

    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, body = table[0], table[1:]
    assert header == csv_header()
    assert len(header) == 9 + len(GRID) + 6
    assert [int(line[0]) for line in body] == [rows[4].pk, rows[2].pk, rows[0].pk]
    first = dict(zip(header, body[0], strict=True))
    assert first["Casework support, level 3"] == "5"
    assert first["Advice (telephone, email or drop-in), level 1"] == "2"
    assert first["Training and workshops, level 2"] == "0"
    assert first["Total activity"] == "7"


def test_csv_is_scoped_like_the_list(client, draft_return, submitted_return, board_member):
    client.force_login(board_member)

    response = client.get(reverse("feedback:advocacy-list-csv"))

    body = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))[1:]
    assert [int(line[0]) for line in body] == [submitted_return.pk]


def test_list_query_count_does_not_grow_with_rows(
    client, advocacy, sqa_officer, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    _returns(advocacy, 3)
    client.get(reverse("feedback:advocacy-list"))  # warm the session and the user's access
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("feedback:advocacy-list")).status_code == 200
    AdvocacyReturn.objects.all().delete()
    _returns(advocacy, 30)
    with django_assert_max_num_queries(12) as many:
        assert client.get(reverse("feedback:advocacy-list")).status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_a_new_return_starts_at_the_last_quarter_that_ended_or_this_one_when_that_is_done(
    client, advocacy, advocacy_manager
):
    client.force_login(advocacy_manager)
    today = timezone.localdate()
    year, quarter = quarter_of(today)
    last = (year - 1, 4) if quarter == 1 else (year, quarter - 1)

    first = client.get(reverse("feedback:advocacy-create")).context["form"]
    AdvocacyReturnFactory(agency=advocacy, year=last[0], quarter=last[1])
    then = client.get(reverse("feedback:advocacy-create")).context["form"]

    assert (first.initial["year"], first.initial["quarter"]) == last
    assert (then.initial["year"], then.initial["quarter"]) == (year, quarter)


def test_an_empty_post_to_the_new_advocacy_return_page_says_what_is_missing(client, area, sqa_officer):
    AgencyFactory(partnership=area.partnership, name="SENDIASS", kind=AgencyKind.ADVOCACY)
    client.force_login(sqa_officer)

    response = client.post(reverse("feedback:advocacy-create"), {})

    assert response.status_code == 400
    assert response.context["form"].errors


def _csv_lines(response) -> list[str]:
    return b"".join(response.streaming_content).decode().splitlines()


def test_advocacy_csv_query_count_does_not_grow(client, area, sqa_officer, django_assert_max_num_queries):
    agency = AgencyFactory(partnership=area.partnership, name="SENDIASS", kind=AgencyKind.ADVOCACY)

    def add(start: int, count: int) -> None:
        for i in range(start, start + count):
            row = AdvocacyReturnFactory(agency=agency, year=2000 + i // 4, quarter=i % 4 + 1)
            AdvocacyActivity.objects.create(
                advocacy_return=row, activity_type="casework", level="3", count=i + 1
            )

    url = reverse("feedback:advocacy-list-csv")
    client.force_login(sqa_officer)
    add(0, 2)
    with django_assert_max_num_queries(20) as few:
        assert len(_csv_lines(client.get(url))) == 3
    add(2, 20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_csv_lines(client.get(url))) == 23
