"""Pages for feedback forms: the list, a form, a version's questions (the draft editor when it is a draft), and
the pages that create a form, change a draft, approve it and make a new version, say which meetings a form is
for and which it is the default for, and retire it or put it back into use.

Staff with a working role read forms (feedback.access.forms.visible; others get a 403 on the list and a 404 on
a form). Only SQA officers change them (access.forms.can(user, "manage"); others get a 403). An approved or retired
version is frozen: its editing pages answer 403 with a page that offers a new version (qaf.versioning.views),
and the services refuse.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from feedback import access
from feedback.forms.forms_builder import (
    ChangeNoteForm,
    FeedbackFormCreateForm,
    FormMeetingsForm,
    QuestionForm,
    VersionTextsForm,
    options_as_text,
)
from feedback.models import (
    DEFAULT_KINDS,
    FREE_TEXT_MAX_LENGTH,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackQuestion,
)
from feedback.selectors import forms as selectors
from feedback.services import forms as services
from qaf import pages
from qaf.csvexport import csv_response
from qaf.models import Partnership
from qaf.pages import apply_errors, form_saved, require
from qaf.types import AuthenticatedHttpRequest
from qaf.versioning.selectors import current_version
from qaf.versioning.views import VersionPages, confirm, row_or_404

PAGE_SIZE = 50

PAGES = VersionPages(
    urls="feedback:form",
    plural="Feedback forms",
    noun="form",
    load_version=selectors.version_for_page,
    can_manage=lambda user: access.forms.can(user, "manage"),
    refused="Only SQA officers change feedback forms.",
    kept="responses given to it",
    frozen_reason="Responses record the version they answered, so its questions never change.",
)
_require_manage = PAGES.require_manage
_version_url = PAGES.version_url
draft_view = PAGES.draft_view


def _partnership(request: AuthenticatedHttpRequest) -> Partnership:
    """The partnership whose forms the user manages; someone who belongs to none has no forms to make."""
    return pages.own_partnership(request.user, PAGES.refused)


def _question(version: FeedbackFormVersion, question_pk: int) -> FeedbackQuestion:
    question = row_or_404(version.questions.all(), question_pk, "question")
    question.version = version
    return question


# --- reading --------------------------------------------------------------------------------------------


@login_required
def form_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(access.forms, request.user, "list", "Feedback forms are for the partnership's working staff.")
    page = Paginator(selectors.forms_for_list(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    can_manage = access.forms.can(request.user, "manage")
    rows = [{"form": form, "default_for": selectors.default_labels(form)} for form in page.object_list]
    return render(
        request,
        "feedback/forms/form_list.html",
        {
            "page": page,
            "rows": rows,
            "can_manage": can_manage,
            "missing_defaults": selectors.missing_default_forms(request.user) if can_manage else [],
            "no_default_for": selectors.missing_defaults(request.user) if can_manage else [],
            "all_responses": access.complaints.can(request.user, "see_analysis"),
        },
    )


@login_required
def form_list_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The forms list as CSV: every form the user may see, with the counts the page shows."""
    require(access.forms, request.user, "list", "Feedback forms are for the partnership's working staff.")
    rows = (
        (
            form.name,
            form.get_audience_display(),
            "Yes" if form.easy_read else "No",
            form.current_number or "",
            form.draft_number or "",
            form.response_count,
            "; ".join(form.meeting_kind_labels()),
            "; ".join(selectors.default_labels(form)),
            timezone.localtime(form.retired_at).date().isoformat() if form.retired_at else "",
        )
        for form in selectors.forms_for_list(request.user)
    )
    header = [
        "Form",
        "Audience",
        "Easy read",
        "Version in use",
        "Draft version",
        "Responses",
        "Meetings it is for",
        "Default for",
        "Retired",
    ]
    return csv_response(f"feedback-forms-{timezone.localdate().isoformat()}.csv", header, rows)


@login_required
def form_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = selectors.form_for_page(request.user, pk)
    context = PAGES.template_context(request, form)
    current = context["current"]
    context |= {
        "feedback_form": form,
        "pages": selectors.version_pages(current) if current else [],
        "free_text_max": FREE_TEXT_MAX_LENGTH,
        "default_for": selectors.default_labels(form),
        "can_be_default": form.audience in DEFAULT_KINDS,
    }
    return render(request, "feedback/forms/form_detail.html", context)


@login_required
def version_detail(request: AuthenticatedHttpRequest, pk: int, number: int) -> HttpResponse:
    version = selectors.version_for_page(request.user, pk, number)
    context = PAGES.version_context(request, version)
    context |= {
        "feedback_form": version.form,
        "pages": selectors.version_pages(version),
        "free_text_max": FREE_TEXT_MAX_LENGTH,
    }
    return render(request, "feedback/forms/version_detail.html", context)


# --- forms ----------------------------------------------------------------------------------------------


@login_required
def form_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manage(request)
    form = FeedbackFormCreateForm(pages.posted(request))
    done = form_saved(
        request,
        form,
        lambda data: services.feedback_form_create(
            partnership=_partnership(request), user=request.user, **data
        ),
        "Form created. Add its questions to version 1, then approve it.",
        lambda created: reverse("feedback:form-version", args=[created.pk, 1]),
    )
    return done or render(request, "feedback/forms/form_create.html", {"form": form})


