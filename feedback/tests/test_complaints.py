"""Business rules of complaints: the response clock, overrides, history, the quarterly analysis."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from ehcp.tests.factories import ChildFactory
from feedback.models import Complaint, ComplaintEvent, ComplaintOutcome
from feedback.selectors import complaints as selectors
from feedback.services import complaints as services
from feedback.tests.factories import ComplaintFactory, ComplimentFactory
from qaf.models import Theme

pytestmark = pytest.mark.django_db


def _log(user, agency, **kwargs):
    values = {
        "by": user,
        "agency": agency,
        "received_on": dt.date(2026, 12, 14),
        "category": "ehc_plans",
        "stage": "stage_1",
        "summary": "Plan late",
    }
    return services.complaint_log(**{**values, **kwargs})


def test_twenty_working_days_skip_christmas_boxing_day_substitute_and_new_year(area, agency_manager):
    # Mon 14 Dec 2026: 25 Dec (Fri), 28 Dec (Boxing Day substitute) and 1 Jan 2027 are bank holidays.
    complaint = _log(agency_manager, area.school)

    assert complaint.response_due_on == dt.date(2027, 1, 14)
    # Without the three bank holidays it would be 20 weekdays later: Mon 11 Jan.
    assert complaint.response_due_on != dt.date(2027, 1, 11)


def test_partnership_default_timescale_is_used(area, agency_manager):
    area.partnership.complaint_response_working_days = 10
    area.partnership.save()

    complaint = _log(agency_manager, area.school, received_on=dt.date(2027, 3, 1))

    assert complaint.response_due_on == dt.date(2027, 3, 15)


def test_override_needs_a_reason_and_moves_the_due_date(area, agency_manager):
    with pytest.raises(ValidationError) as error:
        _log(agency_manager, area.school, response_working_days=30)
    assert "response_days_reason" in error.value.message_dict
    assert not Complaint.objects.exists()

    complaint = _log(
        agency_manager, area.school, response_working_days=5, response_days_reason="Agreed with the family"
    )
    assert complaint.response_due_on == dt.date(2026, 12, 21)
    assert complaint.response_days_reason == "Agreed with the family"


def test_change_records_history_and_recomputes_due_date(area, agency_manager, sqa_officer):
    complaint = _log(agency_manager, area.school)

    services.complaint_update(
        complaint=complaint,
        by=sqa_officer,
        received_on=dt.date(2027, 3, 1),
        responded_on=dt.date(2027, 3, 20),
        outcome=ComplaintOutcome.PARTLY_UPHELD,
    )
    complaint.refresh_from_db()

    # Good Friday (26 Mar) and Easter Monday (29 Mar) 2027 are skipped.
    assert complaint.response_due_on == dt.date(2027, 3, 31)
    events = list(complaint.events.all())
    assert [e.kind for e in events] == [services.LOGGED, services.CHANGED]
    changes = events[1].details["changes"]
    assert changes["outcome"] == ["", "partly_upheld"]
    assert changes["response_due_on"] == ["2027-01-14", "2027-03-31"]
    assert events[1].user == sqa_officer


def test_change_with_nothing_different_adds_no_history(area, agency_manager):
    complaint = _log(agency_manager, area.school)

    services.complaint_update(complaint=complaint, by=agency_manager, stage="stage_1")

    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1


def test_response_before_receipt_is_refused(area, agency_manager):
    complaint = _log(agency_manager, area.school)

    with pytest.raises(ValidationError) as error:
        services.complaint_update(complaint=complaint, by=agency_manager, responded_on=dt.date(2026, 12, 1))
    assert "responded_on" in error.value.message_dict


def test_child_and_themes_of_another_partnership_are_refused(area, other_area, agency_manager):
    foreign_child = ChildFactory(partnership=other_area.partnership)
    foreign_theme = Theme.objects.create(partnership=other_area.partnership, name="Transitions")

    with pytest.raises(ValidationError) as error:
        _log(agency_manager, area.school, child=foreign_child, themes=[foreign_theme])
    assert {"child", "themes"} <= set(error.value.message_dict)


def test_response_clock_counts_working_days():
    complaint = Complaint(received_on=dt.date(2026, 12, 14), response_due_on=dt.date(2027, 1, 14))

    assert selectors.response_clock(complaint, dt.date(2026, 12, 24)).label == "12 working days left"
    assert selectors.response_clock(complaint, dt.date(2027, 1, 14)).status == "due_today"
    assert selectors.response_clock(complaint, dt.date(2027, 1, 18)).label == "Overdue by 2 working days"
    complaint.responded_on = dt.date(2027, 1, 13)
    assert selectors.response_clock(complaint, dt.date(2027, 2, 1)).status == "on_time"


def test_overdue_filter(area):
    today = dt.date(2027, 1, 20)
    overdue = ComplaintFactory(agency=area.school, response_due_on=dt.date(2027, 1, 19))
    ComplaintFactory(agency=area.school, response_due_on=dt.date(2027, 1, 20))  # due today: not overdue
    ComplaintFactory(
        agency=area.school, response_due_on=dt.date(2027, 1, 1), responded_on=dt.date(2027, 1, 5)
    )

    found = Complaint.objects.filter(selectors.overdue_q(today))

    assert list(found) == [overdue]


def test_quarterly_analysis_counts_and_on_time_share(area):
    theme = Theme.objects.create(partnership=area.partnership, name="Transport")
    on_time = ComplaintFactory(
        agency=area.school, received_on=dt.date(2027, 1, 5), responded_on=dt.date(2027, 1, 10)
    )
    on_time.themes.add(theme)
    ComplaintFactory(
        agency=area.health,
        received_on=dt.date(2027, 2, 1),
        category="transport",
        responded_on=dt.date(2027, 6, 1),
        outcome="upheld",
    )
    ComplaintFactory(agency=area.school, received_on=dt.date(2026, 11, 1))
    ComplimentFactory(agency=area.school, received_on=dt.date(2027, 3, 31))

    quarters = selectors.complaints_by_quarter(Complaint.objects.all(), area.partnership.compliments.all())

    assert [q.label for q in quarters] == ["Jan–Mar 2027", "Oct–Dec 2026"]
    first = quarters[0]
    assert (first.total, first.responded, first.on_time, first.on_time_percent) == (2, 2, 1, 50)
    assert first.by_category == {"EHC plans": 1, "Transport": 1}
    assert first.by_outcome == {"Not decided": 1, "Upheld": 1}
    assert first.by_theme == {"Transport": 1}
    assert first.compliments == 1
    assert quarters[1].on_time_percent is None
