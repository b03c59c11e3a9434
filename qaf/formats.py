"""Dates and times as QAF writes them for people: "31 January 2027" and "31 January 2027, 2:05pm"."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import dateformat, timezone

ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def day_text(day: dt.date) -> str:
    """ "31 January 2027"."""
    return dateformat.format(day, "j F Y")


def moment_text(moment: dt.datetime) -> str:
    """ "31 January 2027, 2:05pm", in the service's time zone when the moment is aware."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return f"{day_text(moment)}, {dateformat.time_format(moment, 'g:iA').lower()}"


def history_value(value: object) -> str:
    """A value recorded in a history (the JSON details of an audit, action, escalation or complaint event) as
    a person reads it. The services record dates and date-times as ISO strings ("2027-01-31",
    "2027-01-31T14:05:00+00:00"): those, and date and datetime objects, come out in words; anything else
    as it is, and nothing for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return moment_text(value)
    if isinstance(value, dt.date):
        return day_text(value)
    text = str(value)
    try:
        if ISO_DATE.match(text):
            return day_text(dt.date.fromisoformat(text))
        if ISO_DATETIME.match(text):
            return moment_text(dt.datetime.fromisoformat(text))
    except ValueError:
        pass  # looks like a date but is not one (2027-02-30): shown as recorded
    return text
