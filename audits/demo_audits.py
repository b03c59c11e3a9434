"""The demo's annual audit programme: this academic year's approved plan and the audits done from it so far.

Used by `manage.py seed_demo` after the tools (`audits.demo`) and the children (`ehcp.demo`). Everything goes
through the real services as the SQA officer, the agency managers and the auditors would use them: the plan is
created, filled and approved; Level 3 cases are drawn by the framework's rule (one swapped, with its reason) and
Levels 1 and 2 within a quota; audits are scheduled, answered, submitted, moderated and closed; Level 3 panels
and Level 4 case reviews are set up with their grants; one audit is re-audited after its plan was redrafted.

Each half term has a Level 3 multi-agency audit of six plans, Level 1 advice audits by an education setting,
a health service and social care, an observation of practice, Level 2 plans at the moderation panel, a dip
sample, annual review audits and a themed audit; each term a Level 4 case review led by the board's chair
(`board`) with the SQA officer (`sqa`). Half terms that have started are mostly done (a realistic spread of
grades, about half moderated, some still in progress, some overdue); later ones are only scheduled, except
that Level 3 cases are drawn no more than one half term ahead. Deterministic for a seed and a day: every
choice comes from one `random.Random`. The scale of the programme does not grow with the caseload.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Max
from django.utils import timezone

from audits import demo_findings as findings
from audits.demo_work import DONE, Job, Work, backdate, carry_out
from audits.models import (
    ActivityKind,
    Audit,
    AuditAnswer,
    AuditPlan,
    AuditSectionResult,
    AuditStatus,
    AuditTool,
    Level2Form,
    PlannedActivity,
    Sample,
    SampleItem,
)
from audits.models.audits import PlanStage
from audits.selectors.answering import tool_version_sections
from audits.services import case_review, moderation, panel, plans, scheduling
from audits.services.history import audit_event_record
from audits.services.sampling import l12_sample_propose, level3_sample_propose, sample_item_swap
from ehcp import timeliness
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf import calendar
from qaf.demo import AGENCIES
from qaf.models import AcademicYear, Agency, AgencyKind, HalfTerm, Membership, Partnership, Role, Theme, User

R, K = Role, ActivityKind


@dataclass(frozen=True)
class Spec:
    """One line of each half term's plan."""

    key: str
    level: int
    kind: str
    title: str
    tool: str  # a key of audits.demo.TOOLS
    count: int
    leads: tuple[str, ...]  # qaf.demo agency keys, one per half term in turn
    roles: tuple[str, ...]  # who in the lead agency does the audits, in order of preference
    due_days: int  # due this many days into the half term (or at its end)
    pick: str  # how cases are chosen: "quota" (the sampling service), "reviews", "theme", "caseload"
    family: str  # which findings bank (audits.demo_findings)
    level2_form: str = ""
    plan_stage: str = ""
    themes: tuple[str, ...] = ()
    notes: str = ""


