"""Who sees and changes which child: the table the child pages and the children, assessments, plans and reviews
API resources are all tested against, so that none of them can drift from the others.

The children are one involved with `area.school` ("school"), one with `area.other_school` ("other_school") and one
of `other_area` ("elsewhere").
"""

from __future__ import annotations

from qaf.models import User

WHICH = ["school", "other_school", "elsewhere"]

# persona -> the children it may see
VISIBLE = {
    "sqa_officer": {"school", "other_school"},
    "sat_caseworker": {"school", "other_school"},
    "agency_manager": {"school"},
    "practitioner": {"school"},
    "other_agency_manager": {"other_school"},
    "board_member": set(),
    "partnership_admin": set(),
    "outsider_sqa": {"elsewhere"},
}

# The personas who may change the children they see.
CAN_CHANGE = {"sqa_officer", "sat_caseworker", "outsider_sqa"}


def signed_in(api, request, persona: str) -> User:
    """Signs the API client in as the persona fixture named `persona` and returns that user."""
    user = request.getfixturevalue(persona)
    api.force_login(user)
    return user
