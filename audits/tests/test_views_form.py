"""The audit form pages: who may use them, what they show, saving, coming back, submitting, query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from guardian.shortcuts import assign_perm, remove_perm

from audits.models import AuditAnswer, AuditStatus, PanelMember, ToolQuestion, ToolVersionStatus
from audits.tests.factories import AuditFactory, make_tool_version
from ehcp.tests.factories import ChildFactory
from qaf.models import Role, Theme
from qaf.tests.factories import member


@pytest.fixture
def audit(area, practitioner):
    child = ChildFactory(partnership=area.partnership, case_reference="NCC-0042", agencies=[area.school])
    return AuditFactory(agency=area.school, child=child, assignees=[practitioner])


def _sections(audit):
    return list(audit.tool_version.sections.order_by("order", "pk"))


def _questions(section):
    return list(section.questions.order_by("order", "pk"))


def _routes(audit):
    first = _sections(audit)[0]
    return [
        reverse("audits:audit-form", args=[audit.pk]),
        reverse("audits:audit-form-section", args=[audit.pk, first.pk]),
        reverse("audits:audit-form-summary", args=[audit.pk]),
    ]


def _post_section(client, audit, section, values, *, next_="continue", evidence=None):
    data = {"next": next_}
    for question, value in zip(_questions(section), values, strict=True):
        data[f"answer_{question.pk}"] = value
        data[f"evidence_{question.pk}"] = (evidence or {}).get(question.pk, "")
    return client.post(reverse("audits:audit-form-section", args=[audit.pk, section.pk]), data)


def _approve_a_new_version(audit):
    """Retires the audit's tool version and approves a new one of the same tool, whose one section ("Voice of
    the child") asks about a one-page profile; returns the audit's own, now retired, version."""
    old = audit.tool_version
    old.status = ToolVersionStatus.RETIRED
    old.save()
    make_tool_version(
        old.tool.partnership,
        tool=old.tool,
        sections=[("A", "Voice of the child", "1", [("Is there a one-page profile?", "1")])],
    )
    return old


def _answer_everything(client, audit, value="3"):
    for section in _sections(audit):
        _post_section(client, audit, section, [value] * len(_questions(section)))


