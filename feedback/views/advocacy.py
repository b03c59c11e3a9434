"""Advocacy quarterly returns: the list (per quarter, with filters and a CSV), the return's page, writing a
draft, changing it, and submitting it (after which it is frozen).

Every page goes through feedback.access: a return the user may not see is a 404; one they may see but not write
is a 403, and so is any change to a submitted return.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from feedback import access
from feedback.filters import AdvocacyFilterSet
from feedback.forms.advocacy import AdvocacyReturnForm, initial_for
from feedback.models import AdvocacyReturn, AdvocacyReturnStatus
from feedback.selectors import advocacy as selectors
from feedback.services import advocacy as services
from qaf.lists import Csv, csv_download, list_page, render_rows
from qaf.pages import apply_errors, form_saved, get_permitted, posted, require, status_for
from qaf.types import AuthenticatedHttpRequest


def _require_advocacy(request: AuthenticatedHttpRequest) -> None:
    require(
        access.advocacy,
        request.user,
        "list",
        "Advocacy returns are seen by the advocacy service, SQA officers and board members.",
    )


def _return_url(advocacy_return: AdvocacyReturn) -> str:
    return reverse("feedback:advocacy-detail", args=[advocacy_return.pk])


def _returns(request: AuthenticatedHttpRequest):
    return selectors.advocacy_returns_listed(access.advocacy.visible(request.user))


@login_required
@require_safe
def advocacy_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_advocacy(request)
    listing = list_page(request, filterset_class=AdvocacyFilterSet, queryset=_returns(request))
    return render_rows(
        request,
        "feedback/advocacy/list.html",
        listing,
        lambda row: {"return": row, "quarter": selectors.quarter_label(row.year, row.quarter)},
        can_write=access.advocacy.can(request.user, "write"),
    )


@login_required
@require_safe
def advocacy_list_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Exactly the returns the list shows with the same filters (every page), one row per return."""
    _require_advocacy(request)
    csv = Csv(
        filename=lambda: f"advocacy-returns-{timezone.localdate().isoformat()}.csv",
        rows=lambda returns: (
            selectors.csv_header(),
            selectors.csv_rows(selectors.with_activities(returns).iterator(chunk_size=500)),
        ),
    )
    return csv_download(request, filterset_class=AdvocacyFilterSet, queryset=_returns(request), csv=csv)


def _exists_errors(existing: AdvocacyReturn) -> list[tuple[str, str]]:
    """The error summary when the quarter already has a return: a link to that return, in place of the form's."""
    action = "view or change" if existing.status == AdvocacyReturnStatus.DRAFT else "view"
    return [
        (
            _return_url(existing),
            f"{existing.agency.name} already has a return for {existing.year} Q{existing.quarter}: "
            f"{action} that return",
        )
    ]


def _form_page(
    request: AuthenticatedHttpRequest,
    form: AdvocacyReturnForm,
    advocacy_return: AdvocacyReturn | None,
    existing: AdvocacyReturn | None = None,
) -> HttpResponse:
    context = {
        "form": form,
        "advocacy_return": advocacy_return,
        "quarter": (
            selectors.quarter_label(advocacy_return.year, advocacy_return.quarter) if advocacy_return else ""
        ),
        "existing_errors": _exists_errors(existing) if existing else [],
        "levels": selectors.level_headings(),
    }
    return render(request, "feedback/advocacy/form.html", context, status=status_for(form))


@login_required
def advocacy_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    require(
        access.advocacy,
        request.user,
        "write",
        "The advocacy service's managers and SQA officers write the quarterly returns.",
    )
    year, quarter = selectors.new_return_quarter(
        access.advocacy.writing_agencies(request.user), timezone.localdate()
    )
    form = AdvocacyReturnForm(posted(request), user=request.user, initial={"year": year, "quarter": quarter})
    existing = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            advocacy_return = services.advocacy_return_create(
                by=request.user,
                agency=data["agency"],
                year=data["year"],
                quarter=data["quarter"],
                counts=form.counts(),
                **form.text_fields(),
            )
        except services.AdvocacyReturnExists as exc:
            existing = exc.existing
            form.add_error("quarter", str(exc))
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Return saved as a draft. Submit it when it is complete.")
            return redirect(_return_url(advocacy_return))
    return _form_page(request, form, None, existing)


@login_required
@require_safe
def advocacy_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    advocacy_return = access.advocacy.get_for_user(request.user, pk)
    counts = selectors.activity_counts(advocacy_return)
    is_draft = advocacy_return.status == AdvocacyReturnStatus.DRAFT
    context = {
        "advocacy_return": advocacy_return,
        "quarter": selectors.quarter_label(advocacy_return.year, advocacy_return.quarter),
        "grid": selectors.activity_grid(counts),
        "levels": selectors.level_headings(),
        "can_change": is_draft and access.advocacy.can(request.user, "write", advocacy_return),
    }
    return render(request, "feedback/advocacy/detail.html", context)


def _writable(request: AuthenticatedHttpRequest, pk: int) -> AdvocacyReturn:
    """The return if the user may change it: 404 when they cannot see it, 403 when they may not write it or it
    has been submitted."""
    refused = "The advocacy service's managers and SQA officers write the quarterly returns."
    advocacy_return = get_permitted(access.advocacy, request.user, pk, "write", refused)
    if advocacy_return.status != AdvocacyReturnStatus.DRAFT:
        raise PermissionDenied(services.FROZEN)
    return advocacy_return


@login_required
def advocacy_change(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    advocacy_return = _writable(request, pk)
    counts = selectors.activity_counts(advocacy_return)
    form = AdvocacyReturnForm(
        request.POST or None,
        user=request.user,
        advocacy_return=advocacy_return,
        initial=initial_for(advocacy_return, counts),
    )
    saved = form_saved(
        request,
        form,
        lambda data: services.advocacy_return_update(
            advocacy_return=advocacy_return, by=request.user, counts=form.counts(), **form.text_fields()
        ),
        "Return saved",
        _return_url(advocacy_return),
    )
    return saved or _form_page(request, form, advocacy_return)


@login_required
@require_http_methods(["GET", "POST"])
def advocacy_submit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """GET: the confirmation page; POST: submit. A return already submitted goes back to its page."""
    refused = "The advocacy service's managers and SQA officers submit the quarterly returns."
    advocacy_return = get_permitted(access.advocacy, request.user, pk, "write", refused)
    if advocacy_return.status != AdvocacyReturnStatus.DRAFT:
        return redirect(_return_url(advocacy_return))
    if request.method == "POST":
        try:
            services.advocacy_return_submit(advocacy_return=advocacy_return, by=request.user)
        except PermissionDenied:
            pass  # submitted by someone else a moment ago: it is frozen either way
        else:
            messages.success(
                request,
                f"Return for {advocacy_return.agency.name}, {advocacy_return.year} "
                f"Q{advocacy_return.quarter} submitted",
            )
        return redirect(_return_url(advocacy_return))
    counts = selectors.activity_counts(advocacy_return)
    context = {
        "advocacy_return": advocacy_return,
        "quarter": selectors.quarter_label(advocacy_return.year, advocacy_return.quarter),
        "total": sum(counts.values()),
    }
    return render(request, "feedback/advocacy/submit.html", context)
