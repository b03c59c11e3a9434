"""Remedial actions, escalations and their histories, taken over from the audits app with their tables and rows
(audits 0006 let them go): this app's state gains them, the database is not changed. Their content types move
with them, so permissions and anything that names them by content type keep working."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MODELS = ("remedialaction", "actionevent", "escalation", "escalationevent")


def _move_content_types(apps, schema_editor, source: str, target: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    types = ContentType.objects.using(schema_editor.connection.alias)
    for model in MODELS:
        if not types.filter(app_label=target, model=model).exists():
            types.filter(app_label=source, model=model).update(app_label=target)


def content_types_to_actions(apps, schema_editor):
    _move_content_types(apps, schema_editor, "audits", "actions")


def content_types_to_audits(apps, schema_editor):
    _move_content_types(apps, schema_editor, "actions", "audits")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("audits", "0006_actions_and_escalations_leave_audits"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("ehcp", "0003_childuserobjectpermission"),
        ("qaf", "0002_partnership_escalation_acknowledge_working_days"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Escalation",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("trigger", models.CharField(choices=[("inadequate", "Audit graded Inadequate"), ("safeguarding", "Safeguarding concern")], max_length=14)),
                        ("trigger_key", models.CharField(max_length=80)),
                        ("source_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("summary", models.TextField()),
                        ("status", models.CharField(choices=[("open", "Waiting for acknowledgement"), ("acknowledged", "Acknowledged"), ("resolved", "Resolved")], default="open", max_length=12)),
                        ("raised_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("notified_at", models.DateTimeField(blank=True, null=True)),
                        ("acknowledge_by", models.DateTimeField(help_text="The working-day deadline for the head of service.")),
                        ("acknowledged_at", models.DateTimeField(blank=True, null=True)),
                        ("chased_at", models.DateTimeField(blank=True, null=True)),
                        ("raised_to_sqa_at", models.DateTimeField(blank=True, null=True)),
                        ("resolution", models.TextField(blank=True)),
                        ("resolved_at", models.DateTimeField(blank=True, null=True)),
                        ("acknowledged_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="escalations", to="qaf.agency")),
                        ("child", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ehcp.child")),
                        ("head_of_service", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="escalations", to=settings.AUTH_USER_MODEL)),
                        ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="escalations", to="qaf.partnership")),
                        ("raised_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("resolved_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("source_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype")),
                        ("themes", models.ManyToManyField(blank=True, related_name="escalations", to="qaf.theme")),
                    ],
                    options={
                        "db_table": "audits_escalation",
                        "ordering": ["-raised_at", "-pk"],
                        "indexes": [models.Index(fields=["source_type", "source_id"], name="audits_esca_source__e55a48_idx")],
                        "constraints": [models.UniqueConstraint(fields=("partnership", "trigger_key"), name="escalation_one_per_trigger")],
                    },
                ),
                migrations.CreateModel(
                    name="EscalationEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("kind", models.CharField(max_length=40)),
                        ("details", models.JSONField(blank=True, default=dict)),
                        ("escalation", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="actions.escalation")),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "audits_escalationevent", "ordering": ["at", "pk"]},
                ),
                migrations.CreateModel(
                    name="RemedialAction",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("source", models.CharField(choices=[("audit", "Audit"), ("dip_sample", "Dip sample"), ("complaint", "Complaint"), ("feedback", "Feedback analysis"), ("other", "Other QA activity")], default="audit", max_length=12)),
                        ("source_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("source_note", models.CharField(blank=True, max_length=200)),
                        ("what", models.TextField()),
                        ("why", models.TextField()),
                        ("priority", models.CharField(choices=[("high", "High"), ("medium", "Medium"), ("low", "Low")], default="medium", max_length=6)),
                        ("due_on", models.DateField()),
                        ("status", models.CharField(choices=[("open", "Open"), ("in_progress", "In progress"), ("completed", "Completed"), ("verified", "Verified"), ("cancelled", "Cancelled")], default="open", max_length=12)),
                        ("evidence", models.TextField(blank=True, help_text="What was done, recorded on completion.")),
                        ("cancel_reason", models.TextField(blank=True)),
                        ("raised_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("completed_at", models.DateTimeField(blank=True, null=True)),
                        ("verified_at", models.DateTimeField(blank=True, null=True)),
                        ("last_reminded_on", models.DateField(blank=True, null=True)),
                        ("agency", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name="remedial_actions", to="qaf.agency")),
                        ("child", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="ehcp.child")),
                        ("partnership", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="remedial_actions", to="qaf.partnership")),
                        ("raised_by", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("source_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name="+", to="contenttypes.contenttype")),
                        ("team", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="qaf.team")),
                        ("team_manager", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="team_actions", to=settings.AUTH_USER_MODEL)),
                        ("themes", models.ManyToManyField(blank=True, related_name="remedial_actions", to="qaf.theme")),
                        ("verified_by", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("worker", models.ForeignKey(help_text="The case-responsible worker who carries out the action.", on_delete=django.db.models.deletion.PROTECT, related_name="remedial_actions", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "db_table": "audits_remedialaction",
                        "ordering": ["due_on", "pk"],
                        "indexes": [
                            models.Index(fields=["partnership", "status", "due_on"], name="audits_reme_partner_fd4582_idx"),
                            models.Index(fields=["source_type", "source_id"], name="audits_reme_source__ed32c3_idx"),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="ActionEvent",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("kind", models.CharField(max_length=40)),
                        ("details", models.JSONField(blank=True, default=dict)),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                        ("action", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="events", to="actions.remedialaction")),
                    ],
                    options={"db_table": "audits_actionevent", "ordering": ["at", "pk"]},
                ),
            ],
        ),
        migrations.RunPython(content_types_to_actions, content_types_to_audits),
    ]
