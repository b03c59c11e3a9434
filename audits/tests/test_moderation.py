"""Moderation: the service keeps both sets of grades; who may moderate; the moderation form; the agreement page
(figures by level, agency and term from fixtures, access, and a query count that does not grow)."""

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
    AuditEvent,
    AuditSectionResult,
    AuditStatus,
    AuditToolVersion,
    Moderation,
    ToolSection,
)
from audits.selectors.moderation import AgreementFilters, agreement_summary
from audits.services.moderation import audit_moderate
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.services import academic_year_create_default

O, G, R, I = "outstanding", "good", "requires_improvement", "inadequate"


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


ALL_GOOD = {"A": G, "B": G, "E": G, "F": G}


@pytest.fixture
def submitted(area, practitioner) -> Audit:
    return graded_audit(
        agency=area.school,
        overall=G,
        sections={"A": O, "B": G, "E": R, "F": G},
        assignees=[practitioner],
    )


# --- the service ---------------------------------------------------------------------------------------


def test_moderation_keeps_both_grades(submitted, sqa_officer):
    before = list(submitted.section_results.order_by("section__order").values_list("grade", "computed_grade"))
    moderation = moderate(submitted, sqa_officer, R, {"A": G, "B": G, "E": R, "F": I}, notes="F is vague")

    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.MODERATED
    assert submitted.moderated_at is not None
    # The auditor's grades are untouched ...
    assert submitted.overall_grade == G
    assert submitted.computed_grade == G
    assert (
        list(submitted.section_results.order_by("section__order").values_list("grade", "computed_grade"))
        == before
    )
    # ... and the moderator's are stored beside them.
    assert moderation.overall_grade == R
    assert moderation.notes == "F is vague"
    stored = {g.section.code: g.grade for g in moderation.section_grades.select_related("section")}
    assert stored == {"A": G, "B": G, "E": R, "F": I}
    event = AuditEvent.objects.get(audit=submitted, action="moderated")
    assert event.user == sqa_officer
    assert event.details["auditor_grade"] == G
    assert event.details["moderator_grade"] == R
    assert {
        s["section"].split()[0]: (s["auditor_grade"], s["moderator_grade"]) for s in event.details["sections"]
    } == {
        "A": (O, G),
        "B": (G, G),
        "E": (R, R),
        "F": (G, I),
    }


