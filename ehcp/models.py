"""Children and young people (pseudonymised), their needs assessments, plans and annual reviews."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from guardian.models import UserObjectPermissionBase

from ehcp import timeliness
from ehcp.codes import AssessmentException, PlanEndReason, PrimaryNeed, ReviewDecision, SettingType
from qaf.models import Agency, Partnership, Timestamped, person_link


class Child(Timestamped):
    """A child or young person with an EHC needs assessment or plan, held by case reference and initials only."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="children")
    case_reference = models.CharField(max_length=40)
    initials = models.CharField(max_length=4)
    date_of_birth = models.DateField()
    primary_need = models.CharField(max_length=4, choices=PrimaryNeed.choices)
    setting_type = models.CharField(max_length=3, choices=SettingType.choices)
    looked_after = models.BooleanField("looked after", default=False)
    child_in_need = models.BooleanField("child in need", default=False)
    agencies = models.ManyToManyField(Agency, related_name="children", blank=True)
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="caseload",
        help_text="The statutory assessment team caseworker responsible.",
    )
    plan_ended_on = models.DateField(null=True, blank=True)
    plan_end_reason = models.CharField(max_length=10, choices=PlanEndReason.choices, blank=True)
    # Denormalised from the latest annual review and plan, kept by ehcp.services, so the list can filter
    # on "review overdue" with an index instead of a subquery per row.
    next_review_due_on = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["case_reference"]
        verbose_name_plural = "children"
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "case_reference"], name="child_unique_case_reference"
            ),
        ]
        indexes = [
            models.Index(fields=["partnership", "primary_need"]),
            models.Index(fields=["partnership", "date_of_birth"]),
        ]

    def __str__(self) -> str:
        return f"{self.case_reference} ({self.initials})"

    def age_on(self, day: dt.date) -> int:
        years = day.year - self.date_of_birth.year
        if (day.month, day.day) < (self.date_of_birth.month, self.date_of_birth.day):
            years -= 1
        return years

    @property
    def age(self) -> int:
        return self.age_on(timezone.localdate())

    @property
    def year_group(self) -> int:
        """National curriculum year (reception is 0) in the current academic year."""
        return timeliness.year_group(self.date_of_birth, timezone.localdate())

    @property
    def key_stage(self) -> str:
        return timeliness.key_stage(self.year_group)

    @property
    def has_active_plan(self) -> bool:
        return self.plan_ended_on is None

    @property
    def review_is_overdue(self) -> bool:
        return (
            self.plan_ended_on is None
            and self.next_review_due_on is not None
            and self.next_review_due_on < timezone.localdate()
        )


class NeedsAssessment(models.Model):
    """An EHC needs assessment, from the request to the final plan (or a decision not to assess or issue)."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="assessments")
    requested_on = models.DateField()
    decision_on = models.DateField("decision to assess made on", null=True, blank=True)
    will_assess = models.BooleanField("decided to assess", null=True, blank=True)
    exception = models.CharField(
        max_length=10,
        choices=AssessmentException.choices,
        blank=True,
        help_text="An exception to the 20 weeks.",
    )
    exception_notes = models.TextField(blank=True)
    final_plan_issued_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on"]

    def __str__(self) -> str:
        return f"Needs assessment requested {self.requested_on:%d %b %Y}"

    @property
    def decision_due_on(self) -> dt.date:
        return timeliness.add_weeks(self.requested_on, timeliness.DECISION_WEEKS)

    @property
    def final_plan_due_on(self) -> dt.date:
        return timeliness.add_weeks(self.requested_on, timeliness.FINAL_PLAN_WEEKS)

    @property
    def weeks_to_final_plan(self) -> float | None:
        if self.final_plan_issued_on is None:
            return None
        return timeliness.weeks_between(self.requested_on, self.final_plan_issued_on)

    def deadlines(self, today: dt.date | None = None) -> list[timeliness.Deadline]:
        return timeliness.assessment_deadlines(self, today or timezone.localdate())


class PlanKind(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Final"


class Plan(models.Model):
    """One issued version of a child's EHC plan: a draft or a final, after an assessment or a review."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="plans")
    assessment = models.ForeignKey(
        NeedsAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="plans"
    )
    review = models.ForeignKey(
        "AnnualReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="plans",
        help_text="The annual review this plan was amended after, if any.",
    )
    kind = models.CharField(max_length=5, choices=PlanKind.choices)
    version = models.PositiveSmallIntegerField(default=1)
    issued_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["child", "kind", "version"], name="plan_unique_version"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} plan v{self.version}, issued {self.issued_on:%d %b %Y}"


class AnnualReview(models.Model):
    """An annual review of a plan: due date, meeting, decision and any amended plan."""

    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey(Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="reviews")
    due_on = models.DateField()
    meeting_on = models.DateField(null=True, blank=True)
    decision_on = models.DateField(null=True, blank=True)
    decision = models.CharField(max_length=10, choices=ReviewDecision.choices, blank=True)
    amended_plan_issued_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-due_on"]

    def __str__(self) -> str:
        return f"Annual review due {self.due_on:%d %b %Y}"

    @property
    def is_overdue(self) -> bool:
        return self.meeting_on is None and self.due_on < timezone.localdate()

    def deadlines(self, today: dt.date | None = None) -> list[timeliness.Deadline]:
        return timeliness.review_deadlines(self, today or timezone.localdate())


class ImportStatus(models.TextChoices):
    PENDING = "pending", "Waiting to start"
    RUNNING = "running", "Importing"
    FAILED = "failed", "Not imported"
    DONE = "done", "Imported"


class ChildImport(models.Model):
    """One upload of a SEN2-shaped CSV file and what became of it. All rows are imported, or none."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="child_imports")
    uploaded_by = person_link()
    filename = models.CharField(max_length=255)
    content = models.TextField(help_text="The uploaded file, decoded as UTF-8.")
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    children_created = models.PositiveIntegerField(default=0)
    children_updated = models.PositiveIntegerField(default=0)
    # [{"line": 7, "column": "date_of_birth", "message": "..."}]
    errors = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_finished(self) -> bool:
        return self.status in (ImportStatus.FAILED, ImportStatus.DONE)

    @property
    def percent_done(self) -> int:
        if not self.rows_total:
            return 0
        return int(100 * self.rows_done / self.rows_total)


class ChildUserObjectPermission(UserObjectPermissionBase):
    """An explicit grant of one child to one user across agencies (a Level 3 panel member, a Level 4 lead),
    held by django-guardian with a direct foreign key."""

    content_object = models.ForeignKey(Child, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass
