"""Invitations: creating them (one meeting, or handouts for every review in a range), sending once, the one
reminder, failures kept and sent again, contacts erased, text messages through Notify, the children pages' hook."""

from __future__ import annotations

import datetime as dt
import smtplib
import threading

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone

from ehcp.tests.factories import AnnualReviewFactory, ChildFactory
from feedback import tasks
from feedback.models import (
    Audience,
    Delivery,
    FeedbackFormDefault,
    FeedbackInvitation,
    FormVersionStatus,
    MeetingKind,
)
from feedback.selectors import invitations as selectors
from feedback.services import invitations as services
from feedback.services.forms import feedback_forms_seed_defaults
from feedback.tests.factories import MEETING_ON, FeedbackInvitationFactory, invited
from qaf import hooks, notify
from qaf.services import academic_year_create_default
from qaf.tasks import MAX_RETRIES
from qaf.tests.fake_notify import answer, fake_notify

pytestmark = pytest.mark.django_db

R = services.Recipient


@pytest.fixture
def forms(area):
    feedback_forms_seed_defaults(partnership=area.partnership)


@pytest.fixture
def texts(monkeypatch):
    """Text messages "sent" (qaf.notify.sms_send replaced)."""
    sent: list[dict] = []

    def fake_sms_send(*, phone_number, body, reference=""):
        sent.append({"to": phone_number, "body": body, "reference": reference})
        return {}

    monkeypatch.setattr(notify, "sms_send", fake_sms_send)
    return sent


# --- Creating -----------------------------------------------------------------------------------------------------


def test_create_sends_email_and_text_once_committed_and_keeps_handouts_for_printing(
    area, agency_manager, forms, texts, django_capture_on_commit_callbacks
):
    academic_year_create_default(partnership=area.partnership, start_year=2025)
    child = ChildFactory(partnership=area.partnership, agencies=[area.school])
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        created = invited(
            agency_manager,
            area.school,
            [
                R(Audience.PARENT_CARER, Delivery.EMAIL, " parent@example.com "),
                R(Audience.YOUNG_PERSON, Delivery.SMS, "07700 900123"),
                R(Audience.PROFESSIONAL, Delivery.HANDOUT, "ignored@example.com"),
            ],
            child=child,
        )
        assert not mail.outbox and not texts  # nothing leaves before the commit
    assert len(callbacks) == 2

    stored = {i.audience: i for i in FeedbackInvitation.objects.all()}
    assert len(created) == 3 and len(stored) == 3
    parent, young, professional = (
        stored[Audience.PARENT_CARER],
        stored[Audience.YOUNG_PERSON],
        stored[Audience.PROFESSIONAL],
    )
    assert parent.contact == "parent@example.com"
    assert young.contact == "+447700900123"
    assert professional.contact == "" and professional.sent_at is None
    assert parent.sent_at is not None and young.sent_at is not None
    for invitation in stored.values():
        assert invitation.version.status == FormVersionStatus.APPROVED
        assert invitation.version.form.audience == invitation.audience
        assert invitation.term.name == "spring" and invitation.term.academic_year.start_year == 2025
        assert invitation.child == child and invitation.created_by == agency_manager
        assert dt.timedelta(days=30) <= invitation.expires_at - before < dt.timedelta(days=30, minutes=1)

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["parent@example.com"]
    link = selectors.invitation_link(parent)
    assert link.startswith("http://") and "/f/" in link
    assert area.partnership.name in email.subject
    for text in (area.partnership.name, "annual review meeting on 2 March 2026", link, "two minutes"):
        assert text in email.body
    assert f"{timezone.localtime(parent.expires_at):%-d %B %Y}" in email.body
    assert child.case_reference not in email.body + email.subject

    assert len(texts) == 1
    assert texts[0]["to"] == "+447700900123"
    # A text message carries the short address, which keeps it short and can be typed into another device.
    assert selectors.invitation_short_link(young) in texts[0]["body"]
    assert selectors.invitation_link(young) not in texts[0]["body"]
    assert "2 minutes" in texts[0]["body"] and child.case_reference not in texts[0]["body"]
    assert len({i.short_code for i in stored.values()}) == 3


def test_term_is_the_last_one_started_before_the_meeting(area, agency_manager, forms):
    academic_year_create_default(partnership=area.partnership, start_year=2025)
    (invitation,) = invited(
        agency_manager,
        area.school,
        [R(Audience.PARENT_CARER, Delivery.HANDOUT)],
        meeting_on=dt.date(2027, 1, 5),
    )
    assert invitation.term.name == "summer"  # 2025/26's last term; no 2026/27 year exists


