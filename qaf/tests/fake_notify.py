"""A fake for GOV.UK Notify's web service, at the requests session Notify's client sends through: no network,
every request recorded."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import requests


@dataclass
class SentRequest:
    """One request Notify's client made: its method, URL, headers, JSON body and timeout."""

    method: str
    url: str
    headers: dict[str, str]
    data: str
    timeout: float | None

    def json(self) -> Any:
        return json.loads(self.data)


def answer(status: int = 201, body: bytes = b'{"id": "abc"}') -> requests.Response:
    """A response from Notify with `status` and `body`."""
    response = requests.Response()
    response.status_code = status
    response._content = body
    response.reason = "Created" if status == 201 else "Error"
    response.url = "https://api.notifications.service.gov.uk/"
    return response


@dataclass
class FakeNotify:
    """Answers each request with `reply` (a response, or an exception to raise) and records it in `sent`."""

    reply: requests.Response | Exception = field(default_factory=answer)
    sent: list[SentRequest] = field(default_factory=list)

    def request(self, method: str, url: str, **kwargs: Any) -> requests.Response:
        self.sent.append(
            SentRequest(method, url, kwargs.get("headers", {}), kwargs.get("data", ""), kwargs.get("timeout"))
        )
        if isinstance(self.reply, Exception):
            raise self.reply
        return self.reply


def fake_notify(monkeypatch, reply: requests.Response | Exception | None = None) -> FakeNotify:
    """Put a FakeNotify in place of the network for the rest of the test."""
    fake = FakeNotify() if reply is None else FakeNotify(reply=reply)
    monkeypatch.setattr(requests.Session, "request", fake.request)
    return fake
