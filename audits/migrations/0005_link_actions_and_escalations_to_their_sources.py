"""The audit a remedial action or escalation points at, and the safeguarding concern an escalation points at,
become their generic source link: an action raised from an audit has the audit as its source; an escalation has
its concern when it has one, else its audit. Where no child was recorded, the audited child is. Run in its own
migration (and transaction) so that the foreign keys are dropped after the rows are written (0006)."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery


def _type(apps, db, model: str):
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _ = ContentType.objects.using(db).get_or_create(app_label="audits", model=model)
    return content_type


def link_sources(apps, schema_editor):
    db = schema_editor.connection.alias
    Audit = apps.get_model("audits", "Audit")
    RemedialAction = apps.get_model("audits", "RemedialAction")
    Escalation = apps.get_model("audits", "Escalation")
    actions = RemedialAction.objects.using(db).filter(audit__isnull=False)
    escalations = Escalation.objects.using(db).filter(audit__isnull=False) | Escalation.objects.using(db).filter(
        concern__isnull=False
    )
    if not actions.exists() and not escalations.exists():
        return
    audit_type, concern_type = _type(apps, db, "audit"), _type(apps, db, "safeguardingconcern")
    audited_child = Subquery(Audit.objects.using(db).filter(pk=OuterRef("audit_id")).values("child_id")[:1])
    actions.filter(child__isnull=True).update(child_id=audited_child)
    actions.filter(source_type__isnull=True).update(source_type=audit_type, source_id=F("audit_id"))
    escalations.filter(child__isnull=True, audit__isnull=False).update(child_id=audited_child)
    escalations.filter(concern__isnull=False).update(source_type=concern_type, source_id=F("concern_id"))
    escalations.filter(concern__isnull=True).update(source_type=audit_type, source_id=F("audit_id"))


def unlink_sources(apps, schema_editor):
    db = schema_editor.connection.alias
    ContentType = apps.get_model("contenttypes", "ContentType")
    SafeguardingConcern = apps.get_model("audits", "SafeguardingConcern")
    RemedialAction = apps.get_model("audits", "RemedialAction")
    Escalation = apps.get_model("audits", "Escalation")
    audit_type = ContentType.objects.using(db).filter(app_label="audits", model="audit").first()
    concern_type = ContentType.objects.using(db).filter(app_label="audits", model="safeguardingconcern").first()
    if audit_type is not None:
        RemedialAction.objects.using(db).filter(source_type=audit_type).update(
            audit_id=F("source_id"), source_type=None, source_id=None
        )
        Escalation.objects.using(db).filter(source_type=audit_type).update(audit_id=F("source_id"))
    if concern_type is not None:
        concern_audit = SafeguardingConcern.objects.using(db).filter(pk=OuterRef("source_id")).values("audit_id")
        Escalation.objects.using(db).filter(source_type=concern_type).update(
            concern_id=F("source_id"), audit_id=Subquery(concern_audit[:1])
        )


class Migration(migrations.Migration):
    dependencies = [("audits", "0004_escalation_source_link")]

    operations = [migrations.RunPython(link_sources, unlink_sources)]
