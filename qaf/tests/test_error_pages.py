"""Error pages people can meet without doing anything wrong."""

from __future__ import annotations

from django.test import Client

from feedback.models import FeedbackResponse
from feedback.tests.factories import default_form


def test_a_form_sent_without_its_security_check_gets_a_plain_page_and_stores_nothing(area):
    default_form(area.partnership)  # seeds the general form too
    client = Client(enforce_csrf_checks=True)
    page = client.post(f"/f/general/{area.partnership.slug}/", {"tell_us": "Hello"})
    assert page.status_code == 403
    text = page.content.decode()
    assert "Your answers could not be sent" in text
    assert "cookies" in text
    assert "CSRF" not in text
    assert not FeedbackResponse.objects.exists()
