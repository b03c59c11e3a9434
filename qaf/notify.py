"""A Django email backend that sends through GOV.UK Notify.

Set EMAIL_BACKEND = "qaf.notify.NotifyEmailBackend", NOTIFY_API_KEY (the key Notify issues, in the form
`{key_name}-{service_id}-{secret_key}`) and NOTIFY_EMAIL_TEMPLATE_ID (a Notify email template whose subject is
`((subject))` and whose body is `((body))`). Each recipient of each message is one Notify request, authenticated
with a JSON Web Token (HS256; `iss` the service id, `iat` now) built here with the standard library, so no
client library is needed. A failed request raises NotifyError (unless fail_silently), which the Celery email
tasks retry.

Text messages go through `sms_send`: with NOTIFY_API_KEY and NOTIFY_SMS_TEMPLATE_ID (a Notify text message
template whose body is `((body))`) it posts to Notify; without them the message is written to the log, as the
console email backend prints emails.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"
NOTIFY_SMS_URL = "https://api.notifications.service.gov.uk/v2/notifications/sms"
TIMEOUT_SECONDS = 10
# Notify's service ids and secret keys are UUIDs (36 characters), at the end of the API key.
UUID_LENGTH = 36

# Module-level so tests replace it with a fake.
urlopen = urllib.request.urlopen


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


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def split_api_key(api_key: str) -> tuple[str, str]:
    """(service_id, secret_key) from a Notify API key; ImproperlyConfigured when it is not one."""
    key = api_key.strip()
    if len(key) < 2 * UUID_LENGTH + 2 or key[-UUID_LENGTH - 1] != "-" or key[-2 * UUID_LENGTH - 2] != "-":
        raise ImproperlyConfigured("NOTIFY_API_KEY is not a GOV.UK Notify API key")
    return key[-2 * UUID_LENGTH - 1 : -UUID_LENGTH - 1], key[-UUID_LENGTH:]


def make_token(service_id: str, secret_key: str, *, issued_at: int | None = None) -> str:
    """The JWT Notify expects: HS256 over {"iss": service id, "iat": seconds since the epoch}."""
    header = _b64(json.dumps({"typ": "JWT", "alg": "HS256"}, separators=(",", ":")).encode())
    claims = {"iss": service_id, "iat": int(time.time()) if issued_at is None else issued_at}
    payload = _b64(json.dumps(claims, separators=(",", ":")).encode())
    signing_input = f"{header}.{payload}".encode("ascii")
    signature = hmac.new(secret_key.encode(), signing_input, hashlib.sha256).digest()
    return f"{header}.{payload}.{_b64(signature)}"


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(
        self,
        fail_silently: bool = False,
        *,
        api_key: str | None = None,
        template_id: str | None = None,
        url: str = NOTIFY_URL,
        timeout: float = TIMEOUT_SECONDS,
        **kwargs,
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
        self.service_id, self.secret_key = split_api_key(api_key)
        self.url = url
        self.timeout = timeout

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        """Send each message to each of its recipients; returns how many messages were sent in full."""
        sent = 0
        for message in email_messages:
            try:
                for recipient in message.recipients():
                    self._post(recipient, message)
            except NotifyError:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _post(self, recipient: str, message: EmailMessage) -> dict:
        body = {
            "email_address": recipient,
            "template_id": self.template_id,
            "personalisation": {"subject": message.subject, "body": message.body},
        }
        return post_notification(
            self.url, body, service_id=self.service_id, secret_key=self.secret_key, timeout=self.timeout
        )


def post_notification(url: str, body: dict, *, service_id: str, secret_key: str, timeout: float) -> dict:
    """POST one notification to Notify and return its answer; NotifyError when refused or unreachable."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode("utf-8"),
        method="POST",
        headers={
            "Authorization": f"Bearer {make_token(service_id, secret_key)}",
            "Content-Type": "application/json",
            "User-Agent": "qaf-notify-backend/1",
        },
    )
    try:
        with urlopen(request, timeout=timeout) as response:
            status = response.status
            text = response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as exc:
        detail = exc.read().decode("utf-8", "replace")[:500] if exc.fp else ""
        raise NotifyError(f"Notify answered {exc.code}: {detail}", status=exc.code) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise NotifyError(f"Notify could not be reached: {exc}") from exc
    if status != 201:
        raise NotifyError(f"Notify answered {status}: {text[:500]}", status=status)
    try:
        return json.loads(text) if text else {}
    except ValueError:
        # Accepted (201) is what matters: the message is on its way, so it must not be sent again.
        logger.warning("Notify accepted a notification but its answer was not JSON: %s", text[:200])
        return {}


def sms_configured() -> bool:
    return bool(getattr(settings, "NOTIFY_API_KEY", "") and getattr(settings, "NOTIFY_SMS_TEMPLATE_ID", ""))


def sms_send(*, phone_number: str, body: str, reference: str = "") -> dict:
    """Send a text message through Notify (template NOTIFY_SMS_TEMPLATE_ID, personalisation `body`), or write it
    to the log when Notify is not configured. Returns Notify's answer ({} when logged). Raises NotifyError
    (check `.permanent`) when Notify refuses it or cannot be reached, and ImproperlyConfigured for a bad key."""
    if not sms_configured():
        logger.info("Text message to %s (GOV.UK Notify is not configured):\n%s", phone_number, body)
        return {}
    service_id, secret_key = split_api_key(settings.NOTIFY_API_KEY)
    payload: dict = {
        "phone_number": phone_number,
        "template_id": settings.NOTIFY_SMS_TEMPLATE_ID,
        "personalisation": {"body": body},
    }
    if reference:
        payload["reference"] = reference
    return post_notification(
        NOTIFY_SMS_URL, payload, service_id=service_id, secret_key=secret_key, timeout=TIMEOUT_SECONDS
    )
