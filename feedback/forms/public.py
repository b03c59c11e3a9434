"""Reading the public feedback pages' posts and preparing their questions for the templates.

The rules an answer must meet live in feedback.services.responses.answers_validate; this module only turns a
POST into the shape it takes, and answers and errors back into what a GOV.UK question page shows. The general
form's spam guard (a honeypot field and a signed start time) is here too.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core import signing
from django.http import QueryDict

from feedback.models import FREE_TEXT_MAX_LENGTH, FeedbackQuestion, QuestionKind
from qaf.models import Agency

HONEYPOT_FIELD = "website"
STARTED_FIELD = "started"
KEY_FIELD = "submission_key"
AGENCY_FIELD = "agency"
NOT_SURE = "not_sure"

# A person takes longer than this to read and answer the general form; a script does not.
MIN_SECONDS = 3
# A general form left open longer than this is shown again to be checked and sent.
MAX_SECONDS = 24 * 60 * 60
_STARTED_SALT = "qaf.feedback.general.started"
_KEY_SHAPE = re.compile(r"^[0-9a-f]{32}$")


def new_submission_key() -> str:
    return uuid.uuid4().hex


def submission_key_valid(key: str) -> bool:
    return isinstance(key, str) and bool(_KEY_SHAPE.match(key))


def answers_from_post(questions: Iterable[FeedbackQuestion], post: QueryDict) -> dict[str, Any]:
    """The raw answers a page posted, keyed by question code: a list for choose-several, else a string.
    Line breaks are counted as one character, as the character count shows them."""
    raw: dict[str, Any] = {}
    for question in questions:
        if question.kind == QuestionKind.CHOOSE_SEVERAL:
            raw[question.code] = post.getlist(question.code)
        else:
            value = post.get(question.code, "")
            if question.kind == QuestionKind.FREE_TEXT:
                value = value.replace("\r\n", "\n").replace("\r", "\n")
            raw[question.code] = value
    return raw


@dataclass
class OptionView:
    value: str
    label: str
    id: str
    checked: bool
    image: str = ""
    image_alt: str = ""


@dataclass
class QuestionView:
    """One question as a GOV.UK component needs it: ids, the answer so far, the error and the options."""

    question: FeedbackQuestion
    id: str
    label: str
    value: str = ""
    error: str = ""
    options: list[OptionView] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def name(self) -> str:
        return self.question.code

    @property
    def hint(self) -> str:
        return self.question.hint

    @property
    def max_length(self) -> int:
        return FREE_TEXT_MAX_LENGTH

    @property
    def has_pictures(self) -> bool:
        return any(option.image for option in self.options)

    @property
    def input_type(self) -> str:
        """The type of the options' inputs, to go with `options_component`."""
        return "checkbox" if self.kind == QuestionKind.CHOOSE_SEVERAL else "radio"

    @property
    def options_component(self) -> str:
        """The GOV.UK component the options are: checkboxes where several may be chosen, radios otherwise."""
        return "checkboxes" if self.kind == QuestionKind.CHOOSE_SEVERAL else "radios"

    @property
    def describedby(self) -> str:
        ids = []
        if self.kind == QuestionKind.FREE_TEXT:
            ids.append(f"{self.id}-info")
        if self.hint:
            ids.append(f"{self.id}-hint")
        if self.error:
            ids.append(f"{self.id}-error")
        return " ".join(ids)


def question_views(
    questions: Iterable[FeedbackQuestion],
    answers: Mapping[str, Any],
    errors: Mapping[str, str] | None = None,
    *,
    mark_optional: bool = True,
) -> list[QuestionView]:
    """Questions with their answers so far (cleaned or as posted) and errors, ready for the page template."""
    errors = errors or {}
    views = []
    for question in questions:
        answer = answers.get(question.code)
        chosen = set(answer) if isinstance(answer, list) else {answer} if isinstance(answer, str) else set()
        base_id = f"q-{question.code}"
        label = question.text
        if mark_optional and not question.required:
            label = f"{label} (optional)"
        view = QuestionView(question=question, id=base_id, label=label, error=errors.get(question.code, ""))
        if question.kind == QuestionKind.FREE_TEXT:
            view.value = answer if isinstance(answer, str) else ""
        for number, option in enumerate(question.options, start=1):
            view.options.append(
                OptionView(
                    value=str(option["value"]),
                    label=str(option["label"]),
                    id=base_id if number == 1 else f"{base_id}-{number}",
                    checked=str(option["value"]) in chosen,
                    image=str(option.get("image") or ""),
                    image_alt=str(option.get("image_alt") or ""),
                )
            )
        views.append(view)
    return views


def answer_display(question: FeedbackQuestion, answer: Any) -> list[str]:
    """The answer as the lines the check-answers page shows (labels for choices, the text as typed)."""
    if answer in (None, "", []):
        return []
    if question.kind == QuestionKind.FREE_TEXT:
        return [str(answer)]
    values = answer if isinstance(answer, list) else [answer]
    return [question.label_for(value) for value in values]


# --- The general form's guard ------------------------------------------------------------------------------


def started_token(partnership_slug: str, now: float | None = None) -> str:
    """A signed record of when the general form was shown, and for which partnership."""
    return signing.dumps(
        {"p": partnership_slug, "t": now if now is not None else time.time()}, salt=_STARTED_SALT
    )


def started_age(token: str, partnership_slug: str) -> float | None:
    """Seconds since the form carrying `token` was shown, or None when the token is missing, edited or for
    another partnership."""
    try:
        value = signing.loads(token or "", salt=_STARTED_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or value.get("p") != partnership_slug:
        return None
    try:
        return time.time() - float(value["t"])
    except (KeyError, TypeError, ValueError):
        return None


def agency_choice(raw: str, agencies: Iterable[Agency]) -> tuple[Agency | None, str]:
    """The agency a general response is about, from the posted radio value: (agency or None, error)."""
    raw = (raw or "").strip()
    if not raw or raw == NOT_SURE:
        return None, ""
    by_id = {str(agency.pk): agency for agency in agencies}
    if raw not in by_id:
        return None, "Choose a service from the list"
    return by_id[raw], ""
