"""Browser journey through the audit engine on Debian's Chromium, with axe-core on every page visited.

An agency manager schedules a Level 1 audit from the annual audit plan, the auditor completes and submits it
(part of it on a phone-sized screen), and the SQA officer moderates it from the queue awaiting moderation. Error states are checked too: the
schedule form without an auditor, and the summary with a grade override but no reason.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from audits.models import Audit, AuditStatus, AuditTool, Grade, Moderation, PlannedActivity
from audits.services import plans as plan_services
from audits.tests.factories import make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.calendar import academic_year_start
from qaf.models import HalfTerm, Role, User
from qaf.services import academic_year_create_default
from qaf.tests.factories import member
from tests.axe import assert_accessible, assert_error_summary, h1, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}
CASE = "NCC-007311"

# A small Level 1 education advice tool: (code, title, weight, [(question, weight), ...]).
ADVICE_SECTIONS = [
    (
        "1",
        "Needs and their evidence",
        "1",
        [
            ("Does the advice describe the child's needs specifically?", "2"),
            ("Is each need backed by assessment evidence?", "1"),
        ],
    ),
    ("2", "Provision and outcomes", "1", [("Is the provision specified and quantified?", "1")]),
]


@dataclass
class Journey:
    manager: User
    auditor: User
    sqa: User
    activity: PlannedActivity
    tool: AuditTool


@pytest.fixture
def journey(db) -> Journey:
    from conftest import make_area

    area = make_area("Audit Journey Area")
    manager = member(area.school, Role.AGENCY_MANAGER, username="school.manager", name=("Mina", "Manager"))
    auditor = member(
        area.school,
        Role.PRACTITIONER,
        username="school.auditor",
        team=area.school_team,
        name=("Ade", "Auditor"),
    )
    sqa = member(area.sqa, Role.SQA_OFFICER, username="sqa.officer", name=("Sam", "Moderator"))
    version = make_tool_version(area.partnership, sections=ADVICE_SECTIONS, levels=(1,))
    tool = version.tool
    tool.name, tool.kind = "Level 1 education advice audit", "advice"
    tool.save(update_fields=["name", "kind"])
    year = academic_year_create_default(
        partnership=area.partnership, start_year=academic_year_start(dt.date.today())
    )
    plan = plan_services.audit_plan_create(partnership=area.partnership, academic_year=year, by=sqa)
    activity = plan_services.planned_activity_add(
        plan=plan,
        by=sqa,
        level=1,
        kind="case_audit",
        title="Education advice audits",
        lead_agency=area.school,
        tool=tool,
        # The half term of today (the default calendar's half terms cover the whole year): one that has
        # ended would ask for confirmation before scheduling.
        half_term=HalfTerm.objects.get(
            term__academic_year=year, starts_on__lte=dt.date.today(), ends_on__gte=dt.date.today()
        ),
        planned_count=2,
    )
    plan_services.audit_plan_approve(plan=plan, by=sqa)
    ChildFactory(
        partnership=area.partnership,
        case_reference=CASE,
        initials="RJ",
        primary_need="SEMH",
        agencies=[area.school],
    )
    return Journey(manager=manager, auditor=auditor, sqa=sqa, activity=activity, tool=tool)


def _sign_out(page: Page, base: str) -> None:
    sign_out(page, base)
    page.goto(f"{base}/audits/")  # signed out: the audits are behind the sign-in page again
    expect(page).to_have_title(re.compile("Sign in"))


def _schedule(page: Page, base: str, journey: Journey) -> None:
    """The agency manager finds the plan, opens the activity's schedule page and schedules one audit."""
    sign_in(page, base, journey.manager.username)
    # The plan is in the header's Audits section, one link along its sub-navigation.
    page.get_by_role("link", name="Audits", exact=True).click()
    page.get_by_role("navigation", name="Audits").get_by_role("link", name="Audit plan").click()
    assert_accessible(page, "plan list")
    page.get_by_role("link", name=re.compile(r"Annual audit plan")).click()
    expect(h1(page)).to_contain_text("Annual audit plan")
    assert_accessible(page, "plan page")

    page.get_by_role("link", name="Schedule audits for Education advice audits").click()
    expect(h1(page)).to_have_text("Schedule audits")
    assert_accessible(page, "schedule page")

    page.get_by_label("Find a case by reference").fill("7311")
    page.get_by_role("button", name="Search").click()
    page.get_by_label(re.compile(CASE)).check()
    due = dt.date.today() + dt.timedelta(days=21)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    # No auditor chosen yet: the form says so, keeps the ticked case, and is still accessible.
    page.get_by_role("button", name="Schedule audits").click()
    assert_error_summary(
        page, "Schedule audits", ["Choose at least one auditor"], "schedule page with an error"
    )

    expect(page.get_by_label(re.compile(CASE))).to_be_checked()
    page.get_by_label("Ade Auditor").check()
    page.get_by_role("button", name="Schedule audits").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("1 audit scheduled")
    expect(h1(page)).to_contain_text("Annual audit plan")
    assert_accessible(page, "plan page after scheduling")
    _sign_out(page, base)


