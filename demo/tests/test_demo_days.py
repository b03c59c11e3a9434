"""The days the demo-data tests seed the demo on differ in every way that matters to its dates, and the demo's
working days skip weekends and bank holidays."""

from __future__ import annotations

import datetime as dt

from demo.tests.demo_days import DEMO_MOMENTS, LONDON
from demo.working_days import last_working_day, next_working_day
from ehcp.timeliness import is_working_day
from qaf import calendar


def test_the_demo_days_cover_weekends_bank_holidays_the_ends_of_terms_and_years_and_midnight():
    local = [moment.astimezone(LONDON) for moment in DEMO_MOMENTS]
    days = {moment.date() for moment in local}

    assert any(day.weekday() >= 5 for day in days)
    bank_holidays = {dt.date(2026, 12, 25), dt.date(2027, 1, 1), dt.date(2027, 3, 26)}
    assert bank_holidays <= days
    assert not any(is_working_day(day) for day in bank_holidays)
    # The Saturday before a bank holiday Monday.
    assert any(day.weekday() == 5 and not is_working_day(day + dt.timedelta(days=2)) for day in days)
    # The schools' last days of the autumn and summer terms, both Fridays.
    assert {dt.date(2026, 12, 18), dt.date(2027, 7, 23)} <= days
    # The demo calendar's own boundaries: the last days of the autumn term (31 December) and of the academic
    # year (31 August), the first days of the spring term and of the next academic year, and of a half term.
    ends = {calendar.default_date(2026, end) for _, _, _, end, _ in calendar.DEFAULT_TERMS}
    starts = {
        calendar.default_date(year, start)
        for year in (2026, 2027)
        for _, _, start, _, _ in calendar.DEFAULT_TERMS
    }
    halves = {
        calendar.default_date(2026, start) for *_, halves in calendar.DEFAULT_TERMS for _, start, _ in halves
    }
    assert {dt.date(2026, 12, 31), dt.date(2027, 8, 31)} <= days & ends
    assert {dt.date(2027, 1, 1), dt.date(2027, 9, 1)} <= days & starts
    assert days & (halves - starts)
    # Just before midnight, so the seed runs into the next day; and after the 17:00 escalation deadline.
    assert any((moment.hour, moment.minute) == (23, 59) for moment in local)
    assert any(17 <= moment.hour < 23 for moment in local)


def test_the_demos_working_days_skip_weekends_and_england_and_wales_bank_holidays():
    thursday = dt.date(2026, 12, 3)
    assert last_working_day(thursday) == next_working_day(thursday) == thursday
    # Christmas Day (a Friday), the weekend and Boxing Day (observed on Monday 28 December).
    assert last_working_day(dt.date(2026, 12, 28)) == dt.date(2026, 12, 24)
    assert next_working_day(dt.date(2026, 12, 25)) == dt.date(2026, 12, 29)
    # Easter: Good Friday to Easter Monday.
    assert last_working_day(dt.date(2027, 3, 29)) == dt.date(2027, 3, 25)
    assert next_working_day(dt.date(2027, 3, 26)) == dt.date(2027, 3, 30)
    # The Saturday before the early May bank holiday.
    assert next_working_day(dt.date(2027, 5, 1)) == dt.date(2027, 5, 4)
