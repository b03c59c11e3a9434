"""`{% audit_actions audit request.user %}`: the remedial actions of an audit that the user may see, and a
"Raise an action" link when they may raise one (on the audit page and while doing the audit)."""

from __future__ import annotations

from django import template
from django.urls import reverse

from audits import access
from audits.models import Audit, RemedialAction
from qaf.models import User

register = template.Library()


@register.inclusion_tag("audits/actions/for_audit.html")
def audit_actions(audit: Audit, user: User) -> dict:
    visible = access.visible_actions(user).filter(audit=audit)
    actions = list(visible.select_related("worker").order_by("due_on", "pk"))
    # An auditor may raise actions they cannot open afterwards (they go to another agency's worker): say how
    # many, without showing them.
    hidden = (
        RemedialAction.objects.filter(audit=audit, raised_by_id=user.pk)
        .exclude(pk__in=visible.values("pk"))
        .count()
        if getattr(user, "is_authenticated", False)
        else 0
    )
    can_raise = access.can_raise_action(user, audit)
    return {
        "actions": actions,
        "hidden": hidden,
        "raise_url": reverse("audits:action-raise-for-audit", args=[audit.pk]) if can_raise else None,
    }
