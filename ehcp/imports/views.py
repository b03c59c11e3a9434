"""Pages for importing children from a SEN2-shaped CSV file: the upload form and one import's progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render

from ehcp import access
from ehcp.imports import selectors, service
from ehcp.imports.columns import COLUMNS
from ehcp.imports.forms import ChildImportForm
from ehcp.models import ImportStatus
from qaf.types import AuthenticatedHttpRequest

RECENT_IMPORTS = 10


@login_required
def import_upload(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not access.children.can(request.user, "import"):
        raise PermissionDenied
    form = ChildImportForm(request.POST, request.FILES) if request.method == "POST" else ChildImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        partnership = request.user.partnership
        if partnership is None:  # importing needs a partnership: `can` has already refused
            raise PermissionDenied
        try:
            child_import = service.child_import_create(
                partnership=partnership,
                user=request.user,
                filename=upload.name,
                content_bytes=upload.read(),
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("ehcp:import-detail", pk=child_import.pk)
    return render(
        request,
        "ehcp/import_upload.html",
        {
            "form": form,
            "columns": COLUMNS,
            "max_size": service.size_label(settings.QAF_IMPORT_MAX_BYTES),
            "recent_imports": selectors.child_imports_for_user(request.user)[:RECENT_IMPORTS],
        },
    )


@login_required
def import_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    if not access.children.can(request.user, "import"):
        raise PermissionDenied
    child_import = selectors.child_import_get_for_user(request.user, pk)
    return render(
        request,
        "ehcp/import_detail.html",
        {"child_import": child_import, "statuses": ImportStatus, "refresh_seconds": 2},
    )
