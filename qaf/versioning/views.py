"""The parts every versioned template's pages share: the template's page with its versions, a version's page,
the guard on the pages that edit a draft (a frozen version answers 403 with a page offering a new version), the
item form, the confirmation pages (approve a draft, make a new version, remove a question) and the buttons that
move a row up or down.

Each app makes one `VersionPages` saying how its templates are reached and spoken of, and keeps its own views,
which call these and add what only its content has.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from qaf import pages
from qaf.types import AuthenticatedHttpRequest
from qaf.versioning.models import TemplateVersion, VersionedTemplate, VersionStatus
from qaf.versioning.selectors import current_version, draft_version

T = TypeVar("T", bound=Model)


@dataclass(frozen=True)
class VersionPages:
    """How one app's versioned templates are reached and spoken of on its pages.

    `urls` begins the names of its routes: "{urls}-list", "{urls}-detail" (the template's pk), "{urls}-version",
    "{urls}-version-new" and "{urls}-version-approve" (the template's pk and a version's number).
    `load_version(user, pk, number)` finds a version the user may see (Http404 otherwise); `can_manage(user)`
    says who may change templates, and `refused` what the others are told (403). `plural` names the list
    ("Audit tools"), `noun` one template ("tool"); `kept` says what keeps a version ("audits that used it")
    and `frozen_reason` why a frozen version never changes."""

    urls: str
    plural: str
    noun: str
    load_version: Callable[[Any, int, int], TemplateVersion]
    can_manage: Callable[[Any], bool]
    refused: str
    kept: str
    frozen_reason: str

    @property
    def names(self) -> dict[str, str]:
        """The url names of the pages every template has, for the shared templates' {% url %} tags."""
        pages = ("list", "detail", "version", "version-new", "version-approve")
        return {page.replace("-", "_"): f"{self.urls}-{page}" for page in pages}

    def template_url(self, template: VersionedTemplate) -> str:
        return reverse(f"{self.urls}-detail", args=[template.pk])

    def version_url(self, version: TemplateVersion, anchor: str = "") -> str:
        url = reverse(f"{self.urls}-version", args=[version.template_id, version.number])
        return f"{url}#{anchor}" if anchor else url

    def require_manage(self, request: HttpRequest) -> None:
        if not self.can_manage(request.user):
            raise PermissionDenied(self.refused)

    def draft_view(self, view: Callable) -> Callable:
        """A decorator for the pages that edit one draft version. The wrapped view takes (request, version,
        **kwargs) and is reached as (request, pk, number, **kwargs): a version the user may not see is a 404,
        someone who may not change it gets a 403, and a version that is no longer a draft is answered with
        the frozen page (403), which says why and offers to make a new version."""

        @login_required
        @wraps(view)
        def wrapper(request: AuthenticatedHttpRequest, pk: int, number: int, **kwargs: Any) -> HttpResponse:
            version = self.load_version(request.user, pk, number)
            self.require_manage(request)
            if not version.is_editable:
                context = {"version": version, "versioning": self}
                return render(request, "qaf/versioning/frozen.html", context, status=403)
            return view(request, version, **kwargs)

        return wrapper

    def template_context(self, request: HttpRequest, template: VersionedTemplate) -> dict:
        """What a template's page shows of its versions: all of them (prefetched, newest first), the current
        one, the draft, and whether the user may change them."""
        return {
            "template": template,
            "versions": list(template.versions.all()),
            "current": current_version(template),
            "draft": draft_version(template),
            "can_manage": self.can_manage(request.user),
            "versioning": self,
        }

    def version_context(self, request: HttpRequest, version: TemplateVersion) -> dict:
        """What a version's page needs: whether the user may edit it (a draft, and they may change templates)
        and, for a frozen version, the template's draft if there is one."""
        can_manage = self.can_manage(request.user)
        draft = None
        if can_manage and not version.is_editable:
            draft = version.template.versions.filter(status=VersionStatus.DRAFT).first()
        return {
            "version": version,
            "can_manage": can_manage,
            "editable": can_manage and version.is_editable,
            "draft": draft,
            "versioning": self,
        }

    def item_page(
        self, request: HttpRequest, version: TemplateVersion, form: forms.Form, *, title: str, back: str
    ) -> HttpResponse:
        """The page of a form that adds or changes one thing in a draft (a section, a question, its texts)."""
        context = {"version": version, "form": form, "title": title, "back": back}
        return render(request, "qaf/versioning/item_form.html", context)

    def confirm(self, request: HttpRequest, version: TemplateVersion, **kwargs) -> HttpResponse:
        """A confirmation page about one version (see `confirm`)."""
        caption = f"{version.template.name}, version {version.number}"
        return confirm(request, caption=caption, version=version, **kwargs)

    def remove(
        self,
        request: HttpRequest,
        version: TemplateVersion,
        *,
        what: str,
        remove: Callable[[], Any],
        then: str,
        **kwargs,
    ) -> HttpResponse:
        """A confirmation page that removes `what` ("section", "question") from a draft with `remove()`, then
        goes to `then`: the body is a warning and the button red."""

        def act() -> str:
            remove()
            return then

        return self.confirm(
            request,
            version,
            button=f"Remove {what}",
            act=act,
            done=f"{what.capitalize()} removed",
            warning=True,
            danger=True,
            **kwargs,
        )

    def question_remove_view(
        self, *, find: Callable[[Any, int], Any], remove: Callable[..., Any], then: Callable[[Any], str]
    ) -> Callable[..., HttpResponse]:
        """The page that removes a question from a draft, reached as (request, pk, number, question_pk):
        `find(version, pk)` finds the question (Http404 when it is not the version's), `remove(question=)`
        removes it, and the page goes on to the anchor `then(question)` of the version's page."""

        @self.draft_view
        def view(
            request: AuthenticatedHttpRequest, version: TemplateVersion, question_pk: int
        ) -> HttpResponse:
            question = find(version, question_pk)
            return self.remove(
                request,
                version,
                title="Remove this question?",
                body=question.text,
                what="question",
                remove=lambda: remove(question=question),
                then=self.version_url(version, then(question)),
                back=self.version_url(version, f"question-{question.pk}"),
            )

        return view

    def move_view(
        self, *, what: str, find: Callable[[Any, int], Any], move: Callable[..., Any]
    ) -> Callable[..., HttpResponse]:
        """The POST-only page behind a draft row's "Move up" and "Move down" buttons, reached as (request, pk,
        number, <what>_pk): `find(version, pk)` finds the row (Http404 when it is not the version's),
        `move(<what>=row, offset=)` moves it, and the page goes back to the row."""

        @require_POST
        @self.draft_view
        def view(request: AuthenticatedHttpRequest, version: TemplateVersion, **kwargs: Any) -> HttpResponse:
            row = find(version, kwargs[f"{what}_pk"])
            move(**{what: row}, offset=move_offset(request))
            return redirect(self.version_url(version, f"{what}-{row.pk}"))

        return view

    def approve_view(
        self,
        *,
        approve: Callable[..., Any],
        body: str,
        retire_note: str,
        problems: Callable[[Any], list[str]] | None = None,
    ) -> Callable[..., HttpResponse]:
        """The page that approves a draft with `approve(version=, user=)`, reached as (request, pk, number):
        `body` says what approving means, `retire_note` what happens to what used the version it retires, and
        `problems(version)` lists what stops approval before the button is pressed."""

        @self.draft_view
        def view(request: AuthenticatedHttpRequest, version: TemplateVersion) -> HttpResponse:
            current = version.template.versions.filter(status=VersionStatus.APPROVED).first()
            retire = f" Version {current.number} will be retired; {retire_note}." if current else ""

            def act() -> str:
                approve(version=version, user=request.user)
                return self.version_url(version)

            return self.confirm(
                request,
                version,
                title=f"Approve version {version.number} of {version.template.name}?",
                body=body + retire,
                button="Approve version",
                act=act,
                done=f"Version {version.number} approved",
                back=self.version_url(version),
                warning=True,
                problems=problems(version) if problems else [],
            )

        return view

    def new_version_view(
        self, *, form_class: type[forms.Form], new_from: Callable[..., TemplateVersion]
    ) -> Callable[..., HttpResponse]:
        """The page that makes a new draft copied from any version (usually the current one; a retired one to
        go back to it) with `new_from(version=, user=, change_note=)`, asking in `form_class` for the note of
        what will change. Reached as (request, pk, number)."""

        @login_required
        def view(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
            version = self.load_version(request.user, pk, number)
            self.require_manage(request)
            form = form_class(pages.posted(request))

            def act() -> str:
                new = new_from(
                    version=version, user=request.user, change_note=form.cleaned_data["change_note"]
                )
                return self.version_url(new)

            return self.confirm(
                request,
                version,
                title=f"Make a new version of {version.template.name}",
                body=f"The new draft starts as a copy of version {version.number}. Version {version.number} "
                f"and the {self.kept} stay exactly as they are.",
                button="Make a new version",
                act=act,
                done="New draft version made: change it, then approve it",
                back=self.version_url(version),
                form=form,
            )

        return view


def move_offset(request: HttpRequest) -> int:
    """-1 for the "Move up" button, +1 for "Move down"."""
    return -1 if request.POST.get("direction") == "up" else 1


def row_or_404(rows: Iterable[T], pk: int, what: str) -> T:
    """The row with this pk among a version's (prefetched) rows; Http404 when it belongs to another version."""
    row = next((row for row in rows if row.pk == pk), None)
    if row is None:
        raise Http404(f"No such {what}")
    return row


def confirm(
    request: HttpRequest,
    *,
    caption: str,
    title: str,
    body: str,
    button: str,
    act: Callable[[], str],
    done: str,
    back: str,
    form: forms.Form | None = None,
    **extra,
) -> HttpResponse:
    """A GOV.UK confirmation page: GET shows it, POST runs `act` (which returns where to go next) and says
    `done`; a ValidationError from `act` is shown on the page. `warning` shows the body as a warning, `danger`
    makes the button red, `problems` lists what stops the action."""
    form = form or forms.Form(pages.posted(request))
    done_response = pages.form_saved(request, form, lambda data: act(), done, to=lambda to: to)
    if done_response is not None:
        return done_response
    context = {
        "caption": caption,
        "form": form,
        "title": title,
        "body": body,
        "button": button,
        "back": back,
        **extra,
    }
    return render(request, "qaf/versioning/confirm.html", context)
