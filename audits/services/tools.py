"""Writes for audit tools: build a tool, edit its draft version, approve it, make a new version from it.

A tool's versions follow the lifecycle of qaf.versioning: at most one draft and one approved (current) version,
earlier approved versions retired, approved and retired versions frozen. Every service that changes a version's
content locks the version row and raises ValidationError(FROZEN) unless it is still a draft, so an edit can
never race an approval. Audits point at the version rows they used, which no service here ever changes.

Callers check access first (audits.access.tools.can(user, "manage")). Errors are django ValidationErrors keyed by the
field at fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any, Required, TypedDict, TypeVar, Unpack

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from audits.grading import NOT_APPLICABLE
from audits.models import AuditTool, AuditToolVersion, ToolKind, ToolQuestion, ToolSection
from qaf.models import Partnership, User
from qaf.versioning.services import (
    Lifecycle,
    change_note_clean,
    moved,
    row_update,
    rows_delete,
    text_clean,
)

LEVELS = (1, 2, 3, 4)
MAX_WEIGHT = Decimal("100")
MAX_SCORE = 100
IN_USE = "Audits have used this version, so its content cannot be removed"


# --- validation -------------------------------------------------------------------------------------------


def _weight(value: object, field: str = "weight") -> Decimal:
    try:
        weight = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError, TypeError) as exc:
        raise ValidationError({field: "Enter the weight as a number, like 1 or 1.5"}) from exc
    if not Decimal(0) <= weight <= MAX_WEIGHT:
        raise ValidationError({field: f"Weight must be between 0 and {MAX_WEIGHT}"})
    return weight


def _levels(levels: Iterable[int]) -> list[int]:
    try:
        chosen = sorted({int(level) for level in levels})
    except (TypeError, ValueError) as exc:
        raise ValidationError({"levels": "Levels must be 1, 2, 3 or 4"}) from exc
    if not chosen:
        raise ValidationError({"levels": "Choose at least one level the tool serves"})
    if any(level not in LEVELS for level in chosen):
        raise ValidationError({"levels": "Levels must be 1, 2, 3 or 4"})
    return chosen


def _tool_fields(
    *,
    partnership_id: int,
    name: str,
    kind: str,
    description: str,
    levels: Iterable[int],
    exclude_pk: int | None = None,
) -> dict[str, Any]:
    name = text_clean(name, "name", label="the tool's name", max_length=200)
    if kind not in ToolKind.values:
        raise ValidationError({"kind": "Choose what kind of tool this is"})
    taken = AuditTool.objects.filter(partnership_id=partnership_id, name__iexact=name)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if taken.exists():
        raise ValidationError({"name": "A tool with this name already exists"})
    return {"name": name, "kind": kind, "description": (description or "").strip(), "levels": _levels(levels)}


def scale_clean(options: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Check an answer scale given as rows of label and score (and optionally value) and return it best first
    as stored: [{"value": "4", "label": "Outstanding", "score": 4}, ...]. A row's value defaults to its score.

    Raises ValidationError on "scale": fewer than two options, a blank or repeated label, a score that is not
    a whole number from 0 to 100, repeated scores or values, or the value "na" (reserved for not applicable)."""
    cleaned: list[dict[str, Any]] = []
    for n, option in enumerate(options, start=1):
        label = str(option.get("label") or "").strip()
        if not label:
            raise ValidationError({"scale": f"Enter a label for answer {n}"})
        if len(label) > 60:
            raise ValidationError({"scale": f"The label of answer {n} must be 60 characters or fewer"})
        given = option.get("score")
        whole = isinstance(given, int | str) and not isinstance(given, bool) and str(given).strip().isdigit()
        if not whole or int(str(given)) > MAX_SCORE:
            raise ValidationError(
                {"scale": f"The score of ‘{label}’ must be a whole number from 0 to {MAX_SCORE}"}
            )
        score = int(str(given))
        value = str(option.get("value") or score).strip()
        if value == NOT_APPLICABLE or len(value) > 10:
            raise ValidationError({"scale": f"‘{value}’ cannot be used as an answer value"})
        cleaned.append({"value": value, "label": label, "score": score})
    if len(cleaned) < 2:
        raise ValidationError({"scale": "An answer scale needs at least two answers"})
    for key, noun in (("label", "label"), ("score", "score"), ("value", "value")):
        seen = [str(o[key]).lower() for o in cleaned]
        if len(set(seen)) != len(seen):
            raise ValidationError({"scale": f"Each answer needs a different {noun}"})
    return sorted(cleaned, key=lambda o: -o["score"])


