"""The bank of the demo's remedial actions: what to do about typical audit findings, and the texts the demo
uses for cancelling, verifying, a safeguarding concern and resolutions (used by demo.actions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from actions.models import ActionPriority

HIGH, MEDIUM, LOW = ActionPriority.HIGH, ActionPriority.MEDIUM, ActionPriority.LOW
MINUTE = dt.timedelta(minutes=1)
DAY = dt.timedelta(days=1)
PFA, LAC = "Preparation for adulthood", "Looked-after children"
HEALTH, CARE = "Quality of health advice", "Social care contributions"


@dataclass(frozen=True)
class Remedy:
    """One action of the bank: what to do, why (the finding), the evidence of it done, its themes."""

    what: str
    why: str
    evidence: str
    themes: tuple[str, ...] = ()
    priority: str = MEDIUM
    when: str = ""  # "pfa": year 9 and over only; "lac": looked-after children only


R = Remedy
# Actions tied to the typical findings of each kind of audit (the findings banks of demo.findings).
# fmt: off
SECTION_A = R("Record the young person's views in their own words in section A",
              "Section A paraphrases the adults: the child's own views, hopes and aspirations are missing.",
              "Met the young person with their key adult; section A now quotes their views and the family checked it.")
SECTION_E = R("Rewrite section E outcomes to be specific and measurable",
              "Outcomes read as aims (\"to make progress with reading\") with no measure or timescale.",
              "Outcomes rewritten with the family: each says what will change, by when, and how it will be measured.",
              priority=HIGH)
SECTION_F_SLT = R("Quantify speech and language therapy provision in section F (who, what, how often)",
                  "Section F says \"access to speech and language therapy\" without who delivers it or how often.",
                  "Section F now reads: 30 minutes a week of direct therapy by the SLT, daily practice by a trained TA.",
                  (HEALTH,), HIGH)
PFA_OUTCOMES = R("Add preparation-for-adulthood outcomes (Year 9+)",
                 "The plan of a young person in year 9 or above has no outcomes for employment, independent living, "
                 "community or health.",
                 "Four preparation-for-adulthood outcomes agreed with the young person and added at the review.",
                 (PFA,), when="pfa")
HEALTH_ADVICE = R("Request updated health advice from the community paediatrician",
                  "The health advice is more than a year old and does not reflect the recent diagnosis.",
                  "Updated advice received from the community paediatrician and added to sections C and G.",
                  (HEALTH,), HIGH)

BANK: dict[str, tuple[Remedy, ...]] = {
    "education": (
        SECTION_A,
        R("Replace \"access to support\" in the school's advice with the provision in place (who, what, how often)",
          "The setting's advice does not say what support the pupil receives, so section F cannot be written.",
          "Advice resubmitted with the provision map: 3 x 20 minutes a week of precision teaching by a trained TA."),
        R("Add attendance figures and the reasons for absence to the school's advice",
          "Attendance has fallen below 80% and the advice does not mention it.",
          "Attendance and the agreed reasons added; an attendance support plan was started with the family.",
          ("Emotionally based school non-attendance",)),
        R("Show two cycles of assess, plan, do and review in the SEN support record",
          "The SEN support plan has not been reviewed since last year.",
          "SEN support plan reviewed with the parents in October and February; both reviews are on file."),
        R("Record how the educational psychologist's recommendations are used in class",
          "The recommendations of the EP report are not reflected in the pupil's provision.",
          "Class staff briefed; the provision map links each recommendation to what is done and by whom."),
        R("Start a transition plan with the secondary school before the summer term",
          "The pupil moves to secondary school next year and no transition planning is recorded.",
          "Transition plan agreed with the receiving school: extra visits and a named key adult from September.",
          ("Transition to secondary school",)),
        PFA_OUTCOMES,
    ),
    "health": (
        HEALTH_ADVICE,
        R("Quantify speech and language therapy provision in the advice (who, what, how often)",
          "The therapy advice recommends \"regular input\" without frequency, duration or who delivers it.",
          "Advice amended: a 6-week block of weekly direct therapy each term, and a programme for school staff.",
          (HEALTH,)),
        R("Link health outcomes to the needs identified in the occupational therapy assessment",
          "The OT assessment identifies fine-motor and sensory needs that have no outcome or provision.",
          "Two health outcomes and the sensory diet were added to the advice and shared with the caseworker.",
          (HEALTH,)),
        R("Confirm that the health provision is agreed with the commissioner and say who funds it",
          "The advice recommends provision the service does not commission, with no route to agree it.",
          "The Designated Clinical Officer confirmed funding; the advice now names the provider.",
          (HEALTH,), LOW),
        R("Book the overdue review health assessment of the looked-after child",
          "The review health assessment is four months overdue and the plan's health section relies on it.",
          "Review health assessment done; its findings were shared with the social worker and the caseworker.",
          (LAC, HEALTH), HIGH, when="lac"),
    ),
    "social_care": (
        R("Complete a social care assessment and summarise the needs in section D",
          "Section D says \"no social care needs\" although the family receives short breaks.",
          "Child and family assessment completed; the social care needs are summarised for section D.",
          (CARE,), HIGH),
        R("Add the short breaks provision to section H1 with its frequency and provider",
          "Short breaks are provided under section 2 of the CSDPA 1970 but not written into section H1.",
          "Section H1 now names the overnight short breaks (2 nights a month) and the provider.",
          (CARE,)),
        R("Make sure the social worker contributes to the annual review",
          "No social care contribution was received for the last two reviews.",
          "The social worker sent a report and attended the review; both are on the case record.",
          (CARE,), LOW),
        R("Link the care plan and the personal education plan to the EHC plan outcomes",
          "The care plan, PEP and EHC plan set different targets for the same needs.",
          "Outcomes aligned at a joint meeting with the Virtual School; the PEP refers to the EHC plan outcomes.",
          (LAC, CARE), when="lac"),
        R("Record the family's views of the support at home in the social care advice",
          "The advice does not say what the parents think of the support they receive.",
          "Parents' views added after a home visit, including what they want from short breaks.",
          (CARE,), LOW),
    ),
    "plan": (
        SECTION_E,
        SECTION_F_SLT,
        SECTION_A,
        PFA_OUTCOMES,
        R("Make sure every need in section B has matching provision in section F",
          "Sensory and social communication needs in section B have no provision in section F.",
          "Section F cross-referenced to section B; the missing provision was agreed with the school."),
        R("Chase the missing health and social care advice so the plan can be finalised",
          "The draft was issued without health and social care advice, against the 6-week timescale.",
          "Both advices received; the draft was reissued to the family with them included.",
          (HEALTH, CARE), HIGH),
    ),
    "review": (
        R("Send the decision letter after the annual review within 4 weeks of the meeting",
          "The review meeting was held but no decision was sent to the family.",
          "Decision to amend the plan sent to the family and recorded on the case."),
        R("Amend the plan after the annual review to reflect the change of placement",
          "The plan still names the previous school after the move agreed at the review.",
          "Amended plan issued naming the new setting in section I."),
        R("Update section B with the assessments gathered for the review",
          "Section B describes the child as they were three years ago.",
          "Section B rewritten from the review reports and checked with the family."),
        R("Add post-16 pathway planning to the review of the young person in year 11",
          "There is no discussion of college, apprenticeship or supported internship options.",
          "Careers adviser attended; the review records the college course and the transition visits.",
          ("Post-16 pathways", PFA), when="pfa"),
    ),
    "observation": (
        R("Send the family a summary of the agreed actions within 5 working days of each meeting",
          "The observed meeting ended without a written record of who would do what.",
          "Summaries now go to families within 5 days; the team manager checked three recent ones.", (), LOW),
        R("Use the person-centred planning format so the child's voice leads the meeting",
          "The meeting was led by the professionals' reports; the young person's views came last.",
          "Person-centred planning training done; the next meeting opened with the young person's one-page profile."),
        R("Explain the family's right to request a particular school when the draft plan is sent",
          "The family did not know they could request a school for section I.",
          "The draft plan letter now explains the right; the family was called and the request recorded.", (), LOW),
    ),
    "multi_agency": (
        HEALTH_ADVICE,
        R("Convene a multi-agency meeting to agree one set of outcomes across education, health and care",
          "Each agency set its own targets and the plan does not join them up.",
          "Meeting held with school, therapy and social care; the plan's outcomes were agreed and reissued.",
          (), HIGH),
        SECTION_F_SLT,
        R("Add the short breaks provision to section H1",
          "The family receives short breaks that the plan does not record.",
          "Section H1 amended with the short breaks agreed by the Disabled Children's Team.", (CARE,)),
        SECTION_E,
        PFA_OUTCOMES,
    ),
}
# fmt: on
CANCEL_REASONS = (
    "The family moved out of the area and the case was transferred to another local authority.",
    "A duplicate of the action raised at the annual review, which is tracked there.",
)
VERIFY_NOTES = (
    "Checked the amended plan: this is done.",
    "Seen on the case record; discussed in supervision.",
    "",
)
CONCERN = (
    "The case records show a disclosure by the young person of being left alone overnight, with no "
    "record that it was passed to the designated safeguarding lead or to children's social care."
)
RESOLUTIONS = (
    "Met the SENCo and the caseworker: the plan is being redrafted with specific outcomes and quantified "
    "provision (remedial actions raised), and the case will be re-audited next half term.",
    "Strategy discussion held with children's social care the same day; a child protection plan is in place "
    "and the school's safeguarding records were reviewed by the designated safeguarding lead.",
)
