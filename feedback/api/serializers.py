"""Representations of complaints and compliments (read-only), and of the voice: feedback forms, invitations,
responses and advocacy returns. No names: a child is its case reference, and the voice never shows one."""

from __future__ import annotations

import datetime as dt

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ehcp.api.serializers import ChildReferenceFields
from feedback import access
from feedback.models import (
    AdvocacyActivityType,
    AdvocacyLevel,
    AdvocacyReturn,
    Audience,
    Complaint,
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintStage,
    Compliment,
    ComplimentFrom,
    Delivery,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    MeetingKind,
    QuestionKind,
    ResponseSource,
)
from feedback.selectors.advocacy import GRID as ADVOCACY_GRID
from feedback.selectors.invitations import invitation_link, invitation_short_link
from feedback.services.advocacy import FIRST_YEAR, MAX_COUNT
from qaf.api.serializers import AgencyFields, ThemeIdsField
from qaf.models import Agency, Theme


class ComplaintSerializer(AgencyFields, ChildReferenceFields, ThemeIdsField, serializers.ModelSerializer):
    category = serializers.CharField(read_only=True, help_text=", ".join(ComplaintCategory.values))
    stage = serializers.CharField(read_only=True, help_text=", ".join(ComplaintStage.values))
    outcome = serializers.CharField(
        read_only=True, help_text=", ".join(ComplaintOutcome.values) + "; blank until decided"
    )

    class Meta:
        model = Complaint
        fields = [
            "id",
            "agency",
            "agency_name",
            "child",
            "child_case_reference",
            "received_on",
            "category",
            "stage",
            "summary",
            "response_working_days",
            "response_days_reason",
            "response_due_on",
            "responded_on",
            "outcome",
            "lgsco_reference",
            "lgsco_outcome",
            "remedy",
            "themes",
            "learning",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ComplimentSerializer(AgencyFields, ThemeIdsField, serializers.ModelSerializer):
    from_whom = serializers.CharField(read_only=True, help_text=", ".join(ComplimentFrom.values))

    class Meta:
        model = Compliment
        fields = [
            "id",
            "agency",
            "agency_name",
            "received_on",
            "about",
            "from_whom",
            "summary",
            "themes",
            "created_at",
        ]
        read_only_fields = fields


# --- Voice: feedback forms, invitations, responses and advocacy returns -------------------------------------------
# Statuses, kinds and levels are plain values with their choices in the help text where other resources use the
# same field name for other choice sets: the schema must stay free of enum-naming collisions.

VERSION_STATUS_HELP = ", ".join(FormVersionStatus.values)
INVITATION_STATUS_HELP = "waiting, answered, expired, failed (not sent) or withdrawn"


class FeedbackQuestionSerializer(serializers.ModelSerializer):
    kind = serializers.CharField(read_only=True, help_text=", ".join(QuestionKind.values))
    options = serializers.ListField(
        child=serializers.DictField(),
        read_only=True,
        help_text="The choices: value, label, score (null when not scored), and for easy-read forms image and "
        "image_alt. Empty for free text.",
    )

    class Meta:
        model = FeedbackQuestion
        fields = [
            "id",
            "code",
            "page",
            "order",
            "kind",
            "text",
            "hint",
            "options",
            "required",
            "image",
            "image_alt",
        ]
        read_only_fields = fields


class FeedbackFormVersionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=VERSION_STATUS_HELP)
    questions = FeedbackQuestionSerializer(many=True, read_only=True)

    class Meta:
        model = FeedbackFormVersion
        fields = [
            "id",
            "number",
            "status",
            "title",
            "intro",
            "thank_you",
            "change_note",
            "created_at",
            "approved_at",
            "questions",
        ]
        read_only_fields = fields


class FeedbackFormSerializer(serializers.ModelSerializer):
    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)
    approved_version = serializers.SerializerMethodField(
        help_text="The version respondents are given now, with its questions; null when none is approved."
    )
    versions = FeedbackFormVersionSerializer(many=True, read_only=True)
    meeting_kinds = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The meetings the form is for: annual_review, planning, other. Empty for staff surveys and "
        "the general form.",
    )
    default_for = serializers.SerializerMethodField(
        help_text="The meetings after which invitations for its audience use this form unless another is "
        "picked: annual_review, planning, other, or survey for the default staff survey."
    )
    retired_at = serializers.DateTimeField(
        read_only=True,
        allow_null=True,
        help_text="When the form was retired (no new invitations; links already sent keep working); null "
        "while in use.",
    )

    class Meta:
        model = FeedbackForm
        fields = [
            "id",
            "name",
            "audience",
            "easy_read",
            "description",
            "created_at",
            "approved_version",
            "versions",
            "meeting_kinds",
            "default_for",
            "retired_at",
        ]
        read_only_fields = fields

    def get_default_for(self, form: FeedbackForm) -> list[str]:
        kinds = {row.meeting_kind for row in form.defaults.all()}
        return [kind for kind in MeetingKind.values if kind in kinds]

    @extend_schema_field(FeedbackFormVersionSerializer(allow_null=True, read_only=True))
    def get_approved_version(self, form: FeedbackForm) -> dict | None:
        approved = next((v for v in form.versions.all() if v.status == FormVersionStatus.APPROVED), None)
        return FeedbackFormVersionSerializer(approved, context=self.context).data if approved else None