def _section_fields(*, code: str, title: str, weight: object) -> dict[str, Any]:
    code = text_clean(code, "code", label="the section code", max_length=10, required=False)
    title = text_clean(title, "title", label="the section title", max_length=200)
    return {"code": code, "title": title, "weight": _weight(weight)}


def _code_free(version: AuditToolVersion, code: str, exclude_pk: int | None = None) -> None:
    taken = version.sections.filter(code__iexact=code)
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    if code and taken.exists():
        raise ValidationError({"code": f"This version already has a section {code}"})


class QuestionInput(TypedDict, total=False):
    """A question's fields as `question_add` and `question_update` take them: its `text` always; `guidance`
    on what good looks like, its `weight` (1 unless given) and whether it may be answered "not applicable"
    (`allow_not_applicable`, True unless given)."""

    text: Required[str]
    guidance: str
    weight: object
    allow_not_applicable: bool


def _question_fields(
    *, text: str, guidance: str = "", weight: object = 1, allow_not_applicable: bool = True
) -> dict[str, Any]:
    """The stored fields of a question (QuestionInput, checked). Raises ValidationError by field."""
    return {
        "text": text_clean(text, "text", label="the question", max_length=2000),
        "guidance": text_clean(guidance, "guidance", label="the guidance", max_length=5000, required=False),
        "weight": _weight(weight),
        "allow_not_applicable": bool(allow_not_applicable),
    }


def _delete(
    rows: QuerySet[ToolSection] | QuerySet[ToolQuestion] | QuerySet[AuditToolVersion], what: str
) -> None:
    rows_delete(rows, refused=f"Audits have answered this {what}, so it cannot be removed")


# --- tools ------------------------------------------------------------------------------------------------


@transaction.atomic
def tool_create(
    *,
    partnership: Partnership,
    user: User | None,
    name: str,
    kind: str,
    levels: Iterable[int],
    description: str = "",
) -> AuditTool:
    """Create a tool and its draft version 1 (with the default four-grade scale and no sections yet)."""
    fields = _tool_fields(
        partnership_id=partnership.pk, name=name, kind=kind, description=description, levels=levels
    )
    tool = AuditTool.objects.create(partnership=partnership, **fields)
    LIFECYCLE.first_draft_create(template=tool, user=user)
    return tool


@transaction.atomic
def tool_update(
    *, tool: AuditTool, name: str, kind: str, levels: Iterable[int], description: str = ""
) -> AuditTool:
    """Change a tool's name, kind, description and levels. These describe the tool, not a version's content,
    so they may change while versions are approved; audits keep their version's questions either way."""
    fields = _tool_fields(
        partnership_id=tool.partnership_id,
        name=name,
        kind=kind,
        description=description,
        levels=levels,
        exclude_pk=tool.pk,
    )
    for key, value in fields.items():
        setattr(tool, key, value)
    tool.save(update_fields=list(fields))
    return tool


# --- a draft version's scale and content ------------------------------------------------------------------


def _scale_and_note_save(
    version: AuditToolVersion, scale: Iterable[Mapping[str, Any]] | None, change_note: str | None
) -> None:
    fields: dict[str, Any] = {
        "scale": None if scale is None else scale_clean(scale),
        "change_note": change_note,
    }
    fields = {key: value for key, value in fields.items() if value is not None}
    if "change_note" in fields:
        fields["change_note"] = change_note_clean(change_note)
    for key, value in fields.items():
        setattr(version, key, value)
    if fields:
        version.save(update_fields=list(fields))


@transaction.atomic
def tool_version_update(
    *,
    version: AuditToolVersion,
    scale: Iterable[Mapping[str, Any]] | None = None,
    change_note: str | None = None,
) -> AuditToolVersion:
    """Change a draft version's answer scale and/or its change note (None leaves a field as it is)."""
    version = LIFECYCLE.locked_draft(version)
    _scale_and_note_save(version, scale, change_note)
    return version


@transaction.atomic
def section_add(*, version: AuditToolVersion, title: str, code: str = "", weight: object = 1) -> ToolSection:
    """Add a section at the end of a draft version."""
    version = LIFECYCLE.locked_draft(version)
    fields = _section_fields(code=code, title=title, weight=weight)
    _code_free(version, fields["code"])
    last = version.sections.aggregate(last=Max("order"))["last"]
    return ToolSection.objects.create(version=version, order=0 if last is None else last + 1, **fields)


