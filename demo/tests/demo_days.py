"""The moments the demo-data tests seed the demo at, so its promises are checked on every kind of day.

The demo dates everything from the day it is seeded. These moments cover what makes days differ: an ordinary
school day, the schools' last day of the autumn and summer terms, the demo calendar's own term ends (31 December,
31 August) and first days (1 January, 1 September, and a half term's), bank holidays (Christmas Day, New Year's
Day, Good Friday), a Saturday before a bank holiday Monday, after the escalations' 17:00 deadline, and two seeds
started just before midnight, so the clock passes into the next day (and year, and academic year) while the demo
is seeded or checked (`test_seed_demo.py` makes it pass midnight mid-seed on purpose once). The clock keeps
running from each moment (`tick=True`), as it does for `make run`.

The whole demo is seeded once per moment, with `seeded_on`, by the class-scoped fixture of
`test_every_demo_day.py`, whose one class runs every area's read-only checks; tests that need one particular day
for their own reason use `ORDINARY_DAY`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")


def london(year: int, month: int, day: int, hour: int, minute: int = 0, second: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, second, tzinfo=LONDON)


# fmt: off
DEMO_DAYS: dict[str, dt.datetime] = {
    "thursday-3-december-2026": london(2026, 12, 3, 16, 40),
    "schools-last-day-of-autumn-term-friday-18-december-2026": london(2026, 12, 18, 15, 30),
    "christmas-day-2026": london(2026, 12, 25, 10, 0),
    "31-december-2026-just-before-midnight": london(2026, 12, 31, 23, 59, 55),
    "new-years-day-2027": london(2027, 1, 1, 9, 0),
    "first-day-of-a-half-term-monday-15-february-2027": london(2027, 2, 15, 8, 30),
    "good-friday-2027": london(2027, 3, 26, 12, 0),
    "saturday-before-a-bank-holiday-1-may-2027": london(2027, 5, 1, 11, 0),
    "schools-last-day-of-summer-term-friday-23-july-2027-at-1730": london(2027, 7, 23, 17, 30),
    "31-august-2027-just-before-midnight": london(2027, 8, 31, 23, 59, 55),
    "first-day-of-academic-year-1-september-2027": london(2027, 9, 1, 8, 0),
}
# fmt: on
DEMO_MOMENTS = list(DEMO_DAYS.values())
DEMO_MOMENT_IDS = list(DEMO_DAYS)
ORDINARY_DAY = DEMO_DAYS["thursday-3-december-2026"]


@contextmanager
def seeded_on(moment: dt.datetime, django_db_blocker) -> Iterator[dt.date]:
    """Travel to `moment` (the clock runs on from there) in a transaction that is rolled back at the end, for a
    class of read-only tests sharing one seed. Yields the day the seed starts on: the demo's "today", which is
    still the day its data describes if the clock passes midnight while it is seeded.

    Each test still runs in its own savepoint (the `db` fixture), nested inside this transaction."""
    with django_db_blocker.unblock(), time_machine.travel(moment, tick=True):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield timezone.localdate()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
