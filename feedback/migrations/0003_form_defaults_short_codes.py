"""Which form an invitation uses, retired forms, public titles and short codes.

- Forms say which meetings they are for, and each partnership gets a default form per audience and meeting kind:
  the default form of feedback/defaults.py where the partnership has it approved, else its oldest approved form
  for the audience (a partnership's first form for an audience is usually its general one). That form is then
  for annual reviews, planning meetings and other meetings; the default forms are too. Other forms are for no
  meeting yet: the SQA officer says which, and they can still be picked when inviting.
- A version whose title is its form's name (the title was left empty when the form was made) gets a plain title
  for its audience, so the staff name is no longer the heading families see.
- Every invitation gets a short code, unique, for the short address on its handout.
"""

import secrets

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

import feedback.models.invitations

DEFAULT_NAMES = {
    "parent_carer": "Parent or carer: after a meeting",
    "young_person": "Child or young person: easy read",
    "professional": "Professional: after a meeting",
    "staff": "Staff survey: quality of EHC plans",
}
MEETING_KINDS = ["annual_review", "planning", "other"]
PUBLIC_TITLES = {
    "parent_carer": "Tell us about the meeting",
    "young_person": "Your meeting",
    "professional": "Feedback on the meeting",
    "staff": "Staff survey",
    "public": "Give feedback about SEND services",
}
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _short_codes(Invitation):
    used = set(Invitation.objects.exclude(short_code=None).values_list("short_code", flat=True))
    batch = []
    for invitation in Invitation.objects.filter(short_code=None).only("pk").order_by("pk").iterator():
        code = ""
        while not code or code in used:
            code = "".join(secrets.choice(ALPHABET) for _ in range(8))
        used.add(code)
        invitation.short_code = code
        batch.append(invitation)
        if len(batch) >= 1000:
            Invitation.objects.bulk_update(batch, ["short_code"])
            batch = []
    Invitation.objects.bulk_update(batch, ["short_code"])


def _public_titles(Version):
    for version in Version.objects.select_related("form").iterator():
        if version.title.strip().casefold() == version.form.name.strip().casefold():
            version.title = PUBLIC_TITLES[version.form.audience]
            version.save(update_fields=["title"])


def _defaults(Form, Version, Default):
    approved = set(Version.objects.filter(status="approved").values_list("form_id", flat=True))
    forms = list(Form.objects.order_by("partnership_id", "created_at", "pk"))
    for form in forms:
        if form.audience != "staff" and DEFAULT_NAMES.get(form.audience) == form.name:
            form.meeting_kinds = list(MEETING_KINDS)
            form.save(update_fields=["meeting_kinds"])
    for audience, default_name in DEFAULT_NAMES.items():
        by_partnership = {}
        for form in forms:
            if form.audience == audience and form.pk in approved:
                by_partnership.setdefault(form.partnership_id, []).append(form)
        for partnership_id, candidates in by_partnership.items():
            chosen = next((f for f in candidates if f.name == default_name), candidates[0])
            kinds = ["survey"] if audience == "staff" else MEETING_KINDS
            if audience != "staff":
                chosen.meeting_kinds = list(MEETING_KINDS)
                chosen.save(update_fields=["meeting_kinds"])
            for kind in kinds:
                Default.objects.get_or_create(
                    partnership_id=partnership_id,
                    audience=audience,
                    meeting_kind=kind,
                    defaults={"form": chosen},
                )


def forwards(apps, schema_editor):
    _short_codes(apps.get_model("feedback", "FeedbackInvitation"))
    _public_titles(apps.get_model("feedback", "FeedbackFormVersion"))
    _defaults(
        apps.get_model("feedback", "FeedbackForm"),
        apps.get_model("feedback", "FeedbackFormVersion"),
        apps.get_model("feedback", "FeedbackFormDefault"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("feedback", "0002_voice"),
        ("qaf", "0002_partnership_escalation_acknowledge_working_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="feedbackform",
            name="meeting_kinds",
            field=models.JSONField(
                blank=True,
                default=list,
                help_text="The meetings the form is for (not needed for staff and general forms).",
            ),
        ),
        migrations.AddField(
            model_name="feedbackform",
            name="retired_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="feedbackform",
            name="retired_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="feedbackformversion",
            name="title",
            field=models.CharField(
                help_text="The title people filling in the form see: the heading of its pages and the browser "
                "tab's name. They never see the form's name, which is for staff.",
                max_length=200,
            ),
        ),
        migrations.CreateModel(
            name="FeedbackFormDefault",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("parent_carer", "Parents and carers"),
                            ("young_person", "Children and young people"),
                            ("professional", "Professionals"),
                            ("staff", "Staff"),
                            ("public", "Anyone (general feedback)"),
                        ],
                        max_length=20,
                    ),
                ),
                (
                    "meeting_kind",
                    models.CharField(
                        choices=[
                            ("annual_review", "Annual review meeting"),
                            ("planning", "EHC planning meeting"),
                            ("other", "Other meeting or contact"),
                            ("survey", "Staff survey"),
                        ],
                        max_length=20,
                    ),
                ),
                ("set_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "form",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="defaults",
                        to="feedback.feedbackform",
                    ),
                ),
                (
                    "partnership",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="feedback_form_defaults",
                        to="qaf.partnership",
                    ),
                ),
                (
                    "set_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["audience", "meeting_kind"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("partnership", "audience", "meeting_kind"), name="feedback_form_one_default"
                    )
                ],
            },
        ),
        migrations.AddField(
            model_name="feedbackinvitation",
            name="short_code",
            field=models.CharField(editable=False, max_length=8, null=True),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="feedbackinvitation",
            name="short_code",
            field=models.CharField(
                default=feedback.models.invitations.new_short_code, editable=False, max_length=8, unique=True
            ),
        ),
    ]
