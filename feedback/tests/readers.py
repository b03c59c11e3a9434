"""Who may read which of the voice's records: the tables that a record's pages and its API resource are both tested
against, so that the two cannot drift apart.
"""

from __future__ import annotations

# A record of `area.school` and one of `area.other_school` (invitations, responses, complaints):
# (persona, status of the list, sees the school's record, sees the other school's record).
AGENCY_RECORD_READERS = [
    ("sqa_officer", 200, True, True),
    ("agency_manager", 200, True, False),
    ("practitioner", 200, True, False),
    ("other_agency_manager", 200, False, True),
    ("board_member", 403, False, False),
    ("outsider_sqa", 200, False, False),
]

# A draft and a submitted advocacy return of the partnership's advocacy service:
# (persona, status of the list, sees the draft, sees the submitted return, may change the draft).
ADVOCACY_RETURN_READERS = [
    ("sqa_officer", 200, True, True, True),
    ("advocacy_manager", 200, True, True, True),
    ("advocacy_worker", 200, True, True, False),
    ("board_member", 200, False, True, False),
    ("agency_manager", 403, False, False, False),
    ("practitioner", 403, False, False, False),
    ("outsider_sqa", 200, False, False, False),
]


def assert_list_shows(page, key: str, own, other, sees_own: bool, sees_other: bool) -> set[int]:
    """The list `page` shows the school's record `own` in its rows (each holding its record under `key`) just when
    `sees_own`, and the other school's record `other` just when `sees_other`; returns the ids of the rows shown."""
    shown = {row[key].pk for row in page.context["rows"]}
    assert (own.pk in shown) == sees_own
    assert (other.pk in shown) == sees_other
    return shown
