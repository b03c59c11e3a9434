"""Factories for complaints and compliments."""

from __future__ import annotations

import datetime as dt

import factory

from ehcp.timeliness import add_working_days
from feedback.models import Complaint, ComplaintCategory, ComplaintStage, Compliment, ComplimentFrom
from qaf.tests.factories import AgencyFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    received_on = dt.date(2026, 11, 2)
    category = ComplaintCategory.EHC_PLANS
    stage = ComplaintStage.STAGE_1
    summary = "The plan was issued late and section F is vague."
    response_due_on = factory.LazyAttribute(lambda c: add_working_days(c.received_on, 20))


class ComplimentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compliment

    agency = factory.SubFactory(AgencyFactory)
    partnership = factory.SelfAttribute("agency.partnership")
    received_on = dt.date(2026, 11, 2)
    about = "The annual review meeting"
    from_whom = ComplimentFrom.PARENT_CARER
    summary = "Thank you for listening to us."
