"""`rows_write`: the write step of an import, upserting checked rows into a partnership in bulk."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from ehcp import services, timeliness
from ehcp.imports.rows import BATCH_ROWS, Sen2Row
from ehcp.models import AnnualReview, Child, NeedsAssessment, Plan, PlanKind
from qaf.models import Partnership

_CHILD_FIELDS = (
    "initials",
    "date_of_birth",
    "primary_need",
    "setting_type",
    "looked_after",
    "child_in_need",
    "plan_ended_on",
    "plan_end_reason",
    "next_review_due_on",
)
_ASSESSMENT_FIELDS = ("decision_on", "will_assess", "exception", "final_plan_issued_on")


@dataclass
class _Held:
    """What the database already holds for one existing child."""

    assessments: list[NeedsAssessment] = field(default_factory=list)
    finals: list[Plan] = field(default_factory=list)
    reviews: list[AnnualReview] = field(default_factory=list)
    agency_links: dict[int, int] = field(default_factory=dict)  # agency id -> through row id


def rows_write(
    *,
    partnership: Partnership,
    rows: Sequence[Sen2Row],
    columns: frozenset[str],
    on_progress: Callable[[int, int], None] | None = None,
) -> tuple[int, int]:
    """Write checked rows into the partnership: the write step of `child_import_run`.

    Upserts each child by case reference and records its assessment (matched on request date), final plan,
    last review, plan end and next review date; optional columns not in `columns` leave what is held alone.
    Call it inside a transaction. Returns (children created, children updated). A fixed number of queries per
    BATCH_ROWS rows.
    """
    created = updated = 0
    for start in range(0, len(rows), BATCH_ROWS):
        batch = rows[start : start + BATCH_ROWS]
        batch_created, batch_updated = _write_batch(partnership, batch, columns)
        created += batch_created
        updated += batch_updated
        if on_progress:
            on_progress(start + len(batch), len(rows))
    return created, updated


def _load_held(partnership: Partnership, batch: Sequence[Sen2Row], agencies_given: bool):
    children = {
        child.case_reference: child
        for child in Child.objects.filter(
            partnership=partnership, case_reference__in=[row.case_reference for row in batch]
        )
    }
    held: dict[int, _Held] = {child.pk: _Held() for child in children.values()}
    if held:
        ids = list(held)
        for assessment in NeedsAssessment.objects.filter(child_id__in=ids).order_by("pk"):
            held[assessment.child_id].assessments.append(assessment)
        plans = Plan.objects.filter(child_id__in=ids, kind=PlanKind.FINAL).only(
            "child_id", "issued_on", "version"
        )
        for plan in plans:
            held[plan.child_id].finals.append(plan)
        for review in AnnualReview.objects.filter(child_id__in=ids).only("child_id", "due_on", "meeting_on"):
            held[review.child_id].reviews.append(review)
        if agencies_given:
            links = Child.agencies.through.objects.filter(child_id__in=ids).values_list(
                "pk", "child_id", "agency_id"
            )
            for link_id, child_id, agency_id in links:
                held[child_id].agency_links[agency_id] = link_id
    return children, held


@dataclass
class _Changes:
    """What one batch adds to and changes in the database, written in bulk by `save`."""

    new_children: list[Child] = field(default_factory=list)
    changed_children: list[Child] = field(default_factory=list)
    new_assessments: list[NeedsAssessment] = field(default_factory=list)
    changed_assessments: list[NeedsAssessment] = field(default_factory=list)
    new_plans: list[Plan] = field(default_factory=list)
    new_reviews: list[AnnualReview] = field(default_factory=list)
    held_reviews: list[AnnualReview] = field(default_factory=list)
    links_to_add: list[tuple[Child, int]] = field(default_factory=list)
    links_to_remove: list[int] = field(default_factory=list)

    def save(self) -> None:
        # Children first (the bulk inserts return their ids), then the rows that point at them, in order.
        Child.objects.bulk_create(self.new_children)
        if self.changed_children:
            Child.objects.bulk_update(self.changed_children, [*_CHILD_FIELDS, "updated_at"])
        NeedsAssessment.objects.bulk_create(self.new_assessments)
        if self.changed_assessments:
            NeedsAssessment.objects.bulk_update(self.changed_assessments, list(_ASSESSMENT_FIELDS))
        Plan.objects.bulk_create(self.new_plans)
        AnnualReview.objects.bulk_create(self.new_reviews)
        if self.held_reviews:
            AnnualReview.objects.bulk_update(self.held_reviews, ["meeting_on"])
        through = Child.agencies.through
        if self.links_to_remove:
            through.objects.filter(pk__in=self.links_to_remove).delete()
        through.objects.bulk_create(
            [through(child_id=child.pk, agency_id=agency_id) for child, agency_id in self.links_to_add]
        )


def _child_fields_set(child: Child, row: Sen2Row) -> None:
    child.initials = row.initials
    child.date_of_birth = row.date_of_birth
    child.primary_need = row.primary_need
    child.setting_type = row.setting_type
    if row.looked_after is not None:
        child.looked_after = row.looked_after
    if row.child_in_need is not None:
        child.child_in_need = row.child_in_need
    child.plan_ended_on = row.plan_end_date
    child.plan_end_reason = row.plan_end_reason


def _assessment_write(child: Child, record: _Held, row: Sen2Row, changes: _Changes) -> NeedsAssessment | None:
    """The row's assessment (matched on request date; none without one), new or changed."""
    if not row.request_date:
        return None
    assessment = next((a for a in record.assessments if a.requested_on == row.request_date), None)
    if assessment is None:
        assessment = NeedsAssessment(child=child, requested_on=row.request_date)
        changes.new_assessments.append(assessment)
        before = None
    else:
        before = tuple(getattr(assessment, name) for name in _ASSESSMENT_FIELDS)
    assessment.decision_on = row.decision_date
    assessment.will_assess = row.will_assess
    if row.exception is not None:
        assessment.exception = row.exception
    assessment.final_plan_issued_on = row.final_plan_date
    if before is not None and before != tuple(getattr(assessment, name) for name in _ASSESSMENT_FIELDS):
        changes.changed_assessments.append(assessment)
    return assessment


