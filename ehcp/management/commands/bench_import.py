"""Time the import of a synthetic SEN2-shaped CSV file: `manage.py bench_import --rows 20000`.

The file is made in memory and imported into a throwaway partnership, which is removed afterwards.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import uuid
from time import perf_counter

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from ehcp.codes import AssessmentException, PlanEndReason, PrimaryNeed, SettingType
from ehcp.imports import writing
from ehcp.imports.columns import COLUMNS
from ehcp.imports.validation import validate_rows
from qaf.models import Agency, AgencyKind, Partnership


def synthetic_csv(rows: int, agency_names: list[str], *, seed: int = 1, today: dt.date | None = None) -> str:
    """A valid SEN2-shaped file of `rows` children, the same for the same seed and day."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.name for column in COLUMNS])
    needs, settings_ = [c for c, _ in PrimaryNeed.choices], [c for c, _ in SettingType.choices]
    exceptions = [c for c, _ in AssessmentException.choices if c]
    reasons = [c for c, _ in PlanEndReason.choices]

    def day(value: dt.date | None) -> str:
        if value is None:
            return ""
        # Council exports often write dates the British way; use both.
        return value.strftime("%d/%m/%Y") if rng.random() < 0.1 else value.isoformat()

    def before_today(value: dt.date) -> dt.date | None:
        return value if value <= today else None

    for number in range(rows):
        born = today - dt.timedelta(days=rng.randint(3 * 365, 24 * 365))
        requested = born + dt.timedelta(days=rng.randint(365, (today - born).days - 1))
        decided = before_today(requested + dt.timedelta(days=rng.randint(20, 60)))
        will_assess = None if decided is None else rng.random() < 0.9
        final = before_today(requested + dt.timedelta(days=rng.randint(100, 200))) if will_assess else None
        reviewed = before_today(final + dt.timedelta(days=rng.randint(300, 400))) if final else None
        ended = (
            before_today(final + dt.timedelta(days=rng.randint(400, 900)))
            if final and rng.random() < 0.05
            else None
        )
        writer.writerow(
            [
                f"BENCH{number:07d}",
                rng.choice("ABCDEFGHJKLMNPRST") + rng.choice("ABCDEFGHJKLMNPRSTW"),
                day(born),
                rng.choice(needs),
                rng.choice(settings_),
                "Y" if rng.random() < 0.06 else "N",
                "Y" if rng.random() < 0.08 else "",
                day(requested),
                day(decided),
                "" if will_assess is None else "Y" if will_assess else "N",
                rng.choice(exceptions) if final and rng.random() < 0.03 else "",
                day(final),
                day(reviewed),
                day(ended),
                rng.choice(reasons) if ended else "",
                ";".join(rng.sample(agency_names, rng.randint(0, min(2, len(agency_names))))),
            ]
        )
    return out.getvalue()


class Command(BaseCommand):
    help = (
        "Time validating and writing a synthetic SEN2-shaped import of N rows into a throwaway partnership."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--rows", type=int, default=20_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--again", action="store_true", help="Also time importing the same file again.")

    def handle(self, *args, rows: int, seed: int, again: bool, **options) -> None:
        if rows < 1:
            raise CommandError("--rows must be at least 1.")
        name = f"Import benchmark {uuid.uuid4().hex[:8]}"
        partnership = Partnership.objects.create(name=name, slug=name.lower().replace(" ", "-"))
        try:
            agencies = [
                Agency.objects.create(
                    partnership=partnership, name=f"Bench agency {n}", kind=AgencyKind.EDUCATION
                )
                for n in range(6)
            ]
            agency_ids = {agency.name.lower(): agency.pk for agency in agencies}
            text = synthetic_csv(rows, [agency.name for agency in agencies], seed=seed)
            self._time("import", partnership, text, agency_ids, rows)
            if again:
                self._time("import again", partnership, text, agency_ids, rows)
        finally:
            start = perf_counter()
            partnership.delete()
            self.stdout.write(f"removed the throwaway partnership in {perf_counter() - start:.2f} s")

    def _time(
        self, label: str, partnership: Partnership, text: str, agency_ids: dict[str, int], rows: int
    ) -> None:
        start = perf_counter()
        validation = validate_rows(text, agencies=agency_ids)
        checked = perf_counter()
        if validation.errors:
            raise CommandError(f"The synthetic file is not valid: {validation.errors[:3]}")
        with transaction.atomic():
            writing.rows_write(partnership=partnership, rows=validation.rows, columns=validation.columns)
        written = perf_counter()
        total = written - start
        self.stdout.write(
            f"{label} {rows} rows: validate {checked - start:.2f} s, write {written - checked:.2f} s, "
            f"total {total:.2f} s ({rows / total:.0f} rows/s)"
        )