WORKERS = (R.PRACTITIONER, R.TEAM_MANAGER, R.AGENCY_MANAGER)
# fmt: off
PROGRAMME = (
    Spec("l3", 3, K.CASE_AUDIT, "Level 3 multi-agency audit", "l3_multi_agency", 6, ("sqa",), (R.SQA_OFFICER,),
         35, "level3", "multi_agency",
         notes="Six plans issued last year with an annual review since, drawn by the framework's rule. Panel "
               "from education, health, social care and the SAT."),
    Spec("l1_education", 1, K.CASE_AUDIT, "Education advice audit", "l1_education", 3,
         ("riverside", "riverside", "oakfield", "castle_hill", "riverside", "millbrook"), WORKERS, 28, "quota",
         "education", notes="The setting audits its own advice for needs assessments and reviews."),
    Spec("l1_health", 1, K.CASE_AUDIT, "Health advice audit", "l1_health", 2,
         ("community_health", "camhs", "community_health", "hospital", "community_health", "camhs"), WORKERS,
         28, "quota", "health", notes="With the Designated Clinical Officer."),
    Spec("l1_social_care", 1, K.CASE_AUDIT, "Social care advice audit", "l1_social_care", 2,
         ("ncc_csc", "rcc_csc"), WORKERS, 28, "quota", "social_care"),
    Spec("observation", 1, K.OBSERVATION, "Observation of practice: planning meetings and reviews", "observation",
         1, ("ncc_sat", "rcc_sat"), (R.TEAM_MANAGER, R.AGENCY_MANAGER), 42, "caseload", "observation",
         notes="A team manager observes a caseworker's meeting and asks the family for exit feedback."),
    Spec("l2_panel", 2, K.MODERATION_PANEL, "Draft plans at the SEND Moderation Panel", "l2_plan", 3,
         ("ncc_sat", "rcc_sat"), (R.TEAM_MANAGER, R.AGENCY_MANAGER), 35, "quota", "plan",
         Level2Form.MODERATION_PANEL, PlanStage.DRAFT),
    Spec("l2_dip", 2, K.DIP_SAMPLE, "Dip sample: peer review of final plans", "l2_peer_review", 3, ("ncc_sat",),
         (R.PRACTITIONER,), 35, "quota", "plan", Level2Form.PEER_REVIEW, PlanStage.FINAL,
         notes="Root cause of the trend in unquantified provision in section F."),
    Spec("review", 2, K.CASE_AUDIT, "Annual review audit", "annual_review", 2, ("ncc_sat", "rcc_sat"),
         (R.AGENCY_MANAGER, R.HEAD_OF_SERVICE), 42, "reviews", "review", Level2Form.SERVICE_MANAGER,
         PlanStage.REVIEW),
    Spec("themed", 2, K.THEMED_AUDIT, "Themed audit", "l2_plan", 3, ("ncc_sat",), (R.AGENCY_MANAGER,), 42,
         "theme", "plan", Level2Form.SERVICE_MANAGER, PlanStage.FINAL,
         themes=("Preparation for adulthood", "Emotionally based school non-attendance", "Looked-after children",
                 "Quality of health advice", "Transition to secondary school", "Post-16 pathways")),
)
# fmt: on
L3_STRATA = (["key_stage"], [], ["primary_need"], ["agency"], [], ["key_stage"])
SWAP_REASON = "The family asked for the audit to wait until after the child's operation next month."
REAUDIT_NOTE = "Re-audit after the plan was redrafted: outcomes now measurable and provision quantified."
THEME_RULES = {
    "Preparation for adulthood": lambda c, yg, d: 9 <= yg <= 13,
    "Emotionally based school non-attendance": lambda c, yg, d: c.primary_need == "SEMH" and 1 <= yg <= 11,
    "Looked-after children": lambda c, yg, d: c.looked_after,
    "Quality of health advice": lambda c, yg, d: c.pk in d.health_children,
    "Transition to secondary school": lambda c, yg, d: yg in (6, 7),
    "Post-16 pathways": lambda c, yg, d: yg >= 12,
}


class Demo:
    """The partnership's people, agencies, themes and children, loaded once."""

    def __init__(self, partnership: Partnership, tools: dict[str, AuditTool], seed: int, today: dt.date):
        self.partnership, self.tools, self.today = partnership, tools, today
        self.now = timezone.now()
        self.rng = random.Random(f"qaf-demo-audits:{seed}")
        self.seed = seed
        self.users = {u.username: u for u in User.objects.filter(partnership=partnership)}
        names = {key: name for key, name, *_ in AGENCIES}
        by_name = {a.name: a for a in Agency.objects.filter(partnership=partnership)}
        self.agencies = {key: by_name[name] for key, name in names.items()}
        self.staff: dict[tuple[int, str], list[User]] = {}
        memberships = Membership.objects.filter(agency__partnership=partnership).select_related("user")
        for m in sorted(memberships, key=lambda m: m.user.username):
            self.staff.setdefault((m.agency_id, m.role), []).append(m.user)
        self.themes = {t.name: t for t in Theme.objects.filter(partnership=partnership)}
        self.children = list(
            Child.objects.filter(partnership=partnership, plan_ended_on=None).order_by("case_reference")
        )
        self.with_final = set(
            Plan.objects.filter(child__partnership=partnership, kind=PlanKind.FINAL).values_list(
                "child_id", flat=True
            )
        )
        self.health_children = set(
            Child.agencies.through.objects.filter(
                agency__partnership=partnership, agency__kind=AgencyKind.HEALTH
            ).values_list("child_id", flat=True)
        )
        self.last_review = dict(
            AnnualReview.objects.filter(child__partnership=partnership, meeting_on__lte=today)
            .values("child_id")
            .annotate(last=Max("meeting_on"))
            .values_list("child_id", "last")
        )
        self.used: set[int] = set()
        self.sections: dict[int, list] = {}

    def sub_seed(self, *parts) -> int:
        return random.Random(":".join(str(p) for p in (self.seed, *parts))).randrange(1, 2**31 - 1)

    def workers(self, agency: Agency, roles: tuple[str, ...]) -> list[User]:
        return next((self.staff[(agency.pk, r)] for r in roles if (agency.pk, r) in self.staff), [])

    def manager(self, agency: Agency) -> User:
        return self.workers(agency, (R.AGENCY_MANAGER, R.HEAD_OF_SERVICE, R.SQA_OFFICER))[0]