# The feedback form and the version of it that an invitation or a response is of: `form` and `form_name`,
# `version` and `version_number` (a comment, not a docstring, which drf-spectacular would take for the
# description of each serializer's schema component).
class FormVersionFields(serializers.Serializer):
    form = serializers.IntegerField(source="version.form_id", read_only=True)
    form_name = serializers.CharField(source="version.form.name", read_only=True)
    version = serializers.IntegerField(source="version_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)


class FeedbackInvitationSerializer(FormVersionFields, AgencyFields, serializers.ModelSerializer):
    """An invitation as staff and integrations see it: never its contact, its link or its child."""

    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)
    meeting_kind = serializers.ChoiceField(choices=MeetingKind.choices, read_only=True)
    term = serializers.IntegerField(source="term_id", read_only=True, allow_null=True)
    delivery = serializers.ChoiceField(choices=Delivery.choices, read_only=True)
    status = serializers.SerializerMethodField(help_text=INVITATION_STATUS_HELP)

    class Meta:
        model = FeedbackInvitation
        fields = [
            "id",
            "form",
            "form_name",
            "version",
            "version_number",
            "audience",
            "agency",
            "agency_name",
            "meeting_kind",
            "meeting_on",
            "term",
            "delivery",
            "status",
            "created_at",
            "expires_at",
            "sent_at",
            "reminded_at",
            "responded_at",
            "withdrawn_at",
        ]
        read_only_fields = fields

    def get_status(self, invitation: FeedbackInvitation) -> str:
        return invitation.status()


class FeedbackInvitationLinkSerializer(FeedbackInvitationSerializer):
    link = serializers.SerializerMethodField(
        help_text="The invitation's single-use public link (SITE_URL/f/<token>/). Returned only here, once, when "
        "the invitations are created: a case-management system passes it on itself (for example in its own "
        "letter). Treat it like a password: whoever holds it can answer once."
    )

    short_link = serializers.SerializerMethodField(
        help_text="The same invitation's short address (SITE_URL/f/<code>, like .../f/K7QM-3XPA), for people "
        "to type in. Returned only here, with the link, and kept the same way."
    )

    class Meta(FeedbackInvitationSerializer.Meta):
        fields = [*FeedbackInvitationSerializer.Meta.fields, "link", "short_link"]
        read_only_fields = fields

    def get_link(self, invitation: FeedbackInvitation) -> str:
        return invitation_link(invitation)

    def get_short_link(self, invitation: FeedbackInvitation) -> str:
        return invitation_short_link(invitation)


class RecipientSerializer(serializers.Serializer):
    audience = serializers.ChoiceField(
        choices=Audience.choices, help_text="parent_carer, young_person, professional or staff (not public)"
    )
    delivery = serializers.ChoiceField(choices=Delivery.choices)
    contact = serializers.CharField(
        max_length=254,
        required=False,
        allow_blank=True,
        default="",
        write_only=True,
        help_text="The email address (email) or UK mobile number (sms); empty for a handout. Never returned.",
    )
    form = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Another approved feedback form for the recipient's audience (id). Without it the partnership's "
        "default form for the audience and the meeting kind is used.",
    )


class FeedbackInvitationCreateSerializer(serializers.Serializer):
    agency = serializers.IntegerField(help_text="The agency that held the meeting (id).")
    meeting_kind = serializers.ChoiceField(choices=MeetingKind.choices)
    meeting_on = serializers.DateField()
    child = serializers.IntegerField(required=False, allow_null=True, help_text="The meeting's child (id).")
    review = serializers.IntegerField(
        required=False, allow_null=True, help_text="The annual review the meeting was (id)."
    )
    valid_days = serializers.IntegerField(
        min_value=1, max_value=90, default=30, help_text="How long the links work, in days (1 to 90)."
    )
    recipients = RecipientSerializer(many=True, allow_empty=False)


class FeedbackInvitationsCreatedSerializer(serializers.Serializer):
    invitations = FeedbackInvitationLinkSerializer(many=True, read_only=True)


class FeedbackAnswerSerializer(serializers.ModelSerializer):
    question = serializers.IntegerField(source="question_id", read_only=True)
    code = serializers.CharField(source="question.code", read_only=True)
    question_text = serializers.CharField(source="question.text", read_only=True)
    kind = serializers.CharField(
        source="question.kind", read_only=True, help_text=", ".join(QuestionKind.values)
    )
    values = serializers.ListField(
        child=serializers.CharField(),
        read_only=True,
        help_text="The chosen options' values; empty for free text.",
    )
    labels = serializers.SerializerMethodField(
        help_text="The chosen options' labels, as the respondent saw them."
    )
    text = serializers.CharField(read_only=True, help_text="The free-text answer; empty for other kinds.")
    score = serializers.IntegerField(
        read_only=True, allow_null=True, help_text="The option's score, if scored."
    )
    themes: serializers.SlugRelatedField[Theme] = serializers.SlugRelatedField(
        many=True,
        read_only=True,
        slug_field="slug",
        help_text="Themes the SQA officer tagged it with (slugs).",
    )

    class Meta:
        model = FeedbackAnswer
        fields = ["question", "code", "question_text", "kind", "values", "labels", "text", "score", "themes"]
        read_only_fields = fields

    def get_labels(self, answer: FeedbackAnswer) -> list[str]:
        return [answer.question.label_for(value) for value in answer.values]


