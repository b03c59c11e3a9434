"""Feedback forms kept by the SQA officer: building a draft, approving it, freezing it, new versions, who may
read and change forms, the form list's query count, the admin, and the default forms' two-minute rule."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from feedback.defaults import DEFAULT_FORMS
from feedback.models import (
    Audience,
    FeedbackForm,
    FeedbackFormVersion,
    FeedbackQuestion,
    FeedbackResponse,
    FormVersionStatus,
    QuestionKind,
)
from feedback.services import forms as services
from feedback.tests.factories import (
    FeedbackAnswerFactory,
    FeedbackFormFactory,
    FeedbackFormVersionFactory,
    FeedbackQuestionFactory,
    FeedbackResponseFactory,
    drafted_form,
)
from qaf.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

READERS = [
    "sqa_officer",
    "sat_caseworker",
    "agency_manager",
    "other_agency_manager",
    "practitioner",
    "team_manager",
    "head_of_service",
]
NOT_MANAGERS = [p for p in READERS if p != "sqa_officer"]


def content(version: FeedbackFormVersion) -> list:
    """Everything a respondent reads from a version, as plain values (ids included)."""
    version.refresh_from_db()
    return [
        version.status,
        version.title,
        version.intro,
        version.thank_you,
        version.change_note,
        [
            (
                q.pk,
                q.code,
                q.page,
                q.order,
                q.kind,
                q.text,
                q.hint,
                q.options,
                q.required,
                q.image,
                q.image_alt,
            )
            for q in version.questions.order_by("page", "order", "pk")
        ],
    ]


def question_args(**changes) -> dict:
    return {
        "code": "overall",
        "kind": QuestionKind.RATING,
        "text": "How good was the meeting?",
        "page": 1,
        "options": [],
        **changes,
    }


@pytest.fixture
def draft(area, sqa_officer) -> FeedbackFormVersion:
    version = drafted_form(area.partnership, sqa_officer)
    services.question_add(version=version, **question_args())
    services.question_add(
        version=version,
        code="papers",
        kind=QuestionKind.YES_NO,
        text="Did you get the papers in time?",
        options=[],
    )
    return version


@pytest.fixture
def approved(draft, sqa_officer) -> FeedbackFormVersion:
    return services.version_approve(version=draft, user=sqa_officer)


@pytest.fixture
def easy_read_draft(area, sqa_officer) -> FeedbackFormVersion:
    return drafted_form(
        area.partnership,
        sqa_officer,
        name="Your meeting (easy read)",
        audience=Audience.YOUNG_PERSON,
        easy_read=True,
        title="Your meeting",
    )


@pytest.fixture
def picture(settings, tmp_path) -> str:
    """A static picture under feedback/, found by the static files finders."""
    folder = tmp_path / "feedback" / "test-pictures"
    folder.mkdir(parents=True)
    (folder / "meeting.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, tmp_path]
    return "feedback/test-pictures/meeting.svg"


def version_url(name: str, version: FeedbackFormVersion, *extra) -> str:
    return reverse(f"feedback:{name}", args=[version.form_id, version.number, *extra])


# --- services: creating a form and its questions --------------------------------------------------------------


def test_form_create_makes_a_draft_version_1_with_the_public_title(area, sqa_officer):
    form = services.feedback_form_create(
        partnership=area.partnership,
        user=sqa_officer,
        name="  Professional: after a meeting ",
        audience=Audience.PROFESSIONAL,
        title=" Feedback on the meeting ",
        description="For professionals",
        meeting_kinds=["other", "annual_review"],
    )

    version = form.versions.get()
    assert (form.name, form.audience, form.easy_read, form.meeting_kinds) == (
        "Professional: after a meeting",
        Audience.PROFESSIONAL,
        False,
        ["annual_review", "other"],
    )
    assert (version.number, version.status, version.title, version.created_by) == (
        1,
        FormVersionStatus.DRAFT,
        "Feedback on the meeting",
        sqa_officer,
    )
    assert not version.questions.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "AFTER A REVIEW"}, "name"),
        ({"audience": "martians"}, "audience"),
        ({"title": ""}, "title"),
        ({"title": " another "}, "title"),
        ({"audience": Audience.PARENT_CARER, "meeting_kinds": ["tribunal"]}, "meeting_kinds"),
    ],
)
def test_form_create_rejects_bad_details(area, sqa_officer, draft, fields, field):
    with pytest.raises(ValidationError) as caught:
        services.feedback_form_create(
            partnership=area.partnership,
            user=sqa_officer,
            **{"name": "Another", "audience": Audience.STAFF, "title": "Staff survey", **fields},
        )

    assert field in caught.value.message_dict
    assert FeedbackForm.objects.count() == 1


def test_staff_and_general_forms_are_for_no_meeting(area, sqa_officer):
    version = drafted_form(
        area.partnership,
        sqa_officer,
        name="Survey",
        audience=Audience.STAFF,
        title="Staff survey",
        meeting_kinds=["annual_review"],
    )
    assert version.form.meeting_kinds == []


def test_a_name_used_in_another_partnership_is_free(area, other_area, sqa_officer, draft):
    version = drafted_form(other_area.partnership, audience=Audience.STAFF, title="Staff survey")
    assert version.form.partnership == other_area.partnership


def test_rating_and_yes_no_questions_left_without_answers_get_the_usual_ones(draft):
    rating, yes_no = draft.questions.order_by("order")

    assert [(o["label"], o["score"]) for o in rating.options] == [
        ("Very good", 4),
        ("Good", 3),
        ("Poor", 2),
        ("Very poor", 1),
    ]
    assert [(o["value"], o["score"]) for o in yes_no.options] == [("yes", 1), ("no", 0)]
    assert [q.order for q in (rating, yes_no)] == [1, 2]


def test_options_are_parsed_from_lines_with_slug_values_and_scores():
    text = "Yes, completely | 3\n\n  Partly|2 \nNo | 1\nI did not give advice | none\n"

    options = services.options_clean(QuestionKind.RATING, services.options_from_text(text))

    assert options == [
        {"label": "Yes, completely", "score": 3, "value": "yes_completely"},
        {"label": "Partly", "score": 2, "value": "partly"},
        {"label": "No", "score": 1, "value": "no"},
        {"label": "I did not give advice", "score": None, "value": "i_did_not_give_advice"},
    ]
    choose = services.options_clean(
        QuestionKind.CHOOSE_ONE, services.options_from_text("An education setting\nHealth")
    )
    assert choose == [
        {"label": "An education setting", "value": "an_education_setting"},
        {"label": "Health", "value": "health"},
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Good | 3 | 4\nPoor | 1", "Line 1: put one | between the answer and its score"),
        ("Good | 3\n | 1", "Line 2: enter the answer before the |"),
        ("Good | three\nPoor | 1", "the score of ‘Good’ must be a whole number from 0 to 100"),
        ("Good | 101\nPoor | 1", "the score of ‘Good’ must be a whole number from 0 to 100"),
        ("Good | -1\nPoor | 1", "the score of ‘Good’ must be a whole number from 0 to 100"),
    ],
)
def test_option_lines_that_cannot_be_read_are_refused(text, message):
    with pytest.raises(ValidationError) as caught:
        services.options_from_text(text)

    assert message in caught.value.message_dict["options"][0]


@pytest.mark.parametrize(
    ("kind", "text", "message"),
    [
        (QuestionKind.FREE_TEXT, "Good", "A free-text question has no answers to choose from"),
        (QuestionKind.CHOOSE_ONE, "", "Give at least two answers, one a line"),
        (QuestionKind.CHOOSE_SEVERAL, "Only one", "Give at least two answers, one a line"),
        (QuestionKind.CHOOSE_ONE, "Health\nhealth", "Each answer needs a different label"),
        (QuestionKind.CHOOSE_ONE, "Social care\nSocial-care!", "Each answer needs a different wording"),
        (QuestionKind.CHOOSE_ONE, "Health\n???", "The answer ‘???’ needs at least one letter or number"),
        (QuestionKind.RATING, "Good | 3\nPoor", "Give ‘Poor’ a score, like ‘Poor | 1’"),
        (QuestionKind.YES_NO, "Yes\nNo", "Give ‘Yes’ a score"),
        (QuestionKind.RATING, "Good | 3\nPoor | none", "At least two answers need a score"),
        (QuestionKind.CHOOSE_ONE, "\n".join(f"Answer {n}" for n in range(13)), "Give at most 12 answers"),
    ],
)
def test_answers_that_do_not_suit_the_kind_are_refused(draft, kind, text, message):
    before = content(draft)

    with pytest.raises(ValidationError) as caught:
        services.question_add(
            version=draft,
            **question_args(code="new", kind=kind, options=services.options_from_text(text)),
        )

    assert message in caught.value.message_dict["options"][0]
    assert content(draft) == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": ""}, "code"),
        ({"code": "Overall"}, "code"),  # the same code in any case
        ({"code": "two words"}, "code"),
        ({"page": 0}, "page"),
        ({"page": "x"}, "page"),
        ({"kind": "essay"}, "kind"),
        ({"text": "  "}, "text"),
        ({"text": "x" * 301}, "text"),
    ],
)
def test_question_fields_are_checked(draft, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.question_add(version=draft, **question_args(**{"code": "new", **changes}))

    assert field in caught.value.message_dict
    assert draft.questions.count() == 2


def test_pictures_only_on_easy_read_forms_and_only_existing_static_files(draft, easy_read_draft, picture):
    def add(version, **changes):
        return services.question_add(version=version, **question_args(code="pic", **changes))

    errors = []
    for version, changes in [
        (draft, {"image": picture, "image_alt": "A meeting"}),
        (easy_read_draft, {"image": "feedback/test-pictures/missing.svg", "image_alt": "A meeting"}),
        (easy_read_draft, {"image": "css/application.css", "image_alt": "A meeting"}),
        (easy_read_draft, {"image": "feedback/../css/application.css", "image_alt": "A meeting"}),
        (easy_read_draft, {"image": picture, "image_alt": ""}),
    ]:
        with pytest.raises(ValidationError) as caught:
            add(version, **changes)
        errors.append(caught.value.message_dict)

    assert errors[0] == {"image": ["Pictures are only for easy-read forms"]}
    assert errors[1] == {"image": ["There is no picture at feedback/test-pictures/missing.svg"]}
    assert list(errors[2]) == list(errors[3]) == ["image"]
    assert errors[4] == {"image_alt": ["Enter a description of the picture"]}
    assert not FeedbackQuestion.objects.filter(image__gt="").exists()

    question = add(easy_read_draft, image=f"/{picture}", image_alt="People round a table")
    assert (question.image, question.image_alt) == (picture, "People round a table")


def test_changing_a_question_keeps_the_pictures_of_unchanged_answers(easy_read_draft):
    question = FeedbackQuestionFactory(
        version=easy_read_draft,
        code="feel",
        kind=QuestionKind.RATING,
        options=[
            {"value": "good", "label": "Good", "score": 3, "image": "feedback/easy-read/face-happy.svg", "image_alt": "A smile"},
            {"value": "bad", "label": "Bad", "score": 1, "image": "feedback/easy-read/face-sad.svg", "image_alt": "A frown"},
        ],
    )  # fmt: skip

    services.question_update(
        question=question,
        **question_args(
            code="feel",
            text="How did it feel?",
            options=services.options_from_text("Good | 3\nNot good | 1"),
        ),
    )

    question.refresh_from_db()
    assert question.text == "How did it feel?"
    assert question.options == [
        {
            "value": "good",
            "label": "Good",
            "score": 3,
            "image": "feedback/easy-read/face-happy.svg",
            "image_alt": "A smile",
        },
        {"value": "not_good", "label": "Not good", "score": 1},
    ]


def test_questions_move_within_their_page(draft):
    third = services.question_add(version=draft, **question_args(code="third", text="Third?"))
    later = services.question_add(version=draft, **question_args(code="later", text="Later?", page=2))

    services.question_move(question=third, offset=-1)
    first_up = list(draft.questions.order_by("page", "order").values_list("code", flat=True))
    services.question_move(question=later, offset=-1)  # first on its page: stays put
    services.question_move(question=third, offset=-1)

    assert first_up == ["overall", "third", "papers", "later"]
    assert list(draft.questions.order_by("page", "order").values_list("code", "page")) == [
        ("third", 1),
        ("overall", 1),
        ("papers", 1),
        ("later", 2),
    ]


def test_version_texts_change_on_a_draft(draft):
    services.feedback_form_version_update(
        version=draft, title="  Tell us ", intro="Two minutes", thank_you="Thanks", change_note="First"
    )

    draft.refresh_from_db()
    assert (draft.title, draft.intro, draft.thank_you, draft.change_note) == (
        "Tell us",
        "Two minutes",
        "Thanks",
        "First",
    )
    for title in ("", " after a REVIEW "):  # blank, or the form's name (which is for staff)
        with pytest.raises(ValidationError) as caught:
            services.feedback_form_version_update(version=draft, title=title)
        assert "title" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.title == "Tell us"


def test_an_answered_question_cannot_be_removed(draft):
    question = draft.questions.get(code="overall")
    FeedbackAnswerFactory(response=FeedbackResponseFactory(version=draft), question=question)

    with pytest.raises(ValidationError, match="People have answered this question"):
        services.question_delete(question=question)

    assert FeedbackQuestion.objects.filter(pk=question.pk).exists()


# --- services: approval, freezing and new versions ------------------------------------------------------------


def test_approving_needs_a_question(area, sqa_officer):
    version = drafted_form(
        area.partnership, sqa_officer, name="Empty", audience=Audience.STAFF, title="Survey"
    )

    with pytest.raises(ValidationError, match="Add at least one question"):
        services.version_approve(version=version, user=sqa_officer)

    version.refresh_from_db()
    assert version.status == FormVersionStatus.DRAFT


@pytest.mark.parametrize(
    ("kind", "options", "message"),
    [
        (QuestionKind.CHOOSE_ONE, [{"value": "a", "label": "A"}], "broken: give at least two answers"),
        (QuestionKind.RATING, [], "broken: give at least two answers"),
        (
            QuestionKind.RATING,
            [{"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B"}],
            "broken: Give ‘B’ a score",
        ),
        (
            QuestionKind.YES_NO,
            [{"value": "yes", "label": "Yes"}, {"value": "no", "label": "No"}],
            "broken: Give ‘Yes’ a score",
        ),
        (QuestionKind.FREE_TEXT, [{"value": "a", "label": "A"}], "broken: A free-text question"),
        (
            QuestionKind.RATING,
            [{"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B", "score": "2"}],
            "broken: The score of ‘B’ must be a whole number",
        ),
    ],
)
def test_approving_checks_answers_stored_by_any_route(draft, sqa_officer, kind, options, message):
    FeedbackQuestionFactory(version=draft, code="broken", kind=kind, options=options)

    with pytest.raises(ValidationError) as caught:
        services.version_approve(version=draft, user=sqa_officer)

    assert any(m.startswith(message) for m in caught.value.messages), caught.value.messages
    draft.refresh_from_db()
    assert draft.status == FormVersionStatus.DRAFT


def test_approve_freezes_the_version(draft, sqa_officer):
    version = services.version_approve(version=draft, user=sqa_officer)

    version.refresh_from_db()
    assert version.status == FormVersionStatus.APPROVED
    assert version.approved_by == sqa_officer and version.approved_at is not None


@pytest.mark.parametrize("status", [FormVersionStatus.APPROVED, FormVersionStatus.RETIRED])
def test_a_frozen_version_refuses_every_change(approved, sqa_officer, status):
    FeedbackFormVersion.objects.filter(pk=approved.pk).update(status=status)
    question = approved.questions.get(code="overall")
    before = content(approved)

    attempts = [
        lambda: services.feedback_form_version_update(version=approved, title="Changed"),
        lambda: services.question_add(version=approved, **question_args(code="new")),
        lambda: services.question_update(question=question, **question_args(text="Changed?")),
        lambda: services.question_delete(question=question),
        lambda: services.question_move(question=question, offset=1),
        lambda: services.version_approve(version=approved, user=sqa_officer),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied, match="An approved version cannot be changed"):
            attempt()

    assert content(approved) == before


def test_approving_v2_retires_v1_and_old_responses_keep_v1(area, approved, sqa_officer):
    response = FeedbackResponseFactory(agency=area.school, version=approved)
    answer = FeedbackAnswerFactory(
        response=response, question=approved.questions.get(code="overall"), values=["good"], score=3
    )
    v1_before = content(approved)

    v2 = services.version_new_from(version=approved, user=sqa_officer, change_note="Reworded")
    question = v2.questions.get(code="overall")
    services.question_update(question=question, **question_args(text="How well did the meeting go?"))
    services.version_approve(version=v2, user=sqa_officer)

    approved.refresh_from_db()
    v2.refresh_from_db()
    response.refresh_from_db()
    answer.refresh_from_db()
    assert (approved.status, v2.status) == (FormVersionStatus.RETIRED, FormVersionStatus.APPROVED)
    assert response.version == approved
    assert answer.question.version == approved and answer.question.text == "How good was the meeting?"
    assert content(approved)[1:] == v1_before[1:]
    assert FeedbackResponse.objects.filter(version=v2).count() == 0
    assert (
        FeedbackFormVersion.objects.filter(form=approved.form, status=FormVersionStatus.APPROVED).get() == v2
    )


def test_new_version_copies_the_version_and_only_one_draft_at_a_time(approved, sqa_officer):
    v2 = services.version_new_from(version=approved, user=sqa_officer, change_note="  Shorter  ")

    assert (v2.number, v2.status, v2.change_note, v2.created_by) == (
        2,
        FormVersionStatus.DRAFT,
        "Shorter",
        sqa_officer,
    )
    old = [row[1:] for row in content(approved)[5]]
    new = [row[1:] for row in content(v2)[5]]
    assert new == old and len(new) == 2
    assert not set(v2.questions.values_list("pk", flat=True)) & set(
        approved.questions.values_list("pk", flat=True)
    )
    with pytest.raises(ValidationError, match="Version 2 is already a draft"):
        services.version_new_from(version=approved, user=sqa_officer)
    assert approved.form.versions.count() == 2


# --- the default forms ----------------------------------------------------------------------------------------


def test_the_five_default_forms_each_take_under_two_minutes(area):
    """At most 7 questions and 2 free-text ones, and free text optional except on the general form."""
    services.feedback_forms_seed_defaults(partnership=area.partnership)
    versions = FeedbackFormVersion.objects.filter(form__partnership=area.partnership).select_related("form")

    assert len(DEFAULT_FORMS) == 5 and versions.count() == 5
    assert {v.form.audience for v in versions} == set(Audience.values)
    for version in versions:
        questions = list(version.questions.all())
        free_text = [q for q in questions if q.kind == QuestionKind.FREE_TEXT]
        assert 1 <= len(questions) <= 7, version.form.name
        assert len(free_text) <= 2, version.form.name
        if version.form.audience != Audience.PUBLIC:
            assert not any(q.required for q in free_text), version.form.name
        assert version.status == FormVersionStatus.APPROVED
        assert not services.version_problems(version), version.form.name  # a copy of it can be approved again


def test_a_copy_of_a_default_form_can_be_approved(area, sqa_officer):
    services.feedback_forms_seed_defaults(partnership=area.partnership)
    for version in list(FeedbackFormVersion.objects.filter(form__partnership=area.partnership)):
        copy = services.version_new_from(version=version, user=sqa_officer)
        services.version_approve(version=copy, user=sqa_officer)

    assert FeedbackFormVersion.objects.filter(status=FormVersionStatus.APPROVED, number=2).count() == 5


# --- pages: who may read ---------------------------------------------------------------------------------------


def _changes_tried(client, version: FeedbackFormVersion, question: FeedbackQuestion) -> list:
    """The answers to trying, once each, every change the builder's pages make to `version`: its texts, adding,
    changing, removing and moving a question (`question` is one of its questions), and approving it."""
    question_fields = {"code": "x", "kind": "free_text", "text": "X", "page": "1"}
    return [
        client.post(version_url("form-version-edit", version), {"title": "Changed"}),
        client.post(version_url("form-question-add", version), question_fields),
        client.post(version_url("form-question-change", version, question.pk), question_fields),
        client.post(version_url("form-question-delete", version, question.pk)),
        client.post(version_url("form-question-move", version, question.pk), {"direction": "down"}),
        client.post(version_url("form-version-approve", version)),
    ]


@pytest.mark.parametrize("persona", READERS)
def test_working_staff_read_the_list_form_and_version_pages(client, request, persona, approved, sqa_officer):
    draft = services.version_new_from(version=approved, user=sqa_officer)
    client.force_login(request.getfixturevalue(persona))

    listing = client.get(reverse("feedback:form-list"))
    detail = client.get(reverse("feedback:form-detail", args=[approved.form_id]))
    version = client.get(version_url("form-version", approved))

    assert listing.status_code == detail.status_code == version.status_code == 200
    row = listing.context["page"].object_list[0]
    assert (row.pk, row.current_number, row.draft_number) == (approved.form_id, 1, 2)
    page = detail.content.decode()
    assert "How good was the meeting?" in page and "Very good" in page and "(score 4)" in page
    assert "Page 1" in page
    can_manage = persona == "sqa_officer"
    assert ("Create a form" in listing.content.decode()) is can_manage
    assert ("continue the draft" in version.content.decode()) is can_manage
    assert draft.number == 2


@pytest.mark.parametrize("persona", ["board_member", "partnership_admin"])
def test_board_members_and_admins_without_a_working_role_get_403_and_404(client, request, persona, approved):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(reverse("feedback:form-list")).status_code == 403
    assert client.get(reverse("feedback:form-detail", args=[approved.form_id])).status_code == 404
    assert client.get(version_url("form-version", approved)).status_code == 404
    assert client.get(version_url("form-version-new", approved)).status_code == 404


def test_another_partnerships_forms_are_404(client, outsider_sqa, approved, sqa_officer):
    draft = services.version_new_from(version=approved, user=sqa_officer)
    question = draft.questions.get(code="overall")
    before = content(draft)
    client.force_login(outsider_sqa)

    listing = client.get(reverse("feedback:form-list"))
    attempts = [
        client.get(reverse("feedback:form-detail", args=[approved.form_id])),
        client.get(version_url("form-version", approved)),
        client.post(version_url("form-question-add", draft), {"code": "x", "kind": "free_text", "text": "X", "page": "1"}),
        client.post(version_url("form-question-change", draft, question.pk), {"code": "x", "kind": "free_text", "text": "X", "page": "1"}),
        client.post(version_url("form-question-delete", draft, question.pk)),
        client.post(version_url("form-version-approve", draft)),
        client.post(version_url("form-version-new", approved)),
    ]  # fmt: skip

    assert listing.status_code == 200 and not listing.context["page"].object_list
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    assert content(draft) == before


def test_anonymous_users_are_sent_to_sign_in(client, approved):
    response = client.get(reverse("feedback:form-list"))
    assert response.status_code == 302 and "/accounts/" in response["Location"]


# --- pages: who may change -------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", NOT_MANAGERS)
def test_only_sqa_officers_change_forms(client, request, persona, approved, sqa_officer):
    draft = services.version_new_from(version=approved, user=sqa_officer)
    question = draft.questions.get(code="overall")
    before = content(draft)
    client.force_login(request.getfixturevalue(persona))

    attempts = [
        client.get(reverse("feedback:form-create")),
        client.post(reverse("feedback:form-create"), {"name": "Mine", "audience": "staff", "title": "Survey"}),
        client.post(reverse("feedback:form-seed-defaults")),
        *_changes_tried(client, draft, question),
        client.post(version_url("form-version-new", approved)),
    ]  # fmt: skip

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert content(draft) == before
    assert FeedbackForm.objects.count() == 1 and FeedbackFormVersion.objects.count() == 2


# --- pages: building a form -----------------------------------------------------------------------------------


def test_sqa_officer_builds_and_approves_a_form(client, sqa_officer, area):
    client.force_login(sqa_officer)

    untitled = client.post(
        reverse("feedback:form-create"),
        {"name": "Transition review", "audience": "parent_carer", "title": "", "description": "Year 9"},
    )
    assert "Enter the title people filling in the form see" in untitled.content.decode()
    assert not FeedbackForm.objects.exists()
    response = client.post(
        reverse("feedback:form-create"),
        {
            "name": "Transition review",
            "audience": "parent_carer",
            "title": "Tell us about the review",
            "meeting_kinds": ["annual_review"],
            "description": "Year 9",
        },
    )
    form = FeedbackForm.objects.get(name="Transition review")
    version = form.versions.get()
    assert response.status_code == 302 and response["Location"] == version_url("form-version", version)
    assert (form.partnership, version.title, form.meeting_kinds) == (
        area.partnership,
        "Tell us about the review",
        ["annual_review"],
    )

    response = client.post(
        version_url("form-question-add", version),
        {
            "code": "listened",
            "page": "1",
            "kind": "rating",
            "text": "Did you feel listened to?",
            "options": "Yes, completely | 3\nPartly | 2\nNo | 1",
            "required": "on",
        },
    )
    assert response.status_code == 302
    client.post(
        version_url("form-question-add", version),
        {"code": "better", "page": "2", "kind": "free_text", "text": "What could be better?", "options": ""},
    )
    listened, better = version.questions.order_by("page", "order")
    assert [(o["value"], o["score"]) for o in listened.options] == [
        ("yes_completely", 3),
        ("partly", 2),
        ("no", 1),
    ]
    assert (listened.required, better.required, better.page) == (True, False, 2)  # an unticked box is "no"

    texts = {"title": "Your review", "intro": "Two minutes", "thank_you": "Thank you", "change_note": "First"}
    assert client.post(version_url("form-version-edit", version), texts).status_code == 302
    change = client.get(version_url("form-question-change", version, listened.pk))
    assert change.context["form"].initial["options"] == "Yes, completely | 3\nPartly | 2\nNo | 1"

    page = client.get(version_url("form-version", version))
    assert page.context["editable"] and "Did you feel listened to?" in page.content.decode()
    confirm = client.get(version_url("form-version-approve", version))
    assert confirm.status_code == 200 and "cannot be changed" in confirm.content.decode()
    assert client.post(version_url("form-version-approve", version)).status_code == 302
    version.refresh_from_db()
    assert version.status == FormVersionStatus.APPROVED and version.approved_by == sqa_officer
    assert version.title == "Your review"


def test_option_errors_are_shown_on_the_answers_field(client, sqa_officer, draft):
    client.force_login(sqa_officer)
    data = {"code": "new", "page": "1", "kind": "rating", "text": "How was it?", "required": "on"}

    unreadable = client.post(
        version_url("form-question-add", draft), {**data, "options": "Good | lots\nPoor | 1"}
    )
    unscored = client.post(version_url("form-question-add", draft), {**data, "options": "Good | 3\nPoor"})
    single = client.post(
        version_url("form-question-add", draft), {**data, "kind": "choose_one", "options": "Only one"}
    )

    assert [r.status_code for r in (unreadable, unscored, single)] == [200, 200, 200]
    assert "must be a whole number" in unreadable.context["form"].errors["options"][0]
    assert unscored.context["form"].errors["options"][0].startswith("Give ‘Poor’ a score")
    assert single.context["form"].errors["options"] == ["Give at least two answers, one a line"]
    assert "There is a problem" in single.content.decode()
    assert draft.questions.count() == 2


def test_picture_fields_are_offered_only_on_easy_read_forms(
    client, sqa_officer, draft, easy_read_draft, picture
):
    client.force_login(sqa_officer)

    plain = client.get(version_url("form-question-add", draft))
    easy = client.post(
        version_url("form-question-add", easy_read_draft),
        {"code": "feel", "page": "1", "kind": "yes_no", "text": "Was it good?", "image": picture, "image_alt": "A meeting"},
    )  # fmt: skip
    sneaked = client.post(
        version_url("form-question-add", draft),
        {"code": "feel", "page": "1", "kind": "yes_no", "text": "Was it good?", "image": picture, "image_alt": "x"},
    )  # fmt: skip

    assert "image" not in plain.context["form"].fields
    assert easy.status_code == 302
    assert easy_read_draft.questions.get().image == picture
    assert sneaked.status_code == 302 and draft.questions.get(code="feel").image == ""


def test_questions_move_without_javascript(client, sqa_officer, draft):
    client.force_login(sqa_officer)
    papers = draft.questions.get(code="papers")

    response = client.post(version_url("form-question-move", draft, papers.pk), {"direction": "up"})

    assert response.status_code == 302
    assert list(draft.questions.order_by("order").values_list("code", flat=True)) == ["papers", "overall"]
    assert client.get(version_url("form-question-move", draft, papers.pk)).status_code == 405


def test_removing_a_question_asks_first(client, sqa_officer, draft):
    client.force_login(sqa_officer)
    papers = draft.questions.get(code="papers")

    confirm = client.get(version_url("form-question-delete", draft, papers.pk))
    assert confirm.status_code == 200 and papers.text in confirm.content.decode()
    assert draft.questions.count() == 2
    assert client.post(version_url("form-question-delete", draft, papers.pk)).status_code == 302
    assert list(draft.questions.values_list("code", flat=True)) == ["overall"]


def test_a_question_of_another_version_is_404(client, sqa_officer, draft, area):
    other = FeedbackQuestionFactory(
        version=FeedbackFormVersionFactory(
            form=FeedbackFormFactory(partnership=area.partnership), status=FormVersionStatus.DRAFT
        )
    )
    client.force_login(sqa_officer)

    response = client.post(
        version_url("form-question-change", draft, other.pk),
        {"code": "x", "kind": "free_text", "text": "X", "page": "1"},
    )

    assert response.status_code == 404


def test_approval_page_lists_what_is_missing(client, sqa_officer, area):
    version = drafted_form(
        area.partnership, sqa_officer, name="Empty", audience=Audience.STAFF, title="Survey"
    )
    client.force_login(sqa_officer)

    confirm = client.get(version_url("form-version-approve", version))
    response = client.post(version_url("form-version-approve", version))

    assert "Add at least one question before approving" in confirm.content.decode()
    assert response.status_code == 200 and "Add at least one question" in response.content.decode()
    version.refresh_from_db()
    assert version.status == FormVersionStatus.DRAFT


# --- pages: an approved version is frozen ---------------------------------------------------------------------


@pytest.mark.parametrize("status", [FormVersionStatus.APPROVED, FormVersionStatus.RETIRED])
def test_frozen_version_editing_pages_are_403_and_change_nothing(client, sqa_officer, approved, status):
    FeedbackFormVersion.objects.filter(pk=approved.pk).update(status=status)
    client.force_login(sqa_officer)
    before = content(approved)
    question = approved.questions.get(code="overall")

    attempts = [
        client.get(version_url("form-question-change", approved, question.pk)),
        *_changes_tried(client, approved, question),
    ]

    assert [r.status_code for r in attempts] == [403] * len(attempts)
    page = attempts[0].content.decode()
    assert "An approved version cannot be changed" in page
    assert version_url("form-version-new", approved) in page and "Make a new version" in page
    assert content(approved) == before
    version_page = client.get(version_url("form-version", approved))
    assert not version_page.context["editable"]
    assert version_url("form-question-add", approved) not in version_page.content.decode()


def test_new_version_page_copies_and_the_old_version_keeps_its_questions(client, sqa_officer, area, approved):
    response_v1 = FeedbackResponseFactory(agency=area.school, version=approved)
    client.force_login(sqa_officer)

    response = client.post(version_url("form-version-new", approved), {"change_note": "Reworded"})

    v2 = approved.form.versions.get(number=2)
    assert response.status_code == 302 and response["Location"] == version_url("form-version", v2)
    assert (v2.status, v2.change_note) == (FormVersionStatus.DRAFT, "Reworded")
    question = v2.questions.get(code="overall")
    client.post(
        version_url("form-question-change", v2, question.pk),
        {"code": "overall", "page": "1", "kind": "rating", "text": "How well did it go?", "required": "on"},
    )
    assert client.post(version_url("form-version-approve", v2)).status_code == 302

    approved.refresh_from_db()
    response_v1.refresh_from_db()
    assert approved.status == FormVersionStatus.RETIRED and response_v1.version == approved
    old_page = client.get(version_url("form-version", approved)).content.decode()
    assert "How good was the meeting?" in old_page and "How well did it go?" not in old_page
    form_page = client.get(reverse("feedback:form-detail", args=[approved.form_id]))
    assert form_page.context["current"].pk == v2.pk
    assert [(v.number, v.response_count) for v in form_page.context["versions"]] == [(2, 0), (1, 1)]
    assert client.post(version_url("form-version-new", v2)).status_code == 302
    again = client.post(version_url("form-version-new", v2))
    assert again.status_code == 200 and "already a draft" in again.content.decode()


# --- the list: default forms and query counts -----------------------------------------------------------------


def test_add_the_default_forms_button_is_idempotent(client, sqa_officer, area, approved):
    client.force_login(sqa_officer)

    before = client.get(reverse("feedback:form-list"))
    first = client.post(reverse("feedback:form-seed-defaults"))
    second = client.post(reverse("feedback:form-seed-defaults"))
    after = client.get(reverse("feedback:form-list"))

    assert "Add the default forms" in before.content.decode()
    assert len(before.context["missing_defaults"]) == 5
    assert first.status_code == second.status_code == 302
    names = set(FeedbackForm.objects.filter(partnership=area.partnership).values_list("name", flat=True))
    assert names == {spec["name"] for spec in DEFAULT_FORMS} | {"After a review"}
    assert FeedbackFormVersion.objects.filter(form__partnership=area.partnership).count() == 6
    assert "Add the default forms" not in after.content.decode() and after.context["missing_defaults"] == []
    assert client.get(reverse("feedback:form-seed-defaults")).status_code == 405


def test_the_button_shows_when_one_default_form_is_missing(client, sqa_officer, area):
    services.feedback_forms_seed_defaults(partnership=area.partnership)
    FeedbackForm.objects.filter(name="Staff survey: quality of EHC plans").delete()
    client.force_login(sqa_officer)

    page = client.get(reverse("feedback:form-list"))

    assert page.context["missing_defaults"] == ["Staff survey: quality of EHC plans"]
    client.post(reverse("feedback:form-seed-defaults"))
    assert FeedbackForm.objects.filter(partnership=area.partnership).count() == 5


def test_response_counts_on_the_list_follow_what_the_user_may_count(
    client, sqa_officer, agency_manager, area, approved
):
    FeedbackResponseFactory.create_batch(2, agency=area.school, version=approved)
    FeedbackResponseFactory(agency=area.other_school, version=approved)

    counts = {}
    for user in (sqa_officer, agency_manager):
        client.force_login(user)
        counts[user.username] = (
            client.get(reverse("feedback:form-list")).context["page"].object_list[0].response_count
        )

    assert counts == {"sqa": 3, "edu.manager": 2}


def _forms(area, n: int) -> None:
    for _ in range(n):
        version = FeedbackFormVersionFactory(form=FeedbackFormFactory(partnership=area.partnership))
        FeedbackQuestionFactory(version=version)
        FeedbackFormVersionFactory(form=version.form, number=2, status=FormVersionStatus.DRAFT)
        FeedbackResponseFactory(agency=area.school, version=version)


@pytest.mark.parametrize("persona", ["sqa_officer", "agency_manager"])
def test_form_list_query_count_does_not_grow(client, request, persona, area, django_assert_max_num_queries):
    client.force_login(request.getfixturevalue(persona))
    counts = []
    for n in (2, 10):
        FeedbackResponse.objects.all().delete()
        FeedbackForm.objects.all().delete()
        _forms(area, n)
        with django_assert_max_num_queries(10) as captured:
            response = client.get(reverse("feedback:form-list"))
        assert response.status_code == 200 and response.context["page"].paginator.count == n
        assert [row.response_count for row in response.context["page"].object_list] == [1] * n
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- the admin ------------------------------------------------------------------------------------------------


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", partnership=None, is_staff=True, is_superuser=True)


@pytest.mark.parametrize("status", [FormVersionStatus.APPROVED, FormVersionStatus.RETIRED])
def test_a_frozen_version_is_read_only_in_the_admin(client, superuser, approved, status):
    FeedbackFormVersion.objects.filter(pk=approved.pk).update(status=status)
    question = approved.questions.get(code="overall")
    before = content(approved)
    client.force_login(superuser)

    page = client.get(reverse("admin:feedback_feedbackformversion_change", args=[approved.pk]))
    attempts = [
        client.post(reverse("admin:feedback_feedbackformversion_change", args=[approved.pk]), {"title": "X", "questions-TOTAL_FORMS": "0", "questions-INITIAL_FORMS": "0"}),
        client.post(reverse("admin:feedback_feedbackquestion_change", args=[question.pk]), {"code": "x", "page": "1", "order": "1", "kind": "free_text", "text": "X", "options": "[]"}),
        client.post(reverse("admin:feedback_feedbackformversion_delete", args=[approved.pk]), {"post": "yes"}),
        client.post(reverse("admin:feedback_feedbackquestion_delete", args=[question.pk]), {"post": "yes"}),
    ]  # fmt: skip

    assert page.status_code == 200 and not page.context["has_change_permission"]
    assert [r.status_code for r in attempts] == [403] * len(attempts)
    assert content(approved) == before


def test_a_draft_can_be_corrected_in_the_admin_but_not_approved_there(client, superuser, draft):
    question = draft.questions.get(code="overall")
    client.force_login(superuser)

    response = client.post(
        reverse("admin:feedback_feedbackquestion_change", args=[question.pk]),
        {
            "code": "overall",
            "page": "1",
            "order": "1",
            "kind": "rating",
            "text": "Corrected in the admin",
            "options": '[{"value": "a", "label": "A", "score": 1}, {"value": "b", "label": "B", "score": 0}]',
            "required": "on",
            "status": "approved",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    question.refresh_from_db()
    draft.refresh_from_db()
    assert question.text == "Corrected in the admin" and draft.status == FormVersionStatus.DRAFT


def test_sqa_officers_do_not_get_the_feedback_admin(client, sqa_officer, draft):
    sqa_officer.is_staff = True
    sqa_officer.save(update_fields=["is_staff"])
    client.force_login(sqa_officer)

    assert (
        client.get(reverse("admin:feedback_feedbackformversion_change", args=[draft.pk])).status_code == 403
    )
    assert client.get(reverse("admin:feedback_feedbackform_changelist")).status_code == 403


def test_the_forms_list_downloads_as_csv_with_the_pages_counts(client, area, other_area, agency_manager):
    import csv as csv_module
    import io

    from feedback.services.forms import feedback_forms_seed_defaults

    feedback_forms_seed_defaults(partnership=area.partnership)
    feedback_forms_seed_defaults(partnership=other_area.partnership)
    client.force_login(agency_manager)
    assert 'href="/feedback/forms/forms.csv"' in client.get(reverse("feedback:form-list")).content.decode()
    download = client.get(reverse("feedback:form-list-csv"))
    assert download["Content-Disposition"].startswith('attachment; filename="feedback-forms-')
    rows = list(csv_module.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert len(rows) == 5  # this partnership's five, not the other's
    parent = next(row for row in rows if row["Form"] == "Parent or carer: after a meeting")
    assert (parent["Audience"], parent["Version in use"], parent["Draft version"], parent["Responses"]) == (
        "Parents and carers",
        "1",
        "",
        "0",
    )


def test_the_forms_csv_is_refused_to_the_board(client, board_member):
    client.force_login(board_member)
    assert client.get(reverse("feedback:form-list-csv")).status_code == 403
