"""Reads of the partnership core that several apps' pages share: the choices of their list filters (agencies,
terms, academic years, themes), always the user's own partnership's (none for a user outside every partnership)."""

from __future__ import annotations

from django.db.models import QuerySet

from qaf.access import user_access
from qaf.models import AcademicYear, Agency, Term, Theme, User


def agencies_for_filter(user: User) -> QuerySet[Agency]:
    """The active agencies of the user's partnership, by name."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Agency.objects.none()
    return Agency.objects.filter(partnership_id=partnership_id, is_active=True).order_by("name")


def terms_for_filter(user: User) -> QuerySet[Term]:
    """The terms of the user's partnership, latest first."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Term.objects.none()
    return (
        Term.objects.filter(academic_year__partnership_id=partnership_id)
        .select_related("academic_year")
        .order_by("-academic_year__start_year", "-number")
    )


def themes_for_filter(user: User) -> QuerySet[Theme]:
    """The active themes of the user's partnership, by name."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return Theme.objects.none()
    return Theme.objects.filter(partnership_id=partnership_id, is_active=True).order_by("name")


def academic_years_for(user: User) -> QuerySet[AcademicYear]:
    """The academic years of the user's partnership, latest first."""
    partnership_id = user_access(user).partnership_id
    if partnership_id is None:
        return AcademicYear.objects.none()
    return AcademicYear.objects.filter(partnership_id=partnership_id).order_by("-start_year")