def _answer_section(page: Page, answers: dict[str, tuple[str, str]]) -> None:
    """Answer each question ("<number>. <text>") with a radio and fill in its evidence notes."""
    for question, (answer, evidence) in answers.items():
        number = question.split(".", 1)[0]
        page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()
        page.get_by_label(f"Evidence and notes for question {number}", exact=True).fill(evidence)


def _complete(page: Page, base: str, journey: Journey) -> None:
    """The auditor finds the audit under My audits, answers each section (the first on a phone), then
    fills in the summary, meets the override error, and submits."""
    sign_in(page, base, journey.auditor.username)
    page.goto(f"{base}/audits/mine/")
    expect(h1(page)).to_have_text("My audits")
    assert_accessible(page, "my audits")
    page.get_by_role("link", name=CASE).click()
    expect(h1(page)).to_contain_text(f"Audit of {CASE}")
    assert_accessible(page, "audit page (scheduled)")
    page.get_by_role("link", name="Start the audit").click()
    expect(h1(page)).to_have_text("Complete the audit")
    assert_accessible(page, "task list")

    page.get_by_role("link", name="1 Needs and their evidence").click()
    expect(h1(page)).to_have_text("1 Needs and their evidence")
    page.set_viewport_size(PHONE)
    assert_accessible(page, "section 1 on a phone")
    _answer_section(
        page,
        {
            "1. Does the advice describe the child's needs specifically?": (
                "Good",
                "Needs set out under each area of the SEND Code of Practice.",
            ),
            "2. Is each need backed by assessment evidence?": ("Good", "Speech and language report of May."),
        },
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(h1(page)).to_have_text("2 Provision and outcomes")
    assert_accessible(page, "section 2 on a phone")
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, "section 2")
    _answer_section(
        page,
        {"3. Is the provision specified and quantified?": ("Good", "Hours of support are given per week.")},
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(h1(page)).to_have_text("Summary, grades and submit")
    assert_accessible(page, "summary")

    page.get_by_label("Strengths").fill("Clear, specific description of needs.")
    page.get_by_label("Areas for development").fill("Say who provides each support and how often.")
    page.get_by_label("Overall grade", exact=True).select_option(label="Requires improvement")
    # An override without a reason is refused, with an accessible error.
    page.get_by_role("button", name="Submit audit").click()
    # The error summary links to the field that needs fixing.
    assert_error_summary(
        page,
        "Summary",
        ["Give a reason for overriding"],
        "summary with an error",
        link="Give a reason for overriding the computed grade.",
        field="Reason for overriding the overall grade",
    )

    expect(page.get_by_label("Strengths")).to_have_value("Clear, specific description of needs.")
    page.get_by_label("Reason for overriding the overall grade").fill(
        "Outcomes are missing from the advice, which the questions do not weigh."
    )
    page.get_by_role("button", name="Submit audit").click()
    expect(h1(page)).to_have_text("Audit submitted")
    expect(page.locator(".govuk-panel")).to_contain_text("Requires improvement")
    assert_accessible(page, "submitted")
    page.get_by_role("link", name="Go to the audit").click()
    expect(h1(page)).to_contain_text("Submitted")
    assert_accessible(page, "audit page (submitted)")
    _sign_out(page, base)


def _moderate(page: Page, base: str, journey: Journey) -> None:
    """The SQA officer finds the audit in the queue awaiting moderation (from the home page's figure), reads
    the auditor's answers and evidence beside the grades (on a phone too) and moderates it with different
    grades."""
    sign_in(page, base, journey.sqa.username)
    page.get_by_role("link", name="1 awaiting moderation").click()
    expect(h1(page)).to_have_text("Audits awaiting moderation")
    assert_accessible(page, "moderation queue")
    page.get_by_role("link", name=f"Moderate the audit of {CASE}").click()
    expect(h1(page)).to_have_text("Moderate the audit")
    assert_accessible(page, "moderate")
    expect(page.get_by_text("Speech and language report of May.")).to_be_visible()
    expect(page.get_by_text("Clear, specific description of needs.")).to_be_visible()
    page.set_viewport_size(PHONE)
    # On a phone the evidence and the grade stack: nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert_accessible(page, "moderate on a phone")
    page.set_viewport_size(DESKTOP)

    page.get_by_role("group", name="Your grade for 1 Needs and their evidence").get_by_label("Good").check()
    page.get_by_role("group", name="Your grade for 2 Provision and outcomes").get_by_label(
        "Requires improvement"
    ).check()
    page.get_by_role("group", name="Your overall grade").get_by_label("Good").check()
    page.get_by_label("Moderation notes").fill("Outcomes are for the plan, not the advice: Good stands.")
    page.get_by_role("button", name="Save moderation").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Moderation saved")
    expect(h1(page)).to_contain_text("Moderated")
    # The moderator's grade is the grade of record; the auditor's is kept beside it.
    expect(page.locator("p.qaf-grade-of-record")).to_have_text("Good")
    expect(page.get_by_text("The auditor's grade was Requires improvement")).to_be_visible()
    moderated = page.locator("p").filter(has_text="Moderated by Sam Moderator on")
    expect(moderated).to_have_text(re.compile(r"^Moderated by Sam Moderator on \d+ \w+ \d{4}: Good\s*$"))
    assert_accessible(page, "audit page (moderated)")


def test_schedule_complete_and_moderate_a_level1_audit(live_server, page, journey, mailoutbox):
    base = live_server.url
    page.set_default_timeout(10_000)
    page.set_viewport_size(DESKTOP)

    _schedule(page, base, journey)
    audit = Audit.objects.get(activity=journey.activity)
    assert audit.status == AuditStatus.SCHEDULED
    assert audit.tool_version.tool == journey.tool
    assert list(audit.assignments.values_list("user", flat=True)) == [journey.auditor.pk]
    assert [m.to for m in mailoutbox] == [[journey.auditor.email]]

    _complete(page, base, journey)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert (audit.computed_grade, audit.overall_grade) == (Grade.GOOD, Grade.REQUIRES_IMPROVEMENT)
    assert sorted(audit.answers.values_list("value", flat=True)) == ["3", "3", "3"]  # "Good" on the scale

    _moderate(page, base, journey)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.MODERATED
    assert audit.overall_grade == Grade.REQUIRES_IMPROVEMENT  # the auditor's grade is kept
    moderation = Moderation.objects.get(audit=audit)
    assert moderation.moderator == journey.sqa
    assert moderation.overall_grade == Grade.GOOD
    assert sorted(moderation.section_grades.values_list("grade", flat=True)) == sorted(
        [Grade.GOOD, Grade.REQUIRES_IMPROVEMENT]
    )
