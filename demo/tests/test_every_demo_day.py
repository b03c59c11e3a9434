"""The demo seeded once on each of the demo days (`demo_days.py`) and checked by every area's read-only checks:
its partnership and caseload (`test_seed_demo.py`), its audit programme (`test_audits.py`) and its actions and
escalations (`test_actions.py`). One seed a day serves all three, so the whole demo is seeded eleven times, not
once per area and day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from demo.tests.demo_days import DEMO_MOMENT_IDS, DEMO_MOMENTS, seeded_on
from demo.tests.test_actions import SeededActionChecks
from demo.tests.test_audits import SeededAuditChecks
from demo.tests.test_seed_demo import SeededDemoChecks


@pytest.fixture(scope="class", params=DEMO_MOMENTS, ids=DEMO_MOMENT_IDS)
def seeded_demo(request, django_db_setup, django_db_blocker):
    """The demo seeded with the default seed at one of the demo days, for a class of read-only tests, rolled back
    afterwards. The class gets `today` (the day the seed started on) and `output` (what seed_demo printed)."""
    with seeded_on(request.param, django_db_blocker) as today, override_settings(DEBUG=True):
        out = io.StringIO()
        call_command("seed_demo", stdout=out)
        request.cls.today = today
        request.cls.output = out.getvalue()
        yield


@pytest.mark.usefixtures("seeded_demo", "db")
class TestTheDemoOnEveryDemoDay(SeededDemoChecks, SeededAuditChecks, SeededActionChecks):
    today: dt.date
    output: str
