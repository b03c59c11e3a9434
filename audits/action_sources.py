"""The audit engine's records that remedial actions and escalations come from, registered with actions.sources
(from AuditsConfig.ready()): audits (actions raised by their auditors while doing them, and the escalation of
an Inadequate grade), dip samples (actions raised from other QA activity) and safeguarding concerns (each
escalated at once)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.urls import reverse

from actions.sources import register_source
from audits import access
from audits.models import Audit, Sample
from qaf.access import user_access
from qaf.models import User


def _audit_label(audit: Audit) -> str:
    level = audit.get_level_display()
    return f"{level}: {audit.title}" if audit.title else level


def _audit_caption(audit: Audit) -> str:
    parts = [audit.child.case_reference] if audit.child is not None else []
    return ", ".join([*parts, audit.get_level_display(), audit.agency.name])


def _after_raising(user: User, audit: Audit) -> str:
    """Back to doing the audit while the user may still edit it, else to the audit page."""
    name = "audits:audit-form" if access.audits.can(user, "edit", audit) else "audits:audit-detail"
    return reverse(name, args=[audit.pk])


def _samples(user: User) -> QuerySet[Sample]:
    partnership_id = user_access(user).partnership_id
    if not access.audits.can(user, "see_scheduling") or partnership_id is None:
        return Sample.objects.none()
    return Sample.objects.filter(partnership_id=partnership_id)


def register() -> None:
    register_source(
        "audit",
        "audits.Audit",
        heading="Audit",
        noun="audit",
        visible=access.audits.visible,
        url=lambda audit: reverse("audits:audit-detail", args=[audit.pk]),
        label=_audit_label,
        hidden_label=lambda audit: audit.get_level_display(),
        may_raise=lambda user, audit: access.audits.can(user, "raise_action", audit),
        caption=_audit_caption,
        return_url=_after_raising,
        child_of=lambda audit: audit.child,
        agency_of=lambda audit: audit.agency,
        references=lambda audit: {"audit": audit.pk},
    )
    register_source(
        "dip_sample",
        "audits.Sample",
        heading="Dip sample",
        noun="dip sample",
        visible=_samples,
    )
    register_source(
        "safeguarding_concern",
        "audits.SafeguardingConcern",
        heading="Audit",
        noun="safeguarding concern",
        visible=access.concerns.visible,
        url=lambda concern: reverse("audits:audit-detail", args=[concern.audit_id]),
        label=lambda concern: concern.audit.get_level_display(),
        child_of=lambda concern: concern.audit.child,
        agency_of=lambda concern: concern.audit.agency,
        partnership_of=lambda concern: concern.audit.partnership_id,
        references=lambda concern: {"audit": concern.audit_id, "concern": concern.pk},
        details=lambda concern: [("Safeguarding concern", concern.description)],
    )
