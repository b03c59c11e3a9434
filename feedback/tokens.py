"""The single-use link in a feedback invitation, and its short code.

A token is `<partnership slug>.<invitation public id>.<signature>`: the public id is 128 random bits, and the
signature (HMAC over the rest, keyed by SECRET_KEY) means a copy of the database alone cannot mint working links,
and an edited token (another partnership's slug, a guessed id) fails before any lookup. The slug keeps each lookup
inside one partnership.

A short code (like K7QM-3XPA) is the same invitation in 8 characters that can be typed from a printed handout:
random, unique, from an alphabet without look-alikes. With about 40 bits it can be guessed only by trying very
many, which the public pages rate-limit per address (feedback.views.public).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core import signing

from feedback.models import SHORT_CODE_ALPHABET, SHORT_CODE_LENGTH, FeedbackInvitation, new_short_code

SALT = "qaf.feedback.invitation"
_SEP = "."
_SHAPE = re.compile(r"^[A-Za-z0-9_-]{1,150}\.[A-Za-z0-9_-]{10,32}\.[A-Za-z0-9_-]{20,60}$")
# What people type for a code: any case, with or without the hyphen or spaces between the groups.
_CODE_SEPARATORS = re.compile(r"[\s\-\u2010-\u2015]")
_LOOKUP_BATCH = 5000


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


def _invitation_where(**lookup: str) -> FeedbackInvitation | None:
    """The invitation matching `lookup`, with what the public form reads (its partnership, form and agency)."""
    return (
        FeedbackInvitation.objects.select_related("partnership", "version__form", "agency")
        .filter(**lookup)
        .first()
    )


def invitation_for_token(token: str) -> FeedbackInvitation | None:
    """The invitation a token names within its own partnership, or None. Expiry and use are for the caller."""
    parts = token_parse(token)
    if parts is None:
        return None
    return _invitation_where(partnership__slug=parts.partnership_slug, public_id=parts.public_id)


def short_code_normalise(text: str) -> str | None:
    """A typed short code as stored (upper case, no hyphen), or None when it cannot be one: the wrong length
    or a character outside the alphabet (such as O, 0, I, L or 1). Never raises."""
    if not isinstance(text, str):
        return None
    code = _CODE_SEPARATORS.sub("", text).upper()
    if len(code) != SHORT_CODE_LENGTH or any(char not in SHORT_CODE_ALPHABET for char in code):
        return None
    return code


def invitation_for_code(text: str) -> FeedbackInvitation | None:
    """The invitation a typed short code names, or None. Expiry and use are for the caller, as for a token."""
    code = short_code_normalise(text)
    if code is None:
        return None
    return _invitation_where(short_code=code)


def short_codes_new(count: int) -> list[str]:
    """`count` new short codes, different from each other and from every code already stored. The column is
    unique too, so a code another process took meanwhile fails the insert instead of sharing an invitation."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = list({new_short_code() for _ in range(count - len(codes))} - codes)
        taken: set[str] = set()
        for start in range(0, len(wanted), _LOOKUP_BATCH):
            batch = wanted[start : start + _LOOKUP_BATCH]
            taken.update(
                FeedbackInvitation.objects.filter(short_code__in=batch).values_list("short_code", flat=True)
            )
        codes.update(code for code in wanted if code not in taken)
    return list(codes)
