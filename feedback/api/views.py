"""The voice's API resources, scoped by feedback.access like the pages: a row the caller may not see is a 404.

- `complaints` and `compliments`: read-only; board members (counts only) get 403 on both lists.
- `feedback-forms`: read-only, for staff with a working role.
- `feedback-invitations`: list and detail (never the contact, the link or the child) and create, which returns
  the new invitations with their public links; staff with a working role, for their agencies' meetings.
- `feedback-responses`: read-only, with answers; never the child or a contact.
- `advocacy-returns`: as the advocacy pages: read by the advocacy service's staff, SQA officers and (once
  submitted) board members; written by the service's managers and SQA officers while a draft, then frozen.
"""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from ehcp import access as ehcp_access
from feedback import access
from feedback.api.serializers import (
    AdvocacyReturnChangeSerializer,
    AdvocacyReturnSerializer,
    ComplaintSerializer,
    ComplimentSerializer,
    FeedbackFormSerializer,
    FeedbackInvitationCreateSerializer,
    FeedbackInvitationsCreatedSerializer,
    FeedbackInvitationSerializer,
    FeedbackResponseSerializer,
)
from feedback.filters import (
    AdvocacyFilterSet,
    ComplaintFilterSet,
    ComplimentFilterSet,
    InvitationFilterSet,
    ResponseFilterSet,
)
from feedback.models import (
    AdvocacyReturn,
    AdvocacyReturnStatus,
    Audience,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackInvitation,
    FeedbackQuestion,
    FeedbackResponse,
)
from feedback.selectors import advocacy as advocacy_selectors
from feedback.selectors.responses import responses_with_answers
from feedback.services import advocacy as advocacy_services
from feedback.services import invitations as invitation_services
from qaf.api.permissions import PolicyPermission
from qaf.api.viewsets import ReadOnlyPolicyViewSet, documented, signed_in
from qaf.models import Agency


class SeesLists(PolicyPermission):
    message = "Board members see the quarterly counts, not the complaints and compliments themselves."
    policy = access.complaints
    action = "list"


@documented(
    "complaints",
    list=("Complaints the caller may see", "Latest received first. 403 for board members."),
    retrieve="One complaint",
)
class ComplaintViewSet(ReadOnlyPolicyViewSet):
    serializer_class = ComplaintSerializer
    filterset_class = ComplaintFilterSet
    permission_classes = [permissions.IsAuthenticated, SeesLists]
    policy = access.complaints
    select_related = ("agency", "child")
    prefetch_related = ("themes",)
    ordering = ("-received_on", "-pk")


@documented(
    "compliments",
    list=("Compliments the caller may see", "Latest received first. 403 for board members."),
    retrieve="One compliment",
)
class ComplimentViewSet(ReadOnlyPolicyViewSet):
    serializer_class = ComplimentSerializer
    filterset_class = ComplimentFilterSet
    permission_classes = [permissions.IsAuthenticated, SeesLists]
    policy = access.compliments
    select_related = ("agency",)
    prefetch_related = ("themes",)
    ordering = ("-received_on", "-pk")


# --- Voice ---------------------------------------------------------------------------------------------------


class SeesForms(PolicyPermission):
    message = "Feedback forms are read by staff with a working role in an agency."
    policy = access.forms
    action = "list"


class FeedbackFormFilter(filters.FilterSet):
    audience = filters.ChoiceFilter(choices=Audience.choices)
    easy_read = filters.BooleanFilter()

    class Meta:
        model = FeedbackForm
        fields: list[str] = []


@documented(
    "feedback forms",
    list=(
        "Feedback forms of the caller's partnership",
        "Each with its approved version inline and every version with its questions. Staff with a "
        "working role; 403 for board members.",
    ),
    retrieve="One feedback form, with its versions and questions",
)
class FeedbackFormViewSet(ReadOnlyPolicyViewSet):
    serializer_class = FeedbackFormSerializer
    filterset_class = FeedbackFormFilter
    permission_classes = [permissions.IsAuthenticated, SeesForms]
    policy = access.forms
    ordering = ("name", "pk")

    def get_queryset(self) -> QuerySet[FeedbackForm]:
        questions = FeedbackQuestion.objects.order_by("page", "order", "pk")
        versions = FeedbackFormVersion.objects.order_by("-number").prefetch_related(
            Prefetch("questions", queryset=questions)
        )
        return super().get_queryset().prefetch_related(Prefetch("versions", queryset=versions), "defaults")


