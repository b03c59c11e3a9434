"""Feedback forms for parents and carers, children and young people, professionals and staff.

Forms are versioned like audit tools: an approved version is frozen (responses keep the version they answered),
and changes are made in a new draft copied from it. Questions carry a stable `code` so that trends can follow a
question across versions.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from qaf.models import Partnership, person_link
from qaf.versioning.models import (
    TemplateVersion,
    VersionedTemplate,
    VersionStatus,
    one_approved,
    unique_number,
)

# The longest free-text answer accepted; longer answers are refused with an error, never cut.
FREE_TEXT_MAX_LENGTH = 1500


class Audience(models.TextChoices):
    PARENT_CARER = "parent_carer", "Parents and carers"
    YOUNG_PERSON = "young_person", "Children and young people"
    PROFESSIONAL = "professional", "Professionals"
    STAFF = "staff", "Staff"
    PUBLIC = "public", "Anyone (general feedback)"


class MeetingKind(models.TextChoices):
    ANNUAL_REVIEW = "annual_review", "Annual review meeting"
    PLANNING = "planning", "EHC planning meeting"
    OTHER = "other", "Other meeting or contact"
    SURVEY = "survey", "Staff survey"


# The meetings a form for families or professionals can be for; staff surveys and the general form need none.
FORM_MEETING_KINDS = (MeetingKind.ANNUAL_REVIEW, MeetingKind.PLANNING, MeetingKind.OTHER)
# Audiences whose forms say which meetings they are for.
MEETING_AUDIENCES = (Audience.PARENT_CARER, Audience.YOUNG_PERSON, Audience.PROFESSIONAL)

# The audiences whose invitations use a default form, with the meeting kinds each keeps a default under.
DEFAULT_KINDS: dict[str, tuple[str, ...]] = {
    **{audience: tuple(FORM_MEETING_KINDS) for audience in MEETING_AUDIENCES},
    Audience.STAFF: (MeetingKind.SURVEY,),
}


def default_meeting_kind(audience: str, meeting_kind: str) -> str:
    """The meeting kind under which the default form for an invitation is kept: a staff survey has one default
    whatever the meeting, every other audience one per meeting kind."""
    return MeetingKind.SURVEY if audience == Audience.STAFF else meeting_kind


FormVersionStatus = VersionStatus


class QuestionKind(models.TextChoices):
    RATING = "rating", "Rating in words"
    YES_NO = "yes_no", "Yes or no"
    CHOOSE_ONE = "choose_one", "Choose one"
    CHOOSE_SEVERAL = "choose_several", "Choose one or more"
    FREE_TEXT = "free_text", "Free text"


# Kinds whose options carry a score, so they can be averaged and trended.
SCORED_KINDS = (QuestionKind.RATING, QuestionKind.YES_NO)


def default_rating_options() -> list[dict]:
    return [
        {"value": "very_good", "label": "Very good", "score": 4},
        {"value": "good", "label": "Good", "score": 3},
        {"value": "poor", "label": "Poor", "score": 2},
        {"value": "very_poor", "label": "Very poor", "score": 1},
    ]


def yes_no_options() -> list[dict]:
    return [{"value": "yes", "label": "Yes", "score": 1}, {"value": "no", "label": "No", "score": 0}]


class FeedbackForm(VersionedTemplate):
    """A named form (e.g. "Parent or carer: after an annual review"); its questions live in its versions."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="feedback_forms")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    easy_read = models.BooleanField(
        default=False, help_text="Short sentences, large targets and pictures with text alternatives."
    )
    description = models.TextField(blank=True, help_text="What the form is for, for staff.")
    # MeetingKind values from FORM_MEETING_KINDS; empty for staff surveys and the general form.
    meeting_kinds = models.JSONField(
        default=list,
        blank=True,
        help_text="The meetings the form is for (not needed for staff and general forms).",
    )
    # A retired form takes no new invitations and is no one's default; links already sent keep working.
    retired_at = models.DateTimeField(null=True, blank=True)
    retired_by = person_link()

    class Meta(VersionedTemplate.Meta):
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="feedback_form_unique_name")
        ]

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def takes_meeting_kinds(self) -> bool:
        """Does the form say which meetings it is for (forms for families and professionals do)?"""
        return self.audience in MEETING_AUDIENCES

    def meeting_kind_labels(self) -> list[str]:
        """The meetings the form is for, in words, in the order of FORM_MEETING_KINDS."""
        return [kind.label for kind in FORM_MEETING_KINDS if kind.value in (self.meeting_kinds or [])]


class FeedbackFormVersion(TemplateVersion):
    TEMPLATE_FIELD = "form"

    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="versions")
    title = models.CharField(
        max_length=200,
        help_text="The title people filling in the form see: the heading of its pages and the browser tab's "
        "name. They never see the form's name, which is for staff.",
    )
    intro = models.TextField(blank=True, help_text="Shown on the start page, before the questions.")
    thank_you = models.TextField(blank=True, help_text="Shown on the confirmation page.")

    class Meta:
        ordering = ["form__name", "-number"]
        constraints = [
            unique_number("form", name="feedback_version_unique_number"),
            one_approved("form", name="feedback_version_one_approved"),
        ]


class FeedbackFormDefault(models.Model):
    """The form an invitation uses for an audience after a kind of meeting, unless the person inviting picks
    another: at most one per partnership, audience and meeting kind (staff surveys: one, under "survey")."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="feedback_form_defaults"
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    meeting_kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    form = models.ForeignKey(FeedbackForm, on_delete=models.CASCADE, related_name="defaults")
    set_by = person_link()
    set_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["audience", "meeting_kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "audience", "meeting_kind"], name="feedback_form_one_default"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.form.name}: default for {self.get_audience_display()}, {self.get_meeting_kind_display()}"
        )


class FeedbackQuestion(models.Model):
    version = models.ForeignKey(FeedbackFormVersion, on_delete=models.CASCADE, related_name="questions")
    code = models.SlugField(
        max_length=60, help_text="Stays the same across versions so trends can follow it."
    )
    page = models.PositiveSmallIntegerField(
        default=1, help_text="Questions on the same page are asked together."
    )
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    text = models.CharField(max_length=300)
    hint = models.CharField(max_length=300, blank=True)
    # [{"value": "good", "label": "Good", "score": 3, "image": "feedback/easy-read/happy.svg",
    #   "image_alt": "A smiling face"}, ...]; empty for free text.
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)
    image = models.CharField(
        max_length=200, blank=True, help_text="A static picture shown with the question."
    )
    image_alt = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["version", "page", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="feedback_question_unique_code")
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS

    def option(self, value: str) -> dict | None:
        return next((option for option in self.options if option["value"] == value), None)

    def label_for(self, value: str) -> str:
        option = self.option(value)
        return option["label"] if option else value

    def score_for(self, value: str) -> int | None:
        option = self.option(value)
        if option is None or option.get("score") is None:
            return None
        return int(option["score"])
