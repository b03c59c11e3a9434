"""Which send failures are tried again (qaf.tasks.is_temporary), seen through two sending jobs: an escalation
email (actions) and a feedback invitation. GOV.UK Notify answering 500 or 429 and a mail server's 451 are
retried with backoff; Notify's 400 and a mail server's 550 are not, and the invitation is recorded as not
sent."""

from __future__ import annotations

import smtplib

import pytest
from celery.exceptions import Retry
from django.core import mail

from actions import tasks as action_tasks
from actions.tests.factories import EscalationFactory
from feedback import tasks as feedback_tasks
from feedback.services.forms import feedback_forms_seed_defaults
from feedback.tests.factories import FeedbackInvitationFactory
from qaf.notify import NotifyError
from qaf.tasks import backoff, is_temporary
from qaf.tests.fake_notify import answer, fake_notify

API_KEY = "qaf_test-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"
BUSY = b'{"errors": [{"error": "RateLimitError", "message": "Exceeded rate limit"}]}'
REFUSED = b'{"errors": [{"error": "BadRequestError", "message": "email_address Not a valid email address"}]}'


@pytest.fixture
def through_notify(settings):
    """Email goes through GOV.UK Notify (qaf.notify.NotifyEmailBackend)."""
    settings.EMAIL_BACKEND = "qaf.notify.NotifyEmailBackend"
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


@pytest.fixture
def escalation(area, head_of_service):
    return EscalationFactory(agency=area.school, head_of_service=head_of_service)


@pytest.fixture
def invitation(area):
    feedback_forms_seed_defaults(partnership=area.partnership)
    return FeedbackInvitationFactory(agency=area.school, sent_at=None)


class _Retry(Exception):
    pass


@pytest.fixture
def worker(monkeypatch):
    """Run a task's body as a worker would on its first delivery, with `retry` recorded instead of queued:
    `worker(task, *args)` returns the countdowns asked for (raising _Retry when one was)."""
    asked: list[int | None] = []

    def run(task, *args):
        def retry(exc=None, countdown=None, **kwargs):
            asked.append(countdown)
            return _Retry()

        monkeypatch.setattr(task, "retry", retry)
        task.push_request(retries=0, is_eager=False)
        try:
            return task.run(*args)
        finally:
            task.pop_request()

    run.asked = asked
    return run


# --- the escalation email -------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 429])
def test_an_escalation_email_notify_failed_for_now_is_retried(
    through_notify, monkeypatch, escalation, status
):
    fake = fake_notify(monkeypatch, answer(status, BUSY))
    with pytest.raises(Retry) as retried:
        action_tasks.escalation_notify.delay(escalation.pk)
    assert isinstance(retried.value.exc, NotifyError) and retried.value.exc.status == status
    assert retried.value.when == backoff(0) and len(fake.sent) == 1
    escalation.refresh_from_db()
    assert escalation.notified_at is None

    fake.reply = answer(201)
    assert action_tasks.escalation_notify.delay(escalation.pk).get() is True
    escalation.refresh_from_db()
    assert escalation.notified_at is not None


def test_an_escalation_email_notify_refused_is_not_retried(through_notify, monkeypatch, escalation, worker):
    fake = fake_notify(monkeypatch, answer(400, REFUSED))
    with pytest.raises(NotifyError) as raised:
        worker(action_tasks.escalation_notify, escalation.pk)
    assert raised.value.status == 400 and worker.asked == [] and len(fake.sent) == 1
    with pytest.raises(NotifyError):
        action_tasks.escalation_notify.delay(escalation.pk)
    assert len(fake.sent) == 2  # run in process: tried once, not again
    escalation.refresh_from_db()
    assert escalation.notified_at is None


def _smtp_failing(monkeypatch, error: Exception) -> list:
    attempts: list = []

    def send(self, fail_silently=False):
        attempts.append(1)
        raise error

    monkeypatch.setattr("django.core.mail.EmailMessage.send", send)
    return attempts


def test_an_escalation_email_refused_for_now_by_the_mail_server_is_retried(monkeypatch, escalation, worker):
    _smtp_failing(monkeypatch, smtplib.SMTPDataError(451, b"Try again later"))
    with pytest.raises(_Retry):
        worker(action_tasks.escalation_notify, escalation.pk)
    assert worker.asked == [30]


