"""Moderation: a second grading of a submitted audit; both grades are kept, and their agreement measured."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from audits.models.grades import Grade


class Moderation(models.Model):
    audit = models.ForeignKey("audits.Audit", on_delete=models.CASCADE, related_name="moderations")
    moderator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    overall_grade = models.CharField(max_length=24, choices=Grade.choices)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Moderation of audit {self.audit_id}: {self.get_overall_grade_display()}"


class ModerationSectionGrade(models.Model):
    moderation = models.ForeignKey(Moderation, on_delete=models.CASCADE, related_name="section_grades")
    section = models.ForeignKey("audits.ToolSection", on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=24, choices=Grade.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["moderation", "section"], name="moderation_section_unique"),
        ]

    def __str__(self) -> str:
        return f"Section {self.section_id}: {self.get_grade_display()}"
