"""The demo's remedial actions and case escalations: what the audits found turned into work, tracked to the end.

Used by `manage.py seed_demo` after `demo.audits`, in the same transaction. Everything goes through
the actions app's services as the people concerned would use them: actions are
raised (by the SQA officer once an audit is done, or by the auditor while doing it), started, completed with
evidence, verified by the team manager or the SQA officer, and one is cancelled with a reason; a safeguarding
concern is raised mid-audit; heads of service acknowledge and resolve escalations. The services date
everything now, so the work is then dated back to when it was done (as `demo.work.backdate` does for
audits), with some actions overdue and some due soon whatever the day.

Every email the services queue (on commit) is recorded here as already sent, the way `demo.audits` records
the assignment emails: the tasks then send nothing, even on a real Celery worker with a real email backend.
Deterministic for a seed and a day: every choice comes from one `random.Random`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Model
from django.utils import timezone

from actions.models import (
    ActionEvent,
    ActionSource,
    ActionStatus,
    Escalation,
    EscalationEvent,
    EscalationTrigger,
    RemedialAction,
)
from actions.services import actions, escalations
from audits.models import Audit, AuditEvent, AuditKind, AuditStatus, SafeguardingConcern, Sample
from audits.services import escalations as audit_escalations
from demo.action_bank import (
    BANK,
    CANCEL_REASONS,
    CONCERN,
    DAY,
    HEALTH,
    HIGH,
    LAC,
    LOW,
    MEDIUM,
    MINUTE,
    RESOLUTIONS,
    VERIFY_NOTES,
    R,
    Remedy,
)
from demo.working_days import last_working_day, next_working_day
from ehcp import timeliness
from qaf.access import WORKING_ROLES
from qaf.history.models import HistoryEvent
from qaf.history.services import event_build, events_bulk_create
from qaf.models import Agency, AgencyKind, Membership, Partnership, Role, User
from qaf.terms import term_for_day

# Actions and escalations are dated at the latest this long before the seed's moment, so every later step and
# its notices still fit before it; a step follows the one before by at least STEP (its notices take a minute).
ROOM = 10 * MINUTE
STEP = 2 * MINUTE
WEEK = dt.timedelta(days=7)
# Actions raised on audits whatever the day, and actions completed, verified or cancelled.
MIN_FROM_AUDITS = 15
MIN_CLOSED = 5
# How far on an action is by now, by when it falls due: each status is drawn when a random number in [0, 1) is
# below its bound and not the one before.
StatusOdds = tuple[tuple[str, float], ...]
# Due more than 30 days ago: nearly all done and checked.
STATUS_ODDS_LONG_PAST: StatusOdds = (
    (ActionStatus.VERIFIED, 0.75),
    (ActionStatus.COMPLETED, 0.92),
    (ActionStatus.IN_PROGRESS, 1.0),
)
# Due in the last 30 days: mostly done by now; some overdue.
STATUS_ODDS_PAST: StatusOdds = (
    (ActionStatus.VERIFIED, 0.45),
    (ActionStatus.COMPLETED, 0.85),
    (ActionStatus.IN_PROGRESS, 0.95),
    (ActionStatus.OPEN, 1.0),
)
# Not yet due.
STATUS_ODDS_NOT_YET: StatusOdds = (
    (ActionStatus.OPEN, 0.35),
    (ActionStatus.IN_PROGRESS, 0.7),
    (ActionStatus.COMPLETED, 0.9),
    (ActionStatus.VERIFIED, 1.0),
)


@dataclass
class Planned:
    """One action to seed, and what happens to it."""

    agency: Agency
    worker: User
    remedy: Remedy
    by: User
    raised_at: dt.datetime
    due: dt.date
    status: str = ActionStatus.OPEN
    audit: Audit | None = None
    source: str = ActionSource.AUDIT
    source_object: Model | None = None
    source_note: str = ""
    themes: list[int] = field(default_factory=list)
    fixed: bool = False  # chosen to show a status, a due date or a worker: left alone by the later choices
    times: dict[str, dt.datetime] = field(default_factory=dict)


def _recipients(row: Escalation) -> list[str]:
    """Whom the escalation services email about `row`: its head of service, or with none (or one inactive or
    without an email) the SQA officers; the same choice, so the demo's history names who would be emailed."""
    return [user.email for user in escalations._head_of_service_or_sqa(row) if user.email]


class _FreeActions:
    """The planned actions `Seeder.guarantee` may still change (none fixed), in a shuffled order.

    Each step of the guarantee takes the actions it changes, so that no later step changes them again.
    """

    def __init__(self, rng: random.Random, planned: list[Planned]):
        self.actions = [p for p in planned if not p.fixed]
        rng.shuffle(self.actions)

    def take(self, *tests: Callable[[Planned], bool]) -> Planned | None:
        """The first free action passing the first test that any passes, now fixed."""
        for test in tests:
            found = next((p for p in self.actions if test(p)), None)
            if found is not None:
                self.actions.remove(found)
                found.fixed = True
                return found
        return None


