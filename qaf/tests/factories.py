"""Factories for the partnership core."""

from __future__ import annotations

import factory

from qaf.models import Agency, AgencyKind, Membership, Partnership, Team, User


class PartnershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partnership

    name = factory.Sequence(lambda n: f"Test Local Area {n}")
    councils = "Northshire County Council, Riverton City Council"


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.EDUCATION


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    agency = factory.SubFactory(AgencyFactory)
    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    first_name = "Sam"
    last_name = factory.Sequence(lambda n: f"Tester{n}")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-battery")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):  # noqa: N805
        if create:
            obj.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = "practitioner"


def member(
    agency: Agency,
    role: str,
    *,
    username: str | None = None,
    team: Team | None = None,
    name: tuple[str, str] | None = None,
) -> User:
    """A user of the agency's partnership holding `role` in `agency`; `name` is (first name, last name)."""
    kwargs: dict = {"partnership": agency.partnership}
    if username:
        kwargs["username"] = username
    if name:
        kwargs["first_name"], kwargs["last_name"] = name
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, agency=agency, role=role, team=team)
    return user
