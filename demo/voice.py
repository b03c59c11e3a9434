"""The demo's voice: feedback forms, invitations after the year's annual reviews and the responses to them,
complaints and compliments, and the advocacy service's quarterly returns.

Used by `manage.py seed_demo` after the children and audits, in the same transaction. Deterministic for a seed
and a day: each part draws from its own `random.Random`, and rows are visited in a fixed order (never by primary
key). Rows are written with bulk_create, never through the per-row services, so a county seeds in seconds; nothing
is queued, so the demo sends no email and no text message.

Complaints, compliments and advocacy returns are seeded by demo/complaints.py, the words by demo/text.py.
The shape follows what the partnership would see: invitations after about three in four annual reviews held in
the last twelve months, most families given a printed handout with a QR code at the meeting (about one in four
answer it there or soon after) and the rest an email or text message (about one in twenty answer: still above
the 3-4% the field sees without handouts); answers mostly positive with some poor ones; free text in plain
phrases that name no one, a third of it tagged with themes by the SQA officer; a year of complaints (two of
them Ombudsman enquiries) and compliments for each agency; four submitted advocacy returns and a draft.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, TypeVar

from django.utils import timezone
from django.utils.text import slugify

from demo import complaints as demo_complaints
from demo.partnership import COUNCILS, DEMO_EMAIL_DOMAIN
from demo.quotas import quota_draw
from demo.text import FEEDBACK_THEMES, FREE_TEXT, Phrase
from ehcp.models import AnnualReview, Child
from feedback import tokens
from feedback.defaults import NO_NAMES
from feedback.models import (
    Audience,
    Delivery,
    FeedbackAnswer,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    MeetingKind,
    QuestionKind,
    ResponseSource,
    default_rating_options,
    yes_no_options,
)
from feedback.selectors import forms as form_selectors
from feedback.selectors.public import general_version
from feedback.services.forms import feedback_forms_seed_defaults
from qaf.models import Agency, AgencyKind, Partnership, Term, Theme, User
from qaf.terms import term_picker

BATCH_SIZE = 2000
# Invitations per child with a plan at the demo's scale (~300 for 400 children); more children, more invitations.
INVITATIONS_PER_CHILD = 0.75
# Share of invitations answered, by how they reached the family.
RESPONSE_RATES = {Delivery.HANDOUT: 0.25, Delivery.EMAIL: 0.05, Delivery.SMS: 0.05}
VALID_DAYS = 30
# General-form responses (posters, websites) per child.
GENERAL_PER_CHILD = 0.05
TAGGED_SHARE = 1 / 3
INVITED_AUDIENCES = (Audience.PARENT_CARER, Audience.YOUNG_PERSON, Audience.PROFESSIONAL)


class FormSpec(TypedDict):
    """A feedback form of the demo's own: the form, its version 1 and its questions (code, kind, text, page,
    hint)."""

    name: str
    audience: str
    description: str
    meeting_kinds: list[str]
    title: str
    intro: str
    thank_you: str
    questions: list[tuple[str, str, str, int, str]]


# A form of the partnership's own beside the defaults: for other meetings, never a default, so it is offered as
# a choice when inviting and annual reviews keep the default parent form.
MEDIATION_FORM: FormSpec = {
    "name": "Parent or carer: after a mediation meeting",
    "audience": Audience.PARENT_CARER,
    "description": "For families after a mediation meeting about their child's plan, chosen when inviting.",
    "meeting_kinds": [MeetingKind.OTHER.value],
    "title": "Tell us about the mediation meeting",
    "intro": "We would like to know how the mediation meeting went. It takes about two minutes.",
    "thank_you": "Thank you. Your answers help us make mediation work better for families.",
    "questions": [
        ("mediation_overall", QuestionKind.RATING, "How was the mediation meeting overall?", 1, ""),
        ("explained", QuestionKind.YES_NO, "Did the mediator explain how mediation works?", 1, ""),
        ("do_better", QuestionKind.FREE_TEXT, "What could have been better?", 2, NO_NAMES),
    ],
}
# How the people who answered felt: after a meeting they were invited to, and on the general form.
MOODS = {"positive": 70, "mixed": 20, "poor": 10}
GENERAL_MOODS = {"positive": 50, "mixed": 25, "poor": 25}


def _at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


T = TypeVar("T")


def _weighted(rng: random.Random, options: Mapping[T, float]) -> T:
    return rng.choices(list(options), weights=list(options.values()))[0]


class Share:
    """Yes for a share of the draws, spread at random but never far from the share whatever the day: in each run
    of BLOCK draws, exactly the share of them (rounded) say yes."""

    BLOCK = 20

    def __init__(self, rng: random.Random, share: float):
        self.rng, self.yes = rng, round(share * self.BLOCK)
        self.deck: list[bool] = []

    def draw(self) -> bool:
        if not self.deck:
            self.deck = [True] * self.yes + [False] * (self.BLOCK - self.yes)
            self.rng.shuffle(self.deck)
        return self.deck.pop()


def _moods(rng: random.Random, rows: list[Answered], weights: dict[str, int]) -> None:
    """How each person felt, in `weights`' proportions among each audience, whatever the day; the first of each
    audience who felt poor gave every scored question its lowest answer (there are always some poor ones)."""
    by_audience: dict[str, list[Answered]] = {}
    for row in rows:
        by_audience.setdefault(row.audience, []).append(row)
    for group in by_audience.values():
        for row, mood in zip(group, quota_draw(rng, len(group), weights), strict=True):
            row.mood = mood
        worst = next((row for row in group if row.mood == "poor"), None)
        if worst is not None:
            worst.lowest = True


@dataclass
class Meeting:
    review_id: int
    child_id: int
    case_reference: str
    date_of_birth: dt.date
    meeting_on: dt.date
    agency_id: int


@dataclass
class Answered:
    """An invitation (or a general-form visit) that becomes a response, and how the person felt."""

    invitation: FeedbackInvitation | None
    version: FeedbackFormVersion
    audience: str
    agency_id: int | None
    meeting_kind: str
    meeting_on: dt.date | None
    term: Term | None
    submitted_at: dt.datetime
    mood: str = ""
    lowest: bool = False  # every scored answer the lowest


def _answer_delay(rng: random.Random, *, handout: bool) -> dt.timedelta:
    """Handouts are mostly answered at the meeting or that evening; links sent later, over days."""
    if handout and rng.random() < 0.6:
        return dt.timedelta(minutes=rng.randint(5, 600))
    return dt.timedelta(hours=rng.randint(2, 24 * 20))


def _contact(n: int, audience: str, delivery: str) -> str:
    """A made-up email address (on the demo domain) or a number from Ofcom's drama range."""
    who = "professional" if audience == Audience.PROFESSIONAL else "family"
    return f"{who}.{n:05d}@{DEMO_EMAIL_DOMAIN}" if delivery == Delivery.EMAIL else f"+447700900{n % 1000:03d}"


