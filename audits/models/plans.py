"""The annual audit plan: what QA activity the partnership plans for an academic year, by half term."""

from __future__ import annotations

from django.db import models

from audits.models.audits import AuditKind
from qaf.models import AcademicYear, Agency, HalfTerm, Partnership, Term, Theme, person_link


class AuditPlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"


class AuditPlan(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audit_plans")
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.PROTECT, related_name="audit_plans")
    title = models.CharField(max_length=200)
    status = models.CharField(max_length=10, choices=AuditPlanStatus.choices, default=AuditPlanStatus.DRAFT)
    created_by = person_link()
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = person_link()
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-academic_year__start_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "academic_year"], name="audit_plan_one_per_year"),
        ]

    def __str__(self) -> str:
        return self.title


# A planned activity is of the kinds an audit scheduled from it is.
ActivityKind = AuditKind


class PlannedActivity(models.Model):
    """One line of the plan: e.g. "Level 3 multi-agency audit, 6 plans, half term 2, led by the SQA service"."""

    plan = models.ForeignKey(AuditPlan, on_delete=models.CASCADE, related_name="activities")
    level = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="EHCP audit level 1 to 4, if one."
    )
    kind = models.CharField(max_length=20, choices=ActivityKind.choices)
    title = models.CharField(max_length=200, blank=True)
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    half_term = models.ForeignKey(HalfTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lead_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    tool = models.ForeignKey(
        "audits.AuditTool", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    planned_count = models.PositiveSmallIntegerField(default=1)
    notes = models.TextField(blank=True)

    # Not columns: the links the plan page offers for each activity (audits.views.plans.plan_detail).
    can_schedule: bool
    can_sample: bool

    class Meta:
        ordering = ["plan", "half_term__number", "term__number", "level", "pk"]
        verbose_name_plural = "planned activities"

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()}" + (f", level {self.level}" if self.level else "")
