"""Writes to feedback forms and their versions: seed the defaults, create a form, change a draft version's texts
and questions, approve it, make a new version from it; say which meetings a form is for and which it is the
default for; retire a form and put it back into use.

A form's versions follow the lifecycle of qaf.versioning: at most one draft and one approved (current) version,
earlier approved versions retired, approved and retired versions frozen. Every service that changes a version
locks its row and raises VersionFrozen unless it is still a draft, so an edit can never race an approval.
Responses point at the version they answered, which no service here changes.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Required, TypedDict, Unpack

from django.contrib.staticfiles import finders
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone
from django.utils.text import slugify

from feedback.defaults import DEFAULT_FORMS
from feedback.models import (
    DEFAULT_KINDS,
    FORM_MEETING_KINDS,
    MEETING_AUDIENCES,
    SCORED_KINDS,
    Audience,
    FeedbackForm,
    FeedbackFormDefault,
    FeedbackFormVersion,
    FeedbackQuestion,
    FormVersionStatus,
    MeetingKind,
    QuestionKind,
    default_rating_options,
    yes_no_options,
)
from qaf.models import Partnership, User
from qaf.versioning.services import (
    Lifecycle,
    VersionFrozen,
    change_note_clean,
    moved,
    row_update,
    rows_delete,
    text_clean,
)


def _default_kinds_of(form: FeedbackForm) -> tuple[str, ...]:
    """The meeting kinds `form` may be the default for: those it is for; a staff survey's one; none else."""
    if form.audience == Audience.STAFF:
        return (MeetingKind.SURVEY,)
    return tuple(kind for kind in DEFAULT_KINDS.get(form.audience, ()) if kind in form.meeting_kinds)


@transaction.atomic
def feedback_forms_seed_defaults(*, partnership: Partnership, user: User | None = None) -> list[FeedbackForm]:
    """Create the default forms (feedback/defaults.py), each with an approved version 1 and the meetings it is
    for, skipping any whose name the partnership already uses. Each becomes the default for its audience and
    meetings where the partnership has no default yet (an existing default is never replaced). Safe to run
    again. Returns the forms created."""
    existing = set(FeedbackForm.objects.filter(partnership=partnership).values_list("name", flat=True))
    have = set(
        FeedbackFormDefault.objects.filter(partnership=partnership).values_list("audience", "meeting_kind")
    )
    created = []
    now = timezone.now()
    for spec in DEFAULT_FORMS:
        if spec["name"] in existing:
            continue
        form = FeedbackForm.objects.create(
            partnership=partnership,
            name=spec["name"],
            audience=spec["audience"],
            easy_read=spec["easy_read"],
            description=spec["description"],
            meeting_kinds=list(spec["meeting_kinds"]),
        )
        version = FeedbackFormVersion.objects.create(
            form=form,
            number=1,
            status=FormVersionStatus.APPROVED,
            title=spec["title"],
            intro=spec["intro"],
            thank_you=spec["thank_you"],
            created_by=user,
            approved_by=user,
            approved_at=now,
        )
        FeedbackQuestion.objects.bulk_create(
            FeedbackQuestion(version=version, order=order, **question)
            for order, question in enumerate(spec["questions"], start=1)
        )
        if spec["default"]:
            for kind in _default_kinds_of(form):
                if (form.audience, kind) not in have:
                    FeedbackFormDefault.objects.create(
                        partnership=partnership,
                        audience=form.audience,
                        meeting_kind=kind,
                        form=form,
                        set_by=user,
                    )
                    have.add((form.audience, kind))
        created.append(form)
    return created


# --- building and changing forms ----------------------------------------------------------------------------
#
# Callers check access first (feedback.access.forms.can(user, "manage")). Errors are ValidationErrors keyed by the field
# at fault; a change to an approved or retired version raises VersionFrozen (a PermissionDenied, so a page that
# races an approval answers 403).

