"""The versioned-template lifecycle and pages of qaf.versioning, through both apps that use it: audit tools and
feedback forms. Each test runs once for each, so the shared code is held to what both apps promise."""

from __future__ import annotations

import ast
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import IntegrityError
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from audits.models import AuditToolVersion, ToolQuestion
from audits.services import tools as tool_services
from audits.tests.factories import AuditFactory, make_tool_version
from feedback.models import FeedbackFormVersion, FeedbackQuestion, QuestionKind
from feedback.services import forms as form_services
from feedback.tests.factories import (
    FeedbackFormFactory,
    FeedbackFormVersionFactory,
    FeedbackQuestionFactory,
    FeedbackResponseFactory,
    drafted_form,
)
from qaf.versioning import services as versioning
from qaf.versioning.models import VersionStatus
from qaf.versioning.views import move_offset, row_or_404

NOW = dt.datetime(2025, 3, 10, 9, 30, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Kind:
    """One app's versioned template, as the tests drive it."""

    name: str
    urls: str
    first: Callable  # (area, user) -> an approved version 1 with some content
    approve: Callable
    new_from: Callable
    change: Callable  # (version) -> writes to the version's content
    content: Callable  # (version) -> its content as plain values, without ids
    copied: tuple[str, ...]
    frozen_error: type[Exception]
    edit_url: str  # a page that edits a draft: (pk, number)
    reason: str
    kept: str
    count_header: str
    used: Callable  # (area, version) -> something that used the version
    draft_of_size: Callable  # (area, size) -> a draft with that much content
    sizes: tuple[int, int]
    page_queries: int  # the most a version's page may take


def _first_tool(area, user) -> AuditToolVersion:
    tool = tool_services.tool_create(
        partnership=area.partnership, user=user, name="Plan audit", kind="plan", levels=[2]
    )
    version = tool.versions.get()
    section = tool_services.section_add(version=version, code="A", title="Views")
    tool_services.question_add(section=section, text="Own words?", guidance="First person", weight="2")
    return tool_services.tool_version_approve(version=version, user=user)


def _first_form(area, user) -> FeedbackFormVersion:
    version = drafted_form(area.partnership, user)
    form_services.feedback_form_version_update(
        version=version, title="Tell us about the review", intro="Two minutes", thank_you="Thanks"
    )
    form_services.question_add(version=version, code="overall", kind=QuestionKind.RATING, text="How was it?")
    return form_services.version_approve(version=version, user=user)


def _tool_draft_of_size(area, sections: int) -> AuditToolVersion:
    spec = [
        (f"S{i}", f"Section {i}", "1", [(f"Question {i}.{j}", "1") for j in range(4)])
        for i in range(sections)
    ]
    return make_tool_version(area.partnership, sections=spec, status=VersionStatus.DRAFT)


def _form_draft_of_size(area, questions: int) -> FeedbackFormVersion:
    version = FeedbackFormVersionFactory(
        form=FeedbackFormFactory(partnership=area.partnership), status=VersionStatus.DRAFT
    )
    FeedbackQuestionFactory.create_batch(questions, version=version)
    return version


def _tool_content(version) -> list:
    return [
        (s.code, s.title, s.weight, [(q.text, q.guidance, q.weight) for q in s.questions.order_by("order")])
        for s in version.sections.order_by("order")
    ]


def _form_content(version) -> list:
    return [(q.code, q.kind, q.text, q.options) for q in version.questions.order_by("page", "order")]


TOOL = Kind(
    name="tool",
    urls="audits:tool",
    first=_first_tool,
    approve=tool_services.tool_version_approve,
    new_from=tool_services.tool_version_new_from,
    change=lambda v: tool_services.section_add(version=v, title="New"),
    content=_tool_content,
    copied=("scale",),
    frozen_error=ValidationError,
    edit_url="audits:tool-section-add",
    reason="Audits record the version they used, so its sections and questions never change.",
    kept="audits that used it",
    count_header="Audits",
    used=lambda area, v: AuditFactory(agency=area.school, tool_version=v),
    draft_of_size=_tool_draft_of_size,
    sizes=(1, 12),
    page_queries=12,
)
FORM = Kind(
    name="form",
    urls="feedback:form",
    first=_first_form,
    approve=form_services.version_approve,
    new_from=form_services.version_new_from,
    change=lambda v: form_services.question_add(
        version=v, code="new", kind=QuestionKind.FREE_TEXT, text="Anything else?"
    ),
    content=_form_content,
    copied=("title", "intro", "thank_you"),
    frozen_error=versioning.VersionFrozen,
    edit_url="feedback:form-question-add",
    reason="Responses record the version they answered, so its questions never change.",
    kept="responses given to it",
    count_header="Responses",
    used=lambda area, v: FeedbackResponseFactory(agency=area.school, version=v),
    draft_of_size=_form_draft_of_size,
    sizes=(1, 7),
    page_queries=10,
)


@pytest.fixture(params=[TOOL, FORM], ids=lambda kind: kind.name)
def kind(request) -> Kind:
    return request.param


@pytest.fixture
def first(kind, area, sqa_officer):
    return kind.first(area, sqa_officer)


def url(kind: Kind, page: str, version, *extra) -> str:
    return reverse(f"{kind.urls}-{page}", args=[version.template_id, version.number, *extra])


# --- the lifecycle ------------------------------------------------------------------------------------------


def test_approving_a_new_version_retires_the_one_before_and_records_who_and_when(
    kind, first, sqa_officer, practitioner
):
    second = kind.new_from(version=first, user=sqa_officer)

    with time_machine.travel(NOW, tick=False):
        kind.approve(version=second, user=practitioner)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (VersionStatus.RETIRED, VersionStatus.APPROVED)
    assert (second.approved_by, second.approved_at) == (practitioner, NOW)
    assert first.template.versions.filter(status=VersionStatus.APPROVED).get() == second


def test_a_new_version_is_the_next_draft_with_a_copy_of_the_fields_and_content(kind, first, sqa_officer):
    before = kind.content(first)

    second = kind.new_from(version=first, user=sqa_officer, change_note="  Shorter  ")

    assert (second.number, second.status, second.created_by, second.change_note) == (
        2,
        VersionStatus.DRAFT,
        sqa_officer,
        "Shorter",
    )
    assert [getattr(second, name) for name in kind.copied] == [getattr(first, name) for name in kind.copied]
    assert kind.content(second) == kind.content(first) and kind.content(second)
    assert kind.content(first) == before  # the copied version is not touched


def test_the_copy_is_made_of_new_rows(kind, first, sqa_officer):
    second = kind.new_from(version=first, user=sqa_officer)
    model = ToolQuestion if kind is TOOL else FeedbackQuestion
    path = "section__version" if kind is TOOL else "version"

    old = set(model.objects.filter(**{path: first}).values_list("pk", flat=True))
    new = set(model.objects.filter(**{path: second}).values_list("pk", flat=True))

    assert new and not old & new


def test_a_template_has_one_draft_at_a_time(kind, first, sqa_officer):
    kind.new_from(version=first, user=sqa_officer)

    with pytest.raises(ValidationError, match="Version 2 is already a draft: change that one"):
        kind.new_from(version=first, user=sqa_officer)

    assert first.template.versions.count() == 2


def test_a_change_note_that_is_too_long_is_refused(kind, first, sqa_officer):
    with pytest.raises(ValidationError) as caught:
        kind.new_from(version=first, user=sqa_officer, change_note="x" * 5001)

    assert caught.value.message_dict == {"change_note": ["The note must be 5000 characters or fewer"]}
    assert first.template.versions.count() == 1


@pytest.mark.parametrize("status", [VersionStatus.APPROVED, VersionStatus.RETIRED])
def test_a_frozen_version_refuses_changes_with_its_apps_error(kind, first, sqa_officer, status):
    type(first).objects.filter(pk=first.pk).update(status=status)
    before = kind.content(first)

    for write in (kind.change, lambda v: kind.approve(version=v, user=sqa_officer)):
        with pytest.raises(kind.frozen_error) as caught:
            write(first)
        assert versioning.FROZEN in str(caught.value)

    assert kind.content(first) == before


def test_tool_versions_refuse_with_a_validation_error_and_form_versions_with_a_403(kind, first):
    with pytest.raises((ValidationError, PermissionDenied)) as caught:
        kind.change(first)

    assert isinstance(caught.value, PermissionDenied) is (kind is FORM)
    assert isinstance(caught.value, ValidationError) is (kind is TOOL)


def test_a_stale_draft_cannot_be_changed_after_it_is_approved(kind, first, sqa_officer):
    draft = kind.new_from(version=first, user=sqa_officer)
    stale = type(draft).objects.get(pk=draft.pk)  # loaded while it was a draft
    kind.approve(version=draft, user=sqa_officer)
    before = kind.content(draft)

    with pytest.raises(kind.frozen_error, match="make a new version"):
        kind.change(stale)

    assert kind.content(draft) == before


def test_the_database_keeps_one_approved_version_of_a_form(area):
    form = FeedbackFormFactory(partnership=area.partnership)
    FeedbackFormVersionFactory(form=form, number=1, status=VersionStatus.APPROVED)

    with pytest.raises(IntegrityError):
        FeedbackFormVersionFactory(form=form, number=2, status=VersionStatus.APPROVED)


def test_version_numbers_are_unique_per_template(area):
    version = make_tool_version(area.partnership)

    with pytest.raises(IntegrityError):
        AuditToolVersion.objects.create(tool=version.tool, number=version.number, status=VersionStatus.DRAFT)


# --- the pages ----------------------------------------------------------------------------------------------


def test_an_editing_page_of_a_frozen_version_says_why_and_offers_a_new_version(
    client, kind, first, sqa_officer
):
    client.force_login(sqa_officer)

    response = client.get(reverse(kind.edit_url, args=[first.template_id, 1]))

    page = response.content.decode()
    assert response.status_code == 403
    assert "An approved version cannot be changed" in page
    assert f"Version 1 is approved. {kind.reason}" in page
    assert f"To change the {kind.name}, make a new version from it" in page
    assert f'href="{url(kind, "version-new", first)}">Make a new version' in page
    assert f'href="{url(kind, "version", first)}">Back to version 1' in page


def test_a_frozen_versions_page_offers_a_new_version_then_points_to_the_draft(
    client, kind, first, sqa_officer
):
    client.force_login(sqa_officer)

    before = client.get(url(kind, "version", first)).content.decode()
    draft = kind.new_from(version=first, user=sqa_officer)
    after = client.get(url(kind, "version", first)).content.decode()

    assert f"cannot be changed; {kind.kept} keep it exactly as it is." in before
    assert f'href="{url(kind, "version-new", first)}">make a new version from this one' in before
    assert "being drafted" not in before
    assert f'Version 2 is being drafted: <a class="govuk-link" href="{url(kind, "version", draft)}">' in after


def test_a_versions_page_leads_back_to_the_list_and_the_template(client, kind, first, practitioner):
    client.force_login(practitioner)

    page = client.get(url(kind, "version", first)).content.decode()

    crumbs = page[page.index('aria-label="Breadcrumb"') : page.index("</nav>", page.index("Breadcrumb"))]
    assert f'href="{reverse(f"{kind.urls}-list")}"' in crumbs
    assert (
        f'href="{reverse(f"{kind.urls}-detail", args=[first.template_id])}">{first.template.name}</a>'
        in crumbs
    )


def test_the_approval_page_names_the_version_it_will_retire(client, kind, first, sqa_officer):
    draft = kind.new_from(version=first, user=sqa_officer)
    client.force_login(sqa_officer)

    page = client.get(url(kind, "version-approve", draft)).content.decode()

    assert f"Approve version 2 of {first.template.name}?" in page
    assert "Version 1 will be retired;" in page
    assert "Once approved, this version cannot be changed" in page


def test_the_new_version_page_says_what_stays_as_it_is(client, kind, first, sqa_officer):
    client.force_login(sqa_officer)

    page = client.get(url(kind, "version-new", first)).content.decode()

    assert f"Make a new version of {first.template.name}" in page
    assert f"Version 1 and the {kind.kept} stay exactly as they are." in page
    assert 'name="change_note"' in page


def test_the_versions_table_counts_what_used_each_version(client, kind, area, first, sqa_officer):
    kind.used(area, first)
    kind.new_from(version=first, user=sqa_officer)
    client.force_login(sqa_officer)

    response = client.get(reverse(f"{kind.urls}-detail", args=[first.template_id]))

    page = response.content.decode()
    table = page[page.index("Versions of") : page.index("</table>")]
    assert f'govuk-table__header--numeric">{kind.count_header}</th>' in table
    assert table.count('govuk-tag--yellow">Draft') == 1 and table.count('govuk-tag--green">Current') == 1
    assert [v.number for v in response.context["versions"]] == [2, 1]


def test_someone_who_may_not_change_templates_gets_a_403_on_the_shared_pages(
    client, kind, first, sqa_officer, agency_manager
):
    draft = kind.new_from(version=first, user=sqa_officer)
    client.force_login(agency_manager)

    attempts = [
        client.get(url(kind, "version-approve", draft)),
        client.post(url(kind, "version-approve", draft)),
        client.get(url(kind, "version-new", first)),
        client.post(url(kind, "version-new", first)),
    ]

    assert [r.status_code for r in attempts] == [403] * 4
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT and first.template.versions.count() == 2


def test_version_page_query_count_does_not_grow_with_content(
    client, kind, sqa_officer, area, django_assert_max_num_queries
):
    """Moved from the tools' and the forms' page tests, which each pinned it for their app."""
    client.force_login(sqa_officer)
    counts = []
    for size in kind.sizes:
        version = kind.draft_of_size(area, size)
        with django_assert_max_num_queries(kind.page_queries) as captured:
            assert client.get(url(kind, "version", version)).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- the helpers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pk", "offset", "expected"),
    [(2, -1, [2, 1, 3]), (2, 1, [1, 3, 2]), (1, -1, [1, 2, 3]), (3, 1, [1, 2, 3])],
    ids=["up", "down", "first stays", "last stays"],
)
def test_moved_moves_one_place_and_stays_put_at_the_ends(pk, offset, expected):
    ids = [1, 2, 3]

    assert versioning.moved(ids, pk, offset) == expected
    assert ids == [1, 2, 3]  # the list given is not changed


