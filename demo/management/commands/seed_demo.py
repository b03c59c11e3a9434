"""`manage.py seed_demo`: the "Demo Local Area" partnership with staff, children, plans and reviews, audits,
actions, and the voice (feedback, complaints, compliments, advocacy returns).

Deterministic for a given --seed and day. Everything is dated from one moment, the one the command starts at, so
the demo is the same whatever the clock does while it seeds (even when it passes midnight). Refuses to run with
DEBUG off unless --force (DESIGN.md §4).
"""

from __future__ import annotations

import logging
import random
import time
from contextlib import contextmanager

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from demo import actions as demo_actions
from demo import audits as demo_audits
from demo import children as demo_children
from demo import partnership as demo_partnership
from demo import tools as demo_tools
from demo import voice as demo_voice
from feedback.services import complaints as feedback_complaints
from qaf.models import Partnership, User

DEFAULT_SEED = 2025
# Seeding raises actions and escalations through the services, which queue their emails on commit; the demo
# records those emails as sent so the tasks send nothing, and this backend makes sure that whatever a task
# would still send when it runs eagerly at the commit (embedded mode) is dropped, not printed on the console.
QUIET_EMAIL = "django.core.mail.backends.dummy.EmailBackend"


@contextmanager
def _quiet_task_log():
    """Scheduling the demo's audits queues an assignment-email task per scheduling, run when the seed commits;
    the demo records those emails as sent, so the tasks send nothing. Keep their log lines (one a task, and
    the in-memory broker's notice, when tasks run eagerly) out of the command's output."""
    loggers = {"celery.app.trace": logging.WARNING, "kombu.connection": logging.ERROR}
    before = {name: logging.getLogger(name).level for name in loggers}
    for name, level in loggers.items():
        logging.getLogger(name).setLevel(level)
    try:
        yield
    finally:
        for name, level in before.items():
            logging.getLogger(name).setLevel(level)


def demo_delete(partnership: Partnership) -> None:
    """Delete the demo partnership and everything in it. Callers hold a transaction."""
    # Audits, plans, complaints, compliments, feedback and advocacy returns protect the children, agencies and
    # tools they point at: they go first.
    demo_audits.delete_demo_audits(partnership)
    feedback_complaints.partnership_feedback_delete(partnership=partnership)
    demo_children.children_delete(partnership=partnership)
    demo_partnership.partnership_delete(partnership=partnership)


class Command(BaseCommand):
    help = "Create the demo partnership 'Demo Local Area' with demo sign-ins (password demo-password)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=list(demo_partnership.SCALES),
            default="demo",
            help="demo: about 400 children; county: about 15,000.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="The same seed gives the same data."
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (but print the sign-ins) if the demo partnership already exists.",
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete the demo partnership and its users first, then seed again.",
        )
        parser.add_argument("--force", action="store_true", help="Run even though DEBUG is off.")

    def handle(self, *args, scale: str, seed: int, if_empty: bool, reset: bool, force: bool, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "DEBUG is off: this looks like a real installation. Use --force to seed demo data anyway."
            )
        if if_empty and reset:
            raise CommandError("Use --if-empty or --reset, not both.")
        existing = demo_partnership.demo_partnership()
        if existing and if_empty:
            self.stdout.write(f"{demo_partnership.DEMO_PARTNERSHIP_NAME} already exists; nothing seeded.")
            self._write_sign_ins(existing)
            return
        if existing and not reset:
            raise CommandError(
                f"{demo_partnership.DEMO_PARTNERSHIP_NAME} already exists. Use --reset to delete it and "
                "its users and seed it again."
            )

        started = time.monotonic()
        now = timezone.now()
        today = timezone.localdate(now)
        demo_scale = demo_partnership.SCALES[scale]
        try:
            with _quiet_task_log(), override_settings(EMAIL_BACKEND=QUIET_EMAIL), transaction.atomic():
                if existing:
                    demo_delete(existing)
                area = demo_partnership.area_seed(scale=demo_scale, today=today)
                sqa_user = User.objects.get(partnership=area.partnership, username="sqa")
                tools = demo_tools.seed_tools(area.partnership, sqa_user=sqa_user, now=now)
                counts = {
                    "audit tools": len(tools),
                    **area.counts,
                    **demo_children.children_seed(
                        area=area, count=demo_scale.children, rng=random.Random(seed), today=today
                    ),
                }
                # The same programme at every scale: a county runs about as many audits as the demo shows.
                counts.update(
                    demo_audits.seed_audits(partnership=area.partnership, tools=tools, seed=seed, now=now)
                )
                # Actions on the audits just done, and the escalations their Inadequate grades raised.
                counts.update(demo_actions.seed_actions(partnership=area.partnership, seed=seed, now=now))
                # The voice: feedback after the year's reviews, complaints, compliments, advocacy returns.
                counts.update(
                    demo_voice.seed_feedback(
                        partnership=area.partnership, seed=seed, today=today, children=demo_scale.children
                    )
                )
        except demo_partnership.DemoError as exc:
            raise CommandError(str(exc)) from exc

        elapsed = time.monotonic() - started
        name = demo_partnership.DEMO_PARTNERSHIP_NAME
        self.stdout.write(
            self.style.SUCCESS(f"Seeded {name} (scale {scale}, seed {seed}) in {elapsed:.1f} s:")
        )
        self.stdout.write("  " + ", ".join(f"{n:,} {label}" for label, n in counts.items()))
        self._write_sign_ins(area.partnership)

    def _write_sign_ins(self, partnership) -> None:
        rows = [("Username", "Role", "Agency"), *demo_partnership.sign_ins(partnership=partnership)]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        self.stdout.write(f"\nDemo sign-ins (password {demo_partnership.DEMO_PASSWORD}, demo data only):")
        for n, row in enumerate(rows):
            self.stdout.write(
                ("  " + "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True))).rstrip()
            )
            if n == 0:
                self.stdout.write("  " + "  ".join("-" * width for width in widths))