@pytest.mark.parametrize("persona", ["practitioner", "agency_manager", "board_member", "outsider_sqa"])
def test_only_the_sqa_service_can_moderate(request, submitted, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        moderate(submitted, user, G, ALL_GOOD)
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.SUBMITTED
    assert not Moderation.objects.exists()


def test_an_sqa_officer_cannot_moderate_an_audit_they_completed(area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=G, sections=ALL_GOOD, assignees=[sqa_officer])
    with pytest.raises(PermissionDenied):
        moderate(audit, sqa_officer, G, ALL_GOOD)


@pytest.mark.parametrize(
    "status", [AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS, AuditStatus.MODERATED, AuditStatus.CLOSED]
)
def test_only_a_submitted_audit_can_be_moderated(area, sqa_officer, status):
    audit = graded_audit(agency=area.school, overall=G, sections=ALL_GOOD, status=status)
    with pytest.raises(ValidationError) as error:
        moderate(audit, sqa_officer, G, ALL_GOOD)
    assert "status" in error.value.message_dict
    assert not Moderation.objects.exists()


def test_every_section_the_auditor_graded_needs_a_grade(submitted, sqa_officer):
    with pytest.raises(ValidationError) as error:
        moderate(submitted, sqa_officer, G, {"A": G, "B": G, "E": G})
    assert "section_grades" in error.value.message_dict
    assert "F" in error.value.message_dict["section_grades"][0]


def test_a_section_the_auditor_could_not_grade_may_be_left(area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=G, sections={"A": G, "B": G, "E": G})
    moderation = moderate(audit, sqa_officer, G, {"A": G, "B": G, "E": G})
    assert moderation.section_grades.count() == 3


@pytest.mark.parametrize(
    ("overall", "sections", "field"),
    [
        ("", ALL_GOOD, "overall_grade"),
        ("excellent", ALL_GOOD, "overall_grade"),
        (G, {**ALL_GOOD, "F": "excellent"}, "section_grades"),
    ],
)
def test_grades_must_be_the_four_grades(submitted, sqa_officer, overall, sections, field):
    with pytest.raises(ValidationError) as error:
        moderate(submitted, sqa_officer, overall, sections)
    assert field in error.value.message_dict


def test_sections_must_belong_to_the_audits_tool(submitted, sqa_officer, area):
    other = make_tool_version(area.partnership)
    foreign = other.sections.first().pk
    grades = {pk: G for pk in section_ids(submitted).values()}
    with pytest.raises(ValidationError) as error:
        audit_moderate(
            audit=submitted, moderator=sqa_officer, overall_grade=G, section_grades={**grades, foreign: G}
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
    data = {f"section_{pk}": R for pk in section_ids(submitted).values()}
    data.update(overall_grade=R, notes="Outcomes are not measurable")
    response = client.post(reverse("audits:audit-moderate", args=[submitted.pk]), data)
    assert response.status_code == 302
    moderation = Moderation.objects.get(audit=submitted)
    assert moderation.overall_grade == R
    assert moderation.section_grades.count() == 4
    submitted.refresh_from_db()
    assert submitted.status == AuditStatus.MODERATED
    assert submitted.overall_grade == G


def test_moderation_page_shows_errors(client, submitted, sqa_officer):
    client.force_login(sqa_officer)
    response = client.post(reverse("audits:audit-moderate", args=[submitted.pk]), {"overall_grade": G})
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
    assert client.post(url, {"overall_grade": G}).status_code == status
    assert not Moderation.objects.exists()


def test_level_2_audit_moderation_access(client, area, sqa_officer, sat_caseworker):
    audit = graded_audit(agency=area.sat, level=2, overall=G, sections=ALL_GOOD)
    client.force_login(sat_caseworker)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 403
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 200


def test_a_non_submitted_audit_has_no_moderation_form(client, area, sqa_officer):
    audit = graded_audit(agency=area.school, overall=G, sections=ALL_GOOD, status=AuditStatus.IN_PROGRESS)
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-moderate", args=[audit.pk])).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, submitted):
    response = client.get(reverse("audits:audit-moderate", args=[submitted.pk]))
    assert response.status_code == 302
    assert "/accounts/" in response["Location"]


# --- agreement -----------------------------------------------------------------------------------------


@pytest.fixture
def moderated_set(area, other_area, sqa_officer, outsider_sqa):
    """Five moderated audits in 2025/26, one in 2024/25, and audits that must not count.

    2025/26, overall (auditor, moderator):
      school L1 autumn  (G, G)   school L1 autumn (G, R)   health L1 spring (R, R)
      SAT L2 spring     (O, G)   SAT L2 summer    (I, I)
    Sections of the three L1 audits (auditor -> moderator): E disagrees in 2 of 3, B in 1 of 3.
    """
    for start_year in (2024, 2025):
        academic_year_create_default(partnership=area.partnership, start_year=start_year)
    l1_tool = make_tool_version(area.partnership)
    l2_tool = make_tool_version(area.partnership, levels=(2,))

    def done(agency, level, tool, day, auditor, moderator, sections_a, sections_m):
        audit = graded_audit(
            agency=agency,
            level=level,
            tool_version=tool,
            overall=auditor,
            sections=sections_a,
            submitted_on=day,
        )
        moderate(audit, sqa_officer, moderator, sections_m)
        return audit

    audits = [
        done(area.school, 1, l1_tool, dt.date(2025, 10, 10), G, G, ALL_GOOD, {**ALL_GOOD, "E": R}),
        done(area.school, 1, l1_tool, dt.date(2025, 11, 20), G, R, ALL_GOOD, {**ALL_GOOD, "B": R, "E": R}),
        done(area.health, 1, l1_tool, dt.date(2026, 2, 2), R, R, ALL_GOOD, ALL_GOOD),
        done(area.sat, 2, l2_tool, dt.date(2026, 3, 3), O, G, ALL_GOOD, ALL_GOOD),
        done(area.sat, 2, l2_tool, dt.date(2026, 5, 5), I, I, ALL_GOOD, ALL_GOOD),
        # 2024/25, summer term
        done(area.school, 1, l1_tool, dt.date(2025, 6, 1), O, I, ALL_GOOD, ALL_GOOD),
    ]
    # Not counted: submitted but not moderated; moderated then reopened; another partnership's.
    graded_audit(agency=area.school, overall=G, sections=ALL_GOOD, submitted_on=dt.date(2025, 10, 1))
    reopened = done(area.school, 1, l1_tool, dt.date(2025, 10, 2), G, I, ALL_GOOD, ALL_GOOD)
    Audit.objects.filter(pk=reopened.pk).update(status=AuditStatus.IN_PROGRESS)
    elsewhere = graded_audit(agency=other_area.school, overall=G, sections=ALL_GOOD)
    moderate(elsewhere, outsider_sqa, I, ALL_GOOD)
    return audits


def by_label(groups) -> dict[str, tuple[int, float | None, float | None]]:
    return {g.label: (g.figures.n, g.figures.percent, g.figures.kappa) for g in groups}


def test_agreement_by_level_agency_and_term(area, moderated_set):
    year = area.partnership.academic_years.get(start_year=2025)
    summary = agreement_summary(
        partnership_id=area.partnership.pk, filters=AgreementFilters(academic_year_id=year.pk)
    )
    # Overall: 5 pairs, 3 agree. Auditor G2 R1 O1 I1, moderator G2 R2 I1:
    # p_e = (2*2 + 1*2 + 0 + 1*1) / 25 = 7/25, kappa = (15/25 - 7/25) / (18/25) = 4/9
    assert summary.overall.n == 5
    assert summary.overall.percent == pytest.approx(60.0)
    assert summary.overall.kappa == pytest.approx(4 / 9)
    assert summary.period == "Academic year 2025/26"

    # Level 1: (G,G) (G,R) (R,R): p_o 2/3, p_e (2*1 + 1*2)/9 = 4/9, kappa 2/5.
    # Level 2: (O,G) (I,I): p_o 1/2, p_e 1/4, kappa 1/3.
    levels = by_label(summary.by_level)
    assert levels == {
        "Level 1: single-agency audit": (3, pytest.approx(200 / 3), pytest.approx(0.4)),
        "Level 2: statutory assessment team audit": (2, 50.0, pytest.approx(1 / 3)),
    }
    assert [g.label for g in summary.by_level][0].startswith("Level 1")

    # School (G,G) (G,R): p_e = 2*1/4 = 1/2, kappa 0. Health one pair (R,R): p_e = 1, kappa 1. SAT as level 2.
    agencies = by_label(summary.by_agency)
    assert agencies == {
        area.school.name: (2, 50.0, pytest.approx(0.0)),
        area.health.name: (1, 100.0, 1.0),
        area.sat.name: (2, 50.0, pytest.approx(1 / 3)),
    }

    # Terms, by submission date: autumn the two school audits; spring (R,R) (O,G): kappa 1/3; summer (I,I).
    terms = summary.by_term
    assert [g.label for g in terms] == [
        "Autumn term 2025/26",
        "Spring term 2025/26",
        "Summer term 2025/26",
    ]
    assert by_label(terms) == {
        "Autumn term 2025/26": (2, 50.0, pytest.approx(0.0)),
        "Spring term 2025/26": (2, 50.0, pytest.approx(1 / 3)),
        "Summer term 2025/26": (1, 100.0, 1.0),
    }


def test_sections_with_most_disagreement_come_first(area, moderated_set):
    year = area.partnership.academic_years.get(start_year=2025)
    summary = agreement_summary(
        partnership_id=area.partnership.pk, filters=AgreementFilters(academic_year_id=year.pk)
    )
    l1 = [s for s in summary.sections if s.n == 3]  # the Level 1 tool: three moderated audits this year
    assert [(s.code, s.disagreed) for s in l1] == [("E", 2), ("B", 1), ("A", 0), ("F", 0)]
    top = summary.sections[0]
    assert (top.code, top.n, top.disagreed) == ("E", 3, 2)
    assert top.percent_disagreement == pytest.approx(200 / 3)
    # The auditors said Good (3) where moderators said Requires improvement (2), twice: +2/3 on average.
    assert top.mean_difference == pytest.approx(2 / 3)
    assert all(s.percent_disagreement == 0 for s in summary.sections[2:])


def test_agreement_filters_by_term_and_year(area, moderated_set):
    partnership = area.partnership
    autumn = partnership.academic_years.get(start_year=2025).terms.get(number=1)
    summary = agreement_summary(partnership_id=partnership.pk, filters=AgreementFilters(term_id=autumn.pk))
    assert summary.overall.n == 2
    assert summary.period == "Autumn term 2025/26"
    last_year = partnership.academic_years.get(start_year=2024)
    summary = agreement_summary(
        partnership_id=partnership.pk, filters=AgreementFilters(academic_year_id=last_year.pk)
    )
    assert summary.overall.n == 1
    assert by_label(summary.by_term) == {"Summer term 2024/25": (1, 0.0, pytest.approx(0.0))}
    everything = agreement_summary(partnership_id=partnership.pk)
    assert everything.overall.n == 6


def test_agreement_with_nothing_moderated(area):
    summary = agreement_summary(partnership_id=area.partnership.pk)
    assert summary.overall.n == 0
    assert summary.overall.kappa is None
    assert summary.by_level == [] and summary.sections == []


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("board_member", 200),
        ("agency_manager", 403),
        ("other_agency_manager", 403),
        ("practitioner", 403),
        ("sat_caseworker", 403),
        ("partnership_admin", 403),
    ],
)
def test_agreement_page_access(client, request, area, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("audits:moderation")).status_code == status


