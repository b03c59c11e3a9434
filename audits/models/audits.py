"""Audits at the four levels, their answers, section results, the Level 3 panel, the Level 4 record, and history.

Each level keeps its own workflow through `level` and the level-specific rows (Level 2's form and plan stage,
Level 3's panel members, Level 4's case review record). An audit records the tool version it used for good.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from audits.models.grades import Grade
from qaf.history.models import HistoryEvent
from qaf.models import Agency, Partnership, Theme, Timestamped, person_link


class AuditLevel(models.IntegerChoices):
    SINGLE_AGENCY = 1, "Level 1: single-agency audit"
    SAT = 2, "Level 2: statutory assessment team audit"
    MULTI_AGENCY = 3, "Level 3: multi-agency audit"
    CASE_REVIEW = 4, "Level 4: system-leader case review"


class AuditKind(models.TextChoices):
    CASE_AUDIT = "case_audit", "Case audit"
    THEMED_AUDIT = "themed_audit", "Themed audit"
    DIP_SAMPLE = "dip_sample", "Dip sample"
    OBSERVATION = "observation", "Observation of practice"
    PEER_REVIEW = "peer_review", "Peer review"
    MODERATION_PANEL = "moderation_panel", "Moderation panel"


class Level2Form(models.TextChoices):
    MODERATION_PANEL = "moderation_panel", "Plan reviewed at the SEND Moderation Panel"
    PEER_REVIEW = "peer_review", "Draft or final plan peer-reviewed by a caseworker"
    SERVICE_MANAGER = "service_manager", "Plan or review audited by a SAT service manager"


class PlanStage(models.TextChoices):
    DRAFT = "draft", "Draft plan"
    FINAL = "final", "Final plan"
    REVIEW = "review", "Annual review"


class AuditStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"
    MODERATED = "moderated", "Moderated"
    CLOSED = "closed", "Closed"


class Audit(Timestamped):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audits")
    level = models.PositiveSmallIntegerField(choices=AuditLevel.choices)
    kind = models.CharField(max_length=20, choices=AuditKind.choices, default=AuditKind.CASE_AUDIT)
    title = models.CharField(max_length=200, blank=True)
    tool_version = models.ForeignKey(
        "audits.AuditToolVersion", on_delete=models.PROTECT, related_name="audits"
    )
    activity = models.ForeignKey(
        "audits.PlannedActivity", null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    sample_item = models.ForeignKey(
        "audits.SampleItem", null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    # The agency that owns the audit: the auditing agency at Level 1, the SAT at Level 2, the lead agency at 3/4.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="audits")
    child = models.ForeignKey(
        "ehcp.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="audits"
    )
    plan = models.ForeignKey(
        "ehcp.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    review = models.ForeignKey(
        "ehcp.AnnualReview", null=True, blank=True, on_delete=models.SET_NULL, related_name="audits"
    )
    level2_form = models.CharField(max_length=20, choices=Level2Form.choices, blank=True)
    plan_stage = models.CharField(max_length=10, choices=PlanStage.choices, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="audits")
    status = models.CharField(max_length=12, choices=AuditStatus.choices, default=AuditStatus.SCHEDULED)
    due_on = models.DateField()
    scheduled_by = person_link()
    reaudit_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reaudits"
    )
    strengths = models.TextField(blank=True)
    areas_for_development = models.TextField(blank=True)
    # The grade computed from the weighted answers, the auditor's override (with its reason), and the result.
    computed_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    override_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    override_reason = models.TextField(blank=True)
    overall_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True, db_index=True)
    # The grade that counts everywhere: the moderator's overall grade where the audit has been moderated since
    # its last submission, else overall_grade (audits/selectors/grades.py holds the rule; services store it).
    grade_of_record = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "level", "status"]),
            models.Index(fields=["partnership", "due_on"]),
            models.Index(fields=["partnership", "grade_of_record"]),
        ]

    def __str__(self) -> str:
        subject = self.child.case_reference if self.child is not None else self.title or "audit"
        return f"Level {self.level} audit of {subject}"

    @property
    def is_open(self) -> bool:
        return self.status in (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS)

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.due_on < timezone.localdate()


class AuditAssignment(models.Model):
    """An auditor assigned to complete the audit (the assignees are the only people who edit it before submit)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_assignments"
    )
    assigned_by = person_link()
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "user"], name="audit_assignment_unique")]

    def __str__(self) -> str:
        return f"{self.user} on {self.audit}"