@transaction.atomic
def section_update(*, section: ToolSection, title: str, code: str = "", weight: object = 1) -> ToolSection:
    """Change a section of a draft version."""
    version = LIFECYCLE.locked_draft(section.version)
    fields = _section_fields(code=code, title=title, weight=weight)
    _code_free(version, fields["code"], exclude_pk=section.pk)
    return row_update(section, fields)


@transaction.atomic
def section_remove(*, section: ToolSection) -> None:
    """Remove a section of a draft version, with its questions."""
    LIFECYCLE.locked_draft(section.version)
    _delete(ToolSection.objects.filter(pk=section.pk), "section")


_Ordered = TypeVar("_Ordered", ToolSection, ToolQuestion)


def _reorder(rows: Sequence[_Ordered], ids: Sequence[int], field: str, noun: str) -> None:
    by_id = {row.pk: row for row in rows}
    ids = [int(pk) for pk in ids]
    if sorted(ids) != sorted(by_id):
        raise ValidationError({field: f"Give every {noun} exactly once"})
    for order, pk in enumerate(ids):
        by_id[pk].order = order
    if rows:
        type(rows[0]).objects.bulk_update(rows, ["order"])


@transaction.atomic
def section_reorder(*, version: AuditToolVersion, section_ids: Sequence[int]) -> None:
    """Put a draft version's sections in the given order (every section id exactly once)."""
    version = LIFECYCLE.locked_draft(version)
    _reorder(list(version.sections.all()), section_ids, "section_ids", "section of this version")


@transaction.atomic
def section_move(*, section: ToolSection, offset: int) -> None:
    """Move a section of a draft version up (offset -1) or down (+1); at either end it stays put."""
    version = LIFECYCLE.locked_draft(section.version)
    ids = moved(list(version.sections.values_list("pk", flat=True)), section.pk, offset)
    section_reorder(version=version, section_ids=ids)


@transaction.atomic
def question_add(*, section: ToolSection, **question: Unpack[QuestionInput]) -> ToolQuestion:
    """Add a question (QuestionInput) at the end of a section of a draft version."""
    LIFECYCLE.locked_draft(section.version)
    fields = _question_fields(**question)
    last = section.questions.aggregate(last=Max("order"))["last"]
    return ToolQuestion.objects.create(section=section, order=0 if last is None else last + 1, **fields)


@transaction.atomic
def question_update(*, question: ToolQuestion, **changed: Unpack[QuestionInput]) -> ToolQuestion:
    """Change a question of a draft version to `changed` (QuestionInput, all of it: what is left out takes its
    default)."""
    LIFECYCLE.locked_draft(question.section.version)
    return row_update(question, _question_fields(**changed))


@transaction.atomic
def question_remove(*, question: ToolQuestion) -> None:
    """Remove a question of a draft version."""
    LIFECYCLE.locked_draft(question.section.version)
    _delete(ToolQuestion.objects.filter(pk=question.pk), "question")


@transaction.atomic
def question_reorder(*, section: ToolSection, question_ids: Sequence[int]) -> None:
    """Put a section's questions in the given order (every question id exactly once); drafts only."""
    LIFECYCLE.locked_draft(section.version)
    _reorder(list(section.questions.all()), question_ids, "question_ids", "question of this section")


@transaction.atomic
def question_move(*, question: ToolQuestion, offset: int) -> None:
    """Move a question up (offset -1) or down (+1) within its section; drafts only."""
    LIFECYCLE.locked_draft(question.section.version)
    ids = moved(list(question.section.questions.values_list("pk", flat=True)), question.pk, offset)
    question_reorder(section=question.section, question_ids=ids)


@transaction.atomic
def tool_version_content_replace(
    *,
    version: AuditToolVersion,
    sections: Sequence[Mapping[str, Any]],
    scale: Iterable[Mapping[str, Any]] | None = None,
    change_note: str | None = None,
) -> AuditToolVersion:
    """Replace a draft version's sections and questions (and optionally its scale and change note) in one go,
    as the API writes a draft. `sections` are mappings of code, title, weight and questions; questions are
    mappings of text, guidance, weight and allow_not_applicable. Nothing is written unless all of it is valid;
    errors name the section and question at fault under "sections"."""
    version = LIFECYCLE.locked_draft(version)
    built: list[tuple[ToolSection, list[ToolQuestion]]] = []
    codes: set[str] = set()
    for s_order, spec in enumerate(sections):
        where = f"Section {s_order + 1}"
        try:
            fields = _section_fields(
                code=spec.get("code", ""),
                title=spec.get("title", ""),
                weight=spec.get("weight", 1),
            )
        except ValidationError as exc:
            raise ValidationError({"sections": [f"{where}: {m}" for m in exc.messages]}) from exc
        if fields["code"] and fields["code"].lower() in codes:
            raise ValidationError({"sections": [f"{where}: there is already a section {fields['code']}"]})
        codes.add(fields["code"].lower())
        questions = []
        for q_order, q_spec in enumerate(spec.get("questions") or []):
            try:
                q_fields = _question_fields(
                    text=q_spec.get("text", ""),
                    guidance=q_spec.get("guidance", ""),
                    weight=q_spec.get("weight", 1),
                    allow_not_applicable=q_spec.get("allow_not_applicable", True),
                )
            except ValidationError as exc:
                messages = [f"{where}, question {q_order + 1}: {m}" for m in exc.messages]
                raise ValidationError({"sections": messages}) from exc
            questions.append(ToolQuestion(order=q_order, **q_fields))
        built.append((ToolSection(version=version, order=s_order, **fields), questions))
    _scale_and_note_save(version, scale, change_note)
    _delete(ToolSection.objects.filter(version=version), "version's content")
    _content_create(built)
    return version


