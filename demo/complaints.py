"""The demo's complaints, compliments and advocacy returns (demo/voice.py seeds them after the feedback):
for each agency a year of complaints (with their history, responses, outcomes and learning; two of them
Ombudsman enquiries about the statutory assessment teams) and compliments, and for each advocacy service four
submitted quarterly returns and a draft for the last quarter. Written with bulk_create; names no one."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Min
from django.utils import timezone

from demo.partnership import COUNCILS
from demo.text import (
    COMMS,
    EBSNA,
    HEALTH,
    MEETINGS,
    SUPPORT,
    TRANSITION,
    WAITING,
    Phrase,
)
from demo.working_days import last_working_day
from ehcp.models import Child
from ehcp.timeliness import add_working_days
from feedback.models import (
    AdvocacyActivity,
    AdvocacyActivityType,
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Complaint,
    ComplaintCategory,
    ComplaintOutcome,
    ComplaintStage,
    Compliment,
    ComplimentFrom,
    quarter_dates,
    quarter_of,
)
from feedback.services.complaints import CHANGED, LOGGED
from qaf.history.models import HistoryEvent
from qaf.history.services import event_build, events_bulk_create
from qaf.models import Agency, AgencyKind, Membership, Role, User

if TYPE_CHECKING:
    from demo.voice import VoiceDemo

BATCH_SIZE = 2000
# Agencies that receive complaints and compliments, and how many in a year (a range per agency).
LOGGING_KINDS = (
    AgencyKind.SAT,
    AgencyKind.EDUCATION,
    AgencyKind.HEALTH,
    AgencyKind.SOCIAL_CARE,
    AgencyKind.ADVOCACY,
)
COMPLAINTS_PER_AGENCY = (5, 11)
COMPLIMENTS_PER_AGENCY = (11, 19)
OMBUDSMAN_ENQUIRIES = 2


T = TypeVar("T")


def _weighted(rng: random.Random, options: Mapping[T, float]) -> T:
    return rng.choices(list(options), weights=list(options.values()))[0]


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _c(text: str, learning: str, *themes: str) -> Phrase:
    return Phrase(text, themes, learning)


COMPLAINTS: dict[str, list[Phrase]] = {
    "ehc_plans": [
        _c(
            "The final plan was issued well after 20 weeks and the family were not told why.",
            "Families to be told of any delay, with a new date, as soon as it is known.",
            WAITING,
        ),
        _c(
            "Section F does not say how many hours of support or who will provide it.",
            "Provision in section F to be quantified before the draft is sent.",
            SUPPORT,
        ),
        _c(
            "Advice from the family's own report was left out of the plan.",
            "Caseworkers to list every piece of advice received in section K and check it is used.",
            COMMS,
        ),
        _c(
            "The amended plan after the annual review has not been issued.",
            "Amended plans tracked weekly against the eight-week deadline.",
            WAITING,
        ),
        _c(
            "The plan names a school the family did not ask for, without consultation.",
            "Consultation with the family's preferred setting recorded before naming a placement.",
            COMMS,
        ),
        _c(
            "Health needs in section C were recorded as none known although a diagnosis was shared.",
            "Health advice requested for every child with a known health need.",
            HEALTH,
        ),
    ],
    "practice": [
        _c(
            "Calls and emails to the service were not returned for several weeks.",
            "A response within five working days to every contact, tracked by the team manager.",
            COMMS,
        ),
        _c(
            "The annual review meeting was cancelled on the day without explanation.",
            "Reviews rearranged within ten school days with the family's agreement.",
            MEETINGS,
        ),
        _c(
            "The family felt their concerns about anxiety and attendance were dismissed.",
            "Staff briefing on emotionally based school non-attendance.",
            EBSNA,
        ),
        _c(
            "Reports were shared with the family only on the morning of the meeting.",
            "Reports to families at least two weeks before a review.",
            MEETINGS,
        ),
        _c(
            "Support agreed at the review for the move to secondary school did not happen.",
            "Transition actions from reviews checked by the receiving school in July.",
            TRANSITION,
        ),
    ],
    "transport": [
        _c(
            "Home to school transport was not in place at the start of term.",
            "Transport applications processed before the summer holiday for new placements.",
            SUPPORT,
        ),
        _c(
            "The taxi arrives late most mornings and the child misses the start of the day.",
            "Transport contract monitoring to include arrival times.",
            SUPPORT,
        ),
    ],
    "other": [
        _c(
            "The family were sent another family's letter by mistake.",
            "Two-person check on letters with attachments; the data breach was reported and handled.",
            COMMS,
        ),
        _c(
            "Information on the local offer website was out of date.",
            "Local offer pages given owners and a review date.",
            COMMS,
        ),
    ],
}

LGSCO = [
    {
        "outcome": "Fault causing injustice: the council took too long to issue the final plan and did not "
        "make sure the provision was in place.",
        "remedy": "Written apology; a payment to the family for the provision missed and for their time and "
        "trouble; a review of how late advice is chased.",
        "complaint_outcome": "upheld",
        "learning": "Advice requests chased at week four; missing provision made up as soon as it is found.",
    },
    {
        "outcome": "Enquiry open: the Ombudsman has asked for the council's records of the annual review.",
        "remedy": "",
        "complaint_outcome": "partly_upheld",
        "learning": "Records of reviews kept in one place so they can be shared within ten working days.",
    },
]

COMPLIMENTS = [
    ("The annual review meeting", "Thank you for listening to us and making the meeting so calm."),
    ("Support for the move to secondary school", "The visits and the photo book made all the difference."),
    ("The caseworker's help during the assessment", "Always kept us up to date and explained every step."),
    ("Speech and language therapy", "Our child is using their communication book at home now."),
    ("The inclusion team", "The changes to lunchtimes mean our child now enjoys school."),
    ("Help preparing for college", "The visits to the college and the travel training were brilliant."),
    ("The short breaks service", "The breaks have given the whole family some time to recharge."),
    ("The plan after the review", "For the first time the plan describes our child as they really are."),
    ("Advice from the SEND information service", "We felt supported and confident at the meeting."),
    ("A professional's contribution to a review", "The report was clear, practical and on time."),
]

ADVOCACY_TEXT = [
    {
        "outcomes": "Most families supported at annual reviews left with agreed actions and dates. Three "
        "appeals were settled before tribunal after mediation.",
        "feedback": "Parents said the service helped them understand their rights and feel confident in "
        "meetings. Young people valued being helped to write their own views.",
        "challenges": "Demand for casework rose after the start of term; waiting time for a caseworker reached "
        "four weeks.",
        "learning": "Earlier information at the draft plan stage avoids many later disputes.",
    },
    {
        "outcomes": "Families were helped to request assessments and to respond to draft plans; most drafts "
        "were amended to reflect their comments.",
        "feedback": "Families praised the drop-in sessions at the family hubs.",
        "challenges": "Several families could not get health advice updated before their review.",
        "learning": "Workshops on annual reviews reduce the number of families needing casework.",
    },
    {
        "outcomes": "Young people took part in their own reviews with support; more plans include their "
        "own words in section A.",
        "feedback": "Young people said they felt listened to when they met the worker before the meeting.",
        "challenges": "Transport problems at the start of the year took a large share of advice time.",
        "learning": "Working with schools' SENCos before reviews helps families and schools agree.",
    },
    {
        "outcomes": "Mediation resolved most disagreements about placements without an appeal.",
        "feedback": "Parents valued written summaries after each call.",
        "challenges": "Recruiting a second caseworker took longer than planned.",
        "learning": "Families need advice on preparation for adulthood from year 9, not year 11.",
    },
]


def _children_by_agency(agencies: list[Agency]) -> dict[int, list[int]]:
    children: dict[int, list[int]] = defaultdict(list)
    for child_id, agency_id in (
        Child.agencies.through.objects.filter(agency__in=agencies)
        .order_by("child__case_reference", "agency_id")
        .values_list("child_id", "agency_id")
    ):
        children[agency_id].append(child_id)
    return children


def _children_by_council(demo: VoiceDemo) -> dict[str, list[int]]:
    by_council: dict[str, list[int]] = defaultdict(list)
    for child_id, ref in (
        Child.objects.filter(partnership=demo.partnership)
        .order_by("case_reference")
        .values_list("pk", "case_reference")
    ):
        by_council[ref[:3]].append(child_id)
    return by_council


def _demo_complaint(demo: VoiceDemo, rng, agency: Agency, pool: list[int], logged_by_id) -> tuple:
    """One complaint received by `agency` in the last year, answered or not, and the slugs of its themes."""
    days = demo.partnership.complaint_response_working_days
    received = demo.today - dt.timedelta(days=rng.randint(1, 365))
    category = _weighted(
        rng,
        {
            ComplaintCategory.EHC_PLANS: 45,
            ComplaintCategory.PRACTICE: 30,
            ComplaintCategory.TRANSPORT: 15 if agency.kind == AgencyKind.SAT else 2,
            ComplaintCategory.OTHER: 10,
        },
    )
    text = rng.choice(COMPLAINTS[category])
    due = add_working_days(received, days)
    complaint = Complaint(
        partnership=demo.partnership,
        agency=agency,
        child_id=rng.choice(pool)
        if pool and category != ComplaintCategory.OTHER and rng.random() < 0.5
        else None,
        received_on=received,
        category=category,
        stage=ComplaintStage.STAGE_2 if rng.random() < 0.15 else ComplaintStage.STAGE_1,
        summary=text.text,
        response_due_on=due,
        logged_by_id=logged_by_id,
    )
    if due < demo.today or rng.random() < 0.5:
        late = rng.random() < 0.2
        answered = (
            add_working_days(due, rng.randint(1, 15))
            if late
            else add_working_days(received, rng.randint(5, days))
        )
        if answered < demo.today:
            complaint.responded_on = answered
            complaint.outcome = _weighted(
                rng,
                {
                    ComplaintOutcome.UPHELD: 30,
                    ComplaintOutcome.PARTLY_UPHELD: 30,
                    ComplaintOutcome.NOT_UPHELD: 40,
                },
            )
            if complaint.outcome != ComplaintOutcome.NOT_UPHELD:
                complaint.learning = text.learning
    return complaint, text.themes


def _demo_compliment(demo: VoiceDemo, rng, agency: Agency, logged_by_id) -> Compliment:
    about, summary = rng.choice(COMPLIMENTS)
    return Compliment(
        partnership=demo.partnership,
        agency=agency,
        received_on=demo.today - dt.timedelta(days=rng.randint(1, 365)),
        about=about,
        from_whom=_weighted(
            rng,
            {
                ComplimentFrom.PARENT_CARER: 60,
                ComplimentFrom.YOUNG_PERSON: 10,
                ComplimentFrom.PROFESSIONAL: 25,
                ComplimentFrom.OTHER: 5,
            },
        ),
        summary=summary,
        logged_by_id=logged_by_id,
    )


def complaints_seed(demo: VoiceDemo, themes: dict[str, int]) -> dict[str, int]:
    """A year of complaints (with their history) and compliments for every agency that receives them, logged by
    the agency's manager; two complaints went to the Ombudsman. Returns counts."""
    rng = demo.rng("complaints")
    agencies = list(
        Agency.objects.filter(partnership=demo.partnership, kind__in=LOGGING_KINDS, is_active=True).order_by(
            "name"
        )
    )
    managers = dict(
        Membership.objects.filter(agency__in=agencies, role=Role.AGENCY_MANAGER)
        .values("agency_id")
        .annotate(user=Min("user_id"))
        .values_list("agency_id", "user")
    )
    children = _children_by_agency(agencies)
    by_council = _children_by_council(demo)
    prefixes = {c.name: c.prefix for c in COUNCILS}
    complaints, theme_rows, compliments = [], [], []
    for agency in agencies:
        pool = children[agency.pk] or by_council.get(prefixes.get(agency.council, ""), [])
        logged_by_id = managers.get(agency.pk) or getattr(demo.sqa, "pk", None)
        for _ in range(rng.randint(*COMPLAINTS_PER_AGENCY)):
            complaint, slugs = _demo_complaint(demo, rng, agency, pool, logged_by_id)
            complaints.append(complaint)
            theme_rows.append(slugs)
        for _ in range(rng.randint(*COMPLIMENTS_PER_AGENCY)):
            compliments.append(_demo_compliment(demo, rng, agency, logged_by_id))
    _ombudsman(demo, rng, agencies, complaints, theme_rows)
    Complaint.objects.bulk_create(complaints, batch_size=BATCH_SIZE)
    Compliment.objects.bulk_create(compliments, batch_size=BATCH_SIZE)
    through = Complaint.themes.through
    through.objects.bulk_create(
        (
            through(complaint_id=c.pk, theme_id=themes[slug])
            for c, slugs in zip(complaints, theme_rows, strict=True)
            for slug in slugs
            if slug in themes
        ),
        batch_size=BATCH_SIZE,
    )
    events_bulk_create(_history(complaints), batch_size=BATCH_SIZE)
    return {"complaints": len(complaints), "compliments": len(compliments)}


