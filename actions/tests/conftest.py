"""Fixtures of the actions tests: a kind of source record of their own (actions.tests.factories.CaseSource), a
case of that kind and its reviewer, who raises actions from it."""

from __future__ import annotations

import pytest

from actions import sources
from actions.tests.factories import CaseSource
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def case_source(area):
    """Cases of `area` registered as a source of actions and escalations for this test, with the school's
    staff offered; add reviewers to `case_source.reviewers`."""
    source = CaseSource(agency=area.school)
    source.register()
    yield source
    sources.unregister_source(source.kind)


@pytest.fixture
def case(area):
    """A child known to the school, whose case is a source record once `case_source` is asked for."""
    return ChildFactory(partnership=area.partnership, case_reference="EHC-77", agencies=[area.school])


@pytest.fixture
def reviewer(area, case_source):
    """A practitioner of the school who reviews the cases, and so raises actions from them (as an auditor does
    from the audit they do)."""
    user = member(area.school, Role.PRACTITIONER, username="case.reviewer")
    case_source.reviewers.add(user.pk)
    return user
