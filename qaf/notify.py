"""A Django email backend that sends through GOV.UK Notify.

Set EMAIL_BACKEND = "qaf.notify.NotifyEmailBackend", NOTIFY_API_KEY (the key Notify issues, in the form
`{key_name}-{service_id}-{secret_key}`) and NOTIFY_EMAIL_TEMPLATE_ID (a Notify email template whose subject is
`((subject))` and whose body is `((body))`). Each recipient of each message is one Notify request, authenticated
with a JSON Web Token (HS256; `iss` the service id, `iat` now) built here with the standard library, so no
client library is needed. A failed request raises NotifyError (unless fail_silently), which the Celery email
tasks retry.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.request
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

NOTIFY_URL = "https://api.notifications.service.gov.uk/v2/notifications/email"
TIMEOUT_SECONDS = 10
# Notify's service ids and secret keys are UUIDs (36 characters), at the end of the API key.
UUID_LENGTH = 36

# Module-level so tests replace it with a fake.
urlopen = urllib.request.urlopen


class NotifyError(Exception):
    """GOV.UK Notify refused a message or could not be reached."""


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
        request = urllib.request.Request(
            self.url,
            data=json.dumps(body).encode("utf-8"),
            method="POST",
            headers={
                "Authorization": f"Bearer {make_token(self.service_id, self.secret_key)}",
                "Content-Type": "application/json",
                "User-Agent": "qaf-notify-backend/1",
            },
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:
                status = response.status
                text = response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500] if exc.fp else ""
            raise NotifyError(f"Notify answered {exc.code}: {detail}") from exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise NotifyError(f"Notify could not be reached: {exc}") from exc
        if status != 201:
            raise NotifyError(f"Notify answered {status}: {text[:500]}")
        return json.loads(text) if text else {}
