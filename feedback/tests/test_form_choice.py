"""Which feedback form an invitation uses: the default form per audience and meeting kind, a form picked when
inviting, retired forms, and the forms pages where the SQA officer sets them; the public pages' title."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from ehcp.tests.factories import AnnualReviewFactory, ChildFactory
from feedback.models import (
    Audience,
    Delivery,
    FeedbackForm,
    FeedbackFormDefault,
    FeedbackInvitation,
    MeetingKind,
    QuestionKind,
)
from feedback.selectors import forms as form_selectors
from feedback.services import forms as form_services
from feedback.services import invitations as services
from feedback.services.responses import response_submit
from feedback.tests.factories import MEETING_ON, FeedbackInvitationFactory, drafted_form, invited
from feedback.tokens import invitation_token
from qaf.tests.factories import UserFactory
from qaf.tests.forms import date_fields

pytestmark = pytest.mark.django_db

R = services.Recipient
DEFAULT_PARENT = "Parent or carer: after a meeting"


def new_form(
    area,
    user,
    *,
    name: str = "Parent or carer: after a tribunal mediation",
    audience: str = Audience.PARENT_CARER,
    title: str = "Tell us about the mediation",
    kinds=(MeetingKind.OTHER,),
    approve: bool = True,
) -> FeedbackForm:
    """A form made and approved on the SQA officer's pages (so approved after the default forms)."""
    version = drafted_form(
        area.partnership, user, name=name, audience=audience, title=title, meeting_kinds=kinds
    )
    form_services.question_add(
        version=version,
        code="overall",
        kind=QuestionKind.RATING,
        text="How was the mediation meeting overall?",
    )
    if approve:
        form_services.version_approve(version=version, user=user)
    return version.form


# --- the rule -----------------------------------------------------------------------------------------------------


def test_a_newly_approved_form_does_not_take_over_invitations_after_an_annual_review(
    area, sqa_officer, agency_manager, forms
):
    mediation = new_form(area, sqa_officer)

    (invitation,) = invited(agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])

    assert invitation.version.form.name == DEFAULT_PARENT
    assert invitation.version.form != mediation


def test_the_default_is_per_audience_and_meeting_kind(area, sqa_officer, agency_manager, forms):
    planning = new_form(
        area, sqa_officer, name="Parent: after planning", title="Your planning meeting", kinds=["planning"]
    )
    form_services.feedback_form_meetings_set(
        form=planning, user=sqa_officer, meeting_kinds=["planning"], default_for=["planning"]
    )

    (after_planning,) = invited(
        agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)], meeting_kind="planning"
    )
    (after_review,) = invited(agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])
    (professional,) = invited(
        agency_manager, area.school, [R(Audience.PROFESSIONAL, Delivery.HANDOUT)], meeting_kind="planning"
    )

    assert after_planning.version.form == planning
    assert after_review.version.form.name == DEFAULT_PARENT
    assert professional.version.form.name == "Professional: after a meeting"


def test_marking_a_new_default_replaces_the_old_one_and_the_database_keeps_one(area, sqa_officer, forms):
    mediation = new_form(area, sqa_officer, kinds=["annual_review", "other"])

    form_services.feedback_form_meetings_set(
        form=mediation, user=sqa_officer, meeting_kinds=["annual_review", "other"], default_for=["other"]
    )

    rows = FeedbackFormDefault.objects.filter(partnership=area.partnership, audience=Audience.PARENT_CARER)
    assert {(row.meeting_kind, row.form.name) for row in rows} == {
        ("annual_review", DEFAULT_PARENT),
        ("planning", DEFAULT_PARENT),
        ("other", mediation.name),
    }
    assert rows.get(meeting_kind="other").set_by == sqa_officer
    with pytest.raises(IntegrityError), transaction.atomic():
        FeedbackFormDefault.objects.create(
            partnership=area.partnership, audience=Audience.PARENT_CARER, meeting_kind="other", form=mediation
        )


