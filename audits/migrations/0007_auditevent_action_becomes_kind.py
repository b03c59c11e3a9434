from django.db import migrations


class Migration(migrations.Migration):
    """AuditEvent names what happened `kind`, as every history event does (qaf.history); the column is renamed
    in place, so the history is kept."""

    dependencies = [("audits", "0006_actions_and_escalations_leave_audits")]

    operations = [migrations.RenameField(model_name="auditevent", old_name="action", new_name="kind")]
