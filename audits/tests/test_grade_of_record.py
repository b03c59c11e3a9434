"""The grade of record: the moderator's overall grade where the audit has been moderated since its last
submission, else the auditor's. It is what the audit page leads with, what the list and the API filter on, what
the home page and the CSV count, and what escalates; the auditor's grade stays stored and shown beside it."""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io

import pytest
from django.apps import apps
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from actions.models import Escalation, EscalationTrigger
from actions.selectors.sources import escalations_raised_from
from audits.models import Audit, AuditStatus, Grade, Moderation
from audits.selectors import grades
from audits.selectors.moderation import agreement_summary
from audits.selectors.reaudit import overall_row
from audits.services import workflow
from audits.services.answering import audit_submit
from audits.services.moderation import audit_moderate
from audits.tests.factories import AuditFactory
from audits.tests.support import answer_everything
from ehcp.tests.factories import ChildFactory
from reporting.selectors import home_for_user

GOOD, RI, INAD = Grade.GOOD, Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE


def test_the_rule():
    assert grades.grade_of_record(auditor_grade=GOOD, moderator_grade=None) == GOOD
    assert grades.grade_of_record(auditor_grade=GOOD, moderator_grade=INAD) == INAD
    assert grades.grade_of_record(auditor_grade=INAD, moderator_grade=GOOD) == GOOD
    assert grades.grade_of_record(auditor_grade="", moderator_grade=None) == ""


@pytest.fixture
def audit(area, practitioner):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-77", agencies=[area.school])
    return AuditFactory(agency=area.school, child=child, assignees=[practitioner])


def submitted(audit: Audit, user, value: str, capture) -> Audit:
    """Answer every question with `value` (3 grades Good, 1 Inadequate) and submit, through the services."""
    answer_everything(audit, user, value)
    with capture(execute=True):
        audit_submit(audit=audit, by=user)
    audit.refresh_from_db()
    return audit


def moderated(audit: Audit, moderator, overall: str, capture) -> Audit:
    sections = {r.section_id: r.grade for r in audit.section_results.exclude(grade="")}
    with capture(execute=True):
        audit_moderate(audit=audit, moderator=moderator, overall_grade=overall, section_grades=sections)
    audit.refresh_from_db()
    return audit


def stored_matches_rule(audit: Audit) -> bool:
    audit.refresh_from_db()
    return audit.grade_of_record == grades.audit_grade_of_record(audit)


# --- the services keep it -------------------------------------------------------------------------------


def test_an_audit_not_yet_moderated_has_the_auditors_grade(
    audit, practitioner, django_capture_on_commit_callbacks
):
    audit = submitted(audit, practitioner, "3", django_capture_on_commit_callbacks)
    assert audit.overall_grade == GOOD and audit.grade_of_record == GOOD
    assert stored_matches_rule(audit)


def test_moderated_to_inadequate_is_inadequate_of_record_and_escalates_once(
    audit, practitioner, sqa_officer, head_of_service, django_capture_on_commit_callbacks
):
    audit = submitted(audit, practitioner, "3", django_capture_on_commit_callbacks)
    assert not Escalation.objects.exists()
    audit = moderated(audit, sqa_officer, INAD, django_capture_on_commit_callbacks)
    # Both grades kept; the moderator's counts.
    assert audit.overall_grade == GOOD and audit.grade_of_record == INAD
    assert audit.status == AuditStatus.MODERATED and stored_matches_rule(audit)
    escalation = escalations_raised_from(audit).get()
    assert escalation.trigger == EscalationTrigger.INADEQUATE_AUDIT
    assert escalation.raised_by == sqa_officer and escalation.head_of_service == head_of_service
    assert "moderated to Inadequate" in escalation.summary
    assert [m.to for m in mail.outbox] == [[head_of_service.email]]


def test_a_moderation_agreeing_with_an_inadequate_auditor_raises_no_second_escalation(
    audit, practitioner, sqa_officer, head_of_service, django_capture_on_commit_callbacks
):
    audit = submitted(audit, practitioner, "1", django_capture_on_commit_callbacks)
    assert audit.grade_of_record == INAD and escalations_raised_from(audit).count() == 1
    audit = moderated(audit, sqa_officer, INAD, django_capture_on_commit_callbacks)
    assert escalations_raised_from(audit).count() == 1
    assert "was graded Inadequate overall" in escalations_raised_from(audit).get().summary


def test_moderated_up_from_inadequate_counts_the_better_grade_and_keeps_the_escalation(
    audit, practitioner, sqa_officer, head_of_service, django_capture_on_commit_callbacks
):
    audit = submitted(audit, practitioner, "1", django_capture_on_commit_callbacks)
    audit = moderated(audit, sqa_officer, RI, django_capture_on_commit_callbacks)
    assert audit.overall_grade == INAD and audit.grade_of_record == RI
    assert escalations_raised_from(audit).count() == 1  # escalations are never withdrawn


