"""The single-use link in a feedback invitation.

A token is `<partnership slug>.<invitation public id>.<signature>`: the public id is 128 random bits, and the
signature (HMAC over the rest, keyed by SECRET_KEY) means a copy of the database alone cannot mint working links,
and an edited token (another partnership's slug, a guessed id) fails before any lookup. The slug keeps each lookup
inside one partnership.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core import signing

from feedback.models import FeedbackInvitation

SALT = "qaf.feedback.invitation"
_SEP = "."
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,150}\.[A-Za-z0-9_-]{10,32}\.[A-Za-z0-9_-]{20,60}$")


@dataclass(frozen=True)
class TokenParts:
    partnership_slug: str
    public_id: str


def _signer() -> signing.Signer:
    return signing.Signer(salt=SALT, sep=_SEP)


def invitation_token(invitation: FeedbackInvitation) -> str:
    """The token for an invitation's link (the same each time it is asked for, so a handout can be reprinted)."""
    return _signer().sign(f"{invitation.partnership.slug}{_SEP}{invitation.public_id}")


def token_parse(token: str) -> TokenParts | None:
    """The partnership slug and public id a token carries, or None when it is malformed or its signature is wrong.
    Never raises."""
    if not isinstance(token, str) or not _SHAPE.match(token):
        return None
    try:
        value = _signer().unsign(token)
    except signing.BadSignature:
        return None
    slug, _, public_id = value.partition(_SEP)
    return TokenParts(partnership_slug=slug, public_id=public_id)


def invitation_for_token(token: str) -> FeedbackInvitation | None:
    """The invitation a token names within its own partnership, or None. Expiry and use are for the caller."""
    parts = token_parse(token)
    if parts is None:
        return None
    return (
        FeedbackInvitation.objects.select_related("partnership", "version__form", "agency")
        .filter(partnership__slug=parts.partnership_slug, public_id=parts.public_id)
        .first()
    )
