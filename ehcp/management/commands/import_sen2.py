"""Import a SEN2-shaped CSV file into a partnership now, without the background worker.

    manage.py import_sen2 children.csv --partnership demo-local-area [--user sqa]

Prints every problem as `line N, column: reason` and exits with status 1 when the file is refused.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ehcp.imports import service
from ehcp.models import ImportStatus
from qaf.models import Partnership, User


class Command(BaseCommand):
    help = "Import a SEN2-shaped CSV file of children into a partnership (all rows or none)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("path", type=Path, help="The CSV file.")
        parser.add_argument("--partnership", required=True, help="The partnership's slug.")
        parser.add_argument("--user", help="Username recorded as the uploader (a user of that partnership).")

    def handle(self, *args, path: Path, partnership: str, user: str | None, **options) -> None:
        try:
            target = Partnership.objects.get(slug=partnership)
        except Partnership.DoesNotExist:
            raise CommandError(f"No partnership has the slug {partnership!r}.") from None
        uploader = None
        if user:
            uploader = User.objects.filter(username=user, partnership=target).first()
            if uploader is None:
                raise CommandError(f"{target} has no user {user!r}.")
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from None
        try:
            child_import = service.child_import_create(
                partnership=target, user=uploader, filename=path.name, content_bytes=content, queue=False
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        child_import = service.child_import_run(child_import=child_import)
        if child_import.status != ImportStatus.DONE:
            for error in child_import.errors:
                where = (
                    f"line {error['line']}, {error['column'] or 'file'}"
                    if error["line"]
                    else error["column"] or "file"
                )
                self.stderr.write(f"{where}: {error['message']}")
            raise CommandError(
                f"{path.name} was not imported: {len(child_import.errors)} problem(s). Nothing was changed."
            )
        self.stdout.write(
            f"Imported {child_import.rows_total} rows from {path.name} into {target}: "
            f"{child_import.children_created} children created, {child_import.children_updated} updated."
        )