@pytest.mark.parametrize(
    "given",
    [
        "07700 900123",
        "07700-900-123",
        "+44 7700 900123",
        "+44 (0)7700 900123",
        "0044 7700 900123",
        "447700900123",
    ],
)
def test_uk_mobile_numbers_are_normalised(given):
    assert services.contact_clean(delivery=Delivery.SMS, contact=given) == "+447700900123"


@pytest.mark.parametrize(
    "delivery, contact, message",
    [
        (Delivery.EMAIL, "", "Enter an email address"),
        (Delivery.EMAIL, "parent@", "correct format"),
        (Delivery.EMAIL, "07700900123", "correct format"),
        (Delivery.SMS, "", "Enter a mobile phone number"),
        (Delivery.SMS, "01632 960123", "UK mobile"),
        (Delivery.SMS, "0770090012", "UK mobile"),
        (Delivery.SMS, "+1 555 0100 123", "UK mobile"),
        (Delivery.SMS, "parent@example.com", "UK mobile"),
        ("post", "1 High Street", "Choose how"),
    ],
)
def test_bad_contacts_are_refused_and_nothing_is_written(
    area, agency_manager, forms, delivery, contact, message
):
    with pytest.raises(ValidationError) as error:
        invited(
            agency_manager,
            area.school,
            [R(Audience.PARENT_CARER, Delivery.HANDOUT), R(Audience.PROFESSIONAL, delivery, contact)],
        )
    problems = error.value.message_dict["recipients"]
    assert len(problems) == 1 and problems[0].startswith("Person 2:") and message in problems[0]
    assert not FeedbackInvitation.objects.exists()


def test_a_handout_needs_no_contact(area, agency_manager, forms):
    (invitation,) = invited(agency_manager, area.school, [R(Audience.YOUNG_PERSON, Delivery.HANDOUT)])
    assert invitation.delivery == Delivery.HANDOUT and invitation.contact == ""


@pytest.mark.parametrize(
    "persona", ["other_agency_manager", "board_member", "outsider_sqa", "partnership_admin"]
)
def test_only_staff_of_the_agency_or_sqa_may_invite(request, area, forms, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        invited(user, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])
    assert not FeedbackInvitation.objects.exists()


@pytest.mark.parametrize("persona", ["agency_manager", "practitioner", "sqa_officer"])
def test_staff_of_the_agency_and_sqa_may_invite(request, area, forms, persona):
    user = request.getfixturevalue(persona)
    assert len(invited(user, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])) == 1


def test_no_default_form_for_an_audience_is_a_clear_error_naming_what_to_set_up(area, agency_manager, forms):
    FeedbackFormDefault.objects.filter(
        partnership=area.partnership, audience=Audience.PROFESSIONAL, meeting_kind=MeetingKind.PLANNING
    ).delete()
    with pytest.raises(ValidationError) as error:
        invited(
            agency_manager,
            area.school,
            [R(Audience.PARENT_CARER, Delivery.HANDOUT), R(Audience.PROFESSIONAL, Delivery.HANDOUT)],
            meeting_kind=MeetingKind.PLANNING,
        )
    assert error.value.message_dict["recipients"] == [
        "There is no default feedback form for professionals after an EHC planning meeting. Choose a form for "
        "them, or ask an SQA officer to set a default on the feedback forms page."
    ]
    assert not FeedbackInvitation.objects.exists()
    # After an annual review the professionals still have their default.
    assert len(invited(agency_manager, area.school, [R(Audience.PROFESSIONAL, Delivery.HANDOUT)])) == 1


def test_no_form_at_all_before_the_defaults_are_seeded(area, agency_manager):
    with pytest.raises(
        ValidationError, match="no default feedback form for parents and carers after an annual"
    ):
        invited(agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)])


@pytest.mark.parametrize("valid_days", [0, 91, True])
def test_validity_is_one_to_ninety_days(area, agency_manager, forms, valid_days):
    with pytest.raises(ValidationError) as error:
        invited(
            agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)], valid_days=valid_days
        )
    assert "valid_days" in error.value.message_dict


def test_meeting_kind_audience_and_recipients_are_checked(area, agency_manager, forms):
    with pytest.raises(ValidationError) as error:
        invited(agency_manager, area.school, [], meeting_kind="party")
    assert set(error.value.message_dict) == {"meeting_kind", "recipients"}
    with pytest.raises(ValidationError, match="Person 1: choose who they are"):
        invited(agency_manager, area.school, [R(Audience.PUBLIC, Delivery.HANDOUT)])