def _plan_build(demo: Demo, year: AcademicYear, half_terms: list[HalfTerm]):
    sqa = demo.users["sqa"]
    plan = plans.audit_plan_create(partnership=demo.partnership, academic_year=year, by=sqa)
    activities: dict[tuple[str, int], PlannedActivity] = {}
    for half in half_terms:
        for spec in PROGRAMME:
            theme = demo.themes[spec.themes[(half.number - 1) % len(spec.themes)]] if spec.themes else None
            activities[(spec.key, half.number)] = plans.planned_activity_add(
                plan=plan,
                by=sqa,
                kind=spec.kind,
                lead_agency=demo.agencies[spec.leads[(half.number - 1) % len(spec.leads)]],
                level=spec.level,
                title=f"{spec.title}: {theme.name.lower()}" if theme else spec.title,
                theme=theme,
                half_term=half,
                tool=demo.tools[spec.tool],
                planned_count=spec.count,
                notes=spec.notes,
            )
    case_reviews = {
        term.number: plans.planned_activity_add(
            plan=plan,
            by=sqa,
            kind=K.CASE_AUDIT,
            lead_agency=demo.agencies["sqa"],
            level=4,
            title="Level 4 system-leader case review",
            term=term,
            tool=demo.tools["l4_case_review"],
            notes="Led by the independent chair of the SEND Executive Board with the SEND QA officer; with "
            "consent, meets the child or young person and their family.",
        )
        for term in year.terms.order_by("number")
    }
    plans.audit_plan_approve(plan=plan, by=sqa)
    return plan, activities, case_reviews


def _state(demo: Demo, job: Job, half_end: dt.date) -> None:
    """Decide how far the audit has got and on which days."""
    rng, today = demo.rng, demo.today
    r, r2, r3 = rng.random(), rng.random(), rng.random()
    if job.due < today:
        done, started = 0.86, 0.96
    else:
        span = max(1, (job.due - job.created).days)
        done = 0.3 + 0.45 * min(1, max(0, (today - job.created).days / span))
        started = done + (1 - done) * 0.6
    if r < done:
        job.state = AuditStatus.SUBMITTED if r2 < 0.5 else AuditStatus.MODERATED
        if job.state == AuditStatus.MODERATED and half_end < today - dt.timedelta(days=21) and r3 < 0.4:
            job.state = AuditStatus.CLOSED
    elif r < started:
        job.state = AuditStatus.IN_PROGRESS
    if job.audit.level == 4:
        _case_review_days(demo, job)


def _case_review_days(demo: Demo, job: Job) -> None:
    consent = job.created + dt.timedelta(days=10)
    met = consent + dt.timedelta(days=14)
    job.consent_on = consent if consent <= demo.today and job.state != AuditStatus.SCHEDULED else None
    job.met_on = met if met <= demo.today and job.consent_on else None
    if job.done and not job.met_on:
        job.state = AuditStatus.IN_PROGRESS if job.consent_on else AuditStatus.SCHEDULED


