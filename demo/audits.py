"""The demo's annual audit programme: this academic year's approved plan and the audits done from it so far.

Used by `manage.py seed_demo` after the tools (`demo.tools`) and the children (`demo.children`). The work goes
through the real services as the SQA officer, the agency managers and the auditors would use them: the plan is
created, filled and approved; Level 3 cases are drawn by the framework's rule (one swapped, with its reason) and
Levels 1 and 2 within a quota; audits are scheduled, answered, submitted, moderated and closed; Level 3 panels
and Level 4 case reviews are set up with their grants; one audit is re-audited after its plan was redrafted.
For speed, `demo.work` writes all but the last section's answers, and a summary without overrides, as
the services would, leaving the grading to the services; it then dates the work back to when it was done.

Each half term has a Level 3 multi-agency audit of six plans, Level 1 advice audits by an education setting,
a health service and social care, an observation of practice, Level 2 plans at the moderation panel, a dip
sample, annual review audits and a themed audit; each term a Level 4 case review led by the board's chair
(`board`) with the SQA officer (`sqa`). Half terms that have started are mostly done (a realistic spread of
grades, about half moderated, some still in progress, some overdue); later ones are only scheduled, except
that Level 3 cases are drawn no more than one half term ahead. The audits are scheduled a fortnight before
the year begins and the work is done on working days. Whatever the day, even the first of the year, the demo
shows every state, graded and overdue audits, and work in progress at the demo head of service's agency
(`_guarantee`). Deterministic for a seed and a day: every choice comes from one `random.Random`. The scale of
the programme does not grow with the caseload.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Min
from django.utils import timezone

from actions.models import Escalation, RemedialAction
from audits.models import (
    Audit,
    AuditAnswer,
    AuditPlan,
    AuditSectionResult,
    AuditStatus,
    AuditTool,
    Grade,
    PlannedActivity,
    SafeguardingConcern,
    Sample,
    SampleItem,
)
from audits.selectors.answering import tool_version_sections
from audits.services import case_review, moderation, panel, scheduling
from audits.services.sampling import l12_sample_propose, level3_sample_propose, sample_item_swap
from demo import findings
from demo.partnership import sign_in_agency_key
from demo.programme import L3_STRATA, PROGRAMME, THEME_RULES, Demo, Spec, plan_build
from demo.work import DONE, MINUTE, Job, Work, backdate, carry_out
from demo.working_days import last_working_day, next_working_day
from ehcp import timeliness
from ehcp.models import Child
from qaf import calendar
from qaf.history.services import event_record
from qaf.models import AcademicYear, Agency, HalfTerm, Partnership, Role, User

# Audits done (submitted or later) whatever the day, so the pages and the escalations have something to show.
MIN_DONE = 6
# The audit during which the demo's safeguarding concern is raised had begun this many working days before.
CONCERN_AUDIT_BEGUN_WORKING_DAYS = 5
SWAP_REASON = "The family asked for the audit to wait until after the child's operation next month."
REAUDIT_NOTE = "Re-audit after the plan was redrafted: outcomes now measurable and provision quantified."


def _state(demo: Demo, job: Job, half_end: dt.date) -> None:
    """Decide how far the audit has got (`_days` then decides when each step was done)."""
    rng, today = demo.rng, demo.today
    r, r2, r3 = rng.random(), rng.random(), rng.random()
    if job.due < today:
        done, started = 0.86, 0.96
    else:  # due later: the further into the half term, the more are done
        span = max(1, (job.due - job.period[0]).days)
        done = 0.1 + 0.6 * min(1, max(0, (today - job.period[0]).days / span))
        started = done + (1 - done) * 0.7
    if r < done:
        job.state = AuditStatus.SUBMITTED if r2 < 0.5 else AuditStatus.MODERATED
        if job.state == AuditStatus.MODERATED and half_end < today - dt.timedelta(days=21) and r3 < 0.4:
            job.state = AuditStatus.CLOSED
    elif r < started:
        job.state = AuditStatus.IN_PROGRESS
    if job.audit.level == 4:
        _case_review_days(demo, job)


def _case_review_days(demo: Demo, job: Job) -> None:
    """A case review starts with the family's consent and is done only after the meeting with them."""
    consent = job.created + dt.timedelta(days=10)
    met = next_working_day(consent + dt.timedelta(days=14))
    if job.state == AuditStatus.SCHEDULED or consent > demo.today:
        job.state = AuditStatus.SCHEDULED
        return
    job.consent_on = consent
    job.met_on = met if met <= demo.today else None
    if job.done and job.met_on is None:
        job.state = AuditStatus.IN_PROGRESS


