"""Doing an audit through the services: saving answers, grades and overrides, the summary, submit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from guardian.shortcuts import assign_perm

from audits.models import (
    AuditAnswer,
    AuditEvent,
    AuditSectionResult,
    AuditStatus,
    CaseReviewRecord,
    PanelMember,
    ToolQuestion,
    ToolVersionStatus,
)
from audits.selectors.answering import COMPLETED, IN_PROGRESS, NOT_STARTED, audit_progress
from audits.services.answering import (
    NOTHING_TO_GRADE,
    audit_answers_save,
    audit_submit,
    audit_summary_save,
)
from audits.tests.factories import AuditFactory, make_tool_version
from qaf.models import Role, Theme
from qaf.tests.factories import member


@pytest.fixture
def audit(area, practitioner):
    """A Level 1 audit of the school with the factory's plan tool: A (1 question), B (2: weights 2 and 1),
    E (1, section weight 2), F (1, section weight 2); scale 4 Outstanding .. 1 Inadequate."""
    return AuditFactory(agency=area.school, assignees=[practitioner])


def sections(audit):
    return {s.code: s for s in audit.tool_version.sections.prefetch_related("questions")}


def qids(section) -> list[int]:
    return [q.pk for q in section.questions.order_by("order", "pk")]


def answer_all(audit, user, value_by_code: dict[str, list[str]]):
    for code, section in sections(audit).items():
        values = value_by_code.get(code)
        if values is not None:
            audit_answers_save(
                audit=audit,
                by=user,
                section=section,
                answers={q: (v, f"evidence {q}") for q, v in zip(qids(section), values, strict=True)},
            )
    audit.refresh_from_db()
    return audit


def summary(audit, user, **overrides):
    kwargs = {
        "strengths": "",
        "areas": "",
        "theme_ids": [],
        "section_overrides": {},
        "override_grade": "",
        "override_reason": "",
        **overrides,
    }
    audit_summary_save(audit=audit, by=user, **kwargs)
    audit.refresh_from_db()
    return audit


# --- saving answers ------------------------------------------------------------------------------


def test_first_save_starts_the_audit_stores_answers_grades_and_history(audit, practitioner):
    b = sections(audit)["B"]
    q1, q2 = qids(b)
    assert audit.status == AuditStatus.SCHEDULED

    audit_answers_save(
        audit=audit, by=practitioner, section=b, answers={q1: ("4", " seen in B "), q2: ("1", "")}
    )

    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    assert audit.started_at is not None
    answers = {a.question_id: (a.value, a.evidence, a.answered_by_id) for a in audit.answers.all()}
    assert answers == {q1: ("4", "seen in B", practitioner.pk), q2: ("1", "", practitioner.pk)}
    # Weighted (2*4 + 1*1) / 3 = 3.0 -> Good, for the section and (only section scored) overall.
    result = AuditSectionResult.objects.get(audit=audit, section=b)
    assert (result.score, result.computed_grade, result.grade) == (Decimal("3.000"), "good", "good")
    assert audit.computed_grade == "good" and audit.overall_grade == "good"
    event = AuditEvent.objects.get(audit=audit, kind="answered")
    assert event.user == practitioner
    assert event.details["section"] == b.pk
    assert event.details["started"] is True
    assert sorted(event.details["questions"]) == sorted([q1, q2])


def test_saving_again_updates_in_place_and_answers_survive(audit, practitioner):
    a = sections(audit)["A"]
    (q,) = qids(a)
    audit_answers_save(audit=audit, by=practitioner, section=a, answers={q: ("", "notes so far")})
    audit_answers_save(audit=audit, by=practitioner, section=a, answers={q: ("3", "notes so far")})
    assert AuditAnswer.objects.filter(audit=audit).count() == 1
    assert AuditAnswer.objects.get(audit=audit).value == "3"
    audit.refresh_from_db()
    started_at = audit.started_at
    audit_answers_save(audit=audit, by=practitioner, section=a, answers={q: ("3", "notes so far")})
    audit.refresh_from_db()
    assert audit.started_at == started_at  # started once
    # An unchanged save adds no history.
    assert AuditEvent.objects.filter(audit=audit, kind="answered").count() == 2


def test_progress_statuses(audit, practitioner):
    b = sections(audit)["B"]
    q1, q2 = qids(b)
    audit_answers_save(audit=audit, by=practitioner, section=b, answers={q1: ("4", ""), q2: ("", "thinking")})
    status = {p.section.code: p.status for p in audit_progress(audit)}
    assert status == {"A": NOT_STARTED, "B": IN_PROGRESS, "E": NOT_STARTED, "F": NOT_STARTED}
    audit_answers_save(audit=audit, by=practitioner, section=b, answers={q1: ("4", ""), q2: ("na", "")})
    assert {p.section.code: p.status for p in audit_progress(audit)}["B"] == COMPLETED


@pytest.mark.parametrize("value", ["5", "0", "good", "NA", " 9 "])
def test_values_off_the_scale_are_refused(audit, practitioner, value):
    a = sections(audit)["A"]
    (q,) = qids(a)
    with pytest.raises(ValidationError) as error:
        audit_answers_save(audit=audit, by=practitioner, section=a, answers={q: (value, "")})
    assert f"answer_{q}" in error.value.message_dict
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SCHEDULED
    assert not AuditAnswer.objects.filter(audit=audit).exists()


def test_not_applicable_only_where_the_question_allows_it(audit, practitioner):
    a = sections(audit)["A"]
    (q,) = qids(a)
    ToolQuestion.objects.filter(pk=q).update(allow_not_applicable=False)
    a = sections(audit)["A"]
    with pytest.raises(ValidationError) as error:
        audit_answers_save(audit=audit, by=practitioner, section=a, answers={q: ("na", "")})
    assert "not applicable" in error.value.message_dict[f"answer_{q}"][0]


def test_a_question_of_another_version_is_refused(audit, practitioner, area):
    other = make_tool_version(area.partnership, tool=audit.tool_version.tool)
    foreign_q = other.sections.get(code="A").questions.get().pk
    a = sections(audit)["A"]
    with pytest.raises(ValidationError) as error:
        audit_answers_save(audit=audit, by=practitioner, section=a, answers={foreign_q: ("4", "")})
    assert f"answer_{foreign_q}" in error.value.message_dict
    # Nor can a whole section of the other version be answered.
    with pytest.raises(ValidationError) as error:
        audit_answers_save(
            audit=audit, by=practitioner, section=other.sections.get(code="A"), answers={foreign_q: ("4", "")}
        )
    assert "section" in error.value.message_dict
    assert not AuditAnswer.objects.exists()


def test_a_question_of_another_section_is_refused(audit, practitioner):
    s = sections(audit)
    with pytest.raises(ValidationError):
        audit_answers_save(audit=audit, by=practitioner, section=s["A"], answers={qids(s["E"])[0]: ("4", "")})


def test_only_editors_may_save(audit, agency_manager, sqa_officer):
    a = sections(audit)["A"]
    for user in (agency_manager, sqa_officer):  # both can see this audit, neither is assigned
        with pytest.raises(PermissionDenied):
            audit_answers_save(audit=audit, by=user, section=a, answers={qids(a)[0]: ("4", "")})


def test_level3_panel_member_and_level4_lead_may_edit(area, sqa_officer, board_member):
    health_worker = member(area.health, Role.PRACTITIONER, username="health.auditor")
    l3 = AuditFactory(agency=area.sqa, level=3)
    PanelMember.objects.create(audit=l3, user=health_worker, agency=area.health)
    assign_perm("audits.view_audit", health_worker, l3)
    a = sections(l3)["A"]
    audit_answers_save(audit=l3, by=health_worker, section=a, answers={qids(a)[0]: ("4", "")})
    l4 = AuditFactory(agency=area.sqa, level=4)
    CaseReviewRecord.objects.create(audit=l4, lead_board_member=board_member)
    a = sections(l4)["A"]
    audit_answers_save(audit=l4, by=board_member, section=a, answers={qids(a)[0]: ("2", "")})
    assert AuditAnswer.objects.filter(audit__in=[l3, l4]).count() == 2


def test_closed_audit_cannot_be_answered(audit, practitioner):
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    a = sections(audit)["A"]
    with pytest.raises(ValidationError, match="submitted"):
        audit_answers_save(audit=audit, by=practitioner, section=a, answers={qids(a)[0]: ("4", "")})


# --- grades and overrides ------------------------------------------------------------------------------


def test_weights_change_the_grade(area, practitioner):
    # Same answers (4 then 1) on two versions that differ only in question weights.
    def version(w1, w2):
        return make_tool_version(area.partnership, sections=[("B", "Needs", "1", [("Q1", w1), ("Q2", w2)])])

    heavy_first = AuditFactory(agency=area.school, tool_version=version("3", "1"), assignees=[practitioner])
    heavy_last = AuditFactory(agency=area.school, tool_version=version("1", "3"), assignees=[practitioner])
    for audit in (heavy_first, heavy_last):
        answer_all(audit, practitioner, {"B": ["4", "1"]})
    # (3*4 + 1) / 4 = 3.25 -> Good; (4 + 3*1) / 4 = 1.75 -> Requires improvement.
    assert heavy_first.computed_grade == "good"
    assert heavy_last.computed_grade == "requires_improvement"


def test_section_weights_shift_the_overall_grade(audit, practitioner):
    # A and B (weight 1) Outstanding, E and F (weight 2) Inadequate: (4 + 4 + 2*1 + 2*1) / 6 = 2.0 -> RI.
    answer_all(audit, practitioner, {"A": ["4"], "B": ["4", "4"], "E": ["1"], "F": ["1"]})
    assert audit.computed_grade == "requires_improvement"
    assert audit.overall_grade == "requires_improvement"


def test_all_not_applicable_has_no_grade_and_cannot_be_submitted(audit, practitioner):
    answer_all(audit, practitioner, {"A": ["na"], "B": ["na", "na"], "E": ["na"], "F": ["na"]})
    assert audit.computed_grade == "" and audit.overall_grade == ""
    assert set(AuditSectionResult.objects.filter(audit=audit).values_list("grade", flat=True)) == {""}
    # Not even an override makes an audit with nothing in it gradable.
    summary(audit, practitioner, override_grade="good", override_reason="Looks fine to me")
    with pytest.raises(ValidationError) as error:
        audit_submit(audit=audit, by=practitioner)
    assert error.value.messages == [NOTHING_TO_GRADE]
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_override_without_reason_is_refused(audit, practitioner):
    answer_all(audit, practitioner, {"A": ["3"]})
    with pytest.raises(ValidationError) as error:
        summary(audit, practitioner, override_grade="outstanding", override_reason="   ")
    assert "override_reason" in error.value.message_dict
    audit.refresh_from_db()
    assert (audit.override_grade, audit.overall_grade) == ("", "good")


def test_override_with_reason_keeps_the_computed_grade_and_clearing_it_clears_the_reason(audit, practitioner):
    answer_all(audit, practitioner, {"A": ["3"]})
    summary(audit, practitioner, override_grade="inadequate", override_reason="Views are copied from 2019")
    assert (audit.computed_grade, audit.override_grade, audit.overall_grade) == (
        "good",
        "inadequate",
        "inadequate",
    )
    assert audit.override_reason == "Views are copied from 2019"
    event = AuditEvent.objects.filter(audit=audit, kind="summary_saved").last()
    assert event.details["override"] == {"grade": "inadequate", "reason": "Views are copied from 2019"}

    summary(audit, practitioner, override_grade="", override_reason="left over text")
    assert (audit.override_grade, audit.override_reason, audit.overall_grade) == ("", "", "good")


def test_an_unknown_grade_is_refused(audit, practitioner):
    with pytest.raises(ValidationError) as error:
        summary(audit, practitioner, override_grade="brilliant", override_reason="x")
    assert "override_grade" in error.value.message_dict


def test_section_override_needs_a_reason_and_survives_new_answers(audit, practitioner):
    s = sections(audit)
    answer_all(audit, practitioner, {"A": ["4"]})
    with pytest.raises(ValidationError) as error:
        summary(audit, practitioner, section_overrides={s["A"].pk: ("inadequate", "")})
    assert f"section_{s['A'].pk}_reason" in error.value.message_dict

    summary(
        audit,
        practitioner,
        section_overrides={s["A"].pk: ("requires_improvement", "Not in the child's words")},
    )
    answer_all(audit, practitioner, {"A": ["3"]})
    result = AuditSectionResult.objects.get(audit=audit, section=s["A"])
    assert (result.computed_grade, result.override_grade, result.grade) == (
        "good",
        "requires_improvement",
        "requires_improvement",
    )
    assert result.override_reason == "Not in the child's words"

    summary(audit, practitioner, section_overrides={s["A"].pk: ("", "ignored")})
    result.refresh_from_db()
    assert (result.override_grade, result.override_reason, result.grade) == ("", "", "good")


def test_summary_saves_text_and_themes_of_the_partnership_only(audit, practitioner, area, other_area):
    active = Theme.objects.create(partnership=area.partnership, name="Looked-after children")
    retired = Theme.objects.create(partnership=area.partnership, name="Old theme", is_active=False)
    foreign = Theme.objects.create(partnership=other_area.partnership, name="Elsewhere")
    summary(
        audit, practitioner, strengths=" Clear outcomes ", areas="Health advice late", theme_ids=[active.pk]
    )
    assert (audit.strengths, audit.areas_for_development) == ("Clear outcomes", "Health advice late")
    assert list(audit.themes.all()) == [active]
    for theme in (retired, foreign):
        with pytest.raises(ValidationError) as error:
            summary(audit, practitioner, theme_ids=[theme.pk])
        assert "themes" in error.value.message_dict


# --- submit ------------------------------------------------------------------------------


def test_submit_needs_every_question_answered(audit, practitioner):
    answer_all(audit, practitioner, {"A": ["4"], "B": ["4", ""], "E": ["3"]})
    with pytest.raises(ValidationError) as error:
        audit_submit(audit=audit, by=practitioner)
    message = error.value.message_dict["answers"][0]
    assert "B Special educational needs" in message and "F Educational provision" in message
    assert "A Views" not in message


def test_submit_records_the_grade_and_closes_the_form(audit, practitioner):
    answer_all(audit, practitioner, {"A": ["4"], "B": ["3", "na"], "E": ["3"], "F": ["2"]})
    audit_submit(audit=audit, by=practitioner)
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.submitted_at is not None
    # (4 + 3 + 2*3 + 2*2) / 6 = 2.833 -> Good
    assert audit.overall_grade == "good"
    event = AuditEvent.objects.get(audit=audit, kind="submitted")
    assert event.details["grade"] == "good" and event.details["score"] == "2.833"
    # Once submitted it is no longer open: no more answers, no second submit.
    with pytest.raises(ValidationError):
        audit_submit(audit=audit, by=practitioner)
    with pytest.raises(ValidationError):
        summary(audit, practitioner, strengths="late edit")


def test_submit_by_someone_not_assigned_is_refused(audit, practitioner, sqa_officer):
    answer_all(audit, practitioner, {"A": ["4"], "B": ["3", "3"], "E": ["3"], "F": ["3"]})
    with pytest.raises(PermissionDenied):
        audit_submit(audit=audit, by=sqa_officer)


def test_weightless_answers_need_an_override_to_submit(area, practitioner):
    version = make_tool_version(area.partnership, sections=[("A", "Views", "1", [("Q", "0")])])
    audit = AuditFactory(agency=area.school, tool_version=version, assignees=[practitioner])
    answer_all(audit, practitioner, {"A": ["4"]})
    with pytest.raises(ValidationError) as error:
        audit_submit(audit=audit, by=practitioner)
    assert "override_grade" in error.value.message_dict
    summary(audit, practitioner, override_grade="good", override_reason="Scored by the panel")
    audit_submit(audit=audit, by=practitioner)
    audit.refresh_from_db()
    assert (audit.status, audit.overall_grade) == (AuditStatus.SUBMITTED, "good")


def test_a_new_version_leaves_the_audit_on_its_own(audit, practitioner, area):
    old = audit.tool_version
    answer_all(audit, practitioner, {"A": ["4"]})
    old.status = ToolVersionStatus.RETIRED
    old.save()
    new = make_tool_version(
        area.partnership,
        tool=old.tool,
        sections=[("A", "Views (revised)", "1", [("A brand-new question", "1")])],
    )
    assert new.status == ToolVersionStatus.APPROVED
    audit.refresh_from_db()
    assert audit.tool_version_id == old.pk
    progress = audit_progress(audit)
    assert [p.section.code for p in progress] == ["A", "B", "E", "F"]
    texts = [row.question.text for p in progress for row in p.rows]
    assert "A brand-new question" not in texts
    assert progress[0].rows[0].value == "4"
    # And it can still be finished and submitted on the old version.
    answer_all(audit, practitioner, {"B": ["3", "3"], "E": ["3"], "F": ["3"]})
    audit_submit(audit=audit, by=practitioner)
