"""The demo seeds the partnership's approved audit tools, with a second version of the Level 2 plan audit."""

from __future__ import annotations

import io

import time_machine
from django.core.management import call_command

from audits.models import AuditTool, ToolQuestion, ToolVersionStatus
from demo.partnership import DEMO_PARTNERSHIP_NAME
from demo.tests.demo_days import ORDINARY_DAY
from demo.tools import SEEN_IN_PRACTICE

EXPECTED = {
    "Level 1 education advice audit": ("advice", [1]),
    "Level 1 health advice audit": ("advice", [1]),
    "Level 1 social care advice audit": ("advice", [1]),
    "Level 2 EHC plan audit": ("plan", [2]),
    "Level 2 caseworker peer-review checklist": ("peer_review", [2]),
    "Level 3 multi-agency audit": ("multi_agency", [3]),
    "Level 4 case review record": ("case_review", [4]),
    "Annual review audit": ("review", [1, 2]),
    "Observation of practice record": ("observation", [1]),
}


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_seed_demo_creates_the_audit_tools(db, settings):
    """One run of seed_demo (a few seconds) checked three ways."""
    settings.DEBUG = True
    call_command("seed_demo", "--scale", "demo", "--seed", "3", stdout=io.StringIO())
    tools = {t.name: t for t in AuditTool.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)}

    every_named_tool_is_approved(tools)
    the_plan_audit_covers_sections_a_to_k_and_keeps_version_1(tools)
    checklists_and_observations_use_their_own_scales(tools)
    # --reset deletes the demo partnership's tools with it and seeds them again.
    call_command("seed_demo", "--reset", "--seed", "3", stdout=io.StringIO())
    again = AuditTool.objects.filter(partnership__name=DEMO_PARTNERSHIP_NAME)
    assert sorted(again.values_list("name", flat=True)) == sorted(EXPECTED)
    assert not again.filter(pk__in=[t.pk for t in tools.values()]).exists()


def every_named_tool_is_approved(tools: dict[str, AuditTool]) -> None:
    assert {name: (t.kind, t.levels) for name, t in tools.items()} == EXPECTED
    sqa = tools["Level 3 multi-agency audit"].versions.get().approved_by
    for tool in tools.values():
        current = tool.versions.get(status=ToolVersionStatus.APPROVED)
        assert current.approved_by == sqa and sqa.username == "sqa"
        assert not tool.versions.filter(status=ToolVersionStatus.DRAFT).exists()
        sections = list(current.sections.prefetch_related("questions"))
        assert len(sections) >= 3, tool.name
        for section in sections:
            questions = list(section.questions.all())
            assert questions, (tool.name, section.title)
            assert all(len(q.guidance) > 40 for q in questions), (tool.name, section.title)


def the_plan_audit_covers_sections_a_to_k_and_keeps_version_1(tools: dict[str, AuditTool]) -> None:
    tool = tools["Level 2 EHC plan audit"]
    v1, v2 = tool.versions.order_by("number")

    assert (v1.status, v2.status) == (ToolVersionStatus.RETIRED, ToolVersionStatus.APPROVED)
    lettered = ["A", "B", "C", "D", "E", "F", "G", "H1", "H2", "I", "J", "K"]
    assert [s.code for s in v1.sections.all()] == lettered
    assert [s.code for s in v2.sections.all() if s.code] == lettered
    assert v1.approved_at < v2.approved_at
    assert "preparation-for-adulthood" in v2.change_note
    v1_texts = set(ToolQuestion.objects.filter(section__version=v1).values_list("text", flat=True))
    v2_texts = set(ToolQuestion.objects.filter(section__version=v2).values_list("text", flat=True))
    assert v1_texts < v2_texts  # version 2 asks more; version 1 is unchanged for the audits that used it
    assert any("Year 9" in text for text in v2_texts - v1_texts)
    assert v1.sections.get(code="C").weight < v2.sections.get(code="C").weight


def checklists_and_observations_use_their_own_scales(tools: dict[str, AuditTool]) -> None:
    checklist = tools["Level 2 caseworker peer-review checklist"].versions.get()
    observation = tools["Observation of practice record"].versions.get()
    assert [o["label"] for o in checklist.scale] == ["Yes", "Partly", "No"]
    assert observation.scale == SEEN_IN_PRACTICE