def test_unmarking_or_dropping_a_meeting_leaves_no_default_there(area, sqa_officer, forms):
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)

    form_services.feedback_form_meetings_set(
        form=parent,
        user=sqa_officer,
        meeting_kinds=["annual_review", "planning"],
        default_for=["annual_review"],
    )

    parent.refresh_from_db()
    assert parent.meeting_kinds == ["annual_review", "planning"]
    assert set(parent.defaults.values_list("meeting_kind", flat=True)) == {"annual_review"}


@pytest.mark.parametrize(
    ("meeting_kinds", "default_for"),
    [(["planning"], ["annual_review"]), (["tribunal"], []), ([], ["survey"])],
)
def test_a_default_only_for_meetings_the_form_is_for(area, sqa_officer, forms, meeting_kinds, default_for):
    mediation = new_form(area, sqa_officer)
    with pytest.raises(ValidationError) as caught:
        form_services.feedback_form_meetings_set(
            form=mediation, user=sqa_officer, meeting_kinds=meeting_kinds, default_for=default_for
        )
    assert set(caught.value.message_dict) & {"meeting_kinds", "default_for"}
    mediation.refresh_from_db()
    assert mediation.meeting_kinds == ["other"] and not mediation.defaults.exists()


def test_only_an_approved_form_in_use_can_be_a_default(area, sqa_officer, forms):
    draft = new_form(area, sqa_officer, name="Draft only", approve=False, kinds=["other"])
    retired = new_form(area, sqa_officer, name="Old one", kinds=["other"])
    form_services.feedback_form_retire(form=retired, user=sqa_officer)

    for form, message in ((draft, "Approve a version"), (retired, "retired form cannot be a default")):
        with pytest.raises(ValidationError, match=message):
            form_services.feedback_form_meetings_set(
                form=form, user=sqa_officer, meeting_kinds=["other"], default_for=["other"]
            )
    assert not FeedbackFormDefault.objects.filter(form__in=[draft, retired]).exists()


def test_staff_surveys_have_one_default_whatever_the_meeting(area, sqa_officer, forms):
    (invitation,) = invited(
        sqa_officer, area.sqa, [R(Audience.STAFF, Delivery.HANDOUT)], meeting_kind=MeetingKind.SURVEY
    )
    (again,) = invited(sqa_officer, area.sqa, [R(Audience.STAFF, Delivery.HANDOUT)])

    assert invitation.version.form.name == "Staff survey: quality of EHC plans"
    assert again.version == invitation.version
    other = new_form(area, sqa_officer, name="Pulse survey", audience=Audience.STAFF, title="Pulse", kinds=[])
    form_services.feedback_form_meetings_set(
        form=other, user=sqa_officer, meeting_kinds=[], default_for=["survey"]
    )
    (now,) = invited(sqa_officer, area.sqa, [R(Audience.STAFF, Delivery.HANDOUT)], meeting_kind="survey")
    assert now.version.form == other


def test_seeding_the_defaults_again_never_replaces_a_default(area, sqa_officer, forms):
    mediation = new_form(area, sqa_officer, kinds=["other"])
    form_services.feedback_form_meetings_set(
        form=mediation, user=sqa_officer, meeting_kinds=["other"], default_for=["other"]
    )
    FeedbackForm.objects.filter(name=DEFAULT_PARENT).delete()

    form_services.feedback_forms_seed_defaults(partnership=area.partnership)

    defaults = form_selectors.partnership_defaults(area.partnership.pk)
    assert defaults[(Audience.PARENT_CARER, "other")] == mediation
    assert defaults[(Audience.PARENT_CARER, "annual_review")].name == DEFAULT_PARENT


# --- picking another form -------------------------------------------------------------------------------------


def test_the_person_inviting_may_pick_another_approved_form_for_the_audience(
    area, sqa_officer, agency_manager, forms
):
    mediation = new_form(area, sqa_officer)

    parent, young = invited(
        agency_manager,
        area.school,
        [
            R(Audience.PARENT_CARER, Delivery.HANDOUT, form_id=mediation.pk),
            R(Audience.YOUNG_PERSON, Delivery.HANDOUT),
        ],
        meeting_kind=MeetingKind.OTHER,
    )

    assert parent.version == mediation.versions.get()
    assert young.version.form.name == "Child or young person: easy read"


