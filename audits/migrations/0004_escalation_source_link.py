"""Escalations get the generic source link remedial actions already have (source_type/source_id), so that they,
like actions, can leave the audits app: their foreign keys into audits are replaced by it (0005, 0006)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_audit_grade_of_record"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="escalation",
            name="source_type",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="contenttypes.contenttype",
            ),
        ),
        migrations.AddField(
            model_name="escalation",
            name="source_id",
            field=models.PositiveBigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name="escalation",
            index=models.Index(fields=["source_type", "source_id"], name="audits_esca_source__e55a48_idx"),
        ),
    ]
