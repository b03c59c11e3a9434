"""What tests post to the pages' forms."""

from __future__ import annotations

import datetime as dt


def date_fields(name: str, day: dt.date) -> dict[str, int]:
    """The three boxes (day, month, year) of the GOV.UK date input `name`, filled in with `day`."""
    return {f"{name}_0": day.day, f"{name}_1": day.month, f"{name}_2": day.year}