def test_child_and_review_must_be_of_the_partnership_and_agree(area, other_area, sqa_officer, forms):
    elsewhere = ChildFactory(partnership=other_area.partnership)
    child = ChildFactory(partnership=area.partnership)
    other_child = ChildFactory(partnership=area.partnership)
    review = AnnualReviewFactory(child=child, meeting_on=MEETING_ON)
    handout = [R(Audience.PARENT_CARER, Delivery.HANDOUT)]
    with pytest.raises(ValidationError) as error:
        invited(sqa_officer, area.school, handout, child=elsewhere)
    assert "child" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        invited(sqa_officer, area.school, handout, review=AnnualReviewFactory(child=elsewhere))
    assert "review" in error.value.message_dict
    with pytest.raises(ValidationError, match="not this child's"):
        invited(sqa_officer, area.school, handout, child=other_child, review=review)
    assert not FeedbackInvitation.objects.exists()

    (invitation,) = invited(sqa_officer, area.school, handout, review=review)
    assert invitation.child == child and invitation.review == review


def test_a_child_the_user_cannot_see_is_refused(area, agency_manager, forms):
    unseen = ChildFactory(partnership=area.partnership, agencies=[area.other_school])
    with pytest.raises(ValidationError) as error:
        invited(agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.HANDOUT)], child=unseen)
    assert "child" in error.value.message_dict


# --- Sending ------------------------------------------------------------------------------------------------------


def _email_invitation(area, **kwargs):
    return FeedbackInvitationFactory(agency=area.school, sent_at=None, **kwargs)


def test_the_task_sends_once_even_when_delivered_twice(area, forms):
    invitation = _email_invitation(area)
    assert tasks.invitation_send.delay(invitation.pk).get() is True
    assert tasks.invitation_send.delay(invitation.pk).get() is False
    assert len(mail.outbox) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_error == ""


@pytest.mark.parametrize("state", ["responded_at", "withdrawn_at"])
def test_nothing_is_sent_for_an_answered_or_withdrawn_invitation(area, forms, state):
    invitation = _email_invitation(area, **{state: timezone.now()})
    assert tasks.invitation_send.delay(invitation.pk).get() is False
    assert not mail.outbox