def test_a_picked_form_is_used_even_without_a_default(area, sqa_officer, agency_manager, forms):
    mediation = new_form(area, sqa_officer)
    FeedbackFormDefault.objects.filter(audience=Audience.PARENT_CARER).delete()

    (invitation,) = invited(
        agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.EMAIL, "p@example.com", mediation.pk)]
    )

    assert invitation.version.form == mediation


def test_a_picked_form_must_be_approved_in_use_for_the_audience_and_of_the_partnership(
    area, other_area, sqa_officer, agency_manager, forms, outsider_sqa
):
    professional = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PROFESSIONAL)
    draft = new_form(area, sqa_officer, name="Not approved", approve=False)
    retired = new_form(area, sqa_officer, name="Retired one")
    form_services.feedback_form_retire(form=retired, user=sqa_officer)
    form_services.feedback_forms_seed_defaults(partnership=other_area.partnership)
    elsewhere = FeedbackForm.objects.get(partnership=other_area.partnership, name=DEFAULT_PARENT)

    expected = {
        professional.pk: "Choose a feedback form for parents and carers from the list",
        draft.pk: "Choose a feedback form for parents and carers from the list",
        elsewhere.pk: "Choose a feedback form for parents and carers from the list",
        retired.pk: "Retired one has been retired. Choose another form for parents and carers",
        999999: "Choose a feedback form for parents and carers from the list",
    }
    for form_id, message in expected.items():
        with pytest.raises(ValidationError) as caught:
            invited(
                agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT, form_id=form_id)]
            )
        assert caught.value.message_dict["recipients"] == [message]
    assert not FeedbackInvitation.objects.exists()


def test_the_bulk_run_uses_the_annual_review_defaults_or_the_forms_picked(
    area, sqa_officer, sat_caseworker, forms
):
    mediation = new_form(area, sqa_officer)
    review = AnnualReviewFactory(
        child=ChildFactory(partnership=area.partnership), meeting_on=dt.date(2026, 3, 2)
    )

    with pytest.raises(ValidationError, match="Choose a feedback form for children and young people"):
        services.invitations_create_for_reviews(
            by=sat_caseworker,
            agency=area.sat,
            meeting_from=dt.date(2026, 3, 1),
            meeting_to=dt.date(2026, 3, 31),
            form_ids={Audience.YOUNG_PERSON: mediation.pk},
        )
    created = services.invitations_create_for_reviews(
        by=sat_caseworker,
        agency=area.sat,
        meeting_from=dt.date(2026, 3, 1),
        meeting_to=dt.date(2026, 3, 31),
        form_ids={Audience.PARENT_CARER: mediation.pk},
    )

    forms_used = {i.audience: i.version.form.name for i in created}
    assert {i.review for i in created} == {review}
    assert forms_used == {
        Audience.PARENT_CARER: mediation.name,
        Audience.YOUNG_PERSON: "Child or young person: easy read",
    }


def test_the_bulk_run_without_a_default_names_what_to_set_up(area, sat_caseworker, forms):
    FeedbackFormDefault.objects.filter(audience=Audience.YOUNG_PERSON, meeting_kind="annual_review").delete()
    with pytest.raises(ValidationError) as caught:
        services.invitations_create_for_reviews(
            by=sat_caseworker, agency=area.sat, meeting_from=MEETING_ON, meeting_to=MEETING_ON
        )
    assert caught.value.message_dict["recipients"] == [
        "There is no default feedback form for children and young people after an annual review meeting. "
        "Choose a form for them, or ask an SQA officer to set a default on the feedback forms page."
    ]


# --- retiring ----------------------------------------------------------------------------------------------------


