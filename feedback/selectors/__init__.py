"""Selectors of the feedback app, one module per area; complaints and compliments are re-exported here."""

from feedback.selectors.complaints import (
    CATEGORY_LABELS,
    OUTCOME_LABELS,
    STAGE_LABELS,
    ComplaintFilters,
    Quarter,
    ResponseClock,
    complaints_by_quarter,
    complaints_filtered,
    compliments_filtered,
    overdue_q,
    response_clock,
)

__all__ = [
    "CATEGORY_LABELS",
    "ComplaintFilters",
    "OUTCOME_LABELS",
    "Quarter",
    "ResponseClock",
    "STAGE_LABELS",
    "complaints_by_quarter",
    "complaints_filtered",
    "compliments_filtered",
    "overdue_q",
    "response_clock",
]
