"""Invitation pages: permissions, the list with its filters, response rate, CSV and query count, inviting after a
meeting (filled in from a review), the bulk run, the invitation's page, and the printable handouts; odd query
strings get a page or a 404, never a 500."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from ehcp.tests.factories import AnnualReviewFactory, ChildFactory, PlanFactory
from feedback.models import Audience, Delivery, FeedbackInvitation, MeetingKind
from feedback.selectors import invitations as selectors
from feedback.tests.factories import FeedbackInvitationFactory
from qaf.tests.forms import date_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(area, forms):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school], case_reference="EHC-SECRET-1")
    return FeedbackInvitationFactory(agency=area.school, child=child, contact="parent@example.com")


# --- Permissions --------------------------------------------------------------------------------------------------

# persona -> expected status for (list, the school's invitation page)
MATRIX = {
    "sqa_officer": (200, 200),
    "agency_manager": (200, 200),
    "practitioner": (200, 200),
    "other_agency_manager": (200, 404),
    "board_member": (403, 403),
    "outsider_sqa": (200, 404),
}


@pytest.mark.parametrize("persona", MATRIX)
def test_list_and_detail_permissions(client, request, invitation, persona):
    client.force_login(request.getfixturevalue(persona))
    list_status, detail_status = MATRIX[persona]
    response = client.get(reverse("feedback:invitation-list"))
    assert response.status_code == list_status
    if list_status == 200:
        assert (invitation in [row["invitation"] for row in response.context["rows"]]) == (
            detail_status == 200
        )
    assert (
        client.get(reverse("feedback:invitation-detail", args=[invitation.pk])).status_code == detail_status
    )
    assert (
        client.get(reverse("feedback:invitation-handout", args=[invitation.pk])).status_code == detail_status
    )
    csv_status = client.get(reverse("feedback:invitation-list-csv")).status_code
    assert csv_status == list_status


@pytest.mark.parametrize("persona", MATRIX)
def test_withdraw_permissions(client, request, invitation, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(reverse("feedback:invitation-withdraw", args=[invitation.pk]))
    expected = MATRIX[persona][1]
    assert response.status_code == (302 if expected == 200 else expected)
    invitation.refresh_from_db()
    assert (invitation.withdrawn_at is not None) == (expected == 200)


@pytest.mark.parametrize(
    "persona, status",
    [("sqa_officer", 200), ("agency_manager", 200), ("board_member", 403), ("outsider_sqa", 200)],
)
def test_create_and_bulk_pages_permissions(client, request, area, forms, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("feedback:invitation-create")).status_code == status
    assert client.get(reverse("feedback:invitation-bulk")).status_code == status


def test_other_partnerships_agencies_are_not_offered(client, area, other_area, outsider_sqa, forms):
    client.force_login(outsider_sqa)
    response = client.get(reverse("feedback:invitation-create"))
    offered = set(response.context["form"].fields["agency"].queryset)
    assert area.school not in offered and other_area.school in offered


def test_resend_and_withdraw_need_post(client, agency_manager, invitation):
    client.force_login(agency_manager)
    assert client.get(reverse("feedback:invitation-resend", args=[invitation.pk])).status_code == 405
    assert client.get(reverse("feedback:invitation-withdraw", args=[invitation.pk])).status_code == 405


# --- The list -----------------------------------------------------------------------------------------------------


def _make(area, n: int, **kwargs) -> list[FeedbackInvitation]:
    return [FeedbackInvitationFactory(agency=area.school, **kwargs) for _ in range(n)]


def test_list_query_count_is_the_same_for_3_and_30(
    client, area, sqa_officer, forms, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    url = reverse("feedback:invitation-list") + "?status=waiting"
    _make(area, 3)
    client.get(url)  # warm the session and caches
    with django_assert_max_num_queries(13) as small:
        assert client.get(url).status_code == 200
    _make(area, 27, audience=Audience.PROFESSIONAL)
    with django_assert_max_num_queries(13) as large:
        response = client.get(url)
    assert response.context["page"].paginator.count == 30
    assert len(small.captured_queries) == len(large.captured_queries)


def test_filters_status_and_response_rate(client, area, agency_manager, forms):
    now = timezone.now()
    answered = _make(area, 2, responded_at=now, contact="")
    waiting = _make(area, 3)
    expired = _make(area, 1, expires_at=now - dt.timedelta(days=1))
    failed = _make(area, 1, sent_at=None, send_error="The mail server refused the email address.")
    withdrawn = _make(area, 1, withdrawn_at=now, contact="")
    client.force_login(agency_manager)

    response = client.get(reverse("feedback:invitation-list"))
    rate = response.context["rate"]
    assert (rate.invited, rate.answered, rate.withdrawn, rate.percent) == (7, 2, 1, 29)
    body = response.content.decode()
    assert "29%" in body and "Not sent" in body

    for status, rows in [
        ("answered", answered),
        ("waiting", waiting),
        ("expired", expired),
        ("failed", failed),
        ("withdrawn", withdrawn),
    ]:
        response = client.get(reverse("feedback:invitation-list"), {"status": status})
        shown = {row["invitation"].pk for row in response.context["rows"]}
        assert shown == {i.pk for i in rows}, status
        for row in response.context["rows"]:
            assert row["label"] == selectors.STATUS_LABELS[status]

    response = client.get(reverse("feedback:invitation-list"), {"status": "answered"})
    assert (response.context["rate"].invited, response.context["rate"].answered) == (2, 2)


def test_filters_by_meeting_dates_kind_form_and_agency(client, area, sqa_officer, forms):
    early = FeedbackInvitationFactory(agency=area.school, meeting_on=dt.date(2026, 1, 10))
    late = FeedbackInvitationFactory(
        agency=area.health, meeting_on=dt.date(2026, 2, 10), meeting_kind=MeetingKind.PLANNING
    )
    young = FeedbackInvitationFactory(
        agency=area.school, meeting_on=dt.date(2026, 2, 12), audience=Audience.YOUNG_PERSON
    )
    client.force_login(sqa_officer)
    url = reverse("feedback:invitation-list")

    def shown(params):
        response = client.get(url, params)
        return {row["invitation"].pk for row in response.context["rows"]}

    assert shown(date_fields("meeting_from", dt.date(2026, 2, 1))) == {late.pk, young.pk}
    assert shown(date_fields("meeting_to", dt.date(2026, 2, 1))) == {early.pk}
    assert shown({"meeting_kind": MeetingKind.PLANNING}) == {late.pk}
    assert shown({"agency": area.school.pk}) == {early.pk, young.pk}
    assert shown({"form": young.version.form_id}) == {young.pk}
    # A bad value in one filter leaves the others working.
    assert shown(
        {"agency": area.health.pk, "meeting_from_0": "99", "meeting_from_1": "x", "meeting_from_2": "1"}
    ) == {late.pk}


def test_csv_is_exactly_the_filtered_rows_without_contact_or_child(client, area, agency_manager, forms):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school], case_reference="EHC-SECRET-2")
    kept = _make(area, 3, child=child, contact="someone@example.com")
    FeedbackInvitationFactory(agency=area.school, responded_at=timezone.now(), child=child)
    FeedbackInvitationFactory(agency=area.other_school)  # not the manager's
    client.force_login(agency_manager)

    response = client.get(reverse("feedback:invitation-list-csv"), {"status": "waiting"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "id" and "status" in rows[0]
    assert sorted(int(row[0]) for row in rows[1:]) == sorted(i.pk for i in kept)
    page = client.get(reverse("feedback:invitation-list"), {"status": "waiting"})
    assert {int(row[0]) for row in rows[1:]} == {row["invitation"].pk for row in page.context["rows"]}
    for forbidden in ("someone@example.com", "example.com", "EHC-SECRET-2", child.initials):
        assert forbidden not in text


# --- Inviting after a meeting ------------------------------------------------------------------------------------


def _post(**overrides) -> dict:
    data = {
        "meeting_kind": MeetingKind.PLANNING,
        **date_fields("meeting_on", dt.date(2026, 3, 2)),
        "valid_days": "30",
        "parent_delivery": Delivery.EMAIL,
        "parent_contact": "parent@example.com",
        "young_person_delivery": "none",
        "young_person_contact": "",
    }
    for n in range(1, 5):
        data[f"professional_{n}_delivery"] = Delivery.EMAIL
        data[f"professional_{n}_contact"] = ""
    data.update(overrides)
    return data


def test_create_sends_emails_and_skips_blank_professional_rows(
    client, area, agency_manager, forms, django_capture_on_commit_callbacks
):
    client.force_login(agency_manager)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feedback:invitation-create"),
            _post(agency=area.school.pk, professional_2_contact="senco@school.example.org"),
        )
    assert response.status_code == 302 and response.url == reverse("feedback:invitation-list")
    stored = list(FeedbackInvitation.objects.order_by("audience"))
    assert [(i.audience, i.contact) for i in stored] == [
        (Audience.PARENT_CARER, "parent@example.com"),
        (Audience.PROFESSIONAL, "senco@school.example.org"),
    ]
    assert {i.agency for i in stored} == {area.school}
    assert sorted(m.to[0] for m in mail.outbox) == ["parent@example.com", "senco@school.example.org"]


def test_create_shows_errors_and_writes_nothing(client, area, agency_manager, forms):
    client.force_login(agency_manager)
    response = client.post(
        reverse("feedback:invitation-create"),
        _post(agency=area.school.pk, parent_delivery=Delivery.SMS, parent_contact="01632 960123"),
    )
    assert response.status_code == 400
    assert "Enter a UK mobile phone number" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert not FeedbackInvitation.objects.exists()

    response = client.post(
        reverse("feedback:invitation-create"),
        _post(agency=area.school.pk, parent_delivery="none", parent_contact=""),
    )
    assert response.status_code == 400
    assert "Choose at least one person" in response.content.decode()


def test_create_refuses_an_agency_the_user_cannot_invite_for(client, area, agency_manager, forms):
    client.force_login(agency_manager)
    response = client.post(reverse("feedback:invitation-create"), _post(agency=area.other_school.pk))
    assert response.status_code == 400
    assert not FeedbackInvitation.objects.exists()


def test_handouts_go_to_the_print_page(client, area, agency_manager, forms):
    client.force_login(agency_manager)
    response = client.post(
        reverse("feedback:invitation-create"),
        _post(
            agency=area.school.pk, parent_delivery=Delivery.HANDOUT, young_person_delivery=Delivery.HANDOUT
        ),
    )
    assert response.status_code == 302
    ids = sorted(FeedbackInvitation.objects.values_list("pk", flat=True))
    assert len(ids) == 2
    assert response.url == reverse("feedback:invitation-handouts") + "?ids=" + ",".join(map(str, ids))
    page = client.get(response.url)
    assert page.status_code == 200 and len(page.context["rows"]) == 2


def test_review_prefills_the_form(client, area, sat_caseworker, forms):
    child = ChildFactory(partnership=area.partnership, case_reference="EHC-777")
    review = AnnualReviewFactory(child=child, meeting_on=dt.date(2026, 3, 2))
    client.force_login(sat_caseworker)
    response = client.get(reverse("feedback:invitation-create"), {"review": review.pk})
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["meeting_kind"] == MeetingKind.ANNUAL_REVIEW
    assert form.initial["meeting_on"] == dt.date(2026, 3, 2)
    assert form.initial["case_reference"] == "EHC-777"
    assert "agency" not in form.initial  # the agency is the user's to choose ...
    # ... but with one agency to invite for there is no choice: it is the only option, with no empty one.
    assert [str(value) for value, _label in form.fields["agency"].choices] == [str(area.sat.pk)]
    assert form.initial["review"] == review.pk
    body = response.content.decode()
    assert 'value="EHC-777"' in body and f'value="{review.pk}"' in body

    response = client.post(
        reverse("feedback:invitation-create") + f"?review={review.pk}",
        _post(
            review=review.pk,
            meeting_kind=MeetingKind.ANNUAL_REVIEW,
            agency=area.sat.pk,
            case_reference="EHC-777",
            parent_delivery=Delivery.HANDOUT,
        ),
    )
    assert response.status_code == 302
    invitation = FeedbackInvitation.objects.get()
    assert invitation.review == review and invitation.child == child and invitation.agency == area.sat


def test_a_review_the_user_cannot_see_is_a_404(client, area, agency_manager, forms):
    unseen = AnnualReviewFactory(
        child=ChildFactory(partnership=area.partnership, agencies=[area.other_school]),
        meeting_on=dt.date(2026, 3, 2),
    )
    client.force_login(agency_manager)
    assert client.get(reverse("feedback:invitation-create"), {"review": unseen.pk}).status_code == 404
    assert client.get(reverse("feedback:invitation-create"), {"review": "x"}).status_code == 404


def test_saving_a_review_meeting_leads_to_the_invitation_page(client, area, sat_caseworker, forms):
    child = ChildFactory(partnership=area.partnership, date_of_birth=dt.date(2012, 1, 1))
    PlanFactory(child=child, issued_on=dt.date(2025, 5, 19))
    client.force_login(sat_caseworker)
    response = client.post(
        reverse("ehcp:review-create", args=[child.pk]),
        {
            **date_fields("due_on", dt.date(2026, 5, 19)),
            **date_fields("meeting_on", dt.date(2026, 3, 2)),
            "decision": "",
        },
    )
    review = child.reviews.get()
    assert response.status_code == 302
    assert response.url == reverse("feedback:invitation-create") + f"?review={review.pk}"

    # Changing something else keeps the usual return to the child's page.
    response = client.post(
        reverse("ehcp:review-edit", args=[child.pk, review.pk]),
        {
            **date_fields("due_on", dt.date(2026, 5, 19)),
            **date_fields("meeting_on", dt.date(2026, 3, 2)),
            **date_fields("decision_on", dt.date(2026, 3, 9)),
            "decision": "maintain",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("ehcp:child-detail", args=[child.pk])

    page = client.get(reverse("ehcp:child-detail", args=[child.pk])).content.decode()
    assert "Ask for feedback on this meeting" in page
    assert f"/feedback/invitations/new/?review={review.pk}" in page


def test_a_review_without_a_meeting_stays_on_the_child_page(client, area, sat_caseworker, forms):
    child = ChildFactory(partnership=area.partnership)
    client.force_login(sat_caseworker)
    response = client.post(
        reverse("ehcp:review-create", args=[child.pk]),
        {**date_fields("due_on", dt.date(2026, 5, 19)), "decision": ""},
    )
    assert response.url == reverse("ehcp:child-detail", args=[child.pk])
    assert "Ask for feedback" not in client.get(response.url).content.decode()


# --- Bulk --------------------------------------------------------------------------------------------------------


def test_bulk_creates_handouts_then_nothing_new(client, area, agency_manager, forms):
    for day in (3, 10):
        AnnualReviewFactory(
            child=ChildFactory(partnership=area.partnership, agencies=[area.school]),
            meeting_on=dt.date(2026, 3, day),
        )
    client.force_login(agency_manager)
    data = {
        "agency": area.school.pk,
        **date_fields("meeting_from", dt.date(2026, 3, 1)),
        **date_fields("meeting_to", dt.date(2026, 3, 31)),
    }
    response = client.post(reverse("feedback:invitation-bulk"), data)
    assert response.status_code == 302 and "?batch=" in response.url
    assert FeedbackInvitation.objects.filter(delivery=Delivery.HANDOUT).count() == 4
    page = client.get(response.url)
    assert page.status_code == 200 and len(page.context["rows"]) == 4
    assert page.content.decode().count('class="qaf-handout"') == 4

    again = client.post(reverse("feedback:invitation-bulk"), data)
    assert again.status_code == 302 and again.url == reverse("feedback:invitation-bulk")
    assert FeedbackInvitation.objects.count() == 4
    assert "already has invitations" in client.get(again.url).content.decode()


def test_bulk_date_order_is_checked(client, area, agency_manager, forms):
    client.force_login(agency_manager)
    response = client.post(
        reverse("feedback:invitation-bulk"),
        {
            "agency": area.school.pk,
            **date_fields("meeting_from", dt.date(2026, 3, 31)),
            **date_fields("meeting_to", dt.date(2026, 3, 1)),
        },
    )
    assert response.status_code == 400 and not FeedbackInvitation.objects.exists()


def test_a_batch_is_only_its_creators(client, area, agency_manager, sqa_officer, forms):
    AnnualReviewFactory(
        child=ChildFactory(partnership=area.partnership, agencies=[area.school]),
        meeting_on=dt.date(2026, 3, 3),
    )
    client.force_login(agency_manager)
    response = client.post(
        reverse("feedback:invitation-bulk"),
        {
            "agency": area.school.pk,
            **date_fields("meeting_from", dt.date(2026, 3, 1)),
            **date_fields("meeting_to", dt.date(2026, 3, 31)),
        },
    )
    client.force_login(sqa_officer)
    assert client.get(response.url).status_code == 404


# --- The invitation's page and handouts ------------------------------------------------------------------------


def test_detail_masks_the_contact_and_offers_resend_and_withdraw(client, agency_manager, invitation):
    client.force_login(agency_manager)
    body = client.get(reverse("feedback:invitation-detail", args=[invitation.pk])).content.decode()
    assert "p•••@example.com" in body and "parent@example.com" not in body
    assert "Send again" in body and "Withdraw invitation" in body
    assert reverse("feedback:invitation-resend", args=[invitation.pk]) in body


def test_not_sent_shows_try_again_which_sends(
    client, area, agency_manager, forms, django_capture_on_commit_callbacks
):
    failed = FeedbackInvitationFactory(
        agency=area.school, sent_at=None, send_error="The mail server refused the email address."
    )
    client.force_login(agency_manager)
    body = client.get(reverse("feedback:invitation-detail", args=[failed.pk])).content.decode()
    assert "Not sent" in body and "Try again" in body
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("feedback:invitation-resend", args=[failed.pk]))
    assert response.status_code == 302
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.send_error == ""
    assert len(mail.outbox) == 1


def test_handout_has_a_qr_code_of_the_link_the_short_address_and_the_expiry(
    client, area, agency_manager, forms, settings
):
    settings.SITE_URL = "http://127.0.0.1:8801"
    parent = FeedbackInvitationFactory(
        agency=area.school, delivery=Delivery.HANDOUT, contact="", sent_at=None
    )
    young = FeedbackInvitationFactory(
        agency=area.school,
        delivery=Delivery.HANDOUT,
        contact="",
        sent_at=None,
        audience=Audience.YOUNG_PERSON,
    )
    client.force_login(agency_manager)
    body = client.get(reverse("feedback:invitation-handout", args=[parent.pk])).content.decode()
    assert re.search(r"<svg[^>]*>.*<path", body, re.S)
    assert 'role="img" aria-label="QR code' in body
    # The QR code opens the full link; the address to type is the short one, its code in large type.
    assert selectors.qr_svg(selectors.invitation_link(parent)) in body
    assert selectors.invitation_link(parent).startswith("http://127.0.0.1:8801/f/")
    assert (
        '<span class="qaf-handout__site">127.0.0.1:8801/f/</span>'
        f'<span class="qaf-handout__code">{parent.short_code_display}</span>'
    ) in body
    assert selectors.invitation_link(parent) not in body.replace(
        selectors.qr_svg(selectors.invitation_link(parent)), ""
    )
    assert "Tell us about today&#x27;s meeting" in body or "Tell us about today's meeting" in body
    assert f"{timezone.localtime(parent.expires_at):%-d %B %Y}" in body
    assert area.partnership.name in body
    assert "@media print" in body
    # The staff header and navigation are not printed on a family's handout.
    printed = body.split("@media print", 1)[1].split("</style>", 1)[0]
    assert ".govuk-generic-header, .govuk-service-navigation" in printed

    both = client.get(reverse("feedback:invitation-handouts"), {"ids": f"{parent.pk},{young.pk}"})
    text = both.content.decode()
    assert text.count("<svg") >= 2 and young.short_code_display in text
    assert "Point a phone camera at this square" in text  # the easy-read wording


def test_handouts_leave_out_closed_and_unseen_invitations(client, area, agency_manager, forms):
    open_ = FeedbackInvitationFactory(agency=area.school, delivery=Delivery.HANDOUT, contact="")
    answered = FeedbackInvitationFactory(
        agency=area.school, delivery=Delivery.HANDOUT, contact="", responded_at=timezone.now()
    )
    other = FeedbackInvitationFactory(agency=area.other_school, delivery=Delivery.HANDOUT, contact="")
    client.force_login(agency_manager)
    response = client.get(
        reverse("feedback:invitation-handouts"), {"ids": f"{open_.pk},{answered.pk},{other.pk}"}
    )
    assert [row["invitation"] for row in response.context["rows"]] == [open_]
    assert response.context["left_out"] == 2
    assert client.get(reverse("feedback:invitation-handouts"), {"ids": str(other.pk)}).status_code == 404
    assert client.get(reverse("feedback:invitation-handouts"), {"ids": "1,x"}).status_code == 404


# --- Bad input and query counts -----------------------------------------------------------------------------------

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path, status",
    [
        ("?page=abc", 200),
        (f"?page={HUGE}", 200),
        (f"?agency={HUGE}&form={HUGE}&term={HUGE}", 200),
        ("?agency=abc&form=x&term=-1&status=zzz", 200),
        ("?meeting_from_0=31&meeting_from_1=2&meeting_from_2=2026", 200),
        ("?meeting_from_0=1&meeting_from_1=1&meeting_from_2=0001", 200),
        (f"export.csv?agency={HUGE}", 200),
        (f"new/?review={HUGE}", 404),
        ("new/?review=abc", 404),
        (f"handouts/?ids={HUGE}", 404),
        ("handouts/?ids=-1,,", 404),
        (f"handouts/?batch={HUGE}", 404),
        ("handouts/?batch=abc", 404),
        (f"{HUGE}/", 404),
    ],
)
def test_odd_query_strings_get_a_page_not_a_500(client, agency_manager, invitation, path, status):
    client.force_login(agency_manager)
    assert client.get(f"/feedback/invitations/{path}").status_code == status


def test_bad_dates_in_the_filters_are_shown_as_errors(client, agency_manager, invitation):
    client.force_login(agency_manager)
    response = client.get(
        reverse("feedback:invitation-list"),
        {"meeting_from_0": "31", "meeting_from_1": "2", "meeting_from_2": "2026", "status": "waiting"},
    )
    assert "must be a real date" in response.content.decode()
    # The other filters still apply, and what was typed is kept.
    assert response.context["form"]["meeting_from"].value() == ["31", "2", "2026"]
    assert [row["invitation"] for row in response.context["rows"]] == [invitation]


def test_csv_query_count_is_the_same_for_3_and_30(
    client, area, sqa_officer, forms, django_assert_max_num_queries
):
    client.force_login(sqa_officer)
    url = reverse("feedback:invitation-list-csv")
    for _ in range(3):
        FeedbackInvitationFactory(agency=area.school)
    client.get(url)  # warm the session
    with django_assert_max_num_queries(10) as small:
        assert len(b"".join(client.get(url).streaming_content).splitlines()) == 4
    for _ in range(27):
        FeedbackInvitationFactory(agency=area.other_school, audience=Audience.PROFESSIONAL)
    with django_assert_max_num_queries(10) as large:
        assert len(b"".join(client.get(url).streaming_content).splitlines()) == 31
    assert len(small.captured_queries) == len(large.captured_queries)


def test_handouts_query_count_is_the_same_for_3_and_30(
    client, area, agency_manager, forms, django_assert_max_num_queries
):
    client.force_login(agency_manager)

    def make(n: int) -> str:
        rows = [
            FeedbackInvitationFactory(agency=area.school, delivery=Delivery.HANDOUT, contact="", sent_at=None)
            for _ in range(n)
        ]
        return ",".join(str(row.pk) for row in rows)

    url = reverse("feedback:invitation-handouts")
    few = make(3)
    client.get(url, {"ids": few})
    with django_assert_max_num_queries(12) as small:
        assert len(client.get(url, {"ids": few}).context["rows"]) == 3
    many = make(30)
    with django_assert_max_num_queries(12) as large:
        assert len(client.get(url, {"ids": many}).context["rows"]) == 30
    assert len(small.captured_queries) == len(large.captured_queries)
