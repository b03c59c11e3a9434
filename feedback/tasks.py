"""Background jobs of the voice: thin, take ids, call a service, safe to run twice."""

from __future__ import annotations

from celery import shared_task

from feedback.models import FeedbackResponse
from feedback.services import invitations, responses

# Mail through SMTP or GOV.UK Notify (qaf.notify.NotifyEmailBackend) that may go through later.
MAIL_ERRORS = invitations.TRANSIENT_ERRORS


@shared_task(autoretry_for=MAIL_ERRORS, retry_backoff=True, max_retries=5)
def response_alert(response_id: int) -> bool:
    """Tell the agency's managers about a lowest rating (once); retried with backoff on mail errors."""
    response = FeedbackResponse.objects.filter(pk=response_id).first()
    if response is None:
        return False
    return responses.response_alert_send(response=response)


# --- Invitations ----------------------------------------------------------------------------------------------

SEND_MAX_RETRIES = 5


def _backoff(retries: int) -> int:
    """Seconds before the next try: 30 s, 1 min, 2 min, 4 min, 8 min."""
    return min(30 * 2**retries, 3600)


@shared_task(bind=True, max_retries=SEND_MAX_RETRIES)
def invitation_send(self, invitation_id: int) -> bool:
    """Send an email or text invitation once (services.invitations.invitation_send records `sent_at`; a second
    delivery of this job sends nothing). Mail and network errors are retried with backoff; when the retries
    run out the invitation is kept and marked "Not sent" for staff to try again. Run in process (no worker),
    a failure is marked at once: there is no worker to try again later, and the page must not fail."""
    try:
        return invitations.invitation_send(invitation_id=invitation_id)
    except invitations.TRANSIENT_ERRORS as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            invitations.invitation_send_failed(invitation_id=invitation_id, error=exc)
            return False
        raise self.retry(exc=exc, countdown=_backoff(self.request.retries)) from exc


@shared_task
def invitations_remind() -> dict[str, int]:
    """Daily (celery beat): erase the contacts of expired invitations and send each invitation's one reminder
    7 days after it was sent, if still unanswered. Safe to run twice."""
    return invitations.invitations_remind()
