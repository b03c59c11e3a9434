"""The action and escalation pages moved from /audits/ to /actions/ and /escalations/: their old addresses, in
emails already sent and in bookmarks, answer with a permanent redirect to the new ones, query string kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from actions.tests.factories import make_action, make_escalation
from audits.tests.factories import AuditFactory

OLD_TO_NEW = [
    ("/audits/actions/", "actions:actions", []),
    ("/audits/actions/export.csv", "actions:actions-csv", []),
    ("/audits/actions/mine/", "actions:my-actions", []),
    ("/audits/actions/mine/export.csv", "actions:my-actions-csv", []),
    ("/audits/actions/team/", "actions:team-actions", []),
    ("/audits/actions/team/export.csv", "actions:team-actions-csv", []),
    ("/audits/actions/themes/", "actions:action-themes", []),
    ("/audits/actions/workforce-development/", "actions:workforce-development", []),
    ("/audits/actions/raise/", "actions:action-raise", []),
    ("/audits/actions/12/", "actions:action-detail", [12]),
    ("/audits/actions/12/start/", "actions:action-start", [12]),
    ("/audits/actions/12/complete/", "actions:action-complete", [12]),
    ("/audits/actions/12/verify/", "actions:action-verify", [12]),
    ("/audits/actions/12/cancel/", "actions:action-cancel", [12]),
    ("/audits/escalations/", "actions:escalations", []),
    ("/audits/escalations/7/", "actions:escalation-detail", [7]),
    ("/audits/escalations/7/acknowledge/", "actions:escalation-acknowledge", [7]),
    ("/audits/escalations/7/resolve/", "actions:escalation-resolve", [7]),
    ("/audits/5/actions/raise/", "actions:action-raise-from", ["audit", 5]),
]


@pytest.mark.parametrize(("old", "name", "args"), OLD_TO_NEW)
def test_an_old_address_redirects_permanently_to_the_new_one(client, old, name, args):
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == reverse(name, args=args)


def test_the_query_string_is_kept(client):
    response = client.get("/audits/actions/", {"rag": "red", "sort": "-agency"})
    assert response.status_code == 301
    assert response["Location"] == f"{reverse('actions:actions')}?rag=red&sort=-agency"


def test_a_link_in_an_email_already_sent_still_opens_the_action_and_the_escalation(
    client, area, practitioner, head_of_service
):
    action = make_action(
        agency=area.school, worker=practitioner, due_on=timezone.localdate() + dt.timedelta(3)
    )
    escalation = make_escalation(
        agency=area.school, key="audit:1:inadequate", head_of_service=head_of_service
    )
    client.force_login(practitioner)
    page = client.get(f"/audits/actions/{action.pk}/", follow=True)
    assert page.redirect_chain == [(reverse("actions:action-detail", args=[action.pk]), 301)]
    assert page.status_code == 200 and action.what in page.content.decode()
    client.force_login(head_of_service)
    page = client.get(f"/audits/escalations/{escalation.pk}/", follow=True)
    assert page.redirect_chain == [(reverse("actions:escalation-detail", args=[escalation.pk]), 301)]
    assert page.status_code == 200


def test_the_audit_pages_that_stayed_are_not_redirected(client, area, sqa_officer):
    audit = AuditFactory(agency=area.school)
    client.force_login(sqa_officer)
    assert client.get(reverse("audits:audit-detail", args=[audit.pk])).status_code == 200
    assert reverse("audits:audit-detail", args=[audit.pk]) == f"/audits/{audit.pk}/"
    assert client.get("/audits/").status_code == 200
