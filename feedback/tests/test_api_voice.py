"""The voice's API resources: feedback-forms, feedback-invitations, feedback-responses and advocacy-returns.

Scoping per persona (as the pages), response shape (never a contact, a child or a link outside the create
response), writes through the services, and query counts that do not grow with the rows.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid

import pytest
from django.core.management import call_command
from django.utils import timezone

from ehcp.tests.factories import AnnualReviewFactory, ChildFactory
from feedback.models import (
    AdvocacyActivity,
    AdvocacyReturn,
    Audience,
    FeedbackForm,
    FeedbackInvitation,
    ResponseSource,
)
from feedback.services.responses import response_submit
from feedback.tests.factories import (
    AdvocacyReturnFactory,
    FeedbackInvitationFactory,
    FeedbackQuestionFactory,
    default_form,
)
from feedback.tests.readers import ADVOCACY_RETURN_READERS, AGENCY_RECORD_READERS
from feedback.tokens import invitation_for_token
from qaf.models import Theme

pytestmark = pytest.mark.django_db

FORMS = "/api/v1/feedback-forms/"
INVITATIONS = "/api/v1/feedback-invitations/"
RESPONSES = "/api/v1/feedback-responses/"
RETURNS = "/api/v1/advocacy-returns/"


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def assert_lists_and_shows_what_is_seen(
    client, url: str, records: dict, status: int, sees_own: bool, sees_other: bool
):
    """The resource at `url` answers the list with `status` and, when it is 200, lists just the `records` ({"own":
    the school's, "other": the other school's}) the signed-in user sees and shows the school's record's page only
    to those who see it; the page is 403 to those refused the list."""
    listed = client.get(url)
    detail = client.get(f"{url}{records['own'].pk}/")

    assert listed.status_code == status
    if status == 200:
        assert ids(listed) == {
            record.pk for key, record in records.items() if (sees_own if key == "own" else sees_other)
        }
        assert detail.status_code == (200 if sees_own else 404)
    else:
        assert detail.status_code == 403


# --- feedback-forms -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "persona, status, sees",
    [
        ("sqa_officer", 200, True),
        ("agency_manager", 200, True),
        ("practitioner", 200, True),
        ("board_member", 403, False),
        ("outsider_sqa", 200, False),
    ],
)
def test_who_reads_the_feedback_forms(request, client, area, persona, status, sees):
    default_form(area.partnership)
    form = FeedbackForm.objects.get(partnership=area.partnership, audience=Audience.PARENT_CARER)
    client.force_login(request.getfixturevalue(persona))

    listed = client.get(FORMS)
    detail = client.get(f"{FORMS}{form.pk}/")

    assert listed.status_code == status
    if status == 200:
        assert (form.pk in ids(listed)) == sees
        assert detail.status_code == (200 if sees else 404)


def test_a_form_comes_with_its_approved_version_and_questions_inline(client, area, practitioner):
    version = default_form(area.partnership)
    client.force_login(practitioner)

    body = client.get(f"{FORMS}{version.form_id}/").json()

    assert body["audience"] == "parent_carer"
    approved = body["approved_version"]
    assert approved["id"] == version.pk and approved["status"] == "approved"
    codes = [q["code"] for q in approved["questions"]]
    assert codes[0] == "meeting_overall" and "do_better" in codes
    first = approved["questions"][0]
    assert first["kind"] == "rating"
    assert first["options"][0] == {"value": "very_good", "label": "Very good", "score": 4}
    assert [v["number"] for v in body["versions"]] == [1]
    assert len(client.get(FORMS, {"audience": "young_person"}).json()["results"]) == 1


def _forms(area, count: int) -> None:
    for _ in range(count):
        question = FeedbackQuestionFactory(version__form__partnership=area.partnership)
        FeedbackQuestionFactory(version=question.version)


def test_forms_list_query_count_does_not_grow(client, area, practitioner, django_assert_max_num_queries):
    client.force_login(practitioner)
    _forms(area, 3)
    client.get(FORMS)
    with django_assert_max_num_queries(10) as few:
        assert len(client.get(FORMS).json()["results"]) == 3
    _forms(area, 27)
    with django_assert_max_num_queries(10) as many:
        assert len(client.get(FORMS).json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- feedback-invitations -----------------------------------------------------------------------------------


@pytest.fixture
def invitations(area):
    return {
        "own": FeedbackInvitationFactory(
            agency=area.school, child=ChildFactory(partnership=area.partnership)
        ),
        "other": FeedbackInvitationFactory(agency=area.other_school),
    }


@pytest.mark.parametrize("persona, status, sees_own, sees_other", AGENCY_RECORD_READERS)
def test_who_sees_which_invitations(request, client, invitations, persona, status, sees_own, sees_other):
    client.force_login(request.getfixturevalue(persona))

    assert_lists_and_shows_what_is_seen(client, INVITATIONS, invitations, status, sees_own, sees_other)


def test_an_invitation_shows_the_meeting_and_its_state_never_the_contact_link_or_child(
    client, invitations, agency_manager
):
    own = invitations["own"]
    client.force_login(agency_manager)

    body = client.get(f"{INVITATIONS}{own.pk}/").json()

    assert body["status"] == "waiting"
    assert body["audience"] == "parent_carer" and body["meeting_kind"] == "annual_review"
    assert body["meeting_on"] == own.meeting_on.isoformat()
    assert body["agency"] == own.agency_id and body["form"] == own.version.form_id
    assert {"sent_at", "reminded_at", "responded_at", "expires_at"} <= set(body)
    text = str(body)
    assert "contact" not in body and "link" not in body and "child" not in body
    assert own.contact not in text and own.public_id not in text
    assert own.child.case_reference not in text


def test_invitation_filters_use_the_list_pages_rules(client, area, sqa_officer):
    waiting = FeedbackInvitationFactory(agency=area.school)
    answered = FeedbackInvitationFactory(agency=area.school, responded_at=timezone.now())
    other = FeedbackInvitationFactory(agency=area.health, meeting_on=dt.date(2025, 1, 10))
    client.force_login(sqa_officer)

    assert ids(client.get(INVITATIONS, {"status": "answered"})) == {answered.pk}
    assert ids(client.get(INVITATIONS, {"agency": area.school.pk})) == {waiting.pk, answered.pk}
    assert ids(client.get(INVITATIONS, {"meeting_to": "2025-06-30"})) == {other.pk}
    assert client.get(INVITATIONS, {"status": "nonsense"}).status_code == 400


def test_invitations_list_query_count_does_not_grow(
    client, area, agency_manager, django_assert_max_num_queries
):
    client.force_login(agency_manager)
    for _ in range(3):
        FeedbackInvitationFactory(agency=area.school)
    client.get(INVITATIONS)
    with django_assert_max_num_queries(10) as few:
        assert client.get(INVITATIONS).status_code == 200
    for _ in range(27):
        FeedbackInvitationFactory(agency=area.school)
    with django_assert_max_num_queries(10) as many:
        assert len(client.get(INVITATIONS).json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


def _invite_body(agency, **overrides) -> dict:
    body = {
        "agency": agency.pk,
        "meeting_kind": "annual_review",
        "meeting_on": "2026-10-05",
        "recipients": [
            {"audience": "parent_carer", "delivery": "email", "contact": "parent@example.com"},
            {"audience": "young_person", "delivery": "handout"},
        ],
    }
    body.update(overrides)
    return body


def test_creating_invitations_returns_their_links_once(
    client, area, agency_manager, django_capture_on_commit_callbacks
):
    default_form(area.partnership)
    review = AnnualReviewFactory(child=ChildFactory(partnership=area.partnership, agencies=[area.school]))
    client.force_login(agency_manager)

    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            INVITATIONS,
            _invite_body(area.school, review=review.pk, valid_days=14),
            content_type="application/json",
        )

    assert response.status_code == 201, response.content
    made = response.json()["invitations"]
    assert [row["audience"] for row in made] == ["parent_carer", "young_person"]
    assert len(queued) == 1  # the email is sent once committed; the handout is printed
    for row in made:
        invitation = FeedbackInvitation.objects.get(pk=row["id"])
        assert row["link"].startswith("http") and "/f/" in row["link"]
        token = row["link"].rstrip("/").rsplit("/", 1)[-1]
        assert invitation_for_token(token) == invitation
        assert invitation.review == review and invitation.agency == area.school
        assert (invitation.expires_at - invitation.created_at).days == 14
        assert "contact" not in row
    assert FeedbackInvitation.objects.get(pk=made[0]["id"]).contact == "parent@example.com"
    # The link is returned by the create only.
    again = client.get(f"{INVITATIONS}{made[0]['id']}/").json()
    assert "link" not in again and token not in str(again)


@pytest.mark.parametrize(
    "persona, agency_key, status",
    [
        ("agency_manager", "other_school", 403),
        ("practitioner", "other_school", 403),
        ("board_member", "school", 403),
        ("outsider_sqa", "school", 400),  # an agency of another partnership: not one the caller can name
    ],
)
def test_creating_invitations_is_refused_outside_the_callers_agencies(
    request, client, area, persona, agency_key, status
):
    default_form(area.partnership)
    client.force_login(request.getfixturevalue(persona))

    response = client.post(
        INVITATIONS, _invite_body(getattr(area, agency_key)), content_type="application/json"
    )

    assert response.status_code == status
    assert not FeedbackInvitation.objects.exists()


def test_bad_recipients_are_a_400_naming_the_person_and_nothing_is_written(client, area, agency_manager):
    default_form(area.partnership)
    client.force_login(agency_manager)
    body = _invite_body(
        area.school, recipients=[{"audience": "parent_carer", "delivery": "email", "contact": "not-an-email"}]
    )

    response = client.post(INVITATIONS, body, content_type="application/json")

    assert response.status_code == 400
    assert "Person 1" in str(response.json()["recipients"])
    assert not FeedbackInvitation.objects.exists()


def test_a_child_the_caller_cannot_see_is_refused(client, area, other_area, agency_manager):
    default_form(area.partnership)
    client.force_login(agency_manager)
    elsewhere = ChildFactory(partnership=other_area.partnership)

    response = client.post(
        INVITATIONS, _invite_body(area.school, child=elsewhere.pk), content_type="application/json"
    )

    assert response.status_code == 400 and "child" in response.json()
    assert not FeedbackInvitation.objects.exists()


# --- feedback-responses -------------------------------------------------------------------------------------


def _respond(area, agency, *, invitation=None, text="The meeting was calm and well organised.", when=None):
    version = default_form(area.partnership)
    answers = {
        "meeting_overall": "very_poor",
        "listened": "partly",
        "papers_in_time": "yes",
        "child_views": "well",
        "next_steps": "no",
        "do_better": text,
    }
    if invitation is None:
        invitation = FeedbackInvitationFactory(agency=agency, version=version)
    response, _ = response_submit(
        version=version, answers=answers, submission_key=uuid.uuid4().hex, invitation=invitation
    )
    if when:
        type(response).objects.filter(pk=response.pk).update(submitted_at=when)
    return response


@pytest.fixture
def responses(area):
    return {"own": _respond(area, area.school), "other": _respond(area, area.other_school)}


@pytest.mark.parametrize("persona, status, sees_own, sees_other", AGENCY_RECORD_READERS)
def test_who_sees_which_responses(request, client, responses, persona, status, sees_own, sees_other):
    client.force_login(request.getfixturevalue(persona))

    assert_lists_and_shows_what_is_seen(client, RESPONSES, responses, status, sees_own, sees_other)


def test_a_response_shows_answers_in_values_words_scores_and_themes_never_the_child(
    client, area, agency_manager
):
    child = ChildFactory(partnership=area.partnership)
    invitation = FeedbackInvitationFactory(agency=area.school, child=child, contact="mum@example.com")
    response = _respond(area, area.school, invitation=invitation)
    theme = Theme.objects.create(partnership=area.partnership, name="Communication", slug="communication")
    free = response.answers.get(question__code="do_better")
    free.themes.add(theme)
    client.force_login(agency_manager)

    body = client.get(f"{RESPONSES}{response.pk}/").json()

    assert body["source"] == "invitation" and body["audience"] == "parent_carer"
    assert body["agency"] == area.school.pk and body["meeting_kind"] == "annual_review"
    answers = {a["code"]: a for a in body["answers"]}
    assert answers["meeting_overall"]["values"] == ["very_poor"]
    assert answers["meeting_overall"]["labels"] == ["Very poor"]
    assert answers["meeting_overall"]["score"] == 1
    assert answers["listened"]["labels"] == ["Partly"]
    assert answers["do_better"]["text"] == "The meeting was calm and well organised."
    assert answers["do_better"]["themes"] == ["communication"]
    text = str(body)
    assert child.case_reference not in text and "mum@example.com" not in text and "child" not in body


def test_response_filters(client, area, sqa_officer):
    early = _respond(area, area.school, when=timezone.make_aware(dt.datetime(2026, 1, 15, 12)))
    late = _respond(area, area.health, when=timezone.make_aware(dt.datetime(2026, 6, 15, 12)))
    client.force_login(sqa_officer)

    assert ids(client.get(RESPONSES, {"agency": area.health.pk})) == {late.pk}
    assert ids(client.get(RESPONSES, {"submitted_to": "2026-03-01"})) == {early.pk}
    assert ids(client.get(RESPONSES, {"submitted_from": "2026-06-15"})) == {late.pk}
    assert ids(
        client.get(RESPONSES, {"form": early.version.form_id, "source": ResponseSource.INVITATION})
    ) == {
        early.pk,
        late.pk,
    }
    assert ids(client.get(RESPONSES, {"source": ResponseSource.GENERAL})) == set()
    assert ids(client.get(RESPONSES, {"audience": "professional"})) == set()


def test_responses_list_query_count_does_not_grow(
    client, area, agency_manager, django_assert_max_num_queries
):
    client.force_login(agency_manager)
    for _ in range(3):
        _respond(area, area.school)
    client.get(RESPONSES)
    with django_assert_max_num_queries(12) as few:
        assert client.get(RESPONSES).status_code == 200
    for _ in range(27):
        _respond(area, area.school)
    with django_assert_max_num_queries(12) as many:
        assert len(client.get(RESPONSES).json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- advocacy-returns ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona, status, sees_draft, sees_submitted, may_write", ADVOCACY_RETURN_READERS)
def test_who_sees_and_writes_advocacy_returns(
    request, client, draft_return, submitted_return, persona, status, sees_draft, sees_submitted, may_write
):
    client.force_login(request.getfixturevalue(persona))
    draft, submitted = draft_return, submitted_return

    listed = client.get(RETURNS)

    assert listed.status_code == status
    if status == 200:
        assert ids(listed) == {r.pk for r, seen in ((draft, sees_draft), (submitted, sees_submitted)) if seen}
        for row, seen in ((draft, sees_draft), (submitted, sees_submitted)):
            assert client.get(f"{RETURNS}{row.pk}/").status_code == (200 if seen else 404)
    change = client.patch(f"{RETURNS}{draft.pk}/", {"learning": "New"}, content_type="application/json")
    assert change.status_code == (200 if may_write else 403 if sees_draft or status == 403 else 404)
    frozen = client.patch(f"{RETURNS}{submitted.pk}/", {"learning": "New"}, content_type="application/json")
    assert frozen.status_code == (403 if sees_submitted or status == 403 else 404)
    draft.refresh_from_db()
    submitted.refresh_from_db()
    assert draft.learning == ("New" if may_write else "")
    assert submitted.learning == ""


def test_a_return_has_every_cell_of_the_grid_and_its_totals(client, draft_return, advocacy_worker):
    draft = draft_return
    AdvocacyActivity.objects.create(advocacy_return=draft, activity_type="casework", level="3", count=12)
    client.force_login(advocacy_worker)

    body = client.get(f"{RETURNS}{draft.pk}/").json()

    assert body["status"] == "draft" and body["year"] == 2026 and body["quarter"] == 2
    assert body["period_start"] == "2026-04-01" and body["period_end"] == "2026-06-30"
    assert len(body["activities"]) == 21
    assert {"activity_type": "casework", "level": "3", "count": 12} in body["activities"]
    assert body["total_activity"] == 12


def test_manager_creates_changes_and_submits_a_return(client, advocacy, advocacy_manager):
    client.force_login(advocacy_manager)
    body = {
        "agency": advocacy.pk,
        "year": 2026,
        "quarter": 3,
        "activities": [
            {"activity_type": "casework", "level": "3", "count": 14},
            {"activity_type": "advice", "level": "2", "count": 40},
        ],
        "outcomes": "Agreement at mediation.",
        "complaints_received": 1,
    }

    created = client.post(RETURNS, body, content_type="application/json")

    assert created.status_code == 201, created.content
    made = AdvocacyReturn.objects.get(pk=created.json()["id"])
    assert made.total_activity == 54 and made.created_by == advocacy_manager and made.complaints_received == 1
    duplicate = client.post(RETURNS, body, content_type="application/json")
    assert duplicate.status_code == 400 and f"id {made.pk}" in str(duplicate.json()["quarter"])
    assert AdvocacyReturn.objects.count() == 1

    patched = client.patch(
        f"{RETURNS}{made.pk}/",
        {"activities": [{"activity_type": "training", "level": "1", "count": 5}], "quarter": 1},
        content_type="application/json",
    )
    assert patched.status_code == 200, patched.content
    made.refresh_from_db()
    assert made.quarter == 3  # the quarter never changes
    assert made.total_activity == 59  # the cells not listed keep their counts

    replaced = client.put(
        f"{RETURNS}{made.pk}/",
        {"activities": [{"activity_type": "training", "level": "1", "count": 2}], "outcomes": "Replaced."},
        content_type="application/json",
    )
    assert replaced.status_code == 200, replaced.content
    made.refresh_from_db()
    assert made.total_activity == 2 and made.outcomes == "Replaced."

    submitted = client.post(f"{RETURNS}{made.pk}/submit/")
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    assert client.post(f"{RETURNS}{made.pk}/submit/").status_code == 403
    assert (
        client.put(f"{RETURNS}{made.pk}/", {"outcomes": "Later"}, content_type="application/json").status_code
        == 403
    )
    made.refresh_from_db()
    assert made.outcomes == "Replaced." and made.submitted_by == advocacy_manager


@pytest.mark.parametrize(
    "change, field",
    [
        ({"agency": "school"}, "agency"),
        ({"activities": [{"activity_type": "casework", "level": "7", "count": 1}]}, "activities"),
        ({"activities": [{"activity_type": "casework", "level": "3", "count": -1}]}, "activities"),
        ({"year": 2999}, "year"),
    ],
)
def test_bad_returns_are_a_400(client, area, advocacy, advocacy_manager, change, field):
    client.force_login(advocacy_manager)
    body = {"agency": advocacy.pk, "year": 2026, "quarter": 1, **change}
    if body["agency"] == "school":
        body["agency"] = area.school.pk

    response = client.post(RETURNS, body, content_type="application/json")

    assert response.status_code == 400 and field in response.json()
    assert not AdvocacyReturn.objects.exists()


def test_board_members_and_advocacy_officers_cannot_create_returns(
    client, advocacy, board_member, advocacy_worker
):
    for user in (board_member, advocacy_worker):
        client.force_login(user)
        body = {"agency": advocacy.pk, "year": 2026, "quarter": 1}
        assert client.post(RETURNS, body, content_type="application/json").status_code == 403
    assert not AdvocacyReturn.objects.exists()


def test_advocacy_list_query_count_does_not_grow(
    client, advocacy, sqa_officer, django_assert_max_num_queries
):
    def make(count: int, offset: int) -> None:
        for i in range(offset, offset + count):
            row = AdvocacyReturnFactory(agency=advocacy, year=2000 + i // 4, quarter=i % 4 + 1)
            AdvocacyActivity.objects.create(advocacy_return=row, activity_type="advice", level="1", count=i)

    client.force_login(sqa_officer)
    make(3, 0)
    client.get(RETURNS)
    with django_assert_max_num_queries(10) as few:
        assert client.get(RETURNS).status_code == 200
    make(27, 3)
    with django_assert_max_num_queries(10) as many:
        assert len(client.get(RETURNS).json()["results"]) == 30
    assert len(many.captured_queries) == len(few.captured_queries)


# --- schema -------------------------------------------------------------------------------------------------


def test_the_schema_lists_the_voice_and_documents_the_link_only_on_create(tmp_path):
    target = tmp_path / "schema.json"
    call_command("spectacular", "--format", "openapi-json", "--file", str(target))
    schema = json.loads(target.read_text())
    paths, components = schema["paths"], schema["components"]["schemas"]

    for path in (FORMS, INVITATIONS, RESPONSES, RETURNS, f"{RETURNS}{{id}}/submit/"):
        assert path in paths, path
    assert set(paths[INVITATIONS]) >= {"get", "post"}
    assert set(paths[f"{RETURNS}{{id}}/"]) >= {"get", "put", "patch"}
    assert "post" not in paths[RESPONSES] and "post" not in paths[FORMS]
    listed = components["FeedbackInvitation"]["properties"]
    assert "link" not in listed and "contact" not in listed and "child" not in listed
    created = paths[INVITATIONS]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    wrapper = components[created["$ref"].rsplit("/", 1)[-1]]
    item = components[wrapper["properties"]["invitations"]["items"]["$ref"].rsplit("/", 1)[-1]]
    assert "single-use public link" in item["properties"]["link"]["description"]
    assert "child" not in components["FeedbackResponse"]["properties"]
