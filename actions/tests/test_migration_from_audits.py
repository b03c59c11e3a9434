"""The migrations that take remedial actions and escalations out of the audits app, on existing rows: every row
keeps its table and id, the audit (or safeguarding concern) each pointed at becomes its generic source link,
their content types (and so permissions) move to the actions app, and going back restores the foreign keys."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from qaf.tests.migrating import latest, migrate

BEFORE = [("audits", "0003_audit_grade_of_record")]
AFTER = [("actions", "0001_initial")]
MOVED = ("remedialaction", "actionevent", "escalation", "escalationevent")


def _old_rows(apps):
    """Rows as the audits app kept them: an action raised on an audit, one from a complaint (a generic link
    already), one from other activity; an Inadequate audit's escalation and a safeguarding concern's."""
    Partnership = apps.get_model("qaf", "Partnership")
    Agency = apps.get_model("qaf", "Agency")
    User = apps.get_model("qaf", "User")
    Child = apps.get_model("ehcp", "Child")
    Tool = apps.get_model("audits", "AuditTool")
    Version = apps.get_model("audits", "AuditToolVersion")
    Audit = apps.get_model("audits", "Audit")
    Concern = apps.get_model("audits", "SafeguardingConcern")
    Action = apps.get_model("audits", "RemedialAction")
    ActionEvent = apps.get_model("audits", "ActionEvent")
    Escalation = apps.get_model("audits", "Escalation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    partnership = Partnership.objects.create(name="Old rows", slug="old-rows")
    agency = Agency.objects.create(partnership=partnership, name="Oakfield School", kind="education")
    worker = User.objects.create(username="old.worker", partnership=partnership)
    child = Child.objects.create(
        partnership=partnership, case_reference="EHC-OLD-1", initials="AB", date_of_birth=dt.date(2015, 1, 1)
    )
    tool = Tool.objects.create(partnership=partnership, name="Plan audit", kind="plan", levels=[1])
    version = Version.objects.create(tool=tool, number=1, status="approved")
    audit = Audit.objects.create(
        partnership=partnership,
        agency=agency,
        level=1,
        tool_version=version,
        child=child,
        due_on=dt.date(2026, 1, 9),
    )
    concern = Concern.objects.create(audit=audit, raised_by=worker, description="Seen")
    complaint_type, _ = ContentType.objects.get_or_create(app_label="feedback", model="complaint")
    action_type, _ = ContentType.objects.get_or_create(app_label="audits", model="remedialaction")
    Permission.objects.get_or_create(
        content_type=action_type,
        codename="view_remedialaction",
        defaults={"name": "Can view remedial action"},
    )
    for model in MOVED[1:]:
        ContentType.objects.get_or_create(app_label="audits", model=model)
    common = {"partnership": partnership, "agency": agency, "worker": worker, "what": "w", "why": "y"}
    due = timezone.localdate() + dt.timedelta(days=9)
    from_audit = Action.objects.create(source="audit", audit=audit, due_on=due, **common)
    from_complaint = Action.objects.create(
        source="complaint", source_type=complaint_type, source_id=12, due_on=due, **common
    )
    other = Action.objects.create(source="other", source_note="Termly report", due_on=due, **common)
    ActionEvent.objects.create(action=from_audit, kind="raised", details={"audit": audit.pk})
    now = timezone.now()
    escalation = {"partnership": partnership, "agency": agency, "summary": "s", "acknowledge_by": now}
    inadequate = Escalation.objects.create(
        trigger="inadequate", trigger_key=f"audit:{audit.pk}:inadequate", audit=audit, **escalation
    )
    from_concern = Escalation.objects.create(
        trigger="safeguarding",
        trigger_key=f"concern:{concern.pk}",
        audit=audit,
        concern=concern,
        child=child,
        **escalation,
    )
    return {
        "audit": audit.pk,
        "concern": concern.pk,
        "child": child.pk,
        "from_audit": from_audit.pk,
        "from_complaint": from_complaint.pk,
        "complaint_type": complaint_type.pk,
        "other": other.pk,
        "inadequate": inadequate.pk,
        "from_concern": from_concern.pk,
        "action_type": action_type.pk,
    }


@pytest.mark.django_db(transaction=True)
def test_existing_actions_and_escalations_move_to_the_actions_app_with_their_sources():
    newest = latest()
    try:
        old = _old_rows(migrate(BEFORE))
        apps = migrate(AFTER)
        Action = apps.get_model("actions", "RemedialAction")
        Escalation = apps.get_model("actions", "Escalation")
        ContentType = apps.get_model("contenttypes", "ContentType")
        Permission = apps.get_model("auth", "Permission")
        audit_type = ContentType.objects.get(app_label="audits", model="audit")
        concern_type = ContentType.objects.get(app_label="audits", model="safeguardingconcern")

        assert Action.objects.count() == 3 and Escalation.objects.count() == 2
        from_audit = Action.objects.get(pk=old["from_audit"])
        assert (from_audit.source_type_id, from_audit.source_id) == (audit_type.pk, old["audit"])
        assert from_audit.child_id == old["child"]  # the audited child, where none was recorded
        assert from_audit.events.get().details == {"audit": old["audit"]}
        from_complaint = Action.objects.get(pk=old["from_complaint"])
        assert (from_complaint.source_type_id, from_complaint.source_id) == (old["complaint_type"], 12)
        other = Action.objects.get(pk=old["other"])
        assert (other.source_type_id, other.source_id, other.source_note) == (None, None, "Termly report")
        inadequate = Escalation.objects.get(pk=old["inadequate"])
        assert (inadequate.source_type_id, inadequate.source_id) == (audit_type.pk, old["audit"])
        assert inadequate.child_id == old["child"]
        from_concern = Escalation.objects.get(pk=old["from_concern"])
        assert (from_concern.source_type_id, from_concern.source_id) == (concern_type.pk, old["concern"])

        moved = ContentType.objects.filter(model__in=MOVED)
        assert set(moved.values_list("app_label", flat=True)) == {"actions"}
        assert moved.get(model="remedialaction").pk == old["action_type"]
        assert Permission.objects.get(codename="view_remedialaction").content_type.app_label == "actions"

        # And back: the foreign keys are filled from the links again, and the content types go home.
        apps = migrate(BEFORE)
        Action = apps.get_model("audits", "RemedialAction")
        Escalation = apps.get_model("audits", "Escalation")
        ContentType = apps.get_model("contenttypes", "ContentType")
        assert Action.objects.get(pk=old["from_audit"]).audit_id == old["audit"]
        assert Action.objects.get(pk=old["from_audit"]).source_type_id is None
        assert Action.objects.get(pk=old["from_complaint"]).source_id == 12
        assert Escalation.objects.get(pk=old["inadequate"]).audit_id == old["audit"]
        back = Escalation.objects.get(pk=old["from_concern"])
        assert (back.audit_id, back.concern_id) == (old["audit"], old["concern"])
        assert set(ContentType.objects.filter(model__in=MOVED).values_list("app_label", flat=True)) == {
            "audits"
        }
    finally:
        migrate(newest)
