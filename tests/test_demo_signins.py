"""Every demo sign-in from DESIGN.md §4 works and lands on a home page made for its role, with figures
computed from the demo data."""

from __future__ import annotations

import time_machine
from django.core.management import call_command
from django.urls import reverse

from demo.tests.demo_days import ORDINARY_DAY

EXPECTED_HOME = {
    "sqa": "sqa",
    "admin": "admin",
    "edu.manager": "agency",
    "health.manager": "agency",
    "care.manager": "agency",
    "sat.manager": "sat",
    "auditor": "agency",
    "hos.education": "agency",
    "board": "board",
}


@time_machine.travel(ORDINARY_DAY, tick=True)
def test_every_demo_user_signs_in_to_their_own_home(client, db, settings):
    settings.DEBUG = True
    call_command("seed_demo", "--scale", "demo", "--seed", "7", stdout=open("/dev/null", "w"))
    seen_figures = {}
    for username, kind in EXPECTED_HOME.items():
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": "demo-password"})
        assert response.status_code == 302, username
        response = client.get(reverse("home"))
        assert response.status_code == 200
        view = response.context["view"]
        assert view.kind == kind, username
        if view.figures is not None:
            # Real figures: every role with figures sees children, plans and overdue reviews in the demo.
            assert view.figures.children > 0, username
            assert view.figures.active_plans > 0, username
            assert view.figures.finals_last_year > 0, username
            seen_figures[username] = view.figures.children
        if kind == "admin":
            assert view.admin_counts["agencies"] > 5
    # Partnership-wide views count more children than one agency's view.
    assert seen_figures["sqa"] == seen_figures["board"] > seen_figures["edu.manager"]
