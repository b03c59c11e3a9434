"""Approved audit tools: versioned templates of sections, questions with guidance, an answer scale and weights.

An approved version is frozen: its sections and questions never change (audits record the version they used).
Changes are made in a new draft version copied from it.
"""

from __future__ import annotations

from django.db import models

from qaf.models import Partnership
from qaf.versioning.models import TemplateVersion, VersionedTemplate, VersionStatus, unique_number


class ToolKind(models.TextChoices):
    ADVICE_AUDIT = "advice", "Agency advice audit (Level 1)"
    PLAN_AUDIT = "plan", "EHC plan audit"
    PEER_REVIEW = "peer_review", "Caseworker peer-review checklist"
    MULTI_AGENCY = "multi_agency", "Multi-agency audit (Level 3)"
    CASE_REVIEW = "case_review", "System-leader case review (Level 4)"
    REVIEW_AUDIT = "review", "Annual review audit"
    OBSERVATION = "observation", "Observation of practice"
    OTHER = "other", "Other"


class AuditTool(VersionedTemplate):
    """A named tool (e.g. "Level 2 EHC plan audit"); its content lives in its versions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="audit_tools")
    kind = models.CharField(max_length=20, choices=ToolKind.choices)
    description = models.TextField(blank=True)
    # Levels (1-4) this tool serves, e.g. [2] or [1, 2]; a list so the embedded SQLite mode works too.
    levels = models.JSONField(default=list)

    class Meta(VersionedTemplate.Meta):
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="audit_tool_unique_name")]


ToolVersionStatus = VersionStatus


def default_scale() -> list[dict]:
    return [
        {"value": "4", "label": "Outstanding", "score": 4},
        {"value": "3", "label": "Good", "score": 3},
        {"value": "2", "label": "Requires improvement", "score": 2},
        {"value": "1", "label": "Inadequate", "score": 1},
    ]


class AuditToolVersion(TemplateVersion):
    TEMPLATE_FIELD = "tool"

    tool = models.ForeignKey(AuditTool, on_delete=models.CASCADE, related_name="versions")
    # The answer scale: [{"value": "4", "label": "Outstanding", "score": 4}, ...]; "Not applicable" is offered
    # separately on questions that allow it and never scores.
    scale = models.JSONField(default=default_scale)

    class Meta:
        ordering = ["tool__name", "-number"]
        constraints = [unique_number("tool", name="tool_version_unique_number")]

    def score_for(self, value: str) -> int | None:
        for option in self.scale:
            if option["value"] == value:
                return int(option["score"])
        return None


class ToolSection(models.Model):
    version = models.ForeignKey(AuditToolVersion, on_delete=models.CASCADE, related_name="sections")
    code = models.CharField(
        max_length=10, blank=True, help_text="For a plan audit, the EHCP section: A, B, ... K."
    )
    title = models.CharField(max_length=200)
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)

    class Meta:
        ordering = ["version", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.code} {self.title}".strip()


class ToolQuestion(models.Model):
    section = models.ForeignKey(ToolSection, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField()
    guidance = models.TextField(blank=True, help_text="What good looks like.")
    order = models.PositiveSmallIntegerField(default=0)
    weight = models.DecimalField(max_digits=5, decimal_places=2, default=1)
    allow_not_applicable = models.BooleanField(default=True)

    class Meta:
        ordering = ["section", "order", "pk"]

    def __str__(self) -> str:
        return self.text[:80]
