"""Helpers shared by the plan, scheduling and sampling tests (no tests of its own).

Time is frozen by the tests that use these on 1 October 2025 (half term 1 of 2025/26), so the previous
academic year is 2024/25: a module of them says `pytestmark = support.FROZEN`.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from audits.models import Audit, AuditPlan, AuditTool, PlannedActivity
from audits.services import plans as plan_services
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.models import AcademicYear, HalfTerm, User
from qaf.services import academic_year_create_default

# Everyone in the partnership who reads its audit plans (on the pages and through the API).
PLAN_READERS = [
    "sqa_officer",
    "sat_caseworker",
    "agency_manager",
    "practitioner",
    "board_member",
    "partnership_admin",
]

TODAY = dt.date(2025, 10, 1)
NOW = dt.datetime(2025, 10, 1, 12, 0, tzinfo=dt.UTC)


# Time-machine's mark freezing the clock on NOW for every test of the module that names it as its `pytestmark`.
FROZEN = pytest.mark.time_machine(NOW, tick=False)


def frozen():
    """Freeze the clock on NOW for a `with` block (a whole module of tests is frozen by FROZEN)."""
    return time_machine.travel(NOW, tick=False)


def years(partnership) -> dict[int, AcademicYear]:
    """2023/24 to 2025/26 with the default terms and half terms."""
    return {
        y: academic_year_create_default(partnership=partnership, start_year=y) for y in (2023, 2024, 2025)
    }


def half_term(year: AcademicYear, number: int) -> HalfTerm:
    return HalfTerm.objects.get(term__academic_year=year, number=number)


def tool(partnership, *, levels=(1, 2), approved: bool = True, name: str | None = None) -> AuditTool:
    """A tool with one version (approved unless told otherwise)."""
    version = make_tool_version(partnership, levels=levels, status="approved" if approved else "draft")
    if name:
        version.tool.name = name
        version.tool.save(update_fields=["name"])
    return version.tool


def plan_for(year: AcademicYear, by: User) -> AuditPlan:
    return plan_services.audit_plan_create(partnership=year.partnership, academic_year=year, by=by)


def activity(
    plan: AuditPlan,
    by: User,
    *,
    level: int | None,
    lead_agency,
    tool: AuditTool | None = None,
    half: int = 1,
    planned_count: int = 6,
    kind: str = "case_audit",
    **extra,
) -> PlannedActivity:
    return plan_services.planned_activity_add(
        plan=plan,
        by=by,
        level=level,
        kind=kind,
        lead_agency=lead_agency,
        tool=tool,
        half_term=half_term(plan.academic_year, half),
        planned_count=planned_count,
        **extra,
    )


def audit_of_a_child(activity: PlannedActivity, *, case_reference: str, **fields) -> Audit:
    """An audit for `activity` by its lead agency, of a new child of the partnership known as `case_reference`
    (so that a test can look for the reference where it must not be shown)."""
    return AuditFactory(
        agency=activity.lead_agency,
        activity=activity,
        child=ChildFactory(partnership=activity.plan.partnership, case_reference=case_reference),
        **fields,
    )
