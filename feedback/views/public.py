"""The public feedback pages under /f/: no sign-in, GOV.UK question pages that work without JavaScript.

- /f/<token>/ is an invitation's single-use link: a start page, one or more question pages, check your answers,
  and a confirmation. Answers in progress live in the visitor's session, keyed by the invitation, with the
  submission key minted when the flow started, so a repeated "Send feedback" never makes a second response.
  A link that is not recognised, has expired, was used or withdrawn gets a page saying so (404 or 410).
- /f/<code> (like /f/K7QM-3XPA, typed from a handout: any case, with or without the hyphen) sends the visitor
  on to the token's link of the same invitation, so the flow, expiry and closed-link pages are the token's.
  Codes that name no invitation are counted per address; after CODE_MAX_MISSES in CODE_WINDOW_SECONDS every
  code from that address gets a 429 page until the window ends.
- /f/general/<slug>/ is the partnership's general form for posters and websites: one page, spam-guarded by a
  honeypot and a signed start time, and rate-limited per address.
- /f/ lists the general forms.

Every page here is private to the visitor (never stored by shared caches) and sends no referrer to other
sites, so a token cannot leak from the address bar.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods, require_safe

from feedback import tokens
from feedback.forms import public as forms
from feedback.models import FeedbackInvitation, FeedbackQuestion
from feedback.selectors import public as selectors
from feedback.services.responses import (
    InvitationUnusable,
    answers_validate,
    invitation_state,
    response_submit,
)
from qaf.models import Partnership
from qaf.ratelimit import Limit

SERVICE_NAME = "Give feedback"
FLOW_PREFIX = "feedback-flow:"

# The general form takes at most this many responses an hour from one address for one partnership.
GENERAL_MAX_PER_HOUR = 5
GENERAL_WINDOW_SECONDS = 60 * 60
# Short codes that name no invitation, from one address, before every code from it is refused for a while.
CODE_MAX_MISSES = 10
CODE_WINDOW_SECONDS = 15 * 60

PROBLEMS: dict[str, dict[str, Any]] = {
    "not_recognised": {
        "status": 404,
        "title": "This link is not recognised",
        "lines": [
            "Check that you copied the whole link from the email, text message or handout.",
            "If it still does not work, the link may have been typed wrongly when it was sent to you.",
        ],
    },
    "expired": {
        "status": 410,
        "title": "This link has expired",
        "lines": [
            "Feedback links last 30 days, so that feedback is about a meeting people still remember.",
        ],
    },
    "used": {
        "status": 410,
        "title": "You have already given feedback with this link",
        "lines": [
            "Each link can be used once. The feedback sent with it has been received.",
        ],
    },
    "withdrawn": {
        "status": 410,
        "title": "This link is no longer in use",
        "lines": [
            "The team that sent it has withdrawn it, for example because it was sent to the wrong person.",
        ],
    },
    "code_not_recognised": {
        "status": 404,
        "title": "This code is not recognised",
        "lines": [
            "Check the web address on your handout and type it again. The code at the end has 8 letters and "
            "numbers, like K7QM-3XPA.",
            "Codes never use the letters O, I or L, or the numbers 0 or 1.",
        ],
    },
    "too_many_codes": {
        "status": 429,
        "title": "Too many codes that were not recognised, try again later",
        "lines": [
            "Codes that were not recognised have been typed many times from the same internet connection, so "
            "we are not checking codes from it for now.",
            "Try again in 15 minutes. If you share a connection, for example in a library or office, someone "
            "else may have used it.",
        ],
    },
}


def private(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Never kept by a shared cache, never indexed, and no referrer sent from the page to other sites."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        # Not "no-referrer": with it browsers send "Origin: null" on the form posts, which CSRF checks refuse.
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _general_url(partnership: Partnership | None) -> str:
    if partnership is not None and selectors.general_version(partnership_slug=partnership.slug):
        return reverse("feedback_public:general", args=[partnership.slug])
    return reverse("feedback_public:index")


def _problem(
    request: HttpRequest, reason: str, *, partnership: Partnership | None, general_url: str | None = None
) -> HttpResponse:
    problem = PROBLEMS[reason]
    context = {
        "service_name": SERVICE_NAME,
        "partnership": partnership,
        "problem": problem,
        "reason": reason,
        "general_url": general_url or _general_url(partnership),
    }
    return render(request, "feedback/public/link_problem.html", context, status=problem["status"])


def _not_recognised(request: HttpRequest, token: str) -> HttpResponse:
    parts = tokens.token_parse(token)
    partnership = selectors.partnership_for_slug(parts.partnership_slug) if parts else None
    return _problem(request, "not_recognised", partnership=partnership)


def _closed(request: HttpRequest, invitation: FeedbackInvitation) -> HttpResponse | None:
    """The page for a link that no longer takes a response, or None while it is open."""
    state = invitation_state(invitation)
    if state == "open":
        return None
    return _problem(request, state, partnership=invitation.partnership)


def token_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve the token to its invitation (a clear 404 page when it names none) before the view runs."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, token: str, *args: Any, **kwargs: Any) -> HttpResponse:
        invitation = tokens.invitation_for_token(token)
        if invitation is None:
            return _not_recognised(request, token)
        return view(request, invitation, token, *args, **kwargs)

    return private(wrapped)


# --- The flow in the session -------------------------------------------------------------------------------


def _flow_key(invitation: FeedbackInvitation) -> str:
    return FLOW_PREFIX + invitation.public_id


def _flow(request: HttpRequest, invitation: FeedbackInvitation) -> dict | None:
    flow = request.session.get(_flow_key(invitation))
    if isinstance(flow, dict) and forms.submission_key_valid(flow.get("key", "")):
        return flow
    return None


def _flow_started(request: HttpRequest, invitation: FeedbackInvitation) -> dict:
    flow = _flow(request, invitation)
    if flow is None or flow.get("done"):
        flow = {"key": forms.new_submission_key(), "answers": {}, "done": False}
        request.session[_flow_key(invitation)] = flow
    flow.setdefault("answers", {})
    return flow


def _flow_save(request: HttpRequest, invitation: FeedbackInvitation, flow: dict) -> None:
    request.session[_flow_key(invitation)] = flow
    request.session.modified = True


def _flow_done(request: HttpRequest, invitation: FeedbackInvitation, key: str) -> None:
    _flow_save(request, invitation, {"key": key, "answers": {}, "done": True})


def _base_context(invitation: FeedbackInvitation, token: str) -> dict[str, Any]:
    return {
        "service_name": SERVICE_NAME,
        "partnership": invitation.partnership,
        "version": invitation.version,
        "easy_read": invitation.version.form.easy_read,
        "token": token,
    }


def _page_of(pages: list[list[FeedbackQuestion]], codes: set[str]) -> int:
    """The first page (1-based) holding one of the question codes, or 1."""
    for number, questions in enumerate(pages, start=1):
        if any(question.code in codes for question in questions):
            return number
    return 1


# --- The invitation's pages --------------------------------------------------------------------------------


@token_view
@require_safe
def start(request: HttpRequest, invitation: FeedbackInvitation, token: str) -> HttpResponse:
    if closed := _closed(request, invitation):
        return closed
    pages = selectors.version_pages(version=invitation.version)
    context = _base_context(invitation, token) | {
        "question_count": sum(len(page) for page in pages),
        "first_url": reverse("feedback_public:form-page", args=[token, 1]),
    }
    return render(request, "feedback/public/start.html", context)


@token_view
@require_http_methods(["GET", "POST"])
def page(request: HttpRequest, invitation: FeedbackInvitation, token: str, number: int) -> HttpResponse:
    if closed := _closed(request, invitation):
        return closed
    pages = selectors.version_pages(version=invitation.version)
    if not 1 <= number <= len(pages):
        return redirect("feedback_public:form", token)
    questions = pages[number - 1]
    changing = request.GET.get("change") == "yes"
    flow = _flow_started(request, invitation)
    answers: dict[str, Any] = dict(flow["answers"])
    errors: dict[str, str] = {}
    if request.method == "POST":
        raw = forms.answers_from_post(questions, request.POST)
        cleaned, errors = answers_validate(questions=questions, data=raw)
        if not errors:
            for question in questions:
                if question.code in cleaned:
                    flow["answers"][question.code] = cleaned[question.code]
                else:
                    flow["answers"].pop(question.code, None)
            _flow_save(request, invitation, flow)
            if changing or number == len(pages):
                return redirect("feedback_public:form-check", token)
            return redirect("feedback_public:form-page", token, number + 1)
        answers.update(raw)
    easy_read = invitation.version.form.easy_read
    views = forms.question_views(questions, answers, errors, mark_optional=not easy_read)
    if changing:
        back_url = reverse("feedback_public:form-check", args=[token])
    elif number == 1:
        back_url = reverse("feedback_public:form", args=[token])
    else:
        back_url = reverse("feedback_public:form-page", args=[token, number - 1])
    context = _base_context(invitation, token) | {
        "questions": views,
        "single": len(views) == 1,
        "errors": [(f"#{view.id}", view.error) for view in views if view.error],
        "number": number,
        "page_count": len(pages),
        "back_url": back_url,
        "caption": f"Question {number} of {len(pages)}",
    }
    return render(request, "feedback/public/question_page.html", context)


def _check_rows(pages: list[list[FeedbackQuestion]], answers: dict, token: str) -> list[dict]:
    rows = []
    for number, questions in enumerate(pages, start=1):
        change_url = reverse("feedback_public:form-page", args=[token, number]) + "?change=yes"
        for question in questions:
            rows.append(
                {
                    "question": question,
                    "lines": forms.answer_display(question, answers.get(question.code)),
                    "change_url": f"{change_url}#q-{question.code}",
                }
            )
    return rows


@token_view
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, invitation: FeedbackInvitation, token: str) -> HttpResponse:
    flow = _flow(request, invitation)
    if request.method == "POST":
        return _send(request, invitation, token, flow)
    if closed := _closed(request, invitation):
        return closed
    if flow is None or flow.get("done"):
        return redirect("feedback_public:form", token)
    pages = selectors.version_pages(version=invitation.version)
    questions = [question for questions in pages for question in questions]
    _, errors = answers_validate(questions=questions, data=flow["answers"])
    if errors:
        return redirect("feedback_public:form-page", token, _page_of(pages, set(errors)))
    context = _base_context(invitation, token) | {
        "rows": _check_rows(pages, flow["answers"], token),
        "submission_key": flow["key"],
        "back_url": reverse("feedback_public:form-page", args=[token, len(pages)]),
    }
    return render(request, "feedback/public/check.html", context)


def _send(
    request: HttpRequest, invitation: FeedbackInvitation, token: str, flow: dict | None
) -> HttpResponse:
    posted_key = request.POST.get(forms.KEY_FIELD, "")
    if flow is not None and not flow.get("done") and flow["key"] == posted_key:
        try:
            response_submit(
                version=invitation.version,
                answers=flow["answers"],
                submission_key=posted_key,
                invitation=invitation,
            )
        except InvitationUnusable as unusable:
            return _problem(request, unusable.reason, partnership=invitation.partnership)
        except ValidationError as error:
            pages = selectors.version_pages(version=invitation.version)
            codes = set(getattr(error, "error_dict", {}))
            return redirect("feedback_public:form-page", token, _page_of(pages, codes))
        _flow_done(request, invitation, posted_key)
        return redirect("feedback_public:form-done", token)
    # The same form sent again after it went through (the answers are no longer in the session).
    if forms.submission_key_valid(posted_key) and selectors.response_sent(
        submission_key=posted_key, invitation=invitation
    ):
        _flow_done(request, invitation, posted_key)
        return redirect("feedback_public:form-done", token)
    if closed := _closed(request, invitation):
        return closed
    return redirect("feedback_public:form-check" if flow else "feedback_public:form", token)


@token_view
@require_safe
def done(request: HttpRequest, invitation: FeedbackInvitation, token: str) -> HttpResponse:
    flow = _flow(request, invitation)
    if flow is None or not flow.get("done"):
        if closed := _closed(request, invitation):
            return closed
        return redirect("feedback_public:form", token)
    context = _base_context(invitation, token) | {"general_url": _general_url(invitation.partnership)}
    return render(request, "feedback/public/done.html", context)


@private
@require_safe
def short_link(request: HttpRequest, code: str) -> HttpResponse:
    """A short code typed from a handout: on to the invitation's own link, whatever state it is in (its pages
    say when it has been used, withdrawn or has expired). A code that names no invitation counts against the
    visitor's address; once CODE_LIMIT is reached, every code is refused (429) until the window ends."""
    if CODE_LIMIT.exceeded_for(request):
        return _problem(request, "too_many_codes", partnership=None)
    invitation = tokens.invitation_for_code(code)
    if invitation is None:
        CODE_LIMIT.count_for(request)
        return _problem(request, "code_not_recognised", partnership=None)
    return redirect("feedback_public:form", tokens.invitation_token(invitation))


