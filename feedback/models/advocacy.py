"""The advocacy service's quarterly return: activity by type and level, outcomes, feedback, complaints and
compliments received, challenges and learning. Counts and prose only; no one is named."""

from __future__ import annotations

import datetime as dt

from django.db import models

from qaf.models import Agency, Partnership, Timestamped, person_link


class AdvocacyActivityType(models.TextChoices):
    INFORMATION = "information", "Information and signposting"
    ADVICE = "advice", "Advice (telephone, email or drop-in)"
    CASEWORK = "casework", "Casework support"
    MEETINGS = "meetings", "Support at meetings (planning, review, school)"
    MEDIATION_TRIBUNAL = "mediation_tribunal", "Mediation and tribunal support"
    TRAINING = "training", "Training and workshops"
    YOUNG_PEOPLE = "young_people", "Direct work with children and young people"


class AdvocacyLevel(models.TextChoices):
    # The three levels of the IASS minimum standards: information, advice, and individual casework.
    LEVEL_1 = "1", "Level 1: information"
    LEVEL_2 = "2", "Level 2: advice and guidance"
    LEVEL_3 = "3", "Level 3: individual casework and representation"


class AdvocacyReturnStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"


def quarter_of(day: dt.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_dates(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    start = dt.date(year, 3 * (quarter - 1) + 1, 1)
    end = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, end - dt.timedelta(days=1)


class AdvocacyReturn(Timestamped):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="advocacy_returns")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="advocacy_returns")
    year = models.PositiveSmallIntegerField()
    quarter = models.PositiveSmallIntegerField(choices=[(1, "Q1"), (2, "Q2"), (3, "Q3"), (4, "Q4")])
    status = models.CharField(
        max_length=10, choices=AdvocacyReturnStatus.choices, default=AdvocacyReturnStatus.DRAFT
    )
    outcomes = models.TextField(blank=True, help_text="What changed for children, young people and families.")
    feedback = models.TextField(
        blank=True, help_text="What families and young people said about the service."
    )
    complaints_received = models.PositiveIntegerField(default=0)
    compliments_received = models.PositiveIntegerField(default=0)
    challenges = models.TextField(blank=True)
    learning = models.TextField(blank=True)
    created_by = person_link()
    submitted_by = person_link()
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "agency__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "quarter"], name="advocacy_return_one_per_quarter"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency.name}: {self.year} Q{self.quarter}"

    @property
    def period(self) -> tuple[dt.date, dt.date]:
        return quarter_dates(self.year, self.quarter)

    @property
    def total_activity(self) -> int:
        return sum(activity.count for activity in self.activities.all())


class AdvocacyActivity(models.Model):
    advocacy_return = models.ForeignKey(AdvocacyReturn, on_delete=models.CASCADE, related_name="activities")
    activity_type = models.CharField(max_length=30, choices=AdvocacyActivityType.choices)
    level = models.CharField(max_length=1, choices=AdvocacyLevel.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["activity_type", "level"]
        verbose_name_plural = "advocacy activities"
        constraints = [
            models.UniqueConstraint(
                fields=["advocacy_return", "activity_type", "level"], name="advocacy_activity_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_activity_type_display()}, level {self.level}: {self.count}"
