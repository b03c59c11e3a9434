"""The GOV.UK Notify email backend, with a fake urlopen (no network)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import time
import urllib.error

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from qaf import notify
from qaf.tasks import RETRY_ON

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"qaf_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


class FakeResponse:
    def __init__(self, status: int = 201, body: bytes = b'{"id": "abc"}'):
        self.status = status
        self._body = body

    def read(self) -> bytes:
        return self._body

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


@pytest.fixture
def requests(monkeypatch):
    sent: list = []

    def fake_urlopen(request, timeout=None):
        sent.append((request, timeout))
        return FakeResponse()

    monkeypatch.setattr(notify, "urlopen", fake_urlopen)
    return sent


def backend(**kwargs) -> notify.NotifyEmailBackend:
    return notify.NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, **kwargs)


def test_posts_the_template_personalisation_with_a_valid_jwt(requests):
    message = EmailMessage(
        "Remedial action due", "Dear Sam,\nLine two", to=["a@example.org", "b@example.org"]
    )
    before = int(time.time())
    assert backend().send_messages([message]) == 1

    assert len(requests) == 2
    request, timeout = requests[0]
    assert request.full_url == "https://api.notifications.service.gov.uk/v2/notifications/email"
    assert request.get_method() == "POST"
    assert timeout == notify.TIMEOUT_SECONDS
    assert request.get_header("Content-type") == "application/json"
    assert json.loads(request.data) == {
        "email_address": "a@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Remedial action due", "body": "Dear Sam,\nLine two"},
    }
    assert json.loads(requests[1][0].data)["email_address"] == "b@example.org"

    scheme, token = request.get_header("Authorization").split(" ")
    assert scheme == "Bearer"
    header, payload, signature = token.split(".")
    assert json.loads(_unb64(header)) == {"typ": "JWT", "alg": "HS256"}
    claims = json.loads(_unb64(payload))
    assert claims["iss"] == SERVICE_ID
    assert before <= claims["iat"] <= int(time.time())
    expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert _unb64(signature) == expected


def test_reads_settings(settings, requests):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    connection = notify.NotifyEmailBackend()
    assert connection.service_id == SERVICE_ID
    assert connection.secret_key == SECRET
    assert EmailMessage("s", "b", to=["x@example.org"], connection=connection).send() == 1
    assert json.loads(requests[0][0].data)["template_id"] == TEMPLATE_ID


def test_missing_or_malformed_key_is_a_configuration_error(settings):
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    with pytest.raises(ImproperlyConfigured):
        notify.NotifyEmailBackend()
    with pytest.raises(ImproperlyConfigured):
        notify.NotifyEmailBackend(api_key="not-a-key", template_id=TEMPLATE_ID)


def test_http_error_raises_so_the_task_retries(monkeypatch):
    def refusing(request, timeout=None):
        body = io.BytesIO(b'{"errors": [{"error": "BadRequestError", "message": "Missing personalisation"}]}')
        raise urllib.error.HTTPError(request.full_url, 400, "Bad Request", {}, body)

    monkeypatch.setattr(notify, "urlopen", refusing)
    with pytest.raises(notify.NotifyError, match="400.*Missing personalisation"):
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])


def test_unreachable_raises(monkeypatch):
    def down(request, timeout=None):
        raise urllib.error.URLError("connection refused")

    monkeypatch.setattr(notify, "urlopen", down)
    with pytest.raises(notify.NotifyError, match="could not be reached"):
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])


def test_unexpected_status_raises(monkeypatch):
    monkeypatch.setattr(notify, "urlopen", lambda request, timeout=None: FakeResponse(status=200, body=b"{}"))
    with pytest.raises(notify.NotifyError):
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])


def test_fail_silently_counts_only_sent(monkeypatch):
    def down(request, timeout=None):
        raise urllib.error.URLError("down")

    monkeypatch.setattr(notify, "urlopen", down)
    assert backend(fail_silently=True).send_messages([EmailMessage("s", "b", to=["x@example.org"])]) == 0


def test_a_notify_failure_is_retried_by_sending_tasks():
    assert notify.NotifyError in RETRY_ON


def test_an_accepted_notification_with_an_unreadable_answer_counts_as_sent(monkeypatch):
    monkeypatch.setattr(
        notify, "urlopen", lambda request, timeout=None: FakeResponse(201, b"<html>ok</html>")
    )
    answer = notify.post_notification(
        "https://api.notifications.service.gov.uk/v2/notifications/sms",
        {"phone_number": "+447700900123"},
        service_id=SERVICE_ID,
        secret_key=SECRET,
        timeout=5,
    )
    assert answer == {}
    monkeypatch.setattr(notify, "urlopen", lambda request, timeout=None: FakeResponse(200, b"{}"))
    with pytest.raises(notify.NotifyError):
        notify.post_notification(
            "https://api.notifications.service.gov.uk/v2/notifications/sms",
            {},
            service_id=SERVICE_ID,
            secret_key=SECRET,
            timeout=5,
        )
