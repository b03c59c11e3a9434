"""The registry of the records actions and escalations come from (actions.sources): what a registered kind
says is what the service checks and the pages show, and a record of no registered kind is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from actions import sources
from actions.models import ActionSource, EscalationTrigger
from actions.services import escalations as escalation_services
from actions.tests.factories import CASE_REVIEW, make_action
from actions.tests.support import raise_action
from ehcp.tests.factories import ChildFactory
from qaf.models import Role
from qaf.tests.factories import member


@pytest.fixture
def general_kind(area):
    """Cases as a source raised from by the general rule (as complaints are), in the school."""
    sources.register_source(
        "general_case",
        "ehcp.Child",
        heading="Case",
        noun="case",
        visible=list,
        agency_of=lambda child: area.school,
        child_of=lambda child: child,
        linkable=True,
    )
    yield
    sources.unregister_source("general_case")


def test_a_registered_kind_is_found_by_its_name_its_model_and_a_link_to_a_record(case_source, case, area):
    source = sources.source_kind(CASE_REVIEW)
    assert source is not None and source.model_label == "ehcp.Child"
    assert sources.source_of(case) is source
    action = make_action(
        agency=area.school, worker=member(area.school, Role.PRACTITIONER), due_on=timezone.localdate()
    )
    assert sources.source_of_link(action) is None
    action.source_type, action.source_id = sources.link_of(case).values()
    assert sources.source_of_link(action) is source


def test_a_kind_is_forgotten_when_unregistered(case):
    source = sources.register_source("passing_kind", "ehcp.Child", heading="Case", noun="case", visible=list)
    assert sources.source_of(case) is source
    sources.unregister_source("passing_kind")
    assert sources.source_kind("passing_kind") is None and sources.source_of(case) is None


def test_an_action_from_a_record_follows_its_kinds_rule_child_and_source(
    case_source, case, reviewer, practitioner, agency_manager
):
    with pytest.raises(PermissionDenied):
        raise_action(case, by=agency_manager, worker=practitioner)  # the general rule does not apply here
    action = raise_action(case, by=reviewer, worker=practitioner)
    assert action.child == case
    assert action.source == ActionSource.OTHER  # the kind's action_source
    assert action.source_object == case


def test_an_action_from_a_record_of_no_registered_kind_is_refused(area, sqa_officer, practitioner):
    unregistered = ChildFactory(partnership=area.partnership)
    with pytest.raises(ValidationError) as refused:
        raise_action(unregistered, by=sqa_officer, worker=practitioner, agency=area.school, source="other")
    assert "source" in refused.value.message_dict


def test_an_action_from_a_record_of_another_partnership_is_refused(
    general_kind, area, other_area, sqa_officer, practitioner
):
    elsewhere = ChildFactory(partnership=other_area.partnership)
    with pytest.raises(ValidationError) as refused:
        raise_action(elsewhere, by=sqa_officer, worker=practitioner, source=ActionSource.OTHER, child=None)
    assert refused.value.message_dict["source"] == ["The case belongs to another partnership"]


def test_a_kinds_own_rule_refuses_a_record_of_another_partnership(
    case_source, other_area, sqa_officer, practitioner
):
    elsewhere = ChildFactory(partnership=other_area.partnership)
    with pytest.raises(PermissionDenied):
        raise_action(elsewhere, by=sqa_officer, worker=practitioner)


def test_a_record_of_a_general_kind_takes_its_action_in_its_agency(general_kind, area, sqa_officer):
    outsider = member(area.other_school, Role.PRACTITIONER, username="elm.worker")
    case = ChildFactory(partnership=area.partnership)
    with pytest.raises(ValidationError) as refused:
        raise_action(
            case, by=sqa_officer, worker=outsider, agency=area.other_school, source=ActionSource.OTHER
        )
    assert refused.value.message_dict["worker"] == [
        f"Choose someone who works in {area.school.name}, the agency the case is about"
    ]


def test_an_action_about_another_child_than_the_records_is_refused(
    case_source, case, area, reviewer, practitioner
):
    other_child = ChildFactory(partnership=area.partnership)
    with pytest.raises(ValidationError) as refused:
        raise_action(case, by=reviewer, worker=practitioner, child=other_child)
    assert refused.value.message_dict["child"] == ["The action must be about the child of the case"]


def test_describe_links_a_record_the_user_may_open_and_names_it_otherwise(
    case_source, case, sqa_officer, other_agency_manager
):
    shown = sources.describe(sqa_officer, case)
    assert shown == sources.SourceLink(
        heading="Case", text="Case review of EHC-77", url=reverse("ehcp:child-detail", args=[case.pk])
    )
    hidden = sources.describe(other_agency_manager, case)
    assert hidden == sources.SourceLink(heading="Case", text="Case review", url=None)


def test_the_action_page_shows_the_source_as_its_kind_describes_it(
    client, case_source, case, reviewer, practitioner, team_manager
):
    action = raise_action(case, by=reviewer, worker=practitioner)
    client.force_login(practitioner)
    body = client.get(reverse("actions:action-detail", args=[action.pk])).content.decode()
    assert (
        f'<a class="govuk-link" href="{reverse("ehcp:child-detail", args=[case.pk])}">Case review of EHC-77</a>'
        in body
    )


def test_an_escalation_needs_a_registered_source_and_a_known_trigger(area, case_source, case, sqa_officer):
    common = {"by": sqa_officer, "trigger_key": "x:1", "summary": "s", "agency": area.school}
    with pytest.raises(ValueError):
        escalation_services.escalation_raise(
            source=ChildFactory.build(partnership=area.partnership), trigger="nonsense", **common
        )
    with pytest.raises(ValueError):
        escalation_services.escalation_raise(
            source=sqa_officer, trigger=EscalationTrigger.SAFEGUARDING, **common
        )
    escalation, created = escalation_services.escalation_raise(
        source=case, trigger=EscalationTrigger.SAFEGUARDING, **common
    )
    assert created and escalation.source_object == case
    again, created = escalation_services.escalation_raise(
        source=case, trigger=EscalationTrigger.SAFEGUARDING, **common
    )
    assert again.pk == escalation.pk and not created


def test_the_escalation_page_shows_the_details_and_the_source_its_kind_gives(
    client, area, case_source, case, sqa_officer
):
    escalation, _ = escalation_services.escalation_raise(
        source=case,
        by=sqa_officer,
        trigger=EscalationTrigger.SAFEGUARDING,
        trigger_key="case:77",
        summary="Concern about EHC-77",
        agency=area.school,
        child=case,
    )
    client.force_login(sqa_officer)
    body = client.get(reverse("actions:escalation-detail", args=[escalation.pk])).content.decode()
    assert '<dt class="govuk-summary-list__key">Case</dt>' in body
    assert "Case review of EHC-77</a>" in body


def test_the_api_gives_the_ids_the_kind_registers(
    client, case_source, case, reviewer, practitioner, sqa_officer
):
    action = raise_action(case, by=reviewer, worker=practitioner)
    client.force_login(sqa_officer)
    row = client.get(f"/api/v1/actions/{action.pk}/").json()
    assert row["audit"] == case.pk  # what CaseSource registers as its "audit" reference
    bare = make_action(agency=action.agency, worker=practitioner, due_on=timezone.localdate())
    assert client.get(f"/api/v1/actions/{bare.pk}/").json()["audit"] is None