class VoiceDemo:
    """One seeding of the voice: the partnership, the day, the scale, and a random stream per part."""

    def __init__(self, *, partnership: Partnership, seed: int, today: dt.date, children: int):
        self.partnership = partnership
        self.seed = seed
        self.today = today
        # Midnight at the start of `today`, not the clock: the same day gives the same data.
        self.now = _at(today, 0)
        self.scale = max(1.0, children / 400)
        self.children = children
        self.sqa = User.objects.filter(partnership=partnership, username="sqa").first()
        self.term_for = term_picker(partnership.pk)

    def rng(self, part: str) -> random.Random:
        return random.Random(f"qaf-voice-{self.seed}-{part}")

    # --- forms and themes --------------------------------------------------------------------------------

    def forms(self) -> dict[str, FeedbackFormVersion]:
        """The default forms (and their defaults) and the mediation form; returns the version an invitation
        after an annual review uses for each invited audience, as the invitation pages would pick it, and the
        general form's version."""
        feedback_forms_seed_defaults(partnership=self.partnership, user=self.sqa)
        self.mediation_form()
        by_audience: dict[str, FeedbackFormVersion] = {
            audience: form_selectors.invitation_version(
                partnership_id=self.partnership.pk, audience=audience, meeting_kind=MeetingKind.ANNUAL_REVIEW
            )
            for audience in INVITED_AUDIENCES
        }
        general = general_version(partnership_slug=self.partnership.slug)
        if general is not None:
            by_audience[Audience.PUBLIC] = general
        self.questions = {
            v.pk: list(FeedbackQuestion.objects.filter(version=v).order_by("page", "order", "pk"))
            for v in by_audience.values()
        }
        return by_audience

    def mediation_form(self) -> None:
        """MEDIATION_FORM with an approved version 1, unless the partnership has it already."""
        spec = MEDIATION_FORM
        form, created = FeedbackForm.objects.get_or_create(
            partnership=self.partnership,
            name=spec["name"],
            defaults={
                "audience": spec["audience"],
                "description": spec["description"],
                "meeting_kinds": spec["meeting_kinds"],
            },
        )
        if not created:
            return
        version = FeedbackFormVersion.objects.create(
            form=form,
            number=1,
            status=FormVersionStatus.APPROVED,
            title=spec["title"],
            intro=spec["intro"],
            thank_you=spec["thank_you"],
            created_by=self.sqa,
            approved_by=self.sqa,
            approved_at=self.now,
        )
        options: dict[str, Callable[[], list[dict[str, Any]]]] = {
            QuestionKind.RATING: default_rating_options,
            QuestionKind.YES_NO: yes_no_options,
        }
        FeedbackQuestion.objects.bulk_create(
            FeedbackQuestion(
                version=version,
                code=code,
                kind=kind,
                text=text,
                page=page,
                order=order,
                hint=hint,
                options=options[kind]() if kind in options else [],
                required=kind != QuestionKind.FREE_TEXT,
            )
            for order, (code, kind, text, page, hint) in enumerate(spec["questions"], start=1)
        )

    def themes(self) -> dict[str, int]:
        existing = set(Theme.objects.filter(partnership=self.partnership).values_list("slug", flat=True))
        Theme.objects.bulk_create(
            Theme(partnership=self.partnership, name=name, slug=slugify(name), description=description)
            for name, description in FEEDBACK_THEMES
            if slugify(name) not in existing
        )
        return dict(Theme.objects.filter(partnership=self.partnership).values_list("slug", "pk"))

    # --- invitations -------------------------------------------------------------------------------------

    def meetings(self) -> list[Meeting]:
        """Annual reviews held in the last twelve months, each with the agency that held it: the child's school
        or college, else the council's statutory assessment team."""
        start = self.today - dt.timedelta(days=365)
        reviews = list(
            AnnualReview.objects.filter(
                child__partnership=self.partnership, meeting_on__gte=start, meeting_on__lt=self.today
            )
            .order_by("meeting_on", "child__case_reference")
            .values_list("pk", "child_id", "child__case_reference", "child__date_of_birth", "meeting_on")
        )
        settings: dict[int, int] = {}
        for child_id, agency_id in (
            Child.agencies.through.objects.filter(
                child__partnership=self.partnership, agency__kind=AgencyKind.EDUCATION
            )
            .order_by("child_id", "agency__name")
            .values_list("child_id", "agency_id")
        ):
            settings.setdefault(child_id, agency_id)
        sats = {
            prefix: agency_id
            for prefix, agency_id in (
                (
                    c.prefix,
                    Agency.objects.filter(partnership=self.partnership, kind=AgencyKind.SAT, council=c.name)
                    .values_list("pk", flat=True)
                    .first(),
                )
                for c in COUNCILS
            )
        }
        fallback = next(iter(v for v in sats.values() if v), None)
        meetings = []
        for pk, child_id, ref, dob, meeting_on in reviews:
            held_by = settings.get(child_id) or sats.get(ref[:3]) or fallback
            if meeting_on is None or held_by is None:
                raise ValueError(f"The review {pk} has no meeting date, or no agency that held it")
            meetings.append(Meeting(pk, child_id, ref, dob, meeting_on, held_by))
        return meetings

    def invitations(
        self, versions: dict[str, FeedbackFormVersion]
    ) -> tuple[list[FeedbackInvitation], list[Answered]]:
        """Invitations (not yet written) after a sample of the year's reviews: the parent or carer always, the
        young person (aged 7 or more) often, a professional sometimes; and those that were answered."""
        rng = self.rng("invitations")
        self.answering: dict[str, Share] = {
            delivery: Share(rng, rate) for delivery, rate in RESPONSE_RATES.items()
        }
        meetings = self.meetings()
        target = round(INVITATIONS_PER_CHILD * self.children)
        chosen = [m for m in meetings if rng.random() < min(1.0, target / 1.8 / max(1, len(meetings)))]
        rows: list[FeedbackInvitation] = []
        answered: list[Answered] = []
        n = 0
        for meeting in chosen:
            age = (meeting.meeting_on - meeting.date_of_birth).days // 365
            recipients = [
                (
                    Audience.PARENT_CARER,
                    _weighted(rng, {Delivery.HANDOUT: 50, Delivery.EMAIL: 35, Delivery.SMS: 15}),
                )
            ]
            if age >= 7 and rng.random() < 0.6:
                recipients.append(
                    (Audience.YOUNG_PERSON, Delivery.HANDOUT if rng.random() < 0.8 else Delivery.EMAIL)
                )
            if rng.random() < 0.35:
                recipients.append((Audience.PROFESSIONAL, Delivery.EMAIL))
            for audience, delivery in recipients:
                n += 1
                invitation, response = self.invitation(
                    rng, n, meeting, versions[audience], audience, delivery
                )
                rows.append(invitation)
                if response:
                    answered.append(response)
        _moods(rng, answered, MOODS)
        return rows, answered

    def invitation(
        self, rng: random.Random, n: int, meeting: Meeting, version, audience: str, delivery: str
    ) -> tuple[FeedbackInvitation, Answered | None]:
        handout = delivery == Delivery.HANDOUT
        created = self._created_at(rng, meeting, handout=handout)
        expires = created + dt.timedelta(days=VALID_DAYS)
        term = self.term_for(meeting.meeting_on)
        invitation = FeedbackInvitation(
            partnership=self.partnership,
            version=version,
            audience=audience,
            agency_id=meeting.agency_id,
            child_id=meeting.child_id,
            review_id=meeting.review_id,
            meeting_kind=MeetingKind.ANNUAL_REVIEW,
            meeting_on=meeting.meeting_on,
            term=term,
            delivery=delivery,
            created_by=self.sqa,
            created_at=created,
            expires_at=expires,
        )
        if not handout:
            if rng.random() < 0.02:
                invitation.send_error = "The mail server refused the email address."
            else:
                invitation.sent_at = created
        responded = created + _answer_delay(rng, handout=handout)
        answers = (
            self.answering[delivery].draw()
            and not invitation.send_error
            and responded < min(expires, self.now)
        )
        withdrawn = not answers and rng.random() < 0.01
        response = None
        if answers:
            invitation.responded_at = responded
            if invitation.sent_at and responded > invitation.sent_at + dt.timedelta(days=7):
                invitation.reminded_at = invitation.sent_at + dt.timedelta(days=7)
            response = Answered(
                invitation,
                version,
                audience,
                meeting.agency_id,
                MeetingKind.ANNUAL_REVIEW,
                meeting.meeting_on,
                term,
                responded,
            )
        elif withdrawn:
            invitation.withdrawn_at = created + dt.timedelta(days=1)
        elif invitation.sent_at and invitation.sent_at + dt.timedelta(days=7) < min(expires, self.now):
            invitation.reminded_at = invitation.sent_at + dt.timedelta(days=7)
        # The contact is kept only while a reminder may still be sent; answered, withdrawn and expired ones lose it.
        if not handout and not answers and not withdrawn and expires > self.now:
            invitation.contact = _contact(n, audience, delivery)
        return invitation, response

    def _created_at(self, rng: random.Random, meeting: Meeting, *, handout: bool) -> dt.datetime:
        """When an invitation was made: a handout at the meeting, a link up to two days after it."""
        created = _at(meeting.meeting_on, rng.randint(9, 15), rng.randrange(60)) + dt.timedelta(
            days=0 if handout else rng.randint(0, 2)
        )
        return min(created, self.now - dt.timedelta(hours=1))

    def general(self, version: FeedbackFormVersion, agencies: list[int]) -> list[Answered]:
        rng = self.rng("general")
        rows = []
        for _ in range(round(GENERAL_PER_CHILD * self.children)):
            day = self.today - dt.timedelta(days=rng.randint(1, 365))
            rows.append(
                Answered(
                    None,
                    version,
                    Audience.PUBLIC,
                    rng.choice(agencies) if rng.random() < 0.6 else None,
                    "",
                    None,
                    self.term_for(day),
                    _at(day, rng.randint(7, 22), rng.randrange(60)),
                )
            )
        _moods(rng, rows, GENERAL_MOODS)
        return rows

    # --- responses and answers ---------------------------------------------------------------------------

    def answer(
        self, rng: random.Random, audience: str, question: FeedbackQuestion, mood: str, lowest: bool = False
    ) -> tuple[list[str], str, Phrase | None]:
        """(values, text, phrase) for one question; ([], "", None) when left unanswered. With `lowest`, a scored
        question gets its lowest answer."""
        if question.kind == QuestionKind.FREE_TEXT:
            bank = FREE_TEXT[(audience, question.code)]
            share = bank["share"][mood]
            if not question.required and rng.random() >= share:
                return [], "", None
            phrase = rng.choice(bank[mood] or bank["mixed"])
            return [], phrase.text, phrase
        options = question.options
        if question.kind == QuestionKind.CHOOSE_SEVERAL:
            return [o["value"] for o in rng.sample(options, rng.randint(1, min(3, len(options))))], "", None
        scored = sorted((o for o in options if o.get("score") is not None), key=lambda o: -o["score"])
        if not scored:
            return [rng.choice(options)["value"]], "", None
        if lowest:
            return [scored[-1]["value"]], "", None
        unscored = [o for o in options if o.get("score") is None]
        if unscored and rng.random() < 0.1:
            return [unscored[0]["value"]], "", None
        weights = {
            "positive": [60, 35, 5, 0],
            "mixed": [15, 50, 30, 5],
            "poor": [0, 10, 40, 50],
        }[mood]
        if len(scored) == 2:  # yes or no
            weights = {"positive": [90, 10], "mixed": [60, 40], "poor": [30, 70]}[mood]
        elif len(scored) == 3:
            weights = {"positive": [75, 22, 3], "mixed": [25, 55, 20], "poor": [5, 35, 60]}[mood]
        choice = rng.choices(scored, weights=weights[: len(scored)])[0]
        return [choice["value"]], "", None

    def _answers_draw(
        self,
        rng: random.Random,
        response: FeedbackResponse,
        row: Answered,
        answers: list[FeedbackAnswer],
        phrases: list[Phrase | None],
    ) -> bool:
        """Add a response's answers (and the phrase each text came from) to `answers` and `phrases`; returns
        whether a rating was the lowest on its scale."""
        lowest = False
        for question in self.questions[row.version.pk]:
            values, text, phrase = self.answer(rng, row.version.form.audience, question, row.mood, row.lowest)
            if not values and not text:
                continue
            score = question.score_for(values[0]) if values and question.is_scored else None
            if question.kind == QuestionKind.RATING and score is not None:
                lowest |= score == min(o["score"] for o in question.options if o.get("score") is not None)
            answers.append(
                FeedbackAnswer(response=response, question=question, values=values, text=text, score=score)
            )
            phrases.append(phrase)
        return lowest

    def responses(self, answered: list[Answered], themes: dict[str, int]) -> dict[str, int]:
        rng = self.rng("answers")
        responses = []
        for row in answered:
            responses.append(
                FeedbackResponse(
                    partnership=self.partnership,
                    version=row.version,
                    invitation=row.invitation,
                    source=ResponseSource.INVITATION if row.invitation else ResponseSource.GENERAL,
                    audience=row.audience,
                    agency_id=row.agency_id,
                    meeting_kind=row.meeting_kind,
                    meeting_on=row.meeting_on,
                    term=row.term,
                    submission_key=f"{rng.getrandbits(128):032x}",
                    submitted_at=row.submitted_at,
                )
            )
        FeedbackResponse.objects.bulk_create(responses, batch_size=BATCH_SIZE)
        answers: list[FeedbackAnswer] = []
        phrases: list[Phrase | None] = []
        for response, row in zip(responses, answered, strict=True):
            lowest = self._answers_draw(rng, response, row, answers, phrases)
            if lowest and response.agency_id:
                # The agency's managers were told at the time; the demo does not tell them again.
                response.alerted_at = response.submitted_at + dt.timedelta(minutes=2)
        FeedbackResponse.objects.bulk_update(
            [r for r in responses if r.alerted_at], ["alerted_at"], batch_size=BATCH_SIZE
        )
        tagged = []
        texts = [i for i, phrase in enumerate(phrases) if phrase is not None]
        chosen = set(rng.sample(texts, round(TAGGED_SHARE * len(texts))))
        for index, (answer, phrase) in enumerate(zip(answers, phrases, strict=True)):
            if phrase is not None and index in chosen:
                answer.tagged_by = self.sqa
                answer.tagged_at = min(
                    answer.response.submitted_at + dt.timedelta(days=rng.randint(1, 20)), self.now
                )
                tagged.append((answer, phrase))
        FeedbackAnswer.objects.bulk_create(answers, batch_size=BATCH_SIZE)
        through = FeedbackAnswer.themes.through
        through.objects.bulk_create(
            (
                through(feedbackanswer_id=answer.pk, theme_id=themes[slug])
                for answer, phrase in tagged
                for slug in phrase.themes
                if slug in themes
            ),
            batch_size=BATCH_SIZE,
        )
        return {"feedback responses": len(responses), "feedback answers": len(answers)}


def seed_feedback(*, partnership: Partnership, seed: int, today: dt.date, children: int) -> dict[str, int]:
    """Seed the demo partnership's voice (see the module's docstring). Callers hold a transaction; nothing is sent
    and nothing queued. Returns counts for the command's summary."""
    demo = VoiceDemo(partnership=partnership, seed=seed, today=today, children=children)
    versions = demo.forms()
    themes = demo.themes()
    invitations, answered = demo.invitations(versions)
    for invitation, code in zip(invitations, tokens.short_codes_new(len(invitations)), strict=True):
        invitation.short_code = code
    FeedbackInvitation.objects.bulk_create(invitations, batch_size=BATCH_SIZE)
    agencies = sorted({i.agency_id for i in invitations})
    general = (
        demo.general(versions[Audience.PUBLIC], agencies) if agencies and Audience.PUBLIC in versions else []
    )
    forms = FeedbackForm.objects.filter(partnership=partnership).count()
    counts = {"feedback forms": forms, "feedback invitations": len(invitations)}
    counts.update(demo.responses(answered + general, themes))
    counts.update(demo_complaints.complaints_seed(demo, themes))
    counts.update(demo_complaints.advocacy_seed(demo))
    return counts
