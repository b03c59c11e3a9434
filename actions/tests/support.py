"""Helpers shared by the actions tests and the audits tests that build on them: raising an action through the
service (as the audits tests do from an audit), the raise form's fields, signing in, reading back an action's
history and the messages a page shows, and measuring a list's queries as its rows grow."""

from __future__ import annotations

import datetime as dt

from django.contrib.messages import get_messages
from django.utils import timezone

from actions import sources
from actions.models import RemedialAction
from actions.services import actions as services

IN_TWO_WEEKS = dt.timedelta(days=14)


def raise_action(record=None, *, by, worker, **overrides) -> RemedialAction:
    """An action raised through the service (`services.action_raise`) by `by` for `worker`, from `record` in the
    agency its source names, high priority, due in two weeks, unless `overrides` say otherwise (any of the
    service's arguments). Without a record it is raised from other QA activity: pass `agency` and `source`."""
    details = {
        "by": by,
        "worker": worker,
        "what": "Add the speech and language advice to section B",
        "why": "Health advice missing from the plan",
        "due_on": timezone.localdate() + IN_TWO_WEEKS,
        "priority": "high",
        "source_object": record,
        **overrides,
    }
    if "agency" not in details and record is not None:
        details["agency"] = sources.source_of(record).agency_of(record)
    return services.action_raise(**details)


def due_soon() -> dt.date:
    """A due date three days from today, which the pages show as "Due soon"."""
    return timezone.localdate() + dt.timedelta(days=3)


def due_fields(day: dt.date) -> dict:
    """The due date as the raise form's three date inputs post it."""
    return {"due_on_0": day.day, "due_on_1": day.month, "due_on_2": day.year}


def raise_form(agency, worker, *, due_on: dt.date | None = None, **fields) -> dict:
    """What the raise form posts for an action carried out by `worker` of `agency`, due `due_on` (today unless
    told): placeholder words and low priority unless `fields` say otherwise."""
    return {
        "worker": f"{agency.pk}-{worker.pk}",
        "what": "x",
        "why": "y",
        "priority": "low",
        **due_fields(due_on or timezone.localdate()),
        **fields,
    }


def login(client, user):
    """Signs `user` in on the test client and hands the client back."""
    client.force_login(user)
    return client


def flashed(client, response) -> list[str]:
    """The messages shown on the page the POST redirects to (which reads them, so none is left over)."""
    assert response.status_code == 302
    page = client.get(response["Location"])
    return [str(message) for message in get_messages(page.wsgi_request)]


def kinds(action: RemedialAction) -> list[str]:
    """The kinds of the action's history events, in order, without the "told" events of the emails."""
    return list(action.events.exclude(kind=services.NOTIFIED).values_list("kind", flat=True))


def queries_as_rows_grow(django_assert_max_num_queries, *, limit: int, sizes, add, fetch):
    """What a list's query-count test measures: for each n of `sizes` in turn, `add(n)` writes n more rows (or
    rows anew) and then `fetch()`, a page or an API call, runs in at most `limit` queries. Returns the number
    of queries of each fetch and the responses, for the test to assert that the count does not grow."""
    counts, responses = [], []
    for n in sizes:
        add(n)
        with django_assert_max_num_queries(limit) as captured:
            responses.append(fetch())
        counts.append(len(captured.captured_queries))
    return counts, responses