def _work_day(day: dt.date, *, after: dt.date, today: dt.date) -> dt.date:
    """The day a step done around `day` was done: a working day, not after today, and not before the step
    before it (`after`), which it may share."""
    return max(after, last_working_day(min(today, day)))


def _days(demo: Demo, job: Job, half_start: dt.date) -> None:
    rng, today = demo.rng, demo.today
    if job.state == AuditStatus.SCHEDULED:
        return
    begun = max(job.created, job.met_on or job.created)
    start = max(begun, half_start - dt.timedelta(days=3))
    started = _work_day(start + dt.timedelta(days=rng.randint(0, 10)), after=begun, today=today)
    if job.started_by is not None:
        started = max(begun, min(started, job.started_by))
    days = {"started": started}
    if job.done:
        late = rng.random() < 0.2
        target = job.due + dt.timedelta(days=rng.randint(1, 14) if late else -rng.randint(0, 10))
        days["submitted"] = _work_day(target, after=started, today=today)
        if job.state in (AuditStatus.MODERATED, AuditStatus.CLOSED):
            moderated = days["submitted"] + dt.timedelta(days=rng.randint(3, 21))
            days["moderated"] = _work_day(moderated, after=days["submitted"], today=today)
        if job.state == AuditStatus.CLOSED:
            closed = days["moderated"] + dt.timedelta(days=rng.randint(7, 28))
            days["closed"] = _work_day(closed, after=days["moderated"], today=today)
    job.days = days


def _schedule(
    demo: Demo,
    activity: PlannedActivity,
    children: list[Child],
    *,
    assignees: list[User],
    by: User,
    due: dt.date,
    spec: Spec | None = None,
    sample: Sample | None = None,
) -> list[Audit]:
    if not children:
        return []
    audits = scheduling.audit_schedule(
        activity=activity,
        children=children,
        assignees=assignees,
        # Scheduling refuses a due date before the clock's today, which may turn while the demo seeds: earlier
        # ones are asked for tomorrow and dated back afterwards.
        due_on=max(due, timezone.localdate() + dt.timedelta(days=1)),
        by=by,
        level2_form=spec.level2_form if spec else "",
        plan_stage=spec.plan_stage if spec else "",
        sample=sample,
        confirmed=True,  # the demo records half terms that have already ended
    )
    for audit in audits:
        if audit.child_id is not None:  # (every demo audit is of a child)
            demo.used.add(audit.child_id)
        # The assignees were emailed when the audit was scheduled: recorded here, so the on-commit task
        # sends nothing for demo data (every email would otherwise print on the console of `make run`).
        for assignment in audit.assignments.all():
            event_record(subject=audit, user=None, kind=scheduling.NOTIFIED, assignment=assignment.pk)
    return audits


def _job(
    demo: Demo,
    audit: Audit,
    *,
    family: str,
    period: tuple[dt.date, dt.date],
    created: dt.date,
    due: dt.date,
    author: User,
    editors: list[User],
    moderator: User,
) -> Job:
    child = _child_of(audit)
    job = Job(
        audit=audit,
        child=child,
        family=family,
        created=created,
        due=due,
        author=author,
        editors=editors,
        moderator=moderator,
        year_group=timeliness.year_group(child.date_of_birth, period[0]),
        future=period[0] > demo.today,
        rank=findings.rank_draw(demo.rng),
        period=period,
    )
    if not job.future:
        _state(demo, job, period[1])
    return job


def _child_of(audit: Audit) -> Child:
    """The child of a demo audit: every one is of a child."""
    if audit.child is None:
        raise ValueError(f"The demo audit {audit.pk} is of no child")
    return audit.child


def _panel(demo: Demo, half: HalfTerm, child: Child) -> list[tuple[User, Agency]]:
    """A panel from education, health and the social care service of the child's council."""
    odd, northshire = half.number % 2 == 1, child.case_reference.startswith("NCC")
    picks = [
        ("health.manager" if odd else "emma.hardy", "community_health"),
        (("care.manager" if odd else "amy.collins", "ncc_csc") if northshire else ("fiona.grant", "rcc_csc")),
        ("edu.manager" if odd else "rebecca.stone", "riverside"),
    ]
    return [(demo.users[username], demo.agencies[key]) for username, key in picks]


