"""The feedback forms every partnership starts with. Each takes under two minutes: at most seven questions, most
of them one tap, and free text always optional except on the general form (which exists to hear it).

Free-text hints ask people not to write names: the forms never ask for personal data.

The forms for families and professionals are for every kind of meeting (`meeting_kinds`) and become the default
for each (`default`) unless the partnership already has one; the staff survey becomes the default staff survey.
The `title` is what respondents see; the `name` is for staff only.
"""

from __future__ import annotations

from collections.abc import Callable

from feedback.models import FORM_MEETING_KINDS, Audience, QuestionKind, default_rating_options, yes_no_options

EVERY_MEETING = [kind.value for kind in FORM_MEETING_KINDS]
NO_NAMES = "Do not include names or anything that could identify your child or family."
PIC = "feedback/easy-read/"


def _faces(good: str, middle: str, bad: str) -> list[dict]:
    return [
        {
            "value": "good",
            "label": good,
            "score": 3,
            "image": PIC + "face-happy.svg",
            "image_alt": "A smiling face",
        },
        {
            "value": "ok",
            "label": middle,
            "score": 2,
            "image": PIC + "face-ok.svg",
            "image_alt": "A face with a straight mouth",
        },
        {"value": "bad", "label": bad, "score": 1, "image": PIC + "face-sad.svg", "image_alt": "A sad face"},
    ]


def _yes_no_pictures() -> list[dict]:
    return [
        {"value": "yes", "label": "Yes", "score": 1, "image": PIC + "yes.svg", "image_alt": "A tick"},
        {"value": "no", "label": "No", "score": 0, "image": PIC + "no.svg", "image_alt": "A cross"},
    ]


def _q(
    code: str,
    kind: str,
    text: str,
    *,
    page: int = 1,
    hint: str = "",
    options: list[dict] | None = None,
    required: bool = True,
    image: str = "",
    image_alt: str = "",
) -> dict:
    if options is None:
        scored: dict[str, Callable[[], list[dict]]] = {
            QuestionKind.RATING: default_rating_options,
            QuestionKind.YES_NO: yes_no_options,
        }
        options = scored[kind]() if kind in scored else []
    return {
        "code": code,
        "kind": kind,
        "text": text,
        "page": page,
        "hint": hint,
        "options": options,
        "required": required,
        "image": image,
        "image_alt": image_alt,
    }


LISTENED = [
    {"value": "completely", "label": "Yes, completely", "score": 3},
    {"value": "partly", "label": "Partly", "score": 2},
    {"value": "no", "label": "No", "score": 1},
]
HOW_WELL = [
    {"value": "very_well", "label": "Very well", "score": 4},
    {"value": "well", "label": "Well", "score": 3},
    {"value": "not_well", "label": "Not well", "score": 2},
    {"value": "not_at_all", "label": "Not at all", "score": 1},
]
CONFIDENCE = [
    {"value": "very", "label": "Very confident", "score": 4},
    {"value": "confident", "label": "Confident", "score": 3},
    {"value": "not_very", "label": "Not very confident", "score": 2},
    {"value": "not", "label": "Not confident", "score": 1},
]