def _ombudsman(
    demo: VoiceDemo,
    rng: random.Random,
    agencies: list[Agency],
    complaints: list[Complaint],
    theme_rows: list[tuple[str, ...]],
) -> None:
    """Two complaints about the statutory assessment teams went on to the Ombudsman: one decided, one open.
    They are about EHC plans, received over three months ago and answered by the council first; when the year's
    draw has fewer than two such, older complaints to the teams are made so, whatever the day."""
    sat = {a.pk for a in agencies if a.kind == AgencyKind.SAT}
    old = [
        i
        for i, c in enumerate(complaints)
        if c.agency_id in sat and c.received_on < demo.today - dt.timedelta(days=90)
    ]

    def eligible(c: Complaint) -> bool:
        return bool(c.responded_on) and c.category == ComplaintCategory.EHC_PLANS

    missing = OMBUDSMAN_ENQUIRIES - sum(eligible(complaints[i]) for i in old)
    for i in [i for i in old if not eligible(complaints[i])][: max(0, missing)]:
        complaint, text = complaints[i], rng.choice(COMPLAINTS[ComplaintCategory.EHC_PLANS])
        complaint.category, complaint.summary, theme_rows[i] = (
            ComplaintCategory.EHC_PLANS,
            text.text,
            text.themes,
        )
        if not complaint.responded_on:
            days = demo.partnership.complaint_response_working_days
            complaint.responded_on = add_working_days(complaint.received_on, rng.randint(5, days))
    candidates = [complaints[i] for i in old if eligible(complaints[i])]
    for complaint, enquiry in zip(
        rng.sample(candidates, min(OMBUDSMAN_ENQUIRIES, len(candidates))), LGSCO, strict=False
    ):
        complaint.stage = ComplaintStage.LGSCO
        complaint.lgsco_reference = (
            f"{complaint.received_on:%y} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
        )
        complaint.lgsco_outcome = enquiry["outcome"]
        complaint.remedy = enquiry["remedy"]
        complaint.outcome = enquiry["complaint_outcome"]
        complaint.learning = enquiry["learning"]