class Seeder:
    def __init__(self, partnership: Partnership, seed: int, now: dt.datetime):
        self.partnership = partnership
        self.now, self.today = now, timezone.localdate(now)
        self.rng = random.Random(f"qaf-demo-actions:{seed}")
        self.users = {u.username: u for u in User.objects.filter(partnership=partnership)}
        self.sqa = self.users["sqa"]
        self.auditor = self.users.get("auditor")
        self.themes = {t.name: t.pk for t in partnership.themes.filter(is_active=True)}
        memberships = list(
            Membership.objects.filter(
                agency__partnership=partnership, role__in=WORKING_ROLES, user__is_active=True
            )
            .select_related("user", "agency")
            .order_by("user__username", "pk")
        )
        managed = {m.team_id for m in memberships if m.role == Role.TEAM_MANAGER and m.team_id}
        self.staff: dict[int, list[list[User]]] = {}  # agency pk -> people by preference
        self.home: dict[int, Agency] = {}  # user pk -> the agency of their first working membership
        for m in memberships:
            tiers = self.staff.setdefault(m.agency_id, [[], [], [], []])
            if m.role == Role.PRACTITIONER:
                tiers[0 if m.team_id in managed else 1].append(m.user)
            elif m.role == Role.TEAM_MANAGER:
                tiers[2].append(m.user)
            elif m.role in (Role.AGENCY_MANAGER, Role.HEAD_OF_SERVICE):
                tiers[3].append(m.user)
            self.home.setdefault(m.user_id, m.agency)
        self.heads = {m.agency_id for m in memberships if m.role == Role.HEAD_OF_SERVICE}
        self.auditor_agency = self.home.get(self.auditor.pk) if self.auditor else None
        head = self.users.get("hos.education")
        # The agency of the demo's head of service: its escalations are what `hos.education` comes to see.
        self.head_agency_id = self.home[head.pk].pk if head is not None and head.pk in self.home else None

    # --- choosing ------------------------------------------------------------------------------------

    def at(self, day: dt.date, hour: int = 10) -> dt.datetime:
        """A moment in the `hour` of `day` (local time), at the latest ROOM before now."""
        when = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60))))
        return min(self.now - ROOM, when)

    @staticmethod
    def day(when: dt.datetime) -> dt.date:
        return timezone.localtime(when).date()

    def days_ago(self, n: int) -> dt.datetime:
        """A moment of working hours on the working day `n` days ago (or the one before it)."""
        return self.at(last_working_day(self.today - dt.timedelta(days=n)), self.rng.randint(9, 15))

    def moment(self, low: dt.datetime, high: dt.datetime, cap: dt.datetime) -> dt.datetime:
        """When a step after `low` was done: aiming between `low` and `high`, in working hours of a working day
        where possible, and always after `low` (with a minute for its notice) and at the latest `cap`."""
        floor = min(low + STEP, cap)
        high = min(max(floor, high), cap)
        aim = floor + (high - floor) * self.rng.uniform(0.2, 0.9)
        day = max(self.day(floor), last_working_day(self.day(aim)))
        when = timezone.make_aware(
            dt.datetime.combine(day, dt.time(self.rng.randint(9, 16), self.rng.randrange(60)))
        )
        return min(max(when, floor), high)

    def worker(self, agency: Agency) -> User | None:
        tiers = self.staff.get(agency.pk, [])
        pool = next((tier for tier in tiers if tier), [])
        if (
            self.auditor is not None
            and self.auditor_agency is not None
            and agency.pk == self.auditor_agency.pk
        ):
            pool = [*pool, self.auditor] if self.auditor not in pool else pool
        return self.rng.choice(pool) if pool else None

    def family_and_worker(self, audit: Audit) -> tuple[str, Agency, User] | None:
        """Which bank the audit's actions come from, and who carries them out: the setting's or service's own
        practitioner for a Level 1 advice audit, the case's SAT caseworker for plans and multi-agency work."""
        kind = audit.agency.kind
        if audit.level == 1 and audit.kind != AuditKind.OBSERVATION and kind in BANK_OF_KIND:
            worker = self.worker(audit.agency)
            return (BANK_OF_KIND[kind], audit.agency, worker) if worker else None
        if audit.level == 4:
            return None  # a system-leader review feeds the board's learning, not a worker's action
        family = (
            "multi_agency"
            if audit.level == 3
            else "observation"
            if audit.kind == AuditKind.OBSERVATION
            else "review"
            if audit.plan_stage == "review"
            else "plan"
        )
        child = audit.child if audit.child_id else None
        caseworker = child.caseworker if child is not None else None
        if caseworker is not None and caseworker.pk in self.home:
            return family, self.home[caseworker.pk], caseworker
        worker = self.worker(audit.agency) if audit.agency.kind != AgencyKind.SQA else None
        return (family, audit.agency, worker) if worker else None

    def remedies(self, family: str, audit: Audit, count: int) -> list[Remedy]:
        child = audit.child
        year = timeliness.year_group(child.date_of_birth, self.today) if child else 0
        fits = [
            r
            for r in BANK[family]
            if not (r.when == "pfa" and year < 9)
            and not (r.when == "lac" and not (child and child.looked_after))
        ]
        return self.rng.sample(fits, min(count, len(fits)))

    def due(self, raised: dt.date, priority: str) -> dt.date:
        windows: dict[str, tuple[int, int]] = {HIGH: (14, 21), MEDIUM: (21, 42), LOW: (35, 63)}
        low, high = windows[priority]
        return next_working_day(raised + dt.timedelta(days=self.rng.randint(low, high)))

    def status(self, due: dt.date) -> str:
        r = self.rng.random()
        if due < self.today - dt.timedelta(days=30):
            odds = STATUS_ODDS_LONG_PAST
        elif due < self.today:
            odds = STATUS_ODDS_PAST
        else:
            odds = STATUS_ODDS_NOT_YET
        return next(status for status, below in odds if r < below)

    def theme_ids(self, remedy: Remedy, audit: Audit | None) -> list[int]:
        ids = {self.themes[name] for name in remedy.themes if name in self.themes}
        child = audit.child if audit is not None and audit.child_id else None
        if child is not None and child.looked_after and LAC in self.themes:
            ids.add(self.themes[LAC])
        return sorted(ids)

    def from_audits(self) -> list[Planned]:
        """1–3 actions on a good share of the done audits (more often the weaker the grade), raised by the
        SQA officer once the audit is done; one on some audits in progress, raised by their auditor. Early in
        the year, when few audits are done, one on more of them, so there are at least MIN_FROM_AUDITS."""
        share = {"inadequate": 1.0, "requires_improvement": 0.85, "good": 0.45, "outstanding": 0.1}
        audits = list(
            Audit.objects.filter(
                partnership=self.partnership,
                status__in=(
                    AuditStatus.IN_PROGRESS,
                    AuditStatus.SUBMITTED,
                    AuditStatus.MODERATED,
                    AuditStatus.CLOSED,
                ),
            )
            .select_related("agency", "child__caseworker")
            .prefetch_related("assignments__user")
            .order_by("pk")
        )
        planned: list[Planned] = []
        without: list[Audit] = []
        for audit in audits:
            r = self.rng.random()
            if audit.status == AuditStatus.IN_PROGRESS:
                chosen = r < 0.35
                count = 1
            else:
                chosen = r < share.get(audit.overall_grade, 0.5)
                count = 3 if audit.overall_grade == "inadequate" else self.rng.choice((1, 1, 2, 2, 3))
            made = self.on_audit(audit, count) if chosen else []
            planned += made
            if not made:
                without.append(audit)
        # Done audits first, then those in progress.
        without.sort(key=lambda a: a.status == AuditStatus.IN_PROGRESS)
        for audit in without:
            if len(planned) >= MIN_FROM_AUDITS:
                break
            planned += self.on_audit(audit, 1)
        return planned

    def on_audit(self, audit: Audit, count: int) -> list[Planned]:
        """Up to `count` actions on `audit`: raised by the SQA officer once it was done, or by its auditor while
        doing it, a few minutes to hours after, for the case-responsible worker."""
        if audit.status == AuditStatus.IN_PROGRESS:
            by = next((a.user for a in audit.assignments.all()), None)
            start = audit.started_at
        else:
            by, start = self.sqa, audit.moderated_at or audit.submitted_at
        chosen = self.family_and_worker(audit)
        if chosen is None or start is None or by is None:
            return []
        family, agency, worker = chosen
        # Room before now for each action's minute and its history, even for work finished moments ago.
        latest = self.now - count * MINUTE - ROOM
        raised_at = max(start + MINUTE, min(latest, start + dt.timedelta(minutes=self.rng.randint(5, 240))))
        planned = []
        for remedy in self.remedies(family, audit, count):
            due = self.due(self.day(raised_at), remedy.priority)
            planned.append(
                Planned(
                    agency=agency,
                    worker=worker,
                    remedy=remedy,
                    by=by,
                    raised_at=raised_at,
                    due=due,
                    status=self.status(due),
                    audit=audit,
                    themes=self.theme_ids(remedy, audit),
                )
            )
            raised_at += MINUTE
        return planned

    def from_other_sources(self) -> list[Planned]:
        """A dip sample, a complaint, a feedback analysis and the termly report's recommendations, each raised by
        the SQA officer; two of them overdue whatever the day."""
        agencies = {a.name: a for a in self.partnership.agencies.all()}
        found = (
            self._from_dip_sample(agencies),
            self._from_complaint(agencies),
            self._from_feedback(agencies),
            self._from_report(agencies),
        )
        planned = [plan for plan in found if plan is not None]
        for plan in planned:
            plan.themes = self.theme_ids(plan.remedy, None)
        return planned

    def managed_practitioners(
        self, agencies: dict[str, Agency], name: str
    ) -> tuple[Agency | None, list[User]]:
        """The agency called `name` (if there is one) and its practitioners in teams with a team manager, whom
        the actions from other sources go to."""
        agency = agencies.get(name)
        return agency, (self.staff.get(agency.pk, [[]])[0] if agency else [])

    def _from_dip_sample(self, agencies: dict[str, Agency]) -> Planned | None:
        """The dip sample's action, for a caseworker of the Northshire statutory assessment team."""
        ncc_sat, caseworkers = self.managed_practitioners(
            agencies, "Northshire SEND Statutory Assessment Team"
        )
        if ncc_sat is not None and caseworkers:
            sample = (
                Sample.objects.filter(partnership=self.partnership, activity__title__startswith="Dip sample")
                .order_by("pk")
                .first()
            )
            return Planned(
                agency=ncc_sat,
                worker=self.rng.choice(caseworkers),
                remedy=R(
                    "Quantify the provision in section F of the plans you issued this term",
                    'The dip sample found provision described as "regular" or "as needed" in 4 of 6 plans.',
                    "",
                    (HEALTH,),
                    HIGH,
                ),
                by=self.sqa,
                raised_at=self.days_ago(40),
                due=last_working_day(self.today - dt.timedelta(days=9)),
                status=ActionStatus.OPEN,
                source=ActionSource.DIP_SAMPLE,
                source_object=sample,
                source_note="Dip sample of final plans (peer review)",
                fixed=True,
            )
        return None

    def _from_complaint(self, agencies: dict[str, Agency]) -> Planned | None:
        """The complaint's action, for the auditor."""
        if self.auditor is not None and self.auditor_agency is not None:
            return Planned(
                agency=self.auditor_agency,
                worker=self.auditor,
                remedy=R(
                    "Share the provision map with the family each term and record their comments",
                    "A parent complained that they could not tell what support their child receives.",
                    "",
                ),
                by=self.sqa,
                raised_at=self.days_ago(12),
                due=last_working_day(self.today + dt.timedelta(days=5)),
                status=ActionStatus.IN_PROGRESS,
                source=ActionSource.COMPLAINT,
                source_note="Stage 1 complaint from a parent about unclear provision",
                fixed=True,
            )
        return None

    def _from_feedback(self, agencies: dict[str, Agency]) -> Planned | None:
        """The feedback analysis's action, for a therapist of the health trust."""
        health, therapists = self.managed_practitioners(
            agencies, "Northshire and Riverton Community Health NHS Trust"
        )
        if health is not None and therapists:
            surveyed = self.days_ago(50)
            return Planned(
                agency=health,
                worker=therapists[0],
                remedy=R(
                    "Send therapy reports to families at least two weeks before each review",
                    "Parent carer feedback: families see the therapy reports for the first time at the meeting.",
                    "Reports for the term's reviews were sent 2–3 weeks ahead; the team's checklist is updated.",
                    (HEALTH,),
                    LOW,
                ),
                by=self.sqa,
                raised_at=surveyed,
                due=last_working_day(self.today - dt.timedelta(days=6)),
                status=ActionStatus.VERIFIED,
                source=ActionSource.FEEDBACK,
                source_note=self.survey(surveyed),
                fixed=True,
            )
        return None

    def _from_report(self, agencies: dict[str, Agency]) -> Planned | None:
        """The termly report's action, for an officer of the Riverton statutory assessment team."""
        rcc_sat, officers = self.managed_practitioners(agencies, "Riverton SEND Statutory Assessment Team")
        if rcc_sat is not None and officers:
            return Planned(
                agency=rcc_sat,
                worker=officers[-1],
                remedy=R(
                    "Chase every request for advice still outstanding at week four",
                    "The termly quality assurance report found advice arriving after the 6-week deadline "
                    "in a third of assessments, and no reminders sent.",
                    "",
                    (HEALTH,),
                ),
                by=self.sqa,
                raised_at=self.days_ago(30),
                due=last_working_day(self.today - dt.timedelta(days=4)),
                status=ActionStatus.IN_PROGRESS,
                source=ActionSource.OTHER,
                source_note="Termly quality assurance report: recommendations",
                fixed=True,
            )
        return None

    def guarantee(self, planned: list[Planned]) -> None:
        """Whatever the day and seed: one action cancelled, one of every other status, at least MIN_CLOSED
        closed, some overdue, some due within a week (after the day they were raised), and the demo `auditor`
        the worker on at least two (the complaint's, still in progress, is one)."""
        free = _FreeActions(self.rng, planned)
        self._auditor_on_two(planned, free)
        self._every_status(planned, free)
        self._two_overdue(free)
        self._two_due_within_the_week(free)
        self._enough_closed(planned, free)

    def raised_before(self, days: int) -> Callable[[Planned], bool]:
        """A test for `_FreeActions.take`: raised more than `days` days before today."""
        return lambda p: self.day(p.raised_at) < self.today - dt.timedelta(days=days)

    def _auditor_on_two(self, planned: list[Planned], free: _FreeActions) -> None:
        """The demo `auditor` becomes the worker on free actions of their agency, else gets one of their own,
        until they have two."""
        if self.auditor is None:
            return
        mine = sum(p.worker.pk == self.auditor.pk for p in planned)
        while mine < 2:
            plan = free.take(lambda p: p.agency.pk == getattr(self.auditor_agency, "pk", None))
            if plan is None:
                break
            plan.worker, mine = self.auditor, mine + (plan.worker.pk != self.auditor.pk)
        if mine < 2 and self.auditor_agency is not None:
            planned.append(self.for_the_auditor(self.auditor, self.auditor_agency))

    def _every_status(self, planned: list[Planned], free: _FreeActions) -> None:
        """One action cancelled, and one open, completed and verified where none is yet."""
        for status in (
            ActionStatus.CANCELLED,
            ActionStatus.OPEN,
            ActionStatus.COMPLETED,
            ActionStatus.VERIFIED,
        ):
            if status == ActionStatus.CANCELLED or not any(p.status == status for p in planned):
                plan = free.take(self.raised_before(3), lambda p: True)
                if plan is not None:
                    plan.status = status

    def _two_overdue(self, free: _FreeActions) -> None:
        """Two overdue: raised a while ago, due some days since, not yet done."""
        for _ in range(2):
            plan = free.take(self.raised_before(5))
            if plan is not None:
                span = (self.today - self.day(plan.raised_at)).days - 1
                due = self.today - dt.timedelta(days=self.rng.randint(1, min(span, 20)))
                plan.due = max(self.day(plan.raised_at) + dt.timedelta(days=1), last_working_day(due))
                plan.status = self.rng.choice((ActionStatus.OPEN, ActionStatus.IN_PROGRESS))

    def _two_due_within_the_week(self, free: _FreeActions) -> None:
        """Two open ones due within the week (and after the day they were raised)."""
        for _ in range(2):
            plan = free.take(lambda p: True)
            if plan is not None:
                low = max(self.today, self.day(plan.raised_at) + dt.timedelta(days=1))
                due = low + dt.timedelta(days=self.rng.randint(0, (self.today + WEEK - low).days))
                plan.due = max(low, last_working_day(due))
                plan.status = self.rng.choice((ActionStatus.OPEN, ActionStatus.IN_PROGRESS))

    def _enough_closed(self, planned: list[Planned], free: _FreeActions) -> None:
        """At least MIN_CLOSED closed: open ones completed until there are."""
        closed = (ActionStatus.COMPLETED, ActionStatus.VERIFIED, ActionStatus.CANCELLED)
        while sum(p.status in closed for p in planned) < MIN_CLOSED:
            plan = free.take(lambda p: p.status in (ActionStatus.OPEN, ActionStatus.IN_PROGRESS))
            if plan is None:
                break
            plan.status = ActionStatus.COMPLETED

    def survey(self, raised_at: dt.datetime) -> str:
        """The parent carer survey an action raised at `raised_at` came from: the term's."""
        term = term_for_day(self.partnership.pk, self.day(raised_at))
        return f"Parent carer feedback survey, {term.name} term" if term else "Parent carer feedback survey"

    def for_the_auditor(self, auditor: User, agency: Agency) -> Planned:
        """An action for the demo `auditor` (of `agency`) from the families' feedback, when the audits gave them
        too few."""
        raised_at = self.days_ago(15)
        return Planned(
            agency=agency,
            worker=auditor,
            remedy=R(
                "Offer each family a call before their child's annual review to agree what matters to them",
                "Parent carer feedback: families say the review meeting is the first time they are asked.",
                "",
            ),
            by=self.sqa,
            raised_at=raised_at,
            due=next_working_day(self.today + dt.timedelta(days=21)),
            status=ActionStatus.OPEN,
            source=ActionSource.FEEDBACK,
            source_note=self.survey(raised_at),
            fixed=True,
        )

    def dated(self, plan: Planned) -> None:
        """When each step happened: started, completed (by the due date or a little after), verified, cancelled;
        each after the one before with a minute for its notices, all before now, on working days where it can."""
        by_status: dict[str, tuple[str, ...]] = {
            ActionStatus.IN_PROGRESS: ("started",),
            ActionStatus.COMPLETED: ("started", "completed"),
            ActionStatus.VERIFIED: ("started", "completed", "verified"),
            ActionStatus.CANCELLED: ("cancelled",),
        }
        steps = by_status.get(plan.status, ())
        due_at = timezone.make_aware(dt.datetime.combine(plan.due, dt.time(15)))
        done_by = due_at + dt.timedelta(days=self.rng.randint(-10, 4))
        previous = plan.raised_at
        for index, step in enumerate(steps):
            aim = {
                "started": min(previous + 10 * DAY, done_by) if "completed" in steps else previous + 10 * DAY,
                "completed": done_by,
                "verified": previous + 7 * DAY,
                "cancelled": previous + 14 * DAY,
            }[step]
            cap = self.now - (len(steps) - index) * STEP
            plan.times[step] = previous = self.moment(previous, aim, cap)

    # --- doing ---------------------------------------------------------------------------------------

    def carry_out(self, plan: Planned) -> RemedialAction:
        remedy = plan.remedy
        action = actions.action_raise(
            by=plan.by,
            agency=plan.agency,
            worker=plan.worker,
            what=remedy.what,
            why=remedy.why,
            # A due date before the clock's today (which may turn while the demo seeds) is refused: an earlier
            # one is asked for tomorrow and dated back below.
            due_on=max(plan.due, timezone.localdate() + dt.timedelta(days=1)),
            priority=remedy.priority,
            source=plan.source,
            source_object=plan.audit or plan.source_object,
            source_note=plan.source_note,
            theme_ids=plan.themes,
        )
        if "started" in plan.times:
            actions.action_start(action=action, by=plan.worker)
        if "completed" in plan.times:
            evidence = remedy.evidence or "Done: the evidence is on the case record."
            actions.action_complete(action=action, by=plan.worker, evidence=evidence)
        if "verified" in plan.times:
            verifier = action.team_manager or self.sqa
            actions.action_verify(action=action, by=verifier, note=self.rng.choice(VERIFY_NOTES))
        if "cancelled" in plan.times:
            canceller = action.team_manager or self.sqa
            actions.action_cancel(action=action, by=canceller, reason=self.rng.choice(CANCEL_REASONS))
        return action

    def backdate_actions(self, done: list[tuple[Planned, RemedialAction]]) -> None:
        """Date each action and its history to when it happened, and record its emails as sent."""
        by_pk = {action.pk: (plan, action) for plan, action in done}
        for plan, action in done:
            action.raised_at, action.due_on = plan.raised_at, plan.due
            action.completed_at = plan.times.get("completed")
            action.verified_at = plan.times.get("verified")
        RemedialAction.objects.bulk_update(
            [action for _, action in done], ["raised_at", "due_on", "completed_at", "verified_at"]
        )
        events = list(ActionEvent.objects.filter(action_id__in=by_pk).order_by("pk"))
        notified = []
        for event in events:
            plan, action = by_pk[event.action_id]
            event.at = plan.raised_at if event.kind == "raised" else plan.times[event.kind]
            if event.kind == "raised":
                event.details = {**event.details, "due_on": plan.due.isoformat()}
            # The emails the services queued count as sent at the time: the on-commit tasks send nothing.
            notified += [
                event_build(
                    subject=action,
                    user=None,
                    kind=actions.NOTIFIED,
                    at=event.at + MINUTE,
                    event=event.pk,
                    about=event.kind,
                    to=person.pk,
                )
                for person in actions._recipients(action, event)
            ]
        ActionEvent.objects.bulk_update(events, ["at", "details"])
        events_bulk_create(notified)

    def seed_actions(self) -> int:
        planned = self.from_audits() + self.from_other_sources()
        self.guarantee(planned)
        planned.sort(key=lambda p: p.raised_at)
        done = []
        for plan in planned:
            self.dated(plan)
            done.append((plan, self.carry_out(plan)))
        self.backdate_actions(done)
        return len(done)

    # --- escalations ---------------------------------------------------------------------------------

    def concern_audits(self) -> list[Audit]:
        """Audits in progress with a child, in a random order but those of the demo head of service's agency
        first, then those of an agency with a head of service, preferably started at least a week ago (a
        school's first)."""
        audits = list(
            Audit.objects.filter(
                partnership=self.partnership, status=AuditStatus.IN_PROGRESS, child__isnull=False
            )
            .exclude(level=4)
            .select_related("agency")
            .prefetch_related("assignments__user")
            .order_by("pk")
        )
        week_ago = self.now - 7 * DAY
        self.rng.shuffle(audits)
        return sorted(
            audits,
            key=lambda a: (
                a.agency_id != self.head_agency_id,
                a.agency_id not in self.heads,
                not (a.started_at and a.started_at <= week_ago),
                a.agency.kind != AgencyKind.EDUCATION,
            ),
        )

    def concern_raised_at(self, started: dt.datetime) -> dt.datetime:
        """When a concern was raised during an audit started at `started`: some days into the work, in working
        hours of a working day, after the audit started and ROOM before now."""
        when = started + (self.now - started) * self.rng.uniform(0.2, 0.5)
        day = max(self.day(started), last_working_day(self.day(when)))
        return max(started + MINUTE, self.at(day, self.rng.randint(10, 15)))

    def past_its_deadline(self, started: dt.datetime, working_days: int) -> dt.datetime | None:
        """The latest time in working hours, after `started`, at which an escalation raised then would be past
        its acknowledgement deadline now; None if there is none."""
        day = self.today
        while day >= self.day(started):
            if timeliness.is_working_day(day):
                when = max(started + MINUTE, self.at(day, 11))
                if escalations.acknowledge_deadline(raised_at=when, working_days=working_days) < self.now:
                    return when
            day -= dt.timedelta(days=1)
        return None

    def _escalations_raise(self) -> tuple[dict[int, dt.datetime], dict[int, dt.datetime]]:
        """When each escalation of an Inadequate audit was raised, after raising the safeguarding concerns (and
        when each concern's audit was started)."""
        raised_at: dict[int, dt.datetime] = {}
        acknowledgeable = 0
        for escalation in Escalation.objects.filter(
            partnership=self.partnership, trigger=EscalationTrigger.INADEQUATE_AUDIT
        ).prefetch_related("source_object"):
            source = escalation.source_object  # the Inadequate audit
            submitted = source.submitted_at if source is not None else None
            raised_at[escalation.pk] = submitted or escalation.raised_at
            acknowledgeable += escalation.head_of_service_id is not None
        concerns: dict[int, dt.datetime] = {}  # escalation pk -> when its audit was started
        for audit in self.concern_audits()[: min(3, max(1, 3 - acknowledgeable))]:
            by = next((a.user for a in audit.assignments.all()), self.sqa)
            escalation = audit_escalations.safeguarding_concern_raise(audit=audit, by=by, description=CONCERN)
            started = audit.started_at or self.now - 3 * DAY
            concerns[escalation.pk] = started
            raised_at[escalation.pk] = self.concern_raised_at(started)
        return raised_at, concerns

    def _escalations_acknowledge(self, others: list[Escalation], heads: dict) -> None:
        """Each escalation with a head of service acknowledged by them; the oldest is resolved too."""
        resolved_one = next((e for e in others if heads[e.pk]), None)
        for row in others:
            hos = heads[row.pk]
            if hos is None:
                continue  # only the agency's head of service acknowledges: it waits (and is chased if late)
            aim = min(row.raised_at + dt.timedelta(hours=self.rng.randint(1, 4)), row.acknowledge_by)
            acknowledged = max(row.raised_at + MINUTE, min(aim, self.now - 2 * STEP))
            escalations.escalation_acknowledge(escalation=row, by=hos, note="Seen: I am looking into it.")
            row.acknowledged_at = acknowledged
            if row is resolved_one:
                escalations.escalation_resolve(
                    escalation=row,
                    by=hos,
                    resolution=RESOLUTIONS[row.trigger == EscalationTrigger.SAFEGUARDING],
                )
                later = acknowledged + dt.timedelta(days=self.rng.randint(3, 15))
                row.resolved_at = self.moment(acknowledged, later, self.now - STEP)

    def seed_escalations(self) -> int:
        """The escalations the Inadequate audits made, and safeguarding concerns raised mid-audit, the first at
        the demo head of service's agency (one, or more until three escalations can be acknowledged by a head of
        service); then one resolved, the rest acknowledged by their head of service, except one left
        unacknowledged past its deadline (and chased as beat would)."""
        raised_at, concerns = self._escalations_raise()
        days = self.partnership.escalation_acknowledge_working_days
        rows = list(
            Escalation.objects.filter(pk__in=raised_at).select_related(
                "agency", "head_of_service", "partnership"
            )
        )

        def raise_at(row: Escalation, when: dt.datetime) -> None:
            row.raised_at = when
            row.acknowledge_by = escalations.acknowledge_deadline(raised_at=when, working_days=days)
            row.notified_at = when + MINUTE

        for row in rows:
            raise_at(row, raised_at[row.pk])
        rows.sort(key=lambda e: (e.raised_at, e.pk))
        late = [e for e in rows if e.acknowledge_by < self.now]
        # The one left waiting: the latest past its deadline, an Inadequate audit's rather than a concern's.
        waiting = max(
            late, key=lambda e: (e.trigger == EscalationTrigger.INADEQUATE_AUDIT, e.raised_at), default=None
        )
        if waiting is None:  # all raised too recently: a concern was raised earlier in its audit
            for row in sorted((e for e in rows if e.pk in concerns), key=lambda e: concerns[e.pk]):
                when = self.past_its_deadline(concerns[row.pk], days)
                if when is not None:
                    raise_at(row, when)
                    waiting = row
                    break
        others = [e for e in rows if e is not waiting]
        heads = {e.pk: e.head_of_service or escalations.head_of_service_for(e.agency) for e in others}
        self._escalations_acknowledge(others, heads)
        events: list[HistoryEvent] = []
        for row in rows:
            if row.acknowledged_at is None and row.resolved_at is None:
                self.chase(row, events)
        Escalation.objects.bulk_update(
            rows,
            [
                "raised_at",
                "acknowledge_by",
                "notified_at",
                "acknowledged_at",
                "resolved_at",
                "chased_at",
                "raised_to_sqa_at",
            ],
        )
        self.backdate_escalations(rows, events)
        return len(rows)

    def after_beat(self, deadline: dt.datetime) -> dt.datetime | None:
        """When `escalations_chase` (every 30 minutes) first ran after `deadline`, if it has by now; just before
        now when now is less than half an hour after the deadline, so nothing is left for it to do."""
        if deadline >= self.now:
            return None
        return min(deadline + dt.timedelta(minutes=30), deadline + (self.now - deadline) / 2)

    def chase(self, row: Escalation, events: list[HistoryEvent]) -> None:
        """Chase it and raise it to the SQA lead as `escalations_chase` would have."""
        chased = self.after_beat(row.acknowledge_by)
        if chased is None:
            return
        to = _recipients(row)
        row.chased_at = chased
        events.append(event_build(subject=row, user=None, kind=escalations.CHASED, at=chased, recipients=to))
        raised = self.after_beat(max(escalations.raise_to_sqa_deadline(row), chased))
        if raised is not None:
            row.raised_to_sqa_at = raised
            sqa = [u.email for u in escalations.sqa_officers(row.partnership_id)]
            events.append(
                event_build(subject=row, user=None, kind=escalations.RAISED_TO_SQA, at=raised, recipients=sqa)
            )

    def backdate_escalations(self, rows: list[Escalation], extra: list[HistoryEvent]) -> None:
        """Date each escalation's history, its concern and the audit's "escalated" event to when it happened,
        and record the head of service's email as sent (so the on-commit task sends nothing)."""
        by_pk = {row.pk: row for row in rows}
        events = list(EscalationEvent.objects.filter(escalation_id__in=by_pk).order_by("pk"))
        for event in events:
            row = by_pk[event.escalation_id]
            event.at = {"acknowledged": row.acknowledged_at, "resolved": row.resolved_at}.get(
                event.kind
            ) or row.raised_at
            if event.kind == "raised":
                event.details = {**event.details, "acknowledge_by": row.acknowledge_by.isoformat()}
        EscalationEvent.objects.bulk_update(events, ["at", "details"])
        notified = []
        for row in rows:
            notified.append(
                event_build(
                    subject=row,
                    user=None,
                    kind=escalations.NOTIFIED,
                    at=row.notified_at,
                    recipients=_recipients(row),
                )
            )
        events_bulk_create(notified + extra)
        for row in rows:
            if row.trigger == EscalationTrigger.SAFEGUARDING and row.source_id is not None:
                SafeguardingConcern.objects.filter(pk=row.source_id).update(raised_at=row.raised_at)
            AuditEvent.objects.filter(
                audit__partnership=row.partnership_id, kind="escalated", details__escalation=row.pk
            ).update(at=row.raised_at)


BANK_OF_KIND: dict[str, str] = {
    AgencyKind.EDUCATION: "education",
    AgencyKind.HEALTH: "health",
    AgencyKind.SOCIAL_CARE: "social_care",
}


def seed_actions(*, partnership: Partnership, seed: int, now: dt.datetime) -> dict[str, int]:
    """Seed the demo's remedial actions and settle its escalations, through the services, dated up to `now`.
    Callers hold a transaction and have seeded the audits (`demo.audits.seed_audits`). Returns counts of
    what was written."""
    seeder = Seeder(partnership, seed, now)
    count = seeder.seed_actions()
    return {"remedial actions": count, "escalations": seeder.seed_escalations()}
