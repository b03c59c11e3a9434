"""Browser journey through a remedial action on Debian's Chromium, with axe-core on every page visited.

An auditor raises an action while doing an audit (meeting the form's error summary first), the worker starts
it and completes it with evidence (meeting the missing-evidence error first), and the team manager verifies
it. The action page then shows it verified with its full history.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from actions.models import ActionEvent, ActionStatus, RemedialAction
from actions.selectors.sources import raised_from
from audits.models import Audit, AuditStatus
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.models import Role, User
from qaf.tests.factories import member
from tests.axe import assert_accessible, assert_error_summary, h1, sign_in, sign_out

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CASE = "NCC-008142"
WHAT = "Add the speech and language therapist's advice to section B of the plan."
WHY = "The plan describes communication needs without the therapist's assessment behind them."
EVIDENCE = "Advice of 3 March added to section B; the plan was reissued to the family."


@dataclass
class Journey:
    auditor: User
    worker: User
    manager: User
    audit: Audit


@pytest.fixture
def journey(db) -> Journey:
    from conftest import make_area

    area = make_area("Action Journey Area")
    auditor = member(area.school, Role.PRACTITIONER, username="school.auditor", name=("Ade", "Auditor"))
    worker = member(
        area.school,
        Role.PRACTITIONER,
        username="school.worker",
        team=area.school_team,
        name=("Wren", "Worker"),
    )
    manager = member(
        area.school,
        Role.TEAM_MANAGER,
        username="team.manager",
        team=area.school_team,
        name=("Tam", "Manager"),
    )
    child = ChildFactory(
        partnership=area.partnership,
        case_reference=CASE,
        initials="LB",
        primary_need="SLCN",
        agencies=[area.school],
    )
    audit = AuditFactory(
        agency=area.school,
        child=child,
        tool_version=make_tool_version(area.partnership, levels=(1,)),
        status=AuditStatus.IN_PROGRESS,
        assignees=[auditor],
    )
    return Journey(auditor=auditor, worker=worker, manager=manager, audit=audit)


def _raise(page: Page, base: str, journey: Journey) -> None:
    """The auditor, doing the audit, raises an action from the task list; an empty form shows its errors."""
    sign_in(page, base, journey.auditor.username)
    page.goto(f"{base}/audits/{journey.audit.pk}/form/")
    expect(h1(page)).to_have_text("Complete the audit")
    expect(page.locator("#audit-actions-heading + p")).to_have_text("No actions raised yet.")
    assert_accessible(page, "task list")

    page.get_by_role("link", name="Raise an action").click()
    expect(h1(page)).to_have_text("Raise an action")
    assert_accessible(page, "raise an action")

    page.get_by_role("button", name="Raise the action").click()
    assert_error_summary(
        page,
        "Raise an action",
        (
            "Choose who carries out the action",
            "Enter what needs to be done",
            "Enter why it needs to be done",
            "Enter the due date",
            "Choose the priority",
        ),
        "raise an action with errors",
        link="Enter what needs to be done",
        field="What needs to be done",
    )

    page.get_by_label("Who carries out the action").select_option(label="Wren Worker")
    page.get_by_label("What needs to be done").fill(WHAT)
    page.get_by_label("Why it needs to be done").fill(WHY)
    due = dt.date.today() + dt.timedelta(days=30)
    page.get_by_label("Day").fill(str(due.day))
    page.get_by_label("Month").fill(str(due.month))
    page.get_by_label("Year").fill(str(due.year))
    page.get_by_role("group", name="Priority").get_by_label("High").check()
    page.get_by_role("button", name="Raise the action").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Action raised. Wren Worker and Tam Manager (team manager) have been told."
    )
    expect(h1(page)).to_contain_text("Open")
    expect(page.locator("dd").filter(has_text=WHAT)).to_be_visible()
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Worker")).to_contain_text("Wren Worker")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Priority")).to_contain_text("High")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="Due")).to_contain_text(
        f"{due.day} {due:%B %Y}"
    )
    # The auditor may see the action (they raised it) but not work on it.
    expect(page.get_by_role("link", name="Start the action")).to_have_count(0)
    assert_accessible(page, "action page (open)")

    # Back on the task list, the action is listed under the audit.
    page.goto(f"{base}/audits/{journey.audit.pk}/form/")
    expect(page.get_by_role("link", name=WHAT)).to_be_visible()
    sign_out(page, base)


def _work(page: Page, base: str, journey: Journey) -> None:
    """The worker finds the action under "My actions", starts it and completes it with evidence."""
    sign_in(page, base, journey.worker.username)
    page.get_by_role("link", name="Actions", exact=True).click()
    assert_accessible(page, "actions tracker")
    page.get_by_role("link", name="My actions", exact=True).click()
    expect(h1(page)).to_have_text("My actions")
    expect(page.locator("p[role=status]")).to_contain_text("1 action")
    assert_accessible(page, "my actions")

    page.get_by_role("link", name=WHAT).click()
    expect(h1(page)).to_contain_text("Open")
    assert_accessible(page, "action page for the worker")

    page.get_by_role("link", name="Start the action").click()
    expect(h1(page)).to_have_text("Start the action")
    assert_accessible(page, "start the action")
    page.get_by_role("button", name="Start the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action started")
    expect(h1(page)).to_contain_text("In progress")
    assert_accessible(page, "action page (in progress)")

    page.get_by_role("link", name="Complete the action").click()
    expect(h1(page)).to_have_text("Complete the action")
    assert_accessible(page, "complete the action")
    page.get_by_role("button", name="Complete the action").click()
    assert_error_summary(
        page,
        "Complete the action",
        ["Enter what was done"],
        "complete the action with an error",
        link="Enter what was done",
        field="What was done",
    )

    page.get_by_label("What was done").fill(EVIDENCE)
    page.get_by_role("button", name="Complete the action").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Action completed. Tam Manager (team manager) has been asked to verify it."
    )
    expect(h1(page)).to_contain_text("Completed")
    expect(page.locator(".govuk-summary-list__row").filter(has_text="What was done")).to_contain_text(
        EVIDENCE
    )
    # The worker never verifies their own action.
    expect(page.get_by_role("link", name="Verify the action")).to_have_count(0)
    assert_accessible(page, "action page (completed)")
    sign_out(page, base)


def _verify(page: Page, base: str, journey: Journey) -> None:
    """The team manager opens the team's actions, opens the completed action and verifies it."""
    sign_in(page, base, journey.manager.username)
    page.goto(f"{base}/actions/team/")
    expect(h1(page)).to_have_text("My team's actions")
    assert_accessible(page, "my team's actions")
    page.get_by_role("link", name=WHAT).click()
    expect(h1(page)).to_contain_text("Completed")
    assert_accessible(page, "action page for the team manager")

    page.get_by_role("link", name="Verify the action").click()
    expect(h1(page)).to_have_text("Verify the action")
    expect(page.locator(".govuk-summary-list")).to_contain_text(EVIDENCE)
    assert_accessible(page, "verify the action")
    page.get_by_label("Note (optional)").fill("Checked the reissued plan.")
    page.get_by_role("button", name="Verify the action is done").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Action verified")
    expect(h1(page)).to_contain_text("Verified")
    expect(
        page.locator(".govuk-summary-list__row").filter(has_text=re.compile("^\\s*Verified"))
    ).to_contain_text("by Tam Manager")
    titles = page.locator(".moj-timeline__title").all_inner_texts()
    for title, by in (
        ("Action raised", "Ade Auditor"),
        ("Work started", "Wren Worker"),
        ("Completed", "Wren Worker"),
        ("Verified", "Tam Manager"),
    ):
        assert title in titles, titles
        item = page.locator(".moj-timeline__item").filter(
            has=page.locator(".moj-timeline__title", has_text=re.compile(f"^{title}$"))
        )
        expect(item.locator(".moj-timeline__byline")).to_have_text(f"by {by}")
    assert_accessible(page, "action page (verified)")