# --- who may use the form ------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [0, 1, 2])
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("practitioner", 200),  # the assignee
        ("agency_manager", 403),  # sees the school's Level 1 audits, is not assigned
        ("sqa_officer", 403),  # sees every audit, is not assigned
        ("other_agency_manager", 404),  # another agency's Level 1 audit
        ("sat_caseworker", 404),
        ("board_member", 404),
        ("outsider_sqa", 404),  # another partnership
    ],
)
def test_form_routes_by_persona(client, request, audit, route, method, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    url = _routes(audit)[route]
    response = getattr(client, method)(url, {"next": "later", "action": "save"} if method == "post" else None)
    if expected == 200 and method == "post":
        assert response.status_code in (200, 302)
    else:
        assert response.status_code == expected
    if expected != 200:
        audit.refresh_from_db()
        assert audit.status == AuditStatus.SCHEDULED
        assert not audit.events.exists()


def test_anonymous_users_are_sent_to_sign_in(client, audit):
    for url in _routes(audit):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_form_closes_when_submitted(client, audit, practitioner):
    audit.status = AuditStatus.SUBMITTED
    audit.save()
    client.force_login(practitioner)
    for url in _routes(audit):
        assert client.get(url).status_code == 403
    assert client.get(reverse("audits:audit-form-submitted", args=[audit.pk])).status_code == 200


def test_panel_member_uses_the_form_until_removed(client, area):
    health_worker = member(area.health, Role.PRACTITIONER, username="health.auditor")
    l3 = AuditFactory(agency=area.sqa, level=3)
    PanelMember.objects.create(audit=l3, user=health_worker, agency=area.health)
    assign_perm("audits.view_audit", health_worker, l3)
    client.force_login(health_worker)
    assert client.get(reverse("audits:audit-form", args=[l3.pk])).status_code == 200
    PanelMember.objects.filter(audit=l3, user=health_worker).delete()
    remove_perm("audits.view_audit", health_worker, l3)
    assert client.get(reverse("audits:audit-form", args=[l3.pk])).status_code == 404


def test_a_section_of_another_version_is_not_found(client, audit, practitioner, area):
    other = make_tool_version(area.partnership)
    client.force_login(practitioner)
    url = reverse("audits:audit-form-section", args=[audit.pk, other.sections.first().pk])
    assert client.get(url).status_code == 404


# --- the pages ------------------------------------------------------------------------------


def test_section_page_shows_questions_guidance_scale_and_evidence(client, audit, practitioner):
    section = _sections(audit)[1]  # B: two questions
    first, second = _questions(section)
    ToolQuestion.objects.filter(pk=second.pk).update(allow_not_applicable=False)
    client.force_login(practitioner)
    response = client.get(reverse("audits:audit-form-section", args=[audit.pk, section.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "B Special educational needs" in html
    assert "What good looks like" in html and "Good: are needs described specifically?" in html
    assert html.count('class="govuk-inset-text') == 2
    for value, label in (("4", "Outstanding"), ("1", "Inadequate")):
        assert f'name="answer_{first.pk}" type="radio" value="{value}"' in html
        assert label in html
    assert f'name="answer_{first.pk}" type="radio" value="na"' in html
    assert f'name="answer_{second.pk}" type="radio" value="na"' not in html
    assert f'name="evidence_{first.pk}"' in html and f'name="evidence_{second.pk}"' in html
    assert "Save and continue" in html and "Save and come back later" in html


def test_save_and_come_back_later_keeps_the_answers(client, audit, practitioner):
    section = _sections(audit)[1]
    first, second = _questions(section)
    client.force_login(practitioner)
    response = _post_section(
        client, audit, section, ["2", ""], next_="later", evidence={first.pk: "Needs copied from advice"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("audits:audit-form", args=[audit.pk])
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS

    task_list = client.get(response["Location"]).content.decode()
    assert (
        "In progress" in task_list and "Not started" in task_list and "1 of 2 questions answered" in task_list
    )

    html = client.get(reverse("audits:audit-form-section", args=[audit.pk, section.pk])).content.decode()
    assert f'name="answer_{first.pk}" type="radio" value="2" checked' in html
    assert "Needs copied from advice</textarea>" in html
    assert f'name="answer_{second.pk}" type="radio" value="4" checked' not in html


def test_save_and_continue_goes_to_the_next_section_then_the_summary(client, audit, practitioner):
    a, b, e, f = _sections(audit)
    client.force_login(practitioner)
    response = _post_section(client, audit, a, ["4"])
    assert response["Location"] == reverse("audits:audit-form-section", args=[audit.pk, b.pk])
    response = _post_section(client, audit, f, ["4"])
    assert response["Location"] == reverse("audits:audit-form-summary", args=[audit.pk])
    html = client.get(reverse("audits:audit-form", args=[audit.pk])).content.decode()
    assert html.count("Completed") == 2
    assert "Grade: Outstanding" in html


def test_a_value_off_the_scale_shows_an_error_and_saves_nothing(client, audit, practitioner):
    section = _sections(audit)[0]
    client.force_login(practitioner)
    response = _post_section(client, audit, section, ["7"])
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not AuditAnswer.objects.filter(audit=audit).exists()


def test_summary_override_without_reason_shows_an_error(client, audit, practitioner):
    client.force_login(practitioner)
    _post_section(client, audit, _sections(audit)[0], ["3"])
    url = reverse("audits:audit-form-summary", args=[audit.pk])
    response = client.post(url, {"action": "save", "override_grade": "outstanding", "override_reason": ""})
    assert response.status_code == 200
    assert "Give a reason for overriding the computed grade." in response.content.decode()
    audit.refresh_from_db()
    assert audit.override_grade == ""


def test_summary_saves_and_submit_confirms(client, audit, practitioner, area):
    theme = Theme.objects.create(partnership=area.partnership, name="Preparation for adulthood")
    client.force_login(practitioner)
    _answer_everything(client, audit, "3")
    url = reverse("audits:audit-form-summary", args=[audit.pk])
    page = client.get(url).content.decode()
    assert "Preparation for adulthood" in page and "Check your answers" in page and "Submit audit" in page
    a = _sections(audit)[0]
    response = client.post(
        url,
        {
            "action": "submit",
            "strengths": "Golden thread from B to F",
            "areas_for_development": "Health advice",
            "themes": [theme.pk],
            f"section_{a.pk}_grade": "requires_improvement",
            f"section_{a.pk}_reason": "Views are the parent's, not the child's",
            "override_grade": "",
            "override_reason": "",
        },
    )
    assert response["Location"] == reverse("audits:audit-form-submitted", args=[audit.pk])
    audit.refresh_from_db()
    assert audit.status == AuditStatus.SUBMITTED
    assert audit.overall_grade == "good"
    assert audit.strengths == "Golden thread from B to F"
    assert list(audit.themes.all()) == [theme]
    assert audit.section_results.get(section=a).grade == "requires_improvement"
    html = client.get(response["Location"]).content.decode()
    assert "govuk-panel--confirmation" in html and "Audit submitted" in html and "Good" in html


def test_submit_with_unanswered_questions_is_refused_but_the_summary_is_kept(client, audit, practitioner):
    client.force_login(practitioner)
    _post_section(client, audit, _sections(audit)[0], ["3"])
    url = reverse("audits:audit-form-summary", args=[audit.pk])
    response = client.post(url, {"action": "submit", "strengths": "Kept", "override_grade": ""})
    assert response.status_code == 200
    assert "Answer every question before submitting" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS
    assert audit.strengths == "Kept"


def test_all_not_applicable_cannot_be_submitted(client, audit, practitioner):
    client.force_login(practitioner)
    _answer_everything(client, audit, "na")
    response = client.post(reverse("audits:audit-form-summary", args=[audit.pk]), {"action": "submit"})
    assert "An audit with nothing to grade cannot be submitted" in response.content.decode()
    audit.refresh_from_db()
    assert audit.status == AuditStatus.IN_PROGRESS


def test_the_form_keeps_showing_its_own_version_after_a_new_one_is_approved(
    client, audit, practitioner, area
):
    client.force_login(practitioner)
    _post_section(client, audit, _sections(audit)[0], ["4"], evidence=None)
    old = _approve_a_new_version(audit)
    task_list = client.get(reverse("audits:audit-form", args=[audit.pk])).content.decode()
    assert f"version {old.number}<" in task_list
    assert "Voice of the child" not in task_list and "B Special educational needs" in task_list
    section = client.get(reverse("audits:audit-form-section", args=[audit.pk, _sections(audit)[0].pk]))
    html = section.content.decode()
    assert "Are the child&#x27;s views recorded in their own words?" in html
    assert "one-page profile" not in html
    summary = client.get(reverse("audits:audit-form-summary", args=[audit.pk])).content.decode()
    assert "Is every need evidenced?" in summary and "one-page profile" not in summary


# --- query counts ------------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _audit_with_questions(area, user, n_questions: int, n_sections: int = 1):
    questions = [(f"Question {i}", "1") for i in range(n_questions)]
    sections = [(chr(65 + s), f"Section {s}", "1", questions) for s in range(n_sections)]
    audit = AuditFactory(
        agency=area.school,
        tool_version=make_tool_version(area.partnership, sections=sections),
        assignees=[user],
    )
    for question in ToolQuestion.objects.filter(section__version=audit.tool_version)[: n_questions // 2]:
        AuditAnswer.objects.create(audit=audit, question=question, value="3", evidence="noted")
    return audit


def test_section_page_query_count_does_not_grow_with_questions(client, area, practitioner):
    small = _audit_with_questions(area, practitioner, 3)
    large = _audit_with_questions(area, practitioner, 30)
    client.force_login(practitioner)
    client.get(reverse("audits:audit-form", args=[small.pk]))  # warm the session and caches
    counts = [
        _queries(client, reverse("audits:audit-form-section", args=[a.pk, _sections(a)[0].pk]))
        for a in (small, large)
    ]
    assert counts[0] == counts[1]
    assert counts[0] <= 12


@pytest.mark.parametrize("route", ["audits:audit-form", "audits:audit-form-summary"])
def test_task_list_and_summary_query_counts_do_not_grow_with_sections(client, area, practitioner, route):
    small = _audit_with_questions(area, practitioner, 2, n_sections=2)
    large = _audit_with_questions(area, practitioner, 6, n_sections=11)
    client.force_login(practitioner)
    client.get(reverse("audits:audit-form", args=[small.pk]))
    counts = [_queries(client, reverse(route, args=[a.pk])) for a in (small, large)]
    assert counts[0] == counts[1]


def test_the_audit_page_shows_the_version_it_used_after_a_new_one_is_approved(
    client, audit, practitioner, area
):
    """The read view of the audit (audits:audit-detail) shows the answers against the audit's own version."""
    client.force_login(practitioner)
    _post_section(
        client, audit, _sections(audit)[0], ["4"], evidence={_questions(_sections(audit)[0])[0].pk: "x"}
    )
    _approve_a_new_version(audit)
    html = client.get(reverse("audits:audit-detail", args=[audit.pk])).content.decode()
    assert "Are the child&#x27;s views recorded in their own words?" in html
    assert "Is every need evidenced?" in html
    assert "one-page profile" not in html
