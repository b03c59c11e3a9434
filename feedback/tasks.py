"""Background jobs of the voice: thin, take ids, call a service, safe to run twice. Sending jobs share
qaf.tasks' retry policy."""

from __future__ import annotations

from feedback.models import FeedbackResponse
from feedback.services import invitations, responses
from qaf.tasks import send_task


@send_task
def response_alert(response_id: int) -> bool:
    """Tell the agency's managers about a lowest rating (once); a temporary mail failure is retried."""
    response = FeedbackResponse.objects.filter(pk=response_id).first()
    if response is None:
        return False
    return responses.response_alert_send(response=response)


# --- Invitations ----------------------------------------------------------------------------------------------


def _invitation_not_sent(exc: BaseException, invitation_id: int) -> bool:
    invitations.invitation_send_failed(invitation_id=invitation_id, error=exc)
    return False


@send_task(gave_up=_invitation_not_sent)
def invitation_send(invitation_id: int) -> bool:
    """Send an email or text invitation once (services.invitations.invitation_send records `sent_at`; a second
    delivery of this job sends nothing). A temporary failure is retried with backoff; when the retries run out
    the invitation is kept and marked "Not sent" for staff to try again. Run in process (no worker), a failure
    is marked at once: there is no worker to try again later, and the page must not fail. A permanent failure
    is recorded by the service."""
    return invitations.invitation_send(invitation_id=invitation_id)


@send_task
def invitations_remind() -> dict[str, int]:
    """Daily (celery beat): erase the contacts of expired invitations and send each invitation's one reminder
    7 days after it was sent, if still unanswered. A reminder that fails for now is left for the next run.
    Safe to run twice."""
    return invitations.invitations_remind()