MAX_PAGE = 20
MAX_OPTIONS = 12
MAX_SCORE = 100
NOT_SCORED = "none"
CHOICE_KINDS = (
    QuestionKind.RATING,
    QuestionKind.YES_NO,
    QuestionKind.CHOOSE_ONE,
    QuestionKind.CHOOSE_SEVERAL,
)
IMAGE_PREFIX = "feedback/"
CODE_RE = re.compile(r"^[a-z0-9_-]+$")
OPTION_KEYS = ("value", "label", "score", "image", "image_alt")


def _score(text: str, label: str, line: int) -> int | None:
    if text.lower() == NOT_SCORED:
        return None
    if not text.isdigit() or int(text) > MAX_SCORE:
        raise ValidationError(
            {
                "options": f"Line {line}: the score of ‘{label}’ must be a whole number from 0 to {MAX_SCORE}, "
                f"or ‘{NOT_SCORED}’ if it should not count"
            }
        )
    return int(text)


def options_from_text(text: str) -> list[dict[str, Any]]:
    """Parse answers typed one a line as "label" or "label | score" ("label | none": deliberately not scored)
    into option mappings [{"value": "very_good", "label": "Very good", "score": 4}, ...]. The value is a slug
    of the label. Blank lines are skipped. Raises ValidationError on "options" for a line with more than one
    "|", an empty label, a label without letters or numbers, or a score that is not a whole number 0–100.
    Whether the answers suit the question's kind is checked by `options_clean`."""
    options: list[dict[str, Any]] = []
    for line, raw in enumerate((text or "").splitlines(), start=1):
        raw = raw.strip()
        if not raw:
            continue
        parts = [part.strip() for part in raw.split("|")]
        if len(parts) > 2:
            raise ValidationError({"options": f"Line {line}: put one | between the answer and its score"})
        label = parts[0]
        if not label:
            raise ValidationError({"options": f"Line {line}: enter the answer before the |"})
        option: dict[str, Any] = {"label": label}
        if len(parts) == 2:
            option["score"] = _score(parts[1], label, line)
        options.append(option)
    return options


def _value(label: str) -> str:
    value = slugify(label).replace("-", "_")[:60].strip("_")
    if not value:
        raise ValidationError({"options": f"The answer ‘{label}’ needs at least one letter or number"})
    return value


def _option_clean(option: Mapping[str, Any]) -> dict[str, Any]:
    """One answer as stored: its label (required, 100 characters at most), its value (a slug of the label
    unless given), and its score when it has one (a whole number 0–100, or None: not scored)."""
    label = str(option.get("label") or "").strip()
    if not label:
        raise ValidationError({"options": "Every answer needs a label"})
    if len(label) > 100:
        raise ValidationError(
            {"options": f"‘{label[:30]}…’ is too long: answers must be 100 characters or fewer"}
        )
    row = {key: option[key] for key in OPTION_KEYS if key in option}
    score = row.get("score")
    if score is not None and (
        not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= MAX_SCORE
    ):
        raise ValidationError(
            {"options": f"The score of ‘{label}’ must be a whole number from 0 to {MAX_SCORE}"}
        )
    row["label"] = label
    row["value"] = str(option.get("value") or _value(label))
    return row


def _options_distinct(cleaned: list[dict[str, Any]]) -> None:
    """No two answers may share a label, nor a value (the wording respondents' answers are stored as)."""
    for key, noun in (("label", "label"), ("value", "wording")):
        seen = [o[key].lower() for o in cleaned]
        if len(set(seen)) != len(seen):
            raise ValidationError({"options": f"Each answer needs a different {noun}"})


def _options_scored(cleaned: list[dict[str, Any]]) -> None:
    """A rating or yes/no question's answers each need a score (None allowed), and at least two a number."""
    unscored = [o["label"] for o in cleaned if "score" not in o]
    if unscored:
        raise ValidationError(
            {
                "options": f"Give ‘{unscored[0]}’ a score, like ‘{unscored[0]} | 1’ "
                f"(or ‘{unscored[0]} | {NOT_SCORED}’ if it should not count)"
            }
        )
    if sum(1 for o in cleaned if o["score"] is not None) < 2:
        raise ValidationError({"options": "At least two answers need a score"})