def _level3(demo: Demo, half: HalfTerm, activity: PlannedActivity, jobs: list[Job]) -> None:
    sqa, lead = demo.users["sqa"], demo.users["tom.bennett"]
    due = last_working_day(min(half.starts_on + dt.timedelta(days=35), half.ends_on))
    # Drawn, and scheduled, ten days before the half term (or today, for the next one).
    created = last_working_day(min(demo.today, half.starts_on - dt.timedelta(days=10)))
    sample = level3_sample_propose(
        partnership=demo.partnership,
        half_term=half,
        size=activity.planned_count,
        seed=demo.sub_seed("l3", half.number),
        strata=L3_STRATA[(half.number - 1) % len(L3_STRATA)],
        activity=activity,
        by=sqa,
        as_of=created,
    )
    items = list(sample.items.order_by("position"))
    if half.number == 1 and len(items) > 1 and sample.eligible_count > len(items):
        sample_item_swap(item=items[1], reason=SWAP_REASON, by=sqa)
    children = [
        item.child
        for item in sample.items.filter(swapped_out=False).select_related("child").order_by("position")
    ]
    for audit in _schedule(demo, activity, children, assignees=[lead], by=sqa, due=due, sample=sample):
        members = _panel(demo, half, _child_of(audit))
        for user, agency in members:
            panel.panel_member_add(audit=audit, user=user, agency=agency, by=sqa)
        jobs.append(
            _job(
                demo,
                audit,
                family="multi_agency",
                period=(half.starts_on, half.ends_on),
                created=created,
                due=due,
                author=lead,
                editors=[lead, *(user for user, _ in members)],
                moderator=sqa,
            )
        )


def _pick(
    demo: Demo, spec: Spec, activity: PlannedActivity, half: HalfTerm
) -> tuple[list[Child], Sample | None]:
    """The cases of one activity: by the sampling service within a quota, or chosen for the activity."""
    count = activity.planned_count
    if spec.pick == "quota":
        sample = l12_sample_propose(
            activity=activity,
            quota=1 if spec.level == 2 else count,
            by=demo.manager(activity.lead_agency),
            seed=demo.sub_seed(spec.key, half.number),
            stage=spec.plan_stage,
        )
        items = sample.items.filter(swapped_out=False).select_related("child").order_by("position")
        return [item.child for item in items[:count]], sample
    on = half.starts_on
    if spec.pick == "reviews":
        since = on - dt.timedelta(days=240)
        pool = [c for c in demo.children if demo.last_review.get(c.pk, dt.date.min) >= since]
    elif spec.pick == "theme":
        if activity.theme is None:
            raise ValueError(f"The themed activity {activity.pk} has no theme")
        rule = THEME_RULES[activity.theme.name]
        pool = [
            c
            for c in demo.children
            if c.pk in demo.with_final and rule(c, timeliness.year_group(c.date_of_birth, on), demo)
        ]
    else:  # the caseload of the lead team's caseworkers
        caseworkers = {u.pk for u in demo.staff.get((activity.lead_agency_id, Role.PRACTITIONER), [])}
        pool = [c for c in demo.children if c.caseworker_id in caseworkers and c.pk in demo.with_final]
    fresh = [c for c in pool if c.pk not in demo.used] or pool
    return demo.rng.sample(fresh, min(count, len(fresh))), None