def test_raise_work_and_verify_a_remedial_action(live_server, page, journey, mailoutbox):
    base = live_server.url
    page.set_default_timeout(10_000)
    page.set_viewport_size({"width": 1280, "height": 900})

    _raise(page, base, journey)
    action = raised_from(RemedialAction.objects.all(), journey.audit).get()
    assert action.status == ActionStatus.OPEN
    assert (action.worker, action.team_manager, action.raised_by) == (
        journey.worker,
        journey.manager,
        journey.auditor,
    )
    assert action.child_id == journey.audit.child_id
    assert (action.what, action.why, action.priority) == (WHAT, WHY, "high")
    assert sorted(to for m in mailoutbox for to in m.to) == sorted(
        [journey.worker.email, journey.manager.email]
    )

    _work(page, base, journey)
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETED
    assert action.evidence == EVIDENCE
    assert action.completed_at is not None

    _verify(page, base, journey)
    action.refresh_from_db()
    assert action.status == ActionStatus.VERIFIED
    assert action.verified_by == journey.manager
    assert action.verified_at is not None
    kinds = list(
        ActionEvent.objects.filter(action=action)
        .exclude(kind="notified")
        .order_by("at", "pk")
        .values_list("kind", flat=True)
    )
    assert kinds == ["raised", "started", "completed", "verified"]
    journey.audit.refresh_from_db()
    assert journey.audit.status == AuditStatus.IN_PROGRESS  # raising an action does not touch the audit