# --- The general form ------------------------------------------------------------------------------------


GENERAL_LIMIT = Limit("feedback-general", GENERAL_MAX_PER_HOUR, GENERAL_WINDOW_SECONDS)
CODE_LIMIT = Limit("feedback-code", CODE_MAX_MISSES, CODE_WINDOW_SECONDS)


def _general_missing(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    partnership = selectors.partnership_for_slug(partnership_slug)
    context = {
        "service_name": SERVICE_NAME,
        "partnership": partnership,
        "index_url": reverse("feedback_public:index"),
    }
    return render(request, "feedback/public/general_missing.html", context, status=404)


def _general_submit(
    request: HttpRequest, *, version, answers: dict[str, Any], key: str, agency
) -> dict[str, str]:
    """Record a general response (counted against the hourly limit when new); its errors, or {} when sent."""
    partnership = version.form.partnership
    try:
        _, created = response_submit(
            version=version,
            answers=answers,
            submission_key=key,
            partnership=partnership,
            agency=agency,
        )
    except ValidationError as error:
        return {
            code: " ".join(messages)
            for code, messages in getattr(error, "message_dict", {"": error.messages}).items()
        }
    if created:
        GENERAL_LIMIT.count_for(request, partnership.pk)
    return {}


def _general_page(
    request: HttpRequest,
    *,
    version,
    questions: list,
    agencies: list,
    key: str,
    started: str,
    answers: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    agency_value: str = "",
    notice: str = "",
) -> HttpResponse:
    """The general form's page, with the answers given and their errors (none: the blank form)."""
    answers = answers or {}
    errors = errors or {}
    views = forms.question_views(questions, answers, errors)
    error_list = [(view.id, view.error) for view in views if view.error]
    if forms.AGENCY_FIELD in errors:
        error_list.append(("agency", errors[forms.AGENCY_FIELD]))
    if notice or (errors and not error_list):
        first_id = views[0].id if views else "agency"
        error_list.insert(0, (first_id, notice or "Check your answers and send them again"))
    agency_options = [
        forms.OptionView(
            value=str(agency.pk),
            label=agency.name,
            id="agency" if number == 1 else f"agency-{number}",
            checked=agency_value == str(agency.pk),
        )
        for number, agency in enumerate(agencies, start=1)
    ]
    context = {
        "service_name": SERVICE_NAME,
        "partnership": version.form.partnership,
        "version": version,
        "questions": views,
        "errors": [(f"#{field_id}", message) for field_id, message in error_list],
        "agency_options": agency_options,
        "agency_not_sure": agency_value == forms.NOT_SURE,
        "agency_not_sure_id": f"agency-{len(agencies) + 1}" if agencies else "agency",
        "agency_error": errors.get(forms.AGENCY_FIELD, ""),
        "not_sure": forms.NOT_SURE,
        "submission_key": key,
        "started": started,
        "honeypot": forms.HONEYPOT_FIELD,
    }
    return render(request, "feedback/public/general.html", context)


@private
@require_http_methods(["GET", "POST"])
def general(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    """The partnership's general feedback form: a GET shows it blank, a POST is read by `_general_post`."""
    version = selectors.general_version(partnership_slug=partnership_slug)
    if version is None:
        return _general_missing(request, partnership_slug)
    partnership = version.form.partnership
    questions = selectors.version_questions(version=version)
    agencies = selectors.general_agencies(partnership=partnership)
    if request.method == "POST":
        return _general_post(request, version=version, questions=questions, agencies=agencies)
    return _general_page(
        request,
        version=version,
        questions=questions,
        agencies=agencies,
        key=forms.new_submission_key(),
        started=forms.started_token(partnership.slug),
    )


def _general_turned_away(
    request: HttpRequest, *, partnership: Partnership, key: str, age: float | None, done_url: str
) -> HttpResponse | None:
    """The answer to a POST of the general form that is not to be read: what a robot sends (the hidden field
    filled in, a malformed submission key, a page sent too soon after it was shown) and a response already
    sent go to the done page as if recorded; over the hourly limit, the 429 page. None for a POST to read."""
    if request.POST.get(forms.HONEYPOT_FIELD) or not forms.submission_key_valid(key):
        return redirect(done_url)
    if age is None or age < forms.MIN_SECONDS:
        return redirect(done_url)
    if selectors.response_sent(submission_key=key, partnership=partnership):
        return redirect(done_url)
    if GENERAL_LIMIT.exceeded_for(request, partnership.pk):
        context = {"service_name": SERVICE_NAME, "partnership": partnership}
        return render(request, "feedback/public/too_many.html", context, status=429)
    return None


def _general_post(request: HttpRequest, *, version, questions: list, agencies: list) -> HttpResponse:
    """A POST of the general form: recorded and on to the done page when its answers are valid and it was not
    open for more than a day; otherwise the form again with the answers given and what to put right."""
    partnership = version.form.partnership
    done_url = reverse("feedback_public:general-done", args=[partnership.slug])
    post = request.POST
    key = post.get(forms.KEY_FIELD, "")
    age = forms.started_age(post.get(forms.STARTED_FIELD, ""), partnership.slug)
    turned_away = _general_turned_away(request, partnership=partnership, key=key, age=age, done_url=done_url)
    if turned_away is not None:
        return turned_away
    notice = ""
    started = post.get(forms.STARTED_FIELD, "")
    if age is not None and age > forms.MAX_SECONDS:
        notice = "This page was open for more than a day. Check your answers and send them again."
        started = forms.started_token(partnership.slug)
    answers = forms.answers_from_post(questions, post)
    agency_value = post.get(forms.AGENCY_FIELD, "")
    _, errors = answers_validate(questions=questions, data=answers)
    agency, agency_error = forms.agency_choice(agency_value, agencies)
    if agency_error:
        errors[forms.AGENCY_FIELD] = agency_error
    if not errors and not notice:
        errors = _general_submit(request, version=version, answers=answers, key=key, agency=agency)
        if not errors:
            return redirect(done_url)
    return _general_page(
        request,
        version=version,
        questions=questions,
        agencies=agencies,
        answers=answers,
        errors=errors,
        agency_value=agency_value,
        key=key,
        started=started,
        notice=notice,
    )


@private
@require_safe
def general_done(request: HttpRequest, partnership_slug: str) -> HttpResponse:
    version = selectors.general_version(partnership_slug=partnership_slug)
    if version is None:
        return _general_missing(request, partnership_slug)
    context = {
        "service_name": SERVICE_NAME,
        "partnership": version.form.partnership,
        "version": version,
        "again_url": reverse("feedback_public:general", args=[partnership_slug]),
    }
    return render(request, "feedback/public/general_done.html", context)


@private
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    context = {"service_name": SERVICE_NAME, "versions": selectors.general_versions()}
    return render(request, "feedback/public/index.html", context)