def _half_term(
    demo: Demo,
    half: HalfTerm,
    activities: dict[tuple[str, int], PlannedActivity],
    *,
    created: dt.date,
    reaudit: dict,
    jobs: list[Job],
) -> None:
    """Schedule every activity of the half term but the Level 3 audit, one audit per case."""
    for spec in PROGRAMME[1:]:
        activity = activities[(spec.key, half.number)]
        children, sample = _pick(demo, spec, activity, half)
        is_host = reaudit["host"] == (spec.key, half.number) and "earlier" in reaudit
        if is_host:
            earlier_child = reaudit["earlier"].child
            children = [c for c in children if c.pk != earlier_child.pk][: max(0, len(children) - 1)]
            children.append(earlier_child)
        lead = activity.lead_agency
        workers = demo.workers(lead, spec.roles) or [demo.manager(lead)]
        due = last_working_day(min(half.starts_on + dt.timedelta(days=spec.due_days), half.ends_on))
        # Cases are shared out among the lead agency's auditors; each auditor's are scheduled together.
        shares: dict[int, list[Child]] = {}
        for index, child in enumerate(children):
            shares.setdefault(index % len(workers), []).append(child)
        for index, share in shares.items():
            worker = workers[index]
            audits = _schedule(
                demo,
                activity,
                share,
                assignees=[worker],
                by=demo.manager(lead),
                due=due,
                spec=spec,
                sample=sample,
            )
            for audit in audits:
                job = _job(
                    demo,
                    audit,
                    family=spec.family,
                    period=(half.starts_on, half.ends_on),
                    created=created,
                    due=due,
                    author=worker,
                    editors=[worker],
                    moderator=demo.users["sqa"],
                )
                jobs.append(job)
                if spec.key == "l2_panel" and half.number == 1 and audit.child_id == children[0].pk:
                    job.rank, job.state, job.forced = 1.3, AuditStatus.MODERATED, True
                    job.grades = (Grade.REQUIRES_IMPROVEMENT, Grade.INADEQUATE)
                    reaudit["earlier"] = job
                if is_host and audit.child_id == reaudit["earlier"].child.pk:
                    job.rank, job.state, job.forced = 3.4, AuditStatus.SUBMITTED, True
                    job.grades = (Grade.GOOD, Grade.OUTSTANDING)
                    job.extra_strength = REAUDIT_NOTE
                    reaudit["later"] = job


def _level4(demo: Demo, term, activity: PlannedActivity, jobs: list[Job]) -> None:
    sqa, board = demo.users["sqa"], demo.users["board"]
    pool = [
        c
        for c in demo.children
        if c.pk in demo.with_final and c.pk in demo.last_review and 5 <= c.age_on(term.starts_on) <= 18
    ]
    fresh = [c for c in pool if c.pk not in demo.used] or pool
    child = demo.rng.choice(fresh)
    due = last_working_day(term.ends_on - dt.timedelta(days=14))
    (audit,) = _schedule(demo, activity, [child], assignees=[sqa], by=sqa, due=due)
    case_review.case_review_setup(audit=audit, lead_board_member=board, by=sqa)
    jobs.append(
        _job(
            demo,
            audit,
            family="case_review",
            period=(term.starts_on, term.ends_on),
            created=last_working_day(min(demo.today, term.starts_on - dt.timedelta(days=7))),
            due=due,
            author=board,
            editors=[board],
            moderator=demo.users["tom.bennett"],
        )
    )


class _FreeJobs:
    """The begun audits `_guarantee` may still change (not forced by the programme, not Level 4), in order.

    Each step of `_guarantee` finds a job here by its state and takes it, so that no later step changes it again.
    """

    def __init__(self, begun: list[Job]):
        self.jobs = [j for j in begun if not j.forced and j.audit.level != 4]

    def first(self, *states: str) -> Job | None:
        return next((j for j in self.jobs if j.state in states), None)

    def take(self, job: Job | None) -> Job | None:
        if job is not None:
            self.jobs.remove(job)
        return job


def _concern_audit_in_progress(demo: Demo, free: _FreeJobs) -> None:
    """An audit of the head of service's agency in progress, begun a week of working days ago (for the
    safeguarding concern demo.actions raises during it)."""
    head = demo.agencies[sign_in_agency_key("hos.education")]
    theirs = [j for j in free.jobs if j.audit.agency_id == head.pk]
    concern = free.take(
        next((j for j in theirs if j.state == AuditStatus.IN_PROGRESS), None)
        or next((j for j in theirs if j.state == AuditStatus.SCHEDULED), None)
        or next((j for j in theirs if j.done), None)
    )
    if concern is not None:
        concern.state = AuditStatus.IN_PROGRESS
        concern.started_by = timeliness.add_working_days(demo.today, -CONCERN_AUDIT_BEGUN_WORKING_DAYS)