def test_a_retired_form_takes_no_new_invitations_but_its_links_keep_working(
    client, area, sqa_officer, agency_manager, forms
):
    parent_form = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    sent = FeedbackInvitationFactory(agency=area.school)
    assert sent.version.form == parent_form

    form_services.feedback_form_retire(form=parent_form, user=sqa_officer)

    parent_form.refresh_from_db()
    assert parent_form.is_retired and parent_form.retired_by == sqa_officer
    assert not parent_form.defaults.exists()
    assert parent_form not in form_selectors.invitable_forms(area.partnership.pk, Audience.PARENT_CARER)
    with pytest.raises(ValidationError, match="no default feedback form for parents and carers"):
        invited(agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])
    # The link already sent still opens and still takes its one response.
    start = client.get(reverse("feedback_public:form", args=[invitation_token(sent)]))
    assert start.status_code == 200 and sent.version.title in start.content.decode()
    answers = {
        q.code: (q.options[0]["value"] if q.options else "Fine")
        for q in sent.version.questions.all()
        if q.required
    }
    _, created = response_submit(
        version=sent.version, answers=answers, submission_key="k" * 32, invitation=sent
    )
    assert created


def test_a_retired_form_can_be_put_back_into_use_and_picked_again(area, sqa_officer, agency_manager, forms):
    mediation = new_form(area, sqa_officer)
    form_services.feedback_form_retire(form=mediation, user=sqa_officer)
    form_services.feedback_form_retire(form=mediation, user=sqa_officer)  # twice changes nothing

    form_services.feedback_form_reinstate(form=mediation)

    (invitation,) = invited(
        agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT, form_id=mediation.pk)]
    )
    assert invitation.version.form == mediation and not mediation.defaults.exists()


def test_a_retired_general_form_is_no_longer_open(client, area, sqa_officer, forms):
    general = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PUBLIC)
    url = reverse("feedback_public:general", args=[area.partnership.slug])
    assert client.get(url).status_code == 200

    form_services.feedback_form_retire(form=general, user=sqa_officer)

    assert client.get(url).status_code == 404


# --- the invitation pages and the API --------------------------------------------------------------------------


def _invitation_post(area, **extra) -> dict:
    return {
        "meeting_kind": "other",
        **date_fields("meeting_on", MEETING_ON),
        "agency": area.school.pk,
        "valid_days": 30,
        "parent_delivery": "handout",
        "young_person_delivery": "none",
        **{f"professional_{n}_delivery": "email" for n in range(1, 5)},
        **extra,
    }


def test_the_invitation_page_offers_the_audiences_approved_forms_with_none_preselected(
    client, area, sqa_officer, agency_manager, forms
):
    mediation = new_form(area, sqa_officer)
    new_form(area, sqa_officer, name="Draft", approve=False)
    retired = new_form(area, sqa_officer, name="Retired one")
    form_services.feedback_form_retire(form=retired, user=sqa_officer)
    client.force_login(agency_manager)

    page = client.get(reverse("feedback:invitation-create"))

    form = page.context["form"]
    offered = [f.name for f in form.fields["parent_form"].queryset]
    assert offered == [DEFAULT_PARENT, mediation.name]
    assert [f.name for f in form.fields["professional_form"].queryset] == ["Professional: after a meeting"]
    html = page.content.decode()
    select = re.search(r'<select[^>]*name="parent_form".*?</select>', html, re.S).group(0)
    assert "selected" not in select.replace('<option value="" selected>', "")
    assert "The default form for this kind of meeting" in select


def test_the_invitation_page_uses_the_form_picked(client, area, sqa_officer, agency_manager, forms):
    mediation = new_form(area, sqa_officer)
    client.force_login(agency_manager)

    response = client.post(
        reverse("feedback:invitation-create"), _invitation_post(area, parent_form=mediation.pk)
    )

    assert response.status_code == 302
    assert FeedbackInvitation.objects.get().version.form == mediation


def test_the_invitation_page_refuses_a_form_of_another_audience(client, area, agency_manager, forms):
    professional = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PROFESSIONAL)
    client.force_login(agency_manager)

    response = client.post(
        reverse("feedback:invitation-create"), _invitation_post(area, parent_form=professional.pk)
    )

    assert response.status_code == 400
    assert "Choose a feedback form for parents and carers from the list" in response.content.decode()
    assert not FeedbackInvitation.objects.exists()


