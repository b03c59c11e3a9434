"""Remedial actions and escalations leave the audits app for the actions app (actions 0001 takes them over, with
their tables and rows). Their foreign keys into audits go: the generic source link filled in by 0005 replaces
them. The models then leave this app's state only; nothing else is written."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("audits", "0005_link_actions_and_escalations_to_their_sources")]

    operations = [
        migrations.RemoveField(model_name="remedialaction", name="audit"),
        migrations.RemoveField(model_name="escalation", name="audit"),
        migrations.RemoveField(model_name="escalation", name="concern"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ActionEvent"),
                migrations.DeleteModel(name="EscalationEvent"),
                migrations.DeleteModel(name="RemedialAction"),
                migrations.DeleteModel(name="Escalation"),
            ],
        ),
    ]
