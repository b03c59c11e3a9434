"""Sign in, sign out and password reset."""

from __future__ import annotations

import re

from django.core import mail
from django.urls import reverse


def test_sign_in_and_out(client, sqa_officer):
    response = client.post(reverse("login"), {"username": "sqa", "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_shows_an_error(client, sqa_officer):
    response = client.post(reverse("login"), {"username": "sqa", "password": "nope"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "govuk-error-summary" in body
    assert "Enter a correct username and password" in body
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client, sqa_officer):
    response = client.post(reverse("password_reset"), {"email": sqa_officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    sqa_officer.refresh_from_db()
    assert sqa_officer.check_password("a-new-long-passphrase")


def test_password_reset_does_not_reveal_unknown_addresses(client, db):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_repeated_failures_lock_the_username_for_a_while(client, sqa_officer):
    from django.core.cache import cache

    from qaf.forms import SIGN_IN_MAX_FAILURES

    cache.clear()
    for _ in range(SIGN_IN_MAX_FAILURES):
        client.post(reverse("login"), {"username": "sqa", "password": "wrong"})
    # Even the right password is refused while the lock lasts.
    response = client.post(reverse("login"), {"username": "sqa", "password": "correct-horse-battery"})
    assert response.status_code == 200
    assert "too many attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session
    cache.clear()
    response = client.post(reverse("login"), {"username": "sqa", "password": "correct-horse-battery"})
    assert response.status_code == 302


def test_a_successful_sign_in_resets_the_failure_count(client, sqa_officer):
    from django.core.cache import cache

    from qaf.forms import SIGN_IN_MAX_FAILURES

    cache.clear()
    for _ in range(SIGN_IN_MAX_FAILURES - 1):
        client.post(reverse("login"), {"username": "sqa", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "sqa", "password": "correct-horse-battery"}).status_code
        == 302
    )
    client.logout()
    client.post(reverse("login"), {"username": "sqa", "password": "wrong"})
    assert (
        client.post(reverse("login"), {"username": "sqa", "password": "correct-horse-battery"}).status_code
        == 302
    )
