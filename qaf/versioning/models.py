"""Abstract models of a versioned template and of its versions.

A concrete version names the foreign key to its template in `TEMPLATE_FIELD` (with related_name "versions"),
and declares its constraints with `unique_number` and, where its table has it, `one_approved`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from django.db import models
from django.db.models import Q

from qaf.models import person_link

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    APPROVED = "approved", "Approved"
    RETIRED = "retired", "Retired"


class VersionedTemplate(models.Model):
    """A named template; its content lives in its versions."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    if TYPE_CHECKING:
        versions: RelatedManager[TemplateVersion]

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TemplateVersion(models.Model):
    """One numbered version of a template: a draft until approved, frozen from then on, retired when the
    next version is approved."""

    TEMPLATE_FIELD: ClassVar[str]

    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_note = models.TextField(blank=True, help_text="What changed from the previous version.")
    created_by = person_link()
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = person_link()
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.template.name}, version {self.number}"

    @property
    def template(self) -> VersionedTemplate:
        return getattr(self, self.TEMPLATE_FIELD)

    @property
    def template_id(self) -> int:
        return getattr(self, f"{self.TEMPLATE_FIELD}_id")

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT

    @classmethod
    def template_model(cls) -> type[VersionedTemplate]:
        return cast(type[VersionedTemplate], cls._meta.get_field(cls.TEMPLATE_FIELD).related_model)


def unique_number(template_field: str, *, name: str) -> models.UniqueConstraint:
    """Each version number once per template."""
    return models.UniqueConstraint(fields=[template_field, "number"], name=name)


def one_approved(template_field: str, *, name: str) -> models.UniqueConstraint:
    """At most one approved version per template, kept by the database."""
    return models.UniqueConstraint(
        fields=[template_field], condition=Q(status=VersionStatus.APPROVED.value), name=name
    )
