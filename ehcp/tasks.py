"""Background jobs of the ehcp app. Thin: take ids, load, call a service."""

from __future__ import annotations

from celery import shared_task

from ehcp.imports import service
from ehcp.models import ChildImport


@shared_task
def child_import_run(import_id: int) -> str | None:
    """Run one upload of a SEN2-shaped CSV file. Safe to run twice: a finished import is left as it is."""
    child_import = ChildImport.objects.filter(pk=import_id).first()
    if child_import is None:  # deleted since it was queued
        return None
    return service.child_import_run(child_import=child_import).status