def _history(complaints: list[Complaint]) -> list[HistoryEvent]:
    people = User.objects.in_bulk({c.logged_by_id for c in complaints if c.logged_by_id})
    events = []
    for c in complaints:
        by = people.get(c.logged_by_id)
        events.append(
            event_build(
                subject=c,
                user=by,
                at=_at(c.received_on, 11),
                kind=LOGGED,
                stage=c.stage,
                response_due_on=c.response_due_on.isoformat(),
            )
        )
        if c.responded_on:
            changes = {"responded_on": [None, c.responded_on.isoformat()], "outcome": ["", c.outcome]}
            events.append(
                event_build(subject=c, user=by, at=_at(c.responded_on, 15), kind=CHANGED, changes=changes)
            )
    return events


def advocacy_seed(demo: VoiceDemo) -> dict[str, int]:
    """Four submitted returns and a draft for the last ended quarter, for each advocacy service."""
    rng = demo.rng("advocacy")
    services = Agency.objects.filter(partnership=demo.partnership, kind=AgencyKind.ADVOCACY).order_by("name")
    grow = demo.scale**0.5
    ranges = {
        ("information", "1"): (80, 150),
        ("advice", "1"): (20, 40),
        ("advice", "2"): (40, 90),
        ("casework", "2"): (10, 25),
        ("casework", "3"): (15, 35),
        ("meetings", "3"): (10, 25),
        ("mediation_tribunal", "3"): (3, 8),
        ("training", "1"): (2, 6),
        ("young_people", "2"): (5, 15),
        ("young_people", "3"): (2, 8),
    }
    assert {t for t, _ in ranges} <= set(AdvocacyActivityType.values)
    made = 0
    for agency in services:
        manager = (
            Membership.objects.filter(agency=agency, role=Role.AGENCY_MANAGER).order_by("user_id").first()
        )
        author = manager.user if manager else demo.sqa
        year, quarter = quarter_of(demo.today)
        quarters = []
        for _ in range(5):
            year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
            quarters.append((year, quarter))
        for index, (year, quarter) in enumerate(quarters):
            draft = index == 0
            ended = quarter_dates(year, quarter)[1]
            text = ADVOCACY_TEXT[index % len(ADVOCACY_TEXT)]
            row = AdvocacyReturn.objects.create(
                partnership=demo.partnership,
                agency=agency,
                year=year,
                quarter=quarter,
                status=AdvocacyReturnStatus.DRAFT if draft else AdvocacyReturnStatus.SUBMITTED,
                complaints_received=rng.randint(0, 2),
                compliments_received=rng.randint(3, 12),
                created_by=author,
                submitted_by=None if draft else author,
                submitted_at=None
                if draft
                else min(_at(last_working_day(ended + dt.timedelta(days=rng.randint(8, 20)))), demo.now),
                **({k: v for k, v in text.items() if not draft or k in ("outcomes", "feedback")}),
            )
            AdvocacyActivity.objects.bulk_create(
                AdvocacyActivity(
                    advocacy_return=row,
                    activity_type=t,
                    level=level,
                    count=round(rng.randint(lo, hi) * grow),
                )
                for (t, level), (lo, hi) in ranges.items()
            )
            made += 1
    return {"advocacy returns": made}
