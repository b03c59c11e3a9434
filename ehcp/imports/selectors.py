"""Reads of a partnership's imports, through the app's access policy."""

from __future__ import annotations

from django.db.models import QuerySet

from ehcp import access
from ehcp.models import ChildImport
from qaf.access import get_for_user_or_404
from qaf.models import User


def child_imports_for_user(user: User) -> QuerySet[ChildImport]:
    """The imports of the user's partnership, newest first, if they may import; none otherwise. The file's
    content (up to QAF_IMPORT_MAX_BYTES each) is left in the database."""
    if not access.children.can(user, "import") or user.partnership_id is None:
        return ChildImport.objects.none()
    return (
        ChildImport.objects.filter(partnership_id=user.partnership_id)
        .select_related("uploaded_by")
        .defer("content")
    )


def child_import_get_for_user(user: User, pk: int) -> ChildImport:
    """One import of the user's partnership; Http404 for another partnership's or one that does not exist.
    Callers check `ehcp.access.children.can(user, "import")` first (403)."""
    return get_for_user_or_404(child_imports_for_user(user), pk=pk)
