"""Which term a day belongs to: the term in progress, or, in a holiday, the term that has just ended (feedback
after a meeting in the holidays belongs to the term before). Days before the first term belong to none."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from qaf.models import Term


def _terms(partnership_id: int):
    return Term.objects.filter(academic_year__partnership_id=partnership_id)


def term_for_day(partnership_id: int, day: dt.date | None) -> Term | None:
    """The partnership's term for `day` (None for no day). One query."""
    if day is None:
        return None
    return _terms(partnership_id).filter(starts_on__lte=day).order_by("-starts_on").first()


def term_picker(partnership_id: int) -> Callable[[dt.date], Term | None]:
    """`term_for_day` for many days: loads the partnership's terms once (one query), then picks in memory."""
    terms = list(_terms(partnership_id).order_by("starts_on"))

    def pick(day: dt.date) -> Term | None:
        started = [term for term in terms if term.starts_on <= day]
        return started[-1] if started else None

    return pick