class PanelMember(models.Model):
    """A member of a Level 3 multi-agency panel; membership is mirrored as object grants on the audit."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="panel_members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="audit_panels")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "user"], name="panel_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.agency}) on the panel of {self.audit}"


class AuditAnswer(models.Model):
    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey("audits.ToolQuestion", on_delete=models.PROTECT, related_name="answers")
    # A value from the tool version's scale, "na" for not applicable, or "" when not answered yet.
    value = models.CharField(max_length=10, blank=True)
    evidence = models.TextField(blank=True)
    answered_by = person_link()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "question"], name="audit_answer_unique")]

    def __str__(self) -> str:
        return f"Answer to question {self.question_id} of audit {self.audit_id}"


class AuditSectionResult(models.Model):
    """The auditor's grade for one section (computed, or overridden with a reason)."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="section_results")
    section = models.ForeignKey("audits.ToolSection", on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=5, decimal_places=3, null=True, blank=True)
    computed_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    override_grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)
    override_reason = models.TextField(blank=True)
    grade = models.CharField(max_length=24, choices=Grade.choices, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["audit", "section"], name="audit_section_unique")]

    def __str__(self) -> str:
        return f"Section {self.section_id} of audit {self.audit_id}: {self.grade or 'not graded'}"


class CaseReviewRecord(models.Model):
    """Level 4: the board member's case review, the recorded consent and the meeting with the family."""

    audit = models.OneToOneField(Audit, on_delete=models.CASCADE, related_name="case_review")
    lead_board_member = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consent_given_by = models.CharField(
        max_length=200, blank=True, help_text="Who gave consent (their role)."
    )
    consent_given_on = models.DateField(null=True, blank=True)
    consent_how = models.CharField(
        max_length=200, blank=True, help_text="Written, verbal at a meeting, email ..."
    )
    met_on = models.DateField(null=True, blank=True)
    child_views = models.TextField(blank=True)
    ambitions = models.TextField(blank=True)
    barriers = models.TextField(blank=True)
    family_views = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Case review record of audit {self.audit_id}"

    @property
    def has_consent(self) -> bool:
        return bool(self.consent_given_by and self.consent_given_on and self.consent_how)


class AuditEvent(HistoryEvent):
    """The history of an audit: who did what, when (kept for every change)."""

    subject_field = "audit"
    # Kinds recorded by other parts of the engine read as their own name.
    kind_labels = {
        "scheduled": "Audit scheduled",
        "assigned": "Auditor assigned",
        "started": "Audit started",
        "answered": "Answers saved",
        "saved": "Answers saved",
        "submitted": "Audit submitted",
        "moderated": "Audit moderated",
        "reopened": "Audit reopened",
        "closed": "Audit closed",
        "graded": "Grades computed",
        "overridden": "Grade overridden",
        "panel_member_added": "Panel member added",
        "panel_member_removed": "Panel member removed",
        "case_review_set_up": "Case review set up",
        "case_review_lead_changed": "Lead board member changed",
        "case_review_updated": "Case review record updated",
        "consent_recorded": "Consent recorded",
    }

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="events")

    @property
    def description(self) -> str:
        """The panel member, the lead board member and the reason the event records."""
        details = self.details or {}
        parts = []
        if details.get("member"):
            parts.append(
                f"{details['member']}" + (f" ({details['agency']})" if details.get("agency") else "")
            )
        if details.get("lead"):
            parts.append(
                f"Lead: {details['lead']}"
                + (f", previously {details['previous_lead']}" if details.get("previous_lead") else "")
            )
        if details.get("reason"):
            parts.append(f"Reason: {details['reason']}")
        return ". ".join(parts)
