"""The words the demo's voice uses (demo/voice.py): free-text answers, complaints, compliments and advocacy
returns. Plain phrases of the kind families and staff write, naming no one: no child, parent or worker."""

from __future__ import annotations

from dataclasses import dataclass

# Themes the SQA officer tags feedback with, added to the partnership's own (name, description).
FEEDBACK_THEMES = [
    ("Communication with families", "Keeping families informed, returning calls, explaining decisions."),
    ("Meetings and paperwork", "How meetings are run, and reports shared in good time before them."),
    ("Children's and young people's voice", "Children's views, wishes and aspirations heard and recorded."),
    ("Waiting times and delays", "Waiting for assessments, therapy, plans and decisions."),
    ("Support and provision", "The support in the plan, and whether it is delivered."),
]

COMMS = "communication-with-families"
MEETINGS = "meetings-and-paperwork"
VOICE = "childrens-and-young-peoples-voice"
WAITING = "waiting-times-and-delays"
SUPPORT = "support-and-provision"
TRANSITION = "transition-to-secondary-school"
PFA = "preparation-for-adulthood"
POST16 = "post-16-pathways"
HEALTH = "quality-of-health-advice"
CARE = "social-care-contributions"
EBSNA = "emotionally-based-school-non-attendance"


@dataclass(frozen=True)
class Phrase:
    text: str
    themes: tuple[str, ...] = ()
    learning: str = ""


def _p(text: str, *themes: str) -> Phrase:
    return Phrase(text, themes)


WENT_WELL = [
    _p("Everyone had read the reports before the meeting, so we did not have to repeat our story.", MEETINGS),
    _p("The SENCo explained every part of the plan and checked we understood.", COMMS),
    _p("My child's views were read out at the start and everyone referred back to them.", VOICE),
    _p("The meeting started on time and finished when they said it would.", MEETINGS),
    _p("It felt like a team working together rather than us against the school.", COMMS),
    _p("The speech and language therapist joined by video, which meant the advice was up to date.", HEALTH),
    _p("We talked about college and what support will be needed after year 11.", PFA, POST16),
    _p("Clear actions were agreed with dates and who is responsible for each one.", MEETINGS),
    _p("Staff know my child well and it showed in how they described the progress made.", SUPPORT),
    _p("They listened to our worries about moving to secondary school and planned visits.", TRANSITION),
    _p("The room was quiet and my child could leave when it got too much.", VOICE),
    _p("The caseworker rang beforehand to ask what we wanted to talk about.", COMMS),
    _p("The targets in the plan were updated so they now make sense for this year.", SUPPORT),
]

DO_BETTER = [
    _p("We only received the reports the night before, so there was no time to read them.", MEETINGS),
    _p("Nobody from health came and their advice is over two years old.", HEALTH),
    _p("We are still waiting for the amended plan from last year's review.", WAITING),
    _p("Please send the minutes sooner; last time they took weeks to arrive.", MEETINGS, WAITING),
    _p("The support in section F is not happening every week as it says in the plan.", SUPPORT),
    _p("It would help to have one person to contact instead of being passed around.", COMMS),
    _p("My child was not asked for their views before the meeting.", VOICE),
    _p("Social care were not at the meeting even though they are involved with our family.", CARE),
    _p("There was too much jargon and I did not understand the decisions.", COMMS),
    _p("Nobody talked about what happens after school and we are worried about next year.", PFA, POST16),
    _p(
        "Attendance has dropped because of anxiety and the plan does not say how this will be supported.",
        EBSNA,
    ),
    _p("The meeting was rushed and we ran out of time to discuss therapy.", MEETINGS, HEALTH),
    _p("We waited months for a therapy assessment that was promised at the last review.", WAITING, HEALTH),
]