def _one_scheduled(jobs: list[Job], free: _FreeJobs) -> None:
    """Late in the year, when every audit has started: the one in progress due last is not yet started."""
    if not any(j.state == AuditStatus.SCHEDULED for j in jobs):
        by_due = sorted(free.jobs, key=lambda j: j.due, reverse=True)
        waiting = free.take(next((j for j in by_due if j.state == AuditStatus.IN_PROGRESS), None))
        if waiting is not None:
            waiting.state = AuditStatus.SCHEDULED


def _enough_done(free: _FreeJobs) -> None:
    """Early in the year: at least MIN_DONE done, submitted from what has begun."""
    while sum(j.done for j in free.jobs) < MIN_DONE:
        job = free.first(AuditStatus.IN_PROGRESS, AuditStatus.SCHEDULED)
        if job is None:
            break
        job.state = AuditStatus.SUBMITTED


def _every_state(begun: list[Job], free: _FreeJobs) -> None:
    """At least one begun audit in progress, one submitted and one moderated, each made from another state."""
    for wanted, instead in (
        (AuditStatus.IN_PROGRESS, AuditStatus.SCHEDULED),
        (AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED),
        (AuditStatus.SUBMITTED, AuditStatus.MODERATED),
        (AuditStatus.MODERATED, AuditStatus.SUBMITTED),
    ):
        found = free.first(instead)
        if not any(j.state == wanted for j in begun) and found is not None:
            found.state = wanted


def _every_grade(free: _FreeJobs) -> None:
    """One done audit graded Inadequate, one Requires improvement and one Good."""
    for rank, grade in ((1, Grade.INADEQUATE), (2, Grade.REQUIRES_IMPROVEMENT), (3, Grade.GOOD)):
        done = [j for j in free.jobs if j.done]
        job = free.take(next((j for j in done if j.rank == rank), None) or (done[-1] if done else None))
        if job is not None:
            job.rank, job.grades = rank, (grade,)


def _one_overdue(today: dt.date, jobs: list[Job], begun: list[Job]) -> None:
    """When no open audit is overdue, the earliest created one in progress (not Level 4) falls due 3 days ago."""
    if not any(j.state in (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS) and j.due < today for j in jobs):
        open_ = [j for j in begun if j.state == AuditStatus.IN_PROGRESS and j.audit.level != 4]
        late = min(open_, key=lambda j: j.created, default=None)
        if late is not None:
            late.due = last_working_day(today - dt.timedelta(days=3))


def _guarantee(demo: Demo, jobs: list[Job]) -> None:
    """Whatever the day, the demo shows audits scheduled, in progress, submitted, moderated and overdue; at least
    MIN_DONE done, among them one graded Good, one Requires improvement and one Inadequate (which is escalated);
    and an audit of the agency of the demo's head of service (`hos.education`) in progress, begun at least a week
    of working days before, for the safeguarding concern raised during it (demo.actions)."""
    begun = [j for j in jobs if not j.future]
    free = _FreeJobs(begun)
    _concern_audit_in_progress(demo, free)
    _one_scheduled(jobs, free)
    _enough_done(free)
    _every_state(begun, free)
    _every_grade(free)
    _one_overdue(demo.today, jobs, begun)


def _samples_dated(partnership: Partnership) -> None:
    """Each sample was drawn, and its swap made, just before the audits scheduled from it."""
    samples = list(
        Sample.objects.filter(partnership=partnership).annotate(scheduled=Min("items__audits__created_at"))
    )
    for sample in samples:
        if sample.scheduled is not None:
            sample.created_at = sample.scheduled - 2 * MINUTE
    Sample.objects.bulk_update([s for s in samples if s.scheduled is not None], ["created_at"])
    drawn = {s.pk: s.created_at for s in samples}
    swapped = list(SampleItem.objects.filter(sample__partnership=partnership, swapped_out=True))
    for item in swapped:
        item.swapped_at = drawn[item.sample_id] + MINUTE
    SampleItem.objects.bulk_update(swapped, ["swapped_at"])


def _plan_dated(plan: AuditPlan, year: AcademicYear, now: dt.datetime) -> None:
    """The plan was drawn up and approved on working days before the year began (and its audits scheduled)."""

    def on(days_before: int, hour: int) -> dt.datetime:
        day = last_working_day(year.starts_on - dt.timedelta(days=days_before))
        return min(now, timezone.make_aware(dt.datetime.combine(day, dt.time(hour))))

    created, approved = on(40, 10), on(20, 15)
    AuditPlan.objects.filter(pk=plan.pk).update(created_at=created, approved_at=approved)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AuditPlan), object_id=str(plan.pk)
    )
    entries.exclude(change_message="Plan approved").update(action_time=created)
    entries.filter(change_message="Plan approved").update(action_time=approved)


