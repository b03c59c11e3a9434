"""The partnership core every app builds on: the tenant, its agencies, teams, people and calendar; and the pieces
every app's models share: `person_link` (who did something to a row), `Timestamped` (when a row was created and
last changed) and `SlugFromName`."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.text import slugify


def person_link(*, blank: bool = True) -> models.ForeignKey[User | None, User | None]:
    """The foreign key of a row to the person who did something to it (created, approved, assigned it ...).

    Empty for the system, and emptied when the person is deleted (the row stays); no reverse accessor on the
    user. `blank=False` where a form must name the person."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=blank, on_delete=models.SET_NULL, related_name="+"
    )


class Timestamped(models.Model):
    """When the row was created and when it last changed, set by Django on each save (neither is in forms)."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class SlugFromName(models.Model):
    """A row with a `name` and a `slug`: saved without a slug, it is given one made from the name."""

    name: str
    slug: str

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = slugify(self.name)
        super().save(*args, **kwargs)


class Partnership(SlugFromName):
    """One local-area SEND partnership: the tenant. It may span several councils."""

    name = models.CharField(max_length=150, unique=True)
    slug = models.SlugField(max_length=150, unique=True)
    councils = models.CharField(
        max_length=300, blank=True, help_text="The councils in the local area, separated by commas."
    )
    complaint_response_working_days = models.PositiveSmallIntegerField(default=20)
    escalation_acknowledge_working_days = models.PositiveSmallIntegerField(
        default=1, help_text="Working days a head of service has to acknowledge a case escalation."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def council_list(self) -> list[str]:
        return [c.strip() for c in self.councils.split(",") if c.strip()]


class User(AbstractUser):
    """A person who signs in. Belongs to one partnership; what they see follows from their memberships."""

    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    job_title = models.CharField(max_length=150, blank=True)

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class AgencyKind(models.TextChoices):
    SAT = "sat", "Statutory assessment team"
    EDUCATION = "education", "Education provider or service"
    HEALTH = "health", "Health"
    SOCIAL_CARE = "social_care", "Social care"
    SQA = "sqa", "Safeguarding and quality assurance service"
    ADVOCACY = "advocacy", "Advocacy"
    PARENT_CARER_FORUM = "pcf", "Parent carer forum"
    OTHER = "other", "Other"


class Agency(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="agencies")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AgencyKind.choices)
    council = models.CharField(
        max_length=150, blank=True, help_text="The council this agency serves, if one."
    )
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [models.UniqueConstraint(fields=["partnership", "name"], name="agency_unique_name")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=150)

    class Meta:
        ordering = ["agency__name", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "name"], name="team_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Role(models.TextChoices):
    SQA_OFFICER = "sqa_officer", "SQA officer"
    AGENCY_MANAGER = "agency_manager", "Agency manager"
    PRACTITIONER = "practitioner", "Auditor or practitioner"
    TEAM_MANAGER = "team_manager", "Team manager"
    HEAD_OF_SERVICE = "head_of_service", "Head of service"
    BOARD_MEMBER = "board_member", "Board member"
    PARTNERSHIP_ADMIN = "partnership_admin", "Partnership admin"


class Membership(models.Model):
    """A user's role in one agency. A user may hold several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="memberships"
    )

    class Meta:
        ordering = ["agency__name", "role"]
        constraints = [
            models.UniqueConstraint(fields=["user", "agency", "role"], name="membership_unique_role"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.agency}"


class AcademicYear(models.Model):
    """An English academic year, 1 September to 31 August by default; its terms are editable."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="academic_years")
    start_year = models.PositiveSmallIntegerField(help_text="The calendar year the academic year starts in.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["-start_year"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "start_year"], name="academic_year_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.start_year}/{str(self.start_year + 1)[-2:]}"


class TermName(models.TextChoices):
    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class Term(models.Model):
    academic_year = models.ForeignKey(AcademicYear, on_delete=models.CASCADE, related_name="terms")
    name = models.CharField(max_length=10, choices=TermName.choices)
    number = models.PositiveSmallIntegerField(help_text="1 for autumn, 2 for spring, 3 for summer.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["academic_year__start_year", "number"]
        constraints = [models.UniqueConstraint(fields=["academic_year", "number"], name="term_unique_number")]

    def __str__(self) -> str:
        return f"{self.get_name_display()} term {self.academic_year}"

    def contains(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class HalfTerm(models.Model):
    term = models.ForeignKey(Term, on_delete=models.CASCADE, related_name="half_terms")
    number = models.PositiveSmallIntegerField(help_text="1 to 6 through the academic year.")
    starts_on = models.DateField()
    ends_on = models.DateField()

    class Meta:
        ordering = ["term__academic_year__start_year", "number"]
        constraints = [models.UniqueConstraint(fields=["term", "number"], name="half_term_unique_number")]

    def __str__(self) -> str:
        return f"Half term {self.number}, {self.term.academic_year}"


class Theme(SlugFromName):
    """A QA theme (looked-after children, preparation for adulthood ...) used to tag audits, actions, feedback."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120)
    description = models.TextField(blank=True)
    from_framework = models.BooleanField(default=False, help_text="One of the framework's own themes.")
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="theme_unique_slug")]

    def __str__(self) -> str:
        return self.name
