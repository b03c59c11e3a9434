"""Moderation: the service keeps both sets of grades; who may moderate what; the moderation page. (The agreement
figures and page are tested in test_agreement.py, with the helpers here.)"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from audits.models import (
    Audit,
    AuditAnswer,
    AuditEvent,
    AuditSectionResult,
    AuditStatus,
    AuditToolVersion,
    Moderation,
    ToolQuestion,
    ToolSection,
)
from audits.services.moderation import audit_moderate
from audits.tests.factories import AuditFactory, make_tool_version
from qaf.models import Role
from qaf.tests.factories import member

OUT, GOOD, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"


def at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


def graded_audit(
    *,
    agency,
    overall: str,
    sections: dict[str, str] | None = None,
    tool_version: AuditToolVersion | None = None,
    level: int = 1,
    status: str = AuditStatus.SUBMITTED,
    submitted_on: dt.date | None = dt.date(2025, 10, 15),
    child=None,
    assignees=(),
) -> Audit:
    """An audit as an auditor left it: section results (by section code) and an overall grade."""
    version = tool_version or make_tool_version(agency.partnership)
    audit = AuditFactory(
        agency=agency,
        level=level,
        tool_version=version,
        status=status,
        child=child,
        computed_grade=overall,
        overall_grade=overall,
        submitted_at=at(submitted_on) if submitted_on else None,
        assignees=list(assignees),
    )
    for section in version.sections.all():
        grade = (sections or {}).get(section.code, "")
        AuditSectionResult.objects.create(audit=audit, section=section, computed_grade=grade, grade=grade)
    return audit


def section_ids(audit: Audit) -> dict[str, int]:
    return dict(ToolSection.objects.filter(version=audit.tool_version).values_list("code", "pk"))


def moderate(audit: Audit, moderator, overall: str, sections: dict[str, str], notes: str = "") -> Moderation:
    ids = section_ids(audit)
    return audit_moderate(
        audit=audit,
        moderator=moderator,
        overall_grade=overall,
        section_grades={ids[code]: grade for code, grade in sections.items()},
        notes=notes,
    )


ALL_GOOD = {"A": GOOD, "B": GOOD, "E": GOOD, "F": GOOD}


@pytest.fixture
def submitted(area, practitioner) -> Audit:
    return graded_audit(
        agency=area.school,
        overall=GOOD,
        sections={"A": OUT, "B": GOOD, "E": RI, "F": GOOD},
        assignees=[practitioner],
    )


# --- the service ---------------------------------------------------------------------------------------


def test_moderation_keeps_both_grades(submitted, sqa_officer):
    before = list(submitted.section_results.order_by("section__order").values_list("grade", "computed_grade"))
    moderation = moderate(
        submitted, sqa_officer, RI, {"A": GOOD, "B": GOOD, "E": RI, "F": INAD}, notes="F is vague"
    )

    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.MODERATED
    assert submitted.moderated_at is not None
    # The auditor's grades are untouched ...
    assert submitted.overall_grade == GOOD
    assert submitted.computed_grade == GOOD
    assert (
        list(submitted.section_results.order_by("section__order").values_list("grade", "computed_grade"))
        == before
    )
    # ... and the moderator's are stored beside them.
    assert moderation.overall_grade == RI
    assert moderation.notes == "F is vague"
    stored = {g.section.code: g.grade for g in moderation.section_grades.select_related("section")}
    assert stored == {"A": GOOD, "B": GOOD, "E": RI, "F": INAD}
    event = AuditEvent.objects.get(audit=submitted, kind="moderated")
    assert event.user == sqa_officer
    assert event.details["auditor_grade"] == GOOD
    assert event.details["moderator_grade"] == RI
    assert {
        s["section"].split()[0]: (s["auditor_grade"], s["moderator_grade"]) for s in event.details["sections"]
    } == {
        "A": (OUT, GOOD),
        "B": (GOOD, GOOD),
        "E": (RI, RI),
        "F": (GOOD, INAD),
    }


@pytest.mark.parametrize("persona", ["practitioner", "agency_manager", "board_member", "outsider_sqa"])
def test_only_the_sqa_service_can_moderate(request, submitted, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        moderate(submitted, user, GOOD, ALL_GOOD)
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED
    assert not Moderation.objects.exists()


def test_an_sqa_officer_cannot_moderate_an_audit_they_completed(area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=GOOD, sections=ALL_GOOD, assignees=[sqa_officer])
    with pytest.raises(PermissionDenied):
        moderate(audit, sqa_officer, GOOD, ALL_GOOD)


@pytest.mark.parametrize(
    "status", [AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS, AuditStatus.MODERATED, AuditStatus.CLOSED]
)
def test_only_a_submitted_audit_can_be_moderated(area, sqa_officer, status):
    audit = graded_audit(agency=area.school, overall=GOOD, sections=ALL_GOOD, status=status)
    with pytest.raises(ValidationError) as error:
        moderate(audit, sqa_officer, GOOD, ALL_GOOD)
    assert "status" in error.value.message_dict
    assert not Moderation.objects.exists()


def test_every_section_the_auditor_graded_needs_a_grade(submitted, sqa_officer):
    with pytest.raises(ValidationError) as error:
        moderate(submitted, sqa_officer, GOOD, {"A": GOOD, "B": GOOD, "E": GOOD})
    assert "section_grades" in error.value.message_dict
    assert "F" in error.value.message_dict["section_grades"][0]


def test_a_section_the_auditor_could_not_grade_may_be_left(area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=GOOD, sections={"A": GOOD, "B": GOOD, "E": GOOD})
    moderation = moderate(audit, sqa_officer, GOOD, {"A": GOOD, "B": GOOD, "E": GOOD})
    assert moderation.section_grades.count() == 3


@pytest.mark.parametrize(
    ("overall", "sections", "field"),
    [
        ("", ALL_GOOD, "overall_grade"),
        ("excellent", ALL_GOOD, "overall_grade"),
        (GOOD, {**ALL_GOOD, "F": "excellent"}, "section_grades"),
    ],
)
def test_grades_must_be_the_four_grades(submitted, sqa_officer, overall, sections, field):
    with pytest.raises(ValidationError) as error:
        moderate(submitted, sqa_officer, overall, sections)
    assert field in error.value.message_dict


def test_sections_must_belong_to_the_audits_tool(submitted, sqa_officer, area):
    other = make_tool_version(area.partnership)
    foreign = other.sections.first().pk
    grades = {pk: GOOD for pk in section_ids(submitted).values()}
    with pytest.raises(ValidationError) as error:
        audit_moderate(
            audit=submitted,
            moderator=sqa_officer,
            overall_grade=GOOD,
            section_grades={**grades, foreign: GOOD},
        )
    assert "section_grades" in error.value.message_dict


# --- the moderation page -------------------------------------------------------------------------------


def test_moderation_page_shows_the_auditors_grades_beside_the_radios(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    response = client.get(reverse("audits:audit-moderate", args=[submitted.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The auditor&#x27;s grade: Outstanding." in html  # section A, as the hint of its radios
    assert "The auditor&#x27;s overall grade: Good." in html
    section_a = section_ids(submitted)["A"]
    assert f'name="section_{section_a}" type="radio" value="outstanding"' in html


def test_moderation_page_saves_a_moderation(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    data = {f"section_{pk}": RI for pk in section_ids(submitted).values()}
    data.update(overall_grade=RI, notes="Outcomes are not measurable")
    response = client.post(reverse("audits:audit-moderate", args=[submitted.pk]), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:audit-detail", args=[submitted.pk])
    moderation = Moderation.objects.get(audit=submitted)
    assert moderation.overall_grade == RI
    assert moderation.section_grades.count() == 4
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.MODERATED
    assert submitted.overall_grade == GOOD


def test_moderation_page_shows_errors(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    response = client.post(reverse("audits:audit-moderate", args=[submitted.pk]), {"overall_grade": GOOD})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Moderation.objects.exists()


# Level 1 audit of the school, assigned to its practitioner: who gets what.
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("practitioner", 403),  # the auditor: sees it, may not moderate it
        ("agency_manager", 403),  # manager of the owning agency: sees it
        ("other_agency_manager", 404),
        ("sat_caseworker", 404),
        ("board_member", 404),
        ("partnership_admin", 404),
        ("outsider_sqa", 404),
    ],
)
def test_moderation_page_access(client, request, submitted, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("audits:audit-moderate", args=[submitted.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"overall_grade": GOOD}).status_code == status
    assert not Moderation.objects.exists()


def test_level_2_audit_moderation_access(client, area, sqa_officer, sat_caseworker):
    audit = graded_audit(agency=area.sat, level=2, overall=GOOD, sections=ALL_GOOD)
    client.force_login(sat_caseworker)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 403
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 200


def test_a_non_submitted_audit_has_no_moderation_form(client, area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=GOOD, sections=ALL_GOOD, status=AuditStatus.IN_PROGRESS)
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, submitted):
    response = client.get(reverse("audits:audit-moderate", args=[submitted.pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


# --- the evidence beside the moderator's grades ------------------------------------------------------------


def with_answers(audit: Audit, answers: dict[str, tuple[str, str]]) -> Audit:
    """Record the auditor's answers (value, evidence) by question text, on a yes/partly/no scale."""
    version = audit.tool_version
    version.scale = [
        {"value": "2", "label": "Yes, fully", "score": 2},
        {"value": "1", "label": "Partly", "score": 1},
        {"value": "0", "label": "Not at all", "score": 0},
    ]
    version.save(update_fields=["scale"])
    for question in ToolQuestion.objects.filter(section__version=version):
        if question.text in answers:
            value, evidence = answers[question.text]
            AuditAnswer.objects.create(audit=audit, question=question, value=value, evidence=evidence)
    return audit


