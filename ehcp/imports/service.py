"""The import of an upload, end to end.

- `child_import_create` refuses oversize and non-UTF-8 uploads, stores the upload as a ChildImport and queues
  `ehcp.tasks.child_import_run` once the transaction commits.
- `child_import_run` validates the stored file and, when every row is good, writes all of them in one
  transaction (`rows_write`), publishing progress while it runs and serialising imports per partnership.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from ehcp import tasks
from ehcp.imports import writing
from ehcp.imports.rows import RowError
from ehcp.imports.validation import validate_rows
from ehcp.models import ChildImport, ImportStatus
from qaf.models import Agency, Partnership, User

logger = logging.getLogger(__name__)

# Validation is much quicker than writing; this is its share of the progress shown while an import runs.
CHECK_SHARE = 0.1


def decode_upload(content_bytes: bytes) -> str:
    """The text of an uploaded file. Raises ValidationError when it is binary or not UTF-8 (a BOM is fine)."""
    if b"\x00" in content_bytes:
        raise ValidationError(
            "The selected file is not a CSV file. Save it from your spreadsheet as ‘CSV UTF-8’.",
            code="not_csv",
        )
    try:
        return content_bytes.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content_bytes.count(b"\n", 0, exc.start) + 1
        raise ValidationError(
            f"The selected file is not UTF-8 text (the first problem is on line {line}). Save it from your "
            "spreadsheet as ‘CSV UTF-8’ and upload it again.",
            code="not_utf8",
        ) from None


def size_label(size: int) -> str:
    """A byte count in words for messages: 20 MB, 512 KB, 100 bytes."""
    if size >= 1024 * 1024:
        return f"{size / 1024 / 1024:.3g} MB"
    return f"{size / 1024:.3g} KB" if size >= 1024 else f"{size} bytes"


def child_import_create(
    *, partnership: Partnership, user: User | None, filename: str, content_bytes: bytes, queue: bool = True
) -> ChildImport:
    """Store an upload and queue its import (`ehcp.tasks.child_import_run`, on commit) unless `queue` is False.

    Callers check `ehcp.access.children.can(user, "import")` first. Raises ValidationError, storing nothing, when the file is
    larger than settings.QAF_IMPORT_MAX_BYTES, binary or not UTF-8. The rows are checked by the run, not here.
    """
    limit = settings.QAF_IMPORT_MAX_BYTES
    if len(content_bytes) > limit:
        raise ValidationError(
            f"The selected file must be smaller than {size_label(limit)}.", code="too_large"
        )
    text = decode_upload(content_bytes)
    with transaction.atomic():
        child_import = ChildImport.objects.create(
            partnership=partnership, uploaded_by=user, filename=filename[:255], content=text
        )
        if queue:
            tasks.child_import_run.delay_on_commit(child_import.pk)
    return child_import


def child_import_run(*, child_import: ChildImport) -> ChildImport:
    """Check the stored file and, if every row is good, import all of it in one transaction; else import nothing.

    Ends DONE (with counts) or FAILED (with every error). Idempotent: a finished import is returned as it is,
    and two runs at once are serialised on the partnership, so the second finds the first's result. A run
    that dies mid-way leaves nothing written and the import RUNNING, so a redelivered task runs it again.
    Call it outside a transaction (the task does): progress is published while it runs.
    """
    pk = child_import.pk
    started = ChildImport.objects.filter(
        pk=pk, status__in=[ImportStatus.PENDING, ImportStatus.RUNNING]
    ).update(status=ImportStatus.RUNNING, started_at=timezone.now(), rows_done=0)
    if started:
        progress = _Progress(pk)
        try:
            _run(child_import, progress)
        except Exception:
            logger.exception("Child import %s stopped", pk)
            _finish(
                pk,
                status=ImportStatus.FAILED,
                rows_done=0,
                errors=[
                    RowError(
                        0,
                        "",
                        "The import stopped unexpectedly. Nothing was imported; try again, and if it "
                        "happens again tell your partnership admin.",
                    ).as_dict()
                ],
            )
        finally:
            progress.close()
    child_import.refresh_from_db()
    return child_import


def _run(child_import: ChildImport, progress: _Progress) -> None:
    agencies = {
        name.strip().lower(): agency_id
        for agency_id, name in Agency.objects.filter(partnership_id=child_import.partnership_id).values_list(
            "pk", "name"
        )
    }
    validation = validate_rows(child_import.content, agencies=agencies, on_progress=progress.checked)
    if validation.errors:
        _finish(
            child_import.pk,
            status=ImportStatus.FAILED,
            rows_total=validation.rows_total,
            rows_done=0,
            errors=[error.as_dict() for error in validation.errors],
        )
        return
    with transaction.atomic():
        # One import per partnership at a time: a second run of this import waits here, then finds it done.
        partnership = Partnership.objects.select_for_update(no_key=True).get(pk=child_import.partnership_id)
        if ChildImport.objects.filter(pk=child_import.pk, status=ImportStatus.RUNNING).exists():
            created, updated = writing.rows_write(
                partnership=partnership,
                rows=validation.rows,
                columns=validation.columns,
                on_progress=progress.written,
            )
            total = len(validation.rows)
            _finish(
                child_import.pk,
                status=ImportStatus.DONE,
                rows_total=total,
                rows_done=total,
                children_created=created,
                children_updated=updated,
                errors=[],
            )


def _finish(pk: int, **fields) -> None:
    ChildImport.objects.filter(pk=pk, status=ImportStatus.RUNNING).update(
        finished_at=timezone.now(), **fields
    )


class _Progress:
    """Publishes ChildImport.rows_total/rows_done while an import runs, as one bar: checking is the first
    CHECK_SHARE of it, writing the rest.

    Writes made inside the import's own transaction would only show when it commits, so there progress goes
    through a second, autocommit connection (PostgreSQL only: on SQLite, the embedded mode, a second writer
    would wait for the first, so progress simply shows at the end).
    """

    def __init__(self, pk: int) -> None:
        self.pk = pk
        self._side: BaseDatabaseWrapper | None = None
        self._side_failed = False

    def checked(self, done: int, total: int) -> None:
        self._publish(total, int(done * CHECK_SHARE))

    def written(self, done: int, total: int) -> None:
        self._publish(total, int(total * CHECK_SHARE + done * (1 - CHECK_SHARE)))

    def _publish(self, total: int, done: int) -> None:
        if not connection.in_atomic_block:
            ChildImport.objects.filter(pk=self.pk, status=ImportStatus.RUNNING).update(
                rows_total=total, rows_done=done
            )
            return
        if connection.vendor != "postgresql" or self._side_failed:
            return
        try:
            if self._side is None:
                self._side = connections.create_connection(DEFAULT_DB_ALIAS)
                with self._side.cursor() as cursor:
                    # Never wait on a lock the import's own transaction might hold: skip progress instead.
                    cursor.execute("SET lock_timeout = '200ms'")
            table = self._side.ops.quote_name(ChildImport._meta.db_table)
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {table} SET rows_total = %s, rows_done = %s WHERE id = %s AND status = %s",
                    [total, done, self.pk, ImportStatus.RUNNING.value],
                )
        except DatabaseError:
            logger.warning("Progress of child import %s not published", self.pk, exc_info=True)
            self._side_failed = True

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
            self._side = None
