"""Fixtures of the voice's tests: the default feedback forms, the partnership's advocacy service, its people and its
returns."""

from __future__ import annotations

import pytest
from django.utils import timezone

from feedback.models import AdvocacyReturn, AdvocacyReturnStatus
from feedback.services.forms import feedback_forms_seed_defaults
from feedback.tests.factories import AdvocacyReturnFactory
from qaf.models import Agency, AgencyKind, Role, User
from qaf.tests.factories import AgencyFactory, member


@pytest.fixture
def forms(area) -> None:
    """`area`'s partnership has the default feedback forms (`feedback_forms_seed_defaults`)."""
    feedback_forms_seed_defaults(partnership=area.partnership)


@pytest.fixture
def advocacy(area) -> Agency:
    """The advocacy service of `area` (SENDIASS)."""
    return AgencyFactory(
        partnership=area.partnership,
        name="SENDIASS (information, advice and support)",
        kind=AgencyKind.ADVOCACY,
    )


@pytest.fixture
def advocacy_manager(advocacy) -> User:
    return member(advocacy, Role.AGENCY_MANAGER, username="iass.manager")


@pytest.fixture
def advocacy_worker(advocacy) -> User:
    return member(advocacy, Role.PRACTITIONER, username="iass.officer")


@pytest.fixture
def draft_return(advocacy) -> AdvocacyReturn:
    """The advocacy service's return for Q2 2026, not submitted yet."""
    return AdvocacyReturnFactory(agency=advocacy, year=2026, quarter=2)


@pytest.fixture
def submitted_return(advocacy) -> AdvocacyReturn:
    """The advocacy service's return for Q1 2026, submitted (and so frozen)."""
    return AdvocacyReturnFactory(
        agency=advocacy,
        year=2026,
        quarter=1,
        status=AdvocacyReturnStatus.SUBMITTED,
        submitted_at=timezone.now(),
    )
