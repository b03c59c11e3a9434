"""Audit tool pages: who may read and change them, the draft editor, approval, new versions, frozen versions."""

from __future__ import annotations

import pytest
from django.urls import reverse

from actions.tests.support import queries_as_rows_grow
from audits.models import AuditTool, AuditToolVersion, ToolQuestion, ToolVersionStatus
from audits.services import tools as services
from audits.tests.factories import AuditFactory, AuditToolFactory, make_tool_version
from audits.tests.support import TOOL_READERS
from audits.tests.test_tools_services import content

NOT_READERS = ["board_member", "outsider_sqa"]


@pytest.fixture
def approved(area) -> AuditToolVersion:
    return make_tool_version(area.partnership, sections=[("A", "Views", "1", [("Own words?", "1")])])


@pytest.fixture
def draft(area, approved, sqa_officer) -> AuditToolVersion:
    return services.tool_version_new_from(version=approved, user=sqa_officer)


def version_url(name: str, version: AuditToolVersion, *extra) -> str:
    return reverse(f"audits:{name}", args=[version.tool_id, version.number, *extra])


# --- reading ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", TOOL_READERS)
def test_working_members_read_the_list_tool_and_version_pages(client, request, persona, approved, draft):
    client.force_login(request.getfixturevalue(persona))
    tool = approved.tool

    listing = client.get(reverse("audits:tool-list"))
    detail = client.get(reverse("audits:tool-detail", args=[tool.pk]))
    version = client.get(version_url("tool-version", approved))

    assert listing.status_code == detail.status_code == version.status_code == 200
    assert [t.pk for t in listing.context["page"].object_list] == [tool.pk]
    row = listing.context["page"].object_list[0]
    assert (row.current_number, row.draft_number) == (1, 2)
    assert "Own words?" in detail.content.decode()
    assert "Good: own words?" in version.content.decode()  # the guidance is shown with the question
    can_manage = persona == "sqa_officer"
    assert ("Build a new tool" in listing.content.decode()) is can_manage
    assert (
        "Make a new version" in version.content.decode() or "continue the draft" in version.content.decode()
    ) is can_manage


@pytest.mark.parametrize("persona", NOT_READERS)
def test_board_members_and_other_partnerships_get_404(client, request, persona, approved):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("audits:tool-detail", args=[approved.tool_id])).status_code == 404
    assert client.get(version_url("tool-version", approved)).status_code == 404
    assert (
        client.post(version_url("tool-section-add", approved), {"title": "X", "weight": "1"}).status_code
        == 404
    )
    listing = client.get(reverse("audits:tool-list"))
    if persona == "board_member":
        assert listing.status_code == 404
    else:
        assert listing.status_code == 200 and not listing.context["page"].object_list


