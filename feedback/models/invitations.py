"""Invitations to give feedback after a meeting, and the responses people give (with or without one).

An invitation is a single-use link: its `public_id` is random and the link carries it signed (feedback/tokens.py).
The contact (email or mobile number) is kept only while it may still be needed for the one reminder, and erased
when the invitation is answered or expires. Responses hold no personal data: the meeting kind, date and agency
are all that tie a response to anything.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.utils import timezone

from feedback.models.forms import Audience, FeedbackFormVersion, FeedbackQuestion, MeetingKind
from qaf.models import Agency, Partnership, Term, Theme, person_link

# The letters and digits of a short code: none that is easily read as another (no 0/O, 1/I/L).
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
SHORT_CODE_LENGTH = 8


def new_public_id() -> str:
    return secrets.token_urlsafe(16)


def new_short_code() -> str:
    """A random short code (8 characters of SHORT_CODE_ALPHABET, about 40 bits), stored without its hyphen."""
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))


class Delivery(models.TextChoices):
    EMAIL = "email", "Email"
    SMS = "sms", "Text message"
    HANDOUT = "handout", "Printed handout with a QR code, at the meeting"


class FeedbackInvitation(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="feedback_invitations"
    )
    version = models.ForeignKey(FeedbackFormVersion, on_delete=models.PROTECT, related_name="invitations")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="feedback_invitations")
    # The meeting's child: for staff to find the invitation again; never shown with a response.
    child = models.ForeignKey(
        "ehcp.Child", null=True, blank=True, on_delete=models.SET_NULL, related_name="feedback_invitations"
    )
    review = models.ForeignKey(
        "ehcp.AnnualReview",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feedback_invitations",
    )
    meeting_kind = models.CharField(max_length=20, choices=MeetingKind.choices)
    meeting_on = models.DateField()
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    public_id = models.CharField(max_length=32, unique=True, default=new_public_id, editable=False)
    # The code of the short address printed on a handout (SITE_URL/f/K7QM-3XPA), for typing in.
    short_code = models.CharField(
        max_length=SHORT_CODE_LENGTH, unique=True, default=new_short_code, editable=False
    )
    delivery = models.CharField(max_length=10, choices=Delivery.choices)
    contact = models.CharField(max_length=254, blank=True, help_text="Email address or mobile number.")
    created_by = person_link()
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-meeting_on", "-pk"]
        indexes = [
            models.Index(fields=["partnership", "meeting_on"], name="invitation_meeting"),
            models.Index(fields=["responded_at", "sent_at"], name="invitation_reminder"),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk} ({self.get_audience_display()}, {self.meeting_on:%d %b %Y})"

    @property
    def short_code_display(self) -> str:
        """The short code as printed: two groups of four, like K7QM-3XPA."""
        return f"{self.short_code[:4]}-{self.short_code[4:]}"

    def is_expired(self, now=None) -> bool:
        return self.expires_at <= (now or timezone.now())

    @property
    def is_answered(self) -> bool:
        return self.responded_at is not None

    def status(self, now=None) -> str:
        """One word for lists: answered, withdrawn, expired, failed (not sent), waiting."""
        if self.responded_at:
            return "answered"
        if self.withdrawn_at:
            return "withdrawn"
        if self.is_expired(now):
            return "expired"
        if self.send_error and not self.sent_at:
            return "failed"
        return "waiting"


class ResponseSource(models.TextChoices):
    INVITATION = "invitation", "Invitation link"
    GENERAL = "general", "General feedback form"


class FeedbackResponse(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="feedback_responses")
    version = models.ForeignKey(FeedbackFormVersion, on_delete=models.PROTECT, related_name="responses")
    # One response per invitation, enforced by the database: a second submit can never make a second one.
    invitation = models.OneToOneField(
        FeedbackInvitation, null=True, blank=True, on_delete=models.SET_NULL, related_name="response"
    )
    source = models.CharField(max_length=12, choices=ResponseSource.choices)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    agency = models.ForeignKey(
        Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="feedback_responses"
    )
    meeting_kind = models.CharField(max_length=20, choices=MeetingKind.choices, blank=True)
    meeting_on = models.DateField(null=True, blank=True)
    term = models.ForeignKey(Term, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # A random key minted when the form was first shown; a repeated submit of the same form carries the same key.
    submission_key = models.CharField(max_length=64, unique=True)
    submitted_at = models.DateTimeField(default=timezone.now)
    # When the agency's managers were told of a lowest rating (once).
    alerted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "submitted_at"], name="response_submitted")]

    def __str__(self) -> str:
        return f"Response {self.pk} ({self.get_audience_display()})"


class FeedbackAnswer(models.Model):
    response = models.ForeignKey(FeedbackResponse, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(FeedbackQuestion, on_delete=models.PROTECT, related_name="answers")
    # The chosen option values: one for rating, yes/no and choose-one; any number for choose-several.
    values = models.JSONField(default=list, blank=True)
    text = models.TextField(blank=True)
    score = models.SmallIntegerField(null=True, blank=True)
    # Themes the SQA officer tags a free-text answer with.
    themes = models.ManyToManyField(Theme, blank=True, related_name="feedback_answers")
    tagged_by = person_link()
    tagged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["response", "question__page", "question__order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="feedback_answer_unique_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id} in response {self.response_id}"