YOUNG_PERSON_GOOD = [
    _p("I liked that I could say what I am good at.", VOICE),
    _p("People listened to me.", VOICE),
    _p("I want to do more art and they said yes.", VOICE, SUPPORT),
    _p("It was good that my teacher helped me say things.", VOICE),
    _p("I liked talking about college.", PFA),
]
YOUNG_PERSON_BAD = [
    _p("There were too many people in the room.", MEETINGS),
    _p("It was too long and boring.", MEETINGS),
    _p("Nobody asked me what I wanted.", VOICE),
    _p("I still do not get help in maths.", SUPPORT),
    _p("I was worried about going to the new school and we did not talk about it.", TRANSITION),
]

PROFESSIONAL = [
    _p("Reports from all agencies circulated two weeks before would let us prepare properly.", MEETINGS),
    _p("A shorter agenda focused on outcomes would make better use of everyone's time.", MEETINGS),
    _p("The health advice requested was not on the agenda, so it was not discussed.", HEALTH),
    _p("Joining by video worked well; please keep offering it.", MEETINGS),
    _p("Social care should be invited when a child is known to the disabled children's team.", CARE),
    _p("The young person's views were captured well before the meeting.", VOICE),
    _p("Outcomes still need to be made specific and measurable after the review.", SUPPORT),
    _p("Preparation for adulthood outcomes were missing for a young person in year 10.", PFA),
]

STAFF = [
    _p("More time to write plans well would improve quality more than more training.", SUPPORT),
    _p("Examples of good outcomes for each need would help.", SUPPORT),
    _p("The audit feedback was useful and specific.", MEETINGS),
]

GENERAL_GOOD = [
    _p("The SEND information, advice and support service helped us understand the process.", COMMS),
    _p("Our caseworker has been kind and always returns calls.", COMMS),
    _p("The new school has made a real difference since the plan was amended.", SUPPORT),
]
GENERAL_BAD = [
    _p("We have waited far longer than twenty weeks for a final plan.", WAITING),
    _p("Emails to the team go unanswered for weeks.", COMMS, WAITING),
    _p("Transport was not arranged for the start of term.", SUPPORT),
    _p("It is hard to find out who is responsible for the support in the plan.", COMMS, SUPPORT),
    _p("Our child has not been in school for a term and nobody has called back.", EBSNA, COMMS),
]

# Free text by (audience, question code): the phrases for each mood, and how often each mood writes any.
FREE_TEXT: dict[tuple[str, str], dict] = {
    ("parent_carer", "went_well"): {
        "positive": WENT_WELL,
        "mixed": WENT_WELL,
        "poor": WENT_WELL[:4],
        "share": {"positive": 0.5, "mixed": 0.35, "poor": 0.15},
    },
    ("parent_carer", "do_better"): {
        "positive": DO_BETTER[:5],
        "mixed": DO_BETTER,
        "poor": DO_BETTER,
        "share": {"positive": 0.15, "mixed": 0.5, "poor": 0.75},
    },
    ("young_person", "tell_us"): {
        "positive": YOUNG_PERSON_GOOD,
        "mixed": YOUNG_PERSON_GOOD + YOUNG_PERSON_BAD,
        "poor": YOUNG_PERSON_BAD,
        "share": {"positive": 0.3, "mixed": 0.3, "poor": 0.4},
    },
    ("professional", "improve"): {
        "positive": PROFESSIONAL,
        "mixed": PROFESSIONAL,
        "poor": PROFESSIONAL,
        "share": {"positive": 0.3, "mixed": 0.45, "poor": 0.6},
    },
    ("staff", "comments"): {
        "positive": STAFF,
        "mixed": STAFF,
        "poor": STAFF,
        "share": {"positive": 0.2, "mixed": 0.3, "poor": 0.4},
    },
    ("public", "tell_us"): {
        "positive": GENERAL_GOOD,
        "mixed": GENERAL_GOOD + GENERAL_BAD,
        "poor": GENERAL_BAD,
        "share": {"positive": 1.0, "mixed": 1.0, "poor": 1.0},
    },
}