def _days(demo: Demo, job: Job, half_start: dt.date) -> None:
    rng, today = demo.rng, demo.today
    if job.state == AuditStatus.SCHEDULED:
        return
    start = max(job.created, half_start - dt.timedelta(days=3), job.met_on or job.created)
    started = min(today, start + dt.timedelta(days=rng.randint(0, 10)))
    days = {"started": started}
    if job.done:
        late = rng.random() < 0.2
        target = job.due + dt.timedelta(days=rng.randint(1, 14) if late else -rng.randint(0, 10))
        days["submitted"] = min(today, max(started, target))
        if job.state in (AuditStatus.MODERATED, AuditStatus.CLOSED):
            days["moderated"] = min(today, days["submitted"] + dt.timedelta(days=rng.randint(3, 21)))
        if job.state == AuditStatus.CLOSED:
            days["closed"] = min(today, days["moderated"] + dt.timedelta(days=rng.randint(7, 28)))
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
        due_on=max(due, demo.today),
        by=by,
        level2_form=spec.level2_form if spec else "",
        plan_stage=spec.plan_stage if spec else "",
        sample=sample,
    )
    for audit in audits:
        demo.used.add(audit.child_id)
        # The assignees were emailed when the audit was scheduled: recorded here, so the on-commit task
        # sends nothing for demo data (every email would otherwise print on the console of `make run`).
        for assignment in audit.assignments.all():
            audit_event_record(audit=audit, user=None, action=scheduling.NOTIFIED, assignment=assignment.pk)
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
    child = audit.child
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


def _panel(demo: Demo, half: HalfTerm, child: Child) -> list[tuple[User, Agency]]:
    """A panel from education, health, social care and the SAT of the child's council."""
    odd, northshire = half.number % 2 == 1, child.case_reference.startswith("NCC")
    picks = [
        ("health.manager" if odd else "emma.hardy", "community_health"),
        (("care.manager" if odd else "amy.collins", "ncc_csc") if northshire else ("fiona.grant", "rcc_csc")),
        ("edu.manager" if odd else "rebecca.stone", "riverside"),
        ("sat.manager", "ncc_sat") if northshire else ("daniel.okoro", "rcc_sat"),
    ]
    return [(demo.users[username], demo.agencies[key]) for username, key in picks]


def _level3(demo: Demo, half: HalfTerm, activity: PlannedActivity, jobs: list[Job]) -> None:
    sqa, lead = demo.users["sqa"], demo.users["tom.bennett"]
    sample = level3_sample_propose(
        partnership=demo.partnership,
        half_term=half,
        size=activity.planned_count,
        seed=demo.sub_seed("l3", half.number),
        strata=L3_STRATA[(half.number - 1) % len(L3_STRATA)],
        activity=activity,
        by=sqa,
    )
    items = list(sample.items.order_by("position"))
    if half.number == 1 and len(items) > 1 and sample.eligible_count > len(items):
        sample_item_swap(item=items[1], reason=SWAP_REASON, by=sqa)
    children = [
        item.child
        for item in sample.items.filter(swapped_out=False).select_related("child").order_by("position")
    ]
    due = min(half.starts_on + dt.timedelta(days=35), half.ends_on)
    created = min(demo.today, half.starts_on - dt.timedelta(days=10))
    for audit in _schedule(demo, activity, children, assignees=[lead], by=sqa, due=due, sample=sample):
        members = _panel(demo, half, audit.child)
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
        )
        items = sample.items.filter(swapped_out=False).select_related("child").order_by("position")
        return [item.child for item in items[:count]], sample
    on = half.starts_on
    if spec.pick == "reviews":
        since = on - dt.timedelta(days=240)
        pool = [c for c in demo.children if demo.last_review.get(c.pk, dt.date.min) >= since]
    elif spec.pick == "theme":
        rule = THEME_RULES[activity.theme.name]
        pool = [
            c
            for c in demo.children
            if c.pk in demo.with_final and rule(c, timeliness.year_group(c.date_of_birth, on), demo)
        ]
    else:  # the caseload of the lead team's caseworkers
        caseworkers = {u.pk for u in demo.staff.get((activity.lead_agency_id, R.PRACTITIONER), [])}
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
        due = min(half.starts_on + dt.timedelta(days=spec.due_days), half.ends_on)
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
                    reaudit["earlier"] = job
                if is_host and audit.child_id == reaudit["earlier"].child.pk:
                    job.rank, job.state, job.forced = 3.4, AuditStatus.SUBMITTED, True
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
    due = term.ends_on - dt.timedelta(days=14)
    (audit,) = _schedule(demo, activity, [child], assignees=[sqa], by=sqa, due=due)
    case_review.case_review_setup(audit=audit, lead_board_member=board, by=sqa)
    jobs.append(
        _job(
            demo,
            audit,
            family="case_review",
            period=(term.starts_on, term.ends_on),
            created=min(demo.today, term.starts_on - dt.timedelta(days=7)),
            due=due,
            author=board,
            editors=[board],
            moderator=demo.users["tom.bennett"],
        )
    )