def test_moderation_page_shows_the_auditors_answers_evidence_grades_and_findings(
    client, submitted, sqa_officer
):
    with_answers(
        submitted,
        {
            "Are the child's views recorded in their own words?": (
                "2",
                "Quotes from Sam throughout section A",
            ),
            "Are needs described specifically?": ("1", "Speech needs vague"),
            "Is every need evidenced?": ("na", ""),
        },
    )
    AuditSectionResult.objects.filter(audit=submitted, section__code="E").update(
        computed_grade=GOOD, override_grade=RI, grade=RI, override_reason="Outcomes are not time-bound"
    )
    Audit.objects.filter(pk=submitted.pk).update(
        strengths="The child's voice is strong", areas_for_development="Quantify provision in F"
    )
    client.force_login(sqa_officer)

    html = client.get(reverse("audits:audit-moderate", args=[submitted.pk])).content.decode()

    # the answers in words, as the audit page gives them, with the evidence notes
    assert "<strong>Yes, fully</strong>" in html and "Quotes from Sam throughout section A" in html
    assert "<strong>Partly</strong>" in html and "Speech needs vague" in html
    assert "<strong>Not applicable</strong>" in html
    assert "<strong>Not answered</strong>" in html  # sections E and F have no answers
    # the section's grade, computed and overridden, with the reason
    assert "Computed from the answers: Good. The auditor changed it to Requires improvement: " in html
    assert "Outcomes are not time-bound" in html
    # the audit's findings
    assert "The child&#x27;s voice is strong" in html and "Quantify provision in F" in html
    # each section's evidence comes before that section's grade radios
    for code in "ABEF":
        section = ToolSection.objects.get(version=submitted.tool_version, code=code)
        heading = html.index(f"{code}. {section.title}</h2>")
        assert heading < html.index(f'name="section_{section.pk}"')
    assert html.index("Speech needs vague") < html.index(f'name="section_{section_ids(submitted)["B"]}"')