def seed_audits(
    *, partnership: Partnership, tools: dict[str, AuditTool], seed: int, now: dt.datetime
) -> dict[str, int]:
    """Seed the approved audit plan of the academic year of `now` and its audits, dated up to `now`. Callers
    hold a transaction and have seeded the tools and the children. Returns counts of what was written."""
    demo = Demo(partnership, tools, seed, now)
    today = demo.today
    year = AcademicYear.objects.get(partnership=partnership, start_year=calendar.academic_year_start(today))
    half_terms = list(
        HalfTerm.objects.filter(term__academic_year=year).select_related("term").order_by("number")
    )
    plan, activities, case_reviews = plan_build(demo, year, half_terms)
    jobs: list[Job] = []
    begun = [h for h in half_terms if h.starts_on <= today]
    for half in begun + [h for h in half_terms if h.starts_on > today][:1]:
        _level3(demo, half, activities[("l3", half.number)], jobs)
    host = ("l2_panel", 2) if len(begun) > 1 else ("themed", 1)
    reaudit: dict = {"host": host}
    # The year's audits are scheduled a fortnight before it begins, once the plan is approved.
    created = last_working_day(year.starts_on - dt.timedelta(days=14))
    for half in half_terms:
        _half_term(demo, half, activities, created=created, reaudit=reaudit, jobs=jobs)
    for term in year.terms.order_by("number"):
        _level4(demo, term, case_reviews[term.number], jobs)
    _guarantee(demo, jobs)
    for job in jobs:
        _days(demo, job, job.period[0])
    if "later" in reaudit:
        earlier = reaudit["earlier"].days["submitted"]
        later = reaudit["later"]
        later.after = reaudit["earlier"]
        after = _work_day(earlier + dt.timedelta(days=1), after=earlier, today=today)
        later.days["started"] = max(later.days["started"], after)
        later.days["submitted"] = max(later.days["submitted"], later.days["started"])

    sections = {}
    for job in jobs:
        if job.audit.tool_version_id not in sections:
            sections[job.audit.tool_version_id] = tool_version_sections(job.audit.tool_version)
    work = Work(rng=demo.rng, sqa=demo.users["sqa"], sections=sections, themes=demo.themes)
    for job in jobs:
        carry_out(work, job)
    if "later" in reaudit:
        moderation.audit_reaudit_link(
            audit=reaudit["later"].audit, earlier=reaudit["earlier"].audit, by=demo.users["sqa"]
        )
    backdate(jobs, now=demo.now, rng=demo.rng)
    _samples_dated(partnership)
    _plan_dated(plan, year, demo.now)
    return {
        "audit plans": 1,
        "planned activities": plan.activities.count(),
        "audits": len(jobs),
        "audits done": sum(1 for job in jobs if job.state in DONE),
    }


def delete_demo_audits(partnership: Partnership) -> None:
    """Delete the partnership's audits, samples, audit plans and tools, before its children and users go (audits
    and planned activities protect the children, agencies and tool versions they point at), after the actions
    and escalations that point at the audits."""
    # Actions and escalations point at audits (and escalations are never deleted in use: only the demo is).
    RemedialAction.objects.filter(partnership=partnership).delete()
    Escalation.objects.filter(partnership=partnership).delete()
    SafeguardingConcern.objects.filter(audit__partnership=partnership).delete()
    audits = Audit.objects.filter(partnership=partnership)
    AuditAnswer.objects.filter(audit__in=audits).delete()
    AuditSectionResult.objects.filter(audit__in=audits).delete()
    audits.update(reaudit_of=None)
    audits.delete()  # with their moderations, assignments, panels, grants, case reviews and history
    items = SampleItem.objects.filter(sample__partnership=partnership)
    items.update(replaces=None)
    items.delete()
    Sample.objects.filter(partnership=partnership).delete()
    AuditPlan.objects.filter(partnership=partnership).delete()
    AuditTool.objects.filter(partnership=partnership).delete()
