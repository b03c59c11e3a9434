"""The GOV.UK Notify email backend and text messages, through Notify's client with a fake web service (no
network)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import pytest
import requests
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage

from qaf import notify
from qaf.tasks import is_temporary
from qaf.tests.fake_notify import answer, fake_notify

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
API_KEY = f"qaf_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = "f33517ff-2a88-4f6e-b855-c550268ce08a"
SMS_TEMPLATE_ID = "0b8b5e6a-6a4f-4d39-9f41-3e1f0e3c1a7e"


def _unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


@pytest.fixture
def sent(monkeypatch):
    return fake_notify(monkeypatch).sent


def backend(**kwargs) -> notify.NotifyEmailBackend:
    return notify.NotifyEmailBackend(api_key=API_KEY, template_id=TEMPLATE_ID, **kwargs)


def test_posts_the_template_personalisation_with_a_valid_jwt(sent):
    message = EmailMessage(
        "Remedial action due", "Dear Sam,\nLine two", to=["a@example.org", "b@example.org"]
    )
    before = int(time.time())
    assert backend().send_messages([message]) == 1

    assert len(sent) == 2
    request = sent[0]
    assert request.url == "https://api.notifications.service.gov.uk/v2/notifications/email"
    assert request.method == "POST"
    assert request.timeout == notify.TIMEOUT_SECONDS
    assert request.headers["Content-type"] == "application/json"
    assert request.json() == {
        "email_address": "a@example.org",
        "template_id": TEMPLATE_ID,
        "personalisation": {"subject": "Remedial action due", "body": "Dear Sam,\nLine two"},
    }
    assert sent[1].json()["email_address"] == "b@example.org"

    scheme, token = request.headers["Authorization"].split(" ")
    assert scheme == "Bearer"
    header, payload, signature = token.split(".")
    assert json.loads(_unb64(header)) == {"typ": "JWT", "alg": "HS256"}
    claims = json.loads(_unb64(payload))
    assert claims["iss"] == SERVICE_ID
    assert before <= claims["iat"] <= int(time.time())
    expected = hmac.new(SECRET.encode(), f"{header}.{payload}".encode(), hashlib.sha256).digest()
    assert _unb64(signature) == expected


def test_reads_settings(settings, sent):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    connection = notify.NotifyEmailBackend()
    assert connection.service_id == SERVICE_ID
    assert connection.secret_key == SECRET
    assert EmailMessage("s", "b", to=["x@example.org"], connection=connection).send() == 1
    assert sent[0].json()["template_id"] == TEMPLATE_ID


def test_missing_or_malformed_key_is_a_configuration_error(settings):
    settings.NOTIFY_API_KEY = ""
    settings.NOTIFY_EMAIL_TEMPLATE_ID = TEMPLATE_ID
    with pytest.raises(ImproperlyConfigured):
        notify.NotifyEmailBackend()
    with pytest.raises(ImproperlyConfigured):
        notify.NotifyEmailBackend(api_key="not-a-key", template_id=TEMPLATE_ID)


def test_http_error_raises_so_the_task_retries(monkeypatch):
    body = b'{"errors": [{"error": "BadRequestError", "message": "Missing personalisation"}]}'
    fake_notify(monkeypatch, answer(400, body))
    with pytest.raises(notify.NotifyError, match="400.*Missing personalisation") as raised:
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])
    assert raised.value.status == 400 and raised.value.permanent


@pytest.mark.parametrize("status", [429, 500, 503])
def test_a_busy_or_failing_notify_is_a_temporary_error(monkeypatch, status):
    fake_notify(monkeypatch, answer(status, b'{"errors": [{"error": "Busy", "message": "Try later"}]}'))
    with pytest.raises(notify.NotifyError) as raised:
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])
    assert raised.value.status == status and not raised.value.permanent


def test_unreachable_raises(monkeypatch):
    fake_notify(monkeypatch, requests.ConnectionError("connection refused"))
    with pytest.raises(notify.NotifyError, match="could not be reached") as raised:
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])
    assert raised.value.status is None and not raised.value.permanent


def test_unexpected_status_raises(monkeypatch):
    fake_notify(monkeypatch, answer(200, b"{}"))
    with pytest.raises(notify.NotifyError):
        backend().send_messages([EmailMessage("s", "b", to=["x@example.org"])])


def test_fail_silently_counts_only_sent(monkeypatch):
    fake_notify(monkeypatch, requests.ConnectionError("down"))
    assert backend(fail_silently=True).send_messages([EmailMessage("s", "b", to=["x@example.org"])]) == 0


def test_a_notify_failure_is_retried_by_sending_tasks():
    assert is_temporary(notify.NotifyError("Notify could not be reached: timed out"))
    assert is_temporary(notify.NotifyError("busy", status=429))
    assert is_temporary(notify.NotifyError("failed", status=500))
    assert not is_temporary(notify.NotifyError("refused", status=400))
    assert not is_temporary(notify.NotifyError("bad key", status=403))


def test_an_accepted_notification_with_an_unreadable_answer_counts_as_sent(monkeypatch, settings):
    settings.NOTIFY_API_KEY = API_KEY
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE_ID
    fake = fake_notify(monkeypatch, answer(201, b"<html>ok</html>"))
    answer_ = notify.sms_send(phone_number="+447700900123", body="Hello")
    assert answer_ == {}
    assert fake.sent[0].url == "https://api.notifications.service.gov.uk/v2/notifications/sms"
    fake.reply = answer(200, b"{}")
    with pytest.raises(notify.NotifyError):
        notify.sms_send(phone_number="+447700900123", body="Hello")


def test_without_notify_a_text_is_written_to_the_log(settings, sent, caplog):
    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    with caplog.at_level("INFO", logger="qaf.sms"):
        assert notify.sms_send(phone_number="+447700900123", body="Hello there") == {}
    assert "Hello there" in caplog.text and sent == []
