"""Writes of the partnership core: partnerships, their calendar and themes, people and memberships."""

from __future__ import annotations

from django.db import transaction

from qaf import calendar
from qaf.models import (
    AcademicYear,
    Agency,
    HalfTerm,
    Membership,
    Partnership,
    Team,
    Term,
    Theme,
    User,
)

FRAMEWORK_THEMES = [
    (
        "At risk of permanent exclusion",
        "Children and young people at risk of permanent exclusion from school.",
    ),
    ("Looked-after children", "Children in the care of the local authority."),
    (
        "Preparation for adulthood",
        "Employment, independent living, community and health from year 9 onwards.",
    ),
    ("Specific types of need", "A focus on one primary need, for example autism or SEMH."),
]


@transaction.atomic
def partnership_create(
    *, name: str, councils: str = "", first_academic_year: int | None = None
) -> Partnership:
    """Create a partnership with the framework's themes and a default calendar from `first_academic_year`
    to the current academic year. Raises IntegrityError if the name is taken."""
    import datetime as dt

    partnership = Partnership.objects.create(name=name, councils=councils)
    theme_seed_framework(partnership=partnership)
    current = calendar.academic_year_start(dt.date.today())
    for start_year in range(first_academic_year or current, current + 1):
        academic_year_create_default(partnership=partnership, start_year=start_year)
    return partnership


def theme_seed_framework(*, partnership: Partnership) -> None:
    """Add the QA framework's own themes to a partnership; running it again adds nothing."""
    for name, description in FRAMEWORK_THEMES:
        Theme.objects.get_or_create(
            partnership=partnership,
            name=name,
            defaults={"description": description, "from_framework": True},
        )


@transaction.atomic
def academic_year_create_default(*, partnership: Partnership, start_year: int) -> AcademicYear:
    """Create (or return) an academic year with the default three terms and six half terms."""
    year, created = AcademicYear.objects.get_or_create(
        partnership=partnership,
        start_year=start_year,
        defaults={
            "starts_on": calendar.default_date(start_year, (9, 1)),
            "ends_on": calendar.default_date(start_year, (8, 31)),
        },
    )
    if not created:
        return year
    for number, name, start, end, halves in calendar.DEFAULT_TERMS:
        term = Term.objects.create(
            academic_year=year,
            number=number,
            name=name,
            starts_on=calendar.default_date(start_year, start),
            ends_on=calendar.default_date(start_year, end),
        )
        HalfTerm.objects.bulk_create(
            HalfTerm(
                term=term,
                number=half,
                starts_on=calendar.default_date(start_year, half_start),
                ends_on=calendar.default_date(start_year, half_end),
            )
            for half, half_start, half_end in halves
        )
    return year


def agency_create(*, partnership: Partnership, name: str, kind: str, council: str = "") -> Agency:
    """Add an agency to the partnership. For partnership admins and the demo; no check of who calls."""
    return Agency.objects.create(partnership=partnership, name=name, kind=kind, council=council)


def team_create(*, agency: Agency, name: str) -> Team:
    """Add a team to an agency. For partnership admins and the demo; no check of who calls."""
    return Team.objects.create(agency=agency, name=name)


@transaction.atomic
def user_create(
    *,
    partnership: Partnership,
    username: str,
    email: str,
    first_name: str,
    last_name: str,
    password: str | None = None,
    memberships: list[tuple[Agency, str, Team | None]] = (),  # type: ignore[assignment]
    job_title: str = "",
) -> User:
    """Create a user of the partnership with their memberships (agency, role, team).

    Raises ValueError if a membership's agency belongs to another partnership."""
    user = User(
        partnership=partnership,
        username=username,
        email=email,
        first_name=first_name,
        last_name=last_name,
        job_title=job_title,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    for agency, role, team in memberships:
        membership_add(user=user, agency=agency, role=role, team=team)
    return user


def membership_add(*, user: User, agency: Agency, role: str, team: Team | None = None) -> Membership:
    """Give a user a role in an agency of their own partnership. Raises ValueError across partnerships."""
    if agency.partnership_id != user.partnership_id:
        raise ValueError("A user can only hold roles in agencies of their own partnership.")
    if team is not None and team.agency_id != agency.id:
        raise ValueError("The team must belong to the agency.")
    membership, _ = Membership.objects.get_or_create(
        user=user, agency=agency, role=role, defaults={"team": team}
    )
    return membership
