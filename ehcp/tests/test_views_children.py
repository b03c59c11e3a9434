"""The children list, child page and forms: filters, pagination, validation and query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from ehcp import services
from ehcp.models import Child, Plan
from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, NeedsAssessmentFactory, PlanFactory
from qaf import hooks
from qaf.tests.forms import date_fields


def _listed(response) -> set[str]:
    return {c.case_reference for c in response.context["page"].object_list}


@pytest.fixture
def mixed_children(area):
    today = timezone.localdate()
    p = area.partnership
    return {
        "asd_ks2": ChildFactory(
            partnership=p,
            case_reference="NCC-0001",
            primary_need="ASD",
            date_of_birth=dt.date(today.year - 9, 1, 15),
            agencies=[area.school],
            next_review_due_on=today - dt.timedelta(days=3),
        ),
        "semh_ks4": ChildFactory(
            partnership=p,
            case_reference="NCC-0002",
            primary_need="SEMH",
            date_of_birth=dt.date(today.year - 15, 1, 15),
            agencies=[area.other_school],
            setting_type="SS",
            looked_after=True,
            next_review_due_on=today + dt.timedelta(days=60),
        ),
        "ceased": ChildFactory(
            partnership=p,
            case_reference="RCC-0003",
            primary_need="SLCN",
            date_of_birth=dt.date(today.year - 9, 1, 15),
            agencies=[area.school],
            next_review_due_on=today - dt.timedelta(days=100),
            plan_ended_on=today - dt.timedelta(days=200),
            plan_end_reason="MOVED",
        ),
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, {"asd_ks2", "semh_ks4", "ceased"}),
        ({"need": "SEMH"}, {"semh_ks4"}),
        ({"key_stage": "KS2"}, {"asd_ks2", "ceased"}),
        ({"key_stage": "KS4"}, {"semh_ks4"}),
        ({"setting": "SS"}, {"semh_ks4"}),
        ({"overdue": "on"}, {"asd_ks2"}),
        ({"looked_after": "on"}, {"semh_ks4"}),
        ({"q": "rcc"}, {"ceased"}),
        ({"q": "NCC-000"}, {"asd_ks2", "semh_ks4"}),
    ],
)
def test_list_filters(client, sqa_officer, mixed_children, query, expected):
    client.force_login(sqa_officer)
    response = client.get(reverse("ehcp:child-list"), query)
    assert response.status_code == 200
    assert _listed(response) == {mixed_children[k].case_reference for k in expected}


def test_list_filters_by_agency(client, sqa_officer, mixed_children, area):
    client.force_login(sqa_officer)
    response = client.get(reverse("ehcp:child-list"), {"agency": area.other_school.pk})
    assert _listed(response) == {"NCC-0002"}


def test_an_invalid_filter_is_an_error_and_the_other_filters_still_apply(client, sqa_officer, mixed_children):
    client.force_login(sqa_officer)
    response = client.get(reverse("ehcp:child-list"), {"need": "SEMH", "agency": "not-a-number"})
    assert response.status_code == 200
    assert _listed(response) == {"NCC-0002"}
    assert response.context["form"].errors["agency"]
    assert [name for name, _label, _value in response.context["active_filters"]] == ["need"]
    assert "Select an agency from the list" in response.content.decode()


def test_agency_filter_offers_only_own_agencies_to_agency_staff(client, agency_manager, area):
    client.force_login(agency_manager)
    response = client.get(reverse("ehcp:child-list"))
    assert list(response.context["form"].fields["agency"].queryset) == [area.school]
    # Choosing another agency is not a way round the scoping: the choice is refused, the filter ignored.
    response = client.get(reverse("ehcp:child-list"), {"agency": area.other_school.pk})
    assert response.status_code == 200
    assert "NCC-0002" not in response.content.decode()


def test_list_paginates(client, sqa_officer, area):
    Child.objects.bulk_create(
        Child(
            partnership=area.partnership,
            case_reference=f"P-{i:04d}",
            initials="AB",
            date_of_birth=dt.date(2014, 1, 1),
            primary_need="ASD",
            setting_type="MS",
        )
        for i in range(60)
    )
    client.force_login(sqa_officer)
    first = client.get(reverse("ehcp:child-list"))
    third = client.get(reverse("ehcp:child-list"), {"page": 3})
    assert len(first.context["page"].object_list) == 25
    assert _listed(third) == {f"P-{i:04d}" for i in range(50, 60)}
    assert 'rel="next"' in first.content.decode()
    assert "Page </span>3 of 3" in third.content.decode()


def _bulk_children(area, n: int) -> None:
    children = Child.objects.bulk_create(
        Child(
            partnership=area.partnership,
            case_reference=f"Q-{i:05d}",
            initials="CD",
            date_of_birth=dt.date(2013, 5, 1),
            primary_need="SLCN",
            setting_type="MS",
            next_review_due_on=dt.date(2025, 1, 1),
        )
        for i in range(n)
    )
    Child.agencies.through.objects.bulk_create(
        Child.agencies.through(child_id=c.pk, agency_id=area.school.pk) for c in children
    )


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_list_query_count_does_not_grow(client, request, area, django_assert_max_num_queries, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    _bulk_children(area, 10)
    with django_assert_max_num_queries(8) as small:
        assert client.get(reverse("ehcp:child-list"), {"overdue": "on"}).status_code == 200
    _bulk_children_more = 990
    Child.objects.filter(partnership=area.partnership).delete()
    _bulk_children(area, 10 + _bulk_children_more)
    with django_assert_max_num_queries(8) as large:
        assert client.get(reverse("ehcp:child-list"), {"overdue": "on"}).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def _child_with_history(area, plans: int) -> Child:
    child = ChildFactory(partnership=area.partnership, agencies=[area.school, area.health])
    for i in range(plans):
        assessment = NeedsAssessmentFactory(
            child=child,
            requested_on=dt.date(2015 + i, 1, 5),
            decision_on=dt.date(2015 + i, 2, 5),
            final_plan_issued_on=dt.date(2015 + i, 6, 1),
        )
        PlanFactory(child=child, assessment=assessment, issued_on=dt.date(2015 + i, 6, 1), version=i + 1)
        AnnualReviewFactory(child=child, due_on=dt.date(2016 + i, 6, 1), meeting_on=dt.date(2016 + i, 5, 20))
    return child


def test_child_page_query_count_does_not_grow(client, sqa_officer, area, django_assert_max_num_queries):
    client.force_login(sqa_officer)
    small, large = _child_with_history(area, 1), _child_with_history(area, 8)
    counts = []
    for child in (small, large):
        # 9 for the child's own record, and a count for each other app's section (no rows of theirs here).
        with django_assert_max_num_queries(14) as captured:
            response = client.get(reverse("ehcp:child-detail", args=[child.pk]))
        assert response.status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def _section(order: int, key: str, title: str) -> hooks.ChildPanel:
    return hooks.ChildPanel(
        order=order,
        key=key,
        title=title,
        template="never-drawn-without-rows.html",
        rows=[],
        total=0,
        list_url=f"/{key}/",
        more_label="",
        empty=f"There is nothing in the {key} list.",
    )


def test_child_page_shows_the_sections_other_apps_register_in_their_order(
    client, sqa_officer, area, monkeypatch
):
    child = ChildFactory(partnership=area.partnership)
    asked = []

    def later(user, about):
        asked.append((user.pk, about.pk))
        return _section(20, "later", "Later section")

    def left_out(user, about):
        return None

    monkeypatch.setattr(
        hooks, "_child_panels", [later, left_out, lambda u, c: _section(10, "first", "First")]
    )
    client.force_login(sqa_officer)
    body = client.get(reverse("ehcp:child-detail", args=[child.pk])).content.decode()
    assert asked == [(sqa_officer.pk, child.pk)]
    assert "Quality assurance history" in body
    assert body.index(">First</h3>") < body.index(">Later section</h3>")
    assert "There is nothing in the first list." in body
    assert "There is nothing in the later list." in body
    assert body.count('aria-labelledby="child-panel-') == 2


def test_child_page_without_sections_has_no_quality_assurance_heading(client, sqa_officer, area, monkeypatch):
    monkeypatch.setattr(hooks, "_child_panels", [lambda user, child: None])
    client.force_login(sqa_officer)
    child = ChildFactory(partnership=area.partnership)
    response = client.get(reverse("ehcp:child-detail", args=[child.pk]))
    assert response.status_code == 200
    assert response.context["panels"] == []
    assert "Quality assurance history" not in response.content.decode()


def test_registering_a_section_twice_draws_it_once(monkeypatch):
    monkeypatch.setattr(hooks, "_child_panels", [])

    def provider(user, child):
        return _section(10, "once", "Once")

    assert hooks.register_child_panel(provider) is provider
    hooks.register_child_panel(provider)
    assert [panel.key for panel in hooks.child_panels(None, None)] == ["once"]


def test_child_page_shows_timeliness(client, sqa_officer, area):
    child = ChildFactory(partnership=area.partnership)
    services.assessment_save(
        child=child,
        requested_on=dt.date(2025, 1, 6),
        decision_on=dt.date(2025, 2, 3),
        will_assess=True,
        final_plan_issued_on=dt.date(2025, 7, 7),
    )
    client.force_login(sqa_officer)
    body = client.get(reverse("ehcp:child-detail", args=[child.pk])).content.decode()
    assert "Final plan issued (20 weeks)" in body
    assert "26.0 weeks" in body  # 6 Jan to 7 Jul
    assert "govuk-tag--orange" in body  # late


def _child_post(**overrides):
    data = {
        "case_reference": "NCC-9999",
        "initials": "j. s",
        **date_fields("date_of_birth", dt.date(2016, 3, 14)),
        "primary_need": "ASD",
        "setting_type": "MS",
    }
    data.update(overrides)
    return data


def test_sat_adds_a_child(client, sat_caseworker, area):
    client.force_login(sat_caseworker)
    response = client.post(reverse("ehcp:child-create"), _child_post(agencies=[area.school.pk]))
    child = Child.objects.get(case_reference="NCC-9999")
    assert response.status_code == 302
    assert response["Location"] == reverse("ehcp:child-detail", args=[child.pk])
    assert child.initials == "JS"
    assert child.date_of_birth == dt.date(2016, 3, 14)
    assert list(child.agencies.all()) == [area.school]


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"date_of_birth_0": "31", "date_of_birth_1": "2"}, "date_of_birth", "must be a real date"),
        ({"date_of_birth_1": ""}, "date_of_birth", "must include a month"),
        (
            {"date_of_birth_0": "", "date_of_birth_1": "", "date_of_birth_2": ""},
            "date_of_birth",
            "Enter the date of birth",
        ),
        ({"initials": "J5"}, "initials", "letters only"),
        ({"primary_need": "XYZ"}, "primary_need", "Select the primary need"),
    ],
)
def test_add_child_errors_are_shown(client, sat_caseworker, overrides, field, message):
    client.force_login(sat_caseworker)
    response = client.post(reverse("ehcp:child-create"), _child_post(**overrides))
    assert response.status_code == 200
    assert any(message in e for e in response.context["form"].errors[field])
    assert "govuk-error-summary" in response.content.decode()
    assert not Child.objects.filter(case_reference="NCC-9999").exists()


def test_duplicate_case_reference_is_a_field_error(client, sat_caseworker, area):
    ChildFactory(partnership=area.partnership, case_reference="NCC-9999")
    client.force_login(sat_caseworker)
    response = client.post(reverse("ehcp:child-create"), _child_post())
    assert "already has this case reference" in response.context["form"].errors["case_reference"][0]
    assert Child.objects.filter(case_reference="NCC-9999").count() == 1


def test_same_case_reference_is_allowed_in_another_partnership(client, sat_caseworker, other_area):
    ChildFactory(partnership=other_area.partnership, case_reference="NCC-9999")
    client.force_login(sat_caseworker)
    assert client.post(reverse("ehcp:child-create"), _child_post()).status_code == 302


def test_agency_of_another_partnership_cannot_be_attached(client, sat_caseworker, other_area):
    client.force_login(sat_caseworker)
    response = client.post(reverse("ehcp:child-create"), _child_post(agencies=[other_area.school.pk]))
    assert response.status_code == 200
    assert "agencies" in response.context["form"].errors


def test_recording_an_assessment_with_final_plan_adds_the_plan(client, sat_caseworker, area):
    child = ChildFactory(partnership=area.partnership, date_of_birth=dt.date(2014, 1, 1))
    client.force_login(sat_caseworker)
    response = client.post(
        reverse("ehcp:assessment-create", args=[child.pk]),
        {
            **date_fields("requested_on", dt.date(2025, 1, 6)),
            **date_fields("decision_on", dt.date(2025, 2, 10)),
            "will_assess": "yes",
            "exception": "",
            **date_fields("final_plan_issued_on", dt.date(2025, 6, 2)),
        },
    )
    assert response.status_code == 302
    plan = Plan.objects.get(child=child)
    assert (plan.kind, plan.issued_on) == ("final", dt.date(2025, 6, 2))
    child.refresh_from_db()
    assert child.next_review_due_on == dt.date(2026, 6, 2)


def test_assessment_dates_out_of_order_are_refused(client, sat_caseworker, area):
    child = ChildFactory(partnership=area.partnership)
    client.force_login(sat_caseworker)
    response = client.post(
        reverse("ehcp:assessment-create", args=[child.pk]),
        {
            **date_fields("requested_on", dt.date(2025, 3, 6)),
            **date_fields("decision_on", dt.date(2025, 2, 10)),
            "exception": "",
        },
    )
    assert response.status_code == 200
    assert "on or after the request date" in response.context["form"].errors["decision_on"][0]
    assert not child.assessments.exists()


def test_holding_a_review_moves_the_next_due_date(client, sat_caseworker, area):
    child = ChildFactory(partnership=area.partnership, date_of_birth=dt.date(2012, 1, 1))
    services.plan_create(child=child, kind="final", issued_on=dt.date(2024, 9, 2))
    child.refresh_from_db()
    assert child.next_review_due_on == dt.date(2025, 9, 2)
    client.force_login(sat_caseworker)
    response = client.post(
        reverse("ehcp:review-create", args=[child.pk]),
        {**date_fields("meeting_on", dt.date(2025, 8, 28)), "decision": ""},
    )
    assert response.status_code == 302
    review = child.reviews.get()
    assert review.due_on == dt.date(2025, 9, 2)
    child.refresh_from_db()
    assert child.next_review_due_on == dt.date(2026, 8, 28)


def test_agencies_are_offered_as_checkboxes_so_several_can_be_chosen(client, sat_caseworker, area):
    client.force_login(sat_caseworker)
    body = client.get(reverse("ehcp:child-create")).content.decode()
    assert f'type="checkbox" value="{area.school.pk}"' in body
    assert f'type="radio" value="{area.school.pk}"' not in body
    response = client.post(
        reverse("ehcp:child-create"), _child_post(agencies=[area.school.pk, area.health.pk])
    )
    assert response.status_code == 302
    assert set(Child.objects.get(case_reference="NCC-9999").agencies.all()) == {area.school, area.health}
