"""Reads of the partnership core that several apps' pages share: the choices of their list filters (agencies,
terms, academic years, themes), always the user's own partnership's (none for a user outside every partnership)."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

from qaf.access import user_access
from qaf.models import AcademicYear, Agency, Term, Theme, User

M = TypeVar("M", bound=Model)


def _of_users_partnership(
    user: User, rows: QuerySet[M], partnership_field: str = "partnership_id"
) -> QuerySet[M]:
    """`rows` cut to the user's partnership (through `partnership_field`); none for a user outside every
    partnership."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return rows.none()
    return rows.filter(**{partnership_field: partnership_id})


def agencies_for_filter(user: User) -> QuerySet[Agency]:
    """The active agencies of the user's partnership, by name."""
    return _of_users_partnership(user, Agency.objects.filter(is_active=True)).order_by("name")


def terms_for_filter(user: User) -> QuerySet[Term]:
    """The terms of the user's partnership, latest first."""
    terms = Term.objects.select_related("academic_year").order_by("-academic_year__start_year", "-number")
    return _of_users_partnership(user, terms, "academic_year__partnership_id")


def themes_for_filter(user: User) -> QuerySet[Theme]:
    """The active themes of the user's partnership, by name."""
    return _of_users_partnership(user, Theme.objects.filter(is_active=True)).order_by("name")


def academic_years_for(user: User) -> QuerySet[AcademicYear]:
    """The academic years of the user's partnership, latest first."""
    return _of_users_partnership(user, AcademicYear.objects.order_by("-start_year"))