def _guarantee(demo: Demo, jobs: list[Job]) -> None:
    """Whatever the day, the demo shows audits in progress, submitted, moderated and overdue."""
    free = [j for j in jobs if not j.future and not j.forced and j.audit.level != 4]

    def first(state: str) -> Job | None:
        return next((j for j in free if j.state == state), None)

    for wanted, instead in (
        (AuditStatus.IN_PROGRESS, AuditStatus.SCHEDULED),
        (AuditStatus.IN_PROGRESS, AuditStatus.SUBMITTED),
        (AuditStatus.SUBMITTED, AuditStatus.MODERATED),
        (AuditStatus.MODERATED, AuditStatus.SUBMITTED),
    ):
        if first(wanted) is None and first(instead) is not None:
            first(instead).state = wanted
    if not any(
        j.state in (AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS) and j.due < demo.today for j in jobs
    ):
        late = first(AuditStatus.IN_PROGRESS)
        if late is not None:
            late.due = demo.today - dt.timedelta(days=3)


def _plan_dated(plan: AuditPlan, year: AcademicYear, now: dt.datetime) -> None:
    """The plan was drawn up and approved before the year began."""
    created = min(
        now, dt.datetime.combine(year.starts_on - dt.timedelta(days=40), dt.time(10), tzinfo=now.tzinfo)
    )
    approved = min(
        now, dt.datetime.combine(year.starts_on - dt.timedelta(days=20), dt.time(15), tzinfo=now.tzinfo)
    )
    AuditPlan.objects.filter(pk=plan.pk).update(created_at=created, approved_at=approved)
    entries = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(AuditPlan), object_id=str(plan.pk)
    )
    entries.exclude(change_message="Plan approved").update(action_time=created)
    entries.filter(change_message="Plan approved").update(action_time=approved)


def seed_audits(
    *, partnership: Partnership, tools: dict[str, AuditTool], seed: int, today: dt.date
) -> dict[str, int]:
    """Seed this academic year's approved audit plan and its audits. Callers hold a transaction and have
    seeded the tools and the children. Returns counts of what was written."""
    demo = Demo(partnership, tools, seed, today)
    year = AcademicYear.objects.get(partnership=partnership, start_year=calendar.academic_year_start(today))
    half_terms = list(
        HalfTerm.objects.filter(term__academic_year=year).select_related("term").order_by("number")
    )
    plan, activities, case_reviews = _plan_build(demo, year, half_terms)
    jobs: list[Job] = []
    begun = [h for h in half_terms if h.starts_on <= today]
    for half in begun + [h for h in half_terms if h.starts_on > today][:1]:
        _level3(demo, half, activities[("l3", half.number)], jobs)
    host = ("l2_panel", 2) if len(begun) > 1 else ("themed", 1)
    reaudit: dict = {"host": host}
    created = min(today, year.starts_on - dt.timedelta(days=5))
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
        later.days["started"] = max(later.days["started"], min(today, earlier + dt.timedelta(days=1)))
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
    _plan_dated(plan, year, demo.now)
    return {
        "audit plans": 1,
        "planned activities": plan.activities.count(),
        "audits": len(jobs),
        "audits done": sum(1 for job in jobs if job.state in DONE),
    }


def delete_demo_audits(partnership: Partnership) -> None:
    """Delete the partnership's audits, samples, audit plans and tools, before its children and users go (audits
    and planned activities protect the children, agencies and tool versions they point at)."""
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
