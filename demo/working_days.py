"""The demo's staff do their work on working days: weekends and England and Wales bank holidays are not."""

from __future__ import annotations

import datetime as dt

from ehcp import timeliness

ONE_DAY = dt.timedelta(days=1)


def last_working_day(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the working day before it."""
    return timeliness.add_working_days(day + ONE_DAY, -1)


def next_working_day(day: dt.date) -> dt.date:
    """`day` if it is a working day, else the working day after it."""
    return timeliness.add_working_days(day - ONE_DAY, 1)
