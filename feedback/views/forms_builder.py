"""Pages for feedback forms: the list, a form, a version's questions (the draft editor when it is a draft), and
the pages that create a form, change a draft, approve it and make a new version.

Staff with a working role read forms (feedback.access.visible_forms; others get a 403 on the list and a 404 on
a form). Only SQA officers change them (access.can_manage_forms; others get a 403). An approved or retired
version is frozen: its editing pages answer 403 with a page that offers a new version, and the services refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from feedback import access
from feedback.forms.forms_builder import (
    ChangeNoteForm,
    FeedbackFormCreateForm,
    QuestionForm,
    VersionTextsForm,
    options_as_text,
)
from feedback.models import FREE_TEXT_MAX_LENGTH, FeedbackFormVersion, FeedbackQuestion, FormVersionStatus
from feedback.selectors import forms as selectors
from feedback.services import forms as services
from qaf import pages
from qaf.csvexport import csv_response
from qaf.pages import apply_errors

PAGE_SIZE = 50


def _require_manage(request: HttpRequest) -> None:
    if not access.can_manage_forms(request.user):
        raise PermissionDenied("Only SQA officers change feedback forms.")


def _version_url(version: FeedbackFormVersion, anchor: str = "") -> str:
    url = reverse("feedback:form-version", args=[version.form_id, version.number])
    return f"{url}#{anchor}" if anchor else url


draft_view = pages.draft_view(
    load=selectors.version_for_page,
    require_manage=_require_manage,
    frozen_template="feedback/forms/frozen.html",
)


def _question(version: FeedbackFormVersion, question_pk: int) -> FeedbackQuestion:
    for question in version.questions.all():
        if question.pk == question_pk:
            question.version = version
            return question
    raise Http404("No such question")


# --- reading --------------------------------------------------------------------------------------------


@login_required
def form_list(request: HttpRequest) -> HttpResponse:
    if not access.can_see_forms(request.user):
        raise PermissionDenied("Feedback forms are for the partnership's working staff.")
    page = Paginator(selectors.forms_for_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = access.can_manage_forms(request.user)
    return render(
        request,
        "feedback/forms/form_list.html",
        {
            "page": page,
            "can_manage": can_manage,
            "missing_defaults": selectors.missing_default_forms(request.user) if can_manage else [],
            "all_responses": access.can_see_analysis(request.user),
        },
    )


@login_required
def form_list_csv(request: HttpRequest) -> HttpResponse:
    """The forms list as CSV: every form the user may see, with the counts the page shows."""
    if not access.can_see_forms(request.user):
        raise PermissionDenied("Feedback forms are for the partnership's working staff.")
    rows = (
        (
            form.name,
            form.get_audience_display(),
            "Yes" if form.easy_read else "No",
            form.current_number or "",
            form.draft_number or "",
            form.response_count,
        )
        for form in selectors.forms_for_list(request.user)
    )
    header = ["Form", "Audience", "Easy read", "Version in use", "Draft version", "Responses"]
    return csv_response(f"feedback-forms-{timezone.localdate().isoformat()}.csv", header, rows)


@login_required
def form_detail(request: HttpRequest, pk: int) -> HttpResponse:
    form = selectors.form_for_page(request.user, pk)
    current = selectors.current_version(form)
    return render(
        request,
        "feedback/forms/form_detail.html",
        {
            "feedback_form": form,
            "versions": list(form.versions.all()),
            "current": current,
            "draft": selectors.draft_version(form),
            "pages": selectors.version_pages(current) if current else [],
            "can_manage": access.can_manage_forms(request.user),
            "free_text_max": FREE_TEXT_MAX_LENGTH,
        },
    )


@login_required
def version_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_page(request.user, pk, number)
    can_manage = access.can_manage_forms(request.user)
    draft = None
    if can_manage and not version.is_editable:
        draft = version.form.versions.filter(status=FormVersionStatus.DRAFT).first()
    return render(
        request,
        "feedback/forms/version_detail.html",
        {
            "version": version,
            "feedback_form": version.form,
            "pages": selectors.version_pages(version),
            "can_manage": can_manage,
            "editable": can_manage and version.is_editable,
            "draft": draft,
            "free_text_max": FREE_TEXT_MAX_LENGTH,
        },
    )


# --- forms ----------------------------------------------------------------------------------------------


@login_required
def form_create(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    form = FeedbackFormCreateForm(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.feedback_form_create(
                partnership=request.user.partnership, user=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Form created. Add its questions to version 1, then approve it.")
            return redirect("feedback:form-version", created.pk, 1)
    return render(request, "feedback/forms/form_create.html", {"form": form})


@require_POST
@login_required
def form_seed_defaults(request: HttpRequest) -> HttpResponse:
    _require_manage(request)
    created = services.feedback_forms_seed_defaults(partnership=request.user.partnership, user=request.user)
    if created:
        names = ", ".join(form.name for form in created)
        messages.success(request, f"Default forms added: {names}")
    else:
        messages.info(request, "The default forms are all here already")
    return redirect("feedback:form-list")


# --- a draft version ------------------------------------------------------------------------------------


@draft_view
def version_edit(request: HttpRequest, version: FeedbackFormVersion) -> HttpResponse:
    initial = {key: getattr(version, key) for key in ("title", "intro", "thank_you", "change_note")}
    form = VersionTextsForm(pages.posted(request), initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_form_version_update(version=version, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Texts saved")
            return redirect(_version_url(version))
    return _item_page(
        request, version, form, title="Change the texts respondents see", back=_version_url(version)
    )


def _item_page(request, version, form, *, title: str, back: str) -> HttpResponse:
    return render(
        request,
        "feedback/forms/item_form.html",
        {"version": version, "form": form, "title": title, "back": back},
    )


def _question_saved(request, form: QuestionForm, save: Callable[[dict], FeedbackQuestion], message: str):
    """Run `save` on a valid POSTed question form; redirect to the question on success, else None."""
    if request.method != "POST" or not form.is_valid():
        return None
    data = {key: form.cleaned_data.get(key, "") for key in form.fields}
    try:
        question = save(data)
    except ValidationError as error:
        apply_errors(form, error)
        return None
    messages.success(request, message)
    return redirect(_version_url(question.version, f"question-{question.pk}"))


@draft_view
def question_add(request: HttpRequest, version: FeedbackFormVersion) -> HttpResponse:
    last_page = max((q.page for q in version.questions.all()), default=1)
    form = QuestionForm(
        pages.posted(request), easy_read=version.form.easy_read, initial={"page": str(last_page)}
    )
    done = _question_saved(
        request, form, lambda data: services.question_add(version=version, **data), "Question added"
    )
    return done or _item_page(
        request, version, form, title="Add a question", back=_version_url(version, "questions")
    )


@draft_view
def question_change(request: HttpRequest, version: FeedbackFormVersion, question_pk: int) -> HttpResponse:
    question = _question(version, question_pk)
    initial = {
        "code": question.code,
        "page": str(question.page),
        "kind": question.kind,
        "text": question.text,
        "hint": question.hint,
        "options": options_as_text(question.kind, question.options),
        "required": question.required,
        "image": question.image,
        "image_alt": question.image_alt,
    }
    form = QuestionForm(pages.posted(request), easy_read=version.form.easy_read, initial=initial)
    done = _question_saved(
        request, form, lambda data: services.question_update(question=question, **data), "Question saved"
    )
    return done or _item_page(
        request,
        version,
        form,
        title="Change the question",
        back=_version_url(version, f"question-{question.pk}"),
    )


def _confirm(
    request, version, *, title: str, body: str, button: str, act: Callable[[], str], done: str, **extra
):
    """A GOV.UK confirmation page: GET shows it, POST runs `act` (which returns where to go next)."""
    form = extra.pop("form", None) or forms.Form(pages.posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            to = act()
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect(to)
    context = {"version": version, "form": form, "title": title, "body": body, "button": button, **extra}
    return render(request, "feedback/forms/confirm.html", context)


@draft_view
def question_delete(request: HttpRequest, version: FeedbackFormVersion, question_pk: int) -> HttpResponse:
    question = _question(version, question_pk)

    def act() -> str:
        services.question_delete(question=question)
        return _version_url(version, "questions")

    return _confirm(
        request,
        version,
        title="Remove this question?",
        body=question.text,
        button="Remove question",
        act=act,
        done="Question removed",
        back=_version_url(version, f"question-{question.pk}"),
        warning=True,
        danger=True,
    )


@require_POST
@draft_view
def question_move(request: HttpRequest, version: FeedbackFormVersion, question_pk: int) -> HttpResponse:
    question = _question(version, question_pk)
    offset = -1 if request.POST.get("direction") == "up" else 1
    services.question_move(question=question, offset=offset)
    return redirect(_version_url(version, f"question-{question.pk}"))


@draft_view
def version_approve(request: HttpRequest, version: FeedbackFormVersion) -> HttpResponse:
    current = version.form.versions.filter(status=FormVersionStatus.APPROVED).first()
    retire = (
        f" Version {current.number} will be retired; responses already given to it stay with it."
        if current
        else ""
    )

    def act() -> str:
        services.version_approve(version=version, user=request.user)
        return _version_url(version)

    return _confirm(
        request,
        version,
        title=f"Approve version {version.number} of {version.form.name}?",
        body="Once approved, this version cannot be changed: new invitations and the public form use it."
        + retire,
        button="Approve version",
        act=act,
        done=f"Version {version.number} approved",
        back=_version_url(version),
        warning=True,
        problems=services.version_problems(version),
    )


@login_required
def version_new(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """Make a new draft copied from a version (usually the current one)."""
    version = selectors.version_for_page(request.user, pk, number)
    _require_manage(request)
    form = ChangeNoteForm(pages.posted(request))

    def act() -> str:
        new = services.version_new_from(
            version=version, user=request.user, change_note=form.cleaned_data["change_note"]
        )
        return _version_url(new)

    return _confirm(
        request,
        version,
        title=f"Make a new version of {version.form.name}",
        body=f"The new draft starts as a copy of version {version.number}. Version {version.number} and the "
        "responses given to it stay exactly as they are.",
        button="Make a new version",
        act=act,
        done="New draft version made: change it, then approve it",
        back=_version_url(version),
        form=form,
    )