def test_the_invitation_page_says_what_to_set_up_when_there_is_no_default(
    client, area, agency_manager, forms
):
    FeedbackFormDefault.objects.filter(audience=Audience.PARENT_CARER, meeting_kind="other").delete()
    client.force_login(agency_manager)

    response = client.post(reverse("feedback:invitation-create"), _invitation_post(area))

    assert response.status_code == 400
    body = response.content.decode()
    assert "There is no default feedback form for parents and carers after other meetings." in body
    assert "ask an SQA officer to set a default on the feedback forms page" in body
    assert not FeedbackInvitation.objects.exists()


def test_the_bulk_page_offers_and_uses_a_choice_of_form(client, area, sqa_officer, sat_caseworker, forms):
    mediation = new_form(area, sqa_officer)
    AnnualReviewFactory(child=ChildFactory(partnership=area.partnership), meeting_on=MEETING_ON)
    client.force_login(sat_caseworker)
    assert (
        mediation
        in client.get(reverse("feedback:invitation-bulk")).context["form"].fields["parent_form"].queryset
    )

    response = client.post(
        reverse("feedback:invitation-bulk"),
        {
            "agency": area.sat.pk,
            **date_fields("meeting_from", MEETING_ON),
            **date_fields("meeting_to", MEETING_ON),
            "parent_form": mediation.pk,
        },
    )

    assert response.status_code == 302
    assert FeedbackInvitation.objects.get(audience=Audience.PARENT_CARER).version.form == mediation


API = "/api/v1/feedback-invitations/"


def _api_body(area, **recipient) -> dict:
    return {
        "agency": area.school.pk,
        "meeting_kind": "planning",
        "meeting_on": "2026-03-02",
        "recipients": [{"audience": "parent_carer", "delivery": "handout", **recipient}],
    }


def test_the_api_takes_a_form_and_refuses_one_of_another_audience(
    client, area, sqa_officer, agency_manager, forms
):
    mediation = new_form(area, sqa_officer)
    professional = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PROFESSIONAL)
    client.force_login(agency_manager)

    made = client.post(API, _api_body(area, form=mediation.pk), content_type="application/json")
    refused = client.post(API, _api_body(area, form=professional.pk), content_type="application/json")

    assert made.status_code == 201, made.content
    assert FeedbackInvitation.objects.get(pk=made.json()["invitations"][0]["id"]).version.form == mediation
    assert refused.status_code == 400
    assert refused.json()["recipients"] == ["Choose a feedback form for parents and carers from the list"]


def test_the_api_gives_400_naming_what_to_set_up_without_a_default(client, area, agency_manager, forms):
    FeedbackFormDefault.objects.filter(audience=Audience.PARENT_CARER, meeting_kind="planning").delete()
    client.force_login(agency_manager)

    response = client.post(API, _api_body(area), content_type="application/json")

    assert response.status_code == 400
    assert response.json()["recipients"] == [
        "There is no default feedback form for parents and carers after an EHC planning meeting. Choose a form "
        "for them, or ask an SQA officer to set a default on the feedback forms page."
    ]


def test_the_forms_api_shows_meetings_defaults_and_retirement(client, area, sqa_officer, forms):
    mediation = new_form(area, sqa_officer)
    form_services.feedback_form_retire(form=mediation, user=sqa_officer)
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    client.force_login(sqa_officer)

    rows = {row["name"]: row for row in client.get("/api/v1/feedback-forms/").json()["results"]}

    assert rows[DEFAULT_PARENT]["meeting_kinds"] == ["annual_review", "planning", "other"]
    assert rows[DEFAULT_PARENT]["default_for"] == ["annual_review", "planning", "other"]
    assert rows[DEFAULT_PARENT]["retired_at"] is None and rows[DEFAULT_PARENT]["id"] == parent.pk
    assert rows["Staff survey: quality of EHC plans"]["default_for"] == ["survey"]
    assert rows[mediation.name]["default_for"] == [] and rows[mediation.name]["retired_at"]
    assert rows[mediation.name]["meeting_kinds"] == ["other"]