@documented(
    "feedback invitations",
    list=(
        "Feedback invitations the caller may see",
        "Latest meeting first. Never the contact, the link or the child. 403 for board members.",
    ),
    retrieve="One feedback invitation",
    create=extend_schema(
        summary="Invite people to give feedback on a meeting",
        description="One invitation per recipient, with the form picked for them (`form`) or else the "
        "partnership's default form for their audience and the meeting kind; 400 naming what to set up when "
        "there is none. "
        "Emails and text messages are sent in the background; handouts are printed. The response is the only "
        "place the invitations' single-use public links are returned: for case-management systems that pass "
        "the link on themselves. Anyone holding a link can answer once, so keep links as you would a "
        "password. 403 when the caller may not invite for the agency.",
        request=FeedbackInvitationCreateSerializer,
        responses={201: FeedbackInvitationsCreatedSerializer},
    ),
)
class FeedbackInvitationViewSet(mixins.CreateModelMixin, ReadOnlyPolicyViewSet):
    serializer_class = FeedbackInvitationSerializer
    filterset_class = InvitationFilterSet
    permission_classes = [permissions.IsAuthenticated, SeesLists]
    policy = access.invitations
    select_related = ("agency", "version__form")
    ordering = ("-meeting_on", "-pk")

    def create(self, request: Request, *args, **kwargs) -> Response:
        body = FeedbackInvitationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        user = signed_in(request)
        agency = (
            Agency.objects.filter(partnership_id=user.partnership_id, pk=data["agency"]).first()
            if user.partnership_id is not None
            else None
        )
        if agency is None:
            raise serializers.ValidationError({"agency": ["Choose an agency of your partnership."]})
        if not access.invitations.can(user, "invite", agency):
            raise PermissionDenied("You cannot invite feedback on this agency's meetings.")
        child = review = None
        if data.get("child") is not None:
            child = ehcp_access.children.visible(user).filter(pk=data["child"]).first()
            if child is None:
                raise serializers.ValidationError({"child": ["Choose a child you can see."]})
        if data.get("review") is not None:
            review = ehcp_access.reviews.visible(user).filter(pk=data["review"]).first()
            if review is None:
                raise serializers.ValidationError({"review": ["Choose an annual review you can see."]})
        created = invitation_services.invitations_create(
            by=user,
            agency=agency,
            meeting_kind=data["meeting_kind"],
            meeting_on=data["meeting_on"],
            recipients=[
                invitation_services.Recipient(
                    audience=recipient["audience"],
                    delivery=recipient["delivery"],
                    contact=recipient["contact"],
                    form_id=recipient["form"],
                )
                for recipient in data["recipients"]
            ],
            child=child,
            review=review,
            valid_days=data["valid_days"],
        )
        invitations = (
            FeedbackInvitation.objects.filter(pk__in=[i.pk for i in created])
            .select_related("partnership", "agency", "version__form")
            .order_by("pk")
        )
        payload = FeedbackInvitationsCreatedSerializer(
            {"invitations": invitations}, context={"request": request}
        )
        return Response(payload.data, status=status.HTTP_201_CREATED)


@documented(
    "feedback responses",
    list=(
        "Feedback responses the caller may see",
        "Latest first, each with the meeting it came from (kind, date, agency, term) and its "
        "answers in values and words. Never the child or a contact. 403 for board members.",
    ),
    retrieve="One feedback response, with its answers",
)
class FeedbackResponseViewSet(ReadOnlyPolicyViewSet):
    serializer_class = FeedbackResponseSerializer
    filterset_class = ResponseFilterSet
    permission_classes = [permissions.IsAuthenticated, SeesLists]
    policy = access.responses
    ordering = ("-submitted_at", "-pk")

    def get_queryset(self) -> QuerySet[FeedbackResponse]:
        return responses_with_answers(super().get_queryset())


class WritesAdvocacy(permissions.BasePermission):
    """Reads for whoever sees advocacy returns (the queryset decides which); new returns and changes for the
    advocacy service's managers and SQA officers (after the scoped lookup: 404 before 403)."""

    message = "The advocacy service's managers and SQA officers write the quarterly returns."

    def has_permission(self, request, view) -> bool:
        if not access.advocacy.can(request.user, "list"):
            return False
        if getattr(view, "action", None) == "create":
            return access.advocacy.can(request.user, "write")
        return True

    def has_object_permission(self, request, view, obj: AdvocacyReturn) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        return access.advocacy.can(request.user, "write", obj)


