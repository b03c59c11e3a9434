"""Template context every page needs: the service name, the user's partnership and navigation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from qaf import navigation


def service(request: HttpRequest) -> dict:
    user = getattr(request, "user", None)
    partnership = getattr(user, "partnership", None) if user and user.is_authenticated else None
    nav = navigation.navigation_for(request) if partnership else navigation.Navigation()
    return {
        "service_name": settings.QAF_SERVICE_NAME,
        "partnership": partnership,
        "navigation": nav.header,
        "section_navigation": nav.section,
        "section_label": nav.section_label,
    }
