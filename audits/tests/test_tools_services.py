"""Audit tool services: building a draft, approving it, freezing it, and making new versions from it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from audits.models import AuditAnswer, AuditToolVersion, ToolQuestion, ToolSection, ToolVersionStatus
from audits.services import tools as services
from audits.tests.factories import AuditFactory, make_tool_version
from qaf.versioning.services import FROZEN


def content(version: AuditToolVersion) -> list:
    """Everything an audit reads from a version, as plain values (ids included)."""
    version.refresh_from_db()
    return [
        version.status,
        version.scale,
        [
            (s.pk, s.code, s.title, s.order, s.weight, [(q.pk, q.text, q.guidance, q.order, q.weight, q.allow_not_applicable) for q in s.questions.order_by("order", "pk")])
            for s in version.sections.order_by("order", "pk")
        ],
    ]  # fmt: skip


@pytest.fixture
def draft(area, sqa_officer) -> AuditToolVersion:
    tool = services.tool_create(
        partnership=area.partnership, user=sqa_officer, name="Plan audit", kind="plan", levels=[2]
    )
    version = tool.versions.get()
    section = services.section_add(version=version, code="A", title="Views", weight="1")
    services.question_add(section=section, text="Own words?", guidance="Good: first person", weight="2")
    return version


@pytest.fixture
def approved(draft, sqa_officer) -> AuditToolVersion:
    return services.tool_version_approve(version=draft, user=sqa_officer)


def test_tool_create_makes_a_draft_version_1_with_the_four_grades(area, sqa_officer):
    tool = services.tool_create(
        partnership=area.partnership,
        user=sqa_officer,
        name="  Level 3 multi-agency audit ",
        kind="multi_agency",
        levels=["3"],
        description="Six plans a half term",
    )

    version = tool.versions.get()
    assert tool.name == "Level 3 multi-agency audit"
    assert tool.levels == [3]
    assert (version.number, version.status, version.created_by) == (1, ToolVersionStatus.DRAFT, sqa_officer)
    assert [o["label"] for o in version.scale] == [
        "Outstanding",
        "Good",
        "Requires improvement",
        "Inadequate",
    ]


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"kind": "nonsense"}, "kind"),
        ({"levels": []}, "levels"),
        ({"levels": [5]}, "levels"),
        ({"levels": ["x"]}, "levels"),
        ({"name": "plan AUDIT"}, "name"),  # the same name as an existing tool, in any case
    ],
)
def test_tool_create_rejects_bad_details(area, sqa_officer, draft, fields, field):
    with pytest.raises(ValidationError) as caught:
        services.tool_create(
            partnership=area.partnership,
            user=sqa_officer,
            **{"name": "Another", "kind": "plan", "levels": [1], **fields},
        )
    assert field in caught.value.message_dict


def test_the_same_name_is_fine_in_another_partnership(other_area, outsider_sqa, draft):
    tool = services.tool_create(
        partnership=other_area.partnership, user=outsider_sqa, name="Plan audit", kind="plan", levels=[2]
    )
    assert tool.partnership == other_area.partnership


def test_scale_is_cleaned_best_first_with_values_from_scores(draft):
    services.tool_version_update(
        version=draft,
        scale=[{"label": "No", "score": "0"}, {"label": "Yes", "score": 2}, {"label": "Partly", "score": 1}],
    )
    draft.refresh_from_db()
    assert draft.scale == [
        {"value": "2", "label": "Yes", "score": 2},
        {"value": "1", "label": "Partly", "score": 1},
        {"value": "0", "label": "No", "score": 0},
    ]


@pytest.mark.parametrize(
    "scale",
    [
        [{"label": "Only one", "score": 1}],
        [{"label": "Yes", "score": 1}, {"label": "yes", "score": 0}],
        [{"label": "Yes", "score": 1}, {"label": "No", "score": 1}],
        [{"label": "Yes", "score": "1.5"}, {"label": "No", "score": 0}],
        [{"label": "Yes", "score": -1}, {"label": "No", "score": 0}],
        [{"label": "Yes", "score": 101}, {"label": "No", "score": 0}],
        [{"label": "Yes", "score": True}, {"label": "No", "score": 0}],
        [{"label": "", "score": 1}, {"label": "No", "score": 0}],
        [{"label": "Yes", "score": 1, "value": "na"}, {"label": "No", "score": 0}],
    ],
)
def test_bad_scales_are_refused(draft, scale):
    before = content(draft)
    with pytest.raises(ValidationError) as caught:
        services.tool_version_update(version=draft, scale=scale)
    assert "scale" in caught.value.message_dict
    assert content(draft) == before


def test_sections_and_questions_are_added_in_order_and_reordered(draft):
    b = services.section_add(version=draft, code="B", title="Needs", weight="1.5")
    e = services.section_add(version=draft, code="E", title="Outcomes")
    services.section_move(section=e, offset=-1)
    assert [s.code for s in draft.sections.order_by("order")] == ["A", "E", "B"]
    services.section_reorder(version=draft, section_ids=[b.pk, e.pk, draft.sections.get(code="A").pk])
    assert [s.code for s in draft.sections.order_by("order")] == ["B", "E", "A"]

    q1 = services.question_add(section=b, text="First")
    q2 = services.question_add(section=b, text="Second", allow_not_applicable=False)
    services.question_move(question=q2, offset=-1)
    assert list(b.questions.order_by("order").values_list("text", flat=True)) == ["Second", "First"]
    services.question_move(question=q2, offset=-1)  # already first: stays put
    assert list(b.questions.order_by("order").values_list("pk", flat=True)) == [q2.pk, q1.pk]
    with pytest.raises(ValidationError):
        services.section_reorder(version=draft, section_ids=[b.pk, e.pk])  # one missing


def test_section_codes_are_unique_within_a_version(draft):
    with pytest.raises(ValidationError) as caught:
        services.section_add(version=draft, code="a", title="Views again")
    assert "code" in caught.value.message_dict


@pytest.mark.parametrize("weight", ["-1", "101", "lots"])
def test_weights_are_numbers_from_0_to_100(draft, weight):
    section = draft.sections.get()
    with pytest.raises(ValidationError) as caught:
        services.question_add(section=section, text="Q", weight=weight)
    assert "weight" in caught.value.message_dict


def test_section_and_question_updates_and_removal_in_a_draft(draft):
    section = draft.sections.get()
    question = section.questions.get()
    services.section_update(section=section, code="A", title="Views and aspirations", weight="2.5")
    services.question_update(
        question=question, text="In their words?", guidance="", weight="0", allow_not_applicable=False
    )
    section.refresh_from_db()
    question.refresh_from_db()
    assert (section.title, section.weight) == ("Views and aspirations", Decimal("2.5"))
    assert (question.text, question.weight, question.allow_not_applicable) == ("In their words?", 0, False)

    services.question_remove(question=question)
    services.section_remove(section=section)
    assert not draft.sections.exists()


# --- approval --------------------------------------------------------------------------------------------


def test_approve_records_who_and_when(approved, sqa_officer):
    approved.refresh_from_db()
    assert approved.status == ToolVersionStatus.APPROVED
    assert approved.approved_by == sqa_officer
    assert approved.approved_at is not None


@pytest.mark.parametrize(
    "build",
    [
        lambda v: None,  # no sections
        lambda v: services.section_add(version=v, title="Empty"),  # a section without questions
        lambda v: services.question_add(
            section=services.section_add(version=v, title="S"), text="Q", weight="0"
        ),
    ],
    ids=["no sections", "empty section", "nothing weighted"],
)
def test_approve_needs_gradable_content(area, sqa_officer, build):
    tool = services.tool_create(
        partnership=area.partnership, user=sqa_officer, name="T", kind="plan", levels=[2]
    )
    version = tool.versions.get()
    build(version)
    with pytest.raises(ValidationError):
        services.tool_version_approve(version=version, user=sqa_officer)
    version.refresh_from_db()
    assert version.status == ToolVersionStatus.DRAFT


def test_approving_a_new_version_retires_the_old_one_so_one_is_current(approved, sqa_officer):
    v2 = services.tool_version_new_from(version=approved, user=sqa_officer)
    services.tool_version_approve(version=v2, user=sqa_officer)
    approved.refresh_from_db()
    v2.refresh_from_db()
    assert (approved.status, v2.status) == (ToolVersionStatus.RETIRED, ToolVersionStatus.APPROVED)
    assert approved.tool.versions.filter(status=ToolVersionStatus.APPROVED).count() == 1
    with pytest.raises(ValidationError, match="cannot be changed"):
        services.tool_version_approve(version=v2, user=sqa_officer)  # approving twice


# --- an approved version is frozen ------------------------------------------------------------------------

WRITES = {
    "scale": lambda v: services.tool_version_update(version=v, scale=[{"label": "Y", "score": 1}, {"label": "N", "score": 0}]),
    "change note": lambda v: services.tool_version_update(version=v, change_note="sneaky"),
    "section add": lambda v: services.section_add(version=v, title="New"),
    "section update": lambda v: services.section_update(section=v.sections.get(), title="Changed"),
    "section remove": lambda v: services.section_remove(section=v.sections.get()),
    "section reorder": lambda v: services.section_reorder(version=v, section_ids=[v.sections.get().pk]),
    "section move": lambda v: services.section_move(section=v.sections.get(), offset=1),
    "question add": lambda v: services.question_add(section=v.sections.get(), text="New"),
    "question update": lambda v: services.question_update(question=ToolQuestion.objects.get(section__version=v), text="Changed"),
    "question remove": lambda v: services.question_remove(question=ToolQuestion.objects.get(section__version=v)),
    "question reorder": lambda v: services.question_reorder(section=v.sections.get(), question_ids=[ToolQuestion.objects.get(section__version=v).pk]),
    "question move": lambda v: services.question_move(question=ToolQuestion.objects.get(section__version=v), offset=1),
    "replace content": lambda v: services.tool_version_content_replace(version=v, sections=[]),
    "discard": lambda v: services.tool_version_discard(version=v),
}  # fmt: skip


@pytest.mark.parametrize("write", sorted(WRITES))
@pytest.mark.parametrize("status", [ToolVersionStatus.APPROVED, ToolVersionStatus.RETIRED])
def test_an_approved_or_retired_version_cannot_be_changed(area, write, status):
    version = make_tool_version(
        area.partnership, sections=[("A", "Views", "1", [("Own words?", "1")])], status=status
    )
    before = content(version)

    with pytest.raises(ValidationError) as caught:
        WRITES[write](version)

    assert caught.value.messages == [FROZEN]
    assert content(version) == before


def test_a_stale_draft_object_cannot_be_changed_after_approval(draft, sqa_officer):
    stale = AuditToolVersion.objects.get(pk=draft.pk)  # loaded while it was a draft
    services.tool_version_approve(version=draft, user=sqa_officer)
    with pytest.raises(ValidationError, match="make a new version"):
        services.section_add(version=stale, title="Too late")
    assert draft.sections.count() == 1


# --- new versions ---------------------------------------------------------------------------------------


def test_new_version_copies_the_content_into_a_draft(area, sqa_officer):
    old = make_tool_version(area.partnership)  # A, B (two questions), E, F
    new = services.tool_version_new_from(version=old, user=sqa_officer, change_note="Adds PfA")

    assert (new.number, new.status, new.change_note, new.created_by) == (2, "draft", "Adds PfA", sqa_officer)
    assert new.scale == old.scale

    def shape(version):
        return [
            (s.code, s.title, s.order, s.weight, [(q.text, q.guidance, q.order, q.weight, q.allow_not_applicable) for q in s.questions.order_by("order")])
            for s in version.sections.order_by("order")
        ]  # fmt: skip

    assert len(shape(old)) == 4
    assert shape(new) == shape(old)
    new_ids = set(ToolQuestion.objects.filter(section__version=new).values_list("pk", flat=True))
    old_ids = set(ToolQuestion.objects.filter(section__version=old).values_list("pk", flat=True))
    assert new_ids and not new_ids & old_ids  # copies, not the same rows


def test_new_version_leaves_old_audits_exactly_as_they_were(area, sqa_officer, agency_manager):
    old = make_tool_version(area.partnership)
    audit = AuditFactory(agency=area.school, tool_version=old)
    first_question = (
        ToolQuestion.objects.filter(section__version=old).order_by("section__order", "order").first()
    )
    AuditAnswer.objects.create(audit=audit, question=first_question, value="3")
    old_texts = list(ToolQuestion.objects.filter(section__version=old).values_list("pk", "text"))
    before = content(old)

    new = services.tool_version_new_from(version=old, user=sqa_officer)
    services.question_update(
        question=ToolQuestion.objects.filter(section__version=new).first(), text="Reworded"
    )
    services.section_remove(section=new.sections.get(code="F"))
    services.tool_version_approve(version=new, user=sqa_officer)

    audit.refresh_from_db()
    assert audit.tool_version_id == old.pk
    before[0] = ToolVersionStatus.RETIRED  # the only change to the old version: it is no longer current
    assert content(old) == before
    assert (
        list(ToolQuestion.objects.filter(section__version=audit.tool_version).values_list("pk", "text"))
        == old_texts
    )
    assert audit.answers.get().question_id == first_question.pk


def test_only_one_draft_at_a_time(approved, sqa_officer):
    draft2 = services.tool_version_new_from(version=approved, user=sqa_officer)
    with pytest.raises(ValidationError, match="already a draft"):
        services.tool_version_new_from(version=approved, user=sqa_officer)
    services.tool_version_discard(version=draft2)
    assert services.tool_version_new_from(version=approved, user=sqa_officer).number == 2


def test_a_draft_used_by_an_audit_or_the_only_version_cannot_be_discarded(area, draft):
    with pytest.raises(ValidationError, match="only version"):
        services.tool_version_discard(version=draft)
    in_use = make_tool_version(area.partnership, status=ToolVersionStatus.DRAFT)
    AuditFactory(agency=area.school, tool_version=in_use)
    with pytest.raises(ValidationError):
        services.tool_version_discard(version=in_use)
    assert AuditToolVersion.objects.filter(pk=in_use.pk).exists()


def test_content_replace_writes_a_whole_draft_or_nothing(draft):
    sections = [
        {"code": "A", "title": "Views", "weight": "1", "questions": [{"text": "Own words?", "guidance": "G", "weight": 2}]},
        {"code": "B", "title": "Needs", "questions": [{"text": "Specific?"}, {"text": "Evidenced?", "allow_not_applicable": False}]},
    ]  # fmt: skip
    services.tool_version_content_replace(version=draft, sections=sections, change_note="First cut")

    assert [(s.code, s.questions.count()) for s in draft.sections.order_by("order")] == [("A", 1), ("B", 2)]
    assert ToolSection.objects.get(version=draft, code="B").weight == 1
    before = content(draft)
    bad = [*sections, {"code": "a", "title": "Repeated code", "questions": []}]
    with pytest.raises(ValidationError) as caught:
        services.tool_version_content_replace(version=draft, sections=bad)
    assert "Section 3" in caught.value.message_dict["sections"][0]
    bad = [{"title": "S", "questions": [{"text": ""}]}]
    with pytest.raises(ValidationError) as caught:
        services.tool_version_content_replace(version=draft, sections=bad)
    assert caught.value.message_dict["sections"] == ["Section 1, question 1: Enter the question"]
    assert content(draft) == before