DEFAULT_FORMS: list[dict] = [
    {
        "name": "Parent or carer: after a meeting",
        "audience": Audience.PARENT_CARER,
        "easy_read": False,
        "meeting_kinds": EVERY_MEETING,
        "default": True,
        "description": "Sent to parents and carers after an EHC planning meeting or an annual review.",
        "title": "Tell us about the meeting",
        "intro": (
            "We would like to know how the meeting about your child's education, health and care plan went. "
            "It takes about two minutes. We do not ask for your name, and your answers help us improve."
        ),
        "thank_you": "Thank you. Your answers have been sent to the team that held the meeting.",
        "questions": [
            _q("meeting_overall", QuestionKind.RATING, "How good was the meeting overall?"),
            _q("listened", QuestionKind.RATING, "Did you feel listened to?", options=LISTENED),
            _q(
                "papers_in_time",
                QuestionKind.YES_NO,
                "Did you get the reports and papers at least two weeks before the meeting?",
            ),
            _q(
                "child_views",
                QuestionKind.RATING,
                "How well were your child's views and wishes included?",
                options=HOW_WELL,
            ),
            _q("next_steps", QuestionKind.YES_NO, "Do you know what will happen next?", page=2),
            _q("went_well", QuestionKind.FREE_TEXT, "What went well?", page=2, hint=NO_NAMES, required=False),
            _q(
                "do_better",
                QuestionKind.FREE_TEXT,
                "What could we do better?",
                page=2,
                hint=NO_NAMES,
                required=False,
            ),
        ],
    },
    {
        "name": "Child or young person: easy read",
        "audience": Audience.YOUNG_PERSON,
        "easy_read": True,
        "meeting_kinds": EVERY_MEETING,
        "default": True,
        "description": "Easy read, one question to a page, with pictures. For children and young people after "
        "their meeting.",
        "title": "Your meeting",
        "intro": "We want to know what you thought about your meeting. There are 4 short questions. "
        "You do not need to write your name.",
        "thank_you": "Thank you for telling us.",
        "questions": [
            _q(
                "meeting_feel",
                QuestionKind.RATING,
                "How did the meeting feel?",
                page=1,
                options=_faces("Good", "OK", "Not good"),
                image=PIC + "meeting.svg",
                image_alt="People sitting round a table at a meeting",
            ),
            _q(
                "listened",
                QuestionKind.YES_NO,
                "Did people listen to you?",
                page=2,
                options=_yes_no_pictures(),
                image=PIC + "listen.svg",
                image_alt="An ear, for listening",
            ),
            _q(
                "said_it",
                QuestionKind.RATING,
                "Did you say what you wanted to say?",
                page=3,
                options=_faces("Yes", "A bit", "No"),
                image=PIC + "speech.svg",
                image_alt="A speech bubble",
            ),
            _q(
                "tell_us",
                QuestionKind.FREE_TEXT,
                "Is there anything else you want to tell us?",
                page=4,
                hint="You can leave this empty. Do not write your name.",
                required=False,
                image=PIC + "pencil.svg",
                image_alt="A pencil",
            ),
        ],
    },
    {
        "name": "Professional: after a meeting",
        "audience": Audience.PROFESSIONAL,
        "easy_read": False,
        "meeting_kinds": EVERY_MEETING,
        "default": True,
        "description": "For professionals who attended an EHC planning meeting or annual review.",
        "title": "Feedback on the meeting",
        "intro": "Tell us how the meeting went for you. It takes about two minutes and is anonymous.",
        "thank_you": "Thank you. Your feedback goes to the partnership's quality assurance team.",
        "questions": [
            _q(
                "role",
                QuestionKind.CHOOSE_ONE,
                "Which service do you work for?",
                options=[
                    {"value": "education", "label": "An education setting or service"},
                    {"value": "health", "label": "Health"},
                    {"value": "social_care", "label": "Social care"},
                    {"value": "other", "label": "Another service"},
                ],
            ),
            _q("well_run", QuestionKind.RATING, "How well was the meeting run?"),
            _q("papers_in_time", QuestionKind.YES_NO, "Were reports shared in good time before the meeting?"),
            _q(
                "advice_used",
                QuestionKind.RATING,
                "How well was your advice reflected in the plan?",
                options=[*HOW_WELL, {"value": "no_advice", "label": "I did not give advice", "score": None}],
            ),
            _q(
                "improve",
                QuestionKind.FREE_TEXT,
                "What one thing would have made the meeting better?",
                hint=NO_NAMES,
                required=False,
            ),
        ],
    },
    {
        "name": "Staff survey: quality of EHC plans",
        "audience": Audience.STAFF,
        "easy_read": False,
        "meeting_kinds": [],
        "default": True,
        "description": "A periodic survey of staff who write or contribute to EHC plans.",
        "title": "Staff survey",
        "intro": "This short survey helps the partnership plan training and support. It is anonymous.",
        "thank_you": "Thank you for taking part.",
        "questions": [
            _q(
                "outcomes_confidence",
                QuestionKind.RATING,
                "How confident are you writing outcomes that are specific and measurable?",
                options=CONFIDENCE,
            ),
            _q(
                "provision_confidence",
                QuestionKind.RATING,
                "How confident are you specifying provision (who, what, how often)?",
                options=CONFIDENCE,
            ),
            _q(
                "qa_helps",
                QuestionKind.YES_NO,
                "Does the quality assurance feedback you get help your practice?",
            ),
            _q(
                "training",
                QuestionKind.CHOOSE_SEVERAL,
                "Which training would help you?",
                hint="Select all that apply.",
                required=False,
                options=[
                    {"value": "outcomes", "label": "Writing outcomes"},
                    {"value": "provision", "label": "Specifying provision in section F"},
                    {"value": "views", "label": "Capturing children's views"},
                    {"value": "pfa", "label": "Preparing for adulthood"},
                    {"value": "health_care", "label": "Health and social care advice"},
                ],
            ),
            _q("comments", QuestionKind.FREE_TEXT, "Anything else?", hint=NO_NAMES, required=False),
        ],
    },
    {
        "name": "General feedback",
        "audience": Audience.PUBLIC,
        "easy_read": False,
        "meeting_kinds": [],
        "default": False,
        "description": "The open form for posters and websites: anyone can use it, no link needed.",
        "title": "Give feedback about SEND services",
        "intro": "Tell us about your experience of special educational needs and disabilities (SEND) services. "
        "We do not ask for your name. If you need a reply, contact the service directly.",
        "thank_you": "Thank you. Your feedback has been sent to the partnership's quality assurance team.",
        "questions": [
            _q(
                "who",
                QuestionKind.CHOOSE_ONE,
                "Who are you?",
                options=[
                    {"value": "parent_carer", "label": "A parent or carer"},
                    {"value": "young_person", "label": "A child or young person"},
                    {"value": "professional", "label": "A professional"},
                    {"value": "other", "label": "Someone else"},
                ],
            ),
            _q("experience", QuestionKind.RATING, "How would you rate your experience?"),
            _q("tell_us", QuestionKind.FREE_TEXT, "Tell us about your experience", hint=NO_NAMES),
        ],
    },
]
