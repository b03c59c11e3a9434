"""Remedial actions and case escalations: the trackers that make quality assurance change practice.

A remedial action goes to the case-responsible worker and their team manager, with a due date, and is tracked
to verified completion. It comes from an audit, a dip sample, a complaint, feedback analysis or other QA
activity; the record it came from, when there is one, is a generic link (`source_type`/`source_id`), described
by the app that owns it through actions.sources. An escalation goes to the head of service of the responsible
agency when an audit is graded Inadequate or a safeguarding concern is raised; it links to that record the same
way, and one trigger never makes two escalations.

The tables keep the names they had when these models lived in the audits app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from qaf.formats import history_value
from qaf.history.models import HistoryEvent
from qaf.models import Agency, Partnership, Team, Theme, person_link


class ActionPriority(models.TextChoices):
    HIGH = "high", "High"
    MEDIUM = "medium", "Medium"
    LOW = "low", "Low"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    VERIFIED = "verified", "Verified"
    CANCELLED = "cancelled", "Cancelled"


class ActionSource(models.TextChoices):
    AUDIT = "audit", "Audit"
    DIP_SAMPLE = "dip_sample", "Dip sample"
    COMPLAINT = "complaint", "Complaint"
    FEEDBACK = "feedback", "Feedback analysis"
    OTHER = "other", "Other QA activity"


class RemedialAction(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="remedial_actions")
    source = models.CharField(max_length=12, choices=ActionSource.choices, default=ActionSource.AUDIT)
    # The record the action was raised from (an audit, a dip sample, a complaint ...), if any: see actions.sources.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    source_note = models.CharField(max_length=200, blank=True)
    child = models.ForeignKey("ehcp.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="remedial_actions")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="remedial_actions",
        help_text="The case-responsible worker who carries out the action.",
    )
    team_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="team_actions",
    )
    what = models.TextField()
    why = models.TextField()
    priority = models.CharField(max_length=6, choices=ActionPriority.choices, default=ActionPriority.MEDIUM)
    due_on = models.DateField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="remedial_actions")
    status = models.CharField(max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    evidence = models.TextField(blank=True, help_text="What was done, recorded on completion.")
    cancel_reason = models.TextField(blank=True)
    raised_by = person_link(blank=False)
    raised_at = models.DateTimeField(default=timezone.now)
    completed_at = models.DateTimeField(null=True, blank=True)
    verified_by = person_link()
    verified_at = models.DateTimeField(null=True, blank=True)
    # The day the last due-soon or overdue reminder went, so reminders go at most once a day.
    last_reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "audits_remedialaction"
        ordering = ["due_on", "pk"]
        indexes = [
            models.Index(fields=["partnership", "status", "due_on"]),
            models.Index(fields=["source_type", "source_id"]),
        ]

    def __str__(self) -> str:
        return f"Action {self.pk}: {self.what[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)

    @property
    def rag(self) -> str:
        """red when overdue, amber when due within 7 days, green otherwise (open actions only)."""
        if not self.is_open:
            return ""
        days = (self.due_on - timezone.localdate()).days
        return "red" if days < 0 else "amber" if days <= 7 else "green"


class ActionEvent(HistoryEvent):
    """The history of a remedial action: raised, started, completed, verified, cancelled, and each email."""

    subject_field = "action"
    kind_labels = {
        "raised": "Action raised",
        "started": "Work started",
        "completed": "Completed",
        "verified": "Verified",
        "cancelled": "Cancelled",
        "notified": "Email sent",
        "reminded": "Reminder sent",
    }

    action = models.ForeignKey(RemedialAction, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        db_table = "audits_actionevent"

    @property
    def description(self) -> str:
        """Who the action is for and when it is due, who an email went to, and the evidence, note or reason.
        Names of those told come from the action's worker, team manager and raiser."""
        details = self.details or {}
        parts: list[str] = []
        if self.kind == "raised":
            parts.append(
                f"For {details.get('worker', 'the worker')}, due {history_value(details.get('due_on'))}"
            )
            if details.get("team_manager"):
                parts.append(f"Team manager: {details['team_manager']}")
        if self.kind == "notified":
            action = self.action
            people = (action.worker, action.team_manager, action.raised_by)
            names = {person.pk: person.display_name for person in people if person is not None}
            if details.get("to") in names:
                about = self.kind_labels.get(str(details.get("about")), "update").lower()
                parts.append(f"To {names[details['to']]} ({about})")
        for key, label in (("evidence", "Evidence"), ("note", "Note"), ("reason", "Reason")):
            if details.get(key):
                parts.append(f"{label}: {details[key]}")
        return ". ".join(parts)


class EscalationTrigger(models.TextChoices):
    INADEQUATE_AUDIT = "inadequate", "Audit graded Inadequate"
    SAFEGUARDING = "safeguarding", "Safeguarding concern"


class EscalationStatus(models.TextChoices):
    OPEN = "open", "Waiting for acknowledgement"
    ACKNOWLEDGED = "acknowledged", "Acknowledged"
    RESOLVED = "resolved", "Resolved"


class Escalation(models.Model):
    """A case escalation to the head of service of the responsible agency. Never deleted."""

    partnership = models.ForeignKey(Partnership, on_delete=models.PROTECT, related_name="escalations")
    trigger = models.CharField(max_length=14, choices=EscalationTrigger.choices)
    # One escalation per trigger, e.g. "audit:42:inadequate" or "concern:7": retries find the existing one.
    trigger_key = models.CharField(max_length=80)
    # The record that triggered it (an audit, a safeguarding concern): see actions.sources.
    source_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    source_id = models.PositiveBigIntegerField(null=True, blank=True)
    source_object = GenericForeignKey("source_type", "source_id")
    child = models.ForeignKey("ehcp.Child", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="escalations")
    head_of_service = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    summary = models.TextField()
    status = models.CharField(max_length=12, choices=EscalationStatus.choices, default=EscalationStatus.OPEN)
    raised_by = person_link(blank=False)
    raised_at = models.DateTimeField(default=timezone.now)
    notified_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateTimeField(help_text="The working-day deadline for the head of service.")
    acknowledged_by = person_link()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    chased_at = models.DateTimeField(null=True, blank=True)
    raised_to_sqa_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    resolved_by = person_link()
    resolved_at = models.DateTimeField(null=True, blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="escalations")

    class Meta:
        db_table = "audits_escalation"
        ordering = ["-raised_at", "-pk"]
        indexes = [models.Index(fields=["source_type", "source_id"])]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "trigger_key"], name="escalation_one_per_trigger"),
        ]

    def __str__(self) -> str:
        return f"Escalation {self.pk} ({self.get_trigger_display()})"


class EscalationEvent(HistoryEvent):
    """The history of an escalation: raised, each email to the head of service or the SQA lead, acknowledged,
    resolved."""

    subject_field = "escalation"
    kind_labels = {
        "raised": "Escalation raised",
        "notified": "Head of service told",
        "chased": "Reminder sent",
        "raised to SQA": "Raised to the SQA lead",
        "acknowledged": "Acknowledged",
        "resolved": "Resolved",
    }
    EMAILS = ("notified", "chased", "raised to SQA")

    escalation = models.ForeignKey(Escalation, on_delete=models.CASCADE, related_name="events")

    class Meta(HistoryEvent.Meta):
        db_table = "audits_escalationevent"

    @property
    def description(self) -> str:
        """Whether an email went, or the note or resolution recorded."""
        details = self.details or {}
        if self.kind in self.EMAILS:
            return "Email sent" if details.get("recipients") else "Nobody with an email address to tell"
        return details.get("note") or details.get("resolution") or ""