# --- the forms pages -----------------------------------------------------------------------------------------------


def test_the_forms_list_shows_meetings_defaults_retired_forms_and_missing_defaults(
    client, area, sqa_officer, forms
):
    mediation = new_form(area, sqa_officer)
    form_services.feedback_form_retire(form=mediation, user=sqa_officer)
    FeedbackFormDefault.objects.filter(audience=Audience.PROFESSIONAL, meeting_kind="planning").delete()
    client.force_login(sqa_officer)

    page = client.get(reverse("feedback:form-list"))

    html = page.content.decode()
    rows = {row["form"].name: row for row in page.context["rows"]}
    assert rows[DEFAULT_PARENT]["default_for"] == [
        "Annual review meeting",
        "EHC planning meeting",
        "Other meeting or contact",
    ]
    assert re.search(
        r"after a meeting</a>.*?Default</strong><br>Annual review meeting, EHC planning meeting, Other meeting",
        html,
        re.S,
    )
    assert re.search(r"Parent or carer: after a tribunal mediation.*?Retired", html, re.S)
    assert "No form is the default for professionals after an EHC planning meeting" in html


def test_the_sqa_officer_sets_meetings_and_defaults_on_the_form_page(client, area, sqa_officer, forms):
    mediation = new_form(area, sqa_officer)
    client.force_login(sqa_officer)
    url = reverse("feedback:form-meetings", args=[mediation.pk])

    page = client.get(url)
    assert "Annual review meeting (now: Parent or carer: after a meeting)" in page.content.decode()
    wrong = client.post(url, {"meeting_kinds": ["other"], "default_for": ["planning"]})
    saved = client.post(url, {"meeting_kinds": ["other", "planning"], "default_for": ["planning"]})

    assert wrong.status_code == 400
    assert "also select that meeting as one it is for" in wrong.content.decode()
    assert saved.status_code == 302
    detail = client.get(reverse("feedback:form-detail", args=[mediation.pk])).content.decode()
    assert "Default</strong><br>EHC planning meeting</dd>" in detail
    assert "EHC planning meeting, Other meeting or contact" in detail
    assert (
        form_selectors.partnership_defaults(area.partnership.pk)[(Audience.PARENT_CARER, "planning")]
        == mediation
    )


def test_the_sqa_officer_retires_a_form_and_puts_it_back(client, area, sqa_officer, forms):
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    client.force_login(sqa_officer)

    confirm = client.get(reverse("feedback:form-retire", args=[parent.pk]))
    assert "Links already sent keep working until they expire" in confirm.content.decode()
    assert "stop being the default (Annual review meeting, EHC planning meeting" in confirm.content.decode()
    assert client.post(reverse("feedback:form-retire", args=[parent.pk])).status_code == 302
    parent.refresh_from_db()
    assert parent.is_retired
    detail = client.get(reverse("feedback:form-detail", args=[parent.pk])).content.decode()
    assert "Put back into use" in detail and "Retired" in detail

    assert client.post(reverse("feedback:form-reinstate", args=[parent.pk])).status_code == 302
    parent.refresh_from_db()
    assert not parent.is_retired


@pytest.mark.parametrize("persona", ["agency_manager", "practitioner", "sat_caseworker"])
def test_only_sqa_officers_set_defaults_and_retire(client, request, area, forms, persona):
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    client.force_login(request.getfixturevalue(persona))

    attempts = [
        client.get(reverse("feedback:form-meetings", args=[parent.pk])),
        client.post(
            reverse("feedback:form-meetings", args=[parent.pk]), {"meeting_kinds": [], "default_for": []}
        ),
        client.post(reverse("feedback:form-retire", args=[parent.pk])),
        client.post(reverse("feedback:form-reinstate", args=[parent.pk])),
    ]

    assert [r.status_code for r in attempts] == [403] * 4
    parent.refresh_from_db()
    assert not parent.is_retired and parent.defaults.count() == 3


