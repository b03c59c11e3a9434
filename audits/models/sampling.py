"""Case samples: which children an audit round looks at, how they were chosen, and every swap."""

from __future__ import annotations

from django.db import models

from qaf.models import HalfTerm, Partnership, person_link


class Sample(models.Model):
    """A reproducible draw of cases: the rule, the seed and the strata are kept so it can be drawn again."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="samples")
    activity = models.ForeignKey(
        "audits.PlannedActivity", null=True, blank=True, on_delete=models.SET_NULL, related_name="samples"
    )
    level = models.PositiveSmallIntegerField()
    half_term = models.ForeignKey(HalfTerm, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    seed = models.BigIntegerField()
    size = models.PositiveSmallIntegerField()
    rule = models.TextField(help_text="The sampling rule in words, as shown to the SQA officer.")
    strata = models.JSONField(
        default=list, blank=True, help_text="What the draw was stratified by, if anything."
    )
    parameters = models.JSONField(default=dict, blank=True)
    eligible_count = models.PositiveIntegerField(default=0)
    created_by = person_link()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Level {self.level} sample of {self.size} (seed {self.seed})"


class SampleItem(models.Model):
    sample = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="items")
    child = models.ForeignKey("ehcp.Child", on_delete=models.PROTECT, related_name="+")
    plan = models.ForeignKey("ehcp.Plan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    position = models.PositiveSmallIntegerField()
    rationale = models.TextField(
        help_text="Why this case was drawn (its stratum, its plan and review dates)."
    )
    # A swapped-out item stays, with the reason; its replacement is a new item pointing back to it.
    swapped_out = models.BooleanField(default=False)
    swap_reason = models.TextField(blank=True)
    replaces = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by"
    )
    swapped_by = person_link()
    swapped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["sample", "position"]

    def __str__(self) -> str:
        return f"Case {self.position} of sample {self.sample_id}"
