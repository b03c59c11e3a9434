"""Percentage agreement and Cohen's kappa (unweighted and linearly weighted), checked against hand-worked
examples written out below and against published ones; then the agreement of moderated audits by level,
agency and term from fixtures, the agreement page's access and its query count."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.agreement import (
    agreement,
    cohen_kappa,
    kappa_band,
    percentage_agreement,
    weighted_kappa,
)
from audits.models import Audit, AuditStatus, Moderation
from audits.selectors.moderation import AgreementFilters, agreement_summary
from audits.tests.factories import make_tool_version
from audits.tests.test_moderation import ALL_GOOD, at, graded_audit, moderate
from ehcp.tests.factories import ChildFactory
from qaf.services import academic_year_create_default

OUT, GOOD, RI, INAD = "outstanding", "good", "requires_improvement", "inadequate"


def close(value: float | None, exact: Fraction) -> bool:
    return value is not None and value == pytest.approx(float(exact), abs=1e-12)


# In the worked examples O is Outstanding, G Good, R Requires improvement, I Inadequate.
#
# Ten audits graded by an auditor (first) and a moderator (second):
#
#   1 O O   2 G G   3 G G   4 G R   5 R R   6 R R   7 R G   8 I I   9 G G   10 O G
#
# Agreed: 1, 2, 3, 5, 6, 8, 9 -> p_o = 7/10 = 0.7
# Auditor's counts:   O 2, G 4, R 3, I 1
# Moderator's counts: O 1, G 5, R 3, I 1
# p_e = (2*1 + 4*5 + 3*3 + 1*1) / 10^2 = 32/100 = 0.32
# kappa = (0.7 - 0.32) / (1 - 0.32) = 0.38 / 0.68 = 19/34 = 0.5588... ("moderate")
#
# Linear weights over the 4 grades, w = 1 - |i - j| / 3: same grade 1, one step 2/3, two 1/3, three 0.
# Observed: 7 agreements (w 1) and 3 one-step misses (4, 7, 10: w 2/3) -> p_o(w) = (7 + 3 * 2/3) / 10 = 9/10
# Expected, sum of auditor count * moderator count * weight over all 16 cells, / 100:
#   O-O 2*1*1 = 2    O-G 2*5*2/3 = 20/3  O-R 2*3*1/3 = 2    O-I 2*1*0 = 0
#   G-O 4*1*2/3 = 8/3  G-G 4*5*1 = 20  G-R 4*3*2/3 = 8      G-I 4*1*1/3 = 4/3
#   R-O 3*1*1/3 = 1  R-G 3*5*2/3 = 10    R-R 3*3*1 = 9      R-I 3*1*2/3 = 2
#   I-O 1*1*0 = 0    I-G 1*5*1/3 = 5/3   I-R 1*3*2/3 = 2    I-I 1*1*1 = 1
#   whole numbers 57, thirds 37/3 -> 208/3; p_e(w) = 208/300 = 52/75
# weighted kappa = (9/10 - 52/75) / (1 - 52/75) = (31/150) / (23/75) = 31/46 = 0.6739...
TEN_PAIRS = [
    (OUT, OUT),
    (GOOD, GOOD),
    (GOOD, GOOD),
    (GOOD, RI),
    (RI, RI),
    (RI, RI),
    (RI, GOOD),
    (INAD, INAD),
    (GOOD, GOOD),
    (OUT, GOOD),
]


def test_hand_worked_ten_pairs():
    figures = agreement(TEN_PAIRS)
    assert figures.n == 10
    assert figures.agreed == 7
    assert figures.percent == pytest.approx(70.0)
    assert close(figures.kappa, Fraction(19, 34))
    assert close(figures.weighted_kappa, Fraction(31, 46))
    assert figures.band == "moderate"


# A small weighted case, four pairs: (G, G) (G, R) (R, R) (I, R)
# p_o(w) = (1 + 2/3 + 1 + 2/3) / 4 = 5/6
# Auditor: G 2, R 1, I 1; moderator: G 1, R 3
# p_e(w) = (G-G 2*1*1 + G-R 2*3*2/3 + R-G 1*1*2/3 + R-R 1*3*1 + I-G 1*1*1/3 + I-R 1*3*2/3) / 16
#        = (2 + 4 + 2/3 + 3 + 1/3 + 2) / 16 = 12/16 = 3/4
# weighted kappa = (5/6 - 3/4) / (1 - 3/4) = (1/12) / (3/12) = 1/3
# Unweighted: p_o = 2/4; p_e = (G 2*1 + R 1*3 + I 1*0) / 16 = 5/16; kappa = (8/16 - 5/16) / (11/16) = 3/11
FOUR_PAIRS = [(GOOD, GOOD), (GOOD, RI), (RI, RI), (INAD, RI)]


def test_hand_worked_weighted_small_case():
    assert close(weighted_kappa(FOUR_PAIRS), Fraction(1, 3))
    assert close(cohen_kappa(FOUR_PAIRS), Fraction(3, 11))
    assert percentage_agreement(FOUR_PAIRS) == pytest.approx(50.0)


def table(both_yes: int, first_only: int, second_only: int, both_no: int) -> list[tuple[str, str]]:
    """A 2x2 table as pairs (first rater, second rater)."""
    return (
        [("yes", "yes")] * both_yes
        + [("yes", "no")] * first_only
        + [("no", "yes")] * second_only
        + [("no", "no")] * both_no
    )


YES_NO = ("yes", "no")


def test_published_example_grant_proposals():
    # Wikipedia, "Cohen's kappa", worked example: 50 grant proposals read by two readers, 20 yes/yes,
    # 5 yes/no, 10 no/yes, 15 no/no. p_o = 35/50 = 0.7; reader A says yes 25/50, reader B 30/50;
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    pairs = table(20, 5, 10, 15)
    assert close(cohen_kappa(pairs, YES_NO), Fraction(2, 5))
    assert percentage_agreement(pairs, YES_NO) == pytest.approx(70.0)
    # With two categories the linear weights are 1 and 0, so weighted kappa is the same figure.
    assert close(weighted_kappa(pairs, YES_NO), Fraction(2, 5))


def test_published_example_same_agreement_different_kappa():
    # Wikipedia, "Cohen's kappa": two tables that both agree on 60 of 100 cases.
    # 45/15/25/15: p_e = 0.6*0.7 + 0.4*0.3 = 0.54, kappa = 0.06/0.46 = 3/23 (0.1304)
    # 25/35/5/35:  p_e = 0.6*0.3 + 0.4*0.7 = 0.46, kappa = 0.14/0.54 = 7/27 (0.2593)
    assert close(cohen_kappa(table(45, 15, 25, 15), YES_NO), Fraction(3, 23))
    assert close(cohen_kappa(table(25, 35, 5, 35), YES_NO), Fraction(7, 27))


def test_no_pairs_gives_no_figures():
    figures = agreement([])
    assert figures.n == 0
    assert figures.percent is None
    assert figures.kappa is None
    assert figures.weighted_kappa is None
    assert figures.band == ""


def test_one_category_only_is_complete_agreement():
    # p_e = 1: the formula is 0/0; defined as agreement.
    assert cohen_kappa([(GOOD, GOOD)] * 5) == 1.0
    assert weighted_kappa([(GOOD, GOOD)] * 5) == 1.0
    assert cohen_kappa([(GOOD, GOOD)]) == 1.0


def test_perfect_agreement_over_several_grades():
    pairs = [(OUT, OUT), (GOOD, GOOD), (RI, RI), (INAD, INAD), (GOOD, GOOD)]
    assert cohen_kappa(pairs) == pytest.approx(1.0)
    assert weighted_kappa(pairs) == pytest.approx(1.0)
    assert percentage_agreement(pairs) == 100.0


def test_opposite_extremes_give_minus_one():
    # p_o = 0; p_e = (1*1 + 1*1) / 4 = 1/2 -> kappa = -1; the weights of O against I are 0 -> also -1.
    pairs = [(OUT, INAD), (INAD, OUT)]
    assert cohen_kappa(pairs) == pytest.approx(-1.0)
    assert weighted_kappa(pairs) == pytest.approx(-1.0)
    assert kappa_band(-1.0) == "poor"


def test_near_misses_count_for_weighted_kappa_only():
    one_step = [(OUT, GOOD), (GOOD, RI), (RI, INAD), (INAD, RI), (GOOD, OUT), (RI, GOOD)]
    three_steps = [(OUT, INAD), (GOOD, INAD), (RI, OUT), (INAD, OUT), (GOOD, INAD), (RI, OUT)]
    assert cohen_kappa(one_step) < 0 and cohen_kappa(three_steps) < 0
    assert weighted_kappa(one_step) > weighted_kappa(three_steps)


def test_unknown_grade_is_refused():
    with pytest.raises(ValueError):
        cohen_kappa([(GOOD, "excellent")])
    with pytest.raises(ValueError):
        agreement([("", GOOD)])


@pytest.mark.parametrize(
    ("kappa", "band"),
    [
        (-0.01, "poor"),
        (0.0, "slight"),
        (0.20, "slight"),
        (0.21, "fair"),
        (0.40, "fair"),
        (0.41, "moderate"),
        (0.60, "moderate"),
        (0.61, "substantial"),
        (0.80, "substantial"),
        (0.81, "almost perfect"),
        (1.0, "almost perfect"),
        (None, ""),
    ],
)
def test_landis_koch_bands(kappa, band):
    assert kappa_band(kappa) == band


# --- agreement of moderated audits: figures from fixtures, the page, its queries -----------------------------------------------------------------------------------------


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
        done(area.school, 1, l1_tool, dt.date(2025, 10, 10), GOOD, GOOD, ALL_GOOD, {**ALL_GOOD, "E": RI}),
        done(
            area.school, 1, l1_tool, dt.date(2025, 11, 20), GOOD, RI, ALL_GOOD, {**ALL_GOOD, "B": RI, "E": RI}
        ),
        done(area.health, 1, l1_tool, dt.date(2026, 2, 2), RI, RI, ALL_GOOD, ALL_GOOD),
        done(area.sat, 2, l2_tool, dt.date(2026, 3, 3), OUT, GOOD, ALL_GOOD, ALL_GOOD),
        done(area.sat, 2, l2_tool, dt.date(2026, 5, 5), INAD, INAD, ALL_GOOD, ALL_GOOD),
        # 2024/25, summer term
        done(area.school, 1, l1_tool, dt.date(2025, 6, 1), OUT, INAD, ALL_GOOD, ALL_GOOD),
    ]
    # Not counted: submitted but not moderated; moderated then reopened; another partnership's.
    graded_audit(agency=area.school, overall=GOOD, sections=ALL_GOOD, submitted_on=dt.date(2025, 10, 1))
    reopened = done(area.school, 1, l1_tool, dt.date(2025, 10, 2), GOOD, INAD, ALL_GOOD, ALL_GOOD)
    Audit.objects.filter(pk=reopened.pk).update(status=AuditStatus.IN_PROGRESS)
    elsewhere = graded_audit(agency=other_area.school, overall=GOOD, sections=ALL_GOOD)
    moderate(elsewhere, outsider_sqa, INAD, ALL_GOOD)
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


def test_a_moderation_older_than_the_last_submission_does_not_count(area, sqa_officer):
    # Moderated, then reopened, regraded, resubmitted and closed without moderating again.
    audit = graded_audit(
        agency=area.school, overall=GOOD, sections=ALL_GOOD, submitted_on=dt.date(2025, 10, 1)
    )
    moderation = moderate(audit, sqa_officer, INAD, ALL_GOOD)
    Moderation.objects.filter(pk=moderation.pk).update(created_at=at(dt.date(2025, 10, 5)))
    assert agreement_summary(partnership_id=area.partnership.pk).overall.n == 1
    Audit.objects.filter(pk=audit.pk).update(status=AuditStatus.CLOSED, submitted_at=at(dt.date(2025, 11, 1)))
    summary = agreement_summary(partnership_id=area.partnership.pk)
    assert summary.overall.n == 0
    assert summary.sections == []


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
    autumn = year.terms.get(number=1)
    response = client.get(reverse("audits:moderation"), {"term": autumn.pk})
    assert response.context["summary"].overall.n == 2
    assert response.context["summary"].period == "Autumn term 2025/26"


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
            agency=agency,
            tool_version=tool,
            overall=GOOD,
            sections=ALL_GOOD,
            submitted_on=dt.date(2026, 1, 10),
        )
        moderate(audit, sqa_officer, (GOOD, RI)[n % 2], ALL_GOOD)
    many = _page_queries(client, url)
    assert many == few
    assert many <= 12