def test_an_escalation_email_refused_by_the_mail_server_is_not_retried(monkeypatch, escalation, worker):
    attempts = _smtp_failing(monkeypatch, smtplib.SMTPDataError(550, b"Message rejected"))
    with pytest.raises(smtplib.SMTPDataError):
        worker(action_tasks.escalation_notify, escalation.pk)
    assert worker.asked == [] and len(attempts) == 1
    assert not mail.outbox


# --- the feedback invitation ----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [500, 429])
def test_a_worker_retries_a_notify_failure_for_now_with_backoff(
    through_notify, monkeypatch, escalation, invitation, worker, status
):
    fake_notify(monkeypatch, answer(status, BUSY))
    for task, pk in [
        (action_tasks.escalation_notify, escalation.pk),
        (feedback_tasks.invitation_send, invitation.pk),
    ]:
        with pytest.raises(_Retry):
            worker(task, pk)
    assert worker.asked == [backoff(0), backoff(0)] == [30, 30]
    invitation.refresh_from_db()
    assert invitation.sent_at is None and invitation.send_error == ""


def test_an_invitation_notify_refused_is_not_retried_and_recorded_as_not_sent(
    through_notify, monkeypatch, invitation, worker
):
    fake = fake_notify(monkeypatch, answer(400, REFUSED))
    assert worker(feedback_tasks.invitation_send, invitation.pk) is False
    assert worker.asked == [] and len(fake.sent) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is None and invitation.status() == "failed"
    assert "status 400" in invitation.send_error


def test_an_invitation_refused_for_now_by_the_mail_server_is_retried(monkeypatch, invitation, worker):
    _smtp_failing(monkeypatch, smtplib.SMTPRecipientsRefused({"parent@example.com": (451, b"Greylisted")}))
    with pytest.raises(_Retry):
        worker(feedback_tasks.invitation_send, invitation.pk)
    assert worker.asked == [30]
    invitation.refresh_from_db()
    assert invitation.send_error == ""


def test_an_invitation_refused_by_the_mail_server_is_not_retried_and_recorded(
    monkeypatch, invitation, worker
):
    attempts = _smtp_failing(monkeypatch, smtplib.SMTPDataError(550, b"Message rejected"))
    assert worker(feedback_tasks.invitation_send, invitation.pk) is False
    assert worker.asked == [] and len(attempts) == 1
    invitation.refresh_from_db()
    assert invitation.status() == "failed" and "code 550" in invitation.send_error


# --- the classifier -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "error",
    [
        ConnectionRefusedError("refused"),
        TimeoutError("slow"),
        OSError("network unreachable"),
        smtplib.SMTPServerDisconnected("gone"),
        smtplib.SMTPConnectError(421, b"Too busy"),
        smtplib.SMTPDataError(451, b"Try later"),
        smtplib.SMTPSenderRefused(452, b"Insufficient storage", "qaf@example.org"),
        smtplib.SMTPRecipientsRefused({"a@example.org": (450, b"Mailbox busy")}),
        NotifyError("Notify could not be reached: timed out"),
        NotifyError("rate limit", status=429),
        NotifyError("server error", status=500),
        NotifyError("unavailable", status=503),
    ],
    ids=repr,
)
def test_temporary_failures(error):
    assert is_temporary(error)


@pytest.mark.parametrize(
    "error",
    [
        smtplib.SMTPRecipientsRefused({"a@example.org": (550, b"No such user")}),
        smtplib.SMTPDataError(554, b"Rejected"),
        smtplib.SMTPAuthenticationError(535, b"Bad credentials"),
        smtplib.SMTPSenderRefused(553, b"Not allowed", "qaf@example.org"),
        smtplib.SMTPNotSupportedError("STARTTLS extension not supported by server."),
        NotifyError("bad request", status=400),
        NotifyError("bad key", status=403),
        ValueError("a bug"),
    ],
    ids=repr,
)
def test_permanent_failures(error):
    assert not is_temporary(error)