def test_anonymous_users_are_sent_to_sign_in(client, approved):
    response = client.get(reverse("audits:tool-list"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


# --- who may change ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", [p for p in TOOL_READERS if p != "sqa_officer"])
def test_only_sqa_officers_change_tools(client, request, persona, approved, draft):
    client.force_login(request.getfixturevalue(persona))
    before = content(draft)
    section = draft.sections.get()
    question = ToolQuestion.objects.get(section=section)

    attempts = [
        client.get(reverse("audits:tool-create")),
        client.post(reverse("audits:tool-create"), {"name": "Mine", "kind": "plan", "levels": ["1"]}),
        client.post(reverse("audits:tool-edit", args=[draft.tool_id]), {"name": "Renamed", "kind": "plan", "levels": ["1"]}),
        client.post(version_url("tool-section-add", draft), {"title": "New", "weight": "1"}),
        client.post(version_url("tool-section-edit", draft, section.pk), {"title": "Changed", "weight": "1"}),
        client.post(version_url("tool-section-remove", draft, section.pk)),
        client.post(version_url("tool-question-add", draft, section.pk), {"text": "New", "weight": "1"}),
        client.post(version_url("tool-question-edit", draft, question.pk), {"text": "Changed", "weight": "1"}),
        client.post(version_url("tool-question-remove", draft, question.pk)),
        client.post(version_url("tool-version-scale", draft), {"scale-TOTAL_FORMS": "0", "scale-INITIAL_FORMS": "0"}),
        client.post(version_url("tool-version-approve", draft)),
        client.post(version_url("tool-version-discard", draft)),
        client.post(version_url("tool-version-new", approved)),
    ]  # fmt: skip

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert content(draft) == before
    assert AuditTool.objects.count() == 1 and AuditTool.objects.get().name == approved.tool.name
    assert AuditToolVersion.objects.count() == 2


# --- building a tool --------------------------------------------------------------------------------------


def test_sqa_officer_builds_and_approves_a_tool(client, sqa_officer, area):
    client.force_login(sqa_officer)

    response = client.post(
        reverse("audits:tool-create"),
        {
            "name": "Level 3 multi-agency audit",
            "kind": "multi_agency",
            "levels": ["3"],
            "description": "Panel",
        },
    )
    tool = AuditTool.objects.get(name="Level 3 multi-agency audit")
    version = tool.versions.get()
    assert response.status_code == 302 and response["Location"] == version_url("tool-version", version)
    assert tool.partnership == area.partnership and tool.levels == [3]

    assert (
        client.post(
            version_url("tool-section-add", version), {"code": "", "title": "Progress", "weight": "2"}
        ).status_code
        == 302
    )
    section = version.sections.get()
    response = client.post(
        version_url("tool-question-add", version, section.pk),
        {
            "text": "Is the child making good progress?",
            "guidance": "Good: evidence shows it",
            "weight": "1.5",
        },
    )
    assert response.status_code == 302
    question = section.questions.get()
    assert (question.weight, question.allow_not_applicable) == (1.5, False)  # an unticked box is "no"

    scale = {
        "scale-TOTAL_FORMS": "4", "scale-INITIAL_FORMS": "0",
        "scale-0-label": "Yes", "scale-0-score": "2",
        "scale-1-label": "Partly", "scale-1-score": "1",
        "scale-2-label": "No", "scale-2-score": "0",
        "scale-3-label": "", "scale-3-score": "",
        "change_note": "First version",
    }  # fmt: skip
    assert client.post(version_url("tool-version-scale", version), scale).status_code == 302
    version.refresh_from_db()
    assert [o["label"] for o in version.scale] == ["Yes", "Partly", "No"]

    page = client.get(version_url("tool-version", version))
    assert page.context["editable"] and "Is the child making good progress?" in page.content.decode()
    confirm = client.get(version_url("tool-version-approve", version))
    assert confirm.status_code == 200 and "cannot be changed" in confirm.content.decode()
    assert client.post(version_url("tool-version-approve", version)).status_code == 302
    version.refresh_from_db()
    assert version.status == ToolVersionStatus.APPROVED and version.approved_by == sqa_officer


def test_errors_from_the_services_are_shown_on_the_page(client, sqa_officer, draft):
    client.force_login(sqa_officer)

    response = client.post(
        version_url("tool-section-add", draft), {"code": "a", "title": "Again", "weight": "200"}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["weight"] == ["Weight must be between 0 and 100"]
    bad_scale = {
        "scale-TOTAL_FORMS": "2",
        "scale-INITIAL_FORMS": "0",
        "scale-0-label": "Only",
        "scale-0-score": "1",
    }
    response = client.post(version_url("tool-version-scale", draft), bad_scale)
    assert response.status_code == 200
    assert "An answer scale needs at least two answers" in response.content.decode()
    services.section_remove(section=draft.sections.get())
    response = client.post(version_url("tool-version-approve", draft))
    assert response.status_code == 200 and "Add at least one section" in response.content.decode()


def test_sections_and_questions_move_without_javascript(client, sqa_officer, draft):
    client.force_login(sqa_officer)
    second = services.section_add(version=draft, code="B", title="Needs")

    response = client.post(version_url("tool-section-move", draft, second.pk), {"direction": "up"})

    assert response.status_code == 302
    assert list(draft.sections.order_by("order").values_list("code", flat=True)) == ["B", "A"]
    assert client.get(version_url("tool-section-move", draft, second.pk)).status_code == 405


def test_a_section_of_another_version_is_404(client, sqa_officer, area, draft):
    client.force_login(sqa_officer)
    elsewhere = make_tool_version(area.partnership, status=ToolVersionStatus.DRAFT)

    response = client.post(
        version_url("tool-section-edit", draft, elsewhere.sections.first().pk), {"title": "X"}
    )

    assert response.status_code == 404


# --- an approved version is frozen ------------------------------------------------------------------------


def test_approved_version_editing_pages_are_403_and_change_nothing(client, sqa_officer, approved):
    client.force_login(sqa_officer)
    before = content(approved)
    section = approved.sections.get()
    question = section.questions.get()

    attempts = [
        client.get(version_url("tool-section-edit", approved, section.pk)),
        client.post(version_url("tool-section-add", approved), {"title": "New", "weight": "1"}),
        client.post(version_url("tool-section-edit", approved, section.pk), {"title": "Changed", "weight": "1"}),
        client.post(version_url("tool-section-remove", approved, section.pk)),
        client.post(version_url("tool-section-move", approved, section.pk), {"direction": "down"}),
        client.post(version_url("tool-question-add", approved, section.pk), {"text": "New", "weight": "1"}),
        client.post(version_url("tool-question-edit", approved, question.pk), {"text": "Changed", "weight": "1"}),
        client.post(version_url("tool-question-remove", approved, question.pk)),
        client.post(version_url("tool-question-move", approved, question.pk), {"direction": "up"}),
        client.post(version_url("tool-version-scale", approved), {"scale-TOTAL_FORMS": "2", "scale-INITIAL_FORMS": "0", "scale-0-label": "Y", "scale-0-score": "1", "scale-1-label": "N", "scale-1-score": "0"}),
        client.post(version_url("tool-version-approve", approved)),
        client.post(version_url("tool-version-discard", approved)),
    ]  # fmt: skip

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert "An approved version cannot be changed" in attempts[0].content.decode()
    assert content(approved) == before
    page = client.get(version_url("tool-version", approved))
    assert not page.context["editable"]
    assert reverse("audits:tool-section-add", args=[approved.tool_id, 1]) not in page.content.decode()


def test_new_version_page_copies_and_old_audits_keep_showing_version_1(client, sqa_officer, area, approved):
    audit = AuditFactory(agency=area.school, tool_version=approved)
    client.force_login(sqa_officer)

    response = client.post(version_url("tool-version-new", approved), {"change_note": "Reworded"})

    new = approved.tool.versions.get(number=2)
    assert response.status_code == 302 and response["Location"] == version_url("tool-version", new)
    assert new.change_note == "Reworded" and new.status == ToolVersionStatus.DRAFT
    question = ToolQuestion.objects.get(section__version=new)
    client.post(
        version_url("tool-question-edit", new, question.pk),
        {"text": "Views in their own words?", "weight": "1"},
    )
    client.post(version_url("tool-version-approve", new))
    new.refresh_from_db()
    assert new.status == ToolVersionStatus.APPROVED

    audit.refresh_from_db()
    assert audit.tool_version == approved
    assert list(
        ToolQuestion.objects.filter(section__version=audit.tool_version).values_list("text", flat=True)
    ) == ["Own words?"]
    old_page = client.get(version_url("tool-version", approved)).content.decode()
    assert "Own words?" in old_page and "Views in their own words?" not in old_page
    tool_page = client.get(reverse("audits:tool-detail", args=[approved.tool_id]))
    assert tool_page.context["current"] == new
    assert [(v.number, v.audit_count) for v in tool_page.context["versions"]] == [(2, 0), (1, 1)]
    assert client.post(version_url("tool-version-new", new)).status_code == 302
    again = client.post(version_url("tool-version-new", new))  # a draft exists already
    assert again.status_code == 200 and "already a draft" in again.content.decode()


# --- query counts -----------------------------------------------------------------------------------------


def _tools(area, n: int) -> None:
    """Exactly `n` tools, each with an approved version and a draft (the tools there were are deleted)."""
    AuditTool.objects.all().delete()
    for _ in range(n):
        version = make_tool_version(area.partnership, tool=AuditToolFactory(partnership=area.partnership))
        AuditToolVersion.objects.create(tool=version.tool, number=2)  # a draft too


def test_tool_list_query_count_does_not_grow(client, sqa_officer, area, django_assert_max_num_queries):
    client.force_login(sqa_officer)
    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=8,
        sizes=(2, 20),
        add=lambda n: _tools(area, n),
        fetch=lambda: client.get(reverse("audits:tool-list")),
    )
    assert [(r.status_code, r.context["page"].paginator.count) for r in responses] == [(200, 2), (200, 20)]
    assert counts[0] == counts[1]


def test_sqa_officer_changes_a_tools_details(client, sqa_officer, approved):
    client.force_login(sqa_officer)
    url = reverse("audits:tool-edit", args=[approved.tool_id])

    form = client.get(url)
    response = client.post(
        url, {"name": "Renamed tool", "kind": "review", "levels": ["1", "2"], "description": "New"}
    )

    assert form.status_code == 200 and form.context["form"].initial["name"] == approved.tool.name
    assert response.status_code == 302
    approved.tool.refresh_from_db()
    assert (approved.tool.name, approved.tool.kind, approved.tool.levels) == (
        "Renamed tool",
        "review",
        [1, 2],
    )
    assert content(approved)[0] == ToolVersionStatus.APPROVED  # the version's content is not touched
