"""The one rate limit: counts per key in a window, in the shared cache; the visitor's address behind the proxy."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.test import RequestFactory

from qaf.ratelimit import Limit, client_address

START = dt.datetime(2026, 12, 3, 10, 0, tzinfo=dt.UTC)


def test_a_key_is_refused_after_most_events_and_others_are_not():
    limit = Limit("test-events", 3, 60)
    for _ in range(2):
        limit.count("alice")
    assert not limit.exceeded("alice")
    limit.count("alice")
    assert limit.exceeded("alice")
    assert not limit.exceeded("bob")
    assert not Limit("other-events", 3, 60).exceeded("alice")  # a limit of another name counts apart


def test_the_window_runs_from_the_first_event_and_reset_forgets():
    limit = Limit("test-window", 2, 60)
    with time_machine.travel(START, tick=False) as clock:
        limit.count("carol")
        clock.shift(dt.timedelta(seconds=30))
        limit.count("carol")
        assert limit.exceeded("carol")
        clock.shift(dt.timedelta(seconds=31))  # 61 s after the first event: its window is over
        assert not limit.exceeded("carol")
        limit.count("carol")
        assert not limit.exceeded("carol")
    limit.count("carol")
    limit.reset("carol")
    assert not limit.exceeded("carol")


def test_the_visitors_address_is_the_one_the_proxy_saw(settings):
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.9", REMOTE_ADDR="10.0.0.1")
    settings.SECURE_PROXY_SSL_HEADER = None
    assert client_address(request) == "10.0.0.1"  # not behind the proxy: the header is the visitor's to forge
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    assert client_address(request) == "10.0.0.9"  # the address the proxy appended last


def test_limits_keyed_on_the_address_count_each_visitor_and_scope_apart(settings):
    settings.SECURE_PROXY_SSL_HEADER = None
    limit = Limit("test-address", 1, 60)
    one = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    two = RequestFactory().get("/", REMOTE_ADDR="192.0.2.2")
    limit.count_for(one, scope=7)
    assert limit.exceeded_for(one, scope=7)
    assert not limit.exceeded_for(one, scope=8) and not limit.exceeded_for(two, scope=7)