def _options_default(kind: str, options: list[Mapping[str, Any]]) -> list[dict[str, Any]] | None:
    """The answers a question of `kind` has without any given (none for free text, which refuses any; the usual
    ones for rating and yes/no), or None when the given answers are to be checked."""
    if kind == QuestionKind.FREE_TEXT:
        if options:
            raise ValidationError({"options": "A free-text question has no answers to choose from"})
        return []
    if not options and kind == QuestionKind.RATING:
        return default_rating_options()
    if not options and kind == QuestionKind.YES_NO:
        return yes_no_options()
    return None


def options_clean(kind: str, options: Sequence[Mapping[str, Any]] | None) -> list[dict[str, Any]]:
    """Check a question's answers against its kind and return them as stored. Free text takes none. A rating
    or yes/no question left without answers gets the usual ones (Very good … Very poor; Yes, No). Every other
    choice needs at least two answers with different labels; each answer's value is a slug of its label unless
    given. Rating and yes/no answers each need a score (None only for an answer that deliberately does not
    count, like "I did not give advice"), and at least two must be scored. Raises ValidationError on
    "options"."""
    options = list(options or [])
    default = _options_default(kind, options)
    if default is not None:
        return default
    if len(options) < 2:
        raise ValidationError({"options": "Give at least two answers, one a line"})
    if len(options) > MAX_OPTIONS:
        raise ValidationError({"options": f"Give at most {MAX_OPTIONS} answers"})
    cleaned = [_option_clean(option) for option in options]
    _options_distinct(cleaned)
    if kind in SCORED_KINDS:
        _options_scored(cleaned)
    return cleaned


def _image(form: FeedbackForm, image: str | None, image_alt: str | None) -> dict[str, Any]:
    image = (image or "").strip().lstrip("/")
    if not image:
        return {"image": "", "image_alt": ""}
    if not form.easy_read:
        raise ValidationError({"image": "Pictures are only for easy-read forms"})
    if not image.startswith(IMAGE_PREFIX) or ".." in image.split("/") or len(image) > 200:
        raise ValidationError(
            {
                "image": f"Give the path of a picture under {IMAGE_PREFIX}, like {IMAGE_PREFIX}easy-read/meeting.svg"
            }
        )
    if not finders.find(image):
        raise ValidationError({"image": f"There is no picture at {image}"})
    alt = text_clean(image_alt, "image_alt", label="a description of the picture", max_length=200)
    return {"image": image, "image_alt": alt}


class QuestionInput(TypedDict, total=False):
    """A question's fields as `question_add` and `question_update` take them: `code`, `kind` (a QuestionKind)
    and `text` always; `page` (1 unless given), `hint`, `options` (see `options_clean`), `required` (True
    unless given), and a picture for an easy-read form (`image`, a static path under feedback/, and
    `image_alt`)."""

    code: Required[str]
    kind: Required[str]
    text: Required[str]
    page: int
    hint: str
    options: Sequence[Mapping[str, Any]] | None
    required: bool
    image: str
    image_alt: str


