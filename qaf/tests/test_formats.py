"""Dates in histories read as dates: "due 31 January 2027", not "due 2027-01-31"."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse

from actions.services import actions as action_services
from audits.tests.factories import AuditFactory
from ehcp.tests.factories import ChildFactory
from feedback.services import complaints as complaint_services
from qaf.formats import history_value
from qaf.models import Role
from qaf.tests.factories import member


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2027-01-31", "31 January 2027"),
        ("2027-01-31T14:05:00+00:00", "31 January 2027, 2:05pm"),
        # Summer time: recorded in UTC, read in the partnership's time.
        ("2026-07-01T09:30:00+00:00", "1 July 2026, 10:30am"),
        ("2026-07-01T09:30:00Z", "1 July 2026, 10:30am"),
        (dt.date(2027, 2, 3), "3 February 2027"),
        (dt.datetime(2027, 2, 3, 12, 0, tzinfo=dt.UTC), "3 February 2027, 12:00pm"),
        ("2027-02-30", "2027-02-30"),
        ("upheld", "upheld"),
        ("Room 2027-01-31b", "Room 2027-01-31b"),
        (None, ""),
        (20, "20"),
    ],
)
def test_history_values_read_as_words(value, text):
    assert history_value(value) == text


def test_the_template_filter_is_the_same_rule():
    template = Template('{% load govuk %}{{ a|history_value }} / {{ b|history_value|default:"blank" }}')
    assert template.render(Context({"a": "2027-01-31", "b": None})) == "31 January 2027 / blank"


@time_machine.travel(dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_action_history_gives_the_due_date_in_words(client, area, practitioner, team_manager):
    auditor = member(area.school, Role.PRACTITIONER, username="school.auditor")
    audit = AuditFactory(
        agency=area.school, child=ChildFactory(partnership=area.partnership), assignees=[auditor]
    )
    action = action_services.action_raise(
        by=auditor,
        agency=area.school,
        worker=practitioner,
        what="Add the therapist's advice to section B",
        why="Advice missing",
        due_on=dt.date(2027, 1, 31),
        priority="high",
        source_object=audit,
    )
    client.force_login(practitioner)
    body = client.get(reverse("actions:action-detail", args=[action.pk])).content.decode()
    assert "due 31 January 2027" in body
    assert "2027-01-31<" not in body and "due 2027-01-31" not in body


@time_machine.travel(dt.datetime(2027, 1, 11, 9, 0, tzinfo=dt.UTC), tick=False)
def test_the_complaint_history_gives_changed_dates_in_words(client, area, agency_manager):
    complaint = complaint_services.complaint_log(
        by=agency_manager,
        agency=area.school,
        received_on=dt.date(2027, 1, 4),
        category="ehc_plans",
        stage="stage_1",
        summary="The plan was late.",
    )
    complaint_services.complaint_update(
        complaint=complaint, by=agency_manager, responded_on=dt.date(2027, 1, 29)
    )
    client.force_login(agency_manager)
    body = client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).content.decode()
    assert "Date responded: blank → 29 January 2027" in body
    assert "2027-01-29" not in body.replace('datetime="2027-01-29', "")
