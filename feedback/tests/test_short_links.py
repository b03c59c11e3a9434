"""Short codes: the address printed on a handout (SITE_URL/f/K7QM-3XPA) leads to the same single-use invitation
as its token link, with the same expiry and closed-link pages; guessing is rate-limited per address; the URL
shapes of tokens, codes and the general form cannot be taken for one another."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError
from django.urls import resolve, reverse
from django.utils import timezone

from feedback import tokens
from feedback.models import SHORT_CODE_ALPHABET, Audience, Delivery, FeedbackInvitation, MeetingKind
from feedback.services import invitations as services
from feedback.tests.factories import FeedbackInvitationFactory
from feedback.views.public import CODE_MAX_MISSES, CODE_WINDOW_SECONDS

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(area, forms):
    return FeedbackInvitationFactory(agency=area.school, delivery=Delivery.HANDOUT, contact="", sent_at=None)


def _start(invitation) -> str:
    return reverse("feedback_public:form", args=[tokens.invitation_token(invitation)])


def _unused_code(taken: set[str]) -> str:
    return next(code for code in ("22222222", "33333333") if code not in taken)


# --- the codes ------------------------------------------------------------------------------------------------


def test_each_invitation_gets_its_own_code_of_eight_unambiguous_characters(area, agency_manager, forms):
    created = services.invitations_create(
        by=agency_manager,
        agency=area.school,
        meeting_kind=MeetingKind.ANNUAL_REVIEW,
        meeting_on=dt.date(2026, 3, 2),
        recipients=[services.Recipient(Audience.PARENT_CARER, Delivery.HANDOUT)] * 5,
    )

    codes = [i.short_code for i in FeedbackInvitation.objects.filter(pk__in=[i.pk for i in created])]
    assert len(set(codes)) == 5
    for code in codes:
        assert len(code) == 8 and set(code) <= set(SHORT_CODE_ALPHABET)
    assert not set(SHORT_CODE_ALPHABET) & set("0O1IL")
    first = created[0].short_code
    assert first in codes and created[0].short_code_display == f"{first[:4]}-{first[4:]}"


def test_new_codes_skip_codes_already_taken(invitation, monkeypatch):
    drawn = iter([invitation.short_code, invitation.short_code, "ABCD2345"])
    monkeypatch.setattr(tokens, "new_short_code", lambda: next(drawn))

    assert tokens.short_codes_new(1) == ["ABCD2345"]


def test_a_code_taken_between_the_check_and_the_insert_is_drawn_again(
    area, agency_manager, invitation, monkeypatch
):
    real = tokens.short_codes_new
    calls = []

    def racing(count):
        calls.append(count)
        # The first draw returns a code another process has just stored; the unique column refuses it.
        return [invitation.short_code] * count if len(calls) == 1 else real(count)

    monkeypatch.setattr(tokens, "short_codes_new", racing)
    (made,) = services.invitations_create(
        by=agency_manager,
        agency=area.school,
        meeting_kind=MeetingKind.ANNUAL_REVIEW,
        meeting_on=dt.date(2026, 3, 2),
        recipients=[services.Recipient(Audience.PARENT_CARER, Delivery.HANDOUT)],
    )

    assert len(calls) == 2 and made.short_code != invitation.short_code
    assert FeedbackInvitation.objects.count() == 2
    monkeypatch.setattr(tokens, "short_codes_new", lambda count: [invitation.short_code] * count)
    with pytest.raises(IntegrityError):
        services.invitations_create(
            by=agency_manager,
            agency=area.school,
            meeting_kind=MeetingKind.ANNUAL_REVIEW,
            meeting_on=dt.date(2026, 3, 2),
            recipients=[services.Recipient(Audience.PARENT_CARER, Delivery.HANDOUT)],
        )


@pytest.mark.parametrize(
    ("typed", "normalised"),
    [
        ("K7QM-3XPA", "K7QM3XPA"),
        ("k7qm3xpa", "K7QM3XPA"),
        (" k7qm 3xpa ", "K7QM3XPA"),
        ("K7QM–3XPA", "K7QM3XPA"),  # an en dash, as word processors print a hyphen
        ("K7QM-3XP", None),
        ("K7QM-3XPA9", None),
        ("K0QM-3XPA", None),  # 0, O, 1, I and L are never in a code
        ("KOQM-3XPA", None),
        ("K1QM-3XPA", None),
        ("demo-local-area.x.y", None),
    ],
)
def test_typed_codes_are_read_in_any_case_with_or_without_the_hyphen(typed, normalised):
    assert tokens.short_code_normalise(typed) == normalised


# --- the short address -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["{code}", "{lower}", "{plain}", "{plain_lower}/", "{code}/"])
def test_the_short_address_leads_to_the_invitations_own_link(client, invitation, shape):
    code = invitation.short_code_display
    path = "/f/" + shape.format(
        code=code, lower=code.lower(), plain=invitation.short_code, plain_lower=invitation.short_code.lower()
    )

    response = client.get(path)

    assert response.status_code == 302 and response["Location"] == _start(invitation)
    assert response["Cache-Control"].startswith("max-age=0") or "no-store" in response["Cache-Control"]
    start = client.get(response["Location"])
    assert start.status_code == 200 and invitation.version.title in start.content.decode()


def test_the_short_address_is_the_same_single_use_invitation(client, invitation):
    client.get(f"/f/{invitation.short_code_display}", follow=True)
    token = tokens.invitation_token(invitation)
    answers = {
        q.code: q.options[0]["value"] for q in invitation.version.questions.all() if q.required and q.options
    }
    for number in (1, 2):
        page_answers = {
            code: v
            for code, v in answers.items()
            if invitation.version.questions.get(code=code).page == number
        }
        client.post(reverse("feedback_public:form-page", args=[token, number]), page_answers)
    check = client.get(reverse("feedback_public:form-check", args=[token]))
    client.post(
        reverse("feedback_public:form-check", args=[token]),
        {"submission_key": check.context["submission_key"]},
    )

    invitation.refresh_from_db()
    assert invitation.responded_at is not None
    again = client.get(f"/f/{invitation.short_code_display}", follow=True)
    assert again.status_code == 410
    assert "You have already given feedback with this link" in again.content.decode()


@pytest.mark.parametrize(
    ("change", "status", "title"),
    [
        ({"expires_at": timezone.now() - dt.timedelta(minutes=1)}, 410, "This link has expired"),
        ({"withdrawn_at": timezone.now()}, 410, "This link is no longer in use"),
        ({"responded_at": timezone.now()}, 410, "You have already given feedback with this link"),
    ],
)
def test_a_closed_invitation_gets_the_same_page_by_its_code(client, invitation, change, status, title):
    FeedbackInvitation.objects.filter(pk=invitation.pk).update(**change)

    by_code = client.get(f"/f/{invitation.short_code.lower()}", follow=True)
    by_token = client.get(_start(invitation))

    assert by_code.status_code == by_token.status_code == status
    assert title in by_code.content.decode()


def test_an_expiry_reached_later_applies_to_the_code_too(client, invitation):
    with time_machine.travel(invitation.expires_at + dt.timedelta(seconds=1)):
        response = client.get(f"/f/{invitation.short_code_display}", follow=True)
    assert response.status_code == 410 and "This link has expired" in response.content.decode()


def test_an_unknown_code_gets_a_clear_page(client, invitation):
    response = client.get(f"/f/{_unused_code({invitation.short_code})}")

    assert response.status_code == 404
    html = response.content.decode()
    assert "This code is not recognised" in html and "8 letters and numbers" in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_guessing_codes_is_refused_after_too_many_misses_from_one_address(client, invitation):
    wrong = _unused_code({invitation.short_code})
    for _ in range(CODE_MAX_MISSES):
        assert client.get(f"/f/{wrong}").status_code == 404
        assert client.get(f"/f/{wrong[:4]}/").status_code == 404  # not a code's shape: not counted

    refused = client.get(f"/f/{invitation.short_code_display}")  # even a right code, from that address

    assert refused.status_code == 429
    assert "Too many codes that were not recognised" in refused.content.decode()
    # Another address still gets through; the token link is not limited.
    other = client.get(f"/f/{invitation.short_code_display}", REMOTE_ADDR="10.9.8.7")
    assert other.status_code == 302
    assert client.get(_start(invitation)).status_code == 200


def test_the_limit_counts_the_address_the_proxy_saw_and_ends_with_its_window(client, invitation, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    wrong = _unused_code({invitation.short_code})
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        for n in range(CODE_MAX_MISSES):
            # A visitor may prepend anything; the proxy's own last entry is what counts.
            client.get(f"/f/{wrong}", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.9", REMOTE_ADDR="10.0.0.1")
        code = f"/f/{invitation.short_code_display}"
        assert client.get(code, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 429
        assert client.get(code, HTTP_X_FORWARDED_FOR="198.51.100.7").status_code == 302
    with time_machine.travel(start + dt.timedelta(seconds=CODE_WINDOW_SECONDS + 1), tick=False):
        assert client.get(code, HTTP_X_FORWARDED_FOR="203.0.113.9").status_code == 302


def test_tokens_codes_and_the_general_form_cannot_be_taken_for_one_another(invitation, area):
    token = tokens.invitation_token(invitation)
    assert resolve(f"/f/{token}/").url_name == "form"
    assert resolve(f"/f/{invitation.short_code_display}").url_name == "short-link"
    assert resolve(f"/f/{invitation.short_code.lower()}/").url_name == "short-link"
    assert resolve(f"/f/general/{area.partnership.slug}/").url_name == "general"
    assert resolve("/f/general/abcdefgh/").url_name == "general"  # an 8-letter slug is not a code
    assert resolve("/f/general/").url_name == "form"  # no slug: neither the general form nor a code
    assert "." in token and "-" not in invitation.short_code
    assert reverse("feedback_public:short-link", args=[invitation.short_code_display]) == (
        f"/f/{invitation.short_code_display}"
    )


def test_the_handout_prints_the_short_address_of_the_site_it_is_served_from(
    client, agency_manager, invitation, settings
):
    settings.SITE_URL = "http://127.0.0.1:8801"
    client.force_login(agency_manager)

    html = client.get(reverse("feedback:invitation-handout", args=[invitation.pk])).content.decode()

    assert f'127.0.0.1:8801/f/</span><span class="qaf-handout__code">{invitation.short_code_display}<' in html
    assert "127.0.0.1:8000" not in html


def test_the_api_returns_the_short_address_with_the_link_on_create_only(client, area, agency_manager, forms):
    client.force_login(agency_manager)
    body = {
        "agency": area.school.pk,
        "meeting_kind": "annual_review",
        "meeting_on": "2026-03-02",
        "recipients": [{"audience": "parent_carer", "delivery": "handout"}],
    }

    made = client.post("/api/v1/feedback-invitations/", body, content_type="application/json").json()

    row = made["invitations"][0]
    invitation = FeedbackInvitation.objects.get(pk=row["id"])
    assert row["short_link"].endswith(f"/f/{invitation.short_code_display}")
    again = client.get(f"/api/v1/feedback-invitations/{invitation.pk}/").json()
    listed = client.get("/api/v1/feedback-invitations/").json()
    assert invitation.short_code not in str(again) + str(listed)
    assert invitation.short_code_display not in str(again) + str(listed)
