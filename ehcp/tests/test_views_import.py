"""The import pages: who may use them, the upload form's errors, and what an import's page shows."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ehcp.imports import service
from ehcp.imports.columns import COLUMNS
from ehcp.models import Child, ChildImport, ImportStatus
from ehcp.tests.test_imports import FIVE_CHILDREN, csv_text, row

UPLOAD = reverse("ehcp:import-upload")


def upload(client, content: bytes, name: str = "children.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, content, content_type="text/csv")})


def stored(partnership, text: str, **fields) -> ChildImport:
    child_import = service.child_import_create(
        partnership=partnership, user=None, filename="children.csv", content_bytes=text.encode(), queue=False
    )
    ChildImport.objects.filter(pk=child_import.pk).update(**fields)
    return child_import


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("sqa_officer", 200),
        ("sat_caseworker", 200),
        ("agency_manager", 403),
        ("practitioner", 403),
        ("board_member", 403),
        ("partnership_admin", 403),
    ],
)
def test_who_may_use_the_import_pages(client, area, request, persona, status):
    child_import = stored(area.partnership, csv_text([row()]))
    client.force_login(request.getfixturevalue(persona))

    assert client.get(UPLOAD).status_code == status
    assert client.get(reverse("ehcp:import-detail", args=[child_import.pk])).status_code == status
    response = upload(client, csv_text([row(case_reference="NEW1")]).encode())
    assert response.status_code == (302 if status == 200 else 403)
    assert ChildImport.objects.count() == (2 if status == 200 else 1)


def test_anonymous_visitors_are_sent_to_sign_in(client, area):
    child_import = stored(area.partnership, csv_text([row()]))

    for url in (UPLOAD, reverse("ehcp:import-detail", args=[child_import.pk])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_another_partnerships_import_is_not_found(client, area, outsider_sqa):
    theirs = stored(area.partnership, csv_text([row()]))
    client.force_login(outsider_sqa)

    assert client.get(reverse("ehcp:import-detail", args=[theirs.pk])).status_code == 404
    assert client.get(reverse("ehcp:import-detail", args=[987654])).status_code == 404


def test_upload_imports_at_commit_and_shows_the_result(
    client, area, sqa_officer, django_capture_on_commit_callbacks
):
    client.force_login(sqa_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_text(FIVE_CHILDREN).encode())

    child_import = ChildImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("ehcp:import-detail", args=[child_import.pk])
    assert child_import.uploaded_by == sqa_officer and child_import.partnership == area.partnership
    page = client.get(response["Location"])
    html = page.content.decode()
    assert "Import complete" in html
    assert "5 children added, 0 updated" in html
    assert reverse("ehcp:child-list") in html
    assert 'http-equiv="refresh"' not in html
    assert Child.objects.filter(partnership=area.partnership).count() == 5


def test_failed_import_lists_every_problem_and_says_nothing_was_imported(client, area, sqa_officer):
    child_import = stored(
        area.partnership,
        csv_text(
            [
                row(),
                row(case_reference="EHC002", primary_need="AUT"),
                row(case_reference="EHC003", date_of_birth="31/02/2014"),
            ]
        ),
    )
    service.child_import_run(child_import=child_import)
    client.force_login(sqa_officer)

    html = client.get(reverse("ehcp:import-detail", args=[child_import.pk])).content.decode()

    assert "Nothing was imported" in html
    assert "The file has 2 problems" in html
    assert "‘AUT’ is not a SEN2 primary need code" in html
    assert "‘31/02/2014’ is not a real date." in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">4</td>' in html
    assert 'http-equiv="refresh"' not in html


@pytest.mark.parametrize(
    ("status", "rows_total", "rows_done", "shown"),
    [(ImportStatus.PENDING, 0, 0, "Waiting to start."), (ImportStatus.RUNNING, 2000, 900, "45% done")],
)
def test_an_unfinished_import_refreshes_itself_and_shows_progress(
    client, area, sqa_officer, status, rows_total, rows_done, shown
):
    child_import = stored(
        area.partnership, csv_text([row()]), status=status, rows_total=rows_total, rows_done=rows_done
    )
    client.force_login(sqa_officer)

    html = client.get(reverse("ehcp:import-detail", args=[child_import.pk])).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in html
    assert shown in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (None, None, "Select a CSV file"),
        ("children.csv", b"", "The selected file is empty"),
        ("children.xlsx", b"case_reference\n", "The selected file must be a CSV"),
        ("children.csv", "case_reference\nÉ\n".encode("latin-1"), "The selected file is not UTF-8 text"),
        ("children.csv", b"x" * 2048, "The selected file must be smaller than 1 KB"),
    ],
)
def test_upload_errors_are_summarised(client, area, sqa_officer, settings, name, content, message):
    settings.QAF_IMPORT_MAX_BYTES = 1024
    client.force_login(sqa_officer)

    response = upload(client, content, name) if name else client.post(UPLOAD, {})

    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert f'<a href="#id_file">{message}' in html
    assert 'class="govuk-file-upload govuk-file-upload--error"' in html
    assert ChildImport.objects.count() == 0


def test_upload_page_lists_own_recent_imports_and_the_columns(
    client, area, other_area, sqa_officer, django_assert_max_num_queries
):
    for _ in range(12):
        stored(area.partnership, csv_text([row()]))
    ChildImport.objects.update(filename="ours.csv")
    stored(other_area.partnership, csv_text([row()]))
    ChildImport.objects.filter(partnership=other_area.partnership).update(filename="theirs.csv")
    client.force_login(sqa_officer)

    with django_assert_max_num_queries(8):
        html = client.get(UPLOAD).content.decode()

    assert html.count("ours.csv") == 10
    assert "theirs.csv" not in html
    assert 'href="#columns"' in html and 'id="columns"' in html
    for column in COLUMNS:
        assert f"<code>{column.name}</code>" in html
