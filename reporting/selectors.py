"""Reads for the home page and dashboard: each role's figures, computed from the data."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from audits import access as audit_access
from audits.models import Audit, AuditStatus, Grade
from ehcp import access as ehcp_access
from ehcp import selectors as ehcp_selectors
from ehcp.models import Child
from feedback import access as feedback_access
from feedback.selectors.complaints import overdue_q
from qaf.access import user_access
from qaf.figures import percent
from qaf.models import Agency, Membership, Term, Theme, User


@dataclass
class HomeView:
    """What the home page shows one user: which view (by their main role) and its figures."""

    kind: str  # sqa, sat, agency, board, admin, none
    heading: str
    agencies: list[Agency] = field(default_factory=list)
    figures: ehcp_selectors.PlanFigures | None = None
    my_caseload: int | None = None
    current_term: Term | None = None
    admin_counts: dict[str, int] = field(default_factory=dict)
    audits: AuditFigures | None = None
    voice: VoiceFigures | None = None


@dataclass(frozen=True)
class VoiceFigures:
    """Feedback and complaints over the user's scope (the partnership for SQA and the board) this term."""

    invited: int
    responses: int
    general_responses: int
    open_complaints: int
    overdue_complaints: int

    @property
    def response_rate(self) -> int | None:
        """The share of invitations answered, as a whole percentage; None when none was sent."""
        return percent(self.responses, self.invited)


@dataclass(frozen=True)
class AuditFigures:
    """Audit activity the user may see (aggregates only for the board)."""

    open: int
    overdue: int
    submitted_last_year: int
    awaiting_moderation: int
    mine_open: int
    grades: list[
        tuple[str, str, int]
    ]  # (grade value, label, count) of audits submitted in the last 12 months


def audit_figures(user: User, audits: QuerySet[Audit]) -> AuditFigures:
    """Counts over an already-scoped queryset of audits, in two queries whatever its size."""
    from datetime import timedelta

    today = timezone.localdate()
    year_ago = timezone.now() - timedelta(days=365)
    open_states = [AuditStatus.SCHEDULED, AuditStatus.IN_PROGRESS]
    # "mine" joins the assignments, so every count is distinct on the audit.
    counts = audits.aggregate(
        open=Count("pk", filter=Q(status__in=open_states), distinct=True),
        overdue=Count("pk", filter=Q(status__in=open_states, due_on__lt=today), distinct=True),
        submitted=Count("pk", filter=Q(submitted_at__gte=year_ago), distinct=True),
        awaiting=Count("pk", filter=Q(status=AuditStatus.SUBMITTED), distinct=True),
        mine=Count("pk", filter=Q(status__in=open_states, assignments__user=user), distinct=True),
    )
    by_grade = dict(
        audits.filter(submitted_at__gte=year_ago)
        .exclude(grade_of_record="")
        .values_list("grade_of_record")
        .annotate(n=Count("pk"))
        .values_list("grade_of_record", "n")
    )
    return AuditFigures(
        open=counts["open"],
        overdue=counts["overdue"],
        submitted_last_year=counts["submitted"],
        awaiting_moderation=counts["awaiting"],
        mine_open=counts["mine"],
        grades=[(value, label, by_grade.get(value, 0)) for value, label in Grade.choices],
    )


def voice_figures(user: User, term: Term | None) -> VoiceFigures:
    """This term's invitations, responses (by link and by the general form) and the open and overdue
    complaints, over what the user's feedback scope allows. Four queries."""
    invitations = feedback_access.invitations.aggregate_scope(user).filter(withdrawn_at=None)
    responses = feedback_access.responses.aggregate_scope(user)
    if term is not None:
        invitations = invitations.filter(meeting_on__range=(term.starts_on, term.ends_on))
        responses = responses.filter(submitted_at__date__range=(term.starts_on, term.ends_on))
    invited = invitations.aggregate(
        invited=Count("pk"), answered=Count("pk", filter=Q(responded_at__isnull=False))
    )
    by_source = responses.aggregate(general=Count("pk", filter=Q(invitation__isnull=True)))
    # The partnership's for those who see the analysis (its aggregate scope), otherwise the complaints they see.
    policy = feedback_access.complaints
    complaints = policy.aggregate_scope(user) if policy.can(user, "see_analysis") else policy.visible(user)
    open_complaints = complaints.filter(responded_on=None).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=overdue_q(timezone.localdate()))
    )
    return VoiceFigures(
        invited=invited["invited"],
        responses=invited["answered"],
        general_responses=by_source["general"],
        open_complaints=open_complaints["open"],
        overdue_complaints=open_complaints["overdue"],
    )


def current_term(partnership_id: int) -> Term | None:
    """The partnership's term holding today's date, or None between terms."""
    today = timezone.localdate()
    return (
        Term.objects.filter(
            academic_year__partnership_id=partnership_id, starts_on__lte=today, ends_on__gte=today
        )
        .select_related("academic_year")
        .first()
    )


# The home page's heading for each kind of user (qaf.access.UserAccess.home_kind).
HEADINGS = {
    "sqa": "Partnership quality overview",
    "sat": "Statutory assessment overview",
    "agency": "Your agency's children and plans",
    "board": "SEND Executive Board overview",
    "admin": "Partnership administration",
    "none": "You have no role in a partnership yet",
}


def home_for_user(user: User) -> HomeView:
    """Choose the home view for the user's main role and compute its figures.

    Board members get partnership-wide aggregates only (no child records); partnership admins get counts
    of what they administer; everyone else gets the figures for the children they may see."""
    access = user_access(user)
    if access.partnership_id is None:
        return HomeView(kind="none", heading=HEADINGS["none"])
    term = current_term(access.partnership_id)
    kind = access.home_kind
    if kind == "none":
        return HomeView(kind=kind, heading=HEADINGS[kind], current_term=term)

    view = HomeView(kind=kind, heading=HEADINGS[kind], current_term=term)
    view.agencies = list(Agency.objects.filter(pk__in=access.agency_ids).order_by("name"))
    if kind in ("sqa", "sat", "agency", "board"):
        # Figures over each policy's aggregate scope: the rows the user sees, and for the board the whole
        # partnership (whose rows they never see).
        view.figures = ehcp_selectors.plan_figures(ehcp_access.children.aggregate_scope(user))
        if kind == "sat":
            view.my_caseload = Child.objects.filter(caseworker=user, plan_ended_on=None).count()
        view.audits = audit_figures(user, audit_access.audits.aggregate_scope(user))
        view.voice = voice_figures(user, term)
    elif kind == "admin":
        agencies = Agency.objects.filter(partnership_id=access.partnership_id).aggregate(
            total=Count("pk"), active=Count("pk", filter=Q(is_active=True))
        )
        view.admin_counts = {
            "agencies": agencies["active"],
            "inactive_agencies": agencies["total"] - agencies["active"],
            "users": User.objects.filter(partnership_id=access.partnership_id, is_active=True).count(),
            "memberships": Membership.objects.filter(agency__partnership_id=access.partnership_id).count(),
            "themes": Theme.objects.filter(partnership_id=access.partnership_id, is_active=True).count(),
        }
    return view
