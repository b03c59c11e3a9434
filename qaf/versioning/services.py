"""The lifecycle of a versioned template's versions: the first draft, approval (which retires the version
approved before), a new draft copied from any version, and the guard that refuses to change a frozen version.

Each app makes one `Lifecycle` for its version model, saying how to check a draft before approval, which of a
version's own fields a new version copies and how to copy its content (sections and questions, or questions).
Its services call the lifecycle inside their own transaction; callers check access first.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model, ProtectedError, QuerySet
from django.utils import timezone

from qaf.models import User
from qaf.versioning.models import TemplateVersion, VersionedTemplate, VersionStatus

FROZEN = "An approved version cannot be changed; make a new version"
CHANGE_NOTE_MAX = 5000

V = TypeVar("V", bound=TemplateVersion)
M = TypeVar("M", bound=Model)


class VersionFrozen(PermissionDenied):
    """A change was asked of a version that is no longer a draft."""


def text_clean(value: str | None, field: str, *, label: str, max_length: int, required: bool = True) -> str:
    """`value` stripped; raises ValidationError on `field` ("Enter {label}", or too long)."""
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: f"Enter {label}"})
    if len(value) > max_length:
        raise ValidationError(
            {field: f"{label[0].upper()}{label[1:]} must be {max_length} characters or fewer"}
        )
    return value


def change_note_clean(change_note: str | None) -> str:
    """A version's note of what changed, stripped; raises ValidationError on "change_note" when too long."""
    return text_clean(
        change_note, "change_note", label="the note", max_length=CHANGE_NOTE_MAX, required=False
    )


def moved(ids: list[int], pk: int, offset: int) -> list[int]:
    """`ids` with `pk` moved up (offset -1) or down (+1); at either end it stays put."""
    at = ids.index(pk)
    to = min(max(at + offset, 0), len(ids) - 1)
    ids = list(ids)
    ids.insert(to, ids.pop(at))
    return ids


def row_update(row: M, fields: dict[str, Any]) -> M:
    """Write `fields` to a row of draft content and return it as stored."""
    type(row)._default_manager.filter(pk=row.pk).update(**fields)
    row.refresh_from_db()
    return row


def rows_delete(rows: QuerySet[Model], *, refused: str) -> None:
    """Delete draft content, or raise ValidationError(refused) when answers given to it protect it."""
    try:
        rows.delete()
    except ProtectedError as exc:
        raise ValidationError(refused) from exc


def _copy_nothing(old: Model, new: Model) -> None:
    return None


@dataclass(frozen=True)
class Lifecycle(Generic[V]):
    """The lifecycle of `version_model`'s versions.

    `approvable(version)` raises ValidationError saying what stops a draft from being approved; `copied` are
    the version's own fields a new version copies; `copy_content(old, new)` copies the content rows;
    `frozen_error` is what a change to a frozen version raises (a ValidationError, or VersionFrozen so that a
    page racing an approval answers 403); `draft_exists` is the refusal of a second draft ({number} is the
    draft's)."""

    version_model: type[V]
    approvable: Callable[[V], None]
    copied: Sequence[str] = ()
    copy_content: Callable[[V, V], None] = _copy_nothing
    frozen_error: type[Exception] = ValidationError
    draft_exists: str = "Version {number} is already a draft: change that one first"

    @property
    def template_field(self) -> str:
        """The name of the version model's field that points to its template."""
        return self.version_model.TEMPLATE_FIELD

    def _locked_template(self, version: V) -> VersionedTemplate:
        """Lock the template row, so that one approval or new version is made at a time."""
        return (
            self.version_model.template_model()
            ._default_manager.select_for_update()
            .get(pk=version.template_id)
        )

    def locked_draft(self, version: V) -> V:
        """The version's row, locked and loaded again with its template, if it is still a draft; raises
        `frozen_error(FROZEN)` otherwise. Every write to a version's content starts here, so an edit can
        never race an approval. Callers hold a transaction."""
        locked = (
            self.version_model._default_manager.select_for_update()
            .select_related(self.template_field)
            .get(pk=version.pk)
        )
        if locked.status != VersionStatus.DRAFT:
            raise self.frozen_error(FROZEN)
        return locked

    @transaction.atomic(savepoint=False)
    def first_draft_create(self, *, template: VersionedTemplate, user: User | None, **fields: Any) -> V:
        """Version 1 of a new template, a draft with `fields` set."""
        return self.version_model._default_manager.create(
            **{self.template_field: template}, number=1, created_by=user, **fields
        )

    @transaction.atomic(savepoint=False)
    def approve(self, *, version: V, user: User | None) -> V:
        """Approve a draft: it becomes the template's current version and is frozen from now on; the version
        approved before it is retired (what used it keeps it). Raises what `approvable` raises, or
        `frozen_error` if the version is no longer a draft."""
        self._locked_template(version)
        version = self.locked_draft(version)
        self.approvable(version)
        self.version_model._default_manager.filter(
            **{self.template_field: version.template_id, "status": VersionStatus.APPROVED}
        ).update(status=VersionStatus.RETIRED)
        version.status = VersionStatus.APPROVED
        version.approved_by = user
        version.approved_at = timezone.now()
        version.save(update_fields=["status", "approved_by", "approved_at"])
        return version

    @transaction.atomic(savepoint=False)
    def new_from(self, *, version: V, user: User | None, change_note: str = "") -> V:
        """A new draft (the template's highest number + 1) with a copy of `version`'s fields and content, to
        change and approve later; `version` and what used it are not touched. Raises ValidationError if the
        template already has a draft, or on a change note that is too long."""
        template = self._locked_template(version)
        draft = template.versions.filter(status=VersionStatus.DRAFT).first()
        if draft is not None:
            raise ValidationError(self.draft_exists.format(number=draft.number))
        number = (template.versions.aggregate(last=Max("number"))["last"] or 0) + 1
        new = self.version_model._default_manager.create(
            **{self.template_field: template},
            number=number,
            change_note=change_note_clean(change_note),
            created_by=user,
            **{name: copy.deepcopy(getattr(version, name)) for name in self.copied},
        )
        self.copy_content(version, new)
        return new
