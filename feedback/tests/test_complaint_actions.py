"""Remedial actions raised from a complaint: the link from the complaint's page, the source kept, who may raise
one and for whom, and the actions the complaint's page lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionSource, RemedialAction
from actions.services import actions as action_services
from ehcp.tests.factories import ChildFactory
from feedback.models import Complaint
from feedback.tests.factories import ComplaintFactory
from qaf.models import Role
from qaf.tests.factories import member

pytestmark = pytest.mark.django_db


def _raise_data(area, worker) -> dict:
    due = timezone.localdate() + dt.timedelta(days=14)
    return {
        "source": "complaint",
        "source_note": "Complaint",
        "worker": f"{area.school.pk}-{worker.pk}",
        "what": "Send the family the papers two weeks before each review",
        "why": "The complaint was upheld",
        "priority": "medium",
        "due_on_0": due.day,
        "due_on_1": due.month,
        "due_on_2": due.year,
    }


def test_action_raised_from_a_complaint_shows_on_that_complaint_only(
    client, area, sqa_officer, practitioner, django_capture_on_commit_callbacks
):
    complaint = ComplaintFactory(agency=area.school)
    another = ComplaintFactory(agency=area.school)
    client.force_login(sqa_officer)

    page = client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).content.decode()
    raise_url = f"{reverse('actions:action-raise')}?source=complaint&source_id={complaint.pk}"
    assert raise_url.replace("&", "&amp;") in page

    form = client.get(raise_url)
    assert form.status_code == 200
    assert form.context["form"]["source_note"].value() == f"Complaint {complaint.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(raise_url, _raise_data(area, practitioner))
    assert response.status_code == 302

    action = RemedialAction.objects.get()
    assert action.source == ActionSource.COMPLAINT
    assert action.source_type == ContentType.objects.get_for_model(Complaint)
    assert action.source_id == complaint.pk
    shown = client.get(reverse("feedback:complaint-detail", args=[complaint.pk]))
    assert [a.pk for a in shown.context["actions"]] == [action.pk]
    assert "Send the family the papers" in shown.content.decode()
    other_page = client.get(reverse("feedback:complaint-detail", args=[another.pk]))
    assert other_page.context["actions"] == []
    assert "Send the family the papers" not in other_page.content.decode()


def test_source_from_the_query_wins_over_the_radio(client, area, sqa_officer, practitioner):
    complaint = ComplaintFactory(agency=area.school)
    client.force_login(sqa_officer)

    client.post(
        f"{reverse('actions:action-raise')}?source=complaint&source_id={complaint.pk}",
        {**_raise_data(area, practitioner), "source": "dip_sample"},
    )

    action = RemedialAction.objects.get()
    assert (action.source, action.source_id) == (ActionSource.COMPLAINT, complaint.pk)


@pytest.mark.parametrize(
    "persona, sees_button",
    [
        ("sqa_officer", True),
        ("agency_manager", True),
        ("head_of_service", True),
        ("practitioner", False),
        ("team_manager", False),
    ],
)
def test_only_those_who_may_raise_actions_see_the_button(request, client, area, persona, sees_button):
    complaint = ComplaintFactory(agency=area.school)
    client.force_login(request.getfixturevalue(persona))

    page = client.get(reverse("feedback:complaint-detail", args=[complaint.pk]))

    assert page.status_code == 200
    assert ("Raise a remedial action" in page.content.decode()) == sees_button
    assert (page.context["raise_url"] is not None) == sees_button


def test_a_manager_may_not_link_an_action_to_another_agencys_complaint(
    client, area, agency_manager, practitioner, other_area
):
    theirs = ComplaintFactory(agency=area.other_school)
    elsewhere = ComplaintFactory(agency=other_area.school)
    client.force_login(agency_manager)

    for complaint in (theirs, elsewhere):
        url = f"{reverse('actions:action-raise')}?source=complaint&source_id={complaint.pk}"
        assert client.get(url).status_code == 404
        assert client.post(url, _raise_data(area, practitioner)).status_code == 404
    assert client.get(f"{reverse('actions:action-raise')}?source=complaint&source_id=abc").status_code == 404
    assert not RemedialAction.objects.exists()


def test_complaint_page_lists_only_actions_the_user_may_see(
    client, area, sqa_officer, other_agency_manager, practitioner, agency_manager
):
    complaint = ComplaintFactory(agency=area.school)
    RemedialAction.objects.create(
        partnership=area.partnership,
        source=ActionSource.COMPLAINT,
        source_type=ContentType.objects.get_for_model(Complaint),
        source_id=complaint.pk,
        agency=area.school,
        worker=practitioner,
        what="Review the transport policy",
        why="Complaint",
        due_on=timezone.localdate() + dt.timedelta(days=5),
        raised_by=sqa_officer,
    )
    client.force_login(agency_manager)
    assert len(client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).context["actions"]) == 1
    client.force_login(practitioner)
    assert len(client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).context["actions"]) == 1
    # Another agency's manager cannot see this complaint at all.
    client.force_login(other_agency_manager)
    assert client.get(reverse("feedback:complaint-detail", args=[complaint.pk])).status_code == 404


def test_raising_from_a_complaint_offers_the_people_of_its_agency_only(
    client, area, sqa_officer, practitioner
):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    complaint = ComplaintFactory(agency=area.school)
    client.force_login(sqa_officer)

    general = client.get(reverse("actions:action-raise")).context["form"]
    assert f"{area.other_school.pk}-{outsider.pk}" in dict(general.fields["worker"].choices)

    url = f"{reverse('actions:action-raise')}?source=complaint&source_id={complaint.pk}"
    form = client.get(url).context["form"]
    offered = [value for value, _label in form.fields["worker"].choices if value]
    assert f"{area.school.pk}-{practitioner.pk}" in offered
    assert all(value.startswith(f"{area.school.pk}-") for value in offered)
    assert area.school.name in form.fields["worker"].help_text

    response = client.post(
        url, {**_raise_data(area, practitioner), "worker": f"{area.other_school.pk}-{outsider.pk}"}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["worker"] == ["Select who carries out the action"]
    assert not RemedialAction.objects.exists()


def test_the_service_refuses_a_worker_outside_the_complaints_agency(area, sqa_officer):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    complaint = ComplaintFactory(agency=area.school)

    with pytest.raises(ValidationError) as refused:
        action_services.action_raise(
            by=sqa_officer,
            agency=area.other_school,
            worker=outsider,
            what="Apologise",
            why="Upheld",
            due_on=timezone.localdate(),
            priority="low",
            source=ActionSource.COMPLAINT,
            source_object=complaint,
        )

    assert refused.value.message_dict["worker"] == [
        f"Choose someone who works in {area.school.name}, the agency the complaint is about"
    ]
    assert not RemedialAction.objects.exists()


def test_an_action_from_a_complaint_about_a_child_is_linked_to_the_child(
    client, area, sqa_officer, practitioner
):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-4242")
    complaint = ComplaintFactory(agency=area.school, child=child)
    without_child = ComplaintFactory(agency=area.school)
    client.force_login(sqa_officer)

    for linked in (complaint, without_child):
        url = f"{reverse('actions:action-raise')}?source=complaint&source_id={linked.pk}"
        assert client.post(url, _raise_data(area, practitioner)).status_code == 302

    about_child, about_none = RemedialAction.objects.order_by("pk")
    assert (about_child.source_id, about_child.child) == (complaint.pk, child)
    assert (about_none.source_id, about_none.child) == (without_child.pk, None)
    assert list(RemedialAction.objects.filter(child=child)) == [about_child]
