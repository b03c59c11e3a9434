"""The one retry policy of background jobs that send email or text messages.

A send that fails because the mail server or GOV.UK Notify could not be reached, was busy or refused for now is
tried again with exponential backoff, up to five times. Sending tasks are declared with `send_task` instead of
writing their own list of errors (a list written per task module once left out the Notify error). The tasks
themselves are safe to run again: their services record what was sent.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from typing import Any

from celery import shared_task

from qaf.notify import NotifyError

# The mail server refusing for now, and refused and timed-out connections (OSErrors, as SMTP errors are), and
# GOV.UK Notify refusing or out of reach.
RETRY_ON: tuple[type[BaseException], ...] = (
    smtplib.SMTPException,
    ConnectionError,
    TimeoutError,
    OSError,
    NotifyError,
)
MAX_RETRIES = 5


def send_task(fn: Callable[..., Any] | None = None, **options: Any):
    """`shared_task` with the send retry policy; `options` are other task options (a name, bind ...). Use as
    `@send_task` or `@send_task(name=...)`."""

    def declare(task_fn: Callable[..., Any]):
        return shared_task(autoretry_for=RETRY_ON, retry_backoff=True, max_retries=MAX_RETRIES, **options)(
            task_fn
        )

    return declare(fn) if fn is not None else declare