@require_POST
@login_required
def form_seed_defaults(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_manage(request)
    created = services.feedback_forms_seed_defaults(partnership=_partnership(request), user=request.user)
    if created:
        names = ", ".join(form.name for form in created)
        messages.success(request, f"Default forms added: {names}")
    else:
        messages.info(request, "The default forms are all here already")
    return redirect("feedback:form-list")


# --- a draft version ------------------------------------------------------------------------------------


@draft_view
def version_edit(request: AuthenticatedHttpRequest, version: FeedbackFormVersion) -> HttpResponse:
    initial = {key: getattr(version, key) for key in ("title", "intro", "thank_you", "change_note")}
    form = VersionTextsForm(pages.posted(request), initial=initial)
    done = form_saved(
        request,
        form,
        lambda data: services.feedback_form_version_update(version=version, **data),
        "Texts saved",
        _version_url(version),
    )
    return done or PAGES.item_page(
        request, version, form, title="Change the texts respondents see", back=_version_url(version)
    )


def _question_saved(
    request: AuthenticatedHttpRequest,
    form: QuestionForm,
    save: Callable[[dict], FeedbackQuestion],
    message: str,
) -> HttpResponse | None:
    """Run `save` on a valid POSTed question form; redirect to the question on success, else None."""
    return form_saved(
        request,
        form,
        save,
        message,
        lambda question: _version_url(question.version, f"question-{question.pk}"),
    )


@draft_view
def question_add(request: AuthenticatedHttpRequest, version: FeedbackFormVersion) -> HttpResponse:
    last_page = max((q.page for q in version.questions.all()), default=1)
    form = QuestionForm(
        pages.posted(request), easy_read=version.form.easy_read, initial={"page": str(last_page)}
    )
    done = _question_saved(
        request, form, lambda data: services.question_add(version=version, **data), "Question added"
    )
    return done or PAGES.item_page(
        request, version, form, title="Add a question", back=_version_url(version, "questions")
    )


@draft_view
def question_change(
    request: AuthenticatedHttpRequest, version: FeedbackFormVersion, question_pk: int
) -> HttpResponse:
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
    return done or PAGES.item_page(
        request,
        version,
        form,
        title="Change the question",
        back=_version_url(version, f"question-{question.pk}"),
    )


question_delete = PAGES.question_remove_view(
    find=_question, remove=services.question_delete, then=lambda question: "questions"
)
question_move = PAGES.move_view(what="question", find=_question, move=services.question_move)

version_approve = PAGES.approve_view(
    approve=services.version_approve,
    body="Once approved, this version cannot be changed: new invitations with this form use it. Whether "
    "invitations use the form at all is set by its defaults, on the form's page.",
    retire_note="responses already given to it stay with it",
    problems=services.version_problems,
)

version_new = PAGES.new_version_view(form_class=ChangeNoteForm, new_from=services.version_new_from)


# --- what a form is for, defaults, retiring -------------------------------------------------------------------


_form_url = PAGES.template_url


@login_required
@require_http_methods(["GET", "POST"])
def form_meetings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Which meetings a form is for and which of them it is the default for (the default staff survey for a
    staff form). Not for the general form (404); a retired form cannot be made a default (the service says so)."""
    feedback_form = selectors.form_for_page(request.user, pk)
    _require_manage(request)
    if feedback_form.audience not in DEFAULT_KINDS:
        raise Http404("The general form is not for a meeting")
    defaults = {kind: form for (_, kind), form in selectors.audience_defaults(feedback_form).items()}
    initial = {
        "meeting_kinds": list(feedback_form.meeting_kinds),
        "default_for": [kind for kind, form in defaults.items() if form.pk == feedback_form.pk],
    }
    form = FormMeetingsForm(
        pages.posted(request), initial=initial, feedback_form=feedback_form, defaults=defaults
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_form_meetings_set(
                form=feedback_form,
                user=request.user,
                meeting_kinds=form.cleaned_data.get("meeting_kinds", []),
                default_for=form.cleaned_data["default_for"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Meetings and defaults saved")
            return redirect(_form_url(feedback_form))
    context = {
        "feedback_form": feedback_form,
        "form": form,
        "approved": current_version(feedback_form) is not None,
        "back": _form_url(feedback_form),
    }
    return render(request, "feedback/forms/form_meetings.html", context, status=pages.status_for(form))


def _form_confirm(
    request: AuthenticatedHttpRequest, feedback_form: FeedbackForm, *, act: Callable[[], object], **kwargs
) -> HttpResponse:
    """A GOV.UK confirmation page about a whole form: GET shows it, POST runs `act`, then back to the form."""

    def done() -> str:
        act()
        return _form_url(feedback_form)

    back = _form_url(feedback_form)
    return confirm(request, caption=feedback_form.name, act=done, back=back, **kwargs)


@login_required
@require_http_methods(["GET", "POST"])
def form_retire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback_form = selectors.form_for_page(request.user, pk)
    _require_manage(request)
    defaults = selectors.default_labels(feedback_form)
    body = (
        "New invitations will not use this form and it will not be offered when inviting. Links already sent "
        "keep working until they expire, and responses keep the version they answered."
    )
    if defaults:
        body += (
            f" It will stop being the default ({', '.join(defaults)}), leaving no default there until you "
            "choose another form."
        )
    return _form_confirm(
        request,
        feedback_form,
        title=f"Retire {feedback_form.name}?",
        body=body,
        button="Retire form",
        act=lambda: services.feedback_form_retire(form=feedback_form, user=request.user),
        done="Form retired: it takes no new invitations",
        warning=True,
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def form_reinstate(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    feedback_form = selectors.form_for_page(request.user, pk)
    _require_manage(request)
    return _form_confirm(
        request,
        feedback_form,
        title=f"Put {feedback_form.name} back into use?",
        body="People inviting feedback can choose it again. To make it a default again, set that on its page.",
        button="Put back into use",
        act=lambda: services.feedback_form_reinstate(form=feedback_form),
        done="Form back in use",
    )
