"""API sign-in: tokens from username and password, token and session authentication, refusals."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from ehcp.tests.factories import ChildFactory

TOKEN = "/api/v1/auth/token/"
PASSWORD = "correct-horse-battery"  # qaf.tests.factories.UserFactory's password
API_LISTS = [
    "/api/v1/agencies/",
    "/api/v1/children/",
    "/api/v1/plans/",
    "/api/v1/reviews/",
    "/api/v1/assessments/",
]


@pytest.fixture(autouse=True)
def _fresh_throttle():
    # The token endpoint's throttle counts in the cache; start every test from zero.
    cache.clear()
    yield
    cache.clear()


def test_token_for_good_credentials(api, sqa_officer):
    response = api.post(TOKEN, {"username": "sqa", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=sqa_officer).key}


def test_token_is_stable_across_calls_and_accepts_form_posts(api, sqa_officer):
    first = api.post(TOKEN, {"username": "sqa", "password": PASSWORD}, format="json").json()["token"]
    second = api.post(TOKEN, {"username": "sqa", "password": PASSWORD}).json()["token"]

    assert first == second
    assert Token.objects.filter(user=sqa_officer).count() == 1


def test_wrong_password_is_400_with_a_clear_message_and_no_token(api, sqa_officer):
    response = api.post(TOKEN, {"username": "sqa", "password": "wrong-password"}, format="json")

    assert response.status_code == 400
    assert response.json() == {"non_field_errors": ["Unable to log in with provided credentials."]}
    assert not Token.objects.exists()


def test_missing_fields_are_400_naming_them(api):
    response = api.post(TOKEN, {"username": "sqa"}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["password"]


def test_inactive_user_gets_no_token(api, sqa_officer):
    sqa_officer.is_active = False
    sqa_officer.save(update_fields=["is_active"])

    response = api.post(TOKEN, {"username": "sqa", "password": PASSWORD}, format="json")

    assert response.status_code == 400
    assert not Token.objects.exists()


def test_token_authenticates_api_calls_with_the_users_scope(api, area, other_area, agency_manager):
    ChildFactory(partnership=area.partnership, case_reference="MINE", agencies=[area.school])
    ChildFactory(partnership=area.partnership, case_reference="NOT-MINE", agencies=[area.other_school])
    key = api.post(TOKEN, {"username": "edu.manager", "password": PASSWORD}, format="json").json()["token"]

    caller = APIClient()
    response = caller.get("/api/v1/children/", HTTP_AUTHORIZATION=f"Token {key}")

    assert response.status_code == 200
    assert [row["case_reference"] for row in response.json()["results"]] == ["MINE"]


def test_unknown_token_is_refused(api, sqa_officer):
    response = api.get("/api/v1/children/", HTTP_AUTHORIZATION="Token " + "0" * 40)

    # 403 rather than 401: session authentication comes first and sends no WWW-Authenticate challenge.
    assert response.status_code in (401, 403)
    assert response.json() == {"detail": "Invalid token."}


@pytest.mark.parametrize("url", API_LISTS)
def test_unauthenticated_calls_are_refused(api, url):
    response = api.get(url)

    assert response.status_code in (401, 403)
    assert "results" not in response.json()


@pytest.mark.parametrize("url", API_LISTS)
def test_session_sign_in_works_too(api, sqa_officer, url):
    api.force_login(sqa_officer)

    assert api.get(url).status_code == 200


def test_token_endpoint_slows_repeated_guessing(api, sqa_officer):
    statuses = [
        api.post(TOKEN, {"username": "sqa", "password": f"guess-{i}"}, format="json").status_code
        for i in range(25)
    ]

    assert statuses[:20] == [400] * 20
    assert statuses[-1] == 429


def test_token_endpoint_needs_no_csrf_token_even_with_a_session(sqa_officer):
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(sqa_officer)

    response = browser.post(TOKEN, {"username": "sqa", "password": PASSWORD}, format="json")

    assert response.status_code == 200
    assert response.json()["token"] == Token.objects.get(user=sqa_officer).key