def _content_create(built: list[tuple[ToolSection, list[ToolQuestion]]]) -> None:
    created = ToolSection.objects.bulk_create([section for section, _ in built])
    questions = []
    for section, (_, section_questions) in zip(created, built, strict=True):
        for question in section_questions:
            question.section = section
            questions.append(question)
    ToolQuestion.objects.bulk_create(questions)


# --- approval and versions --------------------------------------------------------------------------------


def _approvable(version: AuditToolVersion) -> None:
    """Raise ValidationError unless the draft has a section, a question in every section, something that
    carries weight, and a sound scale."""
    sections = list(version.sections.prefetch_related("questions"))
    if not sections:
        raise ValidationError("Add at least one section with a question before approving")
    empty = [str(s) for s in sections if not s.questions.all()]
    if empty:
        raise ValidationError(
            f"Add a question to every section before approving (no questions: {', '.join(empty)})"
        )
    if not any(s.weight > 0 and any(q.weight > 0 for q in s.questions.all()) for s in sections):
        raise ValidationError(
            "At least one question and its section must carry weight, or nothing can be graded"
        )
    scale_clean(version.scale)  # a draft written before the rules tightened must still be sound


def _content_copy(old: AuditToolVersion, new: AuditToolVersion) -> None:
    """Copy `old`'s sections and questions into `new`, as new rows."""
    built = [
        (
            ToolSection(version=new, code=s.code, title=s.title, order=s.order, weight=s.weight),
            [
                ToolQuestion(
                    text=q.text,
                    guidance=q.guidance,
                    order=q.order,
                    weight=q.weight,
                    allow_not_applicable=q.allow_not_applicable,
                )
                for q in s.questions.all()
            ],
        )
        for s in old.sections.prefetch_related("questions")
    ]
    _content_create(built)


LIFECYCLE = Lifecycle(
    version_model=AuditToolVersion,
    approvable=_approvable,
    copied=("scale",),
    copy_content=_content_copy,
    draft_exists="Version {number} is already a draft: change that one, or discard it first",
)


@transaction.atomic
def tool_version_approve(*, version: AuditToolVersion, user: User | None) -> AuditToolVersion:
    """Approve a draft version: it becomes the tool's current version and is frozen from now on; the version
    approved before it is retired (audits that used it keep it). Needs at least one section, a question in
    every section, and something that carries weight. Raises ValidationError otherwise, or FROZEN if the
    version is no longer a draft."""
    return LIFECYCLE.approve(version=version, user=user)


@transaction.atomic
def tool_version_new_from(
    *, version: AuditToolVersion, user: User | None, change_note: str = ""
) -> AuditToolVersion:
    """Make a new draft version (the tool's highest number + 1) with a copy of `version`'s scale, sections and
    questions, to change and approve later. The copied version and the audits that used it are not touched.
    Raises ValidationError if the tool already has a draft (change that one, or discard it)."""
    return LIFECYCLE.new_from(version=version, user=user, change_note=change_note)


@transaction.atomic
def tool_version_discard(*, version: AuditToolVersion) -> None:
    """Delete a draft version that no audit used. A tool keeps at least one version."""
    version = LIFECYCLE.locked_draft(version)
    if version.audits.exists():
        raise ValidationError(IN_USE)
    if not AuditToolVersion.objects.filter(tool_id=version.tool_id).exclude(pk=version.pk).exists():
        raise ValidationError("This is the tool's only version; change it rather than discard it")
    _delete(AuditToolVersion.objects.filter(pk=version.pk), "version")
