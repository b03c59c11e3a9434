"""Explicit per-object grants (django-guardian, direct foreign key): a Level 3 panel member or a Level 4 lead
board member on one audit."""

from __future__ import annotations

from django.db import models
from guardian.models import UserObjectPermissionBase

from audits.models.audits import Audit


class AuditUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Audit, on_delete=models.CASCADE)

    class Meta(UserObjectPermissionBase.Meta):
        pass