@pytest.mark.parametrize(
    ("value", "required", "expected"),
    [
        ("  Views  ", True, "Views"),
        (None, False, ""),
        ("", True, {"title": ["Enter the title"]}),
        ("x" * 11, True, {"title": ["The title must be 10 characters or fewer"]}),
    ],
)
def test_text_clean_strips_and_says_what_to_enter(value, required, expected):
    if isinstance(expected, dict):
        with pytest.raises(ValidationError) as caught:
            versioning.text_clean(value, "title", label="the title", max_length=10, required=required)
        assert caught.value.message_dict == expected
    else:
        assert versioning.text_clean(value, "title", label="the title", max_length=10, required=required) == (
            expected
        )


def test_row_or_404_finds_the_row_among_the_versions_rows(area):
    version = make_tool_version(area.partnership)
    sections = list(version.sections.all())
    elsewhere = make_tool_version(area.partnership).sections.first()

    assert row_or_404(sections, sections[1].pk, "section") == sections[1]
    with pytest.raises(Http404, match="No such section"):
        row_or_404(sections, elsewhere.pk, "section")


@pytest.mark.parametrize(("direction", "offset"), [("up", -1), ("down", 1), ("", 1)])
def test_move_offset_reads_the_button_pressed(direction, offset):
    assert move_offset(RequestFactory().post("/", {"direction": direction})) == offset


# --- the shape of the module --------------------------------------------------------------------------------

APPS = {"actions", "audits", "demo", "ehcp", "feedback", "improvement", "reporting"}


def test_the_versioning_module_imports_no_app():
    folder = Path(versioning.__file__).parent
    imported = set()
    for module in folder.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                imported |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.module:
                imported.add(node.module.split(".")[0])

    assert "django" in imported and not imported & APPS


@pytest.mark.django_db
def test_the_versioned_models_match_their_migrations():
    call_command("makemigrations", "audits", "feedback", "--check", "--dry-run", verbosity=0)
