"""Compliments and complaints each agency logs, with a history of every change to a complaint."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils import timezone

from qaf.history.models import HistoryEvent
from qaf.models import Agency, Partnership, Theme, Timestamped, person_link


class ComplaintCategory(models.TextChoices):
    EHC_PLANS = "ehc_plans", "EHC plans"
    PRACTICE = "practice", "Practice"
    TRANSPORT = "transport", "Transport"
    OTHER = "other", "Other"


class ComplaintStage(models.TextChoices):
    STAGE_1 = "stage_1", "Stage 1"
    STAGE_2 = "stage_2", "Stage 2"
    LGSCO = "lgsco", "Ombudsman (LGSCO) enquiry"


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"


class Complaint(Timestamped):
    """A complaint about (and logged by) one agency. Holds no names: the child, if any, is a link to the case."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="complaints")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="complaints")
    child = models.ForeignKey(
        "ehcp.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="complaints"
    )
    received_on = models.DateField()
    category = models.CharField(max_length=20, choices=ComplaintCategory.choices)
    stage = models.CharField(max_length=20, choices=ComplaintStage.choices, default=ComplaintStage.STAGE_1)
    summary = models.TextField(help_text="What the complaint is about. No names.")
    response_working_days = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Set only when the agency agreed a timescale other than the default."
    )
    response_days_reason = models.CharField(max_length=500, blank=True)
    response_due_on = models.DateField()
    responded_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True)
    lgsco_reference = models.CharField("Ombudsman reference", max_length=40, blank=True)
    lgsco_outcome = models.CharField("Ombudsman outcome", max_length=500, blank=True)
    remedy = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="complaints")
    learning = models.TextField(blank=True)
    logged_by = person_link(blank=False)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "received_on"], name="complaint_received")]

    def __str__(self) -> str:
        return f"Complaint {self.pk} ({self.agency})"

    def is_overdue(self, today: dt.date | None = None) -> bool:
        return self.responded_on is None and self.response_due_on < (today or timezone.localdate())

    @property
    def responded_on_time(self) -> bool | None:
        if self.responded_on is None:
            return None
        return self.responded_on <= self.response_due_on


class ComplaintEvent(HistoryEvent):
    """One entry in a complaint's history: logged, changed (with the fields before and after), responded."""

    subject_field = "complaint"
    kind_labels = {"logged": "Complaint logged", "changed": "Complaint changed"}
    change_labels = {
        "received_on": "Date received",
        "response_working_days": "Response timescale (working days)",
        "response_days_reason": "Reason for the timescale",
        "response_due_on": "Response due",
        "responded_on": "Date responded",
        "lgsco_reference": "Ombudsman reference",
        "lgsco_outcome": "Ombudsman outcome",
    }

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")


class ComplimentFrom(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parent or carer"
    YOUNG_PERSON = "young_person", "Child or young person"
    PROFESSIONAL = "professional", "Professional"
    OTHER = "other", "Other"


class Compliment(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="compliments")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="compliments")
    received_on = models.DateField()
    about = models.CharField(max_length=300, help_text="The service, team or piece of work. No names.")
    from_whom = models.CharField(max_length=20, choices=ComplimentFrom.choices)
    summary = models.TextField()
    themes = models.ManyToManyField(Theme, blank=True, related_name="compliments")
    logged_by = person_link(blank=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return f"Compliment {self.pk} ({self.agency})"