class FeedbackResponseSerializer(FormVersionFields, serializers.ModelSerializer):
    """A response with the meeting it came from (kind, date, agency, term): never the child or a contact."""

    # A declared field, collected by the serializer's metaclass; the stubs see Field.source (the attribute path).
    source = serializers.ChoiceField(choices=ResponseSource.choices, read_only=True)  # type: ignore[assignment]
    audience = serializers.ChoiceField(choices=Audience.choices, read_only=True)
    agency = serializers.IntegerField(source="agency_id", read_only=True, allow_null=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True, allow_null=True)
    meeting_kind = serializers.CharField(
        read_only=True, help_text=", ".join(MeetingKind.values) + "; empty for general feedback"
    )
    term = serializers.IntegerField(source="term_id", read_only=True, allow_null=True)
    answers = FeedbackAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = FeedbackResponse
        fields = [
            "id",
            "form",
            "form_name",
            "version",
            "version_number",
            "source",
            "audience",
            "agency",
            "agency_name",
            "meeting_kind",
            "meeting_on",
            "term",
            "submitted_at",
            "answers",
        ]
        read_only_fields = fields


class AdvocacyActivitySerializer(serializers.Serializer):
    activity_type = serializers.ChoiceField(choices=AdvocacyActivityType.choices)
    level = serializers.ChoiceField(choices=AdvocacyLevel.choices, help_text="1, 2 or 3")
    count = serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


class AdvocacyReturnSerializer(serializers.ModelSerializer):
    agency = serializers.PrimaryKeyRelatedField(
        queryset=Agency.objects.none(), help_text="The advocacy service (id); set when the return is created."
    )
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    quarter = serializers.IntegerField(min_value=1, max_value=4, help_text="Calendar quarter, 1 to 4.")
    year = serializers.IntegerField(min_value=FIRST_YEAR)
    period_start = serializers.SerializerMethodField()
    period_end = serializers.SerializerMethodField()
    status = serializers.CharField(
        read_only=True, help_text="draft or submitted; a submitted return is read-only"
    )
    activities = AdvocacyActivitySerializer(
        many=True,
        required=False,
        help_text="Every type and level with its count. When writing, cells not listed are 0 on create and "
        "replace (PUT), and keep their count on a partial update (PATCH).",
    )
    total_activity = serializers.SerializerMethodField()

    class Meta:
        model = AdvocacyReturn
        fields = [
            "id",
            "agency",
            "agency_name",
            "year",
            "quarter",
            "period_start",
            "period_end",
            "status",
            "activities",
            "total_activity",
            "outcomes",
            "feedback",
            "complaints_received",
            "compliments_received",
            "challenges",
            "learning",
            "created_at",
            "updated_at",
            "submitted_at",
        ]
        read_only_fields = ["created_at", "updated_at", "submitted_at"]
        # One return per service per quarter is the service's rule, answered with the existing return's id.
        validators: list = []
        extra_kwargs = {
            "complaints_received": {"max_value": MAX_COUNT},
            "compliments_received": {"max_value": MAX_COUNT},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        agency = self.fields["agency"]
        if request is not None and isinstance(agency, serializers.RelatedField) and not agency.read_only:
            # The stubs read the Manager in this attribute's type as a descriptor of the field.
            agency.queryset = access.advocacy.writing_agencies(request.user)  # type: ignore[arg-type]

    def get_period_start(self, advocacy_return: AdvocacyReturn) -> dt.date:
        return advocacy_return.period[0]

    def get_period_end(self, advocacy_return: AdvocacyReturn) -> dt.date:
        return advocacy_return.period[1]

    def get_total_activity(self, advocacy_return: AdvocacyReturn) -> int:
        return sum(a.count for a in advocacy_return.activities.all())

    def to_representation(self, instance: AdvocacyReturn) -> dict:
        data = super().to_representation(instance)
        counts = dict.fromkeys(ADVOCACY_GRID, 0)
        for activity in instance.activities.all():
            counts[(activity.activity_type, activity.level)] = activity.count
        data["activities"] = [
            {"activity_type": t, "level": level, "count": n} for (t, level), n in counts.items()
        ]
        return data


class AdvocacyReturnChangeSerializer(AdvocacyReturnSerializer):
    """Changing a draft return: its agency and quarter stay as they were."""

    # Each serializer class declares its own fields (the metaclass collects them), unlike the attributes the
    # stubs take them for.
    agency = serializers.IntegerField(source="agency_id", read_only=True)  # type: ignore[assignment]
    year = serializers.IntegerField(read_only=True)
    quarter = serializers.IntegerField(read_only=True)
