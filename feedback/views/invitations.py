"""Invitation pages: the list with its response rate and CSV, inviting the people at one meeting (filled in from
an annual review when asked), the bulk run for a date range, an invitation's page (resend, withdraw), and the
printable handouts with their QR codes.

Every page goes through feedback.access: staff with a working role see their agencies' invitations (SQA officers
all); board members are refused (403); an invitation the user may not see is a 404. No page or CSV shows a
contact in full or names a child; the invitation's page alone shows the child's case reference.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from feedback import access
from feedback.filters import InvitationFilterSet
from feedback.forms.invitations import NOT_ASKED, BulkInvitationForm, InvitationForm
from feedback.models import Delivery, FeedbackInvitation, MeetingKind
from feedback.selectors import invitations as selectors
from feedback.services import invitations as services
from feedback.services.responses import invitation_state
from qaf.access import get_for_user_or_404
from qaf.lists import Csv, ListPage, csv_download, list_page, render_list
from qaf.pages import form_handled, permit, require, status_for
from qaf.types import AuthenticatedHttpRequest

# The most handouts one page prints.
HANDOUTS_MAX = 500

CSV_COLUMNS = [
    "id",
    "created",
    "agency",
    "form",
    "audience",
    "meeting",
    "meeting date",
    "term",
    "delivery",
    "status",
    "sent",
    "reminded",
    "answered",
    "withdrawn",
    "expires",
]


def _require_lists(user) -> None:
    require(access.complaints, user, "list", "Invitations are seen by the staff of each agency.")


def _invitations(request: AuthenticatedHttpRequest):
    return access.invitations.visible(request.user).order_by("-meeting_on", "-pk")


@login_required
@require_safe
def invitation_list(request: AuthenticatedHttpRequest) -> HttpResponseBase:
    _require_lists(request.user)
    listing = list_page(
        request,
        filterset_class=InvitationFilterSet,
        queryset=_invitations(request).select_related("agency", "version__form"),
    )
    if not isinstance(listing, ListPage):
        return listing
    shown = listing.page.paginator.object_list
    assert isinstance(shown, QuerySet)
    now = timezone.now()
    rows = []
    for invitation in listing.page.object_list:
        status = invitation.status(now)
        rows.append(
            {
                "invitation": invitation,
                "label": selectors.STATUS_LABELS[status],
                "tag": selectors.STATUS_TAGS[status],
            }
        )
    return render_list(
        request,
        "feedback/invitations/list.html",
        listing,
        rows=rows,
        rate=selectors.response_rate(shown),
        can_invite=access.invitations.can(request.user, "invite"),
        query=request.GET.urlencode(),
    )


def _date(value: dt.datetime | None) -> str:
    return timezone.localtime(value).date().isoformat() if value else ""


def _csv_row(invitation: FeedbackInvitation, now: dt.datetime) -> list[object]:
    return [
        invitation.pk,
        _date(invitation.created_at),
        invitation.agency.name,
        invitation.version.form.name,
        invitation.get_audience_display(),
        invitation.get_meeting_kind_display(),
        invitation.meeting_on.isoformat(),
        str(invitation.term) if invitation.term_id else "",
        invitation.get_delivery_display(),
        selectors.STATUS_LABELS[invitation.status(now)],
        _date(invitation.sent_at),
        _date(invitation.reminded_at),
        _date(invitation.responded_at),
        _date(invitation.withdrawn_at),
        _date(invitation.expires_at),
    ]


def _csv_rows(invitations: QuerySet[FeedbackInvitation]) -> tuple[list[str], Iterator[list[object]]]:
    now = timezone.now()
    rows = invitations.select_related("agency", "version__form", "term__academic_year")
    return CSV_COLUMNS, (_csv_row(invitation, now) for invitation in rows.iterator(chunk_size=500))


@login_required
@require_safe
def invitation_list_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """Exactly the rows the list shows with the same filters (all pages). No contact details and no child."""
    _require_lists(request.user)
    csv = Csv(filename=lambda: f"feedback-invitations-{timezone.localdate().isoformat()}.csv", rows=_csv_rows)
    return csv_download(request, filterset_class=InvitationFilterSet, queryset=_invitations(request), csv=csv)


def _prefill(request: AuthenticatedHttpRequest) -> tuple[dict, object]:
    """Initial values from ?review=<id>: an annual review meeting, its date and its child. The agency is
    left for the user to choose (InvitationForm chooses it only when they invite for one agency alone)."""
    initial: dict = {}
    review = None
    if "review" in request.GET:
        review = selectors.review_for_invitation(request.user, request.GET["review"])
        if review is None:
            raise Http404("Review not found")
        initial.update(
            review=review.pk,
            meeting_kind=MeetingKind.ANNUAL_REVIEW,
            meeting_on=review.meeting_on,
            case_reference=review.child.case_reference,
        )
    return initial, review


def _require_invite(user) -> None:
    require(
        access.invitations, user, "invite", "Staff of an agency invite feedback on their agency's meetings."
    )


def _invited(request: AuthenticatedHttpRequest, created: list[FeedbackInvitation]) -> HttpResponse:
    """After inviting the people at one meeting: say what is sent and what is to print, and go on to print
    the handouts (or back to the list when there are none)."""
    sent = sum(1 for i in created if i.delivery != Delivery.HANDOUT)
    handouts = [i.pk for i in created if i.delivery == Delivery.HANDOUT]
    parts = []
    if sent:
        parts.append(f"{sent} {'invitation is' if sent == 1 else 'invitations are'} being sent")
    if handouts:
        parts.append(f"{len(handouts)} {'handout' if len(handouts) == 1 else 'handouts'} to print")
    messages.success(request, "Invitations created: " + " and ".join(parts))
    if handouts:
        ids = ",".join(str(pk) for pk in handouts)
        return redirect(f"{reverse('feedback:invitation-handouts')}?ids={ids}")
    return redirect("feedback:invitation-list")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_invite(request.user)
    initial, review = _prefill(request)
    form = InvitationForm(request.POST or None, user=request.user, initial=initial)

    def create(data: dict[str, Any]) -> list[FeedbackInvitation]:
        return services.invitations_create(
            by=request.user,
            agency=data["agency"],
            meeting_kind=data["meeting_kind"],
            meeting_on=data["meeting_on"],
            recipients=form.recipients,
            child=form.child,
            review=form.review_obj,
            valid_days=data["valid_days"],
        )

    done = form_handled(request, form, create, lambda created: _invited(request, created))
    context = {"form": form, "review": review or form.review_obj, "not_asked": NOT_ASKED}
    return done or render(request, "feedback/invitations/form.html", context, status=status_for(form))


def _bulk_invited(request: AuthenticatedHttpRequest, created: list[FeedbackInvitation]) -> HttpResponse:
    """After a bulk run: on to print its handouts, or back to the form when every review had invitations."""
    if not created:
        messages.info(request, "Every annual review held between those dates already has invitations.")
        return redirect("feedback:invitation-bulk")
    reviews = len({i.review_id for i in created})
    messages.success(
        request,
        f"{len(created)} handouts created for {reviews} annual {'review' if reviews == 1 else 'reviews'}",
    )
    batch = int(created[0].created_at.timestamp() * 1_000_000)
    return redirect(f"{reverse('feedback:invitation-handouts')}?batch={batch}")


@login_required
@require_http_methods(["GET", "POST"])
def invitation_bulk(request: AuthenticatedHttpRequest) -> HttpResponse:
    _require_invite(request.user)
    form = BulkInvitationForm(request.POST or None, user=request.user)

    def create(data: dict[str, Any]) -> list[FeedbackInvitation]:
        return services.invitations_create_for_reviews(
            by=request.user,
            agency=data["agency"],
            meeting_from=data["meeting_from"],
            meeting_to=data["meeting_to"],
            form_ids=form.form_ids(),
        )

    done = form_handled(request, form, create, lambda created: _bulk_invited(request, created))
    return done or render(request, "feedback/invitations/bulk.html", {"form": form}, status=status_for(form))


@login_required
@require_safe
def invitation_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_lists(request.user)
    invitation = access.invitations.get_for_user(request.user, pk)
    now = timezone.now()
    status = invitation.status(now)
    context = {
        "invitation": invitation,
        "status": status,
        "status_label": selectors.STATUS_LABELS[status],
        "status_tag": selectors.STATUS_TAGS[status],
        "contact": selectors.mask_contact(invitation.contact),
        "meeting": selectors.meeting_phrase(invitation.meeting_kind),
        "is_open": invitation_state(invitation, now) == "open",
        "is_sent_by_us": invitation.delivery in services.SENT_DELIVERIES,
        "can_change": access.invitations.can(request.user, "invite", invitation.agency),
    }
    return render(request, "feedback/invitations/detail.html", context)


def _handouts_page(
    request: AuthenticatedHttpRequest, invitations: list[FeedbackInvitation], asked: int
) -> HttpResponse:
    now = timezone.now()
    printable = [i for i in invitations if invitation_state(i, now) == "open"]
    context = {
        "rows": selectors.handout_rows(printable),
        "left_out": asked - len(printable),
    }
    return render(request, "feedback/invitations/handouts.html", context)


def _handout_queryset(request: AuthenticatedHttpRequest):
    return access.invitations.visible(request.user).select_related("partnership", "agency", "version__form")


@login_required
@require_safe
def invitation_handout(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    _require_lists(request.user)
    invitation = get_for_user_or_404(_handout_queryset(request), pk=pk)
    return _handouts_page(request, [invitation], 1)


@login_required
@require_safe
def invitation_handouts(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Several handouts to print, one a page: ?ids=1,2,3 or ?batch=<a bulk run's creation time>."""
    _require_lists(request.user)
    invitations = _handout_queryset(request)
    if "batch" in request.GET:
        try:
            created_at = dt.datetime.fromtimestamp(int(request.GET["batch"]) / 1_000_000, tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise Http404("No such batch") from exc
        invitations = invitations.filter(
            created_by=request.user, created_at=created_at, delivery=Delivery.HANDOUT
        ).order_by("meeting_on", "review_id", "audience", "pk")
        found = list(invitations[: HANDOUTS_MAX + 1])
        asked = len(found)
    else:
        try:
            ids = [int(part) for part in request.GET.get("ids", "").split(",") if part.strip()]
        except ValueError as exc:
            raise Http404("No such invitations") from exc
        ids = list(dict.fromkeys(ids))
        asked = len(ids)
        found = list(invitations.filter(pk__in=ids[: HANDOUTS_MAX + 1]).order_by("meeting_on", "pk"))
    if not found:
        raise Http404("No such invitations")
    if len(found) > HANDOUTS_MAX:
        raise PermissionDenied(f"Print at most {HANDOUTS_MAX} handouts at a time.")
    return _handouts_page(request, found, asked)


def _changed(request: AuthenticatedHttpRequest, pk: int, change, done: str) -> HttpResponse:
    _require_lists(request.user)
    invitation = access.invitations.get_for_user(request.user, pk)
    permit(
        access.invitations,
        request.user,
        "invite",
        invitation.agency,
        "You cannot change invitations of this agency.",
    )
    try:
        change(by=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, done)
    return redirect("feedback:invitation-detail", pk=invitation.pk)


@login_required
@require_POST
def invitation_resend(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _changed(request, pk, services.invitation_resend, "The invitation is being sent again")


@login_required
@require_POST
def invitation_withdraw(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _changed(
        request, pk, services.invitation_withdraw, "Invitation withdrawn: its link no longer works"
    )