def test_moderation_page_stacks_evidence_and_grade_in_grid_columns(client, submitted, sqa_officer):
    """No table: each section is a GOV.UK grid row whose columns stack on a narrow screen."""
    client.force_login(sqa_officer)

    html = client.get(reverse("audits:audit-moderate", args=[submitted.pk])).content.decode()

    body = html[html.index("<main") :]
    assert "<table" not in body
    assert body.count('class="qaf-moderate-section') == 4


def test_moderation_page_query_count_does_not_grow_with_sections_and_answers(
    client, area, practitioner, sqa_officer, django_assert_max_num_queries
):
    small = graded_audit(agency=area.school, overall=GOOD, sections={"A": GOOD}, assignees=[practitioner])
    many_sections = [
        (f"S{i}", f"Section {i}", "1", [(f"Question {i}.{j}", "1") for j in range(4)]) for i in range(12)
    ]
    large = graded_audit(
        agency=area.school,
        overall=GOOD,
        sections={f"S{i}": GOOD for i in range(12)},
        tool_version=make_tool_version(area.partnership, sections=many_sections),
        assignees=[practitioner, member(area.school, Role.PRACTITIONER, username="second.auditor")],
    )
    with_answers(large, {f"Question {i}.{j}": ("1", f"Note {i}.{j}") for i in range(12) for j in range(4)})
    client.force_login(sqa_officer)

    def queries(audit: Audit) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 200
        return len(captured)

    few, many = queries(small), queries(large)

    assert few == many
    with django_assert_max_num_queries(20):
        client.get(reverse("audits:audit-moderate", args=[large.pk]))
