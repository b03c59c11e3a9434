"""Factories for children, assessments, plans and reviews."""

from __future__ import annotations

import datetime as dt

import factory

from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from qaf.tests.factories import PartnershipFactory


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Child
        skip_postgeneration_save = True

    partnership = factory.SubFactory(PartnershipFactory)
    case_reference = factory.Sequence(lambda n: f"EHC{n:06d}")
    initials = "AB"
    date_of_birth = dt.date(2014, 3, 14)
    primary_need = "ASD"
    setting_type = "MS"

    @factory.post_generation
    def agencies(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.agencies.set(extracted)


class NeedsAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedsAssessment

    child = factory.SubFactory(ChildFactory)
    requested_on = dt.date(2025, 1, 6)
    decision_on = dt.date(2025, 2, 10)
    will_assess = True


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    child = factory.SubFactory(ChildFactory)
    kind = PlanKind.FINAL
    version = factory.Sequence(lambda n: n + 1)
    issued_on = dt.date(2025, 5, 19)


class AnnualReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AnnualReview

    child = factory.SubFactory(ChildFactory)
    due_on = dt.date(2026, 5, 19)
