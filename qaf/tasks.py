"""The one retry policy of background jobs that send email or text messages.

`is_temporary(exc)` tells a failure that may pass from one that never will:

- temporary, tried again with exponential backoff (30 s, 1, 2, 4 and 8 minutes; five retries at most): the
  network (refused, reset or timed-out connections, unknown hosts: OSError and its kin), a mail server that
  refuses for now (an SMTP 4xx answer, a dropped connection, a connection it would not accept, another SMTP
  error without a code), and GOV.UK Notify answering 5xx or 429 (too many requests) or out of reach;
- permanent, not tried again: a mail server's SMTP 5xx answer (a refused recipient, sender or message, a
  failed login), an extension the server lacks, Notify answering 400 (a message it will never accept) or 403
  (a bad key), and anything else.

Sending tasks are declared with `send_task`, never with their own list of errors (a list written per task
module once left out the Notify error). A task's services record what was sent, so a retry sends nothing twice,
and record a permanent failure where the service has a place for it (an invitation's "Not sent").
"""

from __future__ import annotations

import inspect
import smtplib
from collections.abc import Callable
from typing import Any

from celery import shared_task

from qaf.notify import NotifyError

MAX_RETRIES = 5
FIRST_RETRY_SECONDS = 30
LONGEST_WAIT_SECONDS = 3600

# Mail server errors that mean the connection, not the message, failed.
_SMTP_CONNECTION_ERRORS = (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError)


def _smtp_code_is_temporary(code: object) -> bool:
    return isinstance(code, int) and 400 <= code < 500


def is_temporary(exc: BaseException) -> bool:
    """True when sending again later may succeed (see the module's docstring for which failures are which)."""
    if isinstance(exc, NotifyError):
        return not exc.permanent
    if isinstance(exc, _SMTP_CONNECTION_ERRORS):
        return True
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return any(_smtp_code_is_temporary(code) for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPResponseException):
        return _smtp_code_is_temporary(exc.smtp_code)
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        # The server lacks an extension the settings ask for (STARTTLS, SMTPUTF8): a setting, not a moment.
        return False
    return isinstance(exc, (ConnectionError, TimeoutError, OSError))


def backoff(retries: int) -> int:
    """Seconds before the next try after `retries` retries: 30 s, 1 min, 2 min, 4 min, 8 min."""
    return min(FIRST_RETRY_SECONDS * 2**retries, LONGEST_WAIT_SECONDS)


GaveUp = Callable[..., Any]


def _with_policy(task_fn: Callable[..., Any], gave_up: GaveUp | None) -> Callable[..., Any]:
    """The task's run method: `task_fn` called with the task's arguments; a temporary failure is retried,
    others propagate. With `gave_up`, a temporary failure that will not be tried again (the retries ran out, or
    the job ran in process, with no worker to try later) returns `gave_up(exc, *args, **kwargs)` instead."""

    def run(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return task_fn(*args, **kwargs)
        except Exception as exc:
            if not is_temporary(exc):
                raise
            if gave_up is not None and (self.request.is_eager or self.request.retries >= self.max_retries):
                return gave_up(exc, *args, **kwargs)
            raise self.retry(exc=exc, countdown=backoff(self.request.retries)) from exc

    for attribute in ("__name__", "__qualname__", "__module__", "__doc__"):
        setattr(run, attribute, getattr(task_fn, attribute))
    signature = inspect.signature(task_fn)
    self_parameter = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
    run.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[self_parameter, *signature.parameters.values()]
    )
    return run


def send_task(fn: Callable[..., Any] | None = None, *, gave_up: GaveUp | None = None, **options: Any):
    """`shared_task` with the send retry policy (`is_temporary`, `backoff`, MAX_RETRIES). `gave_up` (see
    `_with_policy`) records a send that will not be tried again; `options` are other task options (a name ...).
    Use as `@send_task` or `@send_task(gave_up=..., name=...)`. The task's `is_temporary` is the policy."""

    def declare(task_fn: Callable[..., Any]):
        return shared_task(
            bind=True, max_retries=MAX_RETRIES, is_temporary=staticmethod(is_temporary), **options
        )(_with_policy(task_fn, gave_up))

    return declare(fn) if fn is not None else declare
