"""The demo partnership's approved audit tools, built through audits.services.tools as an SQA officer would.

One tool for each audit the framework runs (DESIGN.md §2): Level 1 advice audits for education, health and
social care; the Level 2 plan audit over sections A to K (two versions, so older audits keep version 1) and the
caseworkers' peer-review checklist; the Level 3 multi-agency audit; the Level 4 case review record; the annual
review audit; and the observation of practice record. The questions and their "what good looks like" guidance
follow the SEND Code of Practice 2015, the SEND Regulations 2014 and what councils' audit checklists ask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from audits.models import AuditTool, AuditToolVersion, ToolKind
from audits.models.tools import default_scale
from audits.services import tools as services
from demo.working_days import last_working_day
from qaf import calendar
from qaf.models import AcademicYear, Partnership, User

# Tools with one version were approved this many days before the academic year began.
APPROVED_DAYS_BEFORE = 400

YES_PARTLY_NO = [
    {"value": "yes", "label": "Yes", "score": 2},
    {"value": "partly", "label": "Partly", "score": 1},
    {"value": "no", "label": "No", "score": 0},
]
SEEN_IN_PRACTICE = [
    {"value": "4", "label": "Consistently seen", "score": 4},
    {"value": "3", "label": "Mostly seen", "score": 3},
    {"value": "2", "label": "Sometimes seen", "score": 2},
    {"value": "1", "label": "Rarely or not seen", "score": 1},
]


def q(text: str, guidance: str, *, weight: str = "1", na: bool = False, since: int = 1) -> dict:
    """A question; `na` lets auditors answer 'not applicable'; `since` is the first version that asks it."""
    return {"text": text, "guidance": guidance, "weight": weight, "allow_not_applicable": na, "since": since}


def s(code: str, title: str, weight: str, *questions: dict, since: int = 1, v1_weight: str = "") -> dict:
    """A section; `v1_weight` is its weight in version 1 when that differed."""
    return {
        "code": code,
        "title": title,
        "weight": weight,
        "questions": list(questions),
        "since": since,
        "v1_weight": v1_weight or weight,
    }


@dataclass(frozen=True)
class ToolSpec:
    key: str
    name: str
    kind: str
    levels: tuple[int, ...]
    description: str
    sections: tuple[dict, ...]
    scale: tuple[dict, ...] = tuple(default_scale())
    # (change note of version 2, how many days before this academic year began version 1 and version 2 were
    # approved) for tools with two versions
    history: tuple[str, int, int] | None = None


SIX_WEEKS = "Good: the advice reached the statutory assessment team within 6 weeks of the request (SEND Regulations 2014, regulation 8), or the reason for the delay is recorded and the caseworker was told before the deadline."
VIEWS_OWN_WORDS = "Good: the child's or young person's views are in their own words or gathered by a method that suits them (symbols, drawings, observation, people who know them well), dated and attributed; they say what matters to them, what helps and what they hope for. Not good enough: professionals writing about the child."
SMART = "Good: each outcome says what the child will be able to do, by when (usually the end of a phase or key stage, with steps for the next year) and how progress will be measured, and it follows from a need that is described. Not good enough: 'to make progress in literacy', 'to be happy'."
QUANTIFIED = "Good: says who will provide it (role and training), what (the approach or intervention), how often, for how long and in what group size, and how it will be reviewed, for example 'small-group phonics, 3 × 20 minutes a week, by a trained teaching assistant, reviewed each half term'. Not good enough: 'access to', 'opportunities for', 'regular', 'as required'."
PFA = "Good: from Year 9, the young person's aspirations for paid work or further study, independent living, friends and community, and good health are recorded and drive the outcomes and provision. Not applicable before Year 9."
GOLDEN_THREAD = "Good: every need in section B can be followed to at least one outcome in section E and to the provision in section F that meets it; there is no provision without a need and no need without provision."

# fmt: off
TOOLS: tuple[ToolSpec, ...] = (
    ToolSpec(
        "l1_education", "Level 1 education advice audit", ToolKind.ADVICE_AUDIT, (1,),
        "An education setting or service audits its own educational advice and information for EHC needs assessments (regulation 6(1)(b)) and its contributions to annual reviews. Owned by the agency's manager.",
        (
            s("", "Timeliness and authorship", "1",
              q("Was the advice returned within 6 weeks of the local authority's request?", SIX_WEEKS),
              q("Was the advice written by someone who knows the child and has the right expertise?", "Good: written or checked by the SENCo or a qualified teacher who has taught or assessed the child recently; it names the author, their role and the date, and the sources it draws on (observations, assessments, records).")),
            s("", "Description of needs", "2",
              q("Are the child's special educational needs described specifically, in every area of need that applies?", "Good: each need is described by what the child can and cannot yet do (for example 'reads familiar words but cannot yet decode unfamiliar words of more than one syllable'), across communication and interaction, cognition and learning, social, emotional and mental health, and sensory and/or physical needs where relevant. Not good enough: a diagnosis or label alone, or 'struggles with literacy'.", weight="2"),
              q("Is each need supported by current evidence?", "Good: recent standardised scores, attainment and progress data, attendance, observations and the outcomes of the graduated approach (assess, plan, do, review) are given, with dates."),
              q("Does the advice describe what the child does well and what already helps?", "Good: strengths, interests and the strategies that work are described, so the plan can build on them.")),
            s("", "Outcomes and provision", "2",
              q("Does the advice suggest outcomes that are specific and measurable?", SMART),
              q("Is the recommended provision specified and quantified?", QUANTIFIED, weight="2"),
              q("From Year 9, does the advice address preparation for adulthood?", PFA, na=True)),
            s("", "Voice of the child and family", "1",
              q("Are the child's views included, in their own words where possible?", VIEWS_OWN_WORDS),
              q("Were the parents or carers involved in preparing the advice?", "Good: the advice records that the parents' or carers' views were sought and how they are reflected; any disagreement is recorded respectfully.")),
        ),
    ),
    ToolSpec(
        "l1_health", "Level 1 health advice audit", ToolKind.ADVICE_AUDIT, (1,),
        "Health providers (community paediatrics, therapies, CAMHS, nursing), with the Designated Clinical Officer, audit their health advice for EHC needs assessments (regulation 6(1)(c)) and health contributions to annual reviews. Weak health advice is the most common finding across councils.",
        (
            s("", "Timeliness and co-ordination", "1",
              q("Was the health advice returned within 6 weeks of the request?", "Good: advice from every health professional involved reached the statutory assessment team within 6 weeks. Where the child was not known to a service, it said so promptly, said which records it checked, and whether it made a referral."),
              q("Does the advice bring together every health professional involved?", "Good: names every health service known to be involved (paediatrics, speech and language therapy, occupational therapy, physiotherapy, CAMHS, school nursing) and is co-ordinated rather than contradictory; the Designated Clinical Officer's oversight is recorded where used.")),
            s("C", "Health needs", "2",
              q("Are the health needs that relate to the child's SEN described clearly?", "Good: conditions are explained in plain language by their effect on the child's learning and daily life (fatigue, medication, eating and drinking, continence, mobility, sleep). 'None known' is used only when records were checked, and the advice says so.", weight="2"),
              q("Is the advice based on recent assessment?", "Good: assessments are dated and recent enough to describe the child now (normally within the last 12 months); older reports are named as such and updated where needs may have changed.")),
            s("G", "Health provision", "2",
              q("Is the recommended health provision specified and quantified?", "Good: says who will provide it (service and role), what, how often and for how long, for example 'speech and language therapist: 6 sessions of 30 minutes each term, and a daily programme delivered by a trained teaching assistant'. Not good enough: 'to be seen as needed', 'input from SALT'.", weight="2"),
              q("Does the advice separate therapy that educates or trains from health care?", "Good: the advice makes clear which provision educates or trains the child (special educational provision, for section F, which the local authority must secure) and which is health care (section G, commissioned by the integrated care board)."),
              q("Do the suggested outcomes follow from the health needs described?", SMART)),
            s("", "Voice and preparation for adulthood", "1",
              q("Are the child's and family's views about their health and care recorded?", VIEWS_OWN_WORDS),
              q("From Year 9, does the advice cover good health in adult life and the move to adult health services?", "Good: from Year 9, the advice covers managing their own health, annual health checks where eligible, and a planned transition to adult services, with who will lead it. Not applicable before Year 9.", na=True)),
        ),
    ),
    ToolSpec(
        "l1_social_care", "Level 1 social care advice audit", ToolKind.ADVICE_AUDIT, (1,),
        "Children's social care audits its advice for EHC needs assessments (regulation 6(1)(e)) and its contributions to annual reviews, including for looked-after children and children in need.",
        (
            s("", "Timeliness and checks", "1",
              q("Was the social care advice returned within 6 weeks of the request?", SIX_WEEKS),
              q("Were social care records checked before the advice was written?", "Good: the advice states whether the child is known to social care (child in need, child protection, looked after, short breaks, disabled children's team) and which records were checked. Where the child is not known, it says so after checking and considers whether an assessment under the Children Act 1989 or the Chronically Sick and Disabled Persons Act 1970 is needed. Not good enough: 'none known' by default.", weight="2")),
            s("D", "Social care needs", "2",
              q("Are the social care needs arising from the child's SEN or disability described, with those of the family?", "Good: describes needs at home and in the community (personal care, safety, short breaks, family resilience, carers' needs), with evidence from a recent assessment.", weight="2"),
              q("For a looked-after child, are the care plan and personal education plan reflected?", "Good: the advice links to the care plan and the personal education plan, names the social worker and the virtual school, and aligns review dates. Not applicable if the child is not looked after.", na=True)),
            s("H1/H2", "Social care provision", "2",
              q("Is any provision under section 2 of the Chronically Sick and Disabled Persons Act 1970 identified for section H1?", "Good: H1 lists what must be provided under section 2 of the 1970 Act (practical help at home, short breaks, adaptations, travel assistance), specified and quantified; where there is none, the advice says so after assessment."),
              q("Is other social care provision for section H2 specified and quantified?", "Good: H2 sets out other social care provision reasonably required by the child's needs (including adult care for young people over 18), with who, what and how often, and when it will be reviewed."),
              q("Do the suggested outcomes follow from the social care needs described?", SMART)),
            s("", "Voice and planning ahead", "1",
              q("Are the child's and family's views about home and community life recorded?", VIEWS_OWN_WORDS),
              q("From Year 9, does the advice plan for the move to adult social care?", "Good: from Year 9, the advice considers independent living, friendships and community, and whether a transition assessment under the Care Act 2014 is needed, and names who will lead it. Not applicable before Year 9.", na=True)),
        ),
    ),
    ToolSpec(
        "l2_plan", "Level 2 EHC plan audit", ToolKind.PLAN_AUDIT, (2,),
        "A draft or final EHC plan audited against its statutory sections A to K (SEND Code of Practice 2015, 9.62) and the partnership's quality standard: at the SEND Moderation Panel and by SAT service managers.",
        (
            s("A", "Views, interests and aspirations", "1",
              q("Are the child's or young person's views, interests and aspirations recorded in their own words?", VIEWS_OWN_WORDS, weight="2"),
              q("Are the parents' or carers' views, history and aspirations recorded?", "Good: in their own words, with their experience of the child's history acknowledged."),
              q("From Year 9, are the young person's aspirations for adult life recorded?", PFA, na=True, since=2)),
            s("B", "Special educational needs", "1.5",
              q("Is every special educational need described specifically?", "Good: each need is described by what the child can and cannot yet do, in every area of need that applies, bringing together all the advice. Not good enough: a diagnosis alone, or paragraphs copied from the advice without being drawn together.", weight="2"),
              q("Is each need evidenced and up to date?", "Good: the descriptions draw on the advice in section K (named and dated) and on recent assessment."),
              q("Can each need be followed to an outcome in E and provision in F?", GOLDEN_THREAD, weight="2")),
            s("C", "Health needs related to SEN", "1",
              q("Are the health needs related to the child's SEN set out from the health advice?", "Good: health needs that relate to the SEN are described from the health advice. 'None known' appears only when the health advice confirms it; an empty or 'none known' section for a child with a diagnosis or open to health services is Inadequate."),
              v1_weight="0.5"),
            s("D", "Social care needs related to SEN or disability", "1",
              q("Are the social care needs set out from the social care advice?", "Good: drawn from the social care advice; 'none known' only when social care confirms it after checking its records. Looked-after status, child in need plans and short breaks are reflected."),
              v1_weight="0.5"),
            s("E", "Outcomes", "2",
              q("Are the outcomes specific, measurable, achievable, realistic and time-bound?", SMART, weight="2"),
              q("Do the outcomes describe a difference for the child rather than a service?", "Good: 'will travel to college on the bus on their own by July 2027', not 'will receive travel training'."),
              q("From Year 9, do the outcomes prepare the young person for adult life?", PFA, na=True, since=2)),
            s("F", "Special educational provision", "2",
              q("Is the provision for every need specified and quantified?", QUANTIFIED, weight="2"),
              q("Does each piece of provision say which outcome it supports and how progress will be checked?", "Good: provision is set out against the outcomes in E, with how and when progress is reviewed."),
              q("Is therapy that educates or trains the child in section F rather than G?", "Good: speech and language therapy and other therapy that educates or trains is specified in F, as special educational provision the local authority must secure; only health care is in G.")),
            s("G", "Health provision", "1",
              q("Is the health provision specified and quantified, matching the needs in C?", "Good: who provides it, what, how often and when it is reviewed. An empty G when C records health needs is Inadequate."),
              v1_weight="0.5"),
            s("H1", "Social care provision under the Chronically Sick and Disabled Persons Act 1970", "1",
              q("Is any provision under section 2 of the 1970 Act set out, or its absence confirmed?", "Good: specified and quantified, or the section says there is none after a social care assessment; never left blank."),
              v1_weight="0.5"),
            s("H2", "Other social care provision", "1",
              q("Is other social care provision reasonably required by the child's needs set out?", "Good: matches the needs in D, with who, what and how often; short breaks and support for the family are included where assessed."),
              v1_weight="0.5"),
            s("I", "Placement", "0.5",
              q("Is section I right for the stage of the plan?", "Good: a draft plan leaves I blank; a final plan names the type of setting and the school or institution, after the parents' or young person's preference and consultation with the setting."),),
            s("J", "Personal budget", "0.5",
              q("Where a personal budget was requested, does section J set it out?", "Good: says what the budget covers, how it will be used (including any direct payment) and which outcomes it supports. Not applicable if no personal budget was requested.", na=True)),
            s("K", "Advice and information", "1",
              q("Is every piece of advice and information listed, with author and date?", "Good: lists the advice of the parents, education, health, educational psychology, social care and anyone else, with author, role and date, and each has been used in the plan."),
              q("Was advice received from every agency within 6 weeks of the request?", "Good: education, health, educational psychology and social care advice was requested and received within 6 weeks (regulation 8); late or missing advice is recorded with what was done about it.")),
            s("", "Timeliness and co-production", "1",
              q("Was the final plan issued within 20 weeks of the request for assessment?", "Good: issued within 20 weeks (regulation 13(2)), or an exception under regulation 10(4) is recorded with its reason; the family had at least 15 days to comment on the draft. Not applicable to a draft.", na=True, weight="2"),
              q("Is the plan written so the family can understand it?", "Good: plain language, jargon explained, consistent from section to section; the family say it describes their child."),
              since=2),
        ),
        history=("Version 2 adds preparation-for-adulthood questions from Year 9 (sections A and E) and a section on timeliness and co-production, and gives health and social care (C, D, G, H1, H2) the same weight as the other sections, after the moderation panel found them the weakest.", 420, 60),
    ),
    ToolSpec(
        "l2_peer_review", "Level 2 caseworker peer-review checklist", ToolKind.PEER_REVIEW, (2,),
        "Caseworkers check each other's draft and final plans against this agreed checklist before they are issued.",
        (
            s("", "Before the draft is issued", "1",
              q("Has advice been received from every agency asked, and is each used in the plan?", "Yes: education, health, educational psychology and social care advice is on file and each can be seen in B, C and D and in the provision. Partly: on file but not all used. No: advice missing or ignored."),
              q("Are the child's views in section A in their own words?", VIEWS_OWN_WORDS),
              q("Were the family's views sought, and is the plan written with them?", "Yes: the family's views are in section A and the caseworker has talked the plan through with them.")),
            s("", "The golden thread (B, E, F)", "2",
              q("Can each need in B be followed to an outcome in E and provision in F?", GOLDEN_THREAD, weight="2"),
              q("Are the outcomes specific and measurable?", SMART),
              q("Is every piece of provision in F specified and quantified?", QUANTIFIED, weight="2"),
              q("Is the plan free of vague words such as 'access to', 'opportunities', 'regular' and 'as required'?", "Yes: none of these words are used without a quantity; each would let a family or a tribunal see exactly what must be provided.")),
            s("", "Health and social care (C, D, G, H1, H2)", "1.5",
              q("Are sections C and D completed from the advice, not 'none known' by default?", "Yes: filled in from the health and social care advice, or 'none known' only where the advice confirms it after checking records."),
              q("Are sections G, H1 and H2 specified and consistent with C and D?", "Yes: every health and social care need has its provision, with who, what and how often.")),
            s("", "Issue and timescales", "1",
              q("For a draft plan: is section I left blank and are at least 15 days given for comments?", "Yes: I is blank and the covering letter gives the date by which to comment and to name a preferred setting. Not applicable to a final plan.", na=True),
              q("For a final plan: will it be issued within 20 weeks of the request, or is the exception recorded?", "Yes: on track for 20 weeks, or a permitted exception is recorded. Not applicable to a draft.", na=True),
              q("From Year 9, does the plan cover preparation for adulthood?", PFA, na=True)),
        ),
        scale=tuple(YES_PARTLY_NO),
    ),
    ToolSpec(
        "l3_multi_agency", "Level 3 multi-agency audit", ToolKind.MULTI_AGENCY, (3,),
        "Six EHC plans each half term, audited together by a panel from education, health, social care and the statutory assessment team. Focus: plans issued in the previous year that have had an annual review since, with the plan issued after that review. May be themed.",
        (
            s("", "The plan and the annual review", "1.5",
              q("Do the plan and review documents identify the progress the child has made towards each outcome?", "Good: the review reports outcome by outcome what the child can now do, with evidence (attainment, attendance, work, observation, and the child's and family's account), and the amended plan starts from there.", weight="2"),
              q("Do the plan and review documents identify the barriers to progress, and what will be done about them?", "Good: barriers in the child's needs, the provision, attendance, health, home life or transition are named, each with an action, an owner and a date.", weight="2"),
              q("Did the review lead to an amended plan where needs or provision had changed, on time?", "Good: the decision was sent within 4 weeks of the meeting and the amended plan issued within 8 weeks of the decision, and the amendments reflect the review; where nothing needed to change, the reasons are recorded.")),
            s("", "Quality of the current plan", "1.5",
              q("Is there a golden thread from needs (B) through outcomes (E) to provision (F)?", GOLDEN_THREAD),
              q("Are the health and social care needs and provision (C, D, G, H1, H2) complete and right for this child?", "Good: the panel's health and social care members confirm the plan matches what their services know; nothing says 'none known' where a service is involved."),
              q("Is the provision in the plan being delivered as specified?", "Good: the setting and services confirm that the provision in F, G and H is in place at the stated frequency; any gap is named with what is being done.")),
            s("", "Agencies working together", "1",
              q("Did every agency involved contribute to the plan and to the review?", "Good: education, health and social care (and others involved) gave advice and attended or reported to the review."),
              q("Is information shared and consistent between agencies?", "Good: the agencies' records tell the same story about the child's needs, support and progress.")),
            s("", "Progress and the child's voice", "2",
              q("Is the child or young person making good progress?", "Good: evidence from the review, attainment, attendance and the views of the child, family and professionals shows good progress towards most outcomes from the child's starting point. Requires improvement: some progress, or progress not evidenced. Inadequate: little or no progress, or progress not tracked.", weight="3"),
              q("Are the child's and family's views heard in the review and acted on?", "Good: their views are recorded in their words and the plan changed because of them."),
              q("From Year 9, is the young person being prepared for adulthood?", PFA, na=True)),
        ),
    ),
    ToolSpec(
        "l4_case_review", "Level 4 case review record", ToolKind.CASE_REVIEW, (4,),
        "Each term a board member, with the SEND QA officer, reviews one plan or review and, with consent, meets the child or young person and their family. Consent and the meeting (views, ambitions, barriers) are recorded on the audit; these questions record the leaders' judgement and the learning for the partnership.",
        (
            s("", "What the child and family told us", "1.5",
              q("Do the plan and review reflect the views and ambitions the child or young person shared with us?", "Good: what the child told us matters to them, and their ambitions, can be recognised in sections A and E.", weight="2"),
              q("Do the barriers the family described appear in the plan or review, with action taken?", "Good: each barrier the family raised is known to the professionals involved and something is being done about it."),
              q("Does the family feel listened to and involved in decisions?", "Good: the family say they were listened to, understood the decisions made and know who to contact.")),
            s("", "The plan in practice", "1.5",
              q("Is the provision in the plan delivered as the family experiences it?", "Good: the family and the setting describe the same support, at the frequency the plan sets out."),
              q("Is the child or young person making good progress, in the family's and the professionals' view?", "Good: both describe progress towards the outcomes, with examples.", weight="2")),
            s("", "Learning for the partnership", "1",
              q("Did the statutory process work well for this family?", "Good: assessment, reviews and amendments met their timescales; communication was clear and timely."),
              q("Are the agencies working well together around this child?", "Good: the agencies know each other's part, share information and act on it without the family having to chase.")),
        ),
    ),
    ToolSpec(
        "annual_review", "Annual review audit", ToolKind.REVIEW_AUDIT, (1, 2),
        "An annual review of an EHC plan audited for its timeliness, preparation and participation, the progress and barriers it records, and the decision and amended plan that followed. Used by agencies (Level 1) and SAT service managers (Level 2).",
        (
            s("", "Timeliness", "1",
              q("Was the review held within 12 months of the plan or the last review (every 3 to 6 months for a child under 5)?", "Good: held on time, with the date recorded."),
              q("Was the decision sent within 4 weeks of the meeting, and any amended plan issued within 8 weeks of the decision?", "Good: both dates met (regulations 20 and 22); delays recorded with reasons."),
              q("For a phase transfer, was the amended plan naming the next setting issued by 15 February (31 March for a move into post-16)?", "Good: issued by the statutory date. Not applicable when the child is not changing phase.", na=True)),
            s("", "Preparation and participation", "1",
              q("Were advice and information gathered and circulated at least two weeks before the meeting?", "Good: everyone involved was asked for advice in good time and the reports reached the family and professionals at least two weeks before the meeting."),
              q("Did the child or young person take part, with their views recorded?", VIEWS_OWN_WORDS),
              q("Did the parents or carers and every agency involved contribute?", "Good: their contributions are recorded; any agency that did not contribute is named and followed up.")),
            s("", "Progress and barriers", "2",
              q("Does the review record progress towards each outcome, with evidence?", "Good: outcome by outcome, what the child can now do, with evidence.", weight="2"),
              q("Does the review identify barriers to progress and how they will be addressed?", "Good: barriers are named, each with an action, an owner and a date.", weight="2"),
              q("Does the review consider whether the outcomes and provision are still right?", "Good: each outcome is marked achieved, continuing or to change, and new or changed needs are identified.")),
            s("", "Decision and amended plan", "1.5",
              q("Does the recommendation (keep, amend or cease the plan) follow from the evidence?", "Good: the reasons are clear and match what the review found."),
              q("Where needs or provision changed, was the plan amended to match?", "Good: the amended plan reflects every change the review identified. Not applicable where the plan was kept unchanged for good reason.", na=True),
              q("From Year 9, does the review focus on preparation for adulthood?", PFA, na=True)),
        ),
    ),
    ToolSpec(
        "observation", "Observation of practice record", ToolKind.OBSERVATION, (1,),
        "A direct observation of practice (an EHC planning meeting, an annual review or a co-production conversation), with exit feedback from the family or young person.",
        (
            s("", "Preparation", "1",
              q("Was the practitioner well prepared, having read the advice and the child's file?", "Seen: the practitioner knew the child's history and the advice, and had the right people in the room."),
              q("Were the family and child told what to expect, with reasonable adjustments made?", "Seen: the family knew the purpose of the meeting, who would come and how long it would take; the venue, timing and format suited them.")),
            s("", "Person-centred practice", "2",
              q("Was the child's or young person's voice at the centre of the meeting?", "Seen: the child took part in a way that suited them, or their views were brought in and referred to throughout.", weight="2"),
              q("Were the parents or carers treated as equal partners?", "Seen: their knowledge of their child was asked for and used; decisions were explained and agreed, not announced."),
              q("Was the language clear and free of jargon?", "Seen: acronyms and professional terms explained; the family could follow and contribute.")),
            s("", "Focus on outcomes", "1.5",
              q("Did the discussion keep to outcomes, progress and barriers, not only provision?", "Seen: the meeting talked about what the child will be able to do and what stands in the way, before what will be provided."),
              q("Were the agreed actions clear, each with an owner and a date?", "Seen: actions were summarised at the end and the family knew what happens next.")),
            s("", "Exit feedback", "1",
              q("Did the family or young person say they felt listened to?", "Record their words in the evidence notes; seen when they said so without prompting."),
              q("Did the family know what happens next and who to contact?", "Seen: they could say the next step, its date and who to contact.")),
        ),
        scale=tuple(SEEN_IN_PRACTICE),
    ),
)
# fmt: on


def _content(spec: ToolSpec, version: int) -> list[dict]:
    """The sections and questions of `spec` as version `version` of the tool asked them."""
    sections = []
    for section in spec.sections:
        if section["since"] > version:
            continue
        questions = [
            {key: value for key, value in question.items() if key != "since"}
            for question in section["questions"]
            if question["since"] <= version
        ]
        weight = section["v1_weight"] if version == 1 else section["weight"]
        sections.append(
            {"code": section["code"], "title": section["title"], "weight": weight, "questions": questions}
        )
    return sections


def _approve(
    version: AuditToolVersion, *, user: User, year_starts_on: dt.date, days_before: int
) -> AuditToolVersion:
    version = services.tool_version_approve(version=version, user=user)
    # Demo history: the version was made and approved before this academic year's audit plan was drawn up, so
    # every audit seeded for the year uses a version approved before the audit was scheduled, whatever the day.
    day = last_working_day(year_starts_on - dt.timedelta(days=days_before))
    when = timezone.make_aware(dt.datetime.combine(day, dt.time(11)))
    AuditToolVersion.objects.filter(pk=version.pk).update(created_at=when, approved_at=when)
    return version


def seed_tools(partnership: Partnership, *, sqa_user: User, now: dt.datetime) -> dict[str, AuditTool]:
    """Create the demo's approved audit tools, keyed as in TOOLS ("l2_plan", "l3_multi_agency", ...). The Level 2
    plan audit has a retired version 1 and a current version 2, both approved before the academic year of `now`
    began. Callers hold a transaction and have created the partnership's calendar."""
    year = AcademicYear.objects.get(
        partnership=partnership, start_year=calendar.academic_year_start(timezone.localdate(now))
    )
    tools = {}
    for spec in TOOLS:
        tool = services.tool_create(
            partnership=partnership,
            user=sqa_user,
            name=spec.name,
            kind=spec.kind,
            levels=spec.levels,
            description=spec.description,
        )
        first = tool.versions.get(number=1)
        services.tool_version_content_replace(
            version=first, sections=_content(spec, 1), scale=list(spec.scale)
        )
        if spec.history is None:
            _approve(first, user=sqa_user, year_starts_on=year.starts_on, days_before=APPROVED_DAYS_BEFORE)
        else:
            note, v1_days_before, v2_days_before = spec.history
            _approve(first, user=sqa_user, year_starts_on=year.starts_on, days_before=v1_days_before)
            second = services.tool_version_new_from(version=first, user=sqa_user, change_note=note)
            services.tool_version_content_replace(version=second, sections=_content(spec, 2))
            _approve(second, user=sqa_user, year_starts_on=year.starts_on, days_before=v2_days_before)
        tools[spec.key] = tool
    return tools