def _counts(rows: list[dict], start: dict[tuple[str, str], int]) -> dict[tuple[str, str], int]:
    counts = dict(start)
    for row in rows:
        counts[(row["activity_type"], row["level"])] = row["count"]
    return counts


@documented(
    "advocacy returns",
    list=(
        "Advocacy returns the caller may see",
        "Newest quarter first. The advocacy service's staff and SQA officers see every return, "
        "board members the submitted ones; 403 for others.",
    ),
    retrieve="One advocacy return, with every activity count",
    create=(
        "Start a quarterly return as a draft (the service's managers and SQA officers)",
        "One return per service per calendar quarter: a second is a 400 naming the first.",
    ),
    update=extend_schema(
        summary="Replace a draft return's counts and text",
        description="A submitted return is read-only: 403. Agency, year and quarter never change.",
        request=AdvocacyReturnChangeSerializer,
        responses=AdvocacyReturnSerializer,
    ),
    partial_update=extend_schema(
        summary="Change some of a draft return's counts and text",
        description="A submitted return is read-only: 403. Cells not listed keep their count.",
        request=AdvocacyReturnChangeSerializer,
        responses=AdvocacyReturnSerializer,
    ),
)
class AdvocacyReturnViewSet(mixins.CreateModelMixin, mixins.UpdateModelMixin, ReadOnlyPolicyViewSet):
    serializer_class = AdvocacyReturnSerializer
    filterset_class = AdvocacyFilterSet
    permission_classes = [permissions.IsAuthenticated, WritesAdvocacy]
    policy = access.advocacy
    select_related = ("agency",)
    ordering = ("-year", "-quarter", "agency__name", "pk")

    def get_queryset(self) -> QuerySet[AdvocacyReturn]:
        return advocacy_selectors.with_activities(super().get_queryset())

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return AdvocacyReturnChangeSerializer
        return AdvocacyReturnSerializer

    def _fresh(self, advocacy_return: AdvocacyReturn, code: int = status.HTTP_200_OK) -> Response:
        row = self.get_queryset().get(pk=advocacy_return.pk)
        return Response(
            AdvocacyReturnSerializer(row, context=self.get_serializer_context()).data, status=code
        )

    def create(self, request: Request, *args, **kwargs) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        counts = _counts(data.pop("activities", []), {})
        try:
            made = advocacy_services.advocacy_return_create(
                by=signed_in(request),
                agency=data.pop("agency"),
                year=data.pop("year"),
                quarter=data.pop("quarter"),
                counts=counts,
                **data,
            )
        except advocacy_services.AdvocacyReturnExists as exc:
            raise serializers.ValidationError(
                {"quarter": [f"{exc} Change that return instead (id {exc.existing.pk})."]}
            ) from exc
        return self._fresh(made, status.HTTP_201_CREATED)

    def update(self, request: Request, *args, **kwargs) -> Response:
        advocacy_return = self.get_object()
        if advocacy_return.status != AdvocacyReturnStatus.DRAFT:
            raise PermissionDenied(advocacy_services.FROZEN)
        partial = kwargs.get("partial", False)
        serializer = self.get_serializer(advocacy_return, data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        rows = data.pop("activities", None)
        counts = None
        if rows is not None or not partial:
            start = advocacy_selectors.activity_counts(advocacy_return) if partial else {}
            counts = _counts(rows or [], start)
        advocacy_services.advocacy_return_update(
            advocacy_return=advocacy_return,
            by=signed_in(request),
            counts=counts,
            **data,
        )
        return self._fresh(advocacy_return)

    @extend_schema(
        summary="Submit a draft return (the service's managers and SQA officers)",
        description="The return is then frozen, and board members can read it. 403 when already submitted.",
        request=None,
        responses=AdvocacyReturnSerializer,
    )
    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk=None) -> Response:
        advocacy_return = self.get_object()
        advocacy_services.advocacy_return_submit(advocacy_return=advocacy_return, by=signed_in(request))
        return self._fresh(advocacy_return)
