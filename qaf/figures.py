"""Arithmetic the reports and analysis pages share, so every page rounds a share the same way."""

from __future__ import annotations


def percent(part: int, whole: int) -> int | None:
    """`part` as a whole-number percentage of `whole` (halves to even, as round does); None when `whole` is 0,
    for the pages to say there was nothing to count rather than show 0%."""
    return round(100 * part / whole) if whole else None