def _final_plan_write(
    child: Child, record: _Held, row: Sen2Row, assessment: NeedsAssessment | None, changes: _Changes
) -> None:
    if row.final_plan_date and not any(plan.issued_on == row.final_plan_date for plan in record.finals):
        plan = Plan(
            child=child,
            assessment=assessment,
            kind=PlanKind.FINAL,
            issued_on=row.final_plan_date,
            version=max((plan.version for plan in record.finals), default=0) + 1,
        )
        record.finals.append(plan)
        changes.new_plans.append(plan)


def _next_review_due(child: Child, record: _Held) -> dt.date | None:
    meetings = [review.meeting_on for review in record.reviews if review.meeting_on]
    return services.next_review_due_for(
        date_of_birth=child.date_of_birth,
        plan_ended_on=child.plan_ended_on,
        last_final_plan_on=max((plan.issued_on for plan in record.finals), default=None),
        last_review_meeting_on=max(meetings, default=None),
        open_review_due_on=min((r.due_on for r in record.reviews if r.meeting_on is None), default=None),
    )


def _agency_links_write(child: Child, record: _Held, row: Sen2Row, changes: _Changes) -> None:
    wanted = set(row.agency_ids or ())
    changes.links_to_add.extend(
        (child, agency_id) for agency_id in wanted if agency_id not in record.agency_links
    )
    changes.links_to_remove.extend(
        link for agency_id, link in record.agency_links.items() if agency_id not in wanted
    )


def _write_batch(
    partnership: Partnership, batch: Sequence[Sen2Row], columns: frozenset[str]
) -> tuple[int, int]:
    agencies_given = "agencies" in columns
    children, held = _load_held(partnership, batch, agencies_given)
    now = timezone.now()
    changes = _Changes()
    for row in batch:
        child = children.get(row.case_reference)
        if child is None:
            child = Child(partnership=partnership, case_reference=row.case_reference)
            record = _Held()
            changes.new_children.append(child)
            before = None
        else:
            record = held[child.pk]
            before = tuple(getattr(child, name) for name in _CHILD_FIELDS)
        _child_fields_set(child, row)
        assessment = _assessment_write(child, record, row, changes)
        _final_plan_write(child, record, row, assessment, changes)
        if row.last_review_date:
            _record_review(child, record, row.last_review_date, changes.new_reviews, changes.held_reviews)
        child.next_review_due_on = _next_review_due(child, record)
        if before is not None and before != tuple(getattr(child, name) for name in _CHILD_FIELDS):
            child.updated_at = now
            changes.changed_children.append(child)
        if agencies_given:
            _agency_links_write(child, record, row, changes)
    changes.save()
    return len(changes.new_children), len(batch) - len(changes.new_children)


def _record_review(
    child: Child,
    record: _Held,
    meeting_on: dt.date,
    new_reviews: list[AnnualReview],
    held_reviews: list[AnnualReview],
) -> None:
    """Record the last review meeting, unless one is held that day: on the open review of that cycle if QAF
    has one scheduled, otherwise as a new review due when the one before it (or the plan) made it due."""
    if any(review.meeting_on == meeting_on for review in record.reviews):
        return
    open_reviews = sorted(
        (
            r
            for r in record.reviews
            if r.meeting_on is None
            and r.due_on - relativedelta(months=timeliness.REVIEW_MONTHS) <= meeting_on
        ),
        key=lambda r: r.due_on,
    )
    if open_reviews:
        open_reviews[0].meeting_on = meeting_on
        held_reviews.append(open_reviews[0])
        return
    earlier = [plan.issued_on for plan in record.finals if plan.issued_on < meeting_on]
    earlier += [
        review.meeting_on for review in record.reviews if review.meeting_on and review.meeting_on < meeting_on
    ]
    due_on = timeliness.next_review_due(max(earlier), child.date_of_birth) if earlier else meeting_on
    plans_before = [plan for plan in record.finals if plan.issued_on <= meeting_on]
    review = AnnualReview(
        child=child,
        plan=max(plans_before, key=lambda plan: plan.issued_on, default=None),
        due_on=due_on,
        meeting_on=meeting_on,
    )
    record.reviews.append(review)
    new_reviews.append(review)