def test_a_refused_address_is_kept_as_not_sent_and_can_be_sent_again(
    area, agency_manager, forms, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(self, fail_silently=False):
        raise smtplib.SMTPRecipientsRefused({"parent@example.com": (550, b"No such user")})

    monkeypatch.setattr("django.core.mail.EmailMessage.send", refused)
    with django_capture_on_commit_callbacks(execute=True):
        (invitation,) = invited(
            agency_manager, area.school, [R(Audience.PARENT_CARER, Delivery.EMAIL, "p@example.com")]
        )
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.send_error == "The mail server refused the email address."
    assert "example.com" not in invitation.send_error
    assert invitation.status() == "failed"
    assert list(FeedbackInvitation.objects.filter(selectors.status_q("failed", timezone.now()))) == [
        invitation
    ]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.invitation_resend(by=agency_manager, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.send_error == "" and invitation.status() == "waiting"
    assert [m.to for m in mail.outbox] == [["p@example.com"]]


def _mail_down(monkeypatch) -> list:
    attempts: list = []

    def down(self, fail_silently=False):
        attempts.append(1)
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
    return attempts


def test_mail_down_in_process_is_kept_as_not_sent_at_once(area, forms, monkeypatch):
    attempts = _mail_down(monkeypatch)
    invitation = _email_invitation(area)
    assert tasks.invitation_send.delay(invitation.pk).get() is False
    assert len(attempts) == 1
    invitation.refresh_from_db()
    assert invitation.sent_at is None and invitation.status() == "failed"
    assert invitation.send_error.startswith("Could not be sent after several tries")


class _Retry(Exception):
    pass


@pytest.mark.parametrize("retries", [0, 3])
def test_a_worker_retries_mail_errors_with_backoff(area, forms, monkeypatch, retries):
    _mail_down(monkeypatch)
    asked = []

    def retry(exc=None, countdown=None, **kwargs):
        asked.append(countdown)
        return _Retry()

    monkeypatch.setattr(tasks.invitation_send, "retry", retry)
    invitation = _email_invitation(area)
    tasks.invitation_send.push_request(retries=retries, is_eager=False)
    try:
        with pytest.raises(_Retry):
            tasks.invitation_send.run(invitation.pk)
    finally:
        tasks.invitation_send.pop_request()
    assert asked == [30 * 2**retries]
    invitation.refresh_from_db()
    assert invitation.send_error == "" and invitation.sent_at is None


def test_a_worker_keeps_the_invitation_as_not_sent_when_retries_run_out(area, forms, monkeypatch):
    _mail_down(monkeypatch)
    invitation = _email_invitation(area)
    tasks.invitation_send.push_request(retries=MAX_RETRIES, is_eager=False)
    try:
        assert tasks.invitation_send.run(invitation.pk) is False
    finally:
        tasks.invitation_send.pop_request()
    invitation.refresh_from_db()
    assert invitation.status() == "failed" and invitation.send_error.startswith("Could not be sent")


def test_resend_and_withdraw_rules(area, agency_manager, other_agency_manager, forms):
    handout = FeedbackInvitationFactory(
        agency=area.school, delivery=Delivery.HANDOUT, contact="", sent_at=None
    )
    with pytest.raises(ValidationError, match="print it again"):
        services.invitation_resend(by=agency_manager, invitation=handout)
    answered = _email_invitation(area, responded_at=timezone.now())
    with pytest.raises(ValidationError, match="answered"):
        services.invitation_resend(by=agency_manager, invitation=answered)
    with pytest.raises(ValidationError, match="answered"):
        services.invitation_withdraw(by=agency_manager, invitation=answered)
    waiting = _email_invitation(area)
    with pytest.raises(PermissionDenied):
        services.invitation_withdraw(by=other_agency_manager, invitation=waiting)
    with pytest.raises(PermissionDenied):
        services.invitation_resend(by=other_agency_manager, invitation=waiting)

    services.invitation_withdraw(by=agency_manager, invitation=waiting)
    waiting.refresh_from_db()
    assert waiting.withdrawn_at is not None and waiting.contact == "" and waiting.status() == "withdrawn"
    with pytest.raises(ValidationError, match="withdrawn"):
        services.invitation_resend(by=agency_manager, invitation=waiting)


# --- Text messages through GOV.UK Notify ------------------------------------------------------------------------

SERVICE_ID = "26785a09-ab16-4eb0-8407-a37497a57506"
SECRET = "3d844edf-8d35-48ac-975b-e847b4f122b0"
SMS_TEMPLATE = "0b8b5e6a-6a4f-4d39-9f41-3e1f0e3c1a7e"


@pytest.fixture
def notify_configured(settings):
    settings.NOTIFY_API_KEY = f"qaf_test-{SERVICE_ID}-{SECRET}"
    settings.NOTIFY_SMS_TEMPLATE_ID = SMS_TEMPLATE


def test_a_text_goes_to_notify_with_the_sms_template(area, forms, notify_configured, monkeypatch):
    posted = fake_notify(monkeypatch, answer(201, b'{"id": "n1"}')).sent
    invitation = _email_invitation(area, delivery=Delivery.SMS, contact="+447700900123")

    assert services.invitation_send(invitation_id=invitation.pk) is True

    (request,) = posted
    assert request.url == "https://api.notifications.service.gov.uk/v2/notifications/sms"
    assert request.headers["Authorization"].startswith("Bearer ")
    body = request.json()
    assert body["phone_number"] == "+447700900123" and body["template_id"] == SMS_TEMPLATE
    assert selectors.invitation_short_link(invitation) in body["personalisation"]["body"]
    assert body["reference"] == f"invitation-{invitation.pk}"


def test_notify_refusing_a_number_is_recorded_not_retried(area, forms, notify_configured, monkeypatch):
    detail = b'{"errors": [{"error": "ValidationError", "message": "Not a UK mobile number"}]}'
    calls = fake_notify(monkeypatch, answer(400, detail)).sent
    invitation = _email_invitation(area, delivery=Delivery.SMS, contact="+447700900123")
    assert tasks.invitation_send.delay(invitation.pk).get() is False
    assert len(calls) == 1
    invitation.refresh_from_db()
    assert invitation.status() == "failed" and "status 400" in invitation.send_error


def test_without_notify_a_text_is_written_to_the_log(area, forms, settings, caplog):
    settings.NOTIFY_SMS_TEMPLATE_ID = ""
    invitation = _email_invitation(area, delivery=Delivery.SMS, contact="+447700900123")
    with caplog.at_level("INFO", logger="qaf.sms"):
        assert services.invitation_send(invitation_id=invitation.pk) is True
    assert selectors.invitation_short_link(invitation) in caplog.text


# --- The reminder and erasing contacts ---------------------------------------------------------------------------

START = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def _sent_at_start(area, **kwargs) -> FeedbackInvitation:
    values = {"created_at": START, "sent_at": START, "expires_at": START + dt.timedelta(days=30)}
    return FeedbackInvitationFactory(agency=area.school, **{**values, **kwargs})


def test_one_reminder_seven_days_after_sending_and_never_again(area, forms):
    invitation = _sent_at_start(area)
    with time_machine.travel(START + dt.timedelta(days=6, hours=23), tick=False):
        assert tasks.invitations_remind.delay().get()["reminded"] == 0
    assert not mail.outbox
    with time_machine.travel(START + dt.timedelta(days=7, minutes=1), tick=False):
        assert tasks.invitations_remind.delay().get()["reminded"] == 1
        assert tasks.invitations_remind.delay().get()["reminded"] == 0
    with time_machine.travel(START + dt.timedelta(days=8), tick=False):
        assert tasks.invitations_remind.delay().get()["reminded"] == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject.startswith("Reminder:")
    assert selectors.invitation_link(invitation) in mail.outbox[0].body
    invitation.refresh_from_db()
    assert invitation.reminded_at == START + dt.timedelta(days=7, minutes=1)


def test_no_reminder_to_answered_withdrawn_expired_unsent_or_handout(area, forms):
    answered = _sent_at_start(area, responded_at=START + dt.timedelta(days=1))
    withdrawn = _sent_at_start(area, withdrawn_at=START + dt.timedelta(days=1))
    expired = _sent_at_start(area, expires_at=START + dt.timedelta(days=5))
    unsent = _sent_at_start(area, sent_at=None, send_error="The mail server refused the email address.")
    handout = _sent_at_start(area, delivery=Delivery.HANDOUT, contact="")
    with time_machine.travel(START + dt.timedelta(days=7, minutes=1), tick=False):
        result = services.invitations_remind()
    assert result["reminded"] == 0 and not mail.outbox
    for invitation in (answered, withdrawn, expired, unsent, handout):
        invitation.refresh_from_db()
        assert invitation.reminded_at is None


def test_contact_is_erased_on_expiry_by_the_daily_job(area, forms):
    expiring = _sent_at_start(area, expires_at=START + dt.timedelta(days=5))
    open_ = _sent_at_start(area)
    with time_machine.travel(START + dt.timedelta(days=4), tick=False):
        assert services.invitations_remind()["erased"] == 0
    with time_machine.travel(START + dt.timedelta(days=5, seconds=1), tick=False):
        assert services.invitations_remind()["erased"] == 1
    expiring.refresh_from_db()
    open_.refresh_from_db()
    assert expiring.contact == "" and open_.contact == "parent@example.com"


def test_a_reminder_failing_for_now_is_tried_again_next_run(area, forms, monkeypatch):
    invitation = _sent_at_start(area)

    def down(self, fail_silently=False):
        raise TimeoutError("mail server slow")

    with time_machine.travel(START + dt.timedelta(days=7, minutes=1), tick=False):
        monkeypatch.setattr("django.core.mail.EmailMessage.send", down)
        assert services.invitations_remind() == {"reminded": 0, "failed": 1, "erased": 0}
        invitation.refresh_from_db()
        assert invitation.reminded_at is None
        monkeypatch.undo()
        assert services.invitations_remind()["reminded"] == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_a_reminder_locked_by_another_worker_is_skipped(area):
    feedback_forms_seed_defaults(partnership=area.partnership)
    invitation = _sent_at_start(area)
    locked, release = threading.Event(), threading.Event()

    def other_worker():
        from django.db import connections

        try:
            with transaction.atomic():
                FeedbackInvitation.objects.select_for_update().get(pk=invitation.pk)
                locked.set()
                release.wait(10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_worker)
    thread.start()
    try:
        assert locked.wait(10)
        with time_machine.travel(START + dt.timedelta(days=7, minutes=1), tick=False):
            assert services.invitation_remind(invitation_id=invitation.pk) is False
    finally:
        release.set()
        thread.join()
    assert not mail.outbox
    assert connection.vendor == "postgresql"


# --- Bulk handouts for annual reviews -----------------------------------------------------------------------------


def test_bulk_creates_handouts_for_each_uninvited_review_once(area, agency_manager, forms):
    child = ChildFactory(partnership=area.partnership, agencies=[area.school])
    in_range = AnnualReviewFactory(child=child, meeting_on=dt.date(2026, 3, 3))
    second = AnnualReviewFactory(
        child=ChildFactory(partnership=area.partnership, agencies=[area.school]),
        meeting_on=dt.date(2026, 3, 20),
    )
    AnnualReviewFactory(child=child, meeting_on=dt.date(2026, 4, 20))  # after the range
    AnnualReviewFactory(child=child, meeting_on=None)  # no meeting yet
    unseen = ChildFactory(partnership=area.partnership, agencies=[area.other_school])
    AnnualReviewFactory(child=unseen, meeting_on=dt.date(2026, 3, 10))  # not the school's
    invited = AnnualReviewFactory(child=child, meeting_on=dt.date(2026, 3, 5))
    FeedbackInvitationFactory(agency=area.school, review=invited, child=child)

    def run():
        return services.invitations_create_for_reviews(
            by=agency_manager,
            agency=area.school,
            meeting_from=dt.date(2026, 3, 1),
            meeting_to=dt.date(2026, 3, 31),
        )

    created = run()
    assert len(created) == 4
    assert {(i.review_id, i.audience) for i in created} == {
        (review.pk, audience)
        for review in (in_range, second)
        for audience in (Audience.PARENT_CARER, Audience.YOUNG_PERSON)
    }
    assert {i.delivery for i in created} == {Delivery.HANDOUT}
    assert {i.meeting_kind for i in created} == {MeetingKind.ANNUAL_REVIEW}
    assert len({i.created_at for i in created}) == 1
    stored = FeedbackInvitation.objects.get(review=in_range, audience=Audience.PARENT_CARER)
    assert stored.child == child and stored.meeting_on == dt.date(2026, 3, 3) and stored.contact == ""

    assert run() == []
    assert FeedbackInvitation.objects.count() == 5


def test_bulk_for_a_statutory_assessment_team_covers_every_visible_review(area, sat_caseworker, forms):
    for agency in (area.school, area.other_school):
        AnnualReviewFactory(
            child=ChildFactory(partnership=area.partnership, agencies=[agency]),
            meeting_on=dt.date(2026, 3, 3),
        )
    created = services.invitations_create_for_reviews(
        by=sat_caseworker, agency=area.sat, meeting_from=dt.date(2026, 3, 1), meeting_to=dt.date(2026, 3, 31)
    )
    assert len(created) == 4


def test_bulk_checks_access_and_dates(area, other_agency_manager, agency_manager, forms):
    with pytest.raises(PermissionDenied):
        services.invitations_create_for_reviews(
            by=other_agency_manager, agency=area.school, meeting_from=MEETING_ON, meeting_to=MEETING_ON
        )
    with pytest.raises(ValidationError):
        services.invitations_create_for_reviews(
            by=agency_manager,
            agency=area.school,
            meeting_from=MEETING_ON,
            meeting_to=MEETING_ON - dt.timedelta(days=1),
        )


# --- Masking, QR codes and the children pages' hook -----------------------------------------------------------


@pytest.mark.parametrize(
    "contact, shown",
    [("parent@example.com", "p•••@example.com"), ("+447700900123", "07•••••123"), ("", "")],
)
def test_contacts_are_masked(contact, shown):
    assert selectors.mask_contact(contact) == shown


def test_qr_code_is_an_inline_svg(area, forms):
    invitation = FeedbackInvitationFactory(agency=area.school)
    svg = selectors.qr_svg(selectors.invitation_link(invitation))
    assert svg.startswith("<svg") and "<path" in svg and "<?xml" not in svg


def test_hook_offers_feedback_after_a_review_meeting_to_those_who_may_invite(
    area, sat_caseworker, board_member
):
    child = ChildFactory(partnership=area.partnership)
    held = AnnualReviewFactory(child=child, meeting_on=MEETING_ON)
    not_yet = AnnualReviewFactory(child=child, meeting_on=None)
    assert hooks.meeting_followup_links(sat_caseworker, child, held) == [
        ("Ask for feedback on this meeting", f"/feedback/invitations/new/?review={held.pk}")
    ]
    assert hooks.meeting_followup_links(sat_caseworker, child, not_yet) == []
    assert hooks.meeting_followup_links(sat_caseworker, child) == []
    assert hooks.meeting_followup_links(board_member, child, held) == []
