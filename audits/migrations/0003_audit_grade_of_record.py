"""Audits gain their grade of record (audits/selectors/grades.py): the moderator's overall grade where the audit
has been moderated since its last submission, else the auditor's. Existing audits are filled in by the same rule."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce


def fill_grade_of_record(apps, schema_editor):
    Audit = apps.get_model("audits", "Audit")
    Moderation = apps.get_model("audits", "Moderation")
    current = Moderation.objects.filter(
        audit=OuterRef("pk"), created_at__gte=OuterRef("submitted_at")
    ).order_by("-created_at", "-pk")
    Audit.objects.update(
        grade_of_record=Coalesce(Subquery(current.values("overall_grade")[:1]), F("overall_grade"))
    )


class Migration(migrations.Migration):

    dependencies = [
        ('audits', '0002_escalation_escalationevent_remedialaction_and_more'),
    ]

    operations = [
        migrations.AddField(
            model_name='audit',
            name='grade_of_record',
            field=models.CharField(blank=True, choices=[('outstanding', 'Outstanding'), ('good', 'Good'), ('requires_improvement', 'Requires improvement'), ('inadequate', 'Inadequate')], max_length=24),
        ),
        migrations.AddIndex(
            model_name='audit',
            index=models.Index(fields=['partnership', 'grade_of_record'], name='audits_audi_partner_6b78b0_idx'),
        ),
        migrations.RunPython(fill_grade_of_record, migrations.RunPython.noop),
    ]
