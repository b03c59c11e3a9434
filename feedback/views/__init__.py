"""Views of the feedback app, one module per area; complaints and compliments are re-exported here."""

from feedback.views.complaints import (
    FIELD_LABELS,
    PAGE_SIZE,
    analysis,
    complaint_change,
    complaint_detail,
    complaint_list,
    complaint_log,
    compliment_list,
    compliment_log,
)

__all__ = [
    "FIELD_LABELS",
    "PAGE_SIZE",
    "analysis",
    "complaint_change",
    "complaint_detail",
    "complaint_list",
    "complaint_log",
    "compliment_list",
    "compliment_log",
]
