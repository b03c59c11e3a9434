"""The audit-tools API: scoping by persona, nested content, SQA-only writes, frozen versions, query counts."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from actions.tests.support import queries_as_rows_grow
from audits.models import AuditTool, AuditToolVersion, ToolVersionStatus
from audits.services import tools as services
from audits.tests.factories import AuditFactory, AuditToolFactory, make_tool_version
from audits.tests.support import TOOL_READERS
from audits.tests.test_tools_services import content
from qaf.versioning.services import FROZEN

LIST = "/api/v1/audit-tools/"


def detail(pk: int) -> str:
    return f"{LIST}{pk}/"


def version(v: AuditToolVersion, action: str = "") -> str:
    return f"{LIST}{v.tool_id}/versions/{v.number}/" + (f"{action}/" if action else "")


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def approved(area) -> AuditToolVersion:
    return make_tool_version(
        area.partnership, sections=[("A", "Views", "1", [("Own words?", "1")])], levels=(2,)
    )


@pytest.fixture
def elsewhere(other_area) -> AuditToolVersion:
    return make_tool_version(other_area.partnership)


CONTENT = {
    "change_note": "Adds needs",
    "scale": [{"label": "Yes", "score": 2}, {"label": "Partly", "score": 1}, {"label": "No", "score": 0}],
    "sections": [
        {"code": "A", "title": "Views", "weight": "1", "questions": [{"text": "Own words?", "guidance": "Good: first person"}]},
        {"code": "B", "title": "Needs", "weight": "1.5", "questions": [{"text": "Specific?", "weight": "2", "allow_not_applicable": False}]},
    ],
}  # fmt: skip


# --- reading ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", TOOL_READERS)
def test_working_members_list_their_partnerships_tools_with_content(
    api, request, persona, approved, elsewhere
):
    api.force_login(request.getfixturevalue(persona))

    response = api.get(LIST)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    tool = body["results"][0]
    assert (tool["id"], tool["current_version"], tool["levels"]) == (approved.tool_id, 1, [2])
    [v1] = tool["versions"]
    assert (v1["number"], v1["status"], v1["is_editable"]) == (1, "approved", False)
    assert v1["sections"][0]["code"] == "A"
    assert v1["sections"][0]["questions"][0]["guidance"] == "Good: own words?"
    assert [o["label"] for o in v1["scale"]] == ["Outstanding", "Good", "Requires improvement", "Inadequate"]
    assert api.get(detail(elsewhere.tool_id)).status_code == 404


@pytest.mark.parametrize("persona", ["board_member", "outsider_sqa"])
def test_board_members_and_other_partnerships_see_nothing(api, request, persona, approved):
    api.force_login(request.getfixturevalue(persona))

    assert approved.tool_id not in {t["id"] for t in api.get(LIST).json()["results"]}
    assert api.get(detail(approved.tool_id)).status_code == 404
    assert api.get(version(approved)).status_code == 404
    assert api.put(version(approved), CONTENT, format="json").status_code == 404
    assert api.post(version(approved, "new-version"), {}, format="json").status_code == 404
    assert api.patch(detail(approved.tool_id), {"name": "Mine"}, format="json").status_code == 404


def test_anonymous_callers_are_refused(api, approved):
    assert api.get(LIST).status_code == 401


def test_filters_by_kind_and_level(api, sqa_officer, area, approved):
    AuditToolFactory(partnership=area.partnership, name="Level 3 audit", kind="multi_agency", levels=[3])
    AuditToolFactory(partnership=area.partnership, name="Review audit", kind="review", levels=[1, 2])
    api.force_login(sqa_officer)

    def names(**query) -> set[str]:
        return {t["name"] for t in api.get(LIST, query).json()["results"]}

    assert names(kind="multi_agency") == {"Level 3 audit"}
    assert names(level=2) == {approved.tool.name, "Review audit"}
    assert names(level=2, kind="review") == {"Review audit"}
    assert api.get(LIST, {"level": 7}).status_code == 400


# --- writing ----------------------------------------------------------------------------------------------


def test_sqa_officer_creates_writes_approves_and_versions_a_tool(api, sqa_officer, area):
    api.force_login(sqa_officer)

    created = api.post(LIST, {"name": "Peer review", "kind": "peer_review", "levels": [2]}, format="json")
    assert created.status_code == 201, created.json()
    tool = AuditTool.objects.get(pk=created.json()["id"])
    assert tool.partnership == area.partnership
    assert [(v["number"], v["status"]) for v in created.json()["versions"]] == [(1, "draft")]
    v1 = tool.versions.get()

    written = api.put(version(v1), CONTENT, format="json")
    assert written.status_code == 200, written.json()
    assert [s["code"] for s in written.json()["sections"]] == ["A", "B"]
    assert written.json()["scale"][0] == {"value": "2", "label": "Yes", "score": 2}
    assert written.json()["change_note"] == "Adds needs"

    approved = api.post(version(v1, "approve"))
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    assert approved.json()["approved_by"] == sqa_officer.pk

    new = api.post(version(v1, "new-version"), {"change_note": "Second go"}, format="json")
    assert new.status_code == 201
    assert (new.json()["number"], new.json()["status"], new.json()["change_note"]) == (
        2,
        "draft",
        "Second go",
    )
    assert [s["title"] for s in new.json()["sections"]] == ["Views", "Needs"]
    assert api.get(detail(tool.pk)).json()["current_version"] == 1

    renamed = api.patch(detail(tool.pk), {"name": "Caseworker peer review"}, format="json")
    assert renamed.status_code == 200 and renamed.json()["name"] == "Caseworker peer review"
    assert renamed.json()["levels"] == [2]


def test_writes_to_an_approved_version_are_400_with_a_clear_message(api, sqa_officer, approved):
    api.force_login(sqa_officer)
    before = content(approved)

    responses = [
        api.put(version(approved), CONTENT, format="json"),
        api.post(version(approved, "approve")),
        api.delete(version(approved)),
    ]

    for response in responses:
        assert response.status_code == 400
        assert response.json() == {"non_field_errors": [FROZEN]}
    assert content(approved) == before


@pytest.mark.parametrize("persona", [p for p in TOOL_READERS if p != "sqa_officer"])
def test_others_who_can_read_cannot_write(api, request, persona, approved, sqa_officer):
    draft = services.tool_version_new_from(version=approved, user=sqa_officer)
    api.force_login(request.getfixturevalue(persona))
    before = content(draft)

    responses = [
        api.post(LIST, {"name": "Mine", "kind": "plan", "levels": [1]}, format="json"),
        api.patch(detail(approved.tool_id), {"name": "Mine"}, format="json"),
        api.put(version(draft), CONTENT, format="json"),
        api.post(version(draft, "approve")),
        api.delete(version(draft)),
        api.post(version(approved, "new-version"), {}, format="json"),
    ]

    assert [r.status_code for r in responses] == [403] * len(responses)
    assert content(draft) == before
    assert AuditTool.objects.count() == 1 and AuditToolVersion.objects.count() == 2


def test_board_member_cannot_create_a_tool(api, board_member):
    api.force_login(board_member)
    assert api.post(LIST, {"name": "Mine", "kind": "plan", "levels": [1]}, format="json").status_code == 403
    assert not AuditTool.objects.exists()


def test_invalid_draft_content_is_400_naming_the_place(api, sqa_officer, approved):
    draft = services.tool_version_new_from(version=approved, user=sqa_officer)
    api.force_login(sqa_officer)

    response = api.put(
        version(draft), {"sections": [{"title": "S", "weight": "500", "questions": []}]}, format="json"
    )
    assert response.status_code == 400
    response = api.put(
        version(draft),
        {"sections": [{"code": "A", "title": "S"}, {"code": "a", "title": "T"}]},
        format="json",
    )
    assert response.status_code == 400
    assert response.json()["sections"] == ["Section 2: there is already a section a"]
    assert api.post(
        LIST, {"name": approved.tool.name, "kind": "plan", "levels": [1]}, format="json"
    ).json() == {"name": ["A tool with this name already exists"]}
    assert api.get(f"{LIST}{approved.tool_id}/versions/9/").status_code == 404


def test_new_version_through_the_api_leaves_old_audits_alone(api, sqa_officer, area, approved):
    audit = AuditFactory(agency=area.school, tool_version=approved)
    before = content(approved)
    api.force_login(sqa_officer)

    new = api.post(version(approved, "new-version"), {}, format="json").json()
    v2 = AuditToolVersion.objects.get(pk=new["id"])
    api.put(version(v2), CONTENT, format="json")
    api.post(version(v2, "approve"))

    audit.refresh_from_db()
    assert audit.tool_version_id == approved.pk
    before[0] = ToolVersionStatus.RETIRED
    assert content(approved) == before
    tool = api.get(detail(approved.tool_id)).json()
    assert [(v["number"], v["status"]) for v in tool["versions"]] == [(2, "approved"), (1, "retired")]
    assert tool["versions"][1]["sections"][0]["questions"][0]["text"] == "Own words?"


# --- query counts -----------------------------------------------------------------------------------------


def test_list_query_count_does_not_grow(api, sqa_officer, area, django_assert_max_num_queries):
    api.force_login(sqa_officer)

    def tools_anew(n: int) -> None:
        AuditTool.objects.all().delete()
        for _ in range(n):
            v1 = make_tool_version(area.partnership)
            make_tool_version(area.partnership, tool=v1.tool, status=ToolVersionStatus.DRAFT)

    counts, responses = queries_as_rows_grow(
        django_assert_max_num_queries,
        limit=10,
        sizes=(2, 20),
        add=tools_anew,
        fetch=lambda: api.get(LIST, {"level": 1}),
    )
    assert [(r.status_code, r.json()["count"]) for r in responses] == [(200, 2), (200, 20)]
    assert counts[0] == counts[1]
