"""Which term a day belongs to."""

from __future__ import annotations

import datetime as dt

from qaf.models import AcademicYear, Term, TermName
from qaf.terms import term_for_day, term_picker


def _year(partnership) -> tuple[Term, Term]:
    year = AcademicYear.objects.create(
        partnership=partnership, start_year=2026, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 8, 31)
    )
    autumn = Term.objects.create(
        academic_year=year,
        name=TermName.AUTUMN,
        number=1,
        starts_on=dt.date(2026, 9, 3),
        ends_on=dt.date(2026, 12, 18),
    )
    spring = Term.objects.create(
        academic_year=year,
        name=TermName.SPRING,
        number=2,
        starts_on=dt.date(2027, 1, 5),
        ends_on=dt.date(2027, 3, 26),
    )
    return autumn, spring


def test_a_holiday_belongs_to_the_term_just_ended_and_the_picker_agrees(area, other_area):
    partnership_id = area.partnership.pk
    first, second = _year(area.partnership)
    _year(other_area.partnership)
    assert first.ends_on + dt.timedelta(days=1) < second.starts_on  # a holiday between them
    pick = term_picker(partnership_id)
    for day, expected in [
        (first.starts_on, first),
        (first.ends_on, first),
        (first.ends_on + dt.timedelta(days=1), first),  # in the holiday
        (second.starts_on, second),
        (first.starts_on - dt.timedelta(days=1), None),  # before any term
    ]:
        assert term_for_day(partnership_id, day) == expected
        assert pick(day) == expected
    assert term_for_day(partnership_id, None) is None
    # Another partnership's terms never answer.
    assert term_for_day(other_area.partnership.pk, first.starts_on) != first
