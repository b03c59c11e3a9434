"""The partnership admin manages their own partnership only."""

from __future__ import annotations

from django.urls import reverse

from qaf.models import Agency, Team


def test_partnership_admin_lists_only_own_agencies(client, partnership_admin, area, other_area):
    client.force_login(partnership_admin)
    response = client.get(reverse("admin:qaf_agency_changelist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert area.school.name in body
    assert other_area.school.name not in body


def test_partnership_admin_cannot_open_another_partnerships_agency(client, partnership_admin, other_area):
    client.force_login(partnership_admin)
    response = client.get(reverse("admin:qaf_agency_change", args=[other_area.school.pk]))
    assert response.status_code == 302  # the admin redirects to its index for objects outside the queryset
    assert response["Location"] == reverse("admin:index")


def test_partnership_admin_adds_an_agency_to_own_partnership(client, partnership_admin, area):
    client.force_login(partnership_admin)
    response = client.post(
        reverse("admin:qaf_agency_add"),
        {
            "name": "Brook Primary",
            "kind": "education",
            "council": "",
            "is_active": "on",
            "teams-TOTAL_FORMS": "1",
            "teams-INITIAL_FORMS": "0",
            "teams-0-name": "SEN team",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    agency = Agency.objects.get(name="Brook Primary")
    assert agency.partnership == area.partnership
    assert Team.objects.filter(agency=agency, name="SEN team").exists()


def test_other_staff_cannot_use_the_admin(client, sqa_officer):
    sqa_officer.is_staff = True
    sqa_officer.save()
    client.force_login(sqa_officer)
    response = client.get(reverse("admin:qaf_agency_changelist"))
    assert response.status_code == 403


def test_partnership_admin_gives_a_role_only_in_own_agencies(client, partnership_admin, area, other_area):
    from qaf.tests.factories import UserFactory

    person = UserFactory(partnership=area.partnership, username="newstarter")
    client.force_login(partnership_admin)
    response = client.get(reverse("admin:qaf_user_change", args=[person.pk]))
    choices = response.context["inline_admin_formsets"][0].formset.forms[0].fields["agency"].queryset
    assert area.school in choices
    assert other_area.school not in choices
