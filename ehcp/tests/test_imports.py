"""The SEN2-shaped CSV import: validation rules (pure), the import service, the task and the command."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ehcp import tasks
from ehcp.imports import service, writing
from ehcp.imports.columns import COLUMNS
from ehcp.imports.validation import validate_rows
from ehcp.models import AnnualReview, Child, ChildImport, ImportStatus, NeedsAssessment, Plan, PlanKind
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, PlanFactory

BASE_COLUMNS = [column.name for column in COLUMNS if column.name != "agencies"]
GOOD = {
    "case_reference": "EHC001",
    "initials": "AB",
    "date_of_birth": "2014-03-14",
    "primary_need": "ASD",
    "setting_type": "MS",
    "looked_after": "N",
    "child_in_need": "",
    "request_date": "2024-01-08",
    "decision_date": "2024-02-12",
    "will_assess": "Y",
    "exception": "",
    "final_plan_date": "2024-05-20",
    "last_review_date": "2025-05-12",
    "plan_end_date": "",
    "plan_end_reason": "",
    "agencies": "",
}
NEXT_YEAR = (dt.date.today() + dt.timedelta(days=366)).isoformat()


def row(**changes: str) -> dict:
    return {**GOOD, **changes}


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    columns = columns or BASE_COLUMNS
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for values in rows:
        writer.writerow([values.get(name, "") for name in columns])
    return out.getvalue()


def uploaded(partnership, content: str | bytes, *, user=None, queue: bool = False) -> ChildImport:
    """Stores `content` (text is encoded as UTF-8) as an upload to `partnership`, queued on commit only if `queue`."""
    content_bytes = content.encode() if isinstance(content, str) else content
    return service.child_import_create(
        partnership=partnership, user=user, filename="children.csv", content_bytes=content_bytes, queue=queue
    )


def run(partnership, text: str, user=None) -> ChildImport:
    """Uploads `text` to `partnership` and runs its import at once, as the task would."""
    return service.child_import_run(child_import=uploaded(partnership, text, user=user))


def errors_of(text: str, **kwargs) -> list[tuple[int, str, str]]:
    return [(e.line, e.column, e.message) for e in validate_rows(text, **kwargs).errors]


# --- Validation: one bad row beside a good one ------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "reason"),
    [
        (
            {"primary_need": "AUT"},
            "primary_need",
            "‘AUT’ is not a SEN2 primary need code. Use one of: SPLD, MLD",
        ),
        ({"setting_type": "XX"}, "setting_type", "‘XX’ is not a setting type code. Use one of: EY, MS"),
        ({"exception": "LATE"}, "exception", "‘LATE’ is not a 20-week exception code. Use one of: CLOSURE"),
        (
            {"plan_end_date": "2025-07-01", "plan_end_reason": "GONE"},
            "plan_end_reason",
            "‘GONE’ is not a plan end",
        ),
        ({"date_of_birth": "31/02/2014"}, "date_of_birth", "‘31/02/2014’ is not a real date"),
        ({"request_date": "8 Jan 2024"}, "request_date", "‘8 Jan 2024’ is not a date. Use YYYY-MM-DD"),
        (
            {"decision_date": "2023-12-01"},
            "decision_date",
            "decision date (2023-12-01) is before the request date",
        ),
        (
            {"final_plan_date": "2023-12-01", "last_review_date": ""},
            "final_plan_date",
            "is before the request date",
        ),
        (
            {"plan_end_date": "2024-05-01", "plan_end_reason": "MOVED"},
            "plan_end_date",
            "before the final plan date",
        ),
        ({"initials": ""}, "initials", "The initials is missing: every row needs one"),
        ({"case_reference": ""}, "case_reference", "The case reference is missing"),
        ({"date_of_birth": ""}, "date_of_birth", "The date of birth is missing"),
        ({"date_of_birth": NEXT_YEAR}, "date_of_birth", "is in the future"),
        ({"last_review_date": NEXT_YEAR}, "last_review_date", "is in the future"),
        ({"looked_after": "maybe"}, "looked_after", "‘maybe’ is not Y or N"),
        ({"initials": "A1"}, "initials", "use 1 to 4 letters"),
        ({"case_reference": "X" * 41}, "case_reference", "longer than 40 characters"),
        ({"will_assess": "N"}, "final_plan_date", "cannot follow a decision not to assess"),
        ({"will_assess": ""}, "will_assess", "Enter Y or N in will_assess"),
        ({"plan_end_date": "2025-07-01"}, "plan_end_reason", "plan end reason is missing"),
        ({"plan_end_reason": "MOVED"}, "plan_end_date", "plan end date is missing"),
        (
            {"request_date": "", "final_plan_date": "", "last_review_date": ""},
            "request_date",
            "request date is missing",
        ),
    ],
)
def test_each_rule_reports_the_bad_row_only(changes, column, reason):
    text = csv_text([row(), row(**{"case_reference": "EHC002", **changes})])

    errors = errors_of(text)

    assert len(errors) == 1, errors
    line, error_column, message = errors[0]
    assert (line, error_column) == (3, column)
    assert reason in message


def test_codes_are_case_insensitive_and_both_date_formats_are_read():
    text = csv_text(
        [row(primary_need="asd", setting_type="ms", date_of_birth="14/3/2014", will_assess="yes")]
    )

    validation = validate_rows(text)

    assert validation.errors == []
    (parsed,) = validation.rows
    assert (parsed.primary_need, parsed.setting_type) == ("ASD", "MS")
    assert parsed.date_of_birth == dt.date(2014, 3, 14)
    assert parsed.will_assess is True


def test_duplicate_case_reference_names_both_lines():
    text = csv_text([row(), row(case_reference="EHC002"), row()])

    assert errors_of(text) == [
        (4, "case_reference", "Case reference EHC001 is also on line 2: each child must be on one row.")
    ]


def test_line_numbers_are_physical_lines_even_after_a_value_spanning_lines():
    text = csv_text([row(initials="AB"), row(case_reference="EHC002")])
    # A quoted value with a line break in it makes the row two lines long; blank lines still count.
    text = (
        text.replace("EHC001", '"EHC\n001"', 1)
        + "\n"
        + csv_text([row(case_reference="EHC003", primary_need="X")]).split("\n", 1)[1]
    )

    errors = errors_of(text)

    assert [(line, column) for line, column, _ in errors] == [(6, "primary_need")]


def test_wrong_number_of_fields():
    text = csv_text([row()]) + "EHC002,AB,2014-03-14\n"

    assert errors_of(text) == [
        (
            3,
            "",
            "This row has 3 values but the header has 15 columns. A value with a comma in it must be inside double quotes.",
        )
    ]


def test_unknown_agency_is_named():
    columns = [*BASE_COLUMNS, "agencies"]
    text = csv_text([row(agencies="Oakfield School; Nowhere Trust")], columns)

    errors = errors_of(text, agencies={"oakfield school": 1})

    assert len(errors) == 1
    assert errors[0][:2] == (2, "agencies")
    assert "‘Nowhere Trust’ is not an agency of this partnership" in errors[0][2]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [(1, "", "The file is empty.")]),
        ("\n , ,\n", [(1, "", "The file is empty.")]),
        (
            ",".join(BASE_COLUMNS) + "\n",
            [(1, "", "The file has a header row but no rows of children under it.")],
        ),
        (
            ";".join(BASE_COLUMNS) + "\nA;B\n",
            [
                (
                    1,
                    "",
                    "The values must be separated by commas, not semicolons or tabs. Save the file from your spreadsheet as ‘CSV UTF-8’.",
                )
            ],
        ),
    ],
)
def test_file_level_problems(text, expected):
    assert errors_of(text) == expected


def test_missing_unknown_and_repeated_header_columns():
    columns = [name for name in BASE_COLUMNS if name != "date_of_birth"] + ["postcode", "initials"]
    text = csv_text([row(postcode="X")], columns)

    errors = errors_of(text)

    assert [(line, column) for line, column, _ in errors] == [
        (1, "postcode"),
        (1, "initials"),
        (1, "date_of_birth"),
    ]
    assert "Column postcode is not one QAF knows" in errors[0][2]
    assert "The column initials is in the header twice." == errors[1][2]
    assert "The header has no date_of_birth column" in errors[2][2]


def test_header_is_case_insensitive_order_free_and_may_carry_a_bom_and_empty_trailing_columns():
    columns = list(reversed(BASE_COLUMNS))
    text = csv_text([row()], columns)
    header, rest = text.split("\n", 1)
    header = ",".join(name.upper().replace("_", " ") for name in header.split(","))
    text = "\ufeff" + header + ",,\n" + rest.replace("\n", ",,\n")

    validation = validate_rows(text)

    assert validation.errors == []
    assert validation.rows[0].case_reference == "EHC001"
    assert "looked_after" in validation.columns and "agencies" not in validation.columns


def test_progress_is_reported_in_batches():
    rows = [row(case_reference=f"EHC{n:04d}") for n in range(2500)]
    calls = []

    validate_rows(csv_text(rows), on_progress=lambda done, total: calls.append((done, total)))

    assert calls == [(0, 2500), (1000, 2500), (2000, 2500)]


# --- Refused before parsing ------------------------------------------------------------------------------


def test_oversize_upload_is_refused_and_nothing_stored(area, settings):
    settings.QAF_IMPORT_MAX_BYTES = 100
    content = csv_text([row()]).encode()
    assert len(content) > 100

    with pytest.raises(ValidationError) as refused:
        uploaded(area.partnership, content)

    assert refused.value.code == "too_large"
    assert refused.value.messages == ["The selected file must be smaller than 100 bytes."]
    assert ChildImport.objects.count() == 0


def test_non_utf8_upload_is_refused_with_the_line_and_nothing_stored(area):
    content = csv_text([row(), row(case_reference="EHC002", initials="ÉB")]).encode("latin-1")

    with pytest.raises(ValidationError) as refused:
        uploaded(area.partnership, content)

    assert refused.value.code == "not_utf8"
    assert "not UTF-8 text (the first problem is on line 3)" in refused.value.messages[0]
    assert ChildImport.objects.count() == 0


# --- The import ------------------------------------------------------------------------------------------

FIVE_CHILDREN = [
    # A plan, reviewed: next review 12 months after the review.
    row(),
    # An under-5 with a plan and no review yet: next review 6 months after the plan.
    row(
        case_reference="EHC002",
        date_of_birth="2021-06-01",
        request_date="2023-09-04",
        decision_date="2023-10-09",
        final_plan_date="2024-01-15",
        last_review_date="",
    ),
    # A plan that has ended: no review is due.
    row(
        case_reference="EHC003",
        request_date="2021-09-06",
        decision_date="2021-10-11",
        final_plan_date="2022-01-10",
        last_review_date="2023-01-09",
        plan_end_date="2024-07-19",
        plan_end_reason="OUTCOMES",
        looked_after="Y",
    ),
    # A plan transferred from another council: no request here, a review held, plan date unknown.
    row(
        case_reference="EHC004",
        request_date="",
        decision_date="",
        will_assess="",
        final_plan_date="",
        last_review_date="2025-03-03",
    ),
    # Requested, not decided yet.
    row(
        case_reference="EHC005",
        request_date="2025-06-02",
        decision_date="",
        will_assess="",
        final_plan_date="",
        last_review_date="",
        exception="FAMILY",
    ),
]


def test_good_file_creates_children_assessments_plans_and_reviews(area, sqa_officer):
    child_import = run(area.partnership, csv_text(FIVE_CHILDREN), user=sqa_officer)

    assert child_import.status == ImportStatus.DONE
    assert (child_import.children_created, child_import.children_updated) == (5, 0)
    assert (child_import.rows_total, child_import.rows_done, child_import.percent_done) == (5, 5, 100)
    children = {child.case_reference: child for child in Child.objects.filter(partnership=area.partnership)}
    assert sorted(children) == ["EHC001", "EHC002", "EHC003", "EHC004", "EHC005"]
    assert {ref: child.next_review_due_on for ref, child in children.items()} == {
        "EHC001": dt.date(2026, 5, 12),
        "EHC002": dt.date(2024, 7, 15),
        "EHC003": None,
        "EHC004": dt.date(2026, 3, 3),
        "EHC005": None,
    }
    first = children["EHC001"]
    assert (first.initials, first.primary_need, first.setting_type, first.looked_after) == (
        "AB",
        "ASD",
        "MS",
        False,
    )
    assessment = first.assessments.get()
    assert (
        assessment.requested_on,
        assessment.decision_on,
        assessment.will_assess,
        assessment.final_plan_issued_on,
    ) == (dt.date(2024, 1, 8), dt.date(2024, 2, 12), True, dt.date(2024, 5, 20))
    plan = first.plans.get()
    assert (plan.kind, plan.version, plan.issued_on, plan.assessment) == (
        PlanKind.FINAL,
        1,
        dt.date(2024, 5, 20),
        assessment,
    )
    review = first.reviews.get()
    # Due 12 months after the final plan, held a week early.
    assert (review.due_on, review.meeting_on, review.plan) == (
        dt.date(2025, 5, 20),
        dt.date(2025, 5, 12),
        plan,
    )
    ended = children["EHC003"]
    assert (ended.plan_ended_on, ended.plan_end_reason, ended.looked_after) == (
        dt.date(2024, 7, 19),
        "OUTCOMES",
        True,
    )
    transferred = children["EHC004"]
    assert transferred.assessments.count() == 0 and transferred.plans.count() == 0
    # Nothing says when it was due, so it counts as due on the day it was held.
    assert list(transferred.reviews.values_list("due_on", "meeting_on")) == [
        (dt.date(2025, 3, 3), dt.date(2025, 3, 3))
    ]
    undecided = children["EHC005"].assessments.get()
    assert (undecided.decision_on, undecided.will_assess, undecided.exception) == (None, None, "FAMILY")
    assert children["EHC005"].plans.count() == 0


def test_one_bad_row_among_good_ones_imports_nothing(area):
    existing = ChildFactory(partnership=area.partnership, case_reference="EHC002", primary_need="SLD")
    rows = [row(case_reference=f"EHC{n:03d}") for n in range(1, 6)]
    rows[3]["primary_need"] = "AUT"

    child_import = run(area.partnership, csv_text(rows))

    assert child_import.status == ImportStatus.FAILED
    assert child_import.errors == [
        {
            "line": 5,
            "column": "primary_need",
            "message": "‘AUT’ is not a SEN2 primary need code. Use one of: "
            "SPLD, MLD, SLD, PMLD, SEMH, SLCN, HI, VI, MSI, PD, ASD, DS, OTH.",
        }
    ]
    assert child_import.rows_total == 5 and child_import.children_created == 0
    assert list(Child.objects.filter(partnership=area.partnership)) == [existing]
    existing.refresh_from_db()
    assert existing.primary_need == "SLD"
    assert NeedsAssessment.objects.count() == Plan.objects.count() == AnnualReview.objects.count() == 0


def test_reimporting_updates_rather_than_duplicates(area):
    run(area.partnership, csv_text(FIVE_CHILDREN))

    again = run(area.partnership, csv_text(FIVE_CHILDREN))

    assert (again.children_created, again.children_updated) == (0, 5)
    assert Child.objects.count() == 5
    assert (NeedsAssessment.objects.count(), Plan.objects.count(), AnnualReview.objects.count()) == (4, 3, 3)

    changed = [
        row(primary_need="SEMH", setting_type="SS", last_review_date="2025-11-03", decision_date="2024-02-05")
    ]
    later = run(area.partnership, csv_text(changed))

    assert (later.children_created, later.children_updated) == (0, 1)
    child = Child.objects.get(case_reference="EHC001")
    assert (child.primary_need, child.setting_type) == ("SEMH", "SS")
    assert child.assessments.get().decision_on == dt.date(2024, 2, 5)
    assert child.plans.count() == 1
    # The new review was due 12 months after the one before it.
    assert list(child.reviews.order_by("meeting_on").values_list("due_on", "meeting_on")) == [
        (dt.date(2025, 5, 20), dt.date(2025, 5, 12)),
        (dt.date(2026, 5, 12), dt.date(2025, 11, 3)),
    ]
    assert child.next_review_due_on == dt.date(2026, 11, 3)


def test_a_new_request_and_plan_for_a_known_child_add_to_what_is_held(area):
    run(area.partnership, csv_text([row()]))

    run(
        area.partnership,
        csv_text(
            [
                row(
                    request_date="2025-06-02",
                    decision_date="2025-06-30",
                    final_plan_date="2025-10-13",
                    last_review_date="2025-05-12",
                )
            ]
        ),
    )

    child = Child.objects.get()
    assert sorted(child.assessments.values_list("requested_on", flat=True)) == [
        dt.date(2024, 1, 8),
        dt.date(2025, 6, 2),
    ]
    assert list(child.plans.order_by("version").values_list("version", "issued_on")) == [
        (1, dt.date(2024, 5, 20)),
        (2, dt.date(2025, 10, 13)),
    ]
    assert child.next_review_due_on == dt.date(2026, 10, 13)


def test_a_review_qaf_had_scheduled_is_recorded_as_held(area):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC001")
    PlanFactory(child=child, issued_on=dt.date(2024, 5, 20), version=1)
    scheduled = AnnualReviewFactory(child=child, due_on=dt.date(2025, 5, 20))

    run(area.partnership, csv_text([row()]))

    scheduled.refresh_from_db()
    assert scheduled.meeting_on == dt.date(2025, 5, 12)
    assert child.reviews.count() == 1
    child.refresh_from_db()
    assert child.next_review_due_on == dt.date(2026, 5, 12)


def test_import_is_scoped_to_the_importers_partnership(area, other_area):
    theirs = ChildFactory(
        partnership=other_area.partnership, case_reference="EHC001", initials="ZZ", primary_need="HI"
    )

    child_import = run(area.partnership, csv_text([row()]))

    assert (child_import.children_created, child_import.children_updated) == (1, 0)
    theirs.refresh_from_db()
    assert (theirs.initials, theirs.primary_need, theirs.next_review_due_on) == ("ZZ", "HI", None)
    assert theirs.assessments.count() == theirs.plans.count() == theirs.reviews.count() == 0
    assert Child.objects.get(partnership=area.partnership).initials == "AB"


def test_agencies_column_sets_replaces_and_when_left_out_keeps_them(area, other_area):
    columns = [*BASE_COLUMNS, "agencies"]
    run(
        area.partnership, csv_text([row(agencies=f"{area.school.name}; {area.health.name.upper()}")], columns)
    )
    child = Child.objects.get()
    assert set(child.agencies.all()) == {area.school, area.health}

    run(area.partnership, csv_text([row(agencies=area.social_care.name)], columns))
    assert set(child.agencies.all()) == {area.social_care}

    run(area.partnership, csv_text([row()]))
    assert set(child.agencies.all()) == {area.social_care}

    refused = run(area.partnership, csv_text([row(agencies=other_area.school.name)], columns))
    assert refused.status == ImportStatus.FAILED
    assert refused.errors[0]["column"] == "agencies"
    assert set(child.agencies.all()) == {area.social_care}


def test_flag_columns_left_out_keep_what_is_held(area):
    ChildFactory(partnership=area.partnership, case_reference="EHC001", looked_after=True, child_in_need=True)
    columns = [name for name in BASE_COLUMNS if name not in ("looked_after", "child_in_need", "exception")]

    run(area.partnership, csv_text([row()], columns))

    child = Child.objects.get()
    assert (child.looked_after, child.child_in_need) == (True, True)


def _numbered(prefix: str, count: int, **changes: str) -> str:
    return csv_text(
        [row(case_reference=f"{prefix}{n:05d}", **changes) for n in range(count)], [*BASE_COLUMNS, "agencies"]
    )


def test_query_count_does_not_grow_with_rows(area, django_assert_max_num_queries):
    counts = {}
    for count in (10, 500):
        agencies = f"{area.school.name};{area.health.name}"
        created = uploaded(area.partnership, _numbered(f"N{count}-", count, agencies=agencies))
        with django_assert_max_num_queries(18), CaptureQueriesContext(connection) as create_queries:
            service.child_import_run(child_import=created)
        # The same children again, changed: the update path (bulk updates, agency links replaced).
        updated = uploaded(
            area.partnership,
            _numbered(
                f"N{count}-", count, setting_type="SS", last_review_date="2025-11-03", agencies=area.sat.name
            ),
        )
        with django_assert_max_num_queries(18), CaptureQueriesContext(connection) as update_queries:
            service.child_import_run(child_import=updated)
        assert updated.status == ImportStatus.DONE and updated.children_updated == count
        counts[count] = (len(create_queries), len(update_queries))

    assert counts[10] == counts[500]
    assert Child.objects.filter(setting_type="SS").count() == 510


# --- Running twice ---------------------------------------------------------------------------------------


def test_task_run_twice_imports_once(area, django_assert_max_num_queries):
    child_import = uploaded(area.partnership, csv_text(FIVE_CHILDREN))

    assert tasks.child_import_run(child_import.pk) == ImportStatus.DONE
    with django_assert_max_num_queries(3):
        assert tasks.child_import_run(child_import.pk) == ImportStatus.DONE

    child_import.refresh_from_db()
    assert (child_import.children_created, child_import.children_updated) == (5, 0)
    assert (Child.objects.count(), Plan.objects.count(), AnnualReview.objects.count()) == (5, 3, 3)


def test_a_finished_import_is_not_run_again(area):
    failed = run(area.partnership, csv_text([row(primary_need="AUT")]))
    ChildImport.objects.filter(pk=failed.pk).update(content=csv_text([row()]))
    failed.refresh_from_db()

    again = service.child_import_run(child_import=failed)

    assert again.status == ImportStatus.FAILED
    assert Child.objects.count() == 0


def test_a_run_whose_worker_died_is_run_again_from_the_start(area):
    # A killed worker leaves the import RUNNING and, its transaction rolled back, nothing written.
    child_import = uploaded(area.partnership, csv_text(FIVE_CHILDREN))
    ChildImport.objects.filter(pk=child_import.pk).update(status=ImportStatus.RUNNING, rows_done=3)

    assert tasks.child_import_run(child_import.pk) == ImportStatus.DONE

    assert Child.objects.count() == 5 and Plan.objects.count() == 3


def test_task_for_a_deleted_import_does_nothing(db):
    assert tasks.child_import_run(987654) is None


def test_create_queues_the_task_on_commit(area, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        child_import = uploaded(area.partnership, csv_text([row()]), queue=True)

    assert len(callbacks) == 1
    child_import.refresh_from_db()
    assert child_import.status == ImportStatus.DONE
    assert Child.objects.filter(partnership=area.partnership, case_reference="EHC001").exists()


def test_an_unexpected_failure_marks_the_import_failed_and_writes_nothing(area, monkeypatch):
    def broken(**kwargs):
        Child.objects.create(
            partnership=area.partnership,
            case_reference="HALF",
            initials="H",
            date_of_birth=dt.date(2014, 1, 1),
            primary_need="ASD",
            setting_type="MS",
        )
        raise RuntimeError("disk full")

    monkeypatch.setattr(writing, "rows_write", broken)

    child_import = run(area.partnership, csv_text([row()]))

    assert child_import.status == ImportStatus.FAILED
    assert "stopped unexpectedly" in child_import.errors[0]["message"]
    assert Child.objects.count() == 0


# --- The management command and the documentation ----------------------------------------------------------


def test_command_imports_a_file(area, sqa_officer, tmp_path):
    path = tmp_path / "children.csv"
    path.write_text(csv_text(FIVE_CHILDREN))
    out = io.StringIO()

    call_command("import_sen2", str(path), partnership=area.partnership.slug, user="sqa", stdout=out)

    assert "5 children created, 0 updated" in out.getvalue()
    assert ChildImport.objects.get().uploaded_by == sqa_officer


def test_command_prints_each_problem_and_fails(area, tmp_path):
    path = tmp_path / "children.csv"
    path.write_text(csv_text([row(), row(case_reference="EHC002", primary_need="AUT", date_of_birth="")]))
    err = io.StringIO()

    with pytest.raises(CommandError, match="was not imported: 2 problem"):
        call_command("import_sen2", str(path), partnership=area.partnership.slug, stderr=err)

    lines = err.getvalue().splitlines()
    assert lines[0] == "line 3, date_of_birth: The date of birth is missing: every row needs one."
    assert lines[1].startswith("line 3, primary_need: ‘AUT’ is not a SEN2 primary need code.")
    assert Child.objects.count() == 0


def test_command_refuses_an_unknown_partnership(db, tmp_path):
    path = tmp_path / "children.csv"
    path.write_text(csv_text([row()]))

    with pytest.raises(CommandError, match="No partnership"):
        call_command("import_sen2", str(path), partnership="nowhere")


DOC = Path(__file__).resolve().parents[2] / "docs" / "sen2-csv.md"


def test_documentation_covers_every_column_and_its_example_is_valid():
    text = DOC.read_text()
    for column in COLUMNS:
        assert f"`{column.name}`" in text
        for code, _ in column.codes:
            assert f"`{code}`" in text
    example = re.search(r"```csv\n(.*?)```", text, re.S).group(1)

    validation = validate_rows(example, agencies={"oakfield school": 1, "community health nhs trust": 2})

    assert validation.errors == []
    assert len(validation.rows) >= 3
