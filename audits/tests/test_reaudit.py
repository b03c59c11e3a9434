"""Re-audits: linking one to the audit it re-audits, the section-by-section comparison across tool versions,
and who may see the comparison page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audits.models import AuditEvent, AuditStatus
from audits.selectors.reaudit import comparison_rows, overall_row, reaudit_candidates
from audits.services.moderation import audit_reaudit_link
from audits.tests.factories import make_tool_version
from audits.tests.test_moderation import GOOD, INAD, OUT, RI, graded_audit
from ehcp.tests.factories import ChildFactory

# Version 2 of the plan audit tool renames B, drops F, adds G, and adds an uncoded section that version 1
# also has under the same title (in another case).
V1_SECTIONS = [
    ("A", "Views, interests and aspirations", "1", [("Views in their own words?", "1")]),
    ("B", "Special educational needs", "1", [("Needs specific?", "1")]),
    ("E", "Outcomes", "1", [("Outcomes measurable?", "1")]),
    ("F", "Educational provision", "1", [("Provision quantified?", "1")]),
    ("", "Timeliness", "1", [("Issued within 20 weeks?", "1")]),
]
V2_SECTIONS = [
    ("A", "Views, interests and aspirations", "1", [("Views in their own words?", "1")]),
    ("B", "Special educational needs and evidence", "1", [("Needs specific and evidenced?", "1")]),
    ("E", "Outcomes", "1", [("Outcomes SMART?", "1")]),
    ("G", "Health provision", "1", [("Health provision specified?", "1")]),
    ("", "timeliness", "1", [("Issued within 20 weeks?", "1")]),
]


@pytest.fixture
def child(area):
    return ChildFactory(partnership=area.partnership, agencies=[area.school])


@pytest.fixture
def versions(area):
    v1 = make_tool_version(area.partnership, sections=V1_SECTIONS)
    v2 = make_tool_version(area.partnership, sections=V2_SECTIONS, tool=v1.tool)
    return v1, v2


@pytest.fixture
def earlier(area, child, versions):
    return graded_audit(
        agency=area.school,
        child=child,
        tool_version=versions[0],
        overall=RI,
        sections={"A": GOOD, "B": RI, "E": INAD, "F": RI, "": RI},
        status=AuditStatus.CLOSED,
        submitted_on=dt.date(2025, 10, 1),
    )


@pytest.fixture
def later(area, child, versions):
    return graded_audit(
        agency=area.school,
        child=child,
        tool_version=versions[1],
        overall=GOOD,
        sections={"A": GOOD, "B": GOOD, "E": RI, "G": OUT, "": INAD},
        submitted_on=dt.date(2026, 3, 1),
    )


# --- linking ---------------------------------------------------------------------------------------------


def test_link_records_the_reaudit_and_history(earlier, later, sqa_officer):
    audit_reaudit_link(audit=later, earlier=earlier, by=sqa_officer)
    later.refresh_from_db()
    assert later.reaudit_of == earlier
    event = AuditEvent.objects.get(audit=later, kind="reaudit_linked")
    assert event.user == sqa_officer
    assert event.details == {"earlier_audit_id": earlier.pk, "previous_audit_id": None}


def test_link_may_point_at_an_audit_while_the_reaudit_is_still_open(area, child, earlier, sqa_officer):
    scheduled = graded_audit(
        agency=area.school, child=child, overall="", status=AuditStatus.SCHEDULED, submitted_on=None
    )
    audit_reaudit_link(audit=scheduled, earlier=earlier, by=sqa_officer)
    scheduled.refresh_from_db()
    assert scheduled.reaudit_of_id == earlier.pk


def test_link_needs_the_same_child(area, later, sqa_officer):
    other = graded_audit(
        agency=area.school,
        child=ChildFactory(partnership=area.partnership),
        overall=GOOD,
        submitted_on=dt.date(2025, 9, 20),
    )
    with pytest.raises(ValidationError) as error:
        audit_reaudit_link(audit=later, earlier=other, by=sqa_officer)
    assert "earlier" in error.value.message_dict
    later.refresh_from_db()
    assert later.reaudit_of_id is None


def test_link_needs_an_earlier_submitted_audit(area, child, earlier, later, sqa_officer):
    unsubmitted = graded_audit(
        agency=area.school, child=child, overall="", status=AuditStatus.IN_PROGRESS, submitted_on=None
    )
    for audit, candidate in ((later, unsubmitted), (earlier, later), (later, later)):
        with pytest.raises(ValidationError):
            audit_reaudit_link(audit=audit, earlier=candidate, by=sqa_officer)
    assert not AuditEvent.objects.filter(kind="reaudit_linked").exists()


def test_link_refuses_a_loop(earlier, later, sqa_officer):
    # Inconsistent data (say, left by a reopened audit): the earlier audit already re-audits the later one.
    earlier.reaudit_of = later
    earlier.save(update_fields=["reaudit_of"])
    with pytest.raises(ValidationError):
        audit_reaudit_link(audit=later, earlier=earlier, by=sqa_officer)


@pytest.mark.parametrize("persona", ["agency_manager", "practitioner", "board_member", "outsider_sqa"])
def test_only_the_sqa_service_links_reaudits(request, earlier, later, persona):
    with pytest.raises(PermissionDenied):
        audit_reaudit_link(audit=later, earlier=earlier, by=request.getfixturevalue(persona))


def test_candidates_are_the_childs_earlier_submitted_audits(area, child, earlier, later, sqa_officer):
    graded_audit(agency=area.school, overall=GOOD, submitted_on=dt.date(2025, 9, 1))  # another child
    newer = graded_audit(agency=area.school, child=child, overall=GOOD, submitted_on=dt.date(2026, 6, 1))
    assert list(reaudit_candidates(sqa_officer, later)) == [earlier]
    assert list(reaudit_candidates(sqa_officer, newer)) == [later, earlier]


# --- the comparison --------------------------------------------------------------------------------------


def test_rows_match_sections_across_tool_versions(earlier, later):
    rows = comparison_rows(earlier, later)
    assert [(r.code, r.title, r.earlier_grade, r.later_grade, r.change) for r in rows] == [
        ("A", "Views, interests and aspirations", GOOD, GOOD, "No change"),
        ("B", "Special educational needs and evidence", RI, GOOD, "Improved"),  # matched by code, renamed
        ("E", "Outcomes", INAD, RI, "Improved"),
        ("G", "Health provision", "", OUT, ""),  # new in version 2
        ("", "timeliness", RI, INAD, "Declined"),  # no code: matched by title, ignoring case
        ("F", "Educational provision", RI, "", ""),  # dropped from version 2
    ]
    assert [(r.in_earlier, r.in_later) for r in rows][3:] == [(False, True), (True, True), (True, False)]
    overall = overall_row(earlier, later)
    assert (overall.earlier_grade, overall.later_grade, overall.change) == (RI, GOOD, "Improved")


def test_rows_with_one_tool_version(area, child, versions):
    first = graded_audit(
        agency=area.school, child=child, tool_version=versions[0], overall=GOOD, sections={"A": OUT}
    )
    second = graded_audit(
        agency=area.school,
        child=child,
        tool_version=versions[0],
        overall=GOOD,
        sections={"A": GOOD, "F": GOOD},
    )
    rows = {
        r.code or r.title: (r.earlier_grade, r.later_grade, r.change) for r in comparison_rows(first, second)
    }
    assert rows == {
        "A": (OUT, GOOD, "Declined"),
        "B": ("", "", ""),
        "E": ("", "", ""),
        "F": ("", GOOD, ""),
        "Timeliness": ("", "", ""),
    }


@pytest.fixture
def linked(earlier, later):
    later.reaudit_of = earlier
    later.save(update_fields=["reaudit_of"])
    return earlier, later


def test_compare_page_shows_both_audits_side_by_side(client, linked, sqa_officer):
    earlier, later = linked
    client.force_login(sqa_officer)
    for pk in (later.pk, earlier.pk):  # from the re-audit, and from the audit it re-audits
        response = client.get(reverse("audits:audit-compare", args=[pk]))
        assert response.status_code == 200
        assert response.context["earlier"] == earlier
        assert response.context["later"] == later
        html = response.content.decode()
        assert "Special educational needs and evidence" in html
        assert "Improved" in html and "Declined" in html
        assert "version 1" in html and "version 2" in html


def test_compare_page_needs_a_reaudit(client, earlier, sqa_officer):
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-compare", args=[earlier.pk])).status_code == 404


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("agency_manager", 200),  # manages the school: sees both Level 1 audits
        ("practitioner", 404),  # assigned to neither
        ("other_agency_manager", 404),
        ("sat_caseworker", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
    ],
)
def test_compare_page_access(client, request, linked, persona, status):
    client.force_login(request.getfixturevalue(persona))
    for audit in linked:
        assert client.get(reverse("audits:audit-compare", args=[audit.pk])).status_code == status


def test_compare_page_needs_both_audits_visible(client, area, child, earlier, sat_caseworker, agency_manager):
    # A Level 2 re-audit of a Level 1 audit: the SAT sees only the re-audit, the school manager only the first.
    reaudit = graded_audit(
        agency=area.sat, level=2, child=child, overall=GOOD, submitted_on=dt.date(2026, 4, 1)
    )
    reaudit.reaudit_of = earlier
    reaudit.save(update_fields=["reaudit_of"])
    for user in (sat_caseworker, agency_manager):
        client.force_login(user)
        for audit in (earlier, reaudit):
            assert client.get(reverse("audits:audit-compare", args=[audit.pk])).status_code == 404


def test_compare_page_queries_do_not_grow_with_sections(client, area, child, sqa_officer):
    def pair(n_sections: int) -> int:
        sections = [(f"S{n}", f"Section {n}", "1", [("Question?", "1")]) for n in range(n_sections)]
        version = make_tool_version(area.partnership, sections=sections)
        grades = {f"S{n}": GOOD for n in range(n_sections)}
        first = graded_audit(
            agency=area.school, child=child, tool_version=version, overall=GOOD, sections=grades
        )
        second = graded_audit(
            agency=area.school,
            child=child,
            tool_version=version,
            overall=GOOD,
            sections=grades,
            submitted_on=dt.date(2026, 1, 5),
        )
        second.reaudit_of = first
        second.save(update_fields=["reaudit_of"])
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("audits:audit-compare", args=[second.pk])).status_code == 200
        return len(queries)

    client.force_login(sqa_officer)
    assert pair(2) == pair(11)


# --- the link page ---------------------------------------------------------------------------------------


def test_link_page_lists_candidates_and_saves(client, earlier, later, sqa_officer):
    client.force_login(sqa_officer)
    url = reverse("audits:audit-reaudit-link", args=[later.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert list(response.context["form"].fields["earlier"].queryset) == [earlier]
    response = client.post(url, {"earlier": earlier.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:audit-compare", args=[later.pk])
    later.refresh_from_db()
    assert later.reaudit_of_id == earlier.pk


def test_link_page_refuses_an_audit_of_another_child(client, area, later, sqa_officer):
    stranger = graded_audit(
        agency=area.school,
        child=ChildFactory(partnership=area.partnership),
        overall=GOOD,
        submitted_on=dt.date(2025, 9, 1),
    )
    client.force_login(sqa_officer)
    response = client.post(reverse("audits:audit-reaudit-link", args=[later.pk]), {"earlier": stranger.pk})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    later.refresh_from_db()
    assert later.reaudit_of_id is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("agency_manager", 403),
        ("practitioner", 404),
        ("other_agency_manager", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),
    ],
)
def test_link_page_access(client, request, earlier, later, persona, status):
    client.force_login(request.getfixturevalue(persona))
    url = reverse("audits:audit-reaudit-link", args=[later.pk])
    assert client.get(url).status_code == status
    assert client.post(url, {"earlier": earlier.pk}).status_code == status
    later.refresh_from_db()
    assert later.reaudit_of_id is None
