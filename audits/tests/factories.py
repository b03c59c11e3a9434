"""Factories for audit tools, plans and audits."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from audits.models import (
    Audit,
    AuditAssignment,
    AuditTool,
    AuditToolVersion,
    ToolQuestion,
    ToolSection,
    ToolVersionStatus,
)
from qaf.tests.factories import PartnershipFactory

# (code, title, section weight, [(question text, weight), ...])
PLAN_SECTIONS = [
    (
        "A",
        "Views, interests and aspirations",
        "1",
        [("Are the child's views recorded in their own words?", "1")],
    ),
    (
        "B",
        "Special educational needs",
        "1",
        [("Are needs described specifically?", "2"), ("Is every need evidenced?", "1")],
    ),
    ("E", "Outcomes", "2", [("Are outcomes specific and measurable?", "1")]),
    ("F", "Educational provision", "2", [("Is provision specified and quantified?", "1")]),
]


class AuditToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditTool

    partnership = factory.SubFactory(PartnershipFactory)
    name = factory.Sequence(lambda n: f"Plan audit tool {n}")
    kind = "plan"
    levels = factory.LazyFunction(lambda: [1, 2])


def make_tool_version(
    partnership,
    *,
    sections=PLAN_SECTIONS,
    status: str = ToolVersionStatus.APPROVED,
    tool: AuditTool | None = None,
    levels=(1, 2),
    number: int | None = None,
) -> AuditToolVersion:
    """A tool version with its sections and questions (approved unless told otherwise)."""
    tool = tool or AuditToolFactory(partnership=partnership, levels=list(levels))
    number = number or (tool.versions.count() + 1)
    version = AuditToolVersion.objects.create(tool=tool, number=number, status=status)
    for order, (code, title, weight, questions) in enumerate(sections):
        section = ToolSection.objects.create(
            version=version, code=code, title=title, order=order, weight=Decimal(weight)
        )
        for q_order, (text, q_weight) in enumerate(questions):
            ToolQuestion.objects.create(
                section=section,
                text=text,
                guidance=f"Good: {text.lower()}",
                order=q_order,
                weight=Decimal(q_weight),
            )
    return version


class AuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Audit
        skip_postgeneration_save = True

    partnership = factory.LazyAttribute(lambda a: a.agency.partnership)
    level = 1
    tool_version = factory.LazyAttribute(lambda a: make_tool_version(a.agency.partnership))
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    # As the services leave an audit not moderated since its last submission: the auditor's grade is of record.
    overall_grade = ""
    grade_of_record = factory.LazyAttribute(lambda a: a.overall_grade)

    @factory.post_generation
    def assignees(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            for user in extracted:
                AuditAssignment.objects.create(audit=obj, user=user)