def test_agreement_page_shows_the_figures_and_no_children(client, area, board_member, moderated_set):
    child = ChildFactory(partnership=area.partnership, case_reference="NCC-SECRET")
    Audit.objects.filter(pk=moderated_set[0].pk).update(child=child)
    year = area.partnership.academic_years.get(start_year=2025)
    client.force_login(board_member)
    response = client.get(reverse("audits:moderation"), {"academic_year": year.pk})
    assert response.status_code == 200
    html = response.content.decode()
    assert "60%" in html  # overall agreement
    assert "0.44" in html and "moderate" in html  # kappa 4/9 and its band
    assert "Autumn term 2025/26" in html
    assert area.health.name in html
    assert "NCC-SECRET" not in html


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_agreement_page_queries_do_not_grow(client, area, sqa_officer, moderated_set):
    client.force_login(sqa_officer)
    url = reverse("audits:moderation")
    few = _page_queries(client, url)
    tool = make_tool_version(area.partnership)
    for n in range(12):
        agency = (area.school, area.health, area.social_care)[n % 3]
        audit = graded_audit(
            agency=agency, tool_version=tool, overall=G, sections=ALL_GOOD, submitted_on=dt.date(2026, 1, 10)
        )
        moderate(audit, sqa_officer, (G, R)[n % 2], ALL_GOOD)
    many = _page_queries(client, url)
    assert many == few
    assert many <= 12
