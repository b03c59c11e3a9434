"""What the demo's auditors write and answer: findings, evidence notes, override and moderation reasons, the
Level 4 meeting notes, and the seeded choice of answers behind each audit's grades.

Used by `demo.audits`. Pure: no database access. The findings are the ones councils' audits keep
making (DESIGN.md §2): late or generic health and social care advice, outcomes that cannot be measured,
provision that is not quantified, and, on the good side, children's views in their own words and a golden
thread from needs to provision.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from audits.grading import NOT_APPLICABLE, rescale
from audits.models import Grade, ToolQuestion, ToolSection

# fmt: off
STRENGTHS = {
    "general": [
        "Child's views recorded in their own words, with a photograph of what they enjoy.",
        "Parents' views are detailed and their knowledge of their child is clearly valued.",
        "Clear golden thread from needs in B to outcomes in E and provision in F.",
        "Advice is recent, dated and names its author and their role.",
        "Strengths and interests are described, so the plan builds on what already works.",
    ],
    "education": [
        "Educational advice returned within 6 weeks, written by the SENCo who teaches the child.",
        "Needs described by what the child can and cannot yet do, with standardised scores.",
        "Provision quantified: small-group phonics 3 x 20 minutes a week with a trained teaching assistant.",
        "Graduated approach evidenced over three assess-plan-do-review cycles.",
    ],
    "health": [
        "Speech and language therapy advice is specific and quantified, with a review date.",
        "Paediatric advice explains the effect of the condition on learning in plain language.",
        "Therapy that educates or trains the child correctly recommended for section F.",
        "Designated Clinical Officer's quality check recorded on the advice.",
    ],
    "social_care": [
        "Social care records checked and the child's status stated clearly.",
        "Short breaks described with who, what and how often.",
        "Care plan and personal education plan linked for this looked-after child.",
    ],
    "plan": [
        "Outcomes are specific and time-bound, with steps for the year ahead.",
        "Section F specifies who, what, how often and how progress will be checked.",
        "Sections C and D completed from the advice rather than 'none known'.",
        "Plan written in plain language; the family say it describes their child.",
        "Preparation for adulthood runs through A, E and F from Year 9.",
    ],
    "multi_agency": [
        "The review records progress outcome by outcome, with evidence from school and therapists.",
        "Barriers to progress named, each with an action, an owner and a date.",
        "Amended plan issued within 8 weeks of the review decision.",
        "Every agency involved contributed to the review and their records agree.",
        "The young person is making good progress from their starting point, confirmed by the panel.",
    ],
    "case_review": [
        "The family felt listened to and knew who to contact.",
        "The child's ambitions can be recognised in sections A and E.",
        "Setting and family describe the same support, delivered as the plan sets out.",
    ],
    "review": [
        "Review held on time, with reports circulated two weeks before the meeting.",
        "Young person chaired part of their own review, with their views recorded.",
        "Each outcome marked achieved, continuing or to change, with evidence.",
    ],
    "observation": [
        "Family asked what had worked since the last review before professionals reported.",
        "Jargon explained; the parent said afterwards the meeting was 'the first time I understood it all'.",
        "Actions summarised at the end, each with an owner and a date.",
    ],
}
AREAS = {
    "general": [
        "Outcomes not measurable: 'to make progress in literacy' gives no way to tell.",
        "Provision in F not quantified: 'access to', 'regular' and 'as required' used throughout.",
        "Child's views written by professionals about the child, not gathered from them.",
        "Advice more than a year old used without saying it is historical.",
    ],
    "education": [
        "Educational advice returned in week 9, after the 6-week deadline, with no reason recorded.",
        "Advice lists interventions without saying how often or who delivers them.",
        "No evidence of the graduated approach before the request for assessment.",
    ],
    "health": [
        "Health advice received late and generic; it could describe any child with the diagnosis.",
        "Section C says 'none known' although the child sees community paediatrics.",
        "Therapy advice not quantified: 'SALT input as required'.",
        "Only one of the three health services involved contributed advice.",
    ],
    "social_care": [
        "Social care advice says 'not known to service' without recording that records were checked.",
        "H1 and H2 left blank although the family receive short breaks.",
        "No plan for the move to adult social care at Year 9.",
    ],
    "plan": [
        "Needs in B cannot be followed to outcomes and provision; the golden thread breaks at F.",
        "Health provision in G does not match the needs described in C.",
        "Section K lists advice without authors or dates.",
        "Final plan issued in week 27 with no exception recorded.",
    ],
    "multi_agency": [
        "The review lists activities but not the progress made towards each outcome.",
        "Barriers to progress described but no action, owner or date agreed.",
        "Amended plan not issued 14 weeks after the review decision.",
        "Agencies' records disagree about the support being delivered.",
        "Limited evidence the young person is making good progress; attendance has fallen to 71%.",
    ],
    "case_review": [
        "The family had to chase the amended plan several times.",
        "Barriers the family described (transport, anxiety about school) not in the plan.",
        "Provision in F not delivered as written: therapy sessions fortnightly, not weekly.",
    ],
    "review": [
        "Review decision sent 7 weeks after the meeting, outside the 4-week timescale.",
        "Reports circulated on the day of the meeting.",
        "No contribution from social care although the child is a child in need.",
    ],
    "observation": [
        "Professionals spoke for most of the meeting; the young person was not asked for their views.",
        "Acronyms used without explanation (SALT, EP, SEMH).",
        "Next steps not agreed before the meeting closed.",
    ],
}
EVIDENCE_GOOD = [
    "Seen in section A: the child's own words, dated and attributed.",
    "Clear and specific; a good example to share with the team.",
    "Evidenced in the review report and confirmed by the setting.",
    "Dated, signed and within timescale.",
]
EVIDENCE_POOR = [
    "Not found in the documents on file.",
    "Partly evidenced; several statements are not dated or attributed.",
    "Generic wording that could describe any child with this need.",
    "Advice received after the deadline; no reason recorded.",
    "Quantity missing: 'regular support' and 'access to' used.",
]
OVERRIDE_UP = [
    "The weaker answers are on questions that barely apply to this child; overall the plan is good.",
    "Strong evidence of progress outweighs the gaps in paperwork the scores pick up.",
]
OVERRIDE_DOWN = [
    "Provision in F is not quantified at all, which on its own means the plan requires improvement.",
    "The child's views are missing entirely; the plan cannot be graded higher without them.",
]
MODERATION_AGREE = [
    "Agree with the auditor's grades; evidence is well referenced.",
    "Agree. A thorough audit with clear findings.",
    "Agree with the grading; areas for development are well chosen.",
]
MODERATION_DISAGREE = [
    "Outcomes in E are not measurable as written, so graded lower than the auditor.",
    "Provision in F is not specified and quantified in several places ('access to', 'regular').",
    "Health advice is generic and late; sections on health graded lower.",
    "The auditor has been generous where the evidence is thin; discussed at moderation.",
]
CONSENT = [
    ("Parent (mother)", "Written consent form, returned by email"),
    ("Parent (father)", "Verbal consent at the annual review, confirmed in writing"),
    ("Young person and parent", "Signed consent form at a home visit"),
]
MEETINGS = [
    {
        "child_views": "Likes art and football club. Finds the dining hall too noisy and eats in the library.",
        "ambitions": "Wants to work with animals and to go to the local college with friends.",
        "barriers": "Transport: the taxi is often late, so mornings start badly. Anxiety about changes of staff.",
        "family_views": "Happy with the school; had to chase the amended plan and speech therapy for months.",
    },
    {
        "child_views": "Enjoys cooking and music. Says the work is sometimes 'too fast' in maths.",
        "ambitions": "To live independently one day and have a job in a kitchen.",
        "barriers": "Fatigue after physiotherapy; not enough time in the plan for independence skills.",
        "family_views": "Felt listened to at the review; unsure who to contact when provision is not delivered.",
    },
    {
        "child_views": "Would like more time with friends at break; likes the quiet room and the key adult.",
        "ambitions": "To stay at the same school for sixth form and learn to travel on the bus alone.",
        "barriers": "Long waits for CAMHS; the family had to repeat their story to each new professional.",
        "family_views": "Grateful for the support now in place, but it took a tribunal appeal to get it.",
    },
]
# fmt: on

# Grades as ranks 4 (Outstanding) .. 1 (Inadequate), and the chance of each in a completed audit.
GRADES_BY_RANK = {4: Grade.OUTSTANDING, 3: Grade.GOOD, 2: Grade.REQUIRES_IMPROVEMENT, 1: Grade.INADEQUATE}
RANK_WEIGHTS = {4: 0.12, 3: 0.46, 2: 0.32, 1: 0.10}


def rank_draw(rng: random.Random) -> int:
    return rng.choices(list(RANK_WEIGHTS), weights=list(RANK_WEIGHTS.values()))[0]


def is_health(section: ToolSection) -> bool:
    return section.code in ("C", "G") or "health" in section.title.lower()


def is_hotspot(section: ToolSection) -> bool:
    """Sections where auditors and moderators disagree most: outcomes, provision and health."""
    return section.code in ("E", "F") or is_health(section)


def section_bias(section: ToolSection) -> float:
    """How much weaker (or stronger) than the audit as a whole a section tends to be."""
    title = section.title.lower()
    if is_health(section):
        return -0.45
    if section.code in ("D", "H1", "H2", "H1/H2") or "social care" in title:
        return -0.3
    if section.code in ("E", "F"):
        return -0.35
    if section.code == "A" or "voice" in title or "views" in title:
        return 0.25
    return 0.0


def _not_applicable(question: ToolQuestion, *, year_group: int, plan_stage: str, rng: random.Random) -> bool:
    text = question.text.lower()
    if "year 9" in text:
        return year_group < 9
    if text.startswith("for a draft plan"):
        return plan_stage != "draft"
    if text.startswith("for a final plan"):
        return plan_stage == "draft"
    return rng.random() < 0.25


def section_answers(
    rng: random.Random,
    section: ToolSection,
    scale: Sequence[dict],
    *,
    rank: float,
    year_group: int,
    plan_stage: str,
) -> dict[int, tuple[str, str]]:
    """Answers to one section of an audit aiming at grade `rank`: {question id: (value, evidence note)}."""
    scores = rescale(scale)
    level = rank + section_bias(section) + rng.gauss(0, 0.45)
    answers = {}
    for question in section.questions.all():
        if question.allow_not_applicable and _not_applicable(
            question, year_group=year_group, plan_stage=plan_stage, rng=rng
        ):
            answers[question.pk] = (NOT_APPLICABLE, "")
            continue
        target = min(4.0, max(1.0, level + rng.gauss(0, 0.6)))
        value = min(scores, key=lambda v: (abs(float(scores[v]) - target), v))
        evidence = ""
        if rng.random() < 0.3:
            evidence = rng.choice(EVIDENCE_GOOD if float(scores[value]) >= 2.5 else EVIDENCE_POOR)
        answers[question.pk] = (value, evidence)
    return answers


def findings(rng: random.Random, family: str, grade: str) -> tuple[str, str]:
    """Strengths and areas for development (one a line) for an audit of `family` graded `grade`."""
    rank = next((r for r, g in GRADES_BY_RANK.items() if g == grade), 2)
    strengths_n = {4: 3, 3: rng.choice([2, 3]), 2: rng.choice([1, 2]), 1: 1}[rank]
    areas_n = {4: rng.choice([0, 1]), 3: rng.choice([1, 2]), 2: rng.choice([2, 3]), 1: 3}[rank]
    strengths = rng.sample(STRENGTHS[family] + STRENGTHS["general"][:2], strengths_n)
    areas = rng.sample(AREAS[family] + AREAS["general"][:2], areas_n)
    return "\n".join(strengths), "\n".join(areas)
