"""The demo's audit programme: what each half term's plan holds, and what seeding it needs to know.

`PROGRAMME` is one half term of the annual audit plan (DESIGN.md §2, kept to demo size); `Demo` loads the
partnership's people, agencies, themes and children once; `plan_build` writes and approves the plan through
audits.services.plans. Used by `demo.audits`.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from audits.models import ActivityKind, AuditTool, Level2Form, PlannedActivity
from audits.models.audits import PlanStage
from audits.services import plans
from demo.partnership import AGENCIES
from ehcp.models import AnnualReview, Child, Plan, PlanKind
from qaf.models import AcademicYear, Agency, AgencyKind, HalfTerm, Membership, Partnership, Role, Theme, User

R, K = Role, ActivityKind


@dataclass(frozen=True)
class Spec:
    """One line of each half term's plan."""

    key: str
    level: int
    kind: str
    title: str
    tool: str  # a key of demo.tools.TOOLS
    count: int
    leads: tuple[str, ...]  # demo.partnership agency keys, one per half term in turn
    roles: tuple[str, ...]  # who in the lead agency does the audits, in order of preference
    due_days: int  # due this many days into the half term (or at its end)
    pick: str  # how cases are chosen: "quota" (the sampling service), "reviews", "theme", "caseload"
    family: str  # which findings bank (demo.findings)
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
               "from education, health and social care."),
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
    Spec("l2_panel", 2, K.MODERATION_PANEL, "Draft plans at the SEND Moderation Panel", "l2_plan", 2,
         ("ncc_sat", "rcc_sat"), (R.TEAM_MANAGER, R.AGENCY_MANAGER), 35, "quota", "plan",
         Level2Form.MODERATION_PANEL, PlanStage.DRAFT),
    Spec("l2_dip", 2, K.DIP_SAMPLE, "Dip sample: peer review of final plans", "l2_peer_review", 2, ("ncc_sat",),
         (R.PRACTITIONER,), 35, "quota", "plan", Level2Form.PEER_REVIEW, PlanStage.FINAL,
         notes="Root cause of the trend in unquantified provision in section F."),
    Spec("review", 2, K.CASE_AUDIT, "Annual review audit", "annual_review", 1, ("ncc_sat", "rcc_sat"),
         (R.AGENCY_MANAGER, R.HEAD_OF_SERVICE), 42, "reviews", "review", Level2Form.SERVICE_MANAGER,
         PlanStage.REVIEW),
    Spec("themed", 2, K.THEMED_AUDIT, "Themed audit", "l2_plan", 2, ("ncc_sat",), (R.AGENCY_MANAGER,), 42,
         "theme", "plan", Level2Form.SERVICE_MANAGER, PlanStage.FINAL,
         themes=("Preparation for adulthood", "Emotionally based school non-attendance", "Looked-after children",
                 "Quality of health advice", "Transition to secondary school", "Post-16 pathways")),
)
# fmt: on
L3_STRATA: tuple[list[str], ...] = (["key_stage"], [], ["primary_need"], ["agency"], [], ["key_stage"])
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

    def __init__(self, partnership: Partnership, tools: dict[str, AuditTool], seed: int, now: dt.datetime):
        self.partnership, self.tools = partnership, tools
        self.now, self.today = now, timezone.localdate(now)
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
            AnnualReview.objects.filter(child__partnership=partnership, meeting_on__lte=self.today)
            .values("child_id")
            .annotate(last=Max("meeting_on"))
            .values_list("child_id", "last")
        )
        self.used: set[int] = set()  # children audited so far, left out of later picks where possible

    def sub_seed(self, *parts) -> int:
        return random.Random(":".join(str(p) for p in (self.seed, *parts))).randrange(1, 2**31 - 1)

    def workers(self, agency: Agency, roles: tuple[str, ...]) -> list[User]:
        return next((self.staff[(agency.pk, r)] for r in roles if (agency.pk, r) in self.staff), [])

    def manager(self, agency: Agency) -> User:
        return self.workers(agency, (R.AGENCY_MANAGER, R.HEAD_OF_SERVICE, R.SQA_OFFICER))[0]


def plan_build(demo: Demo, year: AcademicYear, half_terms: list[HalfTerm]):
    """Create the year's plan as the SQA officer would, with the programme in every half term and a Level 4
    case review each term, and approve it. Returns the plan, its activities by (spec key, half term number)
    and its case reviews by term number."""
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
