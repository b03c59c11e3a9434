"""Fixtures of the actions tests: a kind of source record of their own (actions.tests.factories.CaseSource)."""

from __future__ import annotations

import pytest

from actions import sources
from actions.tests.factories import CaseSource


@pytest.fixture
def case_source(area):
    """Cases of `area` registered as a source of actions and escalations for this test, with the school's
    staff offered; add reviewers to `case_source.reviewers`."""
    source = CaseSource(agency=area.school)
    source.register()
    yield source
    sources.unregister_source(source.kind)