def test_another_partnerships_form_is_404_on_the_new_pages(client, area, outsider_sqa, forms):
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    client.force_login(outsider_sqa)
    for name in ("form-meetings", "form-retire", "form-reinstate"):
        assert client.post(reverse(f"feedback:{name}", args=[parent.pk])).status_code == 404


def test_the_general_form_has_no_meetings_page(client, area, sqa_officer, forms):
    general = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PUBLIC)
    client.force_login(sqa_officer)
    assert client.get(reverse("feedback:form-meetings", args=[general.pk])).status_code == 404


# --- the public pages show the public title, never the staff name ------------------------------------------------


STAFF_NAME = "INTERNAL tribunal mediation pilot (staff name)"


def test_the_public_pages_show_the_title_and_never_the_forms_name(
    client, area, sqa_officer, agency_manager, forms
):
    form = new_form(area, sqa_officer, name=STAFF_NAME, title="Tell us about the mediation")
    (invitation,) = invited(
        agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT, form_id=form.pk)]
    )
    token = invitation_token(invitation)
    pages = []

    start = client.get(reverse("feedback_public:form", args=[token]))
    pages.append(start)
    pages.append(client.get(reverse("feedback_public:form-page", args=[token, 1])))
    client.post(reverse("feedback_public:form-page", args=[token, 1]), {"overall": "good"})
    check = client.get(reverse("feedback_public:form-check", args=[token]))
    pages.append(check)
    sent = client.post(
        reverse("feedback_public:form-check", args=[token]),
        {"submission_key": check.context["submission_key"]},
    )
    pages.append(client.get(sent["Location"]))
    pages.append(client.get(reverse("feedback_public:form", args=[token])))  # now used: the link-problem page

    assert [p.status_code for p in pages] == [200, 200, 200, 200, 410]
    assert re.search(r"<title>\s*Tell us about the mediation", start.content.decode())
    assert '<h1 class="govuk-heading-xl">Tell us about the mediation</h1>' in start.content.decode()
    for page in pages:
        html = page.content.decode()
        assert STAFF_NAME not in html and "INTERNAL" not in html


def test_versions_titled_by_their_forms_name_cannot_be_made(area, sqa_officer):
    with pytest.raises(ValidationError, match="different from the form's name"):
        form_services.feedback_form_create(
            partnership=area.partnership,
            user=sqa_officer,
            name=STAFF_NAME,
            audience=Audience.PARENT_CARER,
            title=STAFF_NAME.lower(),
        )


def test_the_title_field_says_respondents_see_it(client, sqa_officer):
    client.force_login(sqa_officer)
    html = client.get(reverse("feedback:form-create")).content.decode()
    assert "Title people filling in the form see" in html
    assert (
        "They never see the form&#x27;s name, which is for staff." in html
        or "They never see the form's name" in html
    )


def test_the_admin_shows_meetings_and_retirement_read_only(client, area, forms):
    parent = FeedbackForm.objects.get(partnership=area.partnership, name=DEFAULT_PARENT)
    client.force_login(UserFactory(username="root", partnership=None, is_staff=True, is_superuser=True))

    page = client.get(reverse("admin:feedback_feedbackform_change", args=[parent.pk]))

    assert page.status_code == 200
    editable = set(page.context["adminform"].form.fields)
    assert not editable & {"meeting_kinds", "retired_at", "retired_by"}


def test_a_staff_form_page_asks_only_whether_it_is_the_default_staff_survey(client, area, sqa_officer, forms):
    pulse = new_form(area, sqa_officer, name="Pulse survey", audience=Audience.STAFF, title="Pulse", kinds=[])
    client.force_login(sqa_officer)
    url = reverse("feedback:form-meetings", args=[pulse.pk])

    page = client.get(url)
    saved = client.post(url, {"default_for": ["survey"]})

    assert "meeting_kinds" not in page.context["form"].fields
    assert (
        "Make it the default staff survey (now: Staff survey: quality of EHC plans)" in page.content.decode()
    )
    assert saved.status_code == 302
    assert form_selectors.partnership_defaults(area.partnership.pk)[(Audience.STAFF, "survey")] == pulse
