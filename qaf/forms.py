"""Forms of the partnership core."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache

# After this many failed sign-ins for one username, further attempts are refused for the window.
SIGN_IN_MAX_FAILURES = 10
SIGN_IN_WINDOW_SECONDS = 15 * 60


def _failures_key(username: str) -> str:
    return f"sign-in-failures:{username.strip().lower()}"


class SignInForm(AuthenticationForm):
    """Django's sign-in form with the service's wording and a throttle on repeated failures per username
    (counted in the cache: set CACHE_URL so that every web process shares the count)."""

    error_messages = {
        "invalid_login": "Enter a correct username and password. Both are case-sensitive.",
        "inactive": "This account has been switched off. Ask your partnership admin.",
        "throttled": "There have been too many attempts to sign in as this user. Wait 15 minutes and try again.",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        key = _failures_key(username)
        if username and cache.get(key, 0) >= SIGN_IN_MAX_FAILURES:
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                cache.add(key, 0, SIGN_IN_WINDOW_SECONDS)
                try:
                    cache.incr(key)
                except ValueError:  # expired between add and incr
                    cache.set(key, 1, SIGN_IN_WINDOW_SECONDS)
            raise
        cache.delete(key)
        return cleaned
