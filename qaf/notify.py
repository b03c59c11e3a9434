"""Sending through GOV.UK Notify, with Notify's official client (notifications-python-client).

Email: set EMAIL_BACKEND = "qaf.notify.NotifyEmailBackend", NOTIFY_API_KEY (the key Notify issues, in the form
`{key_name}-{service_id}-{secret_key}`) and NOTIFY_EMAIL_TEMPLATE_ID (a Notify email template whose subject is
`((subject))` and whose body is `((body))`). Each recipient of each message is one Notify request. A failed
request raises NotifyError (unless fail_silently), which the sending tasks retry when it may pass
(qaf.tasks.is_temporary).

Text messages go through `sms_send`: with NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID (a Notify text message
template whose body is `((body))`) it sends through Notify; without them the message is written to the log, as
the console email backend prints emails.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.errors import HTTPError, InvalidResponse
from notifications_python_client.notifications import NotificationsAPIClient

NOTIFY_BASE_URL = "https://api.notifications.service.gov.uk"
TIMEOUT_SECONDS = 10
# Notify's service ids and secret keys are UUIDs (36 characters), at the end of the API key.
UUID_LENGTH = 36
# Notify answers 201 Created to a notification it accepted.
ACCEPTED = 201

logger = logging.getLogger("qaf.sms")

# Notify answers 400 to a message it will never accept (a bad number or address) and 403 to a bad key:
# sending the same request again cannot succeed.
PERMANENT_STATUSES = frozenset({400, 403})


class NotifyError(Exception):
    """GOV.UK Notify refused a message or could not be reached. `status` is Notify's HTTP status, or None when
    it could not be reached."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status

    @property
    def permanent(self) -> bool:
        """True when trying again cannot help (Notify refused the request itself)."""
        return self.status in PERMANENT_STATUSES


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service_id, secret_key) from a Notify API key; ImproperlyConfigured when it is not one."""
    key = api_key.strip()
    if len(key) < 2 * UUID_LENGTH + 2 or key[-UUID_LENGTH - 1] != "-" or key[-2 * UUID_LENGTH - 2] != "-":
        raise ImproperlyConfigured("NOTIFY_API_KEY is not a GOV.UK Notify API key")
    return key[-2 * UUID_LENGTH - 1 : -UUID_LENGTH - 1], key[-UUID_LENGTH:]


class _Client(NotificationsAPIClient):
    """Notify's client, counting only 201 Created as sent, and an accepted notification as sent even when its
    answer is not JSON (the message is on its way, so it must not be sent again)."""

    def _process_json_response(self, response: Any) -> Any:
        if response.status_code != ACCEPTED:
            raise NotifyError(
                f"Notify answered {response.status_code}: {response.text[:500]}", status=response.status_code
            )
        try:
            return super()._process_json_response(response) or {}
        except InvalidResponse:
            logger.warning(
                "Notify accepted a notification but its answer was not JSON: %s", response.text[:200]
            )
            return {}


def client(api_key: str, *, base_url: str = NOTIFY_BASE_URL, timeout: float = TIMEOUT_SECONDS) -> _Client:
    """Notify's client for `api_key`; ImproperlyConfigured when the key is not a Notify API key."""
    split_api_key(api_key)
    return _Client(api_key.strip(), base_url=base_url, timeout=timeout)


def _notify_error(exc: HTTPError) -> NotifyError:
    if exc.response is None:  # no answer: refused, timed out, unknown host
        return NotifyError(f"Notify could not be reached: {exc.__cause__ or exc}")
    return NotifyError(f"Notify answered {exc.status_code}: {exc.message}", status=exc.status_code)


def send(send_notification: Any, **notification: Any) -> dict:
    """Call one of the client's send methods and return Notify's answer; NotifyError when Notify refused the
    notification or could not be reached."""
    try:
        return send_notification(**notification)
    except HTTPError as exc:
        raise _notify_error(exc) from exc


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        fail_silently: bool = False,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        base_url: str = NOTIFY_BASE_URL,
        timeout: float = TIMEOUT_SECONDS,
        **kwargs: Any,
    ) -> None:
        super().__init__(fail_silently=fail_silently, **kwargs)
        api_key = api_key if api_key is not None else getattr(settings, "NOTIFY_API_KEY", "")
        self.template_id = (
            template_id if template_id is not None else getattr(settings, "NOTIFY_EMAIL_TEMPLATE_ID", "")
        )
        if not api_key or not self.template_id:
            raise ImproperlyConfigured(
                "The Notify email backend needs NOTIFY_API_KEY and NOTIFY_EMAIL_TEMPLATE_ID"
            )
        self.client = client(api_key, base_url=base_url, timeout=timeout)

    @property
    def service_id(self) -> str:
        return self.client.service_id

    @property
    def secret_key(self) -> str:
        return self.client.api_key

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send each message to each of its recipients; returns how many messages were sent in full."""
        sent = 0
        for message in email_messages:
            try:
                for recipient in message.recipients():
                    self._send(recipient, message)
            except NotifyError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _send(self, recipient: str, message: EmailMessage) -> dict:
        return send(
            self.client.send_email_notification,
            email_address=recipient,
            template_id=self.template_id,
            personalisation={"subject": message.subject, "body": message.body},
        )


def sms_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", "") and getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", ""))


def sms_send(*, phone_number: str, body: str, reference: str = "") -> dict:
    """Send a text message through Notify (template NOTIFY_SMS_TEMPLATE_ID, personalisation `body`), or write it
    to the log when Notify is not configured. Returns Notify's answer ({} when logged). Raises NotifyError
    (check `.permanent`) when Notify refuses it or cannot be reached, and ImproperlyConfigured for a bad key."""
    if not sms_configured():
        logger.info("Text message to %s (GOV.UK Notify is not configured):\n%s", phone_number, body)
        return {}
    return send(
        client(settings.NOTIFY_API_KEY).send_sms_notification,
        phone_number=phone_number,
        template_id=settings.NOTIFY_SMS_TEMPLATE_ID,
        personalisation={"body": body},
        reference=reference or None,
    )