def test_reopening_drops_the_moderation_until_moderated_again(
    audit, practitioner, sqa_officer, head_of_service, django_capture_on_commit_callbacks
):
    audit = submitted(audit, practitioner, "3", django_capture_on_commit_callbacks)
    audit = moderated(audit, sqa_officer, RI, django_capture_on_commit_callbacks)
    assert audit.grade_of_record == RI
    workflow.audit_reopen(audit=audit, by=sqa_officer, reason="Evidence for section F was missing.")
    audit.refresh_from_db()
    assert audit.grade_of_record == GOOD and stored_matches_rule(audit)
    assert Moderation.objects.filter(audit=audit).count() == 1  # kept, but no longer current
    with django_capture_on_commit_callbacks(execute=True):
        audit_submit(audit=audit, by=practitioner)
    audit.refresh_from_db()
    assert audit.grade_of_record == GOOD and stored_matches_rule(audit)
    audit = moderated(audit, sqa_officer, INAD, django_capture_on_commit_callbacks)
    assert audit.grade_of_record == INAD and stored_matches_rule(audit)
    assert escalations_raised_from(audit).count() == 1


# --- every reader counts it ------------------------------------------------------------------------------


@pytest.fixture
def moderated_down(audit, practitioner, sqa_officer, head_of_service, django_capture_on_commit_callbacks):
    """Graded Good by the auditor, moderated to Inadequate."""
    audit = submitted(audit, practitioner, "3", django_capture_on_commit_callbacks)
    return moderated(audit, sqa_officer, INAD, django_capture_on_commit_callbacks)


def test_the_audit_page_leads_with_the_grade_of_record_and_shows_both(client, moderated_down, sqa_officer):
    client.force_login(sqa_officer)
    html = client.get(reverse("audits:audit-detail", args=[moderated_down.pk])).content.decode()
    headline = html.split('qaf-grade-of-record">', 1)[1].split("</p>", 1)[0]
    assert "Inadequate" in headline and "Good" not in headline
    after = html.split('qaf-grade-of-record">', 1)[1]
    assert "The moderator's grade" in after and 'govuk-tag--teal">Good' in after  # the auditor's, shown too


def test_the_list_filter_finds_it_by_its_grade_of_record(client, moderated_down, sqa_officer):
    client.force_login(sqa_officer)
    url = reverse("audits:audit-list")
    inadequate = client.get(url, {"grade": "inadequate"}).context["page"].object_list
    good = client.get(url, {"grade": "good"}).context["page"].object_list
    assert [a.pk for a in inadequate] == [moderated_down.pk] and list(good) == []
    html = client.get(url).content.decode()
    assert 'govuk-tag--red">Inadequate' in html and 'govuk-tag--teal">Good' not in html


def test_the_api_gives_the_grade_of_record_and_filters_on_it(client, moderated_down, sqa_officer):
    client.force_login(sqa_officer)
    url = "/api/v1/audits/"
    item = client.get(f"{url}{moderated_down.pk}/").json()
    assert item["grade_of_record"] == "inadequate" and item["overall_grade"] == "good"
    assert [a["id"] for a in client.get(url, {"grade": "inadequate"}).json()["results"]] == [
        moderated_down.pk
    ]
    assert client.get(url, {"grade": "good"}).json()["results"] == []


def test_the_csv_has_both_grades_and_the_grade_of_record(client, moderated_down, sqa_officer):
    client.force_login(sqa_officer)
    response = client.get(reverse("audits:audit-list"), {"format": "csv", "grade": "inadequate"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert len(rows) == 1
    row = rows[0]
    assert row["Case reference"] == "EHC-77" and row["Audit"] == str(moderated_down.pk)
    assert (row["Auditor's grade"], row["Moderator's grade"], row["Grade of record"]) == (
        "Good",
        "Inadequate",
        "Inadequate",
    )
    assert row["Moderated"] == timezone.localdate().isoformat()


def test_the_csv_query_count_does_not_grow_with_the_audits(
    client, area, sqa_officer, django_assert_max_num_queries
):
    client.force_login(sqa_officer)

    def download() -> int:
        with django_assert_max_num_queries(12):
            response = client.get(reverse("audits:audit-list"), {"format": "csv"})
            return len(b"".join(response.streaming_content).decode().splitlines())

    AuditFactory.create_batch(2, agency=area.school)
    assert download() == 3
    AuditFactory.create_batch(20, agency=area.school)
    assert download() == 23


def test_home_figures_count_the_grade_of_record(moderated_down, sqa_officer, board_member):
    for user in (sqa_officer, board_member):
        counts = {value: n for value, _, n in home_for_user(user).audits.grades}
        assert counts["inadequate"] == 1 and counts["good"] == 0, user


def test_agreement_still_compares_the_auditor_with_the_moderator(moderated_down, area):
    summary = agreement_summary(partnership_id=area.partnership.pk)
    assert summary.overall.n == 1 and summary.overall.agreed == 0


def test_a_reaudit_comparison_pairs_the_grades_of_record(area, moderated_down):
    later = AuditFactory(
        agency=area.school, child=moderated_down.child, overall_grade=GOOD, submitted_at=timezone.now()
    )
    row = overall_row(moderated_down, later)
    assert (row.earlier_grade, row.later_grade) == (INAD, GOOD)


def test_the_migration_fills_in_existing_audits(area, moderated_down):
    other = AuditFactory(
        agency=area.school, overall_grade=RI, submitted_at=timezone.now() - dt.timedelta(days=2)
    )
    Audit.objects.update(grade_of_record="")
    migration = importlib.import_module("audits.migrations.0003_audit_grade_of_record")
    migration.fill_grade_of_record(apps, None)
    assert dict(Audit.objects.values_list("pk", "grade_of_record")) == {moderated_down.pk: INAD, other.pk: RI}
