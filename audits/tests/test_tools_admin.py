"""The admin cannot change an approved tool version, its sections or its questions; other audit models are
read-only; only superusers see any of it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from audits.models import AuditToolVersion, ToolQuestion, ToolVersionStatus
from audits.tests.factories import AuditFactory, make_tool_version
from audits.tests.test_tools_services import content
from qaf.tests.factories import UserFactory

SECTIONS = [("A", "Views", "1", [("Own words?", "1")])]


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", partnership=None, is_staff=True, is_superuser=True)


def _version_form(version: AuditToolVersion, **changes) -> dict:
    section = version.sections.get()
    data = {
        "scale": '[{"value": "1", "label": "Y", "score": 1}, {"value": "0", "label": "N", "score": 0}]',
        "change_note": "changed in the admin",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "1",
        "sections-0-id": str(section.pk),
        "sections-0-version": str(version.pk),
        "sections-0-order": "0",
        "sections-0-code": "A",
        "sections-0-title": "Changed in the admin",
        "sections-0-weight": "3",
    }
    return {**data, **changes}


@pytest.mark.parametrize("status", [ToolVersionStatus.APPROVED, ToolVersionStatus.RETIRED])
def test_an_approved_version_is_read_only_in_the_admin(client, superuser, area, status):
    version = make_tool_version(area.partnership, sections=SECTIONS, status=status)
    section = version.sections.get()
    question = ToolQuestion.objects.get(section=section)
    before = content(version)
    client.force_login(superuser)

    page = client.get(reverse("admin:audits_audittoolversion_change", args=[version.pk]))
    attempts = [
        client.post(reverse("admin:audits_audittoolversion_change", args=[version.pk]), _version_form(version)),
        client.post(reverse("admin:audits_toolsection_change", args=[section.pk]), {"title": "X", "weight": "1", "order": "0", "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0"}),
        client.post(reverse("admin:audits_toolquestion_change", args=[question.pk]), {"text": "X", "weight": "1", "order": "0"}),
        client.post(reverse("admin:audits_audittoolversion_delete", args=[version.pk]), {"post": "yes"}),
        client.post(reverse("admin:audits_toolsection_delete", args=[section.pk]), {"post": "yes"}),
        client.post(reverse("admin:audits_toolquestion_delete", args=[question.pk]), {"post": "yes"}),
    ]  # fmt: skip

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert content(version) == before


def test_a_draft_can_be_corrected_in_the_admin_but_its_status_cannot(client, superuser, area):
    version = make_tool_version(area.partnership, sections=SECTIONS, status=ToolVersionStatus.DRAFT)
    client.force_login(superuser)

    response = client.post(
        reverse("admin:audits_audittoolversion_change", args=[version.pk]),
        _version_form(version, status="approved"),
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    version.refresh_from_db()
    assert version.status == ToolVersionStatus.DRAFT  # approval goes through the service only
    assert version.change_note == "changed in the admin"
    assert version.sections.get().title == "Changed in the admin"


def test_other_audit_models_are_read_only_for_superusers(client, superuser, area):
    audit = AuditFactory(agency=area.school)
    client.force_login(superuser)

    page = client.get(reverse("admin:audits_audit_change", args=[audit.pk]))

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert client.get(reverse("admin:audits_audit_add")).status_code == 403
    assert (
        client.post(reverse("admin:audits_audit_delete", args=[audit.pk]), {"post": "yes"}).status_code == 403
    )


def test_partnership_admins_and_sqa_officers_do_not_get_the_audit_admin(
    client, partnership_admin, sqa_officer, area
):
    version = make_tool_version(area.partnership, sections=SECTIONS, status=ToolVersionStatus.DRAFT)
    sqa_officer.is_staff = True
    sqa_officer.save(update_fields=["is_staff"])
    for user in (partnership_admin, sqa_officer):
        client.force_login(user)
        assert (
            client.get(reverse("admin:audits_audittoolversion_change", args=[version.pk])).status_code == 403
        )
        assert client.get(reverse("admin:audits_audit_changelist")).status_code == 403