def _question_fields(
    version: FeedbackFormVersion,
    *,
    code: str,
    kind: str,
    text: str,
    page: int = 1,
    hint: str = "",
    options: Sequence[Mapping[str, Any]] | None = None,
    required: bool = True,
    image: str = "",
    image_alt: str = "",
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    """The stored fields of a question of `version` (QuestionInput, checked; `exclude_pk` is the question
    being changed, whose own code is not taken). Raises ValidationError by field."""
    code = text_clean(code, "code", label="a code for the question", max_length=60).lower()
    if not CODE_RE.match(code):
        raise ValidationError({"code": "The code may use only letters, numbers, _ and -"})
    same_code = version.questions.filter(code=code)
    if exclude_pk is not None:
        same_code = same_code.exclude(pk=exclude_pk)
    if same_code.exists():
        raise ValidationError({"code": f"This version already has a question with the code {code}"})
    try:
        page = int(page)
    except (TypeError, ValueError) as exc:
        raise ValidationError({"page": "Enter the page as a number, like 1"}) from exc
    if not 1 <= page <= MAX_PAGE:
        raise ValidationError({"page": f"The page must be from 1 to {MAX_PAGE}"})
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": "Choose what kind of question this is"})
    return {
        "code": code,
        "page": page,
        "kind": kind,
        "text": text_clean(text, "text", label="the question", max_length=300),
        "hint": text_clean(hint, "hint", label="the hint", max_length=300, required=False),
        "options": options_clean(kind, options),
        "required": bool(required),
        **_image(version.form, image, image_alt),
    }


def _delete(rows: QuerySet[FeedbackQuestion], what: str) -> None:
    rows_delete(rows, refused=f"People have answered this {what}, so it cannot be removed")


def _public_title(title: str | None, name: str) -> str:
    """The title respondents see: required, and never the form's name (which is for staff)."""
    title = text_clean(title, "title", label="the title people filling in the form see", max_length=200)
    if title.casefold() == name.strip().casefold():
        raise ValidationError(
            {"title": "Enter a title for people filling in the form that is different from the form's name"}
        )
    return title


def _meeting_kinds(audience: str, meeting_kinds: Iterable[str]) -> list[str]:
    """The meetings a form of `audience` is for, in the order of FORM_MEETING_KINDS; none for staff surveys and
    the general form, whatever was asked."""
    asked = set(meeting_kinds or ())
    if audience not in MEETING_AUDIENCES:
        return []
    if asked - set(FORM_MEETING_KINDS):
        raise ValidationError({"meeting_kinds": "Select the meetings the form is for from the list"})
    return [kind.value for kind in FORM_MEETING_KINDS if kind in asked]


@transaction.atomic
def feedback_form_create(
    *,
    partnership: Partnership,
    user: User | None,
    name: str,
    audience: str,
    title: str,
    easy_read: bool = False,
    description: str = "",
    meeting_kinds: Iterable[str] = (),
) -> FeedbackForm:
    """Create a form and its draft version 1 (no questions yet). `name` is for staff; `title` is what people
    filling in the form see, and must differ from the name. `meeting_kinds` (MeetingKind values of
    FORM_MEETING_KINDS) are the meetings a form for families or professionals is for; staff surveys and the
    general form take none (any given are ignored). Raises ValidationError for a blank or taken name, a blank
    title or one that is the name, an unknown audience or meeting kind."""
    name = text_clean(name, "name", label="the form's name", max_length=200)
    if audience not in Audience.values:
        raise ValidationError({"audience": "Choose who the form is for"})
    if FeedbackForm.objects.filter(partnership=partnership, name__iexact=name).exists():
        raise ValidationError({"name": "A form with this name already exists"})
    title = _public_title(title, name)
    form = FeedbackForm.objects.create(
        partnership=partnership,
        name=name,
        audience=audience,
        easy_read=bool(easy_read),
        description=text_clean(
            description, "description", label="the description", max_length=2000, required=False
        ),
        meeting_kinds=_meeting_kinds(audience, meeting_kinds),
    )
    LIFECYCLE.first_draft_create(template=form, user=user, title=title)
    return form


@transaction.atomic
def feedback_form_version_update(
    *, version: FeedbackFormVersion, title: str, intro: str = "", thank_you: str = "", change_note: str = ""
) -> FeedbackFormVersion:
    """Change a draft version's title (what people filling in the form see), start-page text, confirmation text
    and change note. Raises VersionFrozen unless the version is a draft, ValidationError for a blank title, a
    title that is the form's name, or text too long."""
    version = LIFECYCLE.locked_draft(version)
    fields = {
        "title": _public_title(title, version.form.name),
        "intro": text_clean(intro, "intro", label="the introduction", max_length=2000, required=False),
        "thank_you": text_clean(
            thank_you, "thank_you", label="the thank-you text", max_length=2000, required=False
        ),
        "change_note": change_note_clean(change_note),
    }
    for key, value in fields.items():
        setattr(version, key, value)
    version.save(update_fields=list(fields))
    return version


@transaction.atomic
def question_add(*, version: FeedbackFormVersion, **question: Unpack[QuestionInput]) -> FeedbackQuestion:
    """Add a question (QuestionInput) at the end of a draft version (after every question already there).
    Options are checked by `options_clean`; a picture needs an easy-read form and an existing static file
    under feedback/. Raises VersionFrozen or ValidationError."""
    version = LIFECYCLE.locked_draft(version)
    fields = _question_fields(version, **question)
    last = version.questions.aggregate(last=Max("order"))["last"]
    return FeedbackQuestion.objects.create(version=version, order=(last or 0) + 1, **fields)


def _keep_option_pictures(
    old: Sequence[Mapping[str, Any]], new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Answers typed as text carry no pictures: keep those of the answers whose value is unchanged."""
    pictures = {o["value"]: o for o in old if o.get("image")}
    for option in new:
        kept = pictures.get(option["value"])
        if kept and "image" not in option:
            option["image"], option["image_alt"] = kept["image"], kept.get("image_alt", "")
    return new


@transaction.atomic
def question_update(*, question: FeedbackQuestion, **changed: Unpack[QuestionInput]) -> FeedbackQuestion:
    """Change a question of a draft version to `changed` (QuestionInput, all of it: what is left out takes its
    default), on the rules of `question_add`; answers keep the pictures they had when their wording is
    unchanged. Raises VersionFrozen or ValidationError."""
    version = LIFECYCLE.locked_draft(question.version)
    fields = _question_fields(version, **changed, exclude_pk=question.pk)
    stored = FeedbackQuestion.objects.get(pk=question.pk)
    if version.form.easy_read:
        fields["options"] = _keep_option_pictures(stored.options, fields["options"])
    return row_update(question, fields)


@transaction.atomic
def question_delete(*, question: FeedbackQuestion) -> None:
    """Remove a question of a draft version. Raises VersionFrozen, or ValidationError if it was answered."""
    LIFECYCLE.locked_draft(question.version)
    _delete(FeedbackQuestion.objects.filter(pk=question.pk), "question")


@transaction.atomic
def question_move(*, question: FeedbackQuestion, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) among the questions on its page of a draft version; at
    either end of the page it stays put. Raises VersionFrozen."""
    LIFECYCLE.locked_draft(question.version)
    rows = list(
        FeedbackQuestion.objects.filter(version_id=question.version_id).order_by("page", "order", "pk")
    )
    by_pk = {row.pk: row for row in rows}
    same_page = moved([row.pk for row in rows if row.page == question.page], question.pk, offset)
    on_page = iter(same_page)
    ordered = [by_pk[next(on_page)] if row.page == question.page else row for row in rows]
    for order, row in enumerate(ordered, start=1):
        row.order = order
    FeedbackQuestion.objects.bulk_update(ordered, ["order"])


def version_problems(version: FeedbackFormVersion) -> list[str]:
    """What stops a version from being approved, in words (empty when it may be approved): it needs a
    question, and each choice question answers that pass `options_clean`."""
    questions = list(version.questions.all())
    if not questions:
        return ["Add at least one question before approving"]
    problems = []
    for question in questions:
        if question.kind in CHOICE_KINDS and len(question.options) < 2:
            problems.append(f"{question.code}: give at least two answers")
            continue
        try:
            options_clean(question.kind, question.options)
        except ValidationError as error:
            problems.extend(f"{question.code}: {message}" for message in error.messages)
    return problems


def _approvable(version: FeedbackFormVersion) -> None:
    problems = version_problems(version)
    if problems:
        raise ValidationError(problems)


def _questions_copy(old: FeedbackFormVersion, new: FeedbackFormVersion) -> None:
    """Copy `old`'s questions into `new`, as new rows."""
    FeedbackQuestion.objects.bulk_create(
        FeedbackQuestion(
            version=new,
            code=q.code,
            page=q.page,
            order=q.order,
            kind=q.kind,
            text=q.text,
            hint=q.hint,
            options=copy.deepcopy(q.options),
            required=q.required,
            image=q.image,
            image_alt=q.image_alt,
        )
        for q in old.questions.order_by("page", "order", "pk")
    )


LIFECYCLE = Lifecycle(
    version_model=FeedbackFormVersion,
    approvable=_approvable,
    copied=("title", "intro", "thank_you"),
    copy_content=_questions_copy,
    frozen_error=VersionFrozen,
)


@transaction.atomic
def version_approve(*, version: FeedbackFormVersion, user: User | None) -> FeedbackFormVersion:
    """Approve a draft version: new invitations with its form (and a general form's page) use it from now on,
    and it is frozen; which invitations use the form is for its defaults (`feedback_form_meetings_set`). The
    version approved before it is retired; responses given to it stay tied to it. Needs at least one question;
    every choice question needs two or more answers and every rating or yes/no answer a score (see
    `options_clean`). Raises ValidationError listing what is wrong, or VersionFrozen."""
    return LIFECYCLE.approve(version=version, user=user)


@transaction.atomic
def version_new_from(
    *, version: FeedbackFormVersion, user: User | None, change_note: str = ""
) -> FeedbackFormVersion:
    """Make a new draft (the form's highest version number + 1) with a copy of `version`'s texts and
    questions, to change and approve later; `version` and its responses are not touched. Raises
    ValidationError if the form already has a draft."""
    return LIFECYCLE.new_from(version=version, user=user, change_note=change_note)


# --- what a form is for, defaults, retiring --------------------------------------------------------------------
#
# Callers check access first (feedback.access.forms.can(user, "manage")), as for the builder above.

NOT_FOR_DEFAULT = "To make it the default for a meeting, also select that meeting as one it is for"


def _locked_form(form: FeedbackForm) -> FeedbackForm:
    return FeedbackForm.objects.select_for_update().get(pk=form.pk)


@transaction.atomic
def feedback_form_meetings_set(
    *, form: FeedbackForm, user: User | None, meeting_kinds: Iterable[str], default_for: Iterable[str]
) -> FeedbackForm:
    """Say which meetings a form is for and which of them it is the default for. For a form for families or
    professionals `meeting_kinds` are values of FORM_MEETING_KINDS and `default_for` a subset of them; a staff
    survey takes no meeting kinds and `default_for` is ("survey",) or empty; the general form takes neither.

    Marking the form the default for a meeting replaces the form that was (one default per partnership,
    audience and meeting kind, kept by the database); unmarking it, or no longer being for that meeting,
    leaves no default there. Raises ValidationError ("meeting_kinds", "default_for") for an unknown meeting kind,
    a default for a meeting the form is not for, or a default on a form that is retired or has no approved
    version."""
    form = _locked_form(form)
    form.meeting_kinds = _meeting_kinds(form.audience, meeting_kinds)
    allowed = _default_kinds_of(form)
    wanted = set(default_for or ())
    if wanted - set(allowed):
        raise ValidationError({"default_for": NOT_FOR_DEFAULT})
    if wanted and form.is_retired:
        raise ValidationError(
            {"default_for": "A retired form cannot be a default. Put it back into use first"}
        )
    if wanted and not form.versions.filter(status=FormVersionStatus.APPROVED).exists():
        raise ValidationError({"default_for": "Approve a version of the form before making it a default"})
    form.save(update_fields=["meeting_kinds"])
    form.defaults.exclude(meeting_kind__in=wanted).delete()
    for kind in wanted:
        FeedbackFormDefault.objects.update_or_create(
            partnership_id=form.partnership_id,
            audience=form.audience,
            meeting_kind=kind,
            defaults={"form": form, "set_by": user, "set_at": timezone.now()},
        )
    return form


@transaction.atomic
def feedback_form_retire(*, form: FeedbackForm, user: User | None) -> FeedbackForm:
    """Retire a form: it takes no new invitations, is not offered when inviting, and stops being a default
    (leaving no default where it was one); a general form stops taking responses. Links already sent keep
    working until they expire, and responses keep their version. Retiring twice changes nothing."""
    form = _locked_form(form)
    if form.retired_at is None:
        form.retired_at = timezone.now()
        form.retired_by = user
        form.save(update_fields=["retired_at", "retired_by"])
    form.defaults.all().delete()
    return form


@transaction.atomic
def feedback_form_reinstate(*, form: FeedbackForm) -> FeedbackForm:
    """Put a retired form back into use: it can be picked again (it is a default again only once marked)."""
    form = _locked_form(form)
    if form.retired_at is not None:
        form.retired_at = None
        form.retired_by = None
        form.save(update_fields=["retired_at", "retired_by"])
    return form
